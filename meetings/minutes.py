"""Minutes, decisions and referrals (R-MIN-1..3, R-DEC-1..2, R-AI-4).

Minutes are drafted per agenda item, circulated, then approved at the "minutes of the previous
meeting" item of a later meeting of the same body and signed by that meeting's chair. After that
they change only through recorded corrections.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

import nh3
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from membership.models import Person, Seat, SeatRole
from membership.roster import seats_on
from partnerships.models import Body, Organisation

from . import signals
from .models import (
    AgendaItem,
    Decision,
    Meeting,
    MinuteCorrection,
    MinuteEntry,
    Minutes,
    Ratification,
)

ALLOWED_TAGS = {"p", "br", "strong", "em", "ul", "ol", "li", "a"}
LINK_REL = "noopener noreferrer nofollow"
CONFLICT_MESSAGE = (
    "Someone else saved this minute while you were editing it. Their version is shown below; "
    "your text has been kept so you can merge it."
)
APPROVED_MESSAGE = "Approved minutes can only be changed by a recorded correction"
# The chair signs; without one, the vice-chair who presides in their place.
SIGNING_ROLES = [SeatRole.CHAIR, SeatRole.CO_CHAIR, SeatRole.VICE_CHAIR]


class Conflict(ValidationError):
    """Another save of the same minute entry landed first."""

    def __init__(self):
        super().__init__(CONFLICT_MESSAGE, code="conflict")


@dataclass(frozen=True)
class Correction:
    """A correction agreed when the minutes are approved."""

    entry: MinuteEntry
    text: str
    reason: str


def sanitise(html: str) -> str:
    """Minute text as the safe subset of HTML we keep: paragraphs, lists, emphasis, links."""
    return nh3.clean(
        html or "",
        tags=ALLOWED_TAGS,
        attributes={"a": {"href"}},
        link_rel=LINK_REL,
        url_schemes={"http", "https", "mailto"},
    ).strip()


def meeting_date(meeting: Meeting) -> datetime.date:
    return timezone.localdate(meeting.starts_at)


def _date(value: datetime.date) -> str:
    return f"{value.day} {value:%B %Y}"


# Minutes ---------------------------------------------------------------------------------------


@transaction.atomic
def ensure_minutes(meeting: Meeting) -> Minutes:
    """The meeting's minutes with an entry per item; safe to call again when items change."""
    minutes, _ = Minutes.objects.get_or_create(meeting=meeting)
    missing = meeting.items.filter(minute__isnull=True).order_by("pk")
    created = MinuteEntry.objects.bulk_create(
        MinuteEntry(minutes=minutes, item=item) for item in missing
    )
    _entries_changed([entry.pk for entry in created])
    return minutes


def _entries_changed(entry_ids: list[int]) -> None:
    """Tell other apps (search) about entries written without save(), once the change commits."""
    if entry_ids:
        transaction.on_commit(
            lambda: signals.minute_entry_changed.send_robust(
                sender=MinuteEntry, entry_ids=entry_ids
            )
        )


def _locked_minutes(minutes_id: int) -> Minutes:
    return Minutes.objects.select_for_update().get(pk=minutes_id)


@transaction.atomic
def save_entry(
    *, entry: MinuteEntry, text: str, resolution: str, expected_version: int, by
) -> MinuteEntry:
    """Save a draft minute if nobody else has saved it since `expected_version` was read.

    Raises Conflict when they have: the caller still holds the user's text, and `entry` is
    refreshed with the other person's, so nothing is lost.
    """
    if _locked_minutes(entry.minutes_id).status == Minutes.Status.APPROVED:
        raise ValidationError(APPROVED_MESSAGE, code="approved")
    updated = MinuteEntry.objects.filter(pk=entry.pk, version=expected_version).update(
        text=sanitise(text),
        resolution=resolution.strip(),
        version=F("version") + 1,
        updated_by=by,
        updated_at=timezone.now(),
    )
    entry.refresh_from_db()
    if not updated:
        raise Conflict()
    _entries_changed([entry.pk])
    return entry


