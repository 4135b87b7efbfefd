"""Whether a meeting is quorate, at its start and on each item (R-Q-1, R-DOI-4).

The rule comes from the body's terms of reference agreed as at the meeting date: a number of
members, a share of the seats (filled or established), the chair or vice-chair, and
organisations that must be represented. A seat counts once however many of its holders come (a
job share), and counts when a substitute comes for its holder. On an item, members who declared
an interest and withdrew, and people who left before it, stop counting.
"""

import math
from dataclasses import dataclass, field
from fractions import Fraction

from django.db.models.functions import Coalesce
from django.utils import timezone

from membership.models import NON_VOTING_ROLES, Person, Seat, SeatRole
from membership.roster import seats_on
from partnerships.models import Organisation, TermsOfReference

from .models import AgendaItem, Attendance, Declaration, Meeting

NO_RULE = "No quorum rule in the terms of reference"
NO_CHAIR = "Neither the chair nor the vice-chair is present"
CHAIR_ROLES = {SeatRole.CHAIR, SeatRole.VICE_CHAIR, SeatRole.CO_CHAIR}
ADVISORY_ROLES = {SeatRole.ADVISOR, SeatRole.PARTICIPANT_OBSERVER}


@dataclass(frozen=True)
class Counted:
    """A seat counted towards the quorum, and who sat in it."""

    seat: Seat
    name: str
    person: Person | None = None
    substitute_for: Person | None = None


@dataclass
class QuorumResult:
    required: int
    present: int
    is_quorate: bool | None
    reasons: list[str] = field(default_factory=list)
    counted: list[Counted] = field(default_factory=list)
    item: AgendaItem | None = None


def _share(fraction) -> Fraction:
    # Two decimal places cannot hold a third: 0.33 and 0.67 stand for 1/3 and 2/3, so a
    # stored share within rounding of a simple fraction is read as that fraction.
    exact = Fraction(fraction)
    simple = exact.limit_denominator(12)
    return simple if abs(simple - exact) <= Fraction(1, 200) else exact


def item_key(item: AgendaItem) -> tuple[int, int]:
    """Agenda order: item 3 before 3.1 before 4."""
    if item.parent_id:
        return (item.parent.order, item.order)
    return (item.order, -1)


def agreed_terms(meeting: Meeting) -> TermsOfReference | None:
    """The terms of reference agreed and in force on the meeting date."""
    on = timezone.localdate(meeting.starts_at)
    return (
        TermsOfReference.objects.filter(
            body_id=meeting.body_id, status__in=["agreed", "superseded"], agreed_on__isnull=False
        )
        .alias(in_force_on=Coalesce("effective_on", "agreed_on"))
        .filter(in_force_on__lte=on)
        .prefetch_related("quorum_required_organisations")
        .order_by("-version")
        .first()
    )


