from django.apps import AppConfig


class OpendataConfig(AppConfig):
    """Open data: the Popolo JSON API, RSS/Atom feeds and the CSV bundle."""

    name = "opendata"
