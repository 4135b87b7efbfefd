"""Calendar feeds (public, body, personal) and the "my meetings" page."""

import datetime
import zoneinfo

import icalendar
import pytest
import vobject
from django.urls import reverse
from django.utils import timezone

from meetings.models import CalendarToken, Meeting
from tests.factories import (
    AgendaItemFactory,
    BodyFactory,
    MeetingFactory,
    MembershipFactory,
    PersonFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

LONDON = zoneinfo.ZoneInfo("Europe/London")
UTC = datetime.UTC
EXEMPT_MARKER = "Procurement of the zq7-exempt-marker contract"


def london(*args):
    return datetime.datetime(*args, tzinfo=LONDON)


@pytest.fixture
def board():
    return BodyFactory(name="Children's Trust Board", meets_in_public=True)


@pytest.fixture
def spring(board):
    """Meetings either side of the clock change on Sunday 29 March 2026, agendas published."""
    before = MeetingFactory(
        body=board, starts_at=london(2026, 3, 24, 14), agenda_published_at=timezone.now()
    )
    after = MeetingFactory(
        body=board,
        starts_at=london(2026, 3, 31, 14),
        ends_at=london(2026, 3, 31, 16, 30),
        agenda_published_at=timezone.now(),
    )
    AgendaItemFactory(meeting=before, order=1, title="Early help strategy")
    AgendaItemFactory(
        meeting=before,
        order=2,
        title=EXEMPT_MARKER,
        is_exempt=True,
        exempt_paragraph=3,
        public_interest_statement="Commercially sensitive tender prices",
    )
    return before, after


def seated(body, *, with_user=True):
    person = PersonFactory(user=UserFactory() if with_user else None)
    MembershipFactory(person=person, seat__body=body)
    return person


def feed(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status
    return response


def unfolded(response) -> str:
    """The feed's text with long lines joined again, for searching."""
    return response.content.decode().replace("\r\n ", "")


# The acceptance test ------------------------------------------------------------------------


def test_the_feed_parses_with_two_parsers_with_correct_utc_times_either_side_of_a_clock_change(
    client, spring
):
    response = feed(client, reverse("meetings:calendar-public"))
    text = response.content.decode()

    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    # One time zone, covering just the clock change between the meetings.
    assert text.count("BEGIN:VTIMEZONE") == 1
    assert text.count("TZID:Europe/London") == 1
    assert text.count("BEGIN:DAYLIGHT") == 1
    with_vobject = vobject.readOne(text)
    vobject_times = sorted(
        (event.dtstart.value.astimezone(UTC), event.dtend.value.astimezone(UTC))
        for event in with_vobject.vevent_list
    )
    with_icalendar = icalendar.Calendar.from_ical(text)
    icalendar_times = sorted(
        (event.start.astimezone(UTC), event.end.astimezone(UTC)) for event in with_icalendar.events
    )
    assert (
        vobject_times
        == icalendar_times
        == [
            (
                datetime.datetime(2026, 3, 24, 14, tzinfo=UTC),
                datetime.datetime(2026, 3, 24, 16, tzinfo=UTC),
            ),
            (
                datetime.datetime(2026, 3, 31, 13, tzinfo=UTC),
                datetime.datetime(2026, 3, 31, 15, 30, tzinfo=UTC),
            ),
        ]
    )
    assert text.count("DTSTART;TZID=Europe/London:") == 2


def test_an_event_has_a_stable_uid_summary_location_sequence_and_links(client, board, spring):
    before, _ = spring
    before.title = "Special meeting"
    before.online_url = "https://meet.example.org/trust"
    before.calendar_sequence = 3
    before.save()

    first = icalendar.Calendar.from_ical(feed(client, reverse("meetings:calendar-public")).content)
    second = icalendar.Calendar.from_ical(feed(client, reverse("meetings:calendar-public")).content)

    events = {str(event["UID"]): event for event in first.events}
    event = events[f"meeting-{before.pk}@testserver"]
    assert sorted(events) == sorted(str(event["UID"]) for event in second.events)
    assert str(event["SUMMARY"]) == "Special meeting"
    assert str(event["LOCATION"]) == "Shire Hall, Cambridge"
    assert event["SEQUENCE"] == 3
    assert str(event["STATUS"]) == "CONFIRMED"
    assert str(event["URL"]) == "https://meet.example.org/trust"
    assert str(event["DESCRIPTION"]) == (
        f"Meeting page: http://testserver/meetings/{before.pk}/\n"
        "Join online: https://meet.example.org/trust\n"
        "\n"
        "Agenda:\n"
        "1. Early help strategy"
    )
    other = events[f"meeting-{spring[1].pk}@testserver"]
    assert str(other["SUMMARY"]) == "Children's Trust Board"


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (Meeting.Status.CANCELLED, "CANCELLED"),
        (Meeting.Status.POSTPONED, "TENTATIVE"),
        (Meeting.Status.HELD, "CONFIRMED"),
    ],
)
def test_cancelled_meetings_are_still_sent_as_cancelled(client, spring, status, expected):
    before, _ = spring
    Meeting.objects.filter(pk=before.pk).update(status=status, calendar_sequence=1)

    calendar = icalendar.Calendar.from_ical(
        feed(client, reverse("meetings:calendar-public")).content
    )

    event = next(e for e in calendar.events if str(e["UID"]).startswith(f"meeting-{before.pk}@"))
    assert (str(event["STATUS"]), event["SEQUENCE"]) == (expected, 1)
    assert len(calendar.events) == 2


