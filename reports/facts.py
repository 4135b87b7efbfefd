"""What the system itself holds about a body for a report's period: the governance section.

`facts_for` reads meetings, attendance, decisions, actions, membership, terms of reference and
money for one body and period in a fixed number of queries, however many meetings there were,
and returns plain JSON-serialisable data, stored on the report when it is submitted
(`AnnualReport.facts`) so the report keeps saying what was true then.

Counting rules:
- planned meetings: the agreed terms' meetings a year, pro rata for the days of the period they
  were in force;
- held: meetings marked held, or with attendance recorded, unless cancelled (counted apart);
- attendance: per held meeting, each voting seat that had a holder that day is expected once (a
  job share counts once); it is attended when a holder or a substitute for one is present;
- quorum: counting the quorum of every meeting would cost queries per meeting, so the facts
  give the held meetings with a decision recorded as taken without a quorum;
- actions at period end: open (not closed at a meeting on or before the end) and overdue (open
  and due before the end);
- membership: holdings that started or ended in the period, and voting or non-voting seats in
  force at the end with no holder.
"""

import datetime
from collections import Counter, defaultdict

from django.db.models import Exists, OuterRef, Prefetch, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from meetings.models import Action, Attendance, Decision, Meeting
from membership.models import NON_VOTING_ROLES, Membership, Seat
from partnerships.models import TermsOfReference

from .models import FundingAllocation, FundingStream, SupportPost

DAYS_IN_YEAR = 365.25
ONE_DAY = datetime.timedelta(days=1)


def facts_for(body, period_starts_on: datetime.date, period_ends_on: datetime.date) -> dict:
    """The governance facts of the body for the period, as JSON-serialisable data."""
    start, end = period_starts_on, period_ends_on
    meetings = _meetings(body, start, end)
    held = [m for m in meetings if m["held"]]
    seats, holdings = _seats_and_holdings(body, start, end)
    return {
        "period": {"starts_on": start.isoformat(), "ends_on": end.isoformat()},
        "meetings": {
            **_planned(body, start, end),
            "held": len(held),
            "cancelled": sum(1 for m in meetings if m["status"] == Meeting.Status.CANCELLED),
            "held_on": [m["on"].isoformat() for m in held],
        },
        "attendance": _attendance(held, seats, holdings),
        "quorum": _quorum(held),
        "decisions": _decisions(body, start, end),
        "actions": _actions(body, start, end),
        "membership": _membership(seats, holdings, start, end),
        "terms_of_reference": _terms_changes(body, start, end),
        "funding": _funding(body, start, end),
    }


def _local_date(value: datetime.datetime) -> datetime.date:
    return timezone.localdate(value)


def _rate(attended: int, expected: int) -> float | None:
    return round(100 * attended / expected, 1) if expected else None


def _money(value) -> str | None:
    return None if value is None else f"{value:.2f}"


def _iso(value: datetime.date | None) -> str | None:
    return value.isoformat() if value else None


# Meetings


def _planned(body, start, end) -> dict:
    # 1 query: agreed (or since superseded) terms of reference, in the order they took effect.
    terms = list(
        TermsOfReference.objects.filter(
            body=body, status__in=["agreed", "superseded"], agreed_on__isnull=False
        )
        .annotate(in_force_on=Coalesce("effective_on", "agreed_on"))
        .filter(in_force_on__lte=end)
        .order_by("in_force_on", "version")
    )
    # Each version plans its meetings a year for the days of the period it was in force.
    planned = 0.0
    for terms_, following in zip(terms, [*terms[1:], None], strict=False):
        if not terms_.meetings_per_year:
            continue
        window_starts = max(start, terms_.in_force_on)
        window_ends = end if following is None else following.in_force_on - ONE_DAY
        if window_ends >= window_starts:
            days = (window_ends - window_starts).days + 1
            planned += terms_.meetings_per_year * days / DAYS_IN_YEAR
    current = terms[-1] if terms else None
    return {
        "planned": round(planned) if current and current.meetings_per_year else None,
        "meetings_per_year": current.meetings_per_year if current else None,
    }


def _meetings(body, start, end) -> list[dict]:
    # 1 query: the body's meetings in the period, with whether attendance was recorded.
    rows = (
        Meeting.objects.filter(body=body, starts_at__date__gte=start, starts_at__date__lte=end)
        .annotate(has_register=Exists(Attendance.objects.filter(meeting=OuterRef("pk"))))
        .values("pk", "starts_at", "status", "has_register")
        .order_by("starts_at", "pk")
    )
    meetings = []
    for row in rows:
        status = row["status"]
        held = status == Meeting.Status.HELD or (
            row["has_register"] and status != Meeting.Status.CANCELLED
        )
        meetings.append(
            {"pk": row["pk"], "on": _local_date(row["starts_at"]), "status": status, "held": held}
        )
    if meetings:
        # 1 query: the inquorate decisions of those meetings (read here, used by _quorum).
        inquorate = set(
            Decision.objects.filter(
                item__meeting_id__in=[m["pk"] for m in meetings], was_inquorate=True
            ).values_list("item__meeting_id", flat=True)
        )
        for meeting in meetings:
            meeting["inquorate_decision"] = meeting["pk"] in inquorate
    return meetings


