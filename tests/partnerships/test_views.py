"""The directory, body and terms of reference pages: who may read, who may edit, query counts."""

import datetime

import pytest
from django.urls import reverse

from partnerships import services
from partnerships.models import Body, ReportingLine, TermsOfReference
from tests.factories import BodyFactory, PartnershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def partnership():
    return PartnershipFactory(
        name="Worcestershire Children and Young People's Strategic Partnership"
    )


@pytest.fixture
def board(partnership):
    return BodyFactory(
        name="Partnership Advisory Body", partnership=partnership, kind="advisory_body"
    )


def grow(partnership, parent, count):
    """`count` sub-groups reporting to `parent`, each with a secondary line elsewhere."""
    council = BodyFactory(name="County Council Cabinet", partnership=partnership, kind="other")
    for n in range(count):
        child = BodyFactory(
            name=f"Sub-group {n}", partnership=partnership, kind="thematic_subgroup"
        )
        services.add_reporting_line(
            from_body=child, to_body=parent, is_primary=True, cadence="quarterly"
        )
        services.add_reporting_line(from_body=child, to_body=council, kind="advises")


def date_fields(prefix, day):
    return {f"{prefix}_0": day.day, f"{prefix}_1": day.month, f"{prefix}_2": day.year}


# Reading --------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", [None, "board_member", "partnership_manager"])
def test_everyone_can_read_the_directory_and_body_pages(client, request, board, who):
    if who:
        client.force_login(request.getfixturevalue(who))

    listing = client.get(reverse("partnerships:body-list"))
    page = client.get(board.get_absolute_url())

    assert listing.status_code == page.status_code == 200
    assert board.name in listing.content.decode()
    assert '<h1 class="govuk-heading-xl">Partnership Advisory Body' in page.content.decode()
    assert ("Edit details" in page.content.decode()) is (who == "partnership_manager")


def test_directory_filters_by_type_partnership_and_status(client, partnership, board):
    BodyFactory(
        name="Joint Commissioning Board", partnership=partnership, kind="joint_commissioning_board"
    )
    BodyFactory(name="Shadow Trust Board", partnership=partnership, status="shadow")
    BodyFactory(name="Elsewhere Board")
    url = reverse("partnerships:body-list")

    def names(**params):
        return [body.name for body in client.get(url, params).context["bodies"]]

    assert names(type="joint_commissioning_board") == ["Joint Commissioning Board"]
    assert names(status="shadow") == ["Shadow Trust Board"]
    assert "Elsewhere Board" not in names(partnership=partnership.slug)
    assert len(names()) == 4


@pytest.mark.parametrize("size", [10, 200])
def test_body_page_and_directory_take_the_same_queries_whatever_the_size(
    client, partnership, board, size, django_assert_num_queries
):
    grow(partnership, board, size)
    terms = services.draft_terms_of_reference(body=board)
    services.save_draft_sections(terms=terms, sections=[{"kind": "purpose", "text": "To advise."}])
    services.agree_terms_of_reference(terms=terms, agreed_on=datetime.date(2009, 9, 1))

    # body with status and primary line; status history; lines up; lines down; agreed ToR;
    # their sections; predecessors; successors; work areas
    with django_assert_num_queries(9):
        response = client.get(board.get_absolute_url())
    assert len(response.context["lines_down_now"]) == size

    # count for pagination; the page of bodies with status and primary line; partnerships filter
    with django_assert_num_queries(3):
        client.get(reverse("partnerships:body-list"))

    # partnership; its bodies with status and primary line; priorities (+ work areas, none here)
    with django_assert_num_queries(3):
        client.get(partnership.get_absolute_url())


def test_body_page_shows_lines_up_and_down_and_history(client, partnership, board):
    jcb = BodyFactory(name="Joint Commissioning Board", partnership=partnership)
    services.add_reporting_line(from_body=jcb, to_body=board, is_primary=True, cadence="quarterly")
    services.record_status_change(
        body=board, status="under_review", effective_on=datetime.date(2011, 1, 1)
    )

    up = client.get(jcb.get_absolute_url()).content.decode()
    down = client.get(board.get_absolute_url()).content.decode()

    assert "Reports to now" in up
    assert "Partnership Advisory Body" in up
    assert "Quarterly" in up
    assert "Reporting to it now" in down
    assert "Joint Commissioning Board" in down
    assert "Under review" in down


