"""A member of the public follows a body by e-mail and leaves again; a signed-in user follows
and unfollows with a button. Every page visited passes axe."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from subscriptions.models import Subscription
from tests.browser.test_partnerships import sign_in
from tests.factories import BodyFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _mail_and_tasks(settings, live_server, mailoutbox):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    settings.SITE_URL = live_server.url


@pytest.fixture
def board():
    return BodyFactory(name="Children's Trust Board", meets_in_public=True)


def test_the_public_follow_a_body_by_email_then_unsubscribe(
    page, live_server, board, assert_accessible
):
    page.goto(f"{live_server.url}{board.get_absolute_url()}")
    page.get_by_role("link", name="Get e-mails about this body").click()
    expect(page).to_have_title("Get e-mails about Children's Trust Board – Partnership governance")
    assert_accessible(page)

    page.get_by_role("button", name="Send me a link to confirm").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter your e-mail address")
    assert_accessible(page)

    page.get_by_label("E-mail address").fill("ann@example.org")
    page.get_by_role("button", name="Send me a link to confirm").click()
    expect(page.get_by_role("heading", name="Check your e-mail")).to_be_visible()
    assert_accessible(page)

    [message] = mail.outbox
    confirm_url = re.search(r"http\S+/subscriptions/confirm/\S+", message.body).group(0)
    page.goto(confirm_url)
    assert_accessible(page)
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("heading", name="Subscription confirmed")).to_be_visible()
    assert_accessible(page)
    assert Subscription.objects.get().is_confirmed

    page.goto(live_server.url + Subscription.objects.get().get_unsubscribe_url())
    expect(
        page.get_by_role("heading", name="Stop e-mails about Children's Trust Board")
    ).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Unsubscribe").click()
    expect(page.get_by_role("heading", name="You have unsubscribed")).to_be_visible()
    assert_accessible(page)
    assert not Subscription.objects.exists()


def test_a_signed_in_user_follows_and_unfollows(page, live_server, board, assert_accessible):
    sign_in(page, live_server, UserFactory(username="sam", email="sam@example.org"))
    page.goto(f"{live_server.url}{board.get_absolute_url()}")
    page.get_by_role("link", name="Get e-mails about this body").click()
    assert_accessible(page)

    page.get_by_role("button", name="Get e-mails about Children's Trust Board").click()
    expect(page.get_by_role("alert")).to_contain_text("You will get e-mails about")
    assert_accessible(page)

    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="My subscriptions").click()
    expect(page.get_by_role("cell", name="Children's Trust Board", exact=True)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Stop following Children's Trust Board").click()
    expect(page.get_by_text("You do not follow any bodies")).to_be_visible()
    assert_accessible(page)
    assert not Subscription.objects.exists()
