"""iCalendar feeds of meetings: public, per body and per person.

Each feed has a viewer, and the item titles in an event's description are the ones
`AgendaItem.objects.visible_to(viewer)` returns, so a feed never shows more than the same
person would see on the meeting page.
"""

import datetime
import zoneinfo
from collections import defaultdict

import icalendar
from django.http import HttpResponse

from membership.models import Membership, Seat

from .models import AgendaItem, Meeting

LONDON = zoneinfo.ZoneInfo("Europe/London")
# Meetings without an end time are shown as two hours long.
DEFAULT_LENGTH = datetime.timedelta(hours=2)
PRODID = "-//Partnership governance//Meetings//EN"
CONTENT_TYPE = "text/calendar; charset=utf-8"
EVENT_STATUS = {
    Meeting.Status.CANCELLED: "CANCELLED",
    Meeting.Status.POSTPONED: "TENTATIVE",
}


def seated_body_ids(person, on: datetime.date | None = None) -> frozenset[int]:
    """Bodies the person sits on at the date, through a seat or an ex officio seat."""
    holdings = Membership.objects.current(on or datetime.date.today()).filter(person=person)
    direct = holdings.values_list("seat__body_id", flat=True)
    ex_officio = (
        Seat.objects.current(on)
        .filter(ex_officio_of__in=holdings.values("seat_id"))
        .values_list("body_id", flat=True)
    )
    return frozenset(direct) | frozenset(ex_officio)


def visible_item_titles(meetings, viewer) -> dict[int, list[str]]:
    """Numbered titles of the items the viewer may see, by meeting id, in agenda order."""
    items = (
        AgendaItem.objects.visible_to(viewer)
        .filter(meeting__in=[meeting.pk for meeting in meetings])
        .select_related("parent")
    )
    by_meeting = defaultdict(list)
    for item in sorted(
        items,
        key=lambda item: (
            item.meeting_id,
            item.parent.order if item.parent_id else item.order,
            item.order if item.parent_id else -1,
        ),
    ):
        by_meeting[item.meeting_id].append(f"{item.number}. {item.title}")
    return by_meeting


def _description(meeting, page_url: str, titles: list[str]) -> str:
    lines = [f"Meeting page: {page_url}"]
    if meeting.online_url:
        lines.append(f"Join online: {meeting.online_url}")
    if titles:
        lines += ["", "Agenda:", *titles]
    return "\n".join(lines)


def build_calendar(meetings, *, viewer, name: str, host: str, absolute_url) -> bytes:
    """The iCalendar text for the meetings (with `body` selected) as the viewer may see them.

    `absolute_url(path)` turns a path into a full address for the links in descriptions.
    """
    meetings = list(meetings)
    titles = visible_item_titles(meetings, viewer) if meetings else {}
    calendar = icalendar.Calendar.new(name=name, prodid=PRODID, method="PUBLISH")
    # Outlook and Google read the older name property.
    calendar.add("X-WR-CALNAME", name)
    for meeting in meetings:
        starts_at = meeting.starts_at.astimezone(LONDON)
        ends_at = (meeting.ends_at or meeting.starts_at + DEFAULT_LENGTH).astimezone(LONDON)
        page_url = absolute_url(meeting.get_absolute_url())
        event = icalendar.Event.new(
            uid=f"meeting-{meeting.pk}@{host or 'partnership-governance'}",
            start=starts_at,
            end=ends_at,
            stamp=meeting.updated_at,
            summary=meeting.title or meeting.body.name,
            location=meeting.venue or None,
            description=_description(meeting, page_url, titles.get(meeting.pk, [])),
            sequence=meeting.calendar_sequence,
            status=EVENT_STATUS.get(meeting.status, "CONFIRMED"),
            url=meeting.online_url or page_url,
        )
        calendar.add_component(event)
    if meetings:
        calendar.add_missing_timezones(
            first_date=min(m.starts_at for m in meetings).astimezone(LONDON).date(),
            last_date=max(m.ends_at or m.starts_at + DEFAULT_LENGTH for m in meetings)
            .astimezone(LONDON)
            .date()
            + datetime.timedelta(days=1),
        )
    return calendar.to_ical()


def calendar_response(request, meetings, *, viewer, name: str) -> HttpResponse:
    body = build_calendar(
        meetings.select_related("body"),
        viewer=viewer,
        name=name,
        host=request.get_host().partition(":")[0],
        absolute_url=request.build_absolute_uri,
    )
    return HttpResponse(body, content_type=CONTENT_TYPE)