# Editing --------------------------------------------------------------------------------------


EDIT_URLS = [
    ("partnerships:partnership-create", lambda board: {}),
    ("partnerships:body-create", lambda board: {}),
    ("partnerships:body-update", lambda board: {"slug": board.slug}),
    ("partnerships:body-status-create", lambda board: {"slug": board.slug}),
    ("partnerships:reporting-line-create", lambda board: {"slug": board.slug}),
]


@pytest.mark.parametrize(("url_name", "kwargs"), EDIT_URLS, ids=[u for u, _ in EDIT_URLS])
@pytest.mark.parametrize("who", ["board_member", "officer"])
def test_board_members_and_officers_cannot_edit_the_structure(
    client, request, board, url_name, kwargs, who
):
    client.force_login(request.getfixturevalue(who))
    url = reverse(url_name, kwargs=kwargs(board))

    assert client.get(url).status_code == 403
    assert client.post(url, {"name": "Changed"}).status_code == 403
    board.refresh_from_db()
    assert board.name == "Partnership Advisory Body"


@pytest.mark.parametrize(("url_name", "kwargs"), EDIT_URLS, ids=[u for u, _ in EDIT_URLS])
def test_partnership_managers_can_open_every_edit_form(
    client, partnership_manager, board, url_name, kwargs
):
    client.force_login(partnership_manager)

    assert client.get(reverse(url_name, kwargs=kwargs(board))).status_code == 200


def test_a_manager_adds_a_body_with_its_first_status(client, partnership_manager, partnership):
    client.force_login(partnership_manager)

    response = client.post(
        reverse("partnerships:body-create"),
        {
            "name": "Shadow Children's Trust Board",
            "partnership": partnership.pk,
            "kind": "trust_board",
            "status": "shadow",
            **date_fields("status_on", datetime.date(2009, 11, 1)),
            "access_to_information": "voluntary",
        },
    )

    body = Body.objects.get(name="Shadow Children's Trust Board")
    assert response.headers["Location"] == body.get_absolute_url()
    assert list(body.status_changes.values_list("status", "effective_on")) == [
        ("shadow", datetime.date(2009, 11, 1))
    ]


def test_the_body_form_explains_what_is_missing(client, partnership_manager):
    client.force_login(partnership_manager)

    response = client.post(reverse("partnerships:body-create"), {})

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["name"] == ["Enter the name of the body"]
    assert errors["kind"] == ["Choose the type of body"]
    assert "There is a problem" in response.content.decode()


