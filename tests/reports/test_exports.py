"""A report exported as PDF and Word: it opens, reads back, matches the page, and only for
those who may read the report."""

import datetime
import io
import re
import subprocess
import zoneinfo
from decimal import Decimal

import docx
import pytest
from django.template import TemplateDoesNotExist
from django.urls import reverse

from reports.models import AnnualReport, Escalation, Indicator, ReportLine
from tests.factories import (
    AgendaItemFactory,
    AnnualReportFactory,
    BodyFactory,
    MeetingFactory,
    MembershipFactory,
    PersonFactory,
    SeatFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

LINES = [
    ("Early help hubs", "red", "worsening", "Two hubs closed when funding ended."),
    ("School readiness", "amber", "steady", "Recovering with a new plan."),
    ("Young carers network", "green", "improving", ""),
]
HEADINGS = [
    "Summary",
    "Key achievements",
    "Progress against priorities and work areas",
    "Outcomes and indicators",
    "Gaps",
    "Issues escalated",
    "Priorities for next year",
]


@pytest.fixture
def report():
    area = BodyFactory(name="Cambridgeshire Area Partnership 1")
    executive = BodyFactory(name="Children's Trust Executive Group")
    report = AnnualReportFactory(
        body=area,
        receiving_body=executive,
        status=AnnualReport.Status.SUBMITTED,
        summary="A year of change.",
        achievements="- Area plan agreed\n- Two new projects",
        gaps="Little provision for teenagers in the north of the area.",
        next_priorities="Secure funding for the Area Partnership Manager.",
    )
    for order, (title, rag, direction, narrative) in enumerate(LINES, start=1):
        ReportLine.objects.create(
            report=report,
            order=order,
            title=title,
            rag=rag,
            direction=direction,
            narrative=narrative,
        )
    Indicator.objects.create(
        report=report,
        name="Good level of development",
        unit="%",
        baseline=Decimal("55"),
        value=Decimal("61.5"),
        target=Decimal("65"),
        trend="improving",
        rag="amber",
    )
    Escalation.objects.create(
        report=report, issue="Council funding ends", ask="Partners to fund the manager post"
    )
    return report


def _pdf_text(content: bytes) -> str:
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=content, capture_output=True, check=True
    ).stdout.decode()
    return re.sub(r"\s+", " ", text)


def _export(client, report, fmt):
    return client.get(reverse("reports:report-export", kwargs={"pk": report.pk, "fmt": fmt}))


def _page_text(client, report) -> str | None:
    """The report page's text, if the page is built yet."""
    try:
        response = client.get(report.get_absolute_url())
    except TemplateDoesNotExist:
        return None
    assert response.status_code == 200
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_pdf_opens_with_the_headings_and_the_same_lines_as_the_page(client, officer, report):
    client.force_login(officer)

    response = _export(client, report, "pdf")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="cambridgeshire-area-partnership-1-annual-report-2015-16.pdf"'
    )
    assert response["Cache-Control"] == "private"
    text = _pdf_text(response.content)
    for heading in HEADINGS:
        assert heading in text
    assert "Not yet considered" in text
    assert "For noting/endorsement" in text
    assert "Council funding ends" in text
    assert "Partners to fund the manager post" in text
    page = _page_text(client, report)
    for title, rag, _, narrative in LINES:
        assert f"{title} {rag.title()}" in text
        assert narrative in text
        if page is not None:
            assert title in page
            assert rag.title() in page
    positions = [text.index(title) for title, *_ in LINES]
    assert positions == sorted(positions)
    if page is not None:
        on_page = [page.index(title) for title, *_ in LINES]
        assert on_page == sorted(on_page)


