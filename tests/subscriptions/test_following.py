"""Following a body: one button when signed in, double opt-in by e-mail for the public."""

import datetime
import io

import pytest
from django.core import mail, signing
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.db import IntegrityError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from subscriptions import services
from subscriptions.links import confirmation_code
from subscriptions.models import Subscription
from tests.factories import BodyFactory, UserFactory

from .conftest import link, member_of

pytestmark = pytest.mark.django_db


def follow_url(body):
    return reverse("subscriptions:follow", kwargs={"slug": body.slug})


@pytest.fixture
def ask(client, after_commit):
    """The public form, posted."""
    return lambda body, email: after_commit(client.post, follow_url(body), {"email": email})


@pytest.fixture
def request_link(after_commit):
    """services.request_subscription, with its confirmation e-mail sent."""
    return lambda **kwargs: after_commit(services.request_subscription, **kwargs)


# Signed-in users --------------------------------------------------------------------------------


def test_a_signed_in_user_follows_with_one_button_and_unfollows_from_my_subscriptions(
    client, board
):
    user = UserFactory(email="sam@example.org")
    client.force_login(user)

    page = client.get(follow_url(board))
    followed = client.post(follow_url(board), follow=True)
    listed = client.get(reverse("subscriptions:my-subscriptions"))
    subscription = Subscription.objects.get()
    stopped = client.post(
        reverse("subscriptions:my-subscriptions"), {"subscription": subscription.pk}, follow=True
    )

    assert "We will e-mail you at <strong>sam@example.org</strong>" in page.text
    assert (
        "You will get e-mails about Children&#x27;s Trust Board at sam@example.org" in followed.text
    )
    assert subscription.user == user
    assert subscription.is_confirmed
    assert "Children&#x27;s Trust Board</a>" in listed.text
    assert "You will no longer get e-mails about Children&#x27;s Trust Board" in stopped.text
    assert not Subscription.objects.exists()
    assert mail.outbox == []  # no opt-in e-mail: the account is the proof


def test_following_twice_keeps_one_subscription(client, board):
    client.force_login(UserFactory())

    client.post(follow_url(board))
    client.post(follow_url(board))

    assert Subscription.objects.count() == 1


def test_a_user_cannot_unfollow_someone_elses_subscription(client, board):
    other = services.follow(body=board, user=UserFactory())
    client.force_login(UserFactory())

    response = client.post(
        reverse("subscriptions:my-subscriptions"), {"subscription": other.pk}, follow=True
    )

    assert "You do not follow that body any more" in response.text
    assert Subscription.objects.filter(pk=other.pk).exists()


def test_a_user_without_an_email_address_is_told_so(client, board):
    client.force_login(UserFactory(email=""))

    page = client.get(follow_url(board))
    client.post(follow_url(board))

    assert "We do not have an e-mail address for you" in page.text
    assert not Subscription.objects.exists()


def test_my_subscriptions_needs_signing_in(client):
    url = reverse("subscriptions:my-subscriptions")

    response = client.get(url)

    assert response.headers["Location"] == f"{reverse('login')}?next={url}"


# Who may follow what ----------------------------------------------------------------------------


def test_a_private_body_is_followed_only_by_those_who_see_its_meetings(
    client, private_group, officer, request_link
):
    member = member_of(private_group)
    outsider = UserFactory()
    url = follow_url(private_group)

    anonymous = client.get(url)
    client.force_login(outsider)
    refused = client.get(url)
    client.force_login(member)
    allowed = client.get(url)
    client.force_login(officer)
    staff = client.get(url)

    assert anonymous.headers["Location"] == f"{reverse('login')}?next={url}"
    assert refused.status_code == 404
    assert (allowed.status_code, staff.status_code) == (200, 200)
    with pytest.raises(PermissionDenied):
        services.follow(body=private_group, user=outsider)
    with pytest.raises(PermissionDenied):
        request_link(body=private_group, email="someone@example.org")


