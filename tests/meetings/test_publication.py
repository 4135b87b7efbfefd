"""Scheduling meetings, building agendas and publishing them on time (R-AI-2/3/4, R-AI-9)."""

import datetime
import zoneinfo

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from meetings import services
from meetings.deadlines import is_late, publication_deadline
from meetings.models import Action, Meeting, Minutes
from membership.models import Membership
from tests.factories import (
    AgendaItemFactory,
    BodyFactory,
    MeetingFactory,
    MembershipFactory,
    PersonFactory,
    SeatFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

LONDON = zoneinfo.ZoneInfo("Europe/London")
EXEMPT_MARKER = "Contract-negotiation-with-Provider-X-7781"
REASON = "The provider's offer expires before the next meeting"


def at(day: datetime.date, hour: int = 14) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=LONDON)


def member_of(body, **user_fields):
    user = UserFactory(**user_fields)
    person = PersonFactory(user=user)
    MembershipFactory(seat=SeatFactory(body=body), person=person)
    return user


@pytest.fixture
def board():
    """A board under the access-to-information rules, meeting in public."""
    return BodyFactory(
        name="Children's Trust Board", meets_in_public=True, access_to_information="statutory"
    )


@pytest.fixture
def late_meeting(board):
    """Wednesday 29 April 2015: its deadline, Tuesday 21 April 2015, has long passed."""
    meeting = MeetingFactory(body=board)
    AgendaItemFactory(meeting=meeting, order=1, title="Future arrangements of the Children's Trust")
    return meeting


@pytest.fixture
def future_meeting(board):
    """A meeting a month away, whose deadline is still to come."""
    meeting = MeetingFactory(body=board, starts_at=timezone.now() + datetime.timedelta(days=30))
    AgendaItemFactory(meeting=meeting, order=1, title="Priorities for next year")
    return meeting


# Deadlines ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("meeting_on", "publish_by"),
    [
        # The worked example in domain.md §4.4: clear days Wed 22 … Tue 28 April.
        (datetime.date(2015, 4, 29), datetime.date(2015, 4, 21)),
        # New Year's Day, Christmas Day and Boxing Day are not working days.
        (datetime.date(2026, 1, 6), datetime.date(2025, 12, 24)),
        # The early May bank holiday, Monday 4 May 2015, does not count as a clear day.
        (datetime.date(2015, 5, 12), datetime.date(2015, 5, 1)),
        # Publication falls on a working day: Friday, not the weekend before Monday 20 April.
        (datetime.date(2015, 4, 27), datetime.date(2015, 4, 17)),
    ],
)
def test_publication_deadline_leaves_five_clear_working_days(meeting_on, publish_by):
    assert publication_deadline(meeting_on) == publish_by


def test_publishing_is_late_only_after_the_deadline_and_only_under_the_rules(board):
    meeting = MeetingFactory(body=board)
    informal = MeetingFactory(body=BodyFactory(access_to_information="none"))

    assert is_late(meeting, on=datetime.date(2015, 4, 21)) is False
    assert is_late(meeting, on=datetime.date(2015, 4, 22)) is True
    assert is_late(informal, on=datetime.date(2015, 4, 28)) is False


# Creating meetings and items ------------------------------------------------------------------


def test_a_new_meeting_starts_with_the_standing_items(board, officer):
    previous = MeetingFactory(body=board, starts_at=at(datetime.date(2015, 1, 28)))
    draft = Minutes.objects.create(meeting=previous)

    meeting = services.create_meeting(
        body=board, starts_at=at(datetime.date(2015, 4, 29)), by=officer, venue="Shire Hall"
    )

    items = list(meeting.items.order_by("order"))
    assert [(item.order, item.kind, item.title) for item in items] == [
        (1, "apologies", "Apologies for absence"),
        (2, "declarations", "Declarations of interest"),
        (3, "previous_minutes", "Minutes of the previous meeting"),
        (4, "action_log", "Action log"),
    ]
    assert items[2].minutes_to_approve == draft
    assert meeting.is_public is True
    assert meeting.status == Meeting.Status.SCHEDULED


def test_a_new_meeting_does_not_offer_approved_minutes_again(board, officer):
    previous = MeetingFactory(body=board, starts_at=at(datetime.date(2015, 1, 28)))
    earlier = MeetingFactory(body=board, starts_at=at(datetime.date(2014, 11, 5)))
    Minutes.objects.create(
        meeting=previous,
        status="approved",
        approved_at=earlier,
        approved_on=datetime.date(2015, 2, 1),
        signed_by=PersonFactory(),
    )

    meeting = services.create_meeting(
        body=board, starts_at=at(datetime.date(2015, 4, 29)), by=officer, is_public=False
    )

    assert meeting.items.get(order=3).minutes_to_approve is None
    assert meeting.is_public is False


