"""Writes and reads of a meeting's register: who came, the interests declared, and the prompts
shown before the meeting to members whose interests touch an item (R-DOI-3)."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from membership.models import InterestDeclaration, Person, Seat
from membership.roster import seats_on

from .models import AgendaItem, Attendance, Declaration, Meeting
from .quorum import item_key


@dataclass
class AttendanceRow:
    """One line of the register as recorded: a member, substitute, officer or guest."""

    status: str
    person: Person | None = None
    seat: Seat | None = None
    substitute_for: Person | None = None
    name: str = ""
    left_before_item: AgendaItem | None = None


def _check_rows(meeting: Meeting, rows: list[AttendanceRow]) -> None:
    errors = []
    people = set()
    for row in rows:
        who = row.person.full_name if row.person else row.name
        if row.status not in Attendance.Status.values:
            errors.append(f"Choose whether {who} was present, sent apologies or was absent")
        if row.person is None and not row.name.strip():
            errors.append("Enter the name of everyone on the register")
        if row.person is not None:
            if row.person.pk in people:
                errors.append(f"{who} is on the register more than once")
            people.add(row.person.pk)
        if row.seat is not None and row.seat.body_id != meeting.body_id:
            errors.append(f"{row.seat.label} is not a seat on {meeting.body.name}")
        if row.substitute_for is not None:
            if row.status != Attendance.Status.PRESENT:
                errors.append(f"A substitute for {row.substitute_for.full_name} must be present")
            if row.substitute_for == row.person:
                errors.append(f"{who} cannot substitute for themselves")
        if row.left_before_item is not None:
            if row.left_before_item.meeting_id != meeting.pk:
                errors.append("Choose an item on this meeting's agenda")
            if row.status in (Attendance.Status.APOLOGIES, Attendance.Status.ABSENT):
                errors.append(f"{who} cannot leave a meeting they were not at")
    if errors:
        raise ValidationError(list(dict.fromkeys(errors)))


@transaction.atomic
def record_attendance(*, meeting: Meeting, rows: list[AttendanceRow], by) -> list[Attendance]:
    """Replace the meeting's register with these rows, one per person."""
    meeting = Meeting.objects.select_for_update().select_related("body").get(pk=meeting.pk)
    _check_rows(meeting, rows)
    Attendance.objects.filter(meeting=meeting).delete()
    return Attendance.objects.bulk_create(
        Attendance(
            meeting=meeting,
            person=row.person,
            seat=row.seat,
            status=row.status,
            substitute_for=row.substitute_for,
            name=row.name.strip(),
            left_before_item=row.left_before_item,
        )
        for row in rows
    )


def declare_interest(
    *,
    meeting: Meeting,
    person: Person,
    interest: str,
    item: AgendaItem | None = None,
    withdrew: bool = False,
    by,
) -> Declaration:
    """Record an interest declared at the meeting; one who withdrew stops counting on the item."""
    errors = {}
    if not interest.strip():
        errors["interest"] = "Enter the interest they declared"
    if item is not None and item.meeting_id != meeting.pk:
        errors["item"] = "Choose an item on this meeting's agenda"
    if withdrew and item is None:
        errors["withdrew"] = "Choose the item they withdrew from"
    if errors:
        raise ValidationError(errors)
    return Declaration.objects.create(
        meeting=meeting, item=item, person=person, interest=interest.strip(), withdrew=withdrew
    )


@dataclass(frozen=True)
class Prompt:
    """A reminder that a member may have an interest to declare on an item."""

    person: Person
    item: AgendaItem
    reason: str


def _mentions(text: str, organisation) -> bool:
    text = text.casefold()
    names = [organisation.name, organisation.short_name, *organisation.aliases]
    return any(name and name.casefold() in text for name in names)


def prompts(meeting: Meeting) -> list[Prompt]:
    """Members whose holding is for, or whose registered interests name, an organisation an
    item concerns, in agenda order."""
    on = timezone.localdate(meeting.starts_at)
    seats = seats_on(Seat.objects.filter(body_id=meeting.body_id), on)
    holdings = [h for seat in seats for h in seat.holders if h.person_id]
    people = {h.person_id: h.person for h in holdings}
    interests = InterestDeclaration.objects.filter(
        Q(body__isnull=True) | Q(body_id=meeting.body_id),
        Q(ends_on__isnull=True) | Q(ends_on__gt=on),
        person_id__in=people,
        registered_on__lte=on,
    ).order_by("pk")
    by_person: dict[int, list[InterestDeclaration]] = {}
    for interest in interests:
        by_person.setdefault(interest.person_id, []).append(interest)
    items = (
        AgendaItem.objects.filter(meeting=meeting)
        .select_related("parent")
        .prefetch_related("concerns_organisations")
    )
    found: list[Prompt] = []
    for item in sorted(items, key=item_key):
        concerns = list(item.concerns_organisations.all())
        if not concerns:
            continue
        for person_id, person in people.items():
            reasons = [
                f"Sits for {h.organisation.name}"
                for h in holdings
                if h.person_id == person_id and h.organisation in concerns
            ]
            reasons += [
                f"Registered interest: {interest.description}"
                for interest in by_person.get(person_id, [])
                if any(_mentions(interest.description, o) for o in concerns)
            ]
            for reason in dict.fromkeys(reasons):
                found.append(Prompt(person=person, item=item, reason=reason))
    return found
