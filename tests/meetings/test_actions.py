"""The action log (R-ACT-1..3) and decisions (R-DEC-1..2): owners and due dates, progress,
closing only at a meeting, overdue actions, "my actions", ratification and referral."""

import datetime
import zoneinfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from meetings import actions as services
from meetings import minutes
from meetings.models import Action, ActionUpdate, Decision, Ratification
from tests.factories import (
    AgendaItemFactory,
    BodyFactory,
    MeetingFactory,
    OrganisationFactory,
    PersonFactory,
)

pytestmark = pytest.mark.django_db

LONDON = zoneinfo.ZoneInfo("Europe/London")
APRIL_30 = datetime.date(2015, 4, 30)


def at(day: datetime.date):
    return datetime.datetime(day.year, day.month, day.day, 14, 0, tzinfo=LONDON)


@pytest.fixture
def april():
    return MeetingFactory(
        body=BodyFactory(name="Children's Trust Board", meets_in_public=True),
        agenda_published_at=at(datetime.date(2015, 4, 21)),
    )


@pytest.fixture
def july(april):
    return MeetingFactory(body=april.body, starts_at=at(datetime.date(2015, 7, 22)))


@pytest.fixture
def owner(board_member):
    return PersonFactory(name="Olu Owner", user=board_member)


@pytest.fixture
def action(april, owner, officer):
    return services.create_action(
        meeting=april,
        description="Circulate the early help strategy",
        owner=owner,
        due_on=datetime.date(2015, 6, 1),
        by=officer,
    )


# Services ---------------------------------------------------------------------------------------


def test_an_action_needs_an_owner_and_a_due_date(april, officer):
    with pytest.raises(ValidationError) as error:
        services.create_action(meeting=april, description="Do it", due_on=None, by=officer)

    assert error.value.message_dict == {
        "owner": ["Choose who owns the action: a person or an organisation"],
        "due_on": ["Enter the date the action is due"],
    }


def test_an_organisation_may_own_an_action(april, officer):
    council = OrganisationFactory(name="Cambridgeshire County Council")

    action = services.create_action(
        meeting=april,
        description="Confirm funding",
        owner_organisation=council,
        due_on=APRIL_30,
        by=officer,
    )

    assert (action.owner, action.owner_organisation, action.status) == (None, council, "open")


def test_an_actions_item_must_be_on_the_meetings_agenda(april, officer, owner):
    elsewhere = AgendaItemFactory(title="Another meeting's item")

    with pytest.raises(ValidationError) as error:
        services.create_action(
            meeting=april,
            item=elsewhere,
            description="X",
            owner=owner,
            due_on=APRIL_30,
            by=officer,
        )

    assert error.value.message_dict == {"item": ["Choose an item on this meeting's agenda"]}


def test_owners_record_progress_but_cannot_close(action, board_member):
    services.update_action(action=action, status="in_progress", note="Drafted", by=board_member)
    services.update_action(action=action, status="done", note="", by=board_member)

    with pytest.raises(ValidationError) as error:
        services.update_action(action=action, status="closed", note="", by=board_member)

    assert error.value.message_dict == {
        "status": [
            "An action is closed only at a meeting: record the meeting and the minute that "
            "closed it"
        ]
    }
    action.refresh_from_db()
    assert action.status == "done"
    assert list(action.updates.values_list("text", flat=True)) == [
        "Drafted",
        "Status changed to \u201cDone, to be closed\u201d",
    ]


def test_an_action_is_closed_at_a_later_meeting_of_its_body(action, april, july, officer):
    other_body = MeetingFactory(starts_at=at(datetime.date(2015, 7, 22)))
    earlier = MeetingFactory(body=april.body, starts_at=at(datetime.date(2015, 1, 14)))

    for meeting in (other_body, earlier):
        with pytest.raises(ValidationError) as error:
            services.close_action(action=action, at_meeting=meeting, minute_ref="3", by=officer)
        assert error.value.message_dict == {
            "at_meeting": ["Choose a meeting of the same body, on or after the one that set it"]
        }

    closed = services.close_action(action=action, at_meeting=july, minute_ref="3.1", by=officer)

    assert (closed.status, closed.closed_at, closed.closed_minute) == ("closed", july, "3.1")
    with pytest.raises(ValidationError) as error:
        services.update_action(action=closed, status="open", note="Reopen", by=officer)
    assert error.value.messages == [f"This action was closed at {july}"]