def test_open_and_done_actions_of_earlier_meetings_are_carried_forward(board, officer):
    earlier = MeetingFactory(body=board, starts_at=at(datetime.date(2015, 1, 28)))
    other_body = MeetingFactory(starts_at=at(datetime.date(2015, 1, 28)))
    owner = PersonFactory()

    def action(meeting, status, text):
        return Action.objects.create(
            meeting=meeting,
            description=text,
            owner=owner,
            due_on=datetime.date(2015, 3, 1),
            status=status,
            closed_at=earlier if status == "closed" else None,
        )

    action(earlier, "open", "Draft the conference programme")
    action(earlier, "in_progress", "Agree the funding split")
    action(earlier, "done", "Circulate the options paper")
    action(earlier, "closed", "Book the venue")
    action(other_body, "open", "Another body's action")

    meeting = services.create_meeting(
        body=board, starts_at=at(datetime.date(2015, 4, 29)), by=officer
    )

    assert [a.description for a in services.actions_to_carry_forward(meeting)] == [
        "Draft the conference programme",
        "Agree the funding split",
        "Circulate the options paper",
    ]


def test_an_exempt_item_needs_a_paragraph_and_a_public_interest_statement(future_meeting, officer):
    with pytest.raises(ValidationError) as error:
        services.add_item(meeting=future_meeting, by=officer, title="Contract", is_exempt=True)

    assert error.value.message_dict == {
        "exempt_paragraph": ["Choose the paragraph of Schedule 12A that makes the item exempt"],
        "public_interest_statement": [
            "Explain why the public interest in keeping it exempt outweighs the public interest "
            "in disclosing it"
        ],
    }
    assert future_meeting.items.count() == 1


def test_items_added_before_publication_are_not_late(future_meeting, officer):
    item = services.add_item(meeting=future_meeting, by=officer, title="Annual report")

    assert (item.order, item.is_late) == (2, False)


def test_an_item_added_after_publication_and_the_deadline_is_late(late_meeting, officer):
    services.publish_agenda(meeting=late_meeting, by=officer, urgency_reason=REASON)

    with pytest.raises(ValidationError) as error:
        services.add_item(meeting=late_meeting, by=officer, title="Budget")
    item = services.add_item(
        meeting=late_meeting, by=officer, title="Budget", urgency_reason="Funding ends in May"
    )

    assert error.value.message_dict == {
        "urgency_reason": [
            "Give the chair's reason for considering the item as a matter of urgency: "
            "the agenda deadline has passed"
        ]
    }
    assert (item.order, item.is_late, item.urgency_reason) == (2, True, "Funding ends in May")


def test_moving_an_item_renumbers_the_agenda(future_meeting, officer):
    second = services.add_item(meeting=future_meeting, by=officer, title="Second")
    third = services.add_item(meeting=future_meeting, by=officer, title="Third")

    services.move_item(item=third, direction="up")
    services.move_item(item=third, direction="up")
    services.move_item(item=third, direction="up")  # already first: stays first
    services.move_item(item=second, direction="down")

    assert list(future_meeting.items.order_by("order").values_list("order", "title")) == [
        (1, "Third"),
        (2, "Priorities for next year"),
        (3, "Second"),
    ]


def test_cancelling_a_meeting_changes_its_calendar_entry(future_meeting, officer):
    meeting = services.cancel_meeting(meeting=future_meeting, by=officer)

    assert (meeting.status, meeting.calendar_sequence) == ("cancelled", 1)
    with pytest.raises(ValidationError):
        services.cancel_meeting(meeting=meeting, by=officer)


# Publishing -----------------------------------------------------------------------------------


def test_publishing_in_time_freezes_the_agenda(future_meeting, officer):
    meeting = services.publish_agenda(meeting=future_meeting, by=officer)

    assert meeting.status == Meeting.Status.AGENDA_PUBLISHED
    assert meeting.agenda_published_by == officer
    assert meeting.agenda_published_at is not None
    assert (meeting.agenda_version, meeting.calendar_sequence) == (1, 1)
    assert not meeting.items.filter(is_late=True).exists()


def test_an_empty_agenda_is_not_published(board, officer):
    meeting = MeetingFactory(body=board)

    with pytest.raises(ValidationError) as error:
        services.publish_agenda(meeting=meeting, by=officer)

    assert error.value.messages == ["Add at least one item before publishing the agenda"]
    meeting.refresh_from_db()
    assert (meeting.agenda_published_at, meeting.agenda_version) == (None, 0)


def test_late_publication_needs_the_chairs_reason(late_meeting, officer):
    with pytest.raises(ValidationError) as error:
        services.publish_agenda(meeting=late_meeting, by=officer)

    assert error.value.message_dict == {
        "urgency_reason": [
            "The agenda was due to be published by Tuesday 21 April 2015. Give the chair's "
            "reason for considering it as a matter of urgency"
        ]
    }
    late_meeting.refresh_from_db()
    assert late_meeting.agenda_published_at is None
    assert not late_meeting.items.filter(is_late=True).exists()


