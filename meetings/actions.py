"""The action log (R-ACT-1..3): every action has an owner and a due date, its owner reports
progress, and it is closed only at a meeting, with the minute that closed it."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from membership.models import Person
from partnerships.models import Organisation

from .models import Action, ActionUpdate, AgendaItem, Meeting

OPEN_STATUSES = [Action.Status.OPEN, Action.Status.IN_PROGRESS]
CLOSE_ONLY_AT_A_MEETING = (
    "An action is closed only at a meeting: record the meeting and the minute that closed it"
)


def can_update(user, action: Action) -> bool:
    """Its owner (a person with a login) and the staff who keep the action log."""
    if user.has_perm("meetings.change_action"):
        return True
    return action.owner is not None and action.owner.user_id == user.pk


@transaction.atomic
def create_action(
    *,
    meeting: Meeting,
    item: AgendaItem | None = None,
    description: str,
    owner: Person | None = None,
    owner_organisation: Organisation | None = None,
    due_on: datetime.date | None,
    by,
) -> Action:
    errors = {}
    if not description.strip():
        errors["description"] = "Describe the action"
    if owner is None and owner_organisation is None:
        errors["owner"] = "Choose who owns the action: a person or an organisation"
    if due_on is None:
        errors["due_on"] = "Enter the date the action is due"
    if item is not None and item.meeting_id != meeting.pk:
        errors["item"] = "Choose an item on this meeting's agenda"
    if errors:
        raise ValidationError(errors)
    return Action.objects.create(
        meeting=meeting,
        item=item,
        description=description.strip(),
        owner=owner,
        owner_organisation=owner_organisation,
        due_on=due_on,
    )


def _locked(action: Action) -> Action:
    return (
        Action.objects.select_for_update(of=("self",))
        .select_related("meeting", "closed_at__body")
        .get(pk=action.pk)
    )


def _refuse_if_closed(action: Action) -> None:
    if action.status == Action.Status.CLOSED:
        raise ValidationError(f"This action was closed at {action.closed_at}", code="closed")


@transaction.atomic
def update_action(*, action: Action, status: str, note: str = "", by) -> Action:
    """Progress from the owner or the staff: open, in progress or done (to be closed)."""
    locked = _locked(action)
    _refuse_if_closed(locked)
    if status == Action.Status.CLOSED:
        raise ValidationError({"status": CLOSE_ONLY_AT_A_MEETING}, code="close_at_meeting")
    if status not in Action.Status.values:
        raise ValidationError({"status": "Choose the status of the action"})
    if status == locked.status and not note.strip():
        raise ValidationError({"note": "Enter a progress note or change the status"})
    if status != locked.status:
        locked.status = status
        locked.save(update_fields=["status", "updated_at"])
    text = note.strip() or f"Status changed to \u201c{locked.get_status_display()}\u201d"
    ActionUpdate.objects.create(action=locked, text=text, created_by=by)
    return locked


@transaction.atomic
def close_action(*, action: Action, at_meeting: Meeting, minute_ref: str, by) -> Action:
    """R-ACT-3: close an action at a meeting of its body, on or after the one that set it."""
    locked = _locked(action)
    _refuse_if_closed(locked)
    errors = {}
    if not minute_ref.strip():
        errors["minute_ref"] = "Enter the minute that closed the action, for example 4.2"
    origin = locked.meeting
    if at_meeting.body_id != origin.body_id or at_meeting.starts_at < origin.starts_at:
        errors["at_meeting"] = "Choose a meeting of the same body, on or after the one that set it"
    elif at_meeting.status in {Meeting.Status.CANCELLED, Meeting.Status.POSTPONED}:
        errors["at_meeting"] = "Choose a meeting that took place"
    if errors:
        raise ValidationError(errors)
    locked.status = Action.Status.CLOSED
    locked.closed_at = at_meeting
    locked.closed_minute = minute_ref.strip()
    locked.save(update_fields=["status", "closed_at", "closed_minute", "updated_at"])
    ActionUpdate.objects.create(
        action=locked, text=f"Closed at {at_meeting}, minute {locked.closed_minute}", created_by=by
    )
    return locked


def overdue(actions, on: datetime.date | None = None):
    """Actions past their due date that their owner has not finished (R-ACT-2)."""
    on = on or timezone.localdate()
    return actions.filter(due_on__lt=on, status__in=OPEN_STATUSES)


def is_overdue(action: Action, on: datetime.date) -> bool:
    return action.due_on < on and action.status in OPEN_STATUSES