def test_overdue_actions_are_open_or_in_progress_and_past_due(april, owner, officer):
    def make(description, due_on, status="open"):
        made = services.create_action(
            meeting=april, description=description, owner=owner, due_on=due_on, by=officer
        )
        Action.objects.filter(pk=made.pk).update(status=status)

    make("Late", datetime.date(2015, 5, 1))
    make("Late and started", datetime.date(2015, 5, 1), "in_progress")
    make("Due today", datetime.date(2015, 6, 1))
    make("Done late", datetime.date(2015, 5, 1), "done")

    late = services.overdue(Action.objects.all(), datetime.date(2015, 6, 1))

    assert sorted(late.values_list("description", flat=True)) == ["Late", "Late and started"]


# Decisions, ratification and referral (R-DEC-1..2) ---------------------------------------------


def test_a_decision_needing_ratification_is_pending_with_each_partner(april, officer):
    item = AgendaItemFactory(meeting=april, title="Pooled budget")
    council, icb = OrganisationFactory(name="County Council"), OrganisationFactory(name="ICB")

    decision = minutes.record_decision(
        item=item,
        text="Pool the budgets",
        outcome="agreed",
        needs_ratification=True,
        ratifying_organisations=[council, icb],
        by=officer,
    )

    assert sorted(decision.ratifications.values_list("organisation__name", "status")) == [
        ("County Council", "pending"),
        ("ICB", "pending"),
    ]


def test_decision_rules(april, officer):
    item = AgendaItemFactory(meeting=april, title="Pooled budget")

    with pytest.raises(ValidationError) as error:
        minutes.record_decision(
            item=item,
            text="Refer it",
            outcome="referred",
            mode="vote",
            needs_ratification=True,
            by=officer,
        )

    assert error.value.message_dict == {
        "votes_for": ["Enter the votes for and against"],
        "ratifying_organisations": ["Choose the partners who must ratify the decision"],
        "referred_to": ["Choose the body the decision is referred to"],
    }
    assert not Decision.objects.exists()


def test_a_referred_decision_waits_for_the_receiving_bodys_agenda(april, officer):
    trust = BodyFactory(name="Trust Board")
    item = AgendaItemFactory(meeting=april, title="Pooling with the neighbour")
    decision = minutes.record_decision(
        item=item,
        text="Refer to the Trust Board",
        outcome="referred",
        referred_to=trust,
        by=officer,
    )

    assert list(minutes.referrals_for(trust)) == [decision]
    assert list(minutes.referrals_for(april.body)) == []

    AgendaItemFactory(
        meeting=MeetingFactory(body=trust),
        kind="referred",
        title="From the CTB",
        referred_decision=decision,
    )
    assert list(minutes.referrals_for(trust)) == []


# Pages ------------------------------------------------------------------------------------------


def test_only_democratic_services_add_actions(client, april, owner, officer, board_member):
    url = reverse("meetings:action-create", kwargs={"pk": april.pk})
    data = {
        "description": "Write to schools",
        "owner": owner.pk,
        "due_on_0": "1",
        "due_on_1": "6",
        "due_on_2": "2015",
    }
    client.force_login(board_member)
    assert client.post(url, data).status_code == 403

    client.force_login(officer)
    assert "Add the action" in client.get(url).content.decode()
    missing = client.post(url, {"description": "No owner"})
    response = client.post(url, data)

    assert "Choose who owns the action: a person or an organisation" in missing.content.decode()
    assert "Enter the due date" in missing.content.decode()
    assert response.status_code == 302
    assert Action.objects.get().due_on == datetime.date(2015, 6, 1)


def test_owners_update_their_actions_and_others_do_not_find_them(
    client, action, board_member, django_user_model
):
    url = reverse("meetings:action-update", kwargs={"pk": action.pk})
    someone_else = django_user_model.objects.create_user("other")
    client.force_login(someone_else)
    assert client.get(url).status_code == 404

    client.force_login(board_member)
    response = client.post(url, {"status": "in_progress", "note": "Sent to schools"})
    closing = client.post(url, {"close": "", "at_meeting": action.meeting_id, "minute_ref": "3"})

    assert response.status_code == 302
    assert closing.status_code == 403
    action.refresh_from_db()
    assert action.status == "in_progress"
    assert ActionUpdate.objects.get().text == "Sent to schools"


def test_staff_close_an_action_at_a_meeting(client, action, july, officer):
    url = reverse("meetings:action-update", kwargs={"pk": action.pk})
    client.force_login(officer)

    refused = client.post(url, {"status": "closed", "note": ""})
    response = client.post(url, {"close": "", "at_meeting": july.pk, "minute_ref": "4.2"})

    assert "Select a valid choice" in refused.content.decode()
    assert response.status_code == 302
    action.refresh_from_db()
    assert (action.status, action.closed_at, action.closed_minute) == ("closed", july, "4.2")
    page = client.get(url).content.decode()
    assert "Close the action" not in page
    assert "minute 4.2" in page


