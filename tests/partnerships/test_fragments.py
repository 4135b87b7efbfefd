"""Shared page fragments (partnerships/fragments.py): keyed on the data's version and the reader.

These tests commit (transaction=True), as a running site does: the version changes at commit, and
nothing is shared from inside a transaction. Each test empties the cache first, since a rolled
back test leaves the version where it was.
"""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.core.cache import caches
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from meetings.models import AgendaItem, Meeting, Paper
from membership import services
from membership.models import Membership
from partnerships import fragments
from partnerships.audit import AccessEvent
from partnerships.models import Body
from partnerships.roles import Role
from tests.factories import (
    AgendaItemFactory,
    BodyFactory,
    MeetingFactory,
    MembershipFactory,
    PersonFactory,
    SeatFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)

EXEMPT = "Closure-of-Riverside-Respite-7731"
EXEMPT_PAPER = "Appendix-B-staff-costs-5521"
WITHHELD = "Robin Under-Eighteen"


@pytest.fixture(autouse=True)
def empty_cache(settings):
    settings.FRAGMENT_CACHE = True
    caches["fragments"].clear()
    yield
    caches["fragments"].clear()


def member_of(body, username):
    user = UserFactory(username=username)
    MembershipFactory(seat=SeatFactory(body=body), person=PersonFactory(user=user))
    return user


def browser(user=None):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def board():
    return BodyFactory(name="Children's Trust Board", meets_in_public=True)


@pytest.fixture
def meeting(board):
    meeting = MeetingFactory(body=board, agenda_published_at=timezone.now())
    AgendaItemFactory(meeting=meeting, order=1, title="Children's Trust arrangements")
    AgendaItemFactory(
        meeting=meeting,
        order=2,
        title=EXEMPT,
        is_exempt=True,
        exempt_paragraph=3,
        public_interest_statement="Commercial terms are still being negotiated",
    )
    return meeting


def staff():
    user = UserFactory(username="officer")
    user.groups.add(Group.objects.get(name=Role.DEMOCRATIC_SERVICES))
    return user


def page(client, meeting):
    response = client.get(reverse("meetings:meeting-detail", args=[meeting.pk]))
    assert response.status_code == 200
    return response.content.decode()


# The version ----------------------------------------------------------------------------------


def test_every_governance_table_has_the_triggers():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE t.tgname = %s",
            [fragments.TRIGGER],
        )
        covered = {table for (table,) in cursor.fetchall()}
    tables = set(fragments.governance_tables())
    assert {"meetings_agendaitem", "membership_membership", "partnerships_body"} <= tables
    assert {"auth_user_groups", "auth_group_permissions"} <= tables
    assert "auth_user" not in tables, "signing in writes last_login"
    assert "partnerships_accessevent" not in tables
    assert not any(table.endswith("event") for table in tables), "history is not governance data"
    assert tables <= covered


def test_a_committed_change_of_any_kind_changes_the_version(board):
    writes = [
        lambda: Body.objects.filter(pk=board.pk).update(name="Children and Families Board"),
        lambda: BodyFactory(name="Area Partnership South"),
        lambda: SeatFactory(body=board).delete(),
        lambda: connection.cursor().execute(
            "UPDATE partnerships_body SET short_name = 'CTB' WHERE id = %s", [board.pk]
        ),
    ]
    for write in writes:
        before = fragments.data_version()
        with transaction.atomic():
            write()
            # Not before the commit: a reader now still sees the old data.
            assert fragments.data_version() == before
        assert fragments.data_version() != before


def test_reads_a_rollback_and_the_access_log_leave_the_version_alone(board):
    before = fragments.data_version()
    list(Body.objects.all())
    with transaction.atomic():
        Body.objects.filter(pk=board.pk).update(name="Renamed and rolled back")
        transaction.set_rollback(True)
    AccessEvent.objects.create(kind=AccessEvent.Kind.DENIED, path="/meetings/1/")
    assert fragments.data_version() == before


def test_a_role_given_or_taken_away_applies_to_the_next_request(meeting):
    user = UserFactory(username="new-officer")
    client = browser(user)
    builder = reverse("meetings:agenda-builder", args=[meeting.pk])
    assert "Build the agenda" not in page(client, meeting)
    assert client.get(builder).status_code == 403
    group = Group.objects.get(name=Role.DEMOCRATIC_SERVICES)
    user.groups.add(group)
    assert "Build the agenda" in page(client, meeting)
    assert EXEMPT in page(client, meeting)
    assert client.get(builder).status_code == 200
    user.groups.remove(group)
    assert "Build the agenda" not in page(client, meeting)
    assert EXEMPT not in page(client, meeting)
    assert client.get(builder).status_code == 403


# The meeting page -----------------------------------------------------------------------------


