from datetime import date

import pytest
from django.apps import apps

from partnerships import demo
from partnerships.models import Body, Partnership, Priority, TermsOfReference
from partnerships.services import check_status_history
from partnerships.structure import compare, structure_on

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded():
    demo.load()


def _snapshot():
    models = list(apps.get_app_config("partnerships").get_models())
    models += [Body.predecessors.through, TermsOfReference.quorum_required_organisations.through]
    return {model._meta.label: list(model.objects.order_by("pk").values()) for model in models}


def _lines(lines):
    return {(line.from_body.name, str(line.target)) for line in lines}


def _names(bodies):
    return sorted(body.name for body in bodies)


def test_loading_the_demo_twice_changes_nothing(loaded):
    before = _snapshot()

    demo.load()

    assert _snapshot() == before
    assert all(before[label] for label in ["partnerships.Body", "partnerships.ToRSection"])


def test_cambridgeshire_2015_changes_only_the_board_for_the_executive_group(loaded):
    trust = Partnership.objects.get(slug="cambridgeshire-childrens-trust")

    diff = compare(trust, date(2015, 1, 1), date(2015, 9, 1))

    assert _names(diff.bodies_removed) == ["Children's Trust Board"]
    assert _names(diff.bodies_added) == ["Children's Trust Executive Group"]
    hwb = "Cambridgeshire Health and Wellbeing Board"
    assert _lines(diff.lines_removed) == {
        ("Area Partnership 1", "Children's Trust Board"),
        ("Area Partnership 2", "Children's Trust Board"),
        ("Area Partnership 3", "Children's Trust Board"),
        ("Children's Trust Board", hwb),
    }
    assert _lines(diff.lines_added) == {
        ("Area Partnership 1", "Children's Trust Executive Group"),
        ("Area Partnership 2", "Children's Trust Executive Group"),
        ("Area Partnership 3", "Children's Trust Executive Group"),
        ("Children's Trust Executive Group", hwb),
    }
    assert diff.status_changes == []
    assert diff.lines_changed == []


def test_cambridgeshire_executive_group_terms_and_hwb_priority_come_from_the_paper(loaded):
    executive = Body.objects.get(slug="cambridgeshire-childrens-trust-executive-group")
    terms = executive.terms_of_reference.get()
    area_terms = Body.objects.get(slug="cambridgeshire-area-partnership-2").terms_of_reference.get()
    priority = Priority.objects.get(body__slug="cambridgeshire-health-and-wellbeing-board")

    assert (terms.status, terms.meetings_per_year, terms.frequency_display) == (
        "agreed",
        2,
        "Twice a year",
    )
    assert [section.title for section in terms.sections.all()] == [
        "Purpose",
        "Role and functions",
        "Attendance",
        "Support",
        "Reporting line",
        "Costs",
        "Frequency of meetings",
    ]
    assert area_terms.sections.get(kind="reporting_line").text == (
        "Children's Trust Executive Group."
    )
    assert [executive.predecessors.get().name] == ["Children's Trust Board"]
    assert str(priority) == (
        "Priority 1: Ensuring a positive start to life for children, young people and their "
        "families"
    )
    assert [(area.name, str(area.delivered_by or "")) for area in priority.work_areas.all()] == [
        ("Area Partnerships", "Children's Trust Executive Group"),
        ("Together for Families", ""),
        ("Child Poverty", ""),
        ("Children's Mental Health", ""),
        ("SEND", ""),
    ]


def test_every_demo_body_has_a_valid_status_history(loaded):
    for body in Body.objects.prefetch_related("status_changes"):
        changes = [(change.effective_on, change.status) for change in body.status_changes.all()]

        assert changes, body.name
        check_status_history(changes)


def test_every_demo_partnership_has_a_body_alive_at_some_date(loaded):
    for partnership in Partnership.objects.all():
        bodies = Body.objects.filter(partnership=partnership)
        dates = bodies.values_list("status_changes__effective_on", flat=True).distinct()

        assert any(bodies.alive(on).exists() for on in dates), partnership.name


