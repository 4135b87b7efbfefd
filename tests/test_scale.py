"""The county-scale generator, at a small size: counts, constraints, determinism, pages, search."""

import datetime
import json
from collections import Counter

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import transaction
from django.urls import reverse
from pypdf import PdfReader

from config import scale
from meetings.models import (
    Action,
    AgendaItem,
    Attendance,
    Decision,
    Meeting,
    MinuteEntry,
    Minutes,
    Paper,
)
from membership.models import Membership, Person, Seat
from partnerships.models import Body, Partnership, ReportingLine, TermsOfReference
from partnerships.roles import Role, has_role
from reports.models import AnnualReport
from search import indexing
from search.models import Kind, SearchDocument

pytestmark = pytest.mark.django_db

SMALL = {"bodies": 5, "people": 60, "years": 1}
TODAY = datetime.date(2026, 3, 10)


class _Rollback(Exception):
    pass


def _fingerprint() -> dict:
    """What a run produced, by content rather than by id (sequences are not rolled back)."""
    return {
        "counts": {
            model.__name__: model.objects.count()
            for model in [
                Body,
                Person,
                Seat,
                Membership,
                Meeting,
                AgendaItem,
                Paper,
                MinuteEntry,
                Decision,
                Action,
                Attendance,
                AnnualReport,
                SearchDocument,
            ]
        },
        "bodies": list(Body.objects.order_by("pk").values_list("name", "slug", "kind")),
        "people": list(Person.objects.order_by("pk").values_list("name", "email")[:20]),
        "meetings": list(Meeting.objects.order_by("pk").values_list("starts_at", "status")[:20]),
        "items": list(
            AgendaItem.objects.order_by("pk").values_list("order", "title", "is_exempt")[:40]
        ),
        # The folder is the meeting's id; the random name and the content are the seed's.
        "papers": [
            (name.rsplit("/", 1)[1], size)
            for name, size in Paper.objects.order_by("pk").values_list("file", "size")[:10]
        ],
    }


def _run_and_roll_back(**options) -> dict:
    try:
        with transaction.atomic():
            summary = scale.generate(**SMALL, seed=7, today=TODAY, **options)
            raise _Rollback(_fingerprint(), summary)
    except _Rollback as done:
        return done.args


@pytest.fixture
def small():
    return scale.generate(**SMALL, seed=3)


def test_the_small_size_has_the_expected_shape(small):
    assert Body.objects.count() == 5
    assert Person.objects.count() == 60
    assert Partnership.objects.count() == 1
    assert Body.objects.filter(kind=Body.Kind.HEALTH_AND_WELLBEING_BOARD).count() == 1
    # Every body is active today, has one agreed ToR with a frequency and a quorum rule.
    assert Body.objects.alive().count() == 5
    for terms in TermsOfReference.objects.all():
        assert terms.status == TermsOfReference.Status.AGREED
        assert terms.meetings_per_year in {2, 3, 4, 6, 12}
        assert terms.quorum_count or terms.quorum_fraction
    # Reporting lines make a tree up to the Health and Wellbeing Board.
    hwb = Body.objects.get(kind=Body.Kind.HEALTH_AND_WELLBEING_BOARD)
    for body in Body.objects.exclude(pk=hwb.pk):
        seen, current = set(), body
        while current != hwb:
            assert current.pk not in seen
            seen.add(current.pk)
            current = ReportingLine.objects.get(from_body=current, is_primary=True).to_body
    # Each seat has one chair and one vice-chair; seat holders changed over the year or not.
    assert Seat.objects.filter(role="chair").count() == 5
    # Meetings over a year at each body's frequency, past ones held, future ones not.
    today = datetime.date.today()
    meetings = Meeting.objects.all()
    assert 15 <= meetings.count() <= 100
    for meeting in meetings:
        past = meeting.starts_at.date() < today
        assert meeting.status in (
            {Meeting.Status.HELD, Meeting.Status.CANCELLED}
            if past
            else {Meeting.Status.SCHEDULED, Meeting.Status.AGENDA_PUBLISHED}
        )
        if past:
            assert meeting.agenda_published_at < meeting.starts_at
    held = Meeting.objects.filter(status=Meeting.Status.HELD)
    # Every item of a held meeting has a minute; published agendas have about fifteen items.
    assert MinuteEntry.objects.count() == AgendaItem.objects.filter(meeting__in=held).count()
    sizes = Counter(
        AgendaItem.objects.filter(meeting__agenda_published_at__isnull=False).values_list(
            "meeting_id", flat=True
        )
    )
    assert 13 <= sum(sizes.values()) / len(sizes) <= 17
    assert small["big_meeting"]["items"] == max(sizes.values())
    assert Attendance.objects.filter(meeting__in=held).count() > held.count() * 3
    assert Paper.objects.count() > 0
    assert AgendaItem.objects.filter(is_exempt=True).exists()
    assert Decision.objects.exists()
    assert Action.objects.filter(status=Action.Status.CLOSED).exists()
    assert AnnualReport.objects.count() >= 4


