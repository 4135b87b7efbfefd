"""Each demo role signs in and reaches the home page; every page visited passes axe."""

import pytest
from django.core.management import call_command
from django.test import RequestFactory
from django.views import defaults
from playwright.sync_api import expect

from config.demo import DEMO_LOGINS, DEMO_PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo_world(transactional_db):
    call_command("load_demo", allow_production=True, stdout=open("/dev/null", "w"))  # noqa: SIM115


@pytest.mark.parametrize("login", DEMO_LOGINS, ids=[login.username for login in DEMO_LOGINS])
def test_each_demo_role_signs_in_and_sees_the_home_page(
    page, live_server, demo_world, assert_accessible, login
):
    page.goto(f"{live_server.url}/")
    assert_accessible(page)
    page.get_by_role("link", name="Sign in", exact=True).click()

    expect(page).to_have_title("Sign in – Partnership governance")
    assert_accessible(page)
    page.get_by_label("Username").fill(login.username)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    expect(page).to_have_title("Home – Partnership governance")
    expect(
        page.get_by_text(f"You are signed in as {login.first_name} {login.last_name}")
    ).to_be_visible()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    assert_accessible(page)


def test_a_wrong_password_shows_an_accessible_error_summary(
    page, live_server, demo_world, assert_accessible
):
    page.goto(f"{live_server.url}/sign-in/")
    page.get_by_label("Username").fill("member")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()

    expect(page).to_have_title("Error: Sign in – Partnership governance")
    expect(page.get_by_role("alert")).to_contain_text("There is a problem")
    assert_accessible(page)


def test_sign_out(page, live_server, demo_world):
    page.goto(f"{live_server.url}/sign-in/")
    page.get_by_label("Username").fill("officer")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    page.get_by_role("button", name="Sign out").click()

    expect(page.get_by_role("link", name="Sign in", exact=True)).to_be_visible()


def test_accessibility_statement_and_not_found_pages_pass_axe(page, live_server, assert_accessible):
    page.goto(f"{live_server.url}/accessibility/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Accessibility statement")
    assert_accessible(page)

    response = page.goto(f"{live_server.url}/no-such-page/")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    assert_accessible(page)


@pytest.mark.parametrize(
    ("view", "heading"),
    [
        (defaults.permission_denied, "You cannot do that"),
        (defaults.server_error, "Sorry, there is a problem with the service"),
    ],
)
def test_error_pages_pass_axe(page, live_server, assert_accessible, view, heading):
    # No URL fails on purpose, so serve the page Django renders for the error at a test address.
    request = RequestFactory().get("/")
    kwargs = {"exception": PermissionError()} if view is defaults.permission_denied else {}
    html = view(request, **kwargs).content.decode()
    url = f"{live_server.url}/error-page-under-test/"
    page.route(url, lambda route: route.fulfill(status=200, content_type="text/html", body=html))

    page.goto(url)

    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    assert_accessible(page)