# Visibility ---------------------------------------------------------------------------------


def test_public_feed_has_public_meetings_only_and_never_exempt_items(
    client, board, spring, django_assert_num_queries
):
    private = MeetingFactory(body=BodyFactory(), is_public=False, title="Closed workshop")

    # meetings, items
    with django_assert_num_queries(2):
        text = unfolded(feed(client, reverse("meetings:calendar-public")))

    assert "Closed workshop" not in text
    assert f"meeting-{private.pk}@" not in text
    assert "Early help strategy" in text
    assert "zq7-exempt-marker" not in text


def test_body_feed_has_that_bodys_visible_meetings_without_exempt_items(client, board, spring):
    MeetingFactory(title="Another body's meeting")
    url = reverse("meetings:calendar-body", kwargs={"slug": board.slug})

    response = feed(client, url)
    calendar = icalendar.Calendar.from_ical(response.content)

    assert sorted(str(e["UID"]).split("@")[0] for e in calendar.events) == sorted(
        f"meeting-{m.pk}" for m in spring
    )
    assert "zq7-exempt-marker" not in unfolded(response)
    assert "Another body" not in unfolded(response)
    assert feed(client, reverse("meetings:calendar-body", kwargs={"slug": "nope"}), 404)


def test_signed_in_non_member_sees_no_exempt_items_in_a_body_feed(client, board, spring):
    client.force_login(seated(BodyFactory()).user)

    response = feed(client, reverse("meetings:calendar-body", kwargs={"slug": board.slug}))

    assert "zq7-exempt-marker" not in unfolded(response)
    assert response["Cache-Control"] == "private, no-store"


def test_a_members_personal_feed_shows_exempt_item_titles(client, board, spring):
    member = seated(board)
    token = CalendarToken.objects.create(person=member)

    response = feed(client, reverse("meetings:calendar-person", kwargs={"token": token.token}))

    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert "zq7-exempt-marker" in unfolded(response)
    assert len(icalendar.Calendar.from_ical(response.content).events) == 2


def test_a_person_without_a_login_gets_the_public_view_of_their_meetings(client, board, spring):
    private = MeetingFactory(
        body=board, is_public=False, starts_at=london(2026, 4, 14, 10), title="Private session"
    )
    person = seated(board, with_user=False)
    token = CalendarToken.objects.create(person=person)

    text = unfolded(
        feed(client, reverse("meetings:calendar-person", kwargs={"token": token.token}))
    )

    assert "Early help strategy" in text
    assert "zq7-exempt-marker" not in text
    assert f"meeting-{private.pk}@" not in text