def test_late_publication_marks_the_items_late_with_the_reason(late_meeting, officer):
    services.publish_agenda(meeting=late_meeting, by=officer, urgency_reason=REASON)

    assert list(late_meeting.items.values_list("is_late", "urgency_reason")) == [(True, REASON)]


def test_publication_is_all_or_nothing(late_meeting, officer, monkeypatch):
    def fail(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(Meeting, "save", fail)

    with pytest.raises(RuntimeError):
        services.publish_agenda(meeting=late_meeting, by=officer, urgency_reason=REASON)

    monkeypatch.undo()
    assert not late_meeting.items.filter(is_late=True).exists()
    late_meeting.refresh_from_db()
    assert late_meeting.agenda_version == 0


def test_a_second_publication_is_a_supplementary_agenda(
    future_meeting, officer, django_capture_on_commit_callbacks
):
    member_of(future_meeting.body, email="chair@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        services.publish_agenda(meeting=future_meeting, by=officer)
    with pytest.raises(ValidationError) as unchanged:
        services.publish_agenda(meeting=future_meeting, by=officer)

    services.add_item(meeting=future_meeting, by=officer, title="Conference date")
    with django_capture_on_commit_callbacks(execute=True):
        meeting = services.publish_agenda(meeting=future_meeting, by=officer)

    assert unchanged.value.messages == ["Nothing on the agenda has changed since it was published"]
    assert (meeting.agenda_version, meeting.calendar_sequence) == (2, 2)
    assert [message.subject for message in mail.outbox] == [
        f"Agenda published: {meeting}",
        f"Supplementary agenda: {meeting}",
    ]
    assert "2. Conference date" in mail.outbox[1].body


def test_a_late_supplementary_agenda_marks_only_the_new_items_late(late_meeting, officer):
    services.publish_agenda(meeting=late_meeting, by=officer, urgency_reason=REASON)
    AgendaItemFactory(meeting=late_meeting, order=2, title="Added by the officer directly")

    services.publish_agenda(meeting=late_meeting, by=officer, urgency_reason="New money")

    assert list(late_meeting.items.order_by("order").values_list("urgency_reason")) == [
        (REASON,),
        ("New money",),
    ]


# E-mail ---------------------------------------------------------------------------------------


def test_members_are_told_after_commit_and_only_members_see_exempt_items(
    future_meeting, officer, django_capture_on_commit_callbacks
):
    body = future_meeting.body
    AgendaItemFactory(
        meeting=future_meeting,
        order=2,
        title=EXEMPT_MARKER,
        is_exempt=True,
        exempt_paragraph=3,
        public_interest_statement="Commercially sensitive until the contract is signed",
    )
    member = member_of(body, username="chair", email="chair@example.org")
    outsider = member_of(BodyFactory(), username="outsider", email="outsider@example.org")
    past = member_of(body, username="former", email="former@example.org")
    Membership.objects.filter(person=past.person).update(ends_on=datetime.date(2014, 1, 1))
    PersonFactory(email="nologin@example.org")  # no user: not a member anyway

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.publish_agenda(meeting=future_meeting, by=officer)
        assert mail.outbox == []

    # One e-mail callback (search re-indexing adds its own, after commit too).
    assert sum("publish_agenda" in callback.__qualname__ for callback in callbacks) == 1
    assert [message.to for message in mail.outbox] == [[member.email]]
    text = mail.outbox[0].body
    assert "1. Priorities for next year" in text
    assert f"2. {EXEMPT_MARKER} (exempt: Schedule 12A paragraph 3; not for publication)" in text
    assert outsider.email not in str([m.to for m in mail.outbox])


# The publish page -----------------------------------------------------------------------------


def test_board_members_cannot_publish(client, board_member, future_meeting):
    client.force_login(board_member)

    response = client.post(reverse("meetings:agenda-publish", args=[future_meeting.pk]))

    assert response.status_code == 403
    future_meeting.refresh_from_db()
    assert future_meeting.agenda_published_at is None


def test_the_public_is_sent_to_sign_in_to_publish(client, future_meeting):
    url = reverse("meetings:agenda-publish", args=[future_meeting.pk])

    response = client.post(url)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={url}"


def test_officers_publish_late_with_a_reason(client, officer, late_meeting):
    client.force_login(officer)
    url = reverse("meetings:agenda-publish", args=[late_meeting.pk])

    page = client.get(url)
    refused = client.post(url, {"urgency_reason": ""})
    done = client.post(url, {"urgency_reason": REASON})

    assert "The deadline to publish was Tuesday 21 April 2015" in page.content.decode()
    assert refused.status_code == 200
    assert (
        "Give the chair&#x27;s reason for considering the item as a matter of urgency"
        in refused.content.decode()
    )
    assert done.status_code == 302
    assert done["Location"] == late_meeting.get_absolute_url()
    late_meeting.refresh_from_db()
    assert late_meeting.agenda_version == 1
    assert late_meeting.items.get().urgency_reason == REASON
