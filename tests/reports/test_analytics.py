"""A partnership's analytics (attendance, meeting burden, RAG) and its compliance findings."""

import datetime
import xml.etree.ElementTree as ET
import zoneinfo

import pytest
from django.urls import reverse

from meetings.models import Attendance
from partnerships.models import TermsOfReference
from reports.models import AnnualReport, ReportLine
from tests.factories import (
    AnnualReportFactory,
    BodyFactory,
    MeetingFactory,
    MembershipFactory,
    OrganisationFactory,
    PartnershipFactory,
    PersonFactory,
    SeatFactory,
)

pytestmark = pytest.mark.django_db

LONDON = zoneinfo.ZoneInfo("Europe/London")
SVG = "{http://www.w3.org/2000/svg}"
CHARTS = [
    "attendance_chart",
    "organisation_chart",
    "people_chart",
    "organisation_burden_chart",
    "rag_chart",
]


def at(day: datetime.date, hour: float) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, tzinfo=LONDON) + datetime.timedelta(
        hours=hour
    )


def held(body, day, *, hours=1.5):
    return MeetingFactory(
        body=body, starts_at=at(day, 14), ends_at=at(day, 14 + hours), status="held"
    )


def agreed_terms(body, meetings_per_year):
    return TermsOfReference.objects.create(
        body=body,
        version=1,
        status="agreed",
        agreed_on=datetime.date(2010, 4, 1),
        meetings_per_year=meetings_per_year,
    )


@pytest.fixture
def partnership(db):
    return PartnershipFactory(name="Cambridgeshire Children's Trust")


def grow(partnership, count):
    """`count` bodies, each with a held meeting, a member who came and a submitted report."""
    council = OrganisationFactory(name="Cambridgeshire County Council")
    hwb = BodyFactory(name="Health and Wellbeing Board", partnership=PartnershipFactory())
    for n in range(count):
        body = BodyFactory(name=f"Area Partnership {n:03}", partnership=partnership)
        agreed_terms(body, 4)
        holding = MembershipFactory(seat=SeatFactory(body=body), organisation=council)
        meeting = held(body, datetime.date(2015, 5, 6))
        Attendance.objects.create(meeting=meeting, person=holding.person, status="present")
        report = AnnualReportFactory(body=body, receiving_body=hwb, status="submitted")
        ReportLine.objects.create(report=report, title="Early help", rag="green")
    return hwb


@pytest.mark.parametrize("count", [10, 200])
def test_the_dashboard_takes_the_same_queries_however_many_bodies(
    client, board_member, partnership, count, django_assert_num_queries
):
    hwb = grow(partnership, count)
    # A member of the board the reports go to, so they may read them.
    MembershipFactory(seat=SeatFactory(body=hwb), person=PersonFactory(user=board_member))
    client.force_login(board_member)
    url = reverse("reports:analytics", args=[partnership.slug])

    # session; user; partnership; the user's roles (may they see withheld names?); bodies
    # (+ status today); held meetings; holdings (+ people, organisations, nominating
    # organisations); attendance; agreed terms of reference; the bodies the user sits on
    # (directly or ex officio, one query) for report visibility; the latest report period;
    # RAG counts; reports in the period
    with django_assert_num_queries(13):
        response = client.get(url)

    data = response.context["data"]
    latest = data.attendance.overall[datetime.date(2015, 4, 1)]
    assert (latest.expected, latest.attended) == (count, count)
    assert len(data.attendance.by_body) == len(data.people) == count
    assert data.rag_counts == {"red": 0, "amber": 0, "green": count}


@pytest.mark.parametrize("count", [10, 200])
def test_the_health_page_takes_the_same_queries_however_many_bodies(
    client, board_member, partnership, count, django_assert_num_queries
):
    grow(partnership, count)
    client.force_login(board_member)
    url = reverse("reports:partnership-health", args=[partnership.slug])

    # session; user; partnership; the user's roles; bodies (+ status, partnership); seats;
    # memberships; substitutes; ToR quorum organisations
    with django_assert_num_queries(9):
        response = client.get(url)

    assert response.context["body_count"] == count


@pytest.fixture
def board(partnership):
    body = BodyFactory(name="Children's Trust Board", partnership=partnership)
    agreed_terms(body, 4)
    return body


def test_attendance_counts_members_who_came_or_sent_a_substitute(client, officer, board):
    council = OrganisationFactory(name="Cambridgeshire County Council")
    police = OrganisationFactory(name="Cambridgeshire Constabulary", kind="police")
    came = MembershipFactory(seat=SeatFactory(body=board), organisation=council)
    substituted = MembershipFactory(seat=SeatFactory(body=board), organisation=police)
    absent = MembershipFactory(seat=SeatFactory(body=board), organisation=police)
    MembershipFactory(seat=SeatFactory(body=board, voting=False), organisation=council)
    meeting = held(board, datetime.date(2015, 5, 6))
    Attendance.objects.create(meeting=meeting, person=came.person, status="present")
    Attendance.objects.create(meeting=meeting, person=substituted.person, status="apologies")
    Attendance.objects.create(
        meeting=meeting,
        person=PersonFactory(),
        status="present",
        substitute_for=substituted.person,
    )
    Attendance.objects.create(meeting=meeting, person=absent.person, status="absent")
    # A meeting not held yet does not count.
    MeetingFactory(body=board, starts_at=at(datetime.date(2015, 7, 1), 14))
    client.force_login(officer)

    response = client.get(reverse("reports:analytics", args=[board.partnership.slug]))

    attendance = response.context["data"].attendance
    assert attendance.quarters[-1] == datetime.date(2015, 4, 1)
    assert len(attendance.quarters) == 8
    latest = attendance.overall[datetime.date(2015, 4, 1)]
    assert (latest.expected, latest.attended, latest.percent) == (3, 2, 67)
    assert [(name, rate.percent) for name, rate in attendance.by_organisation] == [
        ("Cambridgeshire Constabulary", 50),
        ("Cambridgeshire County Council", 100),
    ]
    assert response.context["quarters"][-1][0] == "Apr to Jun 2015"
    assert "67%" in response.text


