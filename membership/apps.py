from django.apps import AppConfig


class MembershipConfig(AppConfig):
    """People, seats on bodies, terms of office and registers of interests."""

    name = "membership"