def test_the_body_page_offers_emails_only_where_they_may_be_had(client, board, private_group):
    offer = "Get e-mails about this body"

    public_page = client.get(board.get_absolute_url())
    private_page = client.get(private_group.get_absolute_url())
    client.force_login(UserFactory())
    outsider_page = client.get(private_group.get_absolute_url())
    client.force_login(member_of(private_group))
    member_page = client.get(private_group.get_absolute_url())

    assert offer in public_page.text
    assert offer not in private_page.text
    assert offer not in outsider_page.text
    assert offer in member_page.text


# The public: double opt-in ----------------------------------------------------------------------


def test_the_public_confirm_by_email_before_anything_is_sent(client, board, ask):
    response = ask(board, "ann@example.org")
    subscription = Subscription.objects.get()
    [message] = mail.outbox
    confirm_path = link(message, "/subscriptions/confirm/")

    before = client.get(confirm_path)
    subscription.refresh_from_db()
    assert not subscription.is_confirmed  # opening the link alone confirms nothing
    confirmed = client.post(confirm_path)
    subscription.refresh_from_db()

    assert response.headers["Location"] == reverse(
        "subscriptions:check-email", kwargs={"slug": board.slug}
    )
    assert message.to == ["ann@example.org"]
    assert message.subject == "Confirm you want e-mails about Children's Trust Board"
    assert "The link works for 7 days" in message.body
    assert "Confirm you want e-mails about Children&#x27;s Trust Board" in before.text
    assert "Subscription confirmed" in confirmed.text
    assert subscription.is_confirmed


def test_a_confirmation_link_works_once(client, board, request_link):
    subscription = request_link(body=board, email="ann@example.org")
    url = reverse("subscriptions:confirm", kwargs={"token": confirmation_code(subscription)})
    client.post(url)
    subscription.refresh_from_db()
    first_confirmed_at = subscription.confirmed_at

    again = client.post(url)
    subscription.refresh_from_db()

    assert "This link has been used already" in again.text
    assert subscription.confirmed_at == first_confirmed_at


@pytest.mark.parametrize(
    ("token", "problem"),
    [
        ("not-a-link", "This link is not valid. Check you copied the whole link from the e-mail."),
        (signing.TimestampSigner(salt="subscriptions.confirm").sign("unknown"), "no longer valid"),
    ],
)
def test_a_bad_confirmation_link_says_what_is_wrong(client, token, problem):
    response = client.get(reverse("subscriptions:confirm", kwargs={"token": token}))

    assert response.status_code == 404
    assert problem in response.text


def test_an_expired_confirmation_link_says_so(client, board, monkeypatch, request_link):
    subscription = request_link(body=board, email="ann@example.org")
    eight_days_ago = timezone.now() - datetime.timedelta(days=8)
    monkeypatch.setattr(signing.time, "time", lambda: eight_days_ago.timestamp())
    code = confirmation_code(subscription)
    monkeypatch.undo()

    response = client.post(reverse("subscriptions:confirm", kwargs={"token": code}))
    subscription.refresh_from_db()

    assert response.status_code == 404
    assert "This link has expired. Links to confirm work for 7 days" in response.text
    assert not subscription.is_confirmed


def test_the_public_form_says_what_is_wrong_with_an_address(client, board, ask):
    response = ask(board, "not an address")

    assert "Enter an e-mail address in the correct format, like name@example.com" in response.text
    assert not Subscription.objects.exists()


def test_the_answer_is_the_same_whether_or_not_the_address_already_follows(
    client, board, ask, request_link
):
    services.confirm(subscription=request_link(body=board, email="a@example.org"))
    mail.outbox.clear()

    known = ask(board, "A@example.org")
    unknown = ask(board, "b@example.org")
    known_page = client.get(known.headers["Location"])
    unknown_page = client.get(unknown.headers["Location"])

    assert (known.status_code, known.headers["Location"]) == (
        unknown.status_code,
        unknown.headers["Location"],
    )
    assert known_page.content == unknown_page.content
    assert [message.to for message in mail.outbox] == [["b@example.org"]]


