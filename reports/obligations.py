"""The reports each body owes up its reporting lines (R-AR-1, R-AR-2), derived, never stored.

A line with an annual cadence expects one report per financial year (1 April to 31 March), a
quarterly one a report per quarter of the financial year. A report is due in time for the
receiving body's first meeting after the period ends: by that meeting's paper deadline, or 30
days after the period ends when no meeting is scheduled yet.
"""

import dataclasses
import datetime
from collections import defaultdict

from django.db.models import Q
from django.utils import timezone

from meetings.deadlines import meeting_date, publication_deadline
from meetings.models import Meeting
from partnerships.models import Body, ReportingLine

from .models import AnnualReport

REPORTING_KINDS = [
    ReportingLine.Kind.REPORTS_TO,
    ReportingLine.Kind.ACCOUNTABLE_TO,
    ReportingLine.Kind.PROVIDES_REPORTS_TO,
]
CADENCE_KIND = {
    ReportingLine.Cadence.ANNUAL: AnnualReport.Kind.ANNUAL,
    ReportingLine.Cadence.QUARTERLY: AnnualReport.Kind.QUARTERLY,
}
DAYS_DUE_WITHOUT_MEETING = 30
NOT_YET_SUBMITTED = {"expected", AnnualReport.Status.DRAFTING}


@dataclasses.dataclass
class Obligation:
    """A report a body owes another for a period, and the report itself once started."""

    body: Body
    receiving_body: Body
    line: ReportingLine
    kind: str
    period_starts_on: datetime.date
    period_ends_on: datetime.date
    due_on: datetime.date
    report: AnnualReport | None
    status: str
    is_overdue: bool

    @property
    def period_label(self) -> str:
        start = self.period_starts_on
        if self.kind == AnnualReport.Kind.ANNUAL:
            return f"{start.year}/{str(start.year + 1)[2:]}"
        return f"{start:%B} to {self.period_ends_on:%B %Y}"

    @property
    def status_label(self) -> str:
        if self.report is None:
            return "Expected"
        return self.report.get_status_display()

    @property
    def kind_label(self) -> str:
        return AnnualReport.Kind(self.kind).label


def financial_year_start(day: datetime.date) -> datetime.date:
    return datetime.date(day.year if day.month >= 4 else day.year - 1, 4, 1)


def _add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    return datetime.date(day.year + month // 12, month % 12 + 1, 1)


def periods(kind: str, starts_on: datetime.date, ends_on: datetime.date):
    """(first day, last day) of each financial year or quarter overlapping [starts_on, ends_on]."""
    months = 12 if kind == AnnualReport.Kind.ANNUAL else 3
    start = financial_year_start(starts_on)
    while start <= ends_on:
        following = _add_months(start, months)
        if following > starts_on:
            yield start, following - datetime.timedelta(days=1)
        start = following


def _in_force(line: ReportingLine, starts_on: datetime.date, ends_on: datetime.date) -> bool:
    return (line.starts_on is None or line.starts_on <= ends_on) and (
        line.ends_on is None or line.ends_on > starts_on
    )


def due_date(meeting_days: list[datetime.date], period_ends_on: datetime.date) -> datetime.date:
    """The paper deadline of the first meeting whose deadline falls after the period ends."""
    for day in meeting_days:
        deadline = publication_deadline(day)
        if deadline > period_ends_on:
            return deadline
    return period_ends_on + datetime.timedelta(days=DAYS_DUE_WITHOUT_MEETING)


def receiving_meeting_days(body_ids, after: datetime.date) -> dict[int, list[datetime.date]]:
    """Days the bodies meet after a date, in order, per body: one query."""
    days = defaultdict(list)
    meetings = (
        Meeting.objects.filter(body_id__in=body_ids, starts_at__date__gt=after)
        .exclude(status__in=[Meeting.Status.CANCELLED, Meeting.Status.POSTPONED])
        .order_by("starts_at")
        .only("body_id", "starts_at")
    )
    for meeting in meetings:
        days[meeting.body_id].append(meeting_date(meeting))
    return days


def expected_reports(
    *,
    period_starts_on: datetime.date,
    period_ends_on: datetime.date,
    receiving_body: Body | None = None,
    body: Body | None = None,
    bodies=None,
    on: datetime.date | None = None,
) -> list[Obligation]:
    """The reports owed for periods overlapping [period_starts_on, period_ends_on], in three
    queries (reporting lines, reports, the receiving bodies' meetings).

    `bodies` (ids) keeps the obligations where one of them reports or receives.
    """
    on = on or timezone.localdate()
    lines = (
        ReportingLine.objects.filter(
            kind__in=REPORTING_KINDS, cadence__in=CADENCE_KIND, to_body__isnull=False
        )
        .current_between(period_starts_on, period_ends_on + datetime.timedelta(days=1))
        .select_related("from_body", "to_body")
        .order_by("from_body__name", "to_body__name", "pk")
    )
    if receiving_body is not None:
        lines = lines.filter(to_body=receiving_body)
    if body is not None:
        lines = lines.filter(from_body=body)
    if bodies is not None:
        lines = lines.filter(Q(from_body_id__in=bodies) | Q(to_body_id__in=bodies))
    lines = list(lines)
    if not lines:
        return []

    wanted = []
    for line in lines:
        kind = CADENCE_KIND[line.cadence]
        for starts_on, ends_on in periods(kind, period_starts_on, period_ends_on):
            if _in_force(line, starts_on, ends_on):
                wanted.append((line, kind, starts_on, ends_on))
    if not wanted:
        return []

    reports = AnnualReport.objects.filter(
        body_id__in={line.from_body_id for line in lines},
        receiving_body_id__in={line.to_body_id for line in lines},
        period_starts_on__in={starts_on for _, _, starts_on, _ in wanted},
    )
    by_key = {(r.body_id, r.receiving_body_id, r.kind, r.period_starts_on): r for r in reports}
    meeting_days = receiving_meeting_days(
        {line.to_body_id for line in lines}, min(ends_on for *_, ends_on in wanted)
    )

    obligations = []
    for line, kind, starts_on, ends_on in wanted:
        report = by_key.get((line.from_body_id, line.to_body_id, kind, starts_on))
        due_on = (report and report.due_on) or due_date(meeting_days[line.to_body_id], ends_on)
        status = report.status if report else "expected"
        obligations.append(
            Obligation(
                body=line.from_body,
                receiving_body=line.to_body,
                line=line,
                kind=kind,
                period_starts_on=starts_on,
                period_ends_on=ends_on,
                due_on=due_on,
                report=report,
                status=status,
                is_overdue=on > due_on and status in NOT_YET_SUBMITTED,
            )
        )
    obligations.sort(key=lambda o: (o.period_starts_on, o.body.name, o.receiving_body.name))
    return obligations


def due_on_for(*, receiving_body: Body, period_ends_on: datetime.date) -> datetime.date:
    """When a report for a period ending on the date is due to the receiving body."""
    days = receiving_meeting_days([receiving_body.pk], period_ends_on)
    return due_date(days[receiving_body.pk], period_ends_on)
