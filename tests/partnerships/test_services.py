"""The structural rules: lifecycle, one primary line at a time, no loops, ToR versions."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from partnerships import services
from partnerships.models import BodyStatus, ReportingLine, TermsOfReference, ToRSection
from tests.factories import BodyFactory, OrganisationFactory, PartnershipFactory

pytestmark = pytest.mark.django_db

APRIL_2015 = datetime.date(2015, 4, 1)


@pytest.fixture
def trust():
    """A board with an executive group and an area partnership beneath it, in one line."""
    partnership = PartnershipFactory(name="Cambridgeshire Children's Trust")
    board = BodyFactory(name="Children's Trust Board", partnership=partnership)
    executive = BodyFactory(name="Executive Group", partnership=partnership, kind="executive_group")
    area = BodyFactory(name="Area Partnership 1", partnership=partnership, kind="area_partnership")
    services.add_reporting_line(from_body=executive, to_body=board, is_primary=True)
    services.add_reporting_line(from_body=area, to_body=executive, is_primary=True)
    return board, executive, area


def test_a_primary_line_that_closes_a_loop_is_refused_naming_the_loop(trust):
    board, _executive, area = trust

    with pytest.raises(ValidationError) as caught:
        services.add_reporting_line(from_body=board, to_body=area, is_primary=True)

    assert caught.value.messages == [
        "Children's Trust Board cannot report to Area Partnership 1: Area Partnership 1 already "
        "reports through Executive Group to Children's Trust Board, so the primary lines would "
        "go round in a circle."
    ]
    assert not ReportingLine.objects.filter(from_body=board).exists()


def test_a_loop_only_in_time_is_found_on_the_day_it_would_start(trust):
    board, _executive, area = trust
    ReportingLine.objects.filter(from_body=area).update(ends_on=datetime.date(2016, 1, 1))

    with pytest.raises(ValidationError, match=r"on 1 April 2015, so the primary lines"):
        services.add_reporting_line(
            from_body=board, to_body=area, is_primary=True, starts_on=APRIL_2015
        )
    line = services.add_reporting_line(
        from_body=board, to_body=area, is_primary=True, starts_on=datetime.date(2016, 1, 1)
    )
    assert line.pk


def test_a_secondary_line_may_point_back_up(trust):
    board, _executive, area = trust

    line = services.add_reporting_line(from_body=board, to_body=area, kind="advises")

    assert line.pk
    assert not line.is_primary


def test_a_second_primary_line_at_the_same_date_is_refused(trust):
    _board, executive, _area = trust
    hwb = BodyFactory(name="Health and Wellbeing Board", kind="health_and_wellbeing_board")

    with pytest.raises(ValidationError) as caught:
        services.add_reporting_line(from_body=executive, to_body=hwb, is_primary=True)

    assert caught.value.messages == [
        "Executive Group already has a primary reporting line to Children's Trust Board. A body "
        "has one primary line at a time: end that line first, or make this one secondary."
    ]


def test_primary_lines_may_follow_each_other_in_time(trust):
    board, executive, _area = trust
    hwb = BodyFactory(name="Health and Wellbeing Board", kind="health_and_wellbeing_board")
    ReportingLine.objects.filter(from_body=executive).update(ends_on=APRIL_2015)

    line = services.add_reporting_line(
        from_body=executive, to_body=hwb, is_primary=True, starts_on=APRIL_2015
    )

    assert executive.lines_up.current(datetime.date(2015, 3, 31)).get().to_body == board
    assert executive.lines_up.current(APRIL_2015).get() == line


def test_the_database_refuses_overlapping_primary_lines_written_around_the_service(trust):
    _board, executive, _area = trust
    hwb = BodyFactory(name="Health and Wellbeing Board")

    with pytest.raises(IntegrityError, match="one_primary_line_per_body_at_a_time"):
        ReportingLine.objects.create(from_body=executive, to_body=hwb, is_primary=True)


def test_a_line_to_an_organisation_is_allowed_and_needs_exactly_one_target(trust):
    board, *_ = trust
    council = OrganisationFactory(name="Cambridgeshire County Council")

    line = services.add_reporting_line(
        from_body=board, to_organisation=council, kind="accountable_to"
    )
    assert line.target == council
    with pytest.raises(IntegrityError, match="reporting_line_has_one_target"):
        ReportingLine.objects.create(from_body=board, kind="advises")


def test_a_line_cannot_start_after_its_target_was_disbanded(trust):
    board, _executive, area = trust
    services.record_status_change(body=board, status=BodyStatus.REPLACED, effective_on=APRIL_2015)

    with pytest.raises(
        ValidationError, match="Children's Trust Board was replaced on 1 April 2015"
    ):
        services.add_reporting_line(
            from_body=area, to_body=board, kind="advises", starts_on=datetime.date(2015, 6, 1)
        )


@pytest.mark.parametrize(
    ("history", "message"),
    [
        ([("active", 2010), ("shadow", 2011)], "cannot go from active to shadow"),
        ([("disbanded", 2010)], "cannot go from nothing to disbanded"),
        ([("active", 2010), ("disbanded", 2011), ("active", 2012)], "from disbanded to active"),
    ],
)
def test_lifecycle_steps_out_of_order_are_refused(history, message):
    changes = [(datetime.date(year, 1, 1), status) for status, year in history]

    with pytest.raises(ValidationError, match=message):
        services.check_status_history(changes)


def test_status_is_derived_from_the_dated_history():
    body = BodyFactory(status="shadow", status_on=datetime.date(2008, 11, 1))
    services.record_status_change(
        body=body, status="active", effective_on=datetime.date(2009, 4, 1)
    )
    services.record_status_change(body=body, status="replaced", effective_on=APRIL_2015)
    statuses = {
        day: type(body).objects.with_status(day).get(pk=body.pk).status_on_date
        for day in [
            datetime.date(2008, 10, 1),
            datetime.date(2009, 1, 1),
            datetime.date(2012, 1, 1),
            APRIL_2015,
        ]
    }

    assert statuses == {
        datetime.date(2008, 10, 1): None,
        datetime.date(2009, 1, 1): "shadow",
        datetime.date(2012, 1, 1): "active",
        APRIL_2015: "replaced",
    }


def test_agreeing_a_new_version_supersedes_the_old_one():
    body = BodyFactory()
    first = services.draft_terms_of_reference(body=body)
    services.save_draft_sections(
        terms=first, sections=[{"kind": "purpose", "text": "To improve outcomes."}]
    )
    services.agree_terms_of_reference(terms=first, agreed_on=datetime.date(2014, 6, 1))
    second = services.draft_terms_of_reference(body=body)

    services.agree_terms_of_reference(terms=second, agreed_on=APRIL_2015)

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == ("superseded", "agreed")
    assert second.version == 2
    assert second.effective_on == APRIL_2015
    assert list(second.sections.values_list("text", flat=True)) == ["To improve outcomes."]


def test_an_empty_draft_cannot_be_agreed_and_agreed_versions_cannot_be_edited():
    body = BodyFactory()
    terms = services.draft_terms_of_reference(body=body)

    with pytest.raises(ValidationError, match="Add at least one section"):
        services.agree_terms_of_reference(terms=terms, agreed_on=APRIL_2015)
    ToRSection.objects.create(terms=terms, order=1, kind="purpose", text="x")
    services.agree_terms_of_reference(terms=terms, agreed_on=APRIL_2015)
    with pytest.raises(ValidationError, match="Only a draft can be edited"):
        services.save_draft_sections(terms=terms, sections=[])
    with pytest.raises(ValidationError, match="only a draft can be agreed"):
        services.agree_terms_of_reference(terms=terms, agreed_on=APRIL_2015)
    assert TermsOfReference.objects.get().sections.count() == 1
