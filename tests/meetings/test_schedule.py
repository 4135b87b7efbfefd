"""Planning a year of meetings: dates from the terms of reference, clash and feeder warnings."""

import datetime
import zoneinfo

import holidays
import pytest
from django.urls import reverse

from meetings import schedule
from meetings.models import Meeting
from partnerships.models import TermsOfReference
from tests.factories import (
    BodyFactory,
    MeetingFactory,
    MembershipFactory,
    PersonFactory,
    ReportingLineFactory,
)

pytestmark = pytest.mark.django_db

LONDON = zoneinfo.ZoneInfo("Europe/London")
URL = "/meetings/schedule/"
BANK_HOLIDAYS = holidays.country_holidays("GB", subdiv="ENG", years=[2026, 2027])


def london(*args):
    return datetime.datetime(*args, tzinfo=LONDON)


@pytest.fixture
def board():
    body = BodyFactory(name="Children's Trust Board")
    TermsOfReference.objects.create(
        body=body,
        version=1,
        status=TermsOfReference.Status.AGREED,
        agreed_on=datetime.date(2025, 4, 1),
        meetings_per_year=4,
    )
    return body


def plan(**overrides):
    return {
        "year": 2026,
        "weekday": 1,
        "time": "14:00",
        "venue": "Shire Hall, Cambridge",
        "preview": "",
        **overrides,
    }


# Dates ----------------------------------------------------------------------------------------


def test_four_meetings_a_year_are_spread_over_the_municipal_year():
    dates = schedule.propose_dates(year=2026, count=4, weekday=1)

    assert dates == [
        datetime.date(2026, 6, 16),
        datetime.date(2026, 9, 15),
        datetime.date(2026, 12, 15),
        datetime.date(2027, 3, 16),
    ]
    assert all(day.weekday() == 1 and day not in BANK_HOLIDAYS for day in dates)


def test_a_date_on_a_bank_holiday_moves_a_week_later():
    # The first of seven Monday meetings in 2026-27 would fall on the spring bank holiday.
    dates = schedule.propose_dates(year=2026, count=7, weekday=0)

    assert datetime.date(2026, 5, 25) in BANK_HOLIDAYS
    assert dates[0] == datetime.date(2026, 6, 1)
    assert not any(day in BANK_HOLIDAYS for day in dates)
    assert len(set(dates)) == 7


def test_no_meetings_over_christmas_or_new_year():
    dates = schedule.propose_dates(year=2026, count=7, weekday=4)

    assert datetime.date(2026, 12, 25) not in dates
    assert datetime.date(2027, 1, 1) not in dates
    assert datetime.date(2027, 1, 8) in dates


def test_the_preview_shows_the_dates_from_the_terms_of_reference(client, officer, board):
    client.force_login(officer)

    response = client.post(URL, plan(body=board.pk))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Proposed meetings of Children&#x27;s Trust Board" in page
    assert "4 meetings from 1 May 2026 to 30 April 2027" in page
    for day in ["Tuesday 16 June 2026", "Tuesday 15 September 2026", "Tuesday 16 March 2027"]:
        assert f'<td class="govuk-table__cell">{day}</td>' in page
    assert page.count('name="dates"') == 4
    assert not Meeting.objects.exists()


def test_a_body_without_agreed_terms_needs_a_number(client, officer):
    body = BodyFactory(name="Early Help Group")
    client.force_login(officer)

    response = client.post(URL, plan(body=body.pk))

    assert response.status_code == 200
    assert (
        "Early Help Group has no agreed terms of reference saying how often it meets: "
        "enter the number of meetings"
    ) in response.content.decode()

    response = client.post(URL, plan(body=body.pk, count=2))

    assert response.content.decode().count('name="dates"') == 2


# Warnings -------------------------------------------------------------------------------------


def test_a_clash_names_who_sits_on_both_bodies(board, django_assert_num_queries):
    other = BodyFactory(name="Safeguarding Partnership")
    both = PersonFactory(name="Asha Patel")
    MembershipFactory(person=both, seat__body=board)
    MembershipFactory(person=both, seat__body=other)
    MembershipFactory(person=PersonFactory(name="Only Other"), seat__body=other)
    MeetingFactory(body=other, starts_at=london(2026, 6, 16, 15, 30))
    MeetingFactory(body=other, starts_at=london(2026, 9, 15, 9, 0))  # five hours earlier

    # holdings, parent bodies, meetings
    with django_assert_num_queries(3):
        proposals = schedule.check_dates(
            body=board, starts=[london(2026, 6, 16, 14), london(2026, 9, 15, 14)]
        )

    assert [p.warnings for p in proposals] == [
        ["Clash: Asha Patel also sits on Safeguarding Partnership, meeting at 3:30pm that day"],
        [],
    ]