def _quorum(held) -> dict:
    return {
        "meetings_with_inquorate_decisions": sum(1 for m in held if m["inquorate_decision"]),
        "basis": "Held meetings with a decision recorded as taken without a quorum",
    }


# Seats, holdings and attendance


def _seats_and_holdings(body, start, end):
    # 1 query: every seat of the body that existed at some point in the period.
    seats = list(
        Seat.objects.filter(body=body)
        .filter(Q(starts_on__isnull=True) | Q(starts_on__lte=end))
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gt=start))
        .select_related("nominating_organisation")
        .order_by("order", "pk")
    )
    # 1 query: holdings of those seats, or of the seats ex officio seats follow, in the period.
    sources = {seat.ex_officio_of_id for seat in seats if seat.ex_officio_of_id}
    holdings = defaultdict(list)
    for holding in (
        Membership.objects.filter(
            Q(seat__in=[seat.pk for seat in seats]) | Q(seat__in=sources),
            starts_on__lte=end,
        )
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gt=start))
        .select_related("organisation")
        .order_by("starts_on", "pk")
    ):
        holdings[holding.seat_id].append(holding)
    return seats, holdings


def _seat_in_force(seat, on) -> bool:
    return (seat.starts_on is None or seat.starts_on <= on) and (
        seat.ends_on is None or seat.ends_on > on
    )


def _holders(seat, holdings, on) -> list:
    source = seat.ex_officio_of_id or seat.pk
    return [
        h
        for h in holdings.get(source, [])
        if h.starts_on <= on and (h.ends_on is None or h.ends_on > on)
    ]


def _votes(seat) -> bool:
    return seat.voting and seat.role not in NON_VOTING_ROLES


def _organisation_of(seat, holders) -> str:
    for holding in holders:
        if holding.organisation_id:
            return holding.organisation.name
    if seat.nominating_organisation_id:
        return seat.nominating_organisation.name
    return "Not recorded"


def _attendance(held, seats, holdings) -> dict:
    by_seat = {seat.pk: {"seat": seat.label, "expected": 0, "attended": 0} for seat in seats}
    by_organisation: dict[str, dict] = {}
    if held:
        # 1 query: who was present at the held meetings, in person or as a substitute.
        present = defaultdict(list)
        for row in Attendance.objects.filter(
            meeting_id__in=[m["pk"] for m in held], status=Attendance.Status.PRESENT
        ).values("meeting_id", "seat_id", "person_id", "substitute_for_id"):
            present[row["meeting_id"]].append(row)
    for meeting in held:
        on = meeting["on"]
        rows = present[meeting["pk"]]
        for seat in seats:
            if not (_votes(seat) and _seat_in_force(seat, on)):
                continue
            holders = _holders(seat, holdings, on)
            if not holders:
                continue
            people = {h.person_id for h in holders if h.person_id}
            attended = any(
                row["seat_id"] == seat.pk
                or (row["seat_id"] is None and row["substitute_for_id"] in people)
                or (
                    row["seat_id"] is None
                    and row["substitute_for_id"] is None
                    and row["person_id"] in people
                )
                for row in rows
            )
            organisation = _organisation_of(seat, holders)
            tally = by_organisation.setdefault(
                organisation, {"organisation": organisation, "expected": 0, "attended": 0}
            )
            for counts in (by_seat[seat.pk], tally):
                counts["expected"] += 1
                counts["attended"] += attended
    seat_rows = [counts for counts in by_seat.values() if counts["expected"]]
    expected = sum(counts["expected"] for counts in seat_rows)
    attended = sum(counts["attended"] for counts in seat_rows)
    for counts in [*seat_rows, *by_organisation.values()]:
        counts["rate"] = _rate(counts["attended"], counts["expected"])
    return {
        "expected": expected,
        "attended": attended,
        "rate": _rate(attended, expected),
        "by_seat": seat_rows,
        "by_organisation": sorted(by_organisation.values(), key=lambda c: c["organisation"]),
    }


