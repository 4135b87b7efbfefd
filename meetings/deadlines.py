"""The access-to-information publication deadline (R-AI-2/3/4).

An agenda must be open to inspection at least five clear working days before the meeting: the
publication day and the meeting day do not count, nor do weekends or England and Wales bank
holidays (R v Swansea City Council, ex p Elitestone Ltd, 1993).
"""

import datetime
import zoneinfo
from functools import cache

import holidays
from django.utils import timezone

CLEAR_WORKING_DAYS = 5
LONDON = zoneinfo.ZoneInfo("Europe/London")


@cache
def _bank_holidays(year: int) -> frozenset[datetime.date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


def is_working_day(day: datetime.date) -> bool:
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


def _previous_working_day(day: datetime.date) -> datetime.date:
    day -= datetime.timedelta(days=1)
    while not is_working_day(day):
        day -= datetime.timedelta(days=1)
    return day


def publication_deadline(meeting_date: datetime.date) -> datetime.date:
    """The last working day to publish and still leave five clear working days to the meeting."""
    day = meeting_date
    for _ in range(CLEAR_WORKING_DAYS):
        day = _previous_working_day(day)
    return _previous_working_day(day)


def meeting_date(meeting) -> datetime.date:
    return timezone.localtime(meeting.starts_at, LONDON).date()


def is_late(meeting, on: datetime.date | None = None) -> bool:
    """Whether publishing the meeting's agenda on `on` (today by default) misses the deadline.

    Only bodies that follow the access-to-information rules have a deadline to miss.
    """
    if not meeting.body.follows_access_to_information_rules:
        return False
    on = on or timezone.localdate()
    return on > publication_deadline(meeting_date(meeting))
