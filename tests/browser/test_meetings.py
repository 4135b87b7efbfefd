"""Democratic services runs a meeting from agenda to approved minutes; members see the exempt
paper and the public does not. Every page visited passes axe."""

import datetime
import subprocess
import zoneinfo

import pytest
from playwright.sync_api import expect
from weasyprint import HTML

from meetings import services
from meetings.models import Minutes, Paper
from partnerships.models import TermsOfReference
from tests.browser.test_partnerships import fill_date, sign_in
from tests.factories import BodyFactory, MembershipFactory, PersonFactory, SeatFactory

pytestmark = pytest.mark.django_db(transaction=True)

# No hyphen: PDF text extraction keeps a single word together.
MARKER = "CANARYPAPER9c1e"
LONDON = zoneinfo.ZoneInfo("Europe/London")
PUBLIC_ITEM = "Budget monitoring"
EXEMPT_ITEM = "Contract award for short breaks"
EXEMPT_PAPER = "Tender evaluation"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def pdf(text: str) -> bytes:
    return HTML(string=f"<h1>{text}</h1>").write_pdf()


def upload_paper(page, *, title: str, content: bytes, exempt: bool = False):
    page.get_by_label("Title", exact=True).fill(title)
    page.get_by_label("Upload a file").set_input_files(
        files=[{"name": "paper.pdf", "mimeType": "application/pdf", "buffer": content}]
    )
    if exempt:
        page.get_by_label("This paper is exempt (confidential)").check()
        page.get_by_label("3. Financial or business affairs").check()
        page.get_by_label("Why the public interest in keeping it exempt").fill(
            "Bidders' prices are commercially sensitive until the contract is signed."
        )
    page.get_by_role("button", name="Add paper").click()


def sign_out(page):
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("link", name="Sign in", exact=True)).to_be_visible()


@pytest.fixture
def board(board_member):
    """A board that meets in public, with a chair and three members, one of them Morgan."""
    body = BodyFactory(name="Children's Trust Board", meets_in_public=True)
    TermsOfReference.objects.create(
        body=body, version=1, status="agreed", agreed_on=datetime.date(2014, 3, 1), quorum_count=2
    )
    seats = [
        ("Chair", "chair", PersonFactory(name="Ann Chair")),
        ("Health", "member", PersonFactory(name="Morgan Member", user=board_member)),
        ("Police", "member", PersonFactory(name="Pat Police")),
        ("Schools", "member", PersonFactory(name="Sam Schools")),
    ]
    for label, role, person in seats:
        MembershipFactory(seat=SeatFactory(body=body, label=label, role=role), person=person)
    return body