def test_an_agenda_rendered_for_staff_or_members_is_never_shown_to_others(meeting, board):
    member, officer = member_of(board, "chair"), staff()
    others = {
        "the public": browser(),
        "signed in, no seat": browser(UserFactory(username="resident")),
        "a member of another body": browser(member_of(BodyFactory(name="Area North"), "north")),
    }
    # Everyone exists before the first page is kept, so all share one version of the data.
    version = fragments.data_version()
    # Warm every class that may see the exempt item first.
    assert EXEMPT in page(browser(officer), meeting)
    assert EXEMPT in page(browser(member), meeting)
    for who, client in others.items():
        content = page(client, meeting)
        assert EXEMPT not in content, who
        assert "Children&#x27;s Trust arrangements" in content, who
    assert fragments.data_version() == version
    # And the member's own view came from the cache, with its record of the exempt read.
    assert AccessEvent.objects.filter(user=member, object_id=meeting.pk).count() == 1
    response = browser(member).get(reverse("meetings:meeting-detail", args=[meeting.pk]))
    assert response["Cache-Control"] == "private, no-store"
    assert AccessEvent.objects.filter(user=member, object_id=meeting.pk).count() == 2


def test_a_member_who_leaves_the_body_stops_seeing_exempt_items_at_once(meeting, board):
    member = member_of(board, "chair")
    client = browser(member)
    assert EXEMPT in page(client, meeting)
    holding = Membership.objects.get(person__user=member)
    services.end_membership(membership=holding, ends_on=datetime.date.today(), reason="resigned")
    assert EXEMPT not in page(client, meeting)


def test_changes_show_at_once_to_readers_with_a_cached_page(meeting):
    public = browser()
    assert "Late addition on school transport" not in page(public, meeting)
    AgendaItemFactory(meeting=meeting, order=3, title="Late addition on school transport")
    assert "Late addition on school transport" in page(public, meeting)
    # An item made exempt after the public's page was kept leaves the public page.
    AgendaItem.objects.filter(title="Late addition on school transport").update(
        is_exempt=True, exempt_paragraph=3, public_interest_statement="Contract terms"
    )
    assert "Late addition on school transport" not in page(public, meeting)


def test_an_unpublished_agenda_kept_for_staff_stays_hidden_from_members(meeting, board):
    member, officer = member_of(board, "chair"), staff()
    Meeting.objects.filter(pk=meeting.pk).update(agenda_published_at=None)
    assert EXEMPT in page(browser(officer), meeting)
    assert EXEMPT not in page(browser(member), meeting)


def test_nothing_is_shared_from_inside_a_transaction(meeting):
    client = browser()
    with transaction.atomic():
        AgendaItem.objects.filter(meeting=meeting, order=1).update(title="Never committed")
        assert "Never committed" in page(client, meeting)
        transaction.set_rollback(True)
    assert "Never committed" not in page(client, meeting)


def test_an_item_page_kept_for_a_member_hides_its_exempt_paper_from_others(meeting, board):
    item = AgendaItem.objects.get(meeting=meeting, order=1)
    Paper.objects.create(
        item=item,
        title=EXEMPT_PAPER,
        file="papers/test/abc",
        original_name="costs.pdf",
        content_type="application/pdf",
        size=2048,
        is_exempt=True,
        exempt_paragraph=3,
        public_interest_statement="Salaries of named posts",
    )
    member = member_of(board, "chair")
    public = browser()
    url = reverse("meetings:item-detail", args=[item.pk])
    assert EXEMPT_PAPER in browser(member).get(url).content.decode()
    content = public.get(url).content.decode()
    assert EXEMPT_PAPER not in content
    assert "Children&#x27;s Trust arrangements" in content


# The roster -----------------------------------------------------------------------------------


def test_a_roster_kept_for_staff_never_shows_a_withheld_name_to_others(board):
    seat = SeatFactory(body=board, label="Youth Cabinet Member")
    MembershipFactory(seat=seat, person=PersonFactory(name=WITHHELD, publish_name=False))
    url = reverse("membership:roster", kwargs={"slug": board.slug})
    readers = [browser(), browser(member_of(board, "chair"))]
    assert WITHHELD in browser(staff()).get(url).content.decode()
    for client in readers:
        content = client.get(url).content.decode()
        assert WITHHELD not in content
        assert "Youth Cabinet Member" in content


def test_a_new_appointment_shows_on_a_cached_roster_at_once(board):
    url = reverse("membership:roster", kwargs={"slug": board.slug})
    public = browser()
    seat = SeatFactory(body=board, label="Director of Public Health")
    assert "Dr Sam Okafor" not in public.get(url).content.decode()
    MembershipFactory(seat=seat, person=PersonFactory(name="Dr Sam Okafor"))
    assert "Dr Sam Okafor" in public.get(url).content.decode()