def test_the_generated_rows_pass_the_model_constraints(small):
    # The database checked its constraints on insert; the model-level validation agrees. Seats,
    # memberships and reporting lines are left out: Django cannot validate their exclusion
    # constraints in Python (the int8range expression loses a parameter), only the database can.
    for model in [Body, TermsOfReference, Meeting, AgendaItem, Paper, Minutes, Decision, Action]:
        for obj in model.objects.order_by("?")[:25]:
            obj.validate_constraints()
    for item in AgendaItem.objects.filter(is_exempt=True):
        assert item.exempt_paragraph
        assert item.public_interest_statement
    # Minutes are approved at the body's next held meeting, which takes them as an item.
    for minutes in Minutes.objects.filter(status=Minutes.Status.APPROVED).select_related(
        "meeting", "approved_at"
    ):
        assert minutes.approved_at.body_id == minutes.meeting.body_id
        assert minutes.approved_at.starts_at > minutes.meeting.starts_at
        assert minutes.approved_at.items.filter(minutes_to_approve=minutes).exists()


def test_papers_are_real_pdfs_and_their_search_text_is_what_pypdf_reads(small):
    paper = Paper.objects.order_by("pk").first()
    with paper.file.open("rb") as handle:
        reader = PdfReader(handle)
        assert len(reader.pages) == 1
    assert paper.size == paper.file.size
    document = SearchDocument.objects.get(kind=Kind.PAPER, object_id=paper.pk)
    assert document.attachment_text == indexing.clean(indexing.extract_text(paper))


@pytest.mark.parametrize(
    ("kind", "model"),
    [
        (Kind.ITEM, AgendaItem),
        (Kind.MINUTE, MinuteEntry),
        (Kind.DECISION, Decision),
        (Kind.ACTION, Action),
        (Kind.PAPER, Paper),
        (Kind.BODY, Body),
        (Kind.PERSON, Person),
        (Kind.REPORT, AnnualReport),
    ],
)
def test_the_bulk_search_index_matches_the_ordinary_builders(small, kind, model):
    assert SearchDocument.objects.filter(kind=kind).count() == model.objects.count()
    fields = ["body_id", "meeting_id", "date", "url", "title", "summary", "text"]
    for pk in model.objects.order_by("pk").values_list("pk", flat=True)[:30]:
        expected = indexing._document(kind, indexing.BUILDERS[kind][0]().get(pk=pk))
        stored = SearchDocument.objects.get(kind=kind, object_id=pk)
        assert {f: getattr(stored, f) for f in fields} == {f: getattr(expected, f) for f in fields}


def test_the_same_seed_gives_the_same_data():
    first, first_summary = _run_and_roll_back()
    assert Body.objects.count() == 0
    second, second_summary = _run_and_roll_back()
    assert first == second
    assert first_summary["counts"] == second_summary["counts"]


def test_the_member_login_sees_its_body_agenda(client, small):
    member = Person.objects.get(pk=small["member"]["person_id"]).user
    assert member.username == small["member"]["username"] == "scale-member-1"
    assert has_role(member, Role.BOARD_MEMBER)
    assert member.check_password(scale.MEMBER_PASSWORD)
    meeting = Meeting.objects.get(pk=small["big_meeting"]["id"])
    assert meeting.body_id == small["big_body"]["id"]
    client.force_login(member)
    response = client.get(reverse("meetings:meeting-detail", kwargs={"pk": meeting.pk}))
    assert response.status_code == 200
    page = response.content.decode()
    for item in meeting.items.all():
        assert item.title.replace("'", "&#x27;") in page
    officer = get_user_model().objects.get(username=scale.OFFICER_USERNAME)
    assert has_role(officer, Role.DEMOCRATIC_SERVICES)


def test_the_command_writes_a_summary_and_refuses_to_run_twice(settings, tmp_path):
    settings.DEBUG = True
    path = tmp_path / "summary.json"
    options = {"bodies": 5, "people": 60, "years": 1, "summary": str(path), "verbosity": 0}
    call_command("generate_scale", **options)
    summary = json.loads(path.read_text())
    assert summary["counts"]["Body"] == 5
    assert Body.objects.filter(pk=summary["big_body"]["id"]).exists()
    with pytest.raises(CommandError, match="already has bodies"):
        call_command("generate_scale", **options)
    call_command("generate_scale", replace=True, **options)
    assert Body.objects.count() == 5
    assert Person.objects.count() == 60


def test_the_command_refuses_a_production_configuration(settings, tmp_path):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG is off"):
        call_command("generate_scale", bodies=5, people=60, years=1, summary=str(tmp_path / "s"))
    assert not Body.objects.exists()
