"""The demo meetings: the Cambridgeshire Children's Trust Board of November 2014 and April 2015
from seed 000, Worcestershire's September 2009 JCB and upcoming meetings; loading twice changes
nothing."""

import datetime

import pytest
from django.apps import apps
from django.contrib.auth.models import AnonymousUser

from config.demo import load_world
from meetings import demo
from meetings.actions import overdue
from meetings.deadlines import LONDON, publication_deadline
from meetings.models import Action, AgendaItem, Decision, Meeting, Minutes, Paper
from membership.models import Membership, Person, Seat
from partnerships.demo import cambridgeshire, worcestershire

pytestmark = pytest.mark.django_db

APRIL_2015 = datetime.datetime(2015, 4, 29, 14, tzinfo=LONDON)
NOVEMBER_2014 = datetime.datetime(2014, 11, 26, 14, tzinfo=LONDON)


@pytest.fixture
def loaded(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    load_world()
    demo.load()


@pytest.fixture
def april(loaded):
    return Meeting.objects.get(body__slug=cambridgeshire.BOARD, starts_at=APRIL_2015)


def saved_rows() -> dict[str, int]:
    models = [*apps.get_app_config("meetings").get_models(), Person, Seat, Membership]
    return {model.__name__: model.objects.count() for model in models}


def test_loading_the_demo_twice_changes_nothing(loaded):
    before = saved_rows()
    changed_at = {
        model.__name__: list(model.objects.order_by("pk").values_list("pk", "updated_at"))
        for model in (Meeting, AgendaItem, Paper, Minutes, Action)
    }

    demo.load()

    assert saved_rows() == before
    assert {
        model.__name__: list(model.objects.order_by("pk").values_list("pk", "updated_at"))
        for model in (Meeting, AgendaItem, Paper, Minutes, Action)
    } == changed_at
    assert before["Meeting"] == 8
    assert before["Paper"] == 3
    assert before["Decision"] == 2
    assert before["Action"] == 2


def test_the_april_2015_agenda_was_published_before_its_deadline(april):
    # Wednesday 29 April 2015: five clear working days back from the meeting is Tuesday 21 April.
    assert publication_deadline(datetime.date(2015, 4, 29)) == datetime.date(2015, 4, 21)
    assert april.agenda_published_at.astimezone(LONDON).date() == datetime.date(2015, 4, 20)
    assert april.agenda_published_by.username == "officer"
    assert april.venue == demo.SHIRE_HALL
    assert april.is_public
    assert april.status == Meeting.Status.HELD
    assert not april.items.filter(is_late=True).exists()
    assert [(item.number, item.kind) for item in april.items.order_by("order")] == [
        ("1", AgendaItem.Kind.APOLOGIES),
        ("2", AgendaItem.Kind.DECLARATIONS),
        ("3", AgendaItem.Kind.PREVIOUS_MINUTES),
        ("4", AgendaItem.Kind.REPORT),
        ("5", AgendaItem.Kind.ACTION_LOG),
        ("6", AgendaItem.Kind.REPORT),
    ]


def test_item_4_is_the_seed_paper_with_its_presenter_and_pdf(april):
    item = april.items.get(order=4)

    assert item.title == "Future arrangements of the Children's Trust"
    assert item.purpose == AgendaItem.Purpose.DECISION
    assert item.presenter.name == "Meredith Teasdale"
    assert item.presenter_title == (
        "Service Director, Strategy & Commissioning, Cambridgeshire County Council"
    )
    assert "£34k" in item.summary
    assert "Executive Group" in item.recommendations
    assert item.questions.count("\n") == 2
    paper = item.papers.get()
    assert (paper.content_type, paper.is_exempt) == ("application/pdf", False)
    with paper.file.open("rb") as file:
        assert file.read(5) == b"%PDF-"


def test_the_exempt_item_has_its_paragraph_statement_and_exempt_paper(april):
    item = april.items.get(is_exempt=True)

    assert item.number == "6"
    assert item.title == demo.STAFFING_TITLE
    assert item.exempt_paragraph == 1
    assert item.public_interest_statement.startswith("The report concerns the employment")
    paper = item.papers.get()
    assert (paper.is_exempt, paper.exempt_paragraph) == (True, 1)
    assert paper.public_interest_statement == demo.STAFFING_STATEMENT


def test_the_public_sees_the_april_agenda_without_the_exempt_item(april):
    public = AnonymousUser()

    items = AgendaItem.objects.visible_to(public).filter(meeting=april).order_by("order")
    papers = Paper.objects.visible_to(public).filter(item__meeting=april)

    assert [item.number for item in items] == ["1", "2", "3", "4", "5"]
    assert [paper.title for paper in papers] == ["Future arrangements of the Children's Trust"]


def test_november_minutes_are_approved_in_april_and_signed_by_the_april_chair(april):
    november = Minutes.objects.get(meeting__starts_at=NOVEMBER_2014)
    chair = Membership.objects.current(datetime.date(2015, 4, 29)).get(
        seat__body=april.body, seat__label="Chair"
    )

    assert november.status == Minutes.Status.APPROVED
    assert november.approved_at == april
    assert november.approved_on == datetime.date(2015, 4, 29)
    assert november.signed_by == chair.person
    assert april.items.get(order=3).minutes_to_approve == november
    assert "Illustrative" in chair.notes


def test_april_has_draft_minutes_and_agreed_to_replace_the_board(april):
    decision = Decision.objects.get(item__meeting=april)

    assert april.minutes.status == Minutes.Status.DRAFT
    assert april.minutes.entries.count() == 6
    assert decision.item.number == "4"
    assert decision.outcome == Decision.Outcome.AGREED
    assert "replaced from 1 June 2015" in decision.text
    assert not decision.was_inquorate
    assert april.attendance.filter(status="present").count() == 4
    assert april.declarations.get().item.number == "4"


def test_one_action_closed_at_april_and_one_still_open_and_overdue(april):
    closed = Action.objects.get(status=Action.Status.CLOSED)
    still_open = Action.objects.get(meeting=april)

    assert closed.meeting.starts_at == NOVEMBER_2014
    assert (closed.closed_at, closed.closed_minute) == (april, "5")
    assert still_open.status == Action.Status.OPEN
    assert still_open.owner is not None
    assert still_open.due_on == datetime.date(2015, 6, 1)
    assert list(overdue(Action.objects.all(), on=datetime.date(2026, 11, 24))) == [still_open]


def test_other_meetings_the_demo_schedules(loaded):
    executive = Meeting.objects.get(body__slug=cambridgeshire.EXECUTIVE, starts_at__year=2015)
    jcb = Meeting.objects.get(body__slug=worcestershire.JCB)
    upcoming = Meeting.objects.upcoming(datetime.datetime(2026, 11, 24, tzinfo=LONDON)).visible_to(
        AnonymousUser()
    )

    assert executive.starts_at.date() == datetime.date(2015, 10, 14)
    assert executive.status == Meeting.Status.SCHEDULED
    assert not executive.is_published
    assert executive.items.count() == 4
    assert jcb.starts_at.date() == datetime.date(2009, 9, 22)
    assert jcb.is_published
    assert jcb.items.get(order=5).title == "Children's Trust Board: draft constitution"
    assert [(meeting.body.slug, meeting.starts_at.date()) for meeting in upcoming] == [
        (cambridgeshire.HWB, datetime.date(2027, 1, 21)),
        (cambridgeshire.HWB, datetime.date(2027, 3, 18)),
        (cambridgeshire.EXECUTIVE, datetime.date(2027, 4, 21)),
        (cambridgeshire.HWB, datetime.date(2027, 5, 27)),
    ]
