"""E-mails to followers: sent after commit, one per follower, public items only, with a way out."""

import datetime
import zoneinfo

import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse

from meetings import minutes, services
from meetings.notifications import send_agenda_published as members_email
from subscriptions import notifications
from subscriptions import services as subscriptions
from tests.factories import (
    AgendaItemFactory,
    MeetingFactory,
    MembershipFactory,
    PersonFactory,
    SeatFactory,
    UserFactory,
)

from .conftest import SITE, link, member_of

pytestmark = pytest.mark.django_db

LONDON = zoneinfo.ZoneInfo("Europe/London")
EXEMPT_MARKER = "Provider-X-contract-7781"


@pytest.fixture
def meeting(board):
    """A public meeting on a summer evening (British Summer Time), with an exempt item."""
    meeting = MeetingFactory(
        body=board,
        starts_at=datetime.datetime(2030, 6, 12, 18, 30, tzinfo=LONDON),
        venue="Shire Hall, Cambridge",
    )
    AgendaItemFactory(meeting=meeting, order=1, title="Early help strategy")
    AgendaItemFactory(
        meeting=meeting,
        order=2,
        title=EXEMPT_MARKER,
        is_exempt=True,
        exempt_paragraph=3,
        public_interest_statement="Commercially sensitive",
    )
    AgendaItemFactory(meeting=meeting, order=3, title="Youth offending plan")
    return meeting


def public_follower(body, email):
    subscription = subscriptions.request_subscription(body=body, email=email)
    subscriptions.confirm(subscription=subscription)
    return subscription


def publish(meeting, by, after_commit):
    return after_commit(services.publish_agenda, meeting=meeting, by=by)


def to(address):
    return [message for message in mail.outbox if message.to == [address]]


def test_publishing_emails_each_confirmed_follower_after_commit(
    meeting, officer, django_capture_on_commit_callbacks
):
    public_follower(meeting.body, "ann@example.org")
    subscriptions.request_subscription(body=meeting.body, email="unconfirmed@example.org")
    subscriptions.follow(body=meeting.body, user=UserFactory(email="sam@example.org"))
    mail.outbox.clear()

    with django_capture_on_commit_callbacks() as callbacks:
        services.publish_agenda(meeting=meeting, by=officer)
    sent_before_commit = len(mail.outbox)
    for callback in callbacks:
        callback()

    assert sent_before_commit == 0
    assert sorted(message.to[0] for message in mail.outbox) == [
        "ann@example.org",
        "sam@example.org",
    ]


def test_the_email_gives_date_time_venue_public_items_and_links(meeting, officer, after_commit):
    public_follower(meeting.body, "ann@example.org")
    mail.outbox.clear()

    publish(meeting, officer, after_commit)
    [message] = mail.outbox
    unsubscribe = f"{SITE}/subscriptions/unsubscribe/"

    assert message.subject == "Agenda published: Children's Trust Board, 12 June 2030"
    assert "When: Wednesday 12 June 2030, 6:30 PM" in message.body
    assert "Where: Shire Hall, Cambridge" in message.body
    assert "1. Early help strategy\n3. Youth offending plan" in message.body
    assert EXEMPT_MARKER not in message.body
    assert f"Read the agenda and papers: {SITE}/meetings/{meeting.pk}/" in message.body
    assert message.extra_headers["List-Unsubscribe"].startswith(f"<{unsubscribe}")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_no_follower_gets_exempt_titles_not_even_staff(meeting, officer, after_commit):
    subscriptions.follow(body=meeting.body, user=officer)
    public_follower(meeting.body, "ann@example.org")
    mail.outbox.clear()

    publish(meeting, officer, after_commit)

    assert len(mail.outbox) == 2
    assert all(EXEMPT_MARKER not in message.body for message in mail.outbox)
    assert all("3. Youth offending plan" in message.body for message in mail.outbox)


def test_the_unsubscribe_link_in_the_email_stops_the_emails(client, meeting, officer, after_commit):
    public_follower(meeting.body, "ann@example.org")
    mail.outbox.clear()
    publish(meeting, officer, after_commit)
    unsubscribe_path = link(mail.outbox[0], "/subscriptions/unsubscribe/")

    page = client.get(unsubscribe_path)
    client.post(unsubscribe_path)
    mail.outbox.clear()
    services.add_item(meeting=meeting, by=officer, title="Conference date")
    publish(meeting, officer, after_commit)

    assert page.status_code == 200
    assert to("ann@example.org") == []


