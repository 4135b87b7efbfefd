"""Changes to meetings and their agendas: scheduling, items, publication, cancellation."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone

from . import notifications, signals
from .deadlines import is_late, meeting_date, publication_deadline
from .minutes import referrals_for
from .models import Action, AgendaItem, Meeting, Minutes

ITEM_FIELDS = {
    "parent",
    "kind",
    "title",
    "purpose",
    "presenter",
    "presenter_title",
    "summary",
    "recommendations",
    "questions",
    "minutes_allocated",
    "is_exempt",
    "exempt_paragraph",
    "public_interest_statement",
    "urgency_reason",
    "minutes_to_approve",
    "referred_decision",
}

CHOOSE_PARAGRAPH = "Choose the paragraph of Schedule 12A that makes the item exempt"
EXPLAIN_PUBLIC_INTEREST = (
    "Explain why the public interest in keeping it exempt outweighs the public interest in "
    "disclosing it"
)
GIVE_URGENCY_REASON = (
    "Give the chair's reason for considering the item as a matter of urgency: "
    "the agenda deadline has passed"
)

# Actions still to be reported on: the action log item lists them until a meeting closes them.
CARRIED_FORWARD = [Action.Status.OPEN, Action.Status.IN_PROGRESS, Action.Status.DONE]


def _long_date(day: datetime.date) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}"


# Meetings -------------------------------------------------------------------------------------


def previous_meeting(meeting: Meeting) -> Meeting | None:
    """The body's last meeting before this one that was not cancelled."""
    return (
        Meeting.objects.filter(body_id=meeting.body_id, starts_at__lt=meeting.starts_at)
        .exclude(status__in=[Meeting.Status.CANCELLED, Meeting.Status.POSTPONED])
        .order_by("-starts_at")
        .first()
    )


def actions_to_carry_forward(meeting: Meeting):
    """Open, in-progress and done-but-not-closed actions from the body's earlier meetings."""
    return Action.objects.filter(
        meeting__body_id=meeting.body_id,
        meeting__starts_at__lt=meeting.starts_at,
        status__in=CARRIED_FORWARD,
    ).order_by("due_on", "pk")


def create_meeting(*, body, starts_at: datetime.datetime, by, **fields) -> Meeting:
    """Schedule a meeting with its standing procedural items.

    It meets in public if the body does, unless `is_public` says otherwise.
    """
    if fields.get("is_public") is None:
        fields["is_public"] = body.meets_in_public
    with transaction.atomic():
        meeting = Meeting.objects.create(body=body, starts_at=starts_at, **fields)
        previous = previous_meeting(meeting)
        minutes = (
            Minutes.objects.filter(meeting=previous).exclude(status=Minutes.Status.APPROVED).first()
            if previous
            else None
        )
        standing = [
            (AgendaItem.Kind.APOLOGIES, "Apologies for absence", AgendaItem.Purpose.NOTING, {}),
            (
                AgendaItem.Kind.DECLARATIONS,
                "Declarations of interest",
                AgendaItem.Purpose.NOTING,
                {},
            ),
            (
                AgendaItem.Kind.PREVIOUS_MINUTES,
                "Minutes of the previous meeting",
                AgendaItem.Purpose.DECISION,
                {"minutes_to_approve": minutes},
            ),
            (AgendaItem.Kind.ACTION_LOG, "Action log", AgendaItem.Purpose.NOTING, {}),
        ]
        AgendaItem.objects.bulk_create(
            AgendaItem(meeting=meeting, order=n, kind=kind, title=title, purpose=purpose, **extra)
            for n, (kind, title, purpose, extra) in enumerate(standing, start=1)
        )
        # R-DEC-2: decisions other bodies referred here come on to the next agenda, exempt if
        # the item they came from was exempt.
        AgendaItem.objects.bulk_create(
            AgendaItem(
                meeting=meeting,
                order=n,
                kind=AgendaItem.Kind.REFERRED,
                title=f"Referred by {decision.item.meeting.body.name}: {decision.item.title}",
                purpose=AgendaItem.Purpose.DECISION,
                summary=decision.text,
                referred_decision=decision,
                is_exempt=decision.item.is_exempt,
                exempt_paragraph=decision.item.exempt_paragraph,
                public_interest_statement=decision.item.public_interest_statement,
            )
            for n, decision in enumerate(referrals_for(body), start=len(standing) + 1)
        )
    return meeting


def update_meeting(*, meeting: Meeting, by, **fields) -> Meeting:
    """Change a meeting's details; a new time or place changes its calendar entry."""
    calendar_fields = {"starts_at", "ends_at", "venue", "online_url", "title"}
    changed = {name for name, value in fields.items() if getattr(meeting, name) != value}
    for name, value in fields.items():
        setattr(meeting, name, value)
    if changed & calendar_fields:
        meeting.calendar_sequence = F("calendar_sequence") + 1
    meeting.save()
    meeting.refresh_from_db()
    return meeting


def cancel_meeting(*, meeting: Meeting, by) -> Meeting:
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if meeting.status == Meeting.Status.CANCELLED:
            raise ValidationError("The meeting is already cancelled")
        if meeting.status == Meeting.Status.HELD:
            raise ValidationError("You cannot cancel a meeting that has been held")
        meeting.status = Meeting.Status.CANCELLED
        meeting.calendar_sequence += 1
        meeting.save(update_fields=["status", "calendar_sequence", "updated_at"])
    return meeting


# Agenda items ---------------------------------------------------------------------------------