def test_meeting_burden_uses_the_terms_and_the_length_of_meetings(
    client, officer, board_member, board
):
    forum = BodyFactory(name="Youth Forum", partnership=board.partnership)
    agreed_terms(forum, 6)
    child = PersonFactory(name="Sam Young", publish_name=False)
    adult = PersonFactory(name="Alex Adult")
    for body in (board, forum):
        MembershipFactory(seat=SeatFactory(body=body), person=child)
    MembershipFactory(seat=SeatFactory(body=board), person=adult)
    # The board's meetings last an hour and a half; the forum has none, so two hours.
    held(board, datetime.date(2015, 5, 6), hours=1.5)
    url = reverse("reports:analytics", args=[board.partnership.slug])

    client.force_login(officer)
    people = client.get(url).context["data"].people
    client.force_login(board_member)
    withheld = client.get(url)

    # 4 meetings of 1.5 hours and 6 of 2 hours make 18 hours; the adult has 6 hours.
    assert [(row.name, row.hours, row.seats) for row in people] == [
        ("Sam Young", 18.0, 2),
        ("Alex Adult", 6.0, 1),
    ]
    assert [row.name for row in withheld.context["data"].people] == ["Name withheld", "Alex Adult"]
    assert "Sam Young" not in withheld.text
    assert reverse("membership:overlap", args=[board.partnership.slug]) in withheld.text


def test_rag_counts_the_latest_submitted_reports(client, officer, board):
    hwb = BodyFactory(name="Health and Wellbeing Board")
    latest = AnnualReportFactory(body=board, receiving_body=hwb, status="submitted")
    for rag in ("red", "amber", "green", "green", ""):
        ReportLine.objects.create(report=latest, title=f"Priority {rag}", rag=rag)
    earlier = AnnualReportFactory(
        body=board,
        receiving_body=hwb,
        status="endorsed",
        period_starts_on=datetime.date(2014, 4, 1),
        period_ends_on=datetime.date(2015, 3, 31),
    )
    ReportLine.objects.create(report=earlier, title="Old", rag="red")
    draft = AnnualReportFactory(
        body=BodyFactory(name="Fenland", partnership=board.partnership), receiving_body=hwb
    )
    ReportLine.objects.create(report=draft, title="Draft", rag="red")
    client.force_login(officer)

    response = client.get(reverse("reports:analytics", args=[board.partnership.slug]))

    data = response.context["data"]
    assert data.rag_period == datetime.date(2016, 3, 31)
    assert data.rag_counts == {"red": 1, "amber": 1, "green": 2}
    assert data.rag_reports == 1
    assert response.context["rag_rows"] == [("Red", 1), ("Amber", 1), ("Green", 2)]
    assert AnnualReport.objects.count() == 3


def test_charts_are_well_formed_svg_with_tables_beside_them(client, officer, partnership):
    grow(partnership, 3)
    client.force_login(officer)

    response = client.get(reverse("reports:analytics", args=[partnership.slug]))

    for name in CHARTS:
        svg = ET.fromstring(str(response.context[name]))
        assert svg.tag == f"{SVG}svg"
        assert svg.get("role") == "img"
        assert svg.find(f"{SVG}title").text
        assert svg.find(f"{SVG}desc").text.endswith(
            "The table after the chart gives the same figures."
        )
        assert "style" not in svg.attrib
    # One table after each chart, plus attendance by body and quarter.
    assert response.text.count('<table class="govuk-table">') == len(CHARTS) + 1
    assert response.text.count("<svg ") == len(CHARTS)
    assert "Area Partnership 002" in response.text


def test_health_groups_findings_by_severity_then_body(client, officer, partnership):
    for name in ("Fenland Area Partnership", "Children's Trust Board"):
        body = BodyFactory(name=name, partnership=partnership)
        SeatFactory(body=body, label="Police representative")
        SeatFactory(body=body, label="Schools representative")
    client.force_login(officer)

    response = client.get(reverse("reports:partnership-health", args=[partnership.slug]))

    warnings = next(g for g in response.context["groups"] if g["severity"] == "warning")
    assert [body.name for body, _ in warnings["bodies"]] == [
        "Children's Trust Board",
        "Fenland Area Partnership",
    ]
    assert warnings["count"] == sum(len(found) for _, found in warnings["bodies"])
    assert [g["severity"] for g in response.context["groups"]] == ["error", "warning", "info"]
    messages = [finding.message for _, found in warnings["bodies"] for finding in found]
    assert "Police representative is vacant: no one has held it." in messages
    assert response.context["total"] == sum(g["count"] for g in response.context["groups"])


@pytest.mark.parametrize("name", ["reports:analytics", "reports:partnership-health"])
def test_signed_out_visitors_are_sent_to_sign_in(client, partnership, name):
    response = client.get(reverse(name, args=[partnership.slug]))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_an_unknown_partnership_is_not_found(client, board_member):
    client.force_login(board_member)

    assert client.get(reverse("reports:analytics", args=["nowhere"])).status_code == 404
