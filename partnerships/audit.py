"""The audit trail: row history of governance records, and reads and refusals of confidential ones.

Changes are captured by PostgreSQL triggers (django-pghistory), so `QuerySet.update()`, bulk
writes and raw SQL are recorded as well as `save()`; who and why come from the request context
(config/audit.py). Both the history tables and the access log are append-only in the database.
"""

import pghistory
import pgtrigger
from django.conf import settings
from django.db import models


def track_history():
    """Record every insert, change and deletion of the decorated model, with who and why."""
    return pghistory.track(
        pghistory.InsertEvent(),
        # A save that changes nothing but updated_at is not a change worth an entry.
        pghistory.UpdateEvent(condition=pghistory.AnyChange(exclude_auto=True)),
        pghistory.DeleteEvent(),
        append_only=True,
    )


class AccessEvent(models.Model):
    """A read of exempt material, or a refused request, by one person (or the public)."""

    class Kind(models.TextChoices):
        EXEMPT_VIEWED = "exempt_viewed", "Viewed confidential material"
        DENIED = "denied", "Refused"

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    # No database constraint: the log keeps the user id even if the account is removed.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
    )
    method = models.CharField(max_length=10, blank=True)
    path = models.CharField(max_length=2000)
    object_type = models.CharField(max_length=100, blank=True)
    object_id = models.BigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="access_event_object")]
        triggers = [
            pgtrigger.Protect(
                name="access_event_append_only",
                operation=pgtrigger.Update | pgtrigger.Delete,
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.path} at {self.at:%Y-%m-%d %H:%M}"


def record_access(request, obj, kind: str) -> AccessEvent | None:
    """Log a read of exempt material or a refusal; once per request and kind."""
    done = request.__dict__.setdefault("_audit_access_recorded", set())
    if kind in done:
        return None
    done.add(kind)
    user = getattr(request, "user", None)
    return AccessEvent.objects.create(
        kind=kind,
        user_id=user.pk if user is not None and user.is_authenticated else None,
        method=request.method or "",
        path=request.get_full_path()[:2000],
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=obj.pk if obj is not None else None,
    )
