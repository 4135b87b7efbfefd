"""An Area Partnership drafts and submits its annual report; the Executive Group rolls it up."""

import datetime
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from partnerships import services as structure
from partnerships.models import Priority, WorkArea
from reports import services as reports
from tests.browser.test_partnerships import fill_date, sign_in
from tests.factories import BodyFactory, PartnershipFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

APRIL_2015, MARCH_2016 = datetime.date(2015, 4, 1), datetime.date(2016, 3, 31)


def manager(username):
    user = UserFactory(username=username)
    user.groups.add(Group.objects.get(name="Partnership managers"))
    return user


@pytest.fixture
def cambridgeshire():
    trust = PartnershipFactory(name="Cambridgeshire Children's Trust")
    hwb = BodyFactory(name="Health and Wellbeing Board", kind="health_and_wellbeing_board")
    executive = BodyFactory(name="Executive Group", partnership=trust, kind="executive_group")
    areas = [
        BodyFactory(name=f"Area Partnership {n}", partnership=trust, kind="area_partnership")
        for n in (1, 2)
    ]
    priority = Priority.objects.create(body=hwb, number=1, title="A positive start to life")
    for area, work in zip(areas, ["Child Poverty", "SEND"], strict=True):
        WorkArea.objects.create(priority=priority, name=work, delivered_by=area)
        structure.add_reporting_line(
            from_body=area, to_body=executive, is_primary=True, cadence="annual"
        )
    structure.add_reporting_line(
        from_body=executive, to_body=hwb, is_primary=True, cadence="annual"
    )
    # Area Partnership 2 has already reported.
    done = reports.start_report(
        body=areas[1],
        receiving_body=executive,
        period_starts_on=APRIL_2015,
        period_ends_on=MARCH_2016,
        kind="annual",
        by=None,
    )
    done.lines.update(rag="green", narrative="On track.")
    reports.submit_report(report=done, by=None)
    return hwb, executive, areas


def start_report(page, live_server, body, receiving_body):
    page.goto(f"{live_server.url}/reports/new/")
    page.get_by_label("Body reporting").select_option(label=body.name)
    page.get_by_label("Body it reports to").select_option(label=receiving_body.name)
    page.get_by_label("Annual report").check()
    fill_date(page, "First day of the period", APRIL_2015)
    fill_date(page, "Last day of the period", MARCH_2016)
    page.get_by_role("button", name="Start the report").click()


def test_area_partnership_reports_and_the_executive_group_rolls_up_and_exports(
    page, live_server, cambridgeshire, assert_accessible
):
    hwb, executive, (area, _) = cambridgeshire

    sign_in(page, live_server, manager("ap-manager"))
    start_report(page, live_server, area, executive)
    assert_accessible(page)
    line = page.get_by_role("group", name="Line 1: Child Poverty")
    line.get_by_label("RAG rating").select_option(label="Red")
    page.get_by_role("button", name="Save the report").click()
    assert_accessible(page)
    page.get_by_role("link", name="Submit to Executive Group").click()

    expect(page.get_by_role("alert")).to_contain_text(
        "Line 1 'Child Poverty' is red but has no narrative"
    )
    assert_accessible(page)
    page.get_by_role("link", name="Edit the report").first.click()
    line = page.get_by_role("group", name="Line 1: Child Poverty")
    line.get_by_label("Progress").fill("Free school meal take-up is falling; a campaign starts.")
    page.get_by_role("button", name="Save the report").click()
    page.get_by_role("link", name="Submit to Executive Group").click()
    page.get_by_role("button", name="Submit the report").click()
    expect(page.locator("main")).to_contain_text("Submitted")
    assert_accessible(page)
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, live_server, manager("eg-manager"))
    start_report(page, live_server, executive, hwb)
    page.goto(page.url.replace("/edit/", "/"))
    page.get_by_role("link", name="Compile the reports of the bodies beneath").click()
    assert_accessible(page)
    page.get_by_role("button", name="Compile the reports").click()

    main = page.locator("main")
    expect(main).to_contain_text("Area Partnership 1")
    expect(main).to_contain_text("Area Partnership 2")
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="PDF", exact=True).click()
    assert download.value.suggested_filename.endswith(".pdf")
    assert Path(download.value.path()).read_bytes()[:5] == b"%PDF-"

    for path in [
        f"/reports/analytics/{area.partnership.slug}/",
        f"/reports/analytics/{area.partnership.slug}/health/",
        "/reports/funding/",
        "/reports/",
    ]:
        page.goto(f"{live_server.url}{path}")
        expect(page.locator("main h1")).to_be_visible()
        assert_accessible(page)
