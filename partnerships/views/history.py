"""The change history of one governance record, for the officers who administer records.

Reads the rows written by the database triggers (partnerships/audit.py), so it shows bulk and
raw-SQL changes too, and the record's history after it has been deleted.
"""

from django.apps import apps
from django.contrib.auth import get_user_model
from django.http import Http404
from django.shortcuts import render
from pghistory.models import Event

from ..audit import AccessEvent
from ..roles import Role, has_role

GOVERNANCE_APPS = ("partnerships", "membership", "meetings", "reports")
# Bookkeeping columns every row has; listing them would bury the real changes.
UNLISTED = {"id", "created_at", "updated_at"}
EVENTS_SHOWN = 500
LABELS = {"insert": "Created", "update": "Changed", "delete": "Deleted"}


def tracked_models() -> dict[str, tuple[type, type]]:
    """'app_label.model' -> (governance model, its history model), for every tracked model."""
    return {
        event_model.pgh_tracked_model._meta.label_lower: (
            event_model.pgh_tracked_model,
            event_model,
        )
        for event_model in apps.get_models()
        if issubclass(event_model, Event)
        and getattr(event_model, "pgh_tracked_model", None) is not None
        and event_model.pgh_tracked_model._meta.app_label in GOVERNANCE_APPS
    }


def _shown(field, value) -> str:
    if value is None or value == "":
        return "(blank)"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if field.is_relation:
        return f"{field.related_model._meta.verbose_name} {value}"
    return str(value)


def _changes(fields, previous, current) -> list[dict]:
    changes = []
    for field in fields:
        before = previous.get(field.attname) if previous is not None else None
        after = current[field.attname]
        if previous is not None and before == after:
            continue
        if previous is None and after in (None, "", []):
            continue
        changes.append(
            {
                "field": field.verbose_name,
                "before": _shown(field, before) if previous is not None else "",
                "after": _shown(field, after),
            }
        )
    return changes


def object_history(request, model: str, pk: int):
    if not has_role(request.user, Role.PARTNERSHIP_MANAGER, Role.DEMOCRATIC_SERVICES):
        raise Http404("Not found")
    try:
        tracked, event_model = tracked_models()[model]
    except KeyError:
        raise Http404("Not found") from None

    events = list(
        event_model.objects.filter(pgh_obj_id=pk)
        .select_related("pgh_context")
        .order_by("-pgh_id")[:EVENTS_SHOWN]
    )
    current = tracked._default_manager.filter(pk=pk).first()
    if current is None and not events:
        raise Http404("Not found")
    events.reverse()

    fields = [
        field
        for field in tracked._meta.concrete_fields
        if field.name not in UNLISTED and hasattr(event_model, field.attname)
    ]
    accesses = list(
        AccessEvent.objects.filter(object_type=model, object_id=pk).order_by("-at", "-pk")[:200]
    )
    user_ids = {
        (event.pgh_context.metadata or {}).get("user") for event in events if event.pgh_context
    } | {access.user_id for access in accesses}
    users = get_user_model().objects.in_bulk([uid for uid in user_ids if uid is not None])

    rows = []
    previous = None
    for event in events:
        snapshot = {field.attname: getattr(event, field.attname) for field in fields}
        context = (event.pgh_context.metadata or {}) if event.pgh_context else {}
        user = users.get(context.get("user"))
        deleted = event.pgh_label == "delete"
        rows.append(
            {
                "at": event.pgh_created_at,
                "what": LABELS.get(event.pgh_label, event.pgh_label),
                "who": (user.get_full_name() or user.username) if user else "",
                "how": context.get("url") or "Outside the website (a script or the database)",
                "why": context.get("reason", ""),
                "changes": [] if deleted else _changes(fields, previous, snapshot),
            }
        )
        previous = snapshot
    rows.reverse()
    for access in accesses:
        user = users.get(access.user_id)
        access.who = (user.get_full_name() or user.username) if user else "Not signed in"

    response = render(
        request,
        "partnerships/history.html",
        {
            "title": str(current) if current is not None else f"{tracked._meta.verbose_name} {pk}",
            "kind": tracked._meta.verbose_name,
            "deleted": current is None,
            "rows": rows,
            "accesses": accesses,
        },
    )
    # The history may quote exempt material.
    response["Cache-Control"] = "private, no-store"
    return response
