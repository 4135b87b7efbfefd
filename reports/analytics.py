"""Governance analytics for a partnership: attendance, meeting burden and RAG ratings.

Each function reads a fixed number of queries however many bodies, meetings or people there are,
and returns plain rows the dashboard draws as charts and tables.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Max, Q
from django.utils import timezone

from meetings.models import Attendance, Meeting
from membership.models import Membership, Person
from membership.visibility import shown_name
from partnerships.models import Body, Organisation, TermsOfReference

from .models import RAG, AnnualReport, ReportLine

QUARTERS_SHOWN = 8
DEFAULT_MEETING_HOURS = 2.0
NO_ORGANISATION = "No organisation recorded"


@dataclass
class Rate:
    """How many of the voting members expected came, in person or through a substitute."""

    expected: int = 0
    attended: int = 0

    @property
    def percent(self) -> int | None:
        return round(100 * self.attended / self.expected) if self.expected else None

    def add(self, *, attended: bool) -> None:
        self.expected += 1
        self.attended += attended


def quarter_of(day: datetime.date) -> datetime.date:
    """The first day of the calendar quarter the day falls in."""
    return datetime.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def quarter_label(start: datetime.date) -> str:
    last_month = datetime.date(start.year, start.month + 2, 1)
    return f"{start:%b} to {last_month:%b %Y}"


def _previous_quarter(start: datetime.date) -> datetime.date:
    return quarter_of(start - datetime.timedelta(days=1))


@dataclass
class AttendanceRates:
    """Attendance rates for the latest quarters with held meetings."""

    quarters: list[datetime.date] = field(default_factory=list)
    overall: dict[datetime.date, Rate] = field(default_factory=dict)
    # body -> quarter -> rate, in the order of the bodies given.
    by_body: list[tuple[Body, list[Rate | None]]] = field(default_factory=list)
    by_organisation: list[tuple[str, Rate]] = field(default_factory=list)


@dataclass
class Burden:
    """Hours a year of meetings someone (or an organisation's people) is expected at."""

    name: str
    hours: float
    seats: int
    person: Person | None = None


@dataclass
class Dashboard:
    on: datetime.date
    bodies: list[Body]
    attendance: AttendanceRates
    people: list[Burden]
    organisations: list[Burden]
    unknown_frequency: list[Body]
    rag_period: datetime.date | None
    rag_counts: dict[str, int]
    rag_reports: int


def dashboard(partnership, *, user, names_visible: bool, on: datetime.date | None = None):
    """Everything the analytics page shows, in a fixed number of queries."""
    on = on or timezone.localdate()
    bodies = list(Body.objects.filter(partnership=partnership).alive(on).order_by("name"))
    meetings = list(
        Meeting.objects.filter(body__in=bodies, status=Meeting.Status.HELD, starts_at__date__lte=on)
        .only("id", "body_id", "starts_at", "ends_at")
        .order_by("starts_at")
    )
    hours = _meeting_hours(meetings)
    window = _window(meetings)
    # Holdings over the attendance window and today's, for the burden, in one query.
    since = window[0] if window else on
    holdings = list(
        Membership.objects.filter(seat__body__in=bodies, person__isnull=False, starts_on__lte=on)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gt=since))
        .select_related("person", "organisation", "seat__nominating_organisation")
    )
    attendance = _attendance(bodies, meetings, holdings, window)
    people, organisations, unknown = _burden(bodies, holdings, hours, on, names_visible)
    period, counts, reports = _rag(partnership, user)
    return Dashboard(
        on=on,
        bodies=bodies,
        attendance=attendance,
        people=people,
        organisations=organisations,
        unknown_frequency=unknown,
        rag_period=period,
        rag_counts=counts,
        rag_reports=reports,
    )


def _meeting_hours(meetings: list[Meeting]) -> dict[int, float]:
    """Each body's average length of its held meetings that have an end time, in hours."""
    lengths = defaultdict(list)
    for meeting in meetings:
        if meeting.ends_at:
            lengths[meeting.body_id].append((meeting.ends_at - meeting.starts_at).total_seconds())
    return {body: sum(seconds) / len(seconds) / 3600 for body, seconds in lengths.items()}


def _window(meetings: list[Meeting]) -> list[datetime.date]:
    """The quarters to show, oldest first: up to the latest with a held meeting."""
    if not meetings:
        return []
    quarters = [quarter_of(timezone.localdate(meetings[-1].starts_at))]
    while len(quarters) < QUARTERS_SHOWN:
        quarters.insert(0, _previous_quarter(quarters[0]))
    return quarters


