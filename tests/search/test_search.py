"""Search: full-text matches, weighted and filtered, through the one visibility layer.

The index is written when a transaction commits; here it is written at once (see the fixture),
and one test with a real transaction checks the commit itself.
Marker strings stand for confidential words: they must be found by exactly the people who may
open the thing that holds them, and the result count must not hint at them for anyone else.
"""

import datetime
import zoneinfo

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from weasyprint import HTML

from meetings.models import Action, Decision, MinuteEntry, Minutes
from meetings.papers import save_paper
from partnerships.models import TermsOfReference, ToRSection
from partnerships.roles import Role
from search import indexing
from search.models import Kind, SearchDocument
from search.query import search
from tests.factories import (
    AgendaItemFactory,
    AnnualReportFactory,
    BodyFactory,
    MeetingFactory,
    MembershipFactory,
    PersonFactory,
    SeatFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

MARKER = "zanzibarquokka"
LONDON = zoneinfo.ZoneInfo("Europe/London")
URL = reverse("search:search")
PUBLIC = AnonymousUser()


@pytest.fixture(autouse=True)
def _index_at_once(monkeypatch, request):
    # Test transactions never commit, so the index is written as each change is saved.
    if "transaction" not in request.node.name:
        monkeypatch.setattr(indexing, "_later", lambda task, *args: task(*args))


@pytest.fixture
def body():
    return BodyFactory(name="Children's Trust Board", meets_in_public=True)


@pytest.fixture
def meeting(body):
    return MeetingFactory(body=body, agenda_published_at=timezone.now())


@pytest.fixture
def member(body, board_member):
    MembershipFactory(seat=SeatFactory(body=body), person=PersonFactory(user=board_member))
    return board_member


@pytest.fixture
def outsider():
    """A board member of another body."""
    user = UserFactory(username="outsider")
    user.groups.add(Group.objects.get(name=Role.BOARD_MEMBER))
    MembershipFactory(seat=SeatFactory(body=BodyFactory(name="Other Board")), person__user=user)
    return user


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def titles(user, q, **filters) -> list[str]:
    return [document.title for document in search(user, q, **filters).page]


def pdf(text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("paper.pdf", HTML(string=f"<p>{text}</p>").write_pdf())


def test_a_word_only_in_an_exempt_papers_pdf_is_found_by_members_of_the_body_only(
    meeting, member, outsider, officer
):
    item = AgendaItemFactory(meeting=meeting, title="Budget monitoring")
    save_paper(
        item=item,
        upload=pdf(f"The preferred bidder is {MARKER} Limited."),
        title="Appendix B: tender evaluation",
        by=officer,
        is_exempt=True,
        exempt_paragraph=3,
        public_interest_statement="Commercially sensitive while the contract is let.",
    )

    response = signed_in(member).get(URL, {"q": MARKER})
    assert "1 result for ‘zanzibarquokka’" in response.text
    assert "Appendix B: tender evaluation" in response.text
    assert f"<mark>{MARKER}</mark>" in response.text
    assert response["Cache-Control"] == "private, no-store"
    assert titles(officer, MARKER) == ["Appendix B: tender evaluation"]

    for client in (Client(), signed_in(outsider)):
        response = client.get(URL, {"q": MARKER})
        assert "0 results for ‘zanzibarquokka’" in response.text
        assert "Appendix B" not in response.text
    assert search(outsider, MARKER).count == 0
    assert search(PUBLIC, MARKER).count == 0


def test_exempt_items_are_found_by_members_only(meeting, member, outsider):
    AgendaItemFactory(
        meeting=meeting,
        title="Contract award",
        recommendations=f"Award the contract to {MARKER}.",
        is_exempt=True,
        exempt_paragraph=3,
        public_interest_statement="Commercially sensitive.",
    )

    assert titles(member, MARKER) == ["Contract award"]
    assert search(outsider, MARKER).count == 0
    assert Client().get(URL, {"q": MARKER}).context["results"].count == 0


def test_draft_minutes_are_found_by_members_only_until_approved(meeting, member, outsider):
    item = AgendaItemFactory(meeting=meeting, title="Early help")
    minutes = Minutes.objects.create(meeting=meeting)
    MinuteEntry.objects.create(minutes=minutes, item=item, text=f"<p>Members noted {MARKER}.</p>")

    assert titles(member, MARKER) == ["Minute: Early help"]
    assert search(outsider, MARKER).count == 0
    assert search(PUBLIC, MARKER).count == 0

    later = MeetingFactory(body=meeting.body, starts_at=meeting.starts_at + datetime.timedelta(90))
    minutes.status = Minutes.Status.APPROVED
    minutes.approved_at = later
    minutes.approved_on = datetime.date(2015, 7, 29)
    minutes.signed_by = PersonFactory()
    minutes.save()

    assert titles(PUBLIC, MARKER) == ["Minute: Early help"]


def test_decisions_and_actions_follow_their_minutes(meeting, member):
    item = AgendaItemFactory(meeting=meeting, title="Early help")
    minutes = Minutes.objects.create(meeting=meeting)
    MinuteEntry.objects.create(minutes=minutes, item=item, text="<p>Discussed.</p>")
    Decision.objects.create(item=item, text=f"Agreed the {MARKER} strategy.", outcome="agreed")
    Action.objects.create(
        meeting=meeting,
        item=item,
        description=f"Circulate the {MARKER} plan",
        owner=PersonFactory(),
        due_on=datetime.date(2015, 6, 1),
    )

    assert sorted(titles(member, MARKER)) == [
        f"Action: Circulate the {MARKER} plan",
        "Decision: Early help",
    ]
    assert search(PUBLIC, MARKER).count == 0


def test_a_childs_name_is_not_found_by_the_public(officer):
    PersonFactory(name="Tallulah Zanzibarquokka", publish_name=False)

    assert search(PUBLIC, "Tallulah").count == 0
    assert "0 results" in Client().get(URL, {"q": "Tallulah"}).text
    assert titles(officer, "Tallulah") == ["Tallulah Zanzibarquokka"]


def test_draft_terms_of_reference_are_found_by_editors_only(body, partnership_manager, member):
    terms = TermsOfReference.objects.create(body=body, version=1)
    ToRSection.objects.create(terms=terms, order=1, kind="purpose", text=f"To {MARKER}.")

    assert search(member, MARKER).count == 0
    assert titles(partnership_manager, MARKER) == [
        "Terms of reference of Children's Trust Board, version 1"
    ]


def test_draft_reports_are_found_by_the_owning_body_only(body, member, outsider):
    report = AnnualReportFactory(body=body, title="Annual report 2015/16", summary=MARKER)

    assert titles(member, MARKER) == ["Annual report 2015/16"]
    assert search(outsider, MARKER).count == 0
    assert search(PUBLIC, MARKER).count == 0
    report.delete()
    assert search(member, MARKER).count == 0


def test_a_title_match_ranks_above_a_recommendation_above_a_minute(meeting):
    minutes = Minutes.objects.create(meeting=meeting)
    in_minutes = AgendaItemFactory(meeting=meeting, title="Any other business")
    MinuteEntry.objects.create(minutes=minutes, item=in_minutes, text="<p>Fostering was raised</p>")
    AgendaItemFactory(meeting=meeting, title="Budget", recommendations="Note fostering costs")
    AgendaItemFactory(meeting=meeting, title="Fostering allowances")

    assert titles(PUBLIC, "fostering")[:1] == ["Fostering allowances"]
    assert titles(PUBLIC, "fostering")[1:] == ["Budget"]  # the minute is still a draft
    assert titles(UserFactory(is_superuser=True), "fostering") == [
        "Fostering allowances",
        "Budget",
        "Minute: Any other business",
    ]


def test_filters_by_type_body_and_date(meeting):
    other = MeetingFactory(
        body=BodyFactory(name="Youth Board"),
        starts_at=datetime.datetime(2016, 1, 20, 14, tzinfo=LONDON),
        agenda_published_at=timezone.now(),
    )
    AgendaItemFactory(meeting=meeting, title="Housing for care leavers")
    AgendaItemFactory(meeting=other, title="Housing and youth homelessness")

    assert len(titles(PUBLIC, "housing")) == 2
    assert titles(PUBLIC, "housing", body=other.body) == ["Housing and youth homelessness"]
    assert titles(PUBLIC, "housing", date_from=datetime.date(2015, 12, 1)) == [
        "Housing and youth homelessness"
    ]
    assert titles(PUBLIC, "housing", date_to=datetime.date(2015, 12, 1)) == [
        "Housing for care leavers"
    ]
    assert titles(PUBLIC, "housing", kinds=[Kind.PAPER]) == []
    assert len(titles(PUBLIC, "housing", kinds=[Kind.ITEM, Kind.PAPER])) == 2

    response = Client().get(
        URL,
        {
            "q": "housing",
            "body": other.body.pk,
            "kind": "item",
            "date_from_0": "1",
            "date_from_1": "1",
            "date_from_2": "2016",
        },
    )
    assert response.context["results"].count == 1
    assert "Housing and youth homelessness" in response.text


def test_results_come_twenty_to_a_page(meeting):
    for n in range(25):
        AgendaItemFactory(meeting=meeting, title=f"Safeguarding review {n}")

    first = Client().get(URL, {"q": "safeguarding"})
    second = Client().get(URL, {"q": "safeguarding", "page": 2})

    assert "25 results for ‘safeguarding’" in first.text
    assert len(first.context["results"].page.object_list) == 20
    assert len(second.context["results"].page.object_list) == 5
    assert 'href="?q=safeguarding&amp;page=2"' in first.text
    assert "Page 2 of 2" in second.text


def test_the_count_stops_at_the_limit_and_counts_only_what_the_user_may_open(
    meeting, member, monkeypatch
):
    from search import query

    monkeypatch.setattr(query, "COUNT_LIMIT", 8)
    for n in range(6):
        AgendaItemFactory(meeting=meeting, title=f"Safeguarding review {n}")
    for n in range(3):
        AgendaItemFactory(
            meeting=meeting,
            title=f"Safeguarding case {n}",
            is_exempt=True,
            exempt_paragraph=1,
            public_interest_statement="About a named child.",
        )

    public = search(PUBLIC, "safeguarding", per_page=4)
    members = search(member, "safeguarding", per_page=4)
    last = search(member, "safeguarding", per_page=4, page=9)

    assert (public.count, public.more, public.page.paginator.num_pages) == (6, False, 2)
    assert (members.count, members.more, members.page.paginator.num_pages) == (8, True, 2)
    assert last.page.number == 2
    assert len(last.page.object_list) == 4
    seen = [d.title for d in members.page] + [d.title for d in last.page]
    assert len(set(seen)) == 8
    response = signed_in(member).get(URL, {"q": "safeguarding"})
    assert "More than 8 results for ‘safeguarding’" in response.text
    assert "0 results" not in Client().get(URL, {"q": "safeguarding"}).text
    assert "6 results for ‘safeguarding’" in Client().get(URL, {"q": "safeguarding"}).text


def test_only_the_best_matches_are_checked_and_every_results_page_says_so(
    meeting, member, monkeypatch
):
    from search import query

    for n in range(4):
        AgendaItemFactory(meeting=meeting, title=f"Safeguarding review {n}")
    best = AgendaItemFactory(meeting=meeting, title="Safeguarding", summary="Safeguarding")

    note = "only the best 5,000 matches are looked at"
    assert note in Client().get(URL, {"q": "safeguarding"}).text
    monkeypatch.setattr(query, "RANK_LIMIT", 3)

    results = search(member, "safeguarding")
    assert (results.count, results.more) == (3, False)
    assert results.page[0].title == best.title
    # Said whether or not the limit was reached, so the page reveals nothing about matches
    # the reader may not open.
    assert "only the best 3 matches are looked at" in Client().get(URL, {"q": "nothing"}).text


def test_titles_and_snippets_are_escaped(meeting):
    AgendaItemFactory(
        meeting=meeting,
        title="<script>alert(1)</script> Budget",
        summary="Budget & tea costs < 7 <img src=x onerror=alert(2)>",
    )

    response = Client().get(URL, {"q": "budget"})

    assert "&lt;script&gt;alert(1)&lt;/script&gt; Budget" in response.text
    assert "<script>alert" not in response.text
    assert "<img" not in response.text
    assert "<mark>Budget</mark>" in response.text
    assert "&amp; tea costs &lt; 7 &lt;img src=x" in response.text


def test_the_index_follows_saves_and_deletes(meeting):
    item = AgendaItemFactory(meeting=meeting, title="Fostering allowances")
    assert titles(PUBLIC, "fostering") == ["Fostering allowances"]

    item.title = "Adoption allowances"
    item.save()
    assert titles(PUBLIC, "fostering") == []
    assert titles(PUBLIC, "adoption") == ["Adoption allowances"]

    meeting.starts_at = datetime.datetime(2016, 2, 3, 14, tzinfo=LONDON)
    meeting.save()
    assert SearchDocument.objects.get(kind=Kind.ITEM).date == datetime.date(2016, 2, 3)

    item.delete()
    assert titles(PUBLIC, "adoption") == []
    assert not SearchDocument.objects.filter(kind=Kind.ITEM).exists()


@pytest.mark.django_db(transaction=True)
def test_the_index_is_written_when_the_transaction_commits(meeting):
    from django.db import transaction

    with transaction.atomic():
        AgendaItemFactory(meeting=meeting, title="Fostering allowances")
        assert not SearchDocument.objects.filter(kind=Kind.ITEM).exists()

    assert titles(PUBLIC, "fostering") == ["Fostering allowances"]


def test_rebuild_indexes_everything_again(meeting):
    AgendaItemFactory(meeting=meeting, title="Fostering allowances")
    SearchDocument.objects.all().delete()

    call_command("rebuild_search_index", verbosity=0)

    assert titles(PUBLIC, "fostering") == ["Fostering allowances"]
    assert SearchDocument.objects.filter(kind=Kind.BODY).count() == 1


def test_paper_text_is_read_from_word_spreadsheet_and_opendocument_files(meeting, officer):
    import io
    import zipfile

    import docx
    from openpyxl import Workbook

    document = docx.Document()
    document.add_paragraph("Word quokkaword paragraph")
    word = io.BytesIO()
    document.save(word)
    book = Workbook()
    book.active["A1"] = "quokkacell"
    sheet = io.BytesIO()
    book.save(sheet)
    odt = io.BytesIO()
    with zipfile.ZipFile(odt, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr(
            "content.xml",
            '<office:document-content xmlns:office="o" xmlns:text="t"><office:body>'
            "<text:p>quokkaodt &amp; more</text:p></office:body></office:document-content>",
        )
    item = AgendaItemFactory(meeting=meeting)
    for name, data in [("a.docx", word), ("b.xlsx", sheet), ("c.odt", odt)]:
        save_paper(
            item=item,
            upload=SimpleUploadedFile(name, data.getvalue()),
            title=name,
            by=officer,
        )

    assert titles(PUBLIC, "quokkaword") == ["a.docx"]
    assert titles(PUBLIC, "quokkacell") == ["b.xlsx"]
    assert titles(PUBLIC, "quokkaodt") == ["c.odt"]


def test_an_unreadable_paper_is_still_found_by_its_title(meeting, officer):
    item = AgendaItemFactory(meeting=meeting)
    paper = save_paper(item=item, upload=pdf("fine"), title="Damaged minutes", by=officer)
    paper.file.open("wb").write(b"%PDF-1.7 broken")
    paper.file.close()

    indexing.index_object(paper)

    assert titles(PUBLIC, "damaged") == ["Damaged minutes"]


def test_the_page_runs_a_fixed_number_of_queries(meeting, member, django_assert_num_queries):
    for n in range(3):
        AgendaItemFactory(meeting=meeting, title=f"Safeguarding review {n}")
    client = signed_in(member)

    for q in ("safeguarding", "review 1"):
        # anonymous: kinds matched, the page's rows with their snippets and the count of
        # results (one statement), bodies for the filter
        with django_assert_num_queries(3):
            Client().get(URL, {"q": q})
        # session, user, roles, bodies sat on, kinds matched, the page's rows with the count,
        # bodies for the filter
        with django_assert_num_queries(7):
            client.get(URL, {"q": q})


def test_an_empty_search_shows_the_form_only():
    response = Client().get(URL)

    assert response.status_code == 200
    assert response.context["results"] is None
    assert "result" not in response.text.lower().replace("search results", "")


# Minute text written by QuerySet.update (draft edits, corrections) -------------------------------


@pytest.fixture
def drafted(meeting, officer, django_capture_on_commit_callbacks):
    """Draft minutes of the meeting, one entry about fostering, written through the service."""
    from meetings import minutes as services

    AgendaItemFactory(meeting=meeting, title="Early help")
    with django_capture_on_commit_callbacks(execute=True):
        record = services.ensure_minutes(meeting)
        entry = record.entries.get()
        services.save_entry(
            entry=entry,
            text="<p>Members discussed fostering allowances.</p>",
            resolution="",
            expected_version=entry.version,
            by=officer,
        )
    return entry


def test_an_edited_draft_minute_is_found_by_its_new_words_only(
    drafted, officer, django_capture_on_commit_callbacks
):
    assert titles(officer, "fostering") == ["Minute: Early help"]

    url = reverse("meetings:minute-entry-update", kwargs={"pk": drafted.pk})
    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in(officer).post(
            url,
            {
                "text": "<p>Members discussed adoption.</p>",
                "resolution": "",
                "version": drafted.version,
            },
        )

    assert response.status_code == 302
    assert titles(officer, "fostering") == []
    assert titles(officer, "adoption") == ["Minute: Early help"]


def test_a_correction_to_approved_minutes_is_found_by_its_new_words_only(
    meeting, drafted, officer, django_capture_on_commit_callbacks
):
    from meetings import minutes as services

    chair = SeatFactory(body=meeting.body, label="Chair", role="chair")
    MembershipFactory(seat=chair, person=PersonFactory(name="Bella Chair"))
    later = MeetingFactory(
        body=meeting.body,
        starts_at=meeting.starts_at + datetime.timedelta(days=90),
        agenda_published_at=timezone.now(),
    )
    approving = AgendaItemFactory(meeting=later, kind="previous_minutes", title="Minutes")
    with django_capture_on_commit_callbacks(execute=True):
        services.approve_minutes(
            minutes=drafted.minutes,
            at_item=approving,
            by=officer,
            corrections=[
                services.Correction(
                    entry=drafted, text="<p>Members discussed kinship care.</p>", reason="Accuracy"
                )
            ],
        )
    # Approved minutes of a public meeting are public, corrected text and all.
    assert titles(PUBLIC, "fostering") == []
    assert titles(PUBLIC, "kinship") == ["Minute: Early help"]

    url = reverse("meetings:minute-entry-update", kwargs={"pk": drafted.pk})
    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in(officer).post(
            url, {"text": "<p>Members discussed special guardianship.</p>", "reason": "Typo"}
        )

    assert response.status_code == 302
    assert titles(PUBLIC, "kinship") == []
    assert titles(PUBLIC, "guardianship") == ["Minute: Early help"]


def test_a_minute_edit_rolled_back_leaves_the_index_alone(drafted, officer):
    from meetings import minutes as services

    # Outside django_capture_on_commit_callbacks nothing commits: the index keeps the old words.
    services.save_entry(
        entry=drafted,
        text="<p>Members discussed adoption.</p>",
        resolution="",
        expected_version=drafted.version,
        by=officer,
    )

    assert titles(officer, "adoption") == []
    assert titles(officer, "fostering") == ["Minute: Early help"]