def test_no_clash_with_a_cancelled_meeting_or_a_former_member(board):
    other = BodyFactory(name="Safeguarding Partnership")
    former = PersonFactory(name="Former Member")
    MembershipFactory(person=former, seat__body=board)
    MembershipFactory(person=former, seat__body=other, ends_on=datetime.date(2026, 1, 1))
    MeetingFactory(body=other, starts_at=london(2026, 6, 16, 14))
    cancelled_for = PersonFactory(name="Cancelled")
    MembershipFactory(person=cancelled_for, seat__body=board)
    third = BodyFactory()
    MembershipFactory(person=cancelled_for, seat__body=third)
    MeetingFactory(body=third, starts_at=london(2026, 6, 16, 14), status="cancelled")

    [proposal] = schedule.check_dates(body=board, starts=[london(2026, 6, 16, 14)])

    assert proposal.warnings == []


@pytest.mark.parametrize(
    ("parent_meets_on", "warning"),
    [
        (
            datetime.date(2026, 6, 10),
            "Feeder: this is 6 days after Health and Wellbeing Board meets on 10 June 2026, "
            "so its report will miss that meeting",
        ),
        (
            datetime.date(2026, 6, 19),
            "Feeder: Health and Wellbeing Board meets 3 days later, on 19 June 2026: "
            "allow at least 7 days to report to it",
        ),
        (datetime.date(2026, 6, 30), None),
        (datetime.date(2026, 5, 20), None),
    ],
)
def test_a_sub_group_should_meet_in_time_to_feed_its_parent(parent_meets_on, warning):
    parent = BodyFactory(name="Health and Wellbeing Board")
    sub_group = BodyFactory(name="Early Help Group")
    ReportingLineFactory(from_body=sub_group, to_body=parent)
    MeetingFactory(body=parent, starts_at=london(*parent_meets_on.timetuple()[:3], 10))

    [proposal] = schedule.check_dates(body=sub_group, starts=[london(2026, 6, 16, 14)])

    assert proposal.warnings == ([warning] if warning else [])


def test_a_secondary_line_is_not_a_feeder(board):
    parent = BodyFactory(name="Health and Wellbeing Board")
    ReportingLineFactory(from_body=board, to_body=parent, is_primary=False, kind="advises")
    MeetingFactory(body=parent, starts_at=london(2026, 6, 17, 10))

    [proposal] = schedule.check_dates(body=board, starts=[london(2026, 6, 16, 14)])

    assert proposal.warnings == []


def test_warnings_show_in_the_preview(client, officer, board):
    MeetingFactory(body=board, starts_at=london(2026, 9, 15, 10))
    client.force_login(officer)

    response = client.post(URL, plan(body=board.pk))

    assert "Children&#x27;s Trust Board already meets on this day" in response.content.decode()


# Creating -------------------------------------------------------------------------------------


def test_democratic_services_create_the_chosen_meetings(client, officer, board):
    client.force_login(officer)

    response = client.post(
        URL,
        {
            **plan(body=board.pk, create=""),
            "dates": ["2026-06-16", "2026-09-15", "2027-03-16"],
        },
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("meetings:meeting-list")
    assert list(
        Meeting.objects.filter(body=board).values_list("starts_at", "venue", "is_public")
    ) == [
        (london(2026, 6, 16, 14), "Shire Hall, Cambridge", board.meets_in_public),
        (london(2026, 9, 15, 14), "Shire Hall, Cambridge", board.meets_in_public),
        (london(2027, 3, 16, 14), "Shire Hall, Cambridge", board.meets_in_public),
    ]


def test_creating_with_no_dates_ticked_asks_for_one(client, officer, board):
    client.force_login(officer)

    response = client.post(URL, plan(body=board.pk, create=""))

    assert "Choose at least one of the dates below to create" in response.content.decode()
    assert not Meeting.objects.exists()


def test_the_preview_query_count(client, officer, board, django_assert_num_queries):
    client.force_login(officer)

    # session, user, roles, body choices, the chosen body, terms of reference, holdings,
    # parent bodies, meetings
    with django_assert_num_queries(9):
        client.post(URL, plan(body=board.pk))


@pytest.mark.parametrize("who", ["board_member", "partnership_manager"])
def test_only_democratic_services_plan_meetings(client, request, board, who):
    client.force_login(request.getfixturevalue(who))

    assert client.get(URL).status_code == 403
    response = client.post(URL, {**plan(body=board.pk, create=""), "dates": ["2026-06-16"]})
    assert response.status_code == 403
    assert not Meeting.objects.exists()


def test_officer_can_open_the_planner(client, officer, board):
    client.force_login(officer)

    response = client.get(URL, {"body": board.slug})

    assert response.status_code == 200
    assert f'<option value="{board.pk}" selected>' in response.content.decode()


def test_the_public_are_sent_to_sign_in(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
