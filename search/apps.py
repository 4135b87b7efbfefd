from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class SearchConfig(AppConfig):
    """Full-text search across every app, through the visibility layer."""

    name = "search"

    def ready(self):
        # Keeping an index current is bookkeeping, not a domain rule: signals suit it.
        from meetings.signals import minute_entry_changed

        from . import indexing

        for model in indexing.WATCHED_MODELS:
            post_save.connect(indexing.on_save, sender=model, dispatch_uid=f"search-{model}")
            post_delete.connect(indexing.on_delete, sender=model, dispatch_uid=f"search-d-{model}")
        minute_entry_changed.connect(
            indexing.on_minute_entries_changed, dispatch_uid="search-minute-entries"
        )
