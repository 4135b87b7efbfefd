"""Signing in and permissions: Django's model backend, with each person's permissions kept.

Every signed-in page asks what the user may do (edit buttons, the menu), which cost two queries a
request. The answer is kept per user like a shared page fragment (partnerships/fragments.py):
keyed on the data version, which the groups and permission tables change too, so a role given or
taken away applies to the next request.
"""

from django.contrib.auth import backends

from . import fragments


class ModelBackend(backends.ModelBackend):
    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            user_obj._perm_cache = fragments.cached(
                "permissions",
                (user_obj.pk, user_obj.is_superuser),
                lambda: frozenset(super(ModelBackend, self).get_all_permissions(user_obj)),
            )
        return user_obj._perm_cache
