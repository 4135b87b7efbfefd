from django.apps import AppConfig


class ConfigConfig(AppConfig):
    """Project-wide pieces: site pages, demo data, the embedded database."""

    name = "config"
    verbose_name = "Partnership governance"

    def ready(self):
        from django.conf import settings

        from . import sessions  # noqa: F401 - connects record_sign_in to user_logged_in

        if settings.DATABASES["default"]["ENGINE"] == "config.embedded_postgres":
            from .embedded_postgres import server

            # Here, in the main thread: runserver opens its first connection in another thread,
            # where a signal handler cannot be installed.
            server.exit_cleanly_on_sigterm()