def test_the_line_form_refuses_a_loop_with_the_reason(
    client, partnership_manager, partnership, board
):
    jcb = BodyFactory(name="Joint Commissioning Board", partnership=partnership)
    services.add_reporting_line(from_body=jcb, to_body=board, is_primary=True)
    client.force_login(partnership_manager)

    response = client.post(
        reverse("partnerships:reporting-line-create", kwargs={"slug": board.slug}),
        {"kind": "reports_to", "to_body": jcb.pk, "is_primary": "on"},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["to_body"] == [
        "Partnership Advisory Body cannot report to Joint Commissioning Board: Joint "
        "Commissioning Board already reports to Partnership Advisory Body, so the primary lines "
        "would go round in a circle."
    ]
    assert not ReportingLine.objects.filter(from_body=board).exists()


def test_the_line_form_refuses_a_second_primary_line(
    client, partnership_manager, partnership, board
):
    jcb = BodyFactory(name="Joint Commissioning Board", partnership=partnership)
    hwb = BodyFactory(name="Health and Wellbeing Board")
    services.add_reporting_line(from_body=jcb, to_body=board, is_primary=True)
    client.force_login(partnership_manager)

    response = client.post(
        reverse("partnerships:reporting-line-create", kwargs={"slug": jcb.slug}),
        {"kind": "reports_to", "to_body": hwb.pk, "is_primary": "on"},
    )

    assert response.context["form"].errors["is_primary"] == [
        "Joint Commissioning Board already has a primary reporting line to Partnership Advisory "
        "Body. A body has one primary line at a time: end that line first, or make this one "
        "secondary."
    ]


def test_the_line_form_needs_a_target(client, partnership_manager, board):
    client.force_login(partnership_manager)

    response = client.post(
        reverse("partnerships:reporting-line-create", kwargs={"slug": board.slug}),
        {"kind": "advises"},
    )

    assert response.context["form"].errors["to_body"] == [
        "Choose the body or the organisation the line goes to"
    ]


def test_the_status_form_refuses_a_step_out_of_order(client, partnership_manager, board):
    client.force_login(partnership_manager)

    response = client.post(
        reverse("partnerships:body-status-create", kwargs={"slug": board.slug}),
        {"status": "shadow", **date_fields("effective_on", datetime.date(2012, 1, 1))},
    )

    assert response.context["form"].errors["status"] == [
        "A body cannot go from active to shadow (on 1 January 2012)."
    ]


# Terms of reference ---------------------------------------------------------------------------


def test_a_manager_drafts_edits_and_agrees_terms_of_reference(client, partnership_manager, board):
    client.force_login(partnership_manager)

    response = client.post(reverse("partnerships:tor-create", kwargs={"slug": board.slug}))
    edit_url = reverse("partnerships:tor-update", kwargs={"slug": board.slug, "version": 1})
    assert response.headers["Location"] == edit_url
    client.post(
        edit_url,
        {
            "terms-meetings_per_year": "4",
            "terms-quorum_basis": "established",
            "sections-TOTAL_FORMS": "2",
            "sections-INITIAL_FORMS": "0",
            "sections-0-kind": "purpose",
            "sections-0-text": "To advise the Joint Commissioning Board.",
            "sections-1-kind": "frequency",
            "sections-1-text": "Quarterly.",
        },
    )
    client.post(
        reverse("partnerships:tor-agree", kwargs={"slug": board.slug, "version": 1}),
        date_fields("agreed_on", datetime.date(2009, 9, 1)),
    )

    terms = TermsOfReference.objects.get(body=board)
    assert (terms.status, terms.meetings_per_year, terms.agreed_on) == (
        "agreed",
        4,
        datetime.date(2009, 9, 1),
    )
    assert list(terms.sections.values_list("order", "kind")) == [(1, "purpose"), (2, "frequency")]
    page = client.get(board.get_absolute_url()).content.decode()
    assert "To advise the Joint Commissioning Board." in page
    assert "Quarterly" in page


def test_drafts_are_hidden_from_the_public_and_board_members(client, board_member, board):
    terms = services.draft_terms_of_reference(body=board)
    url = terms.get_absolute_url()
    compare = reverse("partnerships:tor-diff", kwargs={"slug": board.slug}) + "?old=1&new=2"

    # Anonymous visitors are asked to sign in, as for every page they may not see.
    for address in (url, compare):
        response = client.get(address)
        assert response.status_code == 302
        assert response.url.startswith(f"{reverse('login')}?next=")
    client.force_login(board_member)
    assert client.get(url).status_code == 404
    assert client.get(compare).status_code == 404


def test_version_diff_lists_changed_sections_word_by_word(client, board):
    first = services.draft_terms_of_reference(body=board)
    services.save_draft_sections(
        terms=first,
        sections=[
            {"kind": "purpose", "text": "To advise the Joint Commissioning Board."},
            {"kind": "costs", "text": "Nil."},
        ],
    )
    services.agree_terms_of_reference(terms=first, agreed_on=datetime.date(2009, 9, 1))
    second = services.draft_terms_of_reference(body=board)
    services.save_draft_sections(
        terms=second,
        sections=[
            {"kind": "purpose", "text": "To advise the Children's Trust Board."},
            {"kind": "frequency", "text": "Twice a year."},
        ],
    )
    services.agree_terms_of_reference(terms=second, agreed_on=datetime.date(2010, 4, 1))

    response = client.get(reverse("partnerships:tor-diff", kwargs={"slug": board.slug}))

    states = {s["title"]: s["state"] for s in response.context["sections"]}
    assert states == {"Purpose": "changed", "Costs": "removed", "Frequency of meetings": "added"}
    purpose = response.context["sections"][0]["words"]
    assert ("removed", "Joint Commissioning") in purpose
    assert (
        "added",
        "Children's Trust",
    ) in purpose
    content = response.content.decode()
    assert '<del class="app-diff-removed">Joint Commissioning</del>' in content
    assert '<ins class="app-diff-added">Children&#x27;s Trust</ins>' in content
