from django.apps import AppConfig


class ReportsConfig(AppConfig):
    """Annual progress reports up the reporting line, analytics and funding."""

    name = "reports"
