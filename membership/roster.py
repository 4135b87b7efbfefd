"""Reads of rosters: the seats of a body on a date with their holders, vacancies since when."""

import datetime

from django.db.models import Max, OuterRef, Prefetch, Q, Subquery

from .models import Membership, Substitute


def holdings_on(on: datetime.date):
    return Membership.objects.current(on).select_related("person", "organisation").order_by("pk")


def seats_on(seats, on: datetime.date):
    """Seats in force on the date with `holders` (ex officio seats: their source's holders),
    `standing_substitutes` and `vacant_since`, in a fixed number of queries."""
    last_ended = (
        Membership.objects.filter(seat=OuterRef("pk"), ends_on__lte=on)
        .order_by()
        .values("seat")
        .annotate(last=Max("ends_on"))
        .values("last")
    )
    substitutes = Substitute.objects.filter(
        Q(starts_on__isnull=True) | Q(starts_on__lte=on),
        Q(ends_on__isnull=True) | Q(ends_on__gt=on),
    ).select_related("person")
    seats = list(
        seats.current(on)
        .select_related("body", "represents", "nominating_organisation", "ex_officio_of")
        .annotate(last_holding_ended_on=Subquery(last_ended))
        .prefetch_related(
            Prefetch("memberships", holdings_on(on), to_attr="own_holders"),
            Prefetch("ex_officio_of__memberships", holdings_on(on), to_attr="own_holders"),
            Prefetch("substitutes", substitutes, to_attr="standing_substitutes"),
        )
        .order_by("order", "pk")
    )
    for seat in seats:
        source = seat.ex_officio_of
        seat.holders = source.own_holders if source is not None else seat.own_holders
        seat.is_vacant = not seat.holders
        seat.vacant_since = (
            (seat.last_holding_ended_on or seat.starts_on) if seat.is_vacant else None
        )
    return seats
