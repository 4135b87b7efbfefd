from django.apps import AppConfig


class SearchConfig(AppConfig):
    """Full-text search across every app, through the visibility layer."""

    name = "search"
