"""A partnership manager imports a roster, corrects a bad row, and finds the vacancy."""

import datetime

import pytest
from playwright.sync_api import expect

from tests.browser.test_partnerships import sign_in
from tests.factories import BodyFactory, MembershipFactory, PersonFactory, SeatFactory

pytestmark = pytest.mark.django_db(transaction=True)

HEADER = "body,seat,person,organisation,role,represents,arrangement,starts_on,ends_on,voting,notes"
ROWS = [
    "partnership-advisory-body,Chair. Voluntary & Community Sector Representative,Michael Hunter,"
    ",chair,Voluntary & Community Sector,,2009-08,,yes,",
    "partnership-advisory-body,GP Representative,,,member,GP,,,,yes,",
    "partnership-advisory-body,Senior Representative from Probation,Helen Allen,"
    ",{role},,,2009-08,,yes,",
]


def roster_csv(role: str) -> bytes:
    return "\n".join([HEADER, *ROWS]).format(role=role).encode()


def upload(page, content: bytes):
    page.get_by_label("Upload a CSV file").set_input_files(
        files=[{"name": "pab-roster.csv", "mimeType": "text/csv", "buffer": content}]
    )
    page.get_by_role("button", name="Check the file").click()


def test_manager_imports_a_roster_fixes_a_bad_row_and_sees_the_vacancy(
    page, live_server, partnership_manager, assert_accessible
):
    BodyFactory(
        name="Partnership Advisory Body", kind="advisory_body", status_on=datetime.date(2008, 5, 1)
    )
    sign_in(page, live_server, partnership_manager)

    page.goto(f"{live_server.url}/membership/import/")
    assert_accessible(page)
    upload(page, roster_csv(role="Chiar"))

    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("nothing was imported")
    expect(summary).to_contain_text("Line 4")
    expect(summary).to_contain_text("Chiar")
    assert_accessible(page)

    upload(page, roster_csv(role="Member"))
    expect(page.get_by_role("heading", name="The file is ready to import")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Import", exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Members")
    seats = page.get_by_role("table", name="Seats")
    expect(seats).to_contain_text("Michael Hunter")
    expect(seats.get_by_role("row", name="GP Representative")).to_contain_text("Vacant")
    expect(page.get_by_role("heading", name="Compliance", exact=True)).to_be_visible()
    findings = page.get_by_role("table", name="Findings")
    expect(findings.get_by_role("row").filter(has_text="R-MEM-4")).to_contain_text(
        "GP Representative"
    )
    assert_accessible(page)

    page.get_by_role("link", name="See the full compliance check").click()
    expect(page.locator("main")).to_contain_text("GP Representative")
    assert_accessible(page)


def test_roster_person_organisation_and_vacancy_pages_pass_axe(
    page, live_server, assert_accessible
):
    body = BodyFactory(name="Joint Commissioning Board", kind="joint_commissioning_board")
    person = PersonFactory(name="Gail Quinton", job_title="Director of Children's Services")
    MembershipFactory(seat=SeatFactory(body=body, label="Chair", role="chair"), person=person)
    SeatFactory(body=body, label="GP Representative")

    for path in [
        f"/membership/bodies/{body.slug}/",
        f"/membership/people/{person.pk}/",
        "/membership/vacancies/",
        f"/partnerships/bodies/{body.slug}/",
    ]:
        page.goto(f"{live_server.url}{path}")
        expect(page.locator("main h1")).to_be_visible()
        assert_accessible(page)