@transaction.atomic
def circulate(*, minutes: Minutes, by) -> Minutes:
    """Send the draft minutes round for comment before they are approved."""
    minutes = _locked_minutes(minutes.pk)
    if minutes.status != Minutes.Status.DRAFT:
        raise ValidationError("Only draft minutes can be circulated", code="not_draft")
    minutes.status = Minutes.Status.CIRCULATED
    minutes.save(update_fields=["status", "updated_at"])
    return minutes


def signer_for(meeting: Meeting) -> Person | None:
    """Who signs minutes approved at the meeting: its chair on the day, else the vice-chair."""
    seats = seats_on(
        Seat.objects.filter(body_id=meeting.body_id, role__in=SIGNING_ROLES), meeting_date(meeting)
    )
    for role in SIGNING_ROLES:
        for seat in seats:
            if seat.role == role:
                for holding in seat.holders:
                    if holding.person is not None:
                        return holding.person
    return None


def check_approval(*, minutes: Minutes, at_item: AgendaItem) -> Person:
    """R-MIN-1: why the minutes cannot be approved at the item, or who will sign them."""
    recorded, approving = minutes.meeting, at_item.meeting
    if minutes.status == Minutes.Status.APPROVED:
        raise ValidationError(
            f"These minutes were approved on {_date(minutes.approved_on)}", code="approved"
        )
    if at_item.kind != AgendaItem.Kind.PREVIOUS_MINUTES:
        raise ValidationError(
            "Minutes are approved at a \u201cminutes of the previous meeting\u201d item",
            code="wrong_item",
        )
    if approving.pk == recorded.pk:
        raise ValidationError(
            "Minutes cannot be approved at the meeting they record", code="same_meeting"
        )
    if approving.body_id != recorded.body_id or approving.starts_at <= recorded.starts_at:
        raise ValidationError(
            "Minutes are approved at a later meeting of the same body", code="not_later"
        )
    if approving.status in {Meeting.Status.CANCELLED, Meeting.Status.POSTPONED}:
        raise ValidationError(
            f"The meeting on {_date(meeting_date(approving))} did not take place",
            code="not_held",
        )
    if at_item.minutes_to_approve_id not in {None, minutes.pk}:
        raise ValidationError(
            "This item approves the minutes of another meeting", code="other_minutes"
        )
    signer = signer_for(approving)
    if signer is None:
        raise ValidationError(
            f"{approving.body.name} has no chair or vice-chair to sign the minutes on "
            f"{_date(meeting_date(approving))}",
            code="no_chair",
        )
    return signer


@transaction.atomic
def approve_minutes(
    *, minutes: Minutes, at_item: AgendaItem, by, corrections: Iterable[Correction] = ()
) -> Minutes:
    """Approve the minutes as a correct record at a later meeting, with any agreed corrections."""
    minutes = _locked_minutes(minutes.pk)
    signer = check_approval(minutes=minutes, at_item=at_item)
    for correction in corrections:
        if correction.entry.minutes_id != minutes.pk:
            raise ValidationError("A correction must be to these minutes", code="other_minutes")
        _record_correction(
            entry=correction.entry, text=correction.text, reason=correction.reason, by=by
        )
    minutes.status = Minutes.Status.APPROVED
    minutes.approved_at = at_item.meeting
    minutes.approved_on = meeting_date(at_item.meeting)
    minutes.signed_by = signer
    minutes.save(update_fields=["status", "approved_at", "approved_on", "signed_by", "updated_at"])
    if at_item.minutes_to_approve_id is None:
        at_item.minutes_to_approve = minutes
        at_item.save(update_fields=["minutes_to_approve", "updated_at"])
    minutes_id = minutes.pk
    transaction.on_commit(
        lambda: signals.minutes_approved.send_robust(sender=Minutes, minutes_id=minutes_id)
    )
    return minutes


def _record_correction(*, entry: MinuteEntry, text: str, reason: str, by) -> MinuteCorrection:
    entry = MinuteEntry.objects.select_for_update().get(pk=entry.pk)
    after = sanitise(text)
    if not reason.strip():
        raise ValidationError({"reason": "Say why the minute is corrected"}, code="no_reason")
    if after == entry.text:
        raise ValidationError({"text": "The corrected text is the same as the minute"})
    correction = MinuteCorrection.objects.create(
        entry=entry, text_before=entry.text, text_after=after, reason=reason.strip(), recorded_by=by
    )
    MinuteEntry.objects.filter(pk=entry.pk).update(
        text=after, version=F("version") + 1, updated_by=by, updated_at=timezone.now()
    )
    _entries_changed([entry.pk])
    return correction