def test_a_rolled_back_publication_sends_nothing(
    meeting, officer, django_capture_on_commit_callbacks
):
    public_follower(meeting.body, "ann@example.org")
    mail.outbox.clear()

    def publish_then_fail():
        with transaction.atomic():
            services.publish_agenda(meeting=meeting, by=officer)
            raise RuntimeError("the database went away")

    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(RuntimeError):
        publish_then_fail()

    assert callbacks == []
    assert mail.outbox == []


def test_a_supplementary_agenda_is_sent_too(meeting, officer, after_commit):
    public_follower(meeting.body, "ann@example.org")
    publish(meeting, officer, after_commit)
    services.add_item(meeting=meeting, by=officer, title="Conference date")
    mail.outbox.clear()

    publish(meeting, officer, after_commit)

    [message] = mail.outbox
    assert message.subject == "Supplementary agenda: Children's Trust Board, 12 June 2030"
    assert "4. Conference date" in message.body


def test_unpublished_and_private_meetings_are_not_sent_to_the_public(
    meeting, board, officer, after_commit
):
    public_follower(board, "ann@example.org")
    staff = subscriptions.follow(body=board, user=officer)
    private = MeetingFactory(body=board, is_public=False, venue="Room 4")
    AgendaItemFactory(meeting=private, order=1, title="Budget workshop")
    mail.outbox.clear()

    draft = notifications.send_agenda_published(meeting_id=meeting.pk)
    publish(private, officer, after_commit)

    assert draft == 0
    assert [message.to for message in mail.outbox] == [[staff.address]]
    assert "1. Budget workshop" in mail.outbox[0].body


def test_a_member_who_follows_gets_only_the_members_email(meeting, officer, after_commit):
    member = member_of(meeting.body, email="morgan@example.org")
    subscriptions.follow(body=meeting.body, user=member)
    public_follower(meeting.body, "MORGAN@example.org")
    mail.outbox.clear()

    publish(meeting, officer, after_commit)

    [message] = to("morgan@example.org")
    assert EXEMPT_MARKER in message.body  # the members' e-mail, which lists exempt items
    assert "Unsubscribe" not in message.body
    assert to("MORGAN@example.org") == []


def test_a_signed_in_follower_who_left_a_private_body_gets_nothing(private_group, officer):
    user = member_of(private_group, email="former@example.org")
    subscriptions.follow(body=private_group, user=user)
    user.person.memberships.update(ends_on=datetime.date(2020, 1, 1))
    meeting = MeetingFactory(body=private_group, is_public=False)
    AgendaItemFactory(meeting=meeting, order=1, title="Case review")
    meeting.agenda_published_at = meeting.starts_at
    meeting.save()

    sent = notifications.send_agenda_published(meeting_id=meeting.pk)

    assert sent == 0
    assert members_email(meeting_id=meeting.pk) == 0


def test_approved_minutes_are_emailed_to_followers(meeting, board, officer, after_commit):
    chair = SeatFactory(body=board, label="Chair", role="chair")
    MembershipFactory(seat=chair, person=PersonFactory(name="Bella Chair"))
    meeting.agenda_published_at = datetime.datetime(2030, 6, 1, tzinfo=LONDON)
    meeting.save()
    later = MeetingFactory(body=board, starts_at=datetime.datetime(2030, 7, 22, 14, tzinfo=LONDON))
    approval = AgendaItemFactory(meeting=later, kind="previous_minutes", title="Minutes")
    public_follower(board, "ann@example.org")
    mail.outbox.clear()

    after_commit(
        minutes.approve_minutes,
        minutes=minutes.ensure_minutes(meeting),
        at_item=approval,
        by=officer,
    )

    [message] = mail.outbox
    minutes_url = SITE + reverse("meetings:minutes", kwargs={"pk": meeting.pk})
    assert message.subject == "Minutes approved: Children's Trust Board, 12 June 2030"
    assert (
        "The minutes of Children's Trust Board on Wednesday 12 June 2030 have been approved as a "
        "correct record at the meeting on Monday 22 July 2030." in message.body
    )
    assert f"Read the minutes: {minutes_url}" in message.body
    assert "Unsubscribe: " + SITE + "/subscriptions/unsubscribe/" in message.body