def test_a_former_member_loses_the_exempt_titles_and_private_meetings(client, board, spring):
    person = PersonFactory(user=UserFactory())
    MembershipFactory(person=person, seat__body=board, ends_on=datetime.date(2020, 1, 1))
    token = CalendarToken.objects.create(person=person)

    text = unfolded(
        feed(client, reverse("meetings:calendar-person", kwargs={"token": token.token}))
    )

    assert "BEGIN:VEVENT" not in text
    assert "zq7-exempt-marker" not in text


def test_a_personal_feed_only_has_the_persons_bodies(client, board, spring):
    other = MeetingFactory(title="Other board", starts_at=london(2026, 3, 25, 10))
    token = CalendarToken.objects.create(person=seated(board))

    text = unfolded(
        feed(client, reverse("meetings:calendar-person", kwargs={"token": token.token}))
    )

    assert f"meeting-{other.pk}@" not in text
    assert text.count("BEGIN:VEVENT") == 2


def test_personal_feed_query_count(client, board, spring, django_assert_num_queries):
    token = CalendarToken.objects.create(person=seated(board))
    url = reverse("meetings:calendar-person", kwargs={"token": token.token})

    # token (+person, user), seated bodies, ex officio bodies, roles, member bodies (direct or
    # ex officio, one query), meetings, items
    with django_assert_num_queries(7):
        feed(client, url)


def test_an_unknown_token_is_not_found(client, board, spring):
    CalendarToken.objects.create(person=seated(board))

    feed(client, reverse("meetings:calendar-person", kwargs={"token": "not-a-token"}), 404)


# My meetings --------------------------------------------------------------------------------


@pytest.fixture
def upcoming(board):
    soon = timezone.now() + datetime.timedelta(days=10)
    return MeetingFactory(body=board, starts_at=soon, title="Next board meeting")


def test_my_meetings_lists_only_the_users_bodies_upcoming_meetings(
    client, board, upcoming, django_assert_num_queries
):
    member = seated(board)
    MeetingFactory(body=board, starts_at=london(2020, 1, 8, 14), title="Long past meeting")
    MeetingFactory(starts_at=upcoming.starts_at, title="Someone else's meeting")
    CalendarToken.objects.create(person=member)
    client.force_login(member.user)

    # session, user, person, calendar token, roles, member bodies (one query), meetings
    with django_assert_num_queries(7):
        response = client.get(reverse("meetings:my-meetings"))

    page = response.content.decode()
    assert response.status_code == 200
    assert f'<a class="govuk-link" href="/meetings/{upcoming.pk}/">Next board meeting</a>' in page
    assert "Long past meeting" not in page
    assert "Someone else" not in page
    assert response["Cache-Control"] == "private, no-store"


def test_my_meetings_gives_a_private_calendar_address_made_on_first_visit(client, board):
    member = seated(board)
    client.force_login(member.user)

    page = client.get(reverse("meetings:my-meetings")).content.decode()

    token = CalendarToken.objects.get(person=member).token
    assert f"http://testserver/meetings/calendar/people/{token}.ics" in page
    assert f"webcal://testserver/meetings/calendar/people/{token}.ics" in page


def test_getting_a_new_address_stops_the_old_one_working(client, board, spring):
    member = seated(board)
    old = CalendarToken.objects.create(person=member).token
    client.force_login(member.user)

    response = client.post(reverse("meetings:my-meetings"), follow=True)

    new = CalendarToken.objects.get(person=member).token
    assert new != old
    assert "Your calendar has a new address: the old one no longer works" in (
        response.content.decode()
    )
    client.logout()
    feed(client, reverse("meetings:calendar-person", kwargs={"token": old}), 404)
    feed(client, reverse("meetings:calendar-person", kwargs={"token": new}), 200)


def test_my_meetings_without_a_person_says_so(client, board_member):
    client.force_login(board_member)

    response = client.get(reverse("meetings:my-meetings"))

    assert response.status_code == 200
    assert "Your sign-in is not linked to a member of any body" in response.content.decode()
    assert not CalendarToken.objects.exists()


def test_my_meetings_needs_signing_in(client):
    response = client.get(reverse("meetings:my-meetings"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