def test_central_bedfordshire_runs_in_shadow_until_april_2009(loaded):
    trust = Partnership.objects.get(slug="central-bedfordshire-childrens-trust")

    shadow = structure_on(trust, date(2009, 1, 15))
    live = structure_on(trust, date(2009, 6, 1))

    assert {body.name: body.status_on_date for body in shadow.bodies} == {
        "Children's Trust Board": "shadow",
        "Joint Commissioning Board": "shadow",
        "Learning Sub-group": "shadow",
        "Well-being Sub-group": "shadow",
        "Youth Sub-group": "shadow",
    }
    assert {body.status_on_date for body in live.bodies} == {"active"}
    assert _names(live.bodies) == [
        "Children's Trust Board",
        "Children's Trust Partnership Conference",
        "Joint Commissioning Board",
        "Learning Sub-group",
        "Well-being Sub-group",
        "Youth Sub-group",
    ]
    assert {(line.from_body.name, str(line.target), line.is_primary) for line in live.lines} == {
        ("Joint Commissioning Board", "Children's Trust Board", True),
        ("Learning Sub-group", "Joint Commissioning Board", True),
        ("Well-being Sub-group", "Joint Commissioning Board", True),
        ("Youth Sub-group", "Joint Commissioning Board", True),
        ("Well-being Sub-group", "Central Bedfordshire Local Safeguarding Children Board", False),
    }
    assurance = Body.objects.get(slug="bedfordshire-joint-assurance-board")
    assert [change.status for change in assurance.status_changes.all()] == ["proposed"]


def test_worcestershire_trust_board_takes_over_from_the_pab_and_jcb_in_2010(loaded):
    partnership = Partnership.objects.get(
        slug="worcestershire-children-and-young-peoples-strategic-partnership"
    )

    diff = compare(partnership, date(2009, 9, 1), date(2010, 6, 1))
    shadow = structure_on(partnership, date(2010, 2, 1))

    assert _names(diff.bodies_removed) == ["Joint Commissioning Board", "Partnership Advisory Body"]
    assert _names(diff.bodies_added) == [
        "Children's Trust Board",
        "Joint Commissioning Executive",
        "Management Group",
        "Management Information Group",
    ]
    assert _lines(diff.lines_removed) == {
        ("Partnership Advisory Body", "Joint Commissioning Board"),
        ("Joint Commissioning Board", "Worcestershire Partnership"),
    }
    assert {body.name: body.status_on_date for body in shadow.bodies} == {
        "Children's Trust Board": "shadow",
        "Joint Commissioning Board": "active",
        "Joint Commissioning Executive": "shadow",
        "Management Group": "shadow",
        "Management Information Group": "shadow",
        "Partnership Advisory Body": "active",
    }
    board = Body.objects.get(slug="worcestershire-childrens-trust-board")
    assert _names(board.predecessors.all()) == [
        "Joint Commissioning Board",
        "Partnership Advisory Body",
    ]
    assert board.terms_of_reference.get().status == "draft"


def test_plymouth_childrens_partnership_replaces_the_board_and_executive(loaded):
    trust = Partnership.objects.get(slug="plymouth-children-and-young-peoples-trust")
    partnership = Body.objects.get(slug="plymouth-childrens-partnership")

    diff = compare(trust, date(2012, 6, 1), date(2013, 6, 1))

    assert _names(partnership.predecessors.all()) == [
        "Children's Trust Board",
        "Children's Trust Executive",
    ]
    assert _names(diff.bodies_removed) == ["Children's Trust Board", "Children's Trust Executive"]
    assert _names(diff.bodies_added) == ["Children's Partnership"]
    assert _lines(diff.lines_added) == {
        ("Children's Partnership", "Plymouth Health and Wellbeing Board")
    }
    role = partnership.terms_of_reference.get(status="agreed").sections.get(kind="role_functions")
    assert len(role.text.splitlines()) == 8
    assert (
        role.text.splitlines()[6]
        == "7. Advise commissioners of the needs of children and young people"
    )