@transaction.atomic
def correct_entry(*, entry: MinuteEntry, text: str, reason: str, by) -> MinuteCorrection:
    """R-MIN-2: change an approved minute, keeping what it said, why it changed and who did it."""
    if _locked_minutes(entry.minutes_id).status != Minutes.Status.APPROVED:
        raise ValidationError("Draft minutes are edited, not corrected", code="not_approved")
    correction = _record_correction(entry=entry, text=text, reason=reason, by=by)
    entry.refresh_from_db()
    return correction


# Decisions -------------------------------------------------------------------------------------


@transaction.atomic
def record_decision(
    *,
    item: AgendaItem,
    text: str,
    outcome: str,
    mode: str = Decision.Mode.CONSENSUS,
    votes_for: int | None = None,
    votes_against: int | None = None,
    abstentions: int | None = None,
    needs_ratification: bool = False,
    ratifying_organisations: Iterable[Organisation] = (),
    referred_to: Body | None = None,
    was_inquorate: bool = False,
    by,
) -> Decision:
    """Record what the meeting decided on an item; each ratifying partner starts as pending."""
    errors = {}
    if not text.strip():
        errors["text"] = "Enter the decision"
    if mode == Decision.Mode.VOTE and (votes_for is None or votes_against is None):
        errors["votes_for"] = "Enter the votes for and against"
    if mode == Decision.Mode.CONSENSUS and any(
        n is not None for n in (votes_for, votes_against, abstentions)
    ):
        errors["mode"] = "A decision by consensus has no vote count"
    organisations = list(ratifying_organisations)
    if needs_ratification and not organisations:
        errors["ratifying_organisations"] = "Choose the partners who must ratify the decision"
    if organisations and not needs_ratification:
        errors["needs_ratification"] = "Tick that the decision needs ratification by the partners"
    if outcome == Decision.Outcome.REFERRED and referred_to is None:
        errors["referred_to"] = "Choose the body the decision is referred to"
    if referred_to is not None and referred_to.pk == item.meeting.body_id:
        errors["referred_to"] = "A body cannot refer a decision to itself"
    if errors:
        raise ValidationError(errors)
    # R-Q-1: a decision taken without a quorum on the item is flagged, whatever the form said,
    # so it goes back for ratification at a quorate meeting.
    from .quorum import quorum

    was_inquorate = was_inquorate or quorum(item.meeting, item).is_quorate is False
    decision = Decision.objects.create(
        item=item,
        text=text.strip(),
        outcome=outcome,
        mode=mode,
        votes_for=votes_for,
        votes_against=votes_against,
        abstentions=abstentions,
        needs_ratification=needs_ratification,
        was_inquorate=was_inquorate,
        referred_to=referred_to,
    )
    Ratification.objects.bulk_create(
        Ratification(decision=decision, organisation=organisation) for organisation in organisations
    )
    return decision


def referrals_for(body: Body):
    """R-DEC-2: decisions referred to the body that are not yet on one of its agendas.

    Staff-facing (the agenda builder): callers showing these to others filter them through
    AgendaItem.objects.visible_to on the referring item.
    """
    return (
        Decision.objects.filter(referred_to=body, referral_items__isnull=True)
        .select_related("item__meeting__body")
        .order_by("item__meeting__starts_at", "pk")
    )


@transaction.atomic
def record_ratification(
    *, ratification: Ratification, status: str, decided_on: datetime.date | None, by
) -> Ratification:
    """A partner's answer to a decision it must ratify through its own governance (R-DEC-1)."""
    if status != Ratification.Status.PENDING and decided_on is None:
        raise ValidationError({"decided_on": "Enter the date the partner decided"})
    if status == Ratification.Status.PENDING:
        decided_on = None
    ratification.status = status
    ratification.decided_on = decided_on
    ratification.save(update_fields=["status", "decided_on", "updated_at"])
    return ratification