def _organisation_of(holding: Membership) -> Organisation | None:
    return holding.organisation or holding.seat.nominating_organisation


def _attendance(bodies, meetings, holdings, window) -> AttendanceRates:
    result = AttendanceRates(quarters=window, overall={quarter: Rate() for quarter in window})
    if not window:
        result.by_body = [(body, []) for body in bodies]
        return result
    meetings = [m for m in meetings if timezone.localdate(m.starts_at) >= window[0]]
    # Present in person, or represented by a substitute who was present.
    came = defaultdict(set)
    for meeting_id, person_id, substitute_for_id in Attendance.objects.filter(
        meeting__in=meetings, status=Attendance.Status.PRESENT
    ).values_list("meeting_id", "person_id", "substitute_for_id"):
        came[meeting_id] |= {person_id, substitute_for_id} - {None}
    voting = defaultdict(list)
    for holding in holdings:
        if holding.seat.voting:
            voting[holding.seat.body_id].append(holding)
    cells = defaultdict(lambda: defaultdict(Rate))
    organisations = defaultdict(Rate)
    for meeting in meetings:
        day = timezone.localdate(meeting.starts_at)
        quarter = quarter_of(day)
        # A job share's holders are each expected; the register records each of them.
        for holding in voting[meeting.body_id]:
            if holding.starts_on > day or (holding.ends_on and holding.ends_on <= day):
                continue
            attended = holding.person_id in came[meeting.pk]
            cells[meeting.body_id][quarter].add(attended=attended)
            result.overall[quarter].add(attended=attended)
            organisation = _organisation_of(holding)
            organisations[organisation.name if organisation else NO_ORGANISATION].add(
                attended=attended
            )
    result.by_body = [
        (body, [cells[body.pk].get(quarter) for quarter in window]) for body in bodies
    ]
    result.by_organisation = sorted(organisations.items(), key=lambda row: row[0].lower())
    return result


def _burden(bodies, holdings, hours, on, names_visible):
    frequency = dict(
        TermsOfReference.objects.filter(
            body__in=bodies, status=TermsOfReference.Status.AGREED
        ).values_list("body_id", "meetings_per_year")
    )
    # A person holding two seats on one body still goes to each meeting once.
    seats = defaultdict(dict)
    organisations = defaultdict(dict)
    people = {}
    for holding in holdings:
        if holding.starts_on > on or (holding.ends_on and holding.ends_on <= on):
            continue
        body_id = holding.seat.body_id
        yearly = (frequency.get(body_id) or 0) * hours.get(body_id, DEFAULT_MEETING_HOURS)
        people[holding.person_id] = holding.person
        seats[holding.person_id][body_id] = yearly
        organisation = _organisation_of(holding)
        name = organisation.name if organisation else NO_ORGANISATION
        organisations[name][(holding.person_id, body_id)] = yearly
    by_person = sorted(
        (
            Burden(
                name=shown_name(people[pk], names_visible=names_visible),
                hours=round(sum(bodies_.values()), 1),
                seats=len(bodies_),
                person=people[pk],
            )
            for pk, bodies_ in seats.items()
        ),
        key=lambda row: (-row.hours, row.person.sort_name),
    )
    by_organisation = sorted(
        (
            Burden(name=name, hours=round(sum(rows.values()), 1), seats=len(rows))
            for name, rows in organisations.items()
        ),
        key=lambda row: (-row.hours, row.name.lower()),
    )
    unknown = [body for body in bodies if not frequency.get(body.pk)]
    return by_person, by_organisation, unknown


def _rag(partnership, user):
    """Counts of red, amber and green lines in the submitted reports of the latest period."""
    reports = (
        AnnualReport.objects.visible_to(user)
        .filter(body__partnership=partnership)
        .exclude(status=AnnualReport.Status.DRAFTING)
    )
    period = reports.aggregate(latest=Max("period_ends_on"))["latest"]
    counts = dict.fromkeys(RAG.values, 0)
    if period is None:
        return None, counts, 0
    latest = reports.filter(period_ends_on=period)
    rows = (
        ReportLine.objects.filter(report__in=latest)
        .exclude(rag="")
        .values("rag")
        .annotate(lines=Count("pk"))
    )
    for row in rows:
        counts[row["rag"]] = row["lines"]
    return period, counts, latest.count()