def _check_item(item: AgendaItem) -> None:
    """R-AI-9 and R-AI-4, with messages for the person filling in the form."""
    errors = {}
    if item.is_exempt:
        if not item.exempt_paragraph:
            errors["exempt_paragraph"] = CHOOSE_PARAGRAPH
        if not item.public_interest_statement.strip():
            errors["public_interest_statement"] = EXPLAIN_PUBLIC_INTEREST
    if item.is_late and not item.urgency_reason.strip():
        errors["urgency_reason"] = GIVE_URGENCY_REASON
    if item.parent_id and item.parent.meeting_id != item.meeting_id:
        errors["parent"] = "Choose an item on the same agenda"
    if errors:
        raise ValidationError(errors)


def _unknown(fields) -> None:
    if unknown := set(fields) - ITEM_FIELDS:
        raise TypeError(f"Not agenda item fields: {', '.join(sorted(unknown))}")


def add_item(*, meeting: Meeting, by, **fields) -> AgendaItem:
    """Add an item at the end of the agenda (or of its parent's sub-items).

    Once the agenda is published and the deadline has passed it is a late item: it needs the
    chair's urgency reason, which is carried into the minutes (s.100B(4)(b)).
    """
    _unknown(fields)
    if meeting.status == Meeting.Status.CANCELLED:
        raise ValidationError("You cannot add items to a cancelled meeting")
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().select_related("body").get(pk=meeting.pk)
        parent = fields.get("parent")
        siblings = meeting.items.filter(parent=parent)
        last = siblings.aggregate(last=Max("order"))["last"] or 0
        item = AgendaItem(meeting=meeting, order=last + 1, **fields)
        item.is_late = meeting.is_published and is_late(meeting)
        _check_item(item)
        item.save()
    return item


def edit_item(*, item: AgendaItem, by, **fields) -> AgendaItem:
    _unknown(fields)
    for name, value in fields.items():
        setattr(item, name, value)
    if not item.is_exempt:
        item.exempt_paragraph = None
        item.public_interest_statement = ""
    _check_item(item)
    item.save()
    return item


def move_item(*, item: AgendaItem, direction: str) -> AgendaItem:
    """Move an item one place "up" or "down" among its siblings and renumber them 1, 2, 3 …"""
    if direction not in ("up", "down"):
        raise ValueError(f"direction must be 'up' or 'down', not {direction!r}")
    with transaction.atomic():
        Meeting.objects.select_for_update().get(pk=item.meeting_id)
        siblings = list(
            AgendaItem.objects.filter(meeting_id=item.meeting_id, parent_id=item.parent_id)
            .order_by("order", "pk")
            .select_for_update()
        )
        here = next(n for n, sibling in enumerate(siblings) if sibling.pk == item.pk)
        there = here - 1 if direction == "up" else here + 1
        if 0 <= there < len(siblings):
            siblings[here], siblings[there] = siblings[there], siblings[here]
        # Two steps, because (meeting, parent, order) is unique at every row update.
        AgendaItem.objects.filter(pk__in=[s.pk for s in siblings]).update(order=F("order") + 10000)
        now = timezone.now()
        for n, sibling in enumerate(siblings, start=1):
            sibling.order, sibling.updated_at = n, now
        AgendaItem.objects.bulk_update(siblings, ["order", "updated_at"])
    item.refresh_from_db()
    return item


# Publication ----------------------------------------------------------------------------------


def publish_agenda(*, meeting: Meeting, by, urgency_reason: str = "") -> Meeting:
    """Publish the agenda (or a supplementary agenda) and tell the body's members.

    For bodies under the access-to-information rules, publishing after the deadline needs the
    chair's urgency reason; the items being published late carry it into the minutes.
    """
    now = timezone.now()
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().select_related("body").get(pk=meeting.pk)
        if meeting.status in (Meeting.Status.CANCELLED, Meeting.Status.HELD):
            raise ValidationError(
                f"You cannot publish the agenda of a meeting that is "
                f"{meeting.get_status_display().lower()}"
            )
        items = meeting.items.all()
        if not items.exists():
            raise ValidationError("Add at least one item before publishing the agenda")
        new_items = items
        if meeting.is_published:
            since = meeting.agenda_published_at
            new_items = items.filter(created_at__gt=since)
            changed = items.filter(updated_at__gt=since).exists() or (
                meeting.items.filter(papers__updated_at__gt=since).exists()
            )
            if not changed:
                raise ValidationError("Nothing on the agenda has changed since it was published")
        if is_late(meeting, timezone.localdate(now)):
            if not urgency_reason.strip():
                deadline = publication_deadline(meeting_date(meeting))
                raise ValidationError(
                    {
                        "urgency_reason": (
                            f"The agenda was due to be published by {_long_date(deadline)}. "
                            "Give the chair's reason for considering it as a matter of urgency"
                        )
                    }
                )
            new_items.filter(is_late=False).update(
                is_late=True, urgency_reason=urgency_reason.strip()
            )
        meeting.agenda_published_at = now
        meeting.agenda_published_by = by
        meeting.agenda_version += 1
        meeting.calendar_sequence += 1
        meeting.status = Meeting.Status.AGENDA_PUBLISHED
        meeting.save(
            update_fields=[
                "agenda_published_at",
                "agenda_published_by",
                "agenda_version",
                "calendar_sequence",
                "status",
                "updated_at",
            ]
        )
        meeting_id, supplementary = meeting.pk, meeting.agenda_version > 1

        def announce():
            # Followers' e-mails are only queued (send_robust), so the members' still go out
            # if queueing fails, and the followers' are queued if the members' fail.
            signals.agenda_published.send_robust(
                sender=Meeting, meeting_id=meeting_id, supplementary=supplementary
            )
            notifications.send_agenda_published(meeting_id=meeting_id, supplementary=supplementary)

        transaction.on_commit(announce)
    return meeting