def test_docx_tables_read_back_the_same_lines_as_the_page(client, officer, report):
    client.force_login(officer)

    response = _export(client, report, "docx")

    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        'attachment; filename="cambridgeshire-area-partnership-1-annual-report-2015-16.docx"'
    )
    word = docx.Document(io.BytesIO(response.content))
    headings = [p.text for p in word.paragraphs if p.style.name.startswith("Heading")]
    assert headings == HEADINGS
    front, progress, indicators, escalations = (
        [[cell.text for cell in row.cells] for row in table.rows] for table in word.tables
    )
    assert dict(front)["Meeting and item"] == "Not yet considered"
    assert dict(front)["Purpose"] == "For noting/endorsement"
    assert dict(front)["Author"] == "Cambridgeshire Area Partnership 1"
    assert progress == [
        ["Priority or work area", "RAG", "Direction of travel", "Progress"],
        ["Early help hubs", "Red", "Worsening", "Two hubs closed when funding ended."],
        ["School readiness", "Amber", "No change", "Recovering with a new plan."],
        ["Young carers network", "Green", "Improving", ""],
    ]
    assert indicators[1] == [
        "Good level of development",
        "55%",
        "61.5%",
        "65%",
        "Improving",
        "Amber",
    ]
    assert escalations[1] == ["Council funding ends", "Partners to fund the manager post"]
    page = _page_text(client, report)
    if page is not None:
        for row in progress[1:]:
            assert row[0] in page
    achievements = [p.text for p in word.paragraphs if p.style.name == "List Bullet"]
    assert achievements == ["Area plan agreed", "Two new projects"]


def test_front_sheet_names_the_meeting_item_and_author(client, officer, report):
    meeting = MeetingFactory(
        body=report.receiving_body,
        starts_at=datetime.datetime(2016, 5, 11, 14, tzinfo=zoneinfo.ZoneInfo("Europe/London")),
    )
    report.considered_at = AgendaItemFactory(meeting=meeting, order=6)
    report.submitted_by = UserFactory(first_name="Sarah", last_name="Ferguson")
    report.save()
    client.force_login(officer)

    word = docx.Document(io.BytesIO(_export(client, report, "docx").content))

    front = {row.cells[0].text: row.cells[1].text for row in word.tables[0].rows}
    assert front["Meeting and item"] == "Children's Trust Executive Group, 11 May 2016, item 6"
    assert front["Author"] == "Sarah Ferguson, for Cambridgeshire Area Partnership 1"


def test_roll_up_lists_the_combined_rag_and_the_reports_compiled(client, officer, report):
    executive = report.receiving_body
    roll_up = AnnualReportFactory(body=executive, receiving_body=BodyFactory(name="HWB"))
    roll_up.compiles.add(report)
    ReportLine.objects.create(report=roll_up, title="Area Partnerships", rag="amber", narrative="x")
    client.force_login(officer)

    word = docx.Document(io.BytesIO(_export(client, roll_up, "docx").content))
    text = _pdf_text(_export(client, roll_up, "pdf").content)

    tables = [[[cell.text for cell in row.cells] for row in table.rows] for table in word.tables]
    summary = next(t for t in tables if t[0][0] == "Work area")
    assert summary[1:] == [
        ["Early help hubs", "1", "0", "0", "0", "1"],
        ["School readiness", "0", "1", "0", "0", "1"],
        ["Young carers network", "0", "0", "1", "0", "1"],
    ]
    compiled = next(t for t in tables if t[0][0] == "Body")
    assert compiled[1][0] == "Cambridgeshire Area Partnership 1"
    assert "Combined RAG summary of the reports compiled" in text
    assert "Reports compiled" in text


def test_a_draft_is_not_cached(client, officer, report):
    report.status = AnnualReport.Status.DRAFTING
    report.save()
    client.force_login(officer)

    response = _export(client, report, "pdf")

    assert response["Cache-Control"] == "private, no-store"


def test_unknown_format_is_not_found(client, officer, report):
    client.force_login(officer)

    assert _export(client, report, "odt").status_code == 404


def _member_of(body):
    user = UserFactory()
    MembershipFactory(seat=SeatFactory(body=body), person=PersonFactory(user=user))
    return user


def test_members_of_either_body_may_export_a_submitted_report(client, report):
    for body in (report.body, report.receiving_body):
        client.force_login(_member_of(body))
        assert _export(client, report, "docx").status_code == 200


def test_others_are_not_told_the_report_exists(client, board_member, report):
    client.force_login(board_member)

    assert _export(client, report, "pdf").status_code == 404
    assert _export(client, report, "docx").status_code == 404


def test_receiving_body_cannot_export_a_draft(client, report):
    report.status = AnnualReport.Status.DRAFTING
    report.save()
    client.force_login(_member_of(report.receiving_body))

    assert _export(client, report, "pdf").status_code == 404


def test_anonymous_users_are_sent_to_sign_in(client, report):
    response = _export(client, report, "pdf")

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
