"""Changes to seats and who holds them, with the membership rules (R-MEM-1..5)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q

from partnerships.models import ENDED_STATUSES, Body, BodyStatus

from .models import NON_VOTING_ROLES, Membership, Person, Seat, SeatRole, Substitute


def _overlapping(queryset, starts_on, ends_on):
    """Rows whose [starts_on, ends_on) overlaps the given period (None is unbounded)."""
    if ends_on is not None:
        queryset = queryset.filter(Q(starts_on__isnull=True) | Q(starts_on__lt=ends_on))
    if starts_on is not None:
        queryset = queryset.filter(Q(ends_on__isnull=True) | Q(ends_on__gt=starts_on))
    return queryset


def _date(value: datetime.date | None) -> str:
    return f"{value.day} {value:%B %Y}" if value else ""


def check_seat(seat: Seat) -> None:
    """R-MEM-1: one chair and one vice-chair at a time, or two co-chairs and no chair."""
    same_time = _overlapping(
        Seat.objects.filter(body_id=seat.body_id).exclude(pk=seat.pk), seat.starts_on, seat.ends_on
    )
    roles = list(same_time.values_list("role", flat=True))
    body = seat.body.name
    if seat.role == SeatRole.CHAIR and (SeatRole.CHAIR in roles or SeatRole.CO_CHAIR in roles):
        raise ValidationError(
            {"role": f"{body} already has a chair then. End that seat first."}, code="chair"
        )
    if seat.role == SeatRole.VICE_CHAIR and SeatRole.VICE_CHAIR in roles:
        raise ValidationError(
            {"role": f"{body} already has a vice-chair then. End that seat first."}, code="vice"
        )
    if seat.role == SeatRole.CO_CHAIR:
        if SeatRole.CHAIR in roles:
            raise ValidationError(
                {"role": f"{body} has a chair then: a body has a chair or two co-chairs."},
                code="co_chair",
            )
        if roles.count(SeatRole.CO_CHAIR) >= 2:
            raise ValidationError(
                {"role": f"{body} already has two co-chairs then."}, code="co_chair"
            )
    if seat.kind == Seat.Kind.EX_OFFICIO and seat.ex_officio_of_id is None:
        raise ValidationError({"ex_officio_of": "Choose the seat whose holder also holds this one"})


@transaction.atomic
def create_seat(*, body: Body, label: str, role: str = SeatRole.MEMBER, by=None, **fields) -> Seat:
    """A new seat; advisors, observers and those in attendance default to non-voting."""
    if role in NON_VOTING_ROLES:
        fields.setdefault("voting", False)
        fields.setdefault("counts_for_quorum", False)
    fields.setdefault(
        "order", (body.seats.order_by("-order").values_list("order", flat=True).first() or 0) + 1
    )
    seat = Seat(body=body, label=label, role=role, **fields)
    check_seat(seat)
    _save(seat)
    return seat


def check_holding(membership: Membership) -> None:
    """Rules for a holding: who holds it, within the body's life, within the seat's holders."""
    seat = membership.seat
    if seat.kind == Seat.Kind.EX_OFFICIO:
        raise ValidationError(
            f"{seat.label} is held ex officio by whoever holds {seat.ex_officio_of.label}: "
            "appoint to that seat instead.",
            code="ex_officio",
        )
    if membership.arrangement == Membership.Arrangement.ROTATION:
        if not membership.organisation_id:
            raise ValidationError(
                {"organisation": "Choose the organisation that fills the seat in rotation"}
            )
    elif not membership.person_id:
        raise ValidationError({"person": "Choose the person who holds the seat"})
    if membership.ends_on and membership.ends_on <= membership.starts_on:
        raise ValidationError({"ends_on": "The end date must be after the start date"})
    if seat.starts_on and membership.starts_on < seat.starts_on:
        raise ValidationError(
            {"starts_on": f"The seat only exists from {_date(seat.starts_on)}"}, code="seat_dates"
        )
    if seat.ends_on and membership.starts_on >= seat.ends_on:
        raise ValidationError(
            {"starts_on": f"The seat ended on {_date(seat.ends_on)}"}, code="seat_dates"
        )
    statuses = list(
        seat.body.status_changes.filter(effective_on__lte=membership.starts_on)
        .order_by("-effective_on", "-id")
        .values_list("status", flat=True)[:1]
    )
    status = statuses[0] if statuses else None
    if status in ENDED_STATUSES or status is None:
        ended = "had not started" if status is None else f"was {BodyStatus(status).label.lower()}"
        raise ValidationError(
            {"starts_on": f"{seat.body.name} {ended} on {_date(membership.starts_on)} (R-STR-4)"},
            code="body_dates",
        )
    others = _overlapping(
        Membership.objects.filter(seat=seat).exclude(pk=membership.pk),
        membership.starts_on,
        membership.ends_on,
    ).select_related("person", "organisation")
    holders = list(others)
    if len(holders) >= seat.max_holders:
        names = ", ".join(str(h.person or h.organisation) for h in holders)
        allowed = "one holder" if seat.max_holders == 1 else f"{seat.max_holders} holders"
        raise ValidationError(
            f"{seat.label} allows {allowed} at a time and is held by {names} then. "
            "End that holding first, or make the seat a job share.",
            code="full",
        )


@transaction.atomic
def appoint(
    *,
    seat: Seat,
    starts_on: datetime.date,
    person: Person | None = None,
    organisation=None,
    arrangement: str = Membership.Arrangement.SOLE,
    ends_on: datetime.date | None = None,
    term_ends_on: datetime.date | None = None,
    job_title: str = "",
    notes: str = "",
    by=None,
) -> Membership:
    Seat.objects.select_for_update().filter(pk=seat.pk).first()
    membership = Membership(
        seat=seat,
        person=person,
        organisation=organisation,
        arrangement=arrangement,
        starts_on=starts_on,
        ends_on=ends_on,
        term_ends_on=term_ends_on,
        job_title=job_title or (person.job_title if person else ""),
        notes=notes,
    )
    check_holding(membership)
    _save(membership)
    return membership


@transaction.atomic
def end_membership(*, membership: Membership, ends_on: datetime.date, reason: str = "", by=None):
    if ends_on <= membership.starts_on:
        raise ValidationError({"ends_on": "The end date must be after the start date"})
    membership.ends_on = ends_on
    membership.end_reason = reason
    _save(membership)
    return membership


@transaction.atomic
def add_substitute(*, seat: Seat, person: Person, by=None) -> Substitute:
    if Membership.objects.current().filter(seat=seat, person=person).exists():
        raise ValidationError({"person": f"{person} holds this seat, so cannot substitute for it"})
    substitute, _ = Substitute.objects.get_or_create(seat=seat, person=person)
    return substitute


def _save(instance) -> None:
    """Save, turning a database constraint the checks missed (a race) into a clear message."""
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError as error:
        text = str(error)
        if "one_chair_seat_per_body" in text:
            message = "This body already has a chair then."
        elif "one_vice_chair_seat_per_body" in text:
            message = "This body already has a vice-chair then."
        elif "membership_holders_within_max" in text:
            message = "The seat already has as many holders as it allows then."
        elif "membership_person_once_per_seat" in text:
            message = "This person already holds the seat then."
        else:
            raise
        raise ValidationError(message, code="constraint") from error


@transaction.atomic
def save_seat(*, seat: Seat, by=None) -> Seat:
    check_seat(seat)
    _save(seat)
    return seat
