from django.apps import AppConfig
from django.db.models.signals import post_migrate


class PartnershipsConfig(AppConfig):
    """Partnerships, their bodies, reporting lines and terms of reference; and the roles."""

    name = "partnerships"

    def ready(self):
        from . import fragments, roles

        post_migrate.connect(roles.grant_role_permissions, dispatch_uid="grant_role_permissions")
        post_migrate.connect(
            fragments.install, sender=self, dispatch_uid="install_data_version_triggers"
        )