def test_officer_runs_a_meeting_and_only_members_see_the_exempt_paper(
    page, live_server, officer, board_member, board, assert_accessible
):
    day = datetime.date.today() + datetime.timedelta(days=21)
    meeting = services.create_meeting(
        body=board,
        starts_at=datetime.datetime.combine(day, datetime.time(14), tzinfo=LONDON),
        venue="Shire Hall, Cambridge",
        by=officer,
    )
    meeting_url = f"{live_server.url}{meeting.get_absolute_url()}"
    sign_in(page, live_server, officer)

    # The agenda: a public report and an exempt item.
    page.goto(meeting_url)
    assert_accessible(page)
    page.get_by_role("link", name="Build the agenda").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Build the agenda")
    assert_accessible(page)
    page.get_by_role("link", name="Add an item").click()
    assert_accessible(page)
    page.get_by_label("Title", exact=True).fill(PUBLIC_ITEM)
    page.get_by_label("Type of item").select_option(label="Report")
    page.get_by_label("Purpose").select_option(label="For decision")
    page.get_by_label("Summary (optional)").fill("Spending is on track at the end of quarter 2.")
    page.get_by_role("button", name="Add item").click()
    expect(page.get_by_text(f"Item 5 added: {PUBLIC_ITEM}")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Add an item").click()
    page.get_by_label("Title", exact=True).fill(EXEMPT_ITEM)
    page.get_by_label("Type of item").select_option(label="Report")
    page.get_by_label("Purpose").select_option(label="For decision")
    page.get_by_label("Exempt from publication (Schedule 12A)").check()
    page.get_by_role("button", name="Add item").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Choose the paragraph of Schedule 12A")
    assert_accessible(page)
    page.get_by_label("3. Financial or business affairs").check()
    page.get_by_label("Public interest test").fill(
        "Disclosing the bids would prejudice the council's negotiating position."
    )
    page.get_by_role("button", name="Add item").click()
    expect(page.get_by_text(f"Item 6 added: {EXEMPT_ITEM}")).to_be_visible()
    items = page.get_by_role("table", name="Items in order")
    expect(items.get_by_role("row", name=EXEMPT_ITEM)).to_contain_text(
        "Exempt: Schedule 12A paragraph 3"
    )

    # Papers on the public item: one public, one exempt.
    page.get_by_role("link", name="Add a paper to item 5").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(PUBLIC_ITEM)
    assert_accessible(page)
    upload_paper(page, title="Budget report", content=pdf("Quarter 2 budget report"))
    expect(page.get_by_text("Paper ‘Budget report’ added")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Add a paper", exact=True).click()
    upload_paper(page, title=EXEMPT_PAPER, content=pdf(f"Bid scores {MARKER}"), exempt=True)
    expect(page.get_by_text(f"Paper ‘{EXEMPT_PAPER}’ added")).to_be_visible()
    expect(page.get_by_role("listitem").filter(has_text=EXEMPT_PAPER)).to_contain_text(
        "Exempt: Schedule 12A paragraph 3"
    )
    assert_accessible(page)

    # Publish.
    page.goto(f"{live_server.url}/meetings/{meeting.pk}/agenda/")
    page.get_by_role("link", name="Publish the agenda").click()
    expect(page.get_by_text("The agenda has 6 items.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Publish agenda").click()
    expect(page.get_by_text("Agenda published. Members have been sent an e-mail")).to_be_visible()
    expect(page.get_by_role("heading", name=f"6. {EXEMPT_ITEM}")).to_be_visible()
    assert_accessible(page)

    # Attendance.
    page.get_by_role("link", name="Attendance", exact=True).click()
    assert_accessible(page)
    for name, status in [
        ("Ann Chair", "Present"),
        ("Morgan Member", "Present"),
        ("Pat Police", "Apologies"),
        ("Sam Schools", "Present"),
    ]:
        page.get_by_role("group", name=name, exact=True).get_by_label(status).check()
    page.get_by_label("Officers in attendance").fill("Jo Clark, Democratic Services")
    page.get_by_role("button", name="Save attendance").click()
    expect(page.get_by_text("Attendance saved")).to_be_visible()
    expect(page.get_by_role("table", name="Apologies")).to_contain_text("Pat Police")
    expect(page.locator("#quorum")).to_contain_text("Quorate")
    assert_accessible(page)

    # Minutes: start them, write the minute of the public item, circulate.
    page.goto(meeting_url)
    page.get_by_role("link", name="Minutes", exact=True).click()
    expect(page.get_by_text("The minutes have not been started.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Start the minutes").click()
    expect(page.get_by_text("Minutes started for every item")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Edit the minute of item 5").click()
    assert_accessible(page)
    page.get_by_label("Minute", exact=True).fill(
        "The board noted the forecast underspend of £40,000."
    )
    page.get_by_label("Resolved").fill("That the budget report be noted.")
    page.get_by_role("button", name="Save the minute").click()
    expect(page.get_by_text("Minute of item 5 saved")).to_be_visible()
    page.get_by_role("button", name="Mark as circulated").click()
    expect(page.get_by_text("Draft minutes marked as circulated")).to_be_visible()
    expect(page.locator("#minutes-status")).to_contain_text("Circulated in draft")
    assert_accessible(page)

    # The next meeting, scheduled through the form, approves them; the chair signs.
    page.goto(f"{live_server.url}/meetings/new/")
    assert_accessible(page)
    page.get_by_label("Body", exact=True).select_option(
        label=f"{board.name} ({board.partnership.name})"
    )
    fill_date(page, "Date of the meeting", day + datetime.timedelta(days=63))
    page.get_by_label("Start time").fill("14:00")
    page.get_by_label("Venue").fill("Shire Hall, Cambridge")
    page.get_by_role("button", name="Schedule meeting").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Build the agenda")
    expect(page.get_by_role("table", name="Items in order")).to_contain_text(
        "3. Minutes of the previous meeting"
    )
    next_meeting_id = page.url.rstrip("/").split("/")[-2]
    page.goto(f"{live_server.url}/meetings/{next_meeting_id}/minutes/")
    page.get_by_role("button", name="Start the minutes").click()
    page.get_by_role("link", name="Approve the previous minutes").click()
    expect(page.get_by_text("They will be signed by Ann Chair")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Approve and sign").click()
    status = page.locator("#minutes-status")
    expect(status).to_contain_text("Approved on")
    expect(status).to_contain_text("signed by Ann Chair, chair")
    assert_accessible(page)
    assert Minutes.objects.get(meeting=meeting).status == Minutes.Status.APPROVED

    # A member of the board sees the exempt item and paper, and downloads it.
    sign_out(page)
    sign_in(page, live_server, board_member)
    page.goto(meeting_url)
    expect(page.get_by_role("heading", name=f"6. {EXEMPT_ITEM}")).to_be_visible()
    paper_link = page.get_by_role("link", name=EXEMPT_PAPER)
    expect(paper_link).to_be_visible()
    assert_accessible(page)
    with page.expect_download() as download:
        paper_link.click()
    text = subprocess.run(
        ["pdftotext", str(download.value.path()), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert MARKER in text

    # The public sees neither, and the paper's address asks them to sign in.
    sign_out(page)
    page.goto(meeting_url)
    main = page.locator("main")
    expect(main).to_contain_text(PUBLIC_ITEM)
    expect(main.get_by_role("link", name="Budget report")).to_be_visible()
    expect(main).not_to_contain_text(EXEMPT_ITEM)
    expect(main).not_to_contain_text(EXEMPT_PAPER)
    assert EXEMPT_ITEM not in page.content()
    assert_accessible(page)
    page.get_by_role("link", name="Minutes", exact=True).click()
    expect(page.locator("#minutes-status")).to_contain_text("Approved on")
    expect(page.locator("main")).to_contain_text("The board noted the forecast underspend")
    expect(page.locator("main")).not_to_contain_text(EXEMPT_ITEM)
    assert_accessible(page)
    exempt_paper = Paper.objects.get(title=EXEMPT_PAPER)
    page.goto(f"{live_server.url}{exempt_paper.get_absolute_url()}")
    expect(page).to_have_url(f"{live_server.url}/sign-in/?next=/meetings/papers/{exempt_paper.pk}/")
    assert_accessible(page)