def _membership(seats, holdings, start, end) -> dict:
    own = [h for seat in seats for h in holdings.get(seat.pk, [])]
    vacant = [
        seat.label
        for seat in seats
        if _seat_in_force(seat, end) and not _holders(seat, holdings, end)
    ]
    return {
        "started": sum(1 for h in own if start <= h.starts_on <= end),
        # ends_on is the first day no longer held: the last day held falls in the period.
        "ended": sum(1 for h in own if h.ends_on and start < h.ends_on <= end + ONE_DAY),
        "vacancies_at_end": len(vacant),
        "vacant_seats": vacant,
    }


# Decisions and actions


def _decisions(body, start, end) -> dict:
    # 1 query: decisions at the body's meetings in the period, by outcome.
    outcomes = Counter(
        Decision.objects.filter(
            item__meeting__body=body,
            item__meeting__starts_at__date__gte=start,
            item__meeting__starts_at__date__lte=end,
        ).values_list("outcome", flat=True)
    )
    labels = dict(Decision.Outcome.choices)
    return {
        "total": sum(outcomes.values()),
        "by_outcome": [
            {"outcome": outcome, "label": labels[outcome], "count": outcomes[outcome]}
            for outcome in Decision.Outcome.values
            if outcomes[outcome]
        ],
    }


def _actions(body, start, end) -> dict:
    # 1 query: actions from the body's meetings up to the period end, with when they closed.
    rows = Action.objects.filter(meeting__body=body, meeting__starts_at__date__lte=end).values(
        "meeting__starts_at", "due_on", "status", "closed_at__starts_at"
    )
    opened = closed = open_at_end = overdue = 0
    for row in rows:
        raised_on = _local_date(row["meeting__starts_at"])
        closed_on = row["closed_at__starts_at"] and _local_date(row["closed_at__starts_at"])
        is_closed = row["status"] == Action.Status.CLOSED and closed_on and closed_on <= end
        opened += raised_on >= start
        closed += bool(is_closed and closed_on >= start)
        if not is_closed:
            open_at_end += 1
            overdue += row["due_on"] < end
    return {
        "opened": opened,
        "closed": closed,
        "open_at_end": open_at_end,
        "overdue_at_end": overdue,
    }


# Terms of reference and money


def _terms_changes(body, start, end) -> dict:
    # 1 query: versions agreed in the period.
    agreed = TermsOfReference.objects.filter(
        body=body, agreed_on__gte=start, agreed_on__lte=end
    ).order_by("agreed_on", "version")
    return {
        "agreed_in_period": [
            {
                "version": terms.version,
                "agreed_on": terms.agreed_on.isoformat(),
                "effective_on": _iso(terms.effective_on),
            }
            for terms in agreed
        ]
    }


def _in_force(start, end) -> Q:
    return (Q(starts_on__isnull=True) | Q(starts_on__lte=end)) & (
        Q(ends_on__isnull=True) | Q(ends_on__gt=start)
    )


def _funding(body, start, end) -> dict:
    # 2 queries: streams paid to the body in the period, and their allocations.
    streams = (
        FundingStream.objects.filter(_in_force(start, end), recipient_body=body)
        .select_related("funder")
        .prefetch_related(
            Prefetch(
                "allocations",
                FundingAllocation.objects.select_related("body", "post").order_by("pk"),
            )
        )
        .order_by("name", "pk")
    )
    # 1 query: shares of other streams allocated to the body.
    received = (
        FundingAllocation.objects.filter(
            Q(stream__starts_on__isnull=True) | Q(stream__starts_on__lte=end),
            Q(stream__ends_on__isnull=True) | Q(stream__ends_on__gt=start),
            body=body,
        )
        .exclude(stream__recipient_body=body)
        .select_related("stream__funder")
        .order_by("stream__name", "pk")
    )
    # 1 query: staff posts supporting the body in the period.
    posts = (
        SupportPost.objects.filter(Q(ends_on__isnull=True) | Q(ends_on__gt=start), supports=body)
        .select_related("employer")
        .order_by("title", "pk")
    )
    return {
        "streams": [
            {
                "name": stream.name,
                "funder": stream.funder.name,
                "amount_per_year": _money(stream.amount_per_year),
                "ends_on": _iso(stream.ends_on),
                "allocations": [
                    {
                        "to": str(allocation.body or allocation.post or allocation.purpose),
                        "amount_per_year": _money(allocation.amount_per_year),
                    }
                    for allocation in stream.allocations.all()
                ],
            }
            for stream in streams
        ],
        "allocations_received": [
            {
                "stream": allocation.stream.name,
                "funder": allocation.stream.funder.name,
                "amount_per_year": _money(allocation.amount_per_year),
                "ends_on": _iso(allocation.stream.ends_on),
            }
            for allocation in received
        ],
        "posts": [
            {
                "title": post.title,
                "employer": post.employer.name,
                "fte": f"{post.fte:.2f}",
                "ends_on": _iso(post.ends_on),
            }
            for post in posts
        ],
    }
