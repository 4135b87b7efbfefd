"""Proposing a body's meeting dates for a municipal year, with the warnings an officer checks.

- R-FREQ-1: as many meetings as the agreed terms of reference say, spread evenly over the year.
- R-MEM-7: someone who sits on this body and another that meets within two hours that day.
- R-FREQ-2: a sub-group should meet before the parent body it feeds, with time to report.
"""

import datetime
import zoneinfo
from dataclasses import dataclass, field

from django.db.models import Q

from membership.models import Membership
from partnerships.models import ReportingLine, TermsOfReference

from .deadlines import is_working_day
from .models import Meeting

LONDON = zoneinfo.ZoneInfo("Europe/London")
CLASH_WINDOW = datetime.timedelta(hours=2)
# A sub-group meeting this long after its parent's has missed it (R-FREQ-2) …
FEEDER_MISSED_WITHIN = datetime.timedelta(days=14)
# … and one this close before the parent's leaves too little time to report.
FEEDER_LEAD_TIME = datetime.timedelta(days=7)


def municipal_year(year: int) -> tuple[datetime.date, datetime.date]:
    """The first and last days of the municipal year starting in May of `year`."""
    return datetime.date(year, 5, 1), datetime.date(year + 1, 4, 30)


def current_municipal_year(today: datetime.date) -> int:
    return today.year if today.month >= 5 else today.year - 1


def agreed_meetings_per_year(body) -> int | None:
    terms = TermsOfReference.objects.filter(body=body, status=TermsOfReference.Status.AGREED)
    return terms.values_list("meetings_per_year", flat=True).first()


def is_available(day: datetime.date) -> bool:
    """A working day outside the Christmas and New Year break (24 December to 1 January)."""
    christmas = (day.month, day.day) >= (12, 24) or (day.month, day.day) == (1, 1)
    return is_working_day(day) and not christmas


def propose_dates(*, year: int, count: int, weekday: int) -> list[datetime.date]:
    """`count` dates on the weekday, one near the middle of each equal slice of the year.

    A date that falls on a bank holiday or over Christmas moves to the same weekday a week
    later (or earlier, at the end of the year).
    """
    first, last = municipal_year(year)
    slice_days = ((last - first).days + 1) / count
    dates = []
    for n in range(count):
        target = first + datetime.timedelta(days=round((n + 0.5) * slice_days))
        shift = (weekday - target.weekday()) % 7
        day = target + datetime.timedelta(days=shift if shift <= 3 else shift - 7)
        step = datetime.timedelta(weeks=1)
        while not is_available(day):
            day += step
            if day > last:
                step, day = -step, day - 2 * step
        dates.append(day)
    return dates


@dataclass
class ProposedMeeting:
    starts_at: datetime.datetime
    warnings: list[str] = field(default_factory=list)

    @property
    def date(self) -> datetime.date:
        return self.starts_at.date()

    @property
    def time_label(self) -> str:
        return time_display(self.starts_at)


def _local(moment: datetime.datetime) -> datetime.datetime:
    return moment.astimezone(LONDON)


def time_display(moment: datetime.datetime) -> str:
    """2pm, 2:30pm."""
    return f"{moment:%-I:%M}".removesuffix(":00") + ("am" if moment.hour < 12 else "pm")


def check_dates(*, body, starts: list[datetime.datetime]) -> list[ProposedMeeting]:
    """Each proposed start with its clash and feeder warnings (three queries)."""
    proposals = [ProposedMeeting(starts_at=_local(start)) for start in starts]
    if not proposals:
        return proposals
    first_day = min(p.date for p in proposals) - FEEDER_MISSED_WITHIN
    last_day = max(p.date for p in proposals) + FEEDER_LEAD_TIME

    # Holdings, in the period, of everyone who sits on this body in the period.
    in_period = Q(starts_on__lte=last_day) & (Q(ends_on__isnull=True) | Q(ends_on__gt=first_day))
    holdings = list(
        Membership.objects.filter(in_period)
        .filter(
            person__in=Membership.objects.filter(in_period, seat__body=body).values("person_id")
        )
        .values("person_id", "person__name", "seat__body_id", "starts_on", "ends_on")
    )
    parent_lines = ReportingLine.objects.primary().filter(from_body=body, to_body__isnull=False)
    parent_ids = set(
        parent_lines.current_between(first_day, last_day).values_list("to_body_id", flat=True)
    )
    other_body_ids = {h["seat__body_id"] for h in holdings} | parent_ids | {body.pk}
    others = list(
        Meeting.objects.filter(
            body_id__in=other_body_ids,
            starts_at__date__gte=first_day,
            starts_at__date__lte=last_day,
        )
        .exclude(status=Meeting.Status.CANCELLED)
        .select_related("body")
    )

    def sits_on(holding, body_id, day):
        return (
            holding["seat__body_id"] == body_id
            and holding["starts_on"] <= day
            and (holding["ends_on"] is None or holding["ends_on"] > day)
        )

    for proposal in proposals:
        day = proposal.date
        members = {h["person_id"]: h["person__name"] for h in holdings if sits_on(h, body.pk, day)}
        for meeting in others:
            starts_at = _local(meeting.starts_at)
            if meeting.body_id == body.pk:
                if starts_at.date() == day:
                    proposal.warnings.append(f"{body.name} already meets on this day")
                continue
            if starts_at.date() == day and abs(starts_at - proposal.starts_at) <= CLASH_WINDOW:
                both = sorted(
                    name
                    for person_id, name in members.items()
                    if any(
                        h["person_id"] == person_id and sits_on(h, meeting.body_id, day)
                        for h in holdings
                    )
                )
                if both:
                    proposal.warnings.append(
                        f"Clash: {', '.join(both)} also {'sit' if len(both) > 1 else 'sits'} "
                        f"on {meeting.body.name}, meeting at {time_display(starts_at)} that day"
                    )
            if meeting.body_id in parent_ids:
                gap = starts_at.date() - day
                if -FEEDER_MISSED_WITHIN.days <= gap.days < 0:
                    proposal.warnings.append(
                        f"Feeder: this is {-gap.days} days after {meeting.body.name} meets "
                        f"on {starts_at:%-d %B %Y}, so its report will miss that meeting"
                    )
                elif 0 <= gap.days < FEEDER_LEAD_TIME.days:
                    proposal.warnings.append(
                        f"Feeder: {meeting.body.name} meets {gap.days} days later, on "
                        f"{starts_at:%-d %B %Y}: allow at least {FEEDER_LEAD_TIME.days} days "
                        "to report to it"
                    )
    return proposals


def proposed_schedule(
    *, body, year: int, count: int, weekday: int, time: datetime.time
) -> list[ProposedMeeting]:
    starts = [
        datetime.datetime.combine(day, time, tzinfo=LONDON)
        for day in propose_dates(year=year, count=count, weekday=weekday)
    ]
    return check_dates(body=body, starts=starts)
