"""A partnership manager builds a structure in the browser and sees the chart follow."""

import datetime

import pytest
from playwright.sync_api import expect

from partnerships import services
from tests.factories import PASSWORD, BodyFactory, PartnershipFactory

pytestmark = pytest.mark.django_db(transaction=True)


def sign_in(page, live_server, user):
    page.goto(f"{live_server.url}/sign-in/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def fill_date(page, group_name, day: datetime.date):
    group = page.get_by_role("group", name=group_name)
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))


def test_manager_creates_a_body_adds_a_line_agrees_terms_and_sees_the_chart(
    page, live_server, partnership_manager, assert_accessible
):
    partnership = PartnershipFactory(name="Cambridgeshire Children's Trust")
    board = BodyFactory(name="Children's Trust Board", partnership=partnership)
    hwb = BodyFactory(name="Health and Wellbeing Board", kind="health_and_wellbeing_board")
    services.add_reporting_line(from_body=board, to_body=hwb, is_primary=True)
    sign_in(page, live_server, partnership_manager)

    page.goto(f"{live_server.url}/partnerships/{partnership.slug}/")
    assert_accessible(page)
    page.get_by_role("link", name="Add a body").click()
    assert_accessible(page)
    page.get_by_label("Name", exact=True).fill("Area Partnership 1")
    page.get_by_label("Type of body").select_option(label="Area partnership")
    page.get_by_label("Active").check()
    fill_date(page, "Date it takes that status", datetime.date(2015, 4, 1))
    page.get_by_role("button", name="Add body").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Area Partnership 1")
    assert_accessible(page)
    page.get_by_role("link", name="Add a reporting line").click()
    assert_accessible(page)
    page.get_by_label("To a body").select_option(label="Children's Trust Board")
    page.get_by_label("This is the body's main (primary) reporting line").check()
    page.get_by_label("How often it reports").select_option(label="Annual")
    page.get_by_role("button", name="Save reporting line").click()

    expect(page.get_by_role("table", name="Reports to now")).to_contain_text(
        "Children's Trust Board"
    )
    page.get_by_role("link", name="all versions").click()
    assert_accessible(page)
    page.get_by_role("button", name="Start a new version").click()
    assert_accessible(page)
    page.get_by_label("Meetings a year").fill("4")
    section = page.get_by_role("group", name="Section 1")
    section.get_by_label("Section", exact=True).select_option(label="Purpose")
    section.get_by_label("Text").fill("To develop initiatives that improve outcomes in the area.")
    page.get_by_role("button", name="Save draft").click()
    assert_accessible(page)
    page.get_by_role("link", name="Record that it was agreed").click()
    fill_date(page, "Date agreed", datetime.date(2015, 4, 1))
    page.get_by_role("button", name="Agree").click()

    expect(page.get_by_text("Version 1 agreed")).to_be_visible()
    assert_accessible(page)
    page.goto(f"{live_server.url}/partnerships/{partnership.slug}/structure/?on=2015-09-01")
    chart = page.locator("svg[role=img]").first
    expect(chart).to_contain_text("Area Partnership 1")
    assert_accessible(page)
    page.goto(f"{live_server.url}/partnerships/{partnership.slug}/structure/?on=2015-01-01")
    expect(page.locator("svg[role=img]").first).not_to_contain_text("Area Partnership 1")
    assert_accessible(page)
