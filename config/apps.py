from django.apps import AppConfig


class ConfigConfig(AppConfig):
    """Project-wide pieces: site pages, demo data, the embedded database."""

    name = "config"
    verbose_name = "Partnership governance"