def test_addresses_are_one_subscriber_whatever_their_case(board, request_link):
    request_link(body=board, email="Ann@Example.org")
    later = timezone.now() + datetime.timedelta(minutes=11)
    request_link(body=board, email="ann@example.org", now=later)

    assert Subscription.objects.count() == 1
    with pytest.raises(IntegrityError):
        Subscription.objects.create(body=board, email="ANN@EXAMPLE.ORG")


# Not a way to flood someone's inbox -------------------------------------------------------------


def test_asking_again_reuses_the_pending_subscription_and_waits_ten_minutes(board, request_link):
    now = timezone.now()

    first = request_link(body=board, email="ann@example.org", now=now)
    soon = request_link(
        body=board, email="ann@example.org", now=now + datetime.timedelta(minutes=5)
    )
    later = request_link(
        body=board, email="ann@example.org", now=now + datetime.timedelta(minutes=11)
    )

    assert soon is None
    assert later.pk == first.pk
    assert len(mail.outbox) == 2


def test_one_address_gets_at_most_three_confirmation_emails_an_hour(db, request_link):
    bodies = [BodyFactory(meets_in_public=True) for _ in range(5)]
    now = timezone.now()

    sent = [request_link(body=body, email="ann@example.org", now=now) for body in bodies[:4]]
    next_hour = request_link(
        body=bodies[4], email="ann@example.org", now=now + datetime.timedelta(minutes=61)
    )

    assert [s is not None for s in sent] == [True, True, True, False]
    assert next_hour is not None
    assert len(mail.outbox) == 4
    assert request_link(body=bodies[0], email="bob@example.org", now=now)


def test_unconfirmed_subscriptions_expire_after_seven_days(board, request_link):
    now = timezone.now()
    stale = request_link(body=board, email="old@example.org", now=now - datetime.timedelta(days=8))
    fresh = request_link(body=board, email="new@example.org", now=now - datetime.timedelta(days=6))
    kept = request_link(body=board, email="kept@example.org", now=now - datetime.timedelta(days=30))
    services.confirm(subscription=kept)

    out = io.StringIO()
    call_command("delete_unconfirmed_subscriptions", stdout=out)

    assert set(Subscription.objects.values_list("pk", flat=True)) == {fresh.pk, kept.pk}
    assert not Subscription.objects.filter(pk=stale.pk).exists()
    assert out.getvalue() == "Deleted 1 unconfirmed subscription\n"


# Unsubscribing ----------------------------------------------------------------------------------


def test_unsubscribe_asks_on_get_and_stops_on_post(client, board, request_link):
    subscription = request_link(body=board, email="ann@example.org")
    services.confirm(subscription=subscription)
    url = subscription.get_unsubscribe_url()

    asked = client.get(url)
    still_there = Subscription.objects.filter(pk=subscription.pk).exists()
    done = client.post(url)
    again = client.post(url)

    assert "We will stop sending e-mails about Children&#x27;s Trust Board" in asked.text
    assert still_there
    assert "You will get no more e-mails about Children&#x27;s Trust Board" in done.text
    assert not Subscription.objects.exists()
    assert again.status_code == 404
    assert "You may have unsubscribed already" in again.text


def test_a_mail_programs_one_click_unsubscribe_needs_no_csrf_token(board):
    subscription = services.follow(body=board, user=UserFactory())
    client = Client(enforce_csrf_checks=True)

    response = client.post(subscription.get_unsubscribe_url(), {"List-Unsubscribe": "One-Click"})

    assert response.status_code == 200
    assert not Subscription.objects.exists()


@pytest.mark.parametrize("bodies", [1, 10])
def test_my_subscriptions_takes_the_same_queries_however_many(
    client, bodies, django_assert_num_queries
):
    user = UserFactory()
    for _ in range(bodies):
        services.follow(body=BodyFactory(meets_in_public=True), user=user)
    client.force_login(user)

    # session, user, the user's person (for the address), subscriptions with their bodies
    with django_assert_num_queries(4):
        response = client.get(reverse("subscriptions:my-subscriptions"))
    assert response.text.count("Stop following") == bodies