def test_my_actions_lists_the_users_open_actions(client, action, april, officer, board_member):
    services.create_action(
        meeting=april,
        description="Someone else's",
        owner=PersonFactory(),
        due_on=APRIL_30,
        by=officer,
    )
    client.force_login(board_member)

    response = client.get(reverse("meetings:my-actions"))

    assert [a.description for a in response.context["actions"]] == [
        "Circulate the early help strategy"
    ]
    assert "Overdue" in response.content.decode()  # due 1 June 2015


def test_my_actions_without_a_linked_person(client, officer):
    client.force_login(officer)

    response = client.get(reverse("meetings:my-actions"))

    assert "Your login is not linked to a member record" in response.content.decode()


def test_the_action_log_hides_actions_on_items_the_user_may_not_see(
    client, april, owner, officer, board_member, django_assert_num_queries
):
    exempt = AgendaItemFactory(
        meeting=april,
        title="Contract",
        is_exempt=True,
        exempt_paragraph=3,
        public_interest_statement="Prices",
    )
    services.create_action(
        meeting=april,
        item=exempt,
        description="Renegotiate the contract",
        owner=owner,
        due_on=APRIL_30,
        by=officer,
    )
    services.create_action(
        meeting=april,
        description="Publish the strategy",
        owner=owner,
        due_on=APRIL_30,
        by=officer,
    )
    private = MeetingFactory(is_public=False, body=BodyFactory(name="Private Group"))
    services.create_action(
        meeting=private, description="Private matter", owner=owner, due_on=APRIL_30, by=officer
    )
    url = reverse("meetings:action-list")

    client.force_login(board_member)
    # session, user, roles, bodies sat on (directly or ex officio), actions, user and group
    # permissions, bodies for the filter
    with django_assert_num_queries(8):
        outsider = client.get(url)
    client.force_login(officer)
    everything = client.get(url)

    assert [a.description for a in outsider.context["actions"]] == ["Publish the strategy"]
    assert len(everything.context["actions"]) == 3
    assert everything.content.decode().count('govuk-tag--red">Overdue') == 3


def test_the_action_log_filters_by_body_and_status(client, action, april, officer):
    services.create_action(
        meeting=MeetingFactory(body=BodyFactory(name="Other Board")),
        description="Elsewhere",
        owner=action.owner,
        due_on=datetime.date(2099, 1, 1),
        by=officer,
    )
    client.force_login(officer)
    url = reverse("meetings:action-list")

    def descriptions(**params):
        return [a.description for a in client.get(url, params).context["actions"]]

    assert descriptions(body=april.body.slug) == ["Circulate the early help strategy"]
    assert descriptions(status="overdue") == ["Circulate the early help strategy"]
    assert descriptions(status="closed") == []
    assert len(descriptions()) == 2


def test_only_democratic_services_record_decisions(client, april, board_member, officer):
    item = AgendaItemFactory(meeting=april, title="Strategy")
    council = OrganisationFactory(name="County Council")
    url = reverse("meetings:decision-create", kwargs={"pk": item.pk})
    data = {
        "text": "Agreed the strategy",
        "outcome": "agreed",
        "mode": "consensus",
        "needs_ratification": "on",
        "ratifying_organisations": [council.pk],
    }
    client.force_login(board_member)
    assert client.post(url, data).status_code == 403

    client.force_login(officer)
    page = client.get(url)
    response = client.post(url, data)

    assert "Record a decision on item" in page.content.decode()
    assert response.status_code == 302
    assert Ratification.objects.get().organisation == council


def test_a_referred_decision_comes_on_to_the_receiving_bodys_next_agenda_keeping_it_exempt():
    import datetime as dt
    import zoneinfo

    from meetings.minutes import record_decision
    from meetings.services import create_meeting
    from tests.factories import AgendaItemFactory, BodyFactory, UserFactory

    jcb, board = BodyFactory(name="Joint Commissioning Board"), BodyFactory(name="Trust Board")
    exempt = AgendaItemFactory(
        title="Pooled budget contract award",
        is_exempt=True,
        exempt_paragraph=3,
        public_interest_statement="Commercially sensitive until the contract is signed.",
        meeting__body=jcb,
    )
    record_decision(
        item=exempt,
        text="Referred to the Trust Board for approval.",
        outcome="referred",
        referred_to=board,
        by=UserFactory(),
    )

    meeting = create_meeting(
        body=board,
        starts_at=dt.datetime(2015, 6, 3, 14, tzinfo=zoneinfo.ZoneInfo("Europe/London")),
        by=UserFactory(),
    )

    referred = meeting.items.get(kind="referred")
    assert referred.title == "Referred by Joint Commissioning Board: Pooled budget contract award"
    assert (referred.order, referred.is_exempt, referred.exempt_paragraph) == (5, True, 3)
    assert referred.referred_decision.referred_to == board