class QuorumCheck:
    """The quorum rule and the register of one meeting, loaded once, evaluated per item."""

    def __init__(self, meeting: Meeting, seats: list[Seat] | None = None):
        """`seats`: the body's seats from `seats_on` on the meeting date, if already read."""
        self.meeting = meeting
        self.terms = agreed_terms(meeting)
        if not self._has_rule():
            return
        on = timezone.localdate(meeting.starts_at)
        self.seats = (
            seats_on(Seat.objects.filter(body_id=meeting.body_id), on) if seats is None else seats
        )
        self.attendance = list(
            Attendance.objects.filter(meeting=meeting, status=Attendance.Status.PRESENT)
            .select_related("person", "substitute_for", "left_before_item__parent")
            .order_by("pk")
        )
        self.withdrawals = list(
            Declaration.objects.filter(meeting=meeting, withdrew=True, item__isnull=False).values(
                "person_id", "item_id"
            )
        )

    def _has_rule(self) -> bool:
        terms = self.terms
        return terms is not None and (
            terms.quorum_count is not None or terms.quorum_fraction is not None
        )

    def _counts(self, seat: Seat) -> bool:
        if seat.role == SeatRole.IN_ATTENDANCE or not seat.counts_for_quorum:
            return False
        if seat.role in ADVISORY_ROLES:
            return self.terms.quorum_counts_advisors
        return seat.voting and seat.role not in NON_VOTING_ROLES

    def required(self, seats: list[Seat]) -> int:
        terms = self.terms
        if terms.quorum_basis == TermsOfReference.QuorumBasis.FILLED:
            seats = [seat for seat in seats if not seat.is_vacant]
        needed = terms.quorum_count or 0
        if terms.quorum_fraction is not None:
            needed = max(needed, math.ceil(_share(terms.quorum_fraction) * len(seats)))
        return needed

    def _here(self, item: AgendaItem | None) -> list[Attendance]:
        if item is None:
            return self.attendance
        key = item_key(item)
        withdrawn = {
            row["person_id"]
            for row in self.withdrawals
            if row["item_id"] in (item.pk, item.parent_id)
        }
        return [
            row
            for row in self.attendance
            if row.person_id not in withdrawn
            and (row.left_before_item is None or item_key(row.left_before_item) > key)
        ]

    def at(self, item: AgendaItem | None = None) -> QuorumResult:
        if not self._has_rule():
            return QuorumResult(
                required=0, present=0, is_quorate=None, reasons=[NO_RULE], item=item
            )
        terms = self.terms
        counting = [seat for seat in self.seats if self._counts(seat)]
        required = self.required(counting)

        here = self._here(item)
        by_seat: dict[int, list[Attendance]] = {}
        holder_seats: dict[int, list[int]] = {}
        for seat in self.seats:
            for holding in seat.holders:
                if holding.person_id:
                    holder_seats.setdefault(holding.person_id, []).append(seat.pk)
        for row in here:
            if row.seat_id:
                seat_ids = [row.seat_id]
            else:
                seat_ids = holder_seats.get(row.substitute_for_id or row.person_id, [])
            for seat_id in seat_ids:
                by_seat.setdefault(seat_id, []).append(row)

        counted: list[Counted] = []
        used: set[int] = set()
        chair_here = False
        organisations_here: set[int] = set()
        for seat in self.seats:
            holders = {h.person_id: h for h in seat.holders if h.person_id}
            for row in by_seat.get(seat.pk, []):
                if row.person_id and row.person_id in used:
                    continue
                is_holder = row.person_id in holders and not row.substitute_for_id
                stands_in = row.substitute_for_id in holders
                rotation = seat.kind == Seat.Kind.ROTATION and not row.substitute_for_id
                if not (is_holder or stands_in or rotation):
                    continue
                if seat.role in CHAIR_ROLES and is_holder:
                    chair_here = True
                if not self._counts(seat):
                    continue
                if row.person_id:
                    used.add(row.person_id)
                holding = holders.get(row.substitute_for_id or row.person_id)
                if holding is None and seat.holders:
                    holding = seat.holders[0]
                if holding is not None and holding.organisation_id:
                    organisations_here.add(holding.organisation_id)
                counted.append(
                    Counted(
                        seat=seat,
                        name=row.person.full_name if row.person else row.name,
                        person=row.person,
                        substitute_for=row.substitute_for,
                    )
                )
                break

        present = len(counted)
        reasons = []
        if present < required:
            reasons.append(
                f"Only {present} of the {required} voting members needed for a quorum "
                f"{'is' if present == 1 else 'are'} present"
            )
        if terms.quorum_requires_chair and not chair_here:
            reasons.append(NO_CHAIR)
        missing: list[Organisation] = [
            organisation
            for organisation in terms.quorum_required_organisations.all()
            if organisation.pk not in organisations_here
        ]
        reasons += [f"No one from {organisation.name} is present" for organisation in missing]
        return QuorumResult(
            required=required,
            present=present,
            is_quorate=not reasons,
            reasons=reasons,
            counted=counted,
            item=item,
        )


def quorum(meeting: Meeting, item: AgendaItem | None = None) -> QuorumResult:
    """The quorum at the start of the meeting, or on one item."""
    return QuorumCheck(meeting).at(item)


def quorum_through(
    meeting: Meeting, items, seats: list[Seat] | None = None
) -> tuple[QuorumResult, list[QuorumResult]]:
    """The quorum at the start and on each of the items, in the same few queries."""
    check = QuorumCheck(meeting, seats)
    return check.at(), [check.at(item) for item in items]
