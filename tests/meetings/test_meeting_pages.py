"""The meeting pages through the visibility layer: who sees which meetings, items and papers."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings.models import AgendaItem, Meeting, Paper
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

EXEMPT_MARKER = "Redundancy-consultation-Family-Centre-4412"
EXEMPT_PAPER_MARKER = "Appendix-C-staff-costs-9930"
DRAFT_MARKER = "Unpublished-draft-item-5150"
PRIVATE_MARKER = "Private-development-day-2203"


def member_of(body, **user_fields):
    user = UserFactory(**user_fields)
    MembershipFactory(seat=SeatFactory(body=body), person=PersonFactory(user=user))
    return user


def paper(item, title, **fields):
    return Paper.objects.create(
        item=item,
        title=title,
        file="papers/test/abc",
        original_name=f"{title}.pdf",
        content_type="application/pdf",
        size=2048,
        **fields,
    )


@pytest.fixture
def board():
    return BodyFactory(
        name="Children's Trust Board", meets_in_public=True, access_to_information="statutory"
    )


@pytest.fixture
def meeting(board):
    """A published public agenda: a public report with a paper, and an exempt item."""
    meeting = MeetingFactory(body=board, agenda_published_at=timezone.now())
    report = AgendaItemFactory(
        meeting=meeting,
        order=1,
        title="Future arrangements of the Children's Trust",
        summary="To make a decision over the future arrangements of the Children's Trust.",
        presenter=PersonFactory(name="Meredith Teasdale"),
        presenter_title="Service Director, Strategy & Commissioning",
    )
    paper(report, "Options for the future model")
    paper(
        report,
        EXEMPT_PAPER_MARKER,
        is_exempt=True,
        exempt_paragraph=3,
        public_interest_statement="Salaries of named posts",
    )
    AgendaItemFactory(
        meeting=meeting,
        order=2,
        title=EXEMPT_MARKER,
        is_exempt=True,
        exempt_paragraph=4,
        public_interest_statement="Consultation with staff has not started",
    )
    return meeting


@pytest.fixture
def member(board):
    return member_of(board, username="chair")


@pytest.fixture
def outsider(db):
    """Signed in, and a member of another body."""
    return member_of(BodyFactory(name="Area Partnership North"), username="outsider")


def sign_in(client, request, who):
    user = request.getfixturevalue(who) if who else None
    if user:
        client.force_login(user)
    return user


# Meeting page ---------------------------------------------------------------------------------


@pytest.mark.parametrize("who", [None, "outsider"])
def test_the_public_sees_public_items_and_papers_only(client, request, meeting, who):
    sign_in(client, request, who)

    response = client.get(meeting.get_absolute_url())

    page = response.content.decode()
    assert response.status_code == 200
    assert "1. Future arrangements of the Children&#x27;s Trust" in page
    assert "Options for the future model" in page
    assert "Meredith Teasdale, Service Director, Strategy &amp; Commissioning" in page
    assert EXEMPT_MARKER not in page
    assert EXEMPT_PAPER_MARKER not in page
    assert "Exempt" not in page
    assert "no-store" not in response.get("Cache-Control", "")


@pytest.mark.parametrize("who", ["member", "officer"])
def test_members_and_officers_see_exempt_items_marked_and_uncached(client, request, meeting, who):
    sign_in(client, request, who)

    response = client.get(meeting.get_absolute_url())

    page = response.content.decode()
    assert response.status_code == 200
    assert f"2. {EXEMPT_MARKER}" in page
    assert "Exempt: Schedule 12A paragraph 4" in page
    assert "Public interest test: Consultation with staff has not started" in page
    assert EXEMPT_PAPER_MARKER in page
    assert response["Cache-Control"] == "private, no-store"


def test_the_page_shows_date_time_venue_and_deadline(client, board):
    meeting = MeetingFactory(body=board)

    page = client.get(meeting.get_absolute_url()).content.decode()

    assert "Wednesday 29 April 2015, 2:00 PM" in page
    assert "Shire Hall, Cambridge" in page
    assert "Agenda to be published by Tuesday 21 April 2015" in page
    assert "The agenda has not been published yet." in page


def test_an_unpublished_agenda_is_hidden_from_the_public_and_members(client, board, officer):
    meeting = MeetingFactory(body=board)
    AgendaItemFactory(meeting=meeting, order=1, title=DRAFT_MARKER)
    item = meeting.items.get()
    member = member_of(board)

    anonymous = client.get(meeting.get_absolute_url()).content.decode()
    anonymous_item = client.get(reverse("meetings:item-detail", args=[item.pk]))
    client.force_login(member)
    as_member = client.get(meeting.get_absolute_url()).content.decode()
    member_item = client.get(reverse("meetings:item-detail", args=[item.pk]))
    client.force_login(officer)
    as_officer = client.get(meeting.get_absolute_url()).content.decode()

    assert DRAFT_MARKER not in anonymous
    assert anonymous_item.status_code == 302
    assert DRAFT_MARKER not in as_member
    assert member_item.status_code == 404
    assert DRAFT_MARKER in as_officer
    assert "This agenda is a draft" in as_officer


def test_a_private_meeting_is_hidden_from_non_members(client, outsider):
    body = BodyFactory(meets_in_public=False)
    private = MeetingFactory(body=body, is_public=False, title=PRIVATE_MARKER)
    member = member_of(body)
    url = private.get_absolute_url()

    anonymous = client.get(url)
    client.force_login(outsider)
    as_outsider = client.get(url)
    client.force_login(member)
    as_member = client.get(url)

    assert anonymous.status_code == 302
    assert anonymous["Location"] == f"{reverse('login')}?next={url}"
    assert as_outsider.status_code == 404
    assert PRIVATE_MARKER not in as_outsider.content.decode()
    assert as_member.status_code == 200
    assert PRIVATE_MARKER in as_member.content.decode()


def many_items(meeting, count):
    AgendaItem.objects.bulk_create(
        AgendaItem(meeting=meeting, order=n, title=f"Report {n}", is_exempt=n % 5 == 0)
        if n % 5
        else AgendaItem(
            meeting=meeting,
            order=n,
            title=f"Report {n}",
            is_exempt=True,
            exempt_paragraph=3,
            public_interest_statement="Commercial",
        )
        for n in range(1, count + 1)
    )
    for item in meeting.items.all():
        paper(item, f"Paper for {item.title}")


@pytest.mark.parametrize("count", [5, 60])
def test_the_meeting_page_runs_the_same_queries_for_any_agenda(
    client, board, count, django_assert_num_queries
):
    meeting = MeetingFactory(body=board, agenda_published_at=timezone.now())
    many_items(meeting, count)
    member = member_of(board)

    # meeting (+ body), items (+ parent, presenter), papers prefetch
    with django_assert_num_queries(3):
        anonymous = client.get(meeting.get_absolute_url())
    client.force_login(member)
    # session, user, roles, bodies sat on, meeting, items, papers prefetch,
    # user permissions, group permissions (may they edit?), access event (exempt items shown)
    with django_assert_num_queries(10):
        as_member = client.get(meeting.get_absolute_url())

    assert anonymous.content.decode().count('class="app-agenda__item') == count - count // 5
    assert as_member.content.decode().count('class="app-agenda__item') == count


def test_the_action_log_lists_actions_carried_forward(client, board, officer):
    from meetings import services
    from meetings.models import Action

    earlier = MeetingFactory(
        body=board,
        starts_at=datetime.datetime(2015, 1, 28, 14, tzinfo=datetime.UTC),
        agenda_published_at=timezone.now(),
    )
    exempt = AgendaItemFactory(
        meeting=earlier,
        order=1,
        is_exempt=True,
        exempt_paragraph=1,
        public_interest_statement="Named individual",
    )
    owner = PersonFactory(name="Wendi Ogle-Welbourn")
    Action.objects.create(
        meeting=earlier, description="Draft the programme", owner=owner, due_on="2015-03-01"
    )
    Action.objects.create(
        meeting=earlier,
        item=exempt,
        description=EXEMPT_MARKER,
        owner=owner,
        due_on="2015-06-01",
    )
    meeting = services.create_meeting(
        body=board, starts_at=datetime.datetime(2015, 4, 29, 13, tzinfo=datetime.UTC), by=officer
    )
    Meeting.objects.filter(pk=meeting.pk).update(agenda_published_at=timezone.now())

    public = client.get(meeting.get_absolute_url()).content.decode()
    client.force_login(officer)
    staff = client.get(meeting.get_absolute_url()).content.decode()

    assert "4. Action log" in public
    assert "Draft the programme" in public
    assert "Overdue" in public
    assert EXEMPT_MARKER not in public
    assert EXEMPT_MARKER in staff


# Item page ------------------------------------------------------------------------------------


def test_an_exempt_item_page_is_for_members_only(client, meeting, member, outsider, officer):
    item = meeting.items.get(order=2)
    url = reverse("meetings:item-detail", args=[item.pk])

    anonymous = client.get(url)
    client.force_login(outsider)
    as_outsider = client.get(url)
    client.force_login(member)
    as_member = client.get(url)
    client.force_login(officer)
    as_officer = client.get(url)

    assert anonymous.status_code == 302
    assert as_outsider.status_code == 404
    assert EXEMPT_MARKER not in as_outsider.content.decode()
    assert as_member.status_code == as_officer.status_code == 200
    assert f"Agenda item 2: {EXEMPT_MARKER}" in as_member.content.decode()
    assert as_member["Cache-Control"] == as_officer["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize("who", [None, "outsider"])
def test_a_public_item_page_hides_its_exempt_papers(client, request, meeting, who):
    sign_in(client, request, who)
    item = meeting.items.get(order=1)

    response = client.get(reverse("meetings:item-detail", args=[item.pk]))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Options for the future model" in page
    assert EXEMPT_PAPER_MARKER not in page
    assert "no-store" not in response.get("Cache-Control", "")


def test_a_member_sees_the_exempt_paper_on_a_public_item_uncached(client, meeting, member):
    client.force_login(member)
    item = meeting.items.get(order=1)

    response = client.get(reverse("meetings:item-detail", args=[item.pk]))

    assert EXEMPT_PAPER_MARKER in response.content.decode()
    assert response["Cache-Control"] == "private, no-store"


# Meetings list --------------------------------------------------------------------------------


def test_the_list_shows_private_meetings_to_members_and_staff_only(
    client, meeting, outsider, officer
):
    body = BodyFactory(name="Executive Group", meets_in_public=False)
    MeetingFactory(body=body, is_public=False, title=PRIVATE_MARKER)
    member = member_of(body)
    url = reverse("meetings:meeting-list")

    anonymous = client.get(url).content.decode()
    client.force_login(outsider)
    as_outsider = client.get(url).content.decode()
    client.force_login(member)
    as_member = client.get(url).content.decode()
    client.force_login(officer)
    as_officer = client.get(url).content.decode()

    for page in (anonymous, as_outsider):
        assert "Children&#x27;s Trust Board" in page
        assert PRIVATE_MARKER not in page
        assert "Executive Group" not in page
    assert PRIVATE_MARKER in as_member
    assert PRIVATE_MARKER in as_officer


def test_the_list_filters_by_body_and_shows_staff_the_deadline(client, board, officer):
    soon = timezone.localtime() + datetime.timedelta(days=40)
    upcoming = MeetingFactory(body=board, starts_at=soon)
    MeetingFactory(body=BodyFactory(name="Area Partnership South", meets_in_public=True))
    url = reverse("meetings:meeting-list")

    public = client.get(url, {"body": board.slug}).content.decode()
    client.force_login(officer)
    staff = client.get(url, {"body": board.slug}).content.decode()
    missing = client.get(url, {"body": "no-such-body"})

    assert "Meetings of Children&#x27;s Trust Board" in public
    assert upcoming.get_absolute_url() in public
    assert "Area Partnership South</a>" not in public
    assert "Agenda to be published by" not in public
    assert "Agenda to be published by" in staff
    assert missing.status_code == 404


# Agenda builder -------------------------------------------------------------------------------


def test_only_democratic_services_build_agendas(client, meeting, member, board_member):
    url = reverse("meetings:agenda-builder", args=[meeting.pk])

    anonymous = client.get(url)
    client.force_login(board_member)
    as_board_member = client.get(url)
    client.force_login(member)
    as_member = client.get(url)
    missing = client.get(reverse("meetings:agenda-builder", args=[meeting.pk + 1000]))

    assert anonymous.status_code == 302
    assert as_board_member.status_code == as_member.status_code == 403
    # The same answer whether or not the meeting exists.
    assert missing.status_code == 403


def test_the_builder_moves_items_with_plain_forms(client, meeting, officer):
    client.force_login(officer)
    url = reverse("meetings:agenda-builder", args=[meeting.pk])
    exempt = meeting.items.get(order=2)

    page = client.get(url).content.decode()
    moved = client.post(reverse("meetings:item-move", args=[exempt.pk]), {"direction": "up"})

    assert 'Move up<span class="govuk-visually-hidden"> item 2' in page
    assert 'Move down<span class="govuk-visually-hidden"> item 1' in page
    assert "The publication deadline was Tuesday 21 April 2015" in page
    assert moved.status_code == 302
    assert moved["Location"] == url
    assert meeting.items.order_by("order").values_list("title", flat=True).first() == (
        EXEMPT_MARKER
    )


def test_an_exempt_item_needs_its_paragraph_and_public_interest_test(client, board, officer):
    meeting = MeetingFactory(body=board, starts_at=timezone.now() + datetime.timedelta(days=30))
    client.force_login(officer)

    response = client.post(
        reverse("meetings:item-create", args=[meeting.pk]),
        {"title": "Contract award", "kind": "report", "purpose": "decision", "is_exempt": "on"},
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "Choose the paragraph of Schedule 12A that makes the item exempt" in page
    assert "Explain why the public interest in keeping it exempt outweighs" in page
    assert not meeting.items.exists()


def test_officers_schedule_a_meeting_with_its_standing_items(client, board, officer):
    client.force_login(officer)

    response = client.post(
        reverse("meetings:meeting-create"),
        {
            "body": board.pk,
            "kind": "ordinary",
            "starts_on_0": "29",
            "starts_on_1": "4",
            "starts_on_2": "2015",
            "starts_time": "14:00",
            "venue": "Shire Hall, Cambridge",
            "is_public": "",
        },
    )

    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("meetings:agenda-builder", args=[meeting.pk])
    assert timezone.localtime(meeting.starts_at).strftime("%Y-%m-%d %H:%M") == "2015-04-29 14:00"
    assert meeting.is_public is True
    assert meeting.items.count() == 4


def test_officers_forms_render_with_labels(client, meeting, officer):
    client.force_login(officer)
    item = meeting.items.get(order=2)
    pages = {
        reverse("meetings:meeting-create"): "Schedule a meeting",
        reverse(
            "meetings:meeting-update", args=[meeting.pk]
        ): "Edit Children&#x27;s Trust Board, 29 April 2015",
        reverse("meetings:item-create", args=[meeting.pk]): "Add an agenda item",
        reverse("meetings:item-update", args=[item.pk]): "Edit item 2",
        reverse("meetings:agenda-publish", args=[meeting.pk]): "Publish a supplementary agenda",
    }

    for url, heading in pages.items():
        page = client.get(url).content.decode()
        assert f'<h1 class="govuk-heading-l">{heading}</h1>' in page, url

    edit_page = client.get(reverse("meetings:item-update", args=[item.pk])).content.decode()
    assert 'for="id_public_interest_statement"' in edit_page
    assert "Consultation with staff has not started" in edit_page
