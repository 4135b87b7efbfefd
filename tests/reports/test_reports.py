"""Reports up the line (R-AR-1, R-AR-2): what is owed, the editor, submission, who may read a
report, receiving it, and the roll-up of the area partnerships' reports into the Executive
Group's report to the Health and Wellbeing Board."""

import datetime
import zoneinfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from partnerships.models import Priority, WorkArea
from reports import services
from reports.models import AnnualReport, Escalation, ReportLine
from reports.obligations import expected_reports
from tests.factories import (
    AgendaItemFactory,
    AnnualReportFactory,
    BodyFactory,
    MeetingFactory,
    MembershipFactory,
    ReportingLineFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

LONDON = zoneinfo.ZoneInfo("Europe/London")
FY_START, FY_END = datetime.date(2015, 4, 1), datetime.date(2016, 3, 31)


def member_of(body, user=None):
    user = user or UserFactory()
    MembershipFactory(seat__body=body, person__user=user)
    return user


def line(report, title, rag="", narrative="", work_area=None):
    return ReportLine.objects.create(
        report=report,
        order=report.lines.count() + 1,
        title=title,
        rag=rag,
        narrative=narrative,
        work_area=work_area,
        priority=work_area.priority if work_area else None,
    )


@pytest.fixture
def hwb():
    return BodyFactory(name="Health and Wellbeing Board", kind="health_and_wellbeing_board")


@pytest.fixture
def executive(hwb):
    body = BodyFactory(name="Children's Trust Executive Group", kind="executive_group")
    ReportingLineFactory(from_body=body, to_body=hwb, cadence="annual")
    return body


@pytest.fixture
def priority(hwb):
    return Priority.objects.create(
        body=hwb, number=1, title="Ensuring a positive start to life for children"
    )


@pytest.fixture
def work_areas(priority, executive):
    return {
        name: WorkArea.objects.create(priority=priority, name=name, order=i, delivered_by=executive)
        for i, name in enumerate(["Child Poverty", "SEND", "Children's Mental Health"])
    }


@pytest.fixture
def areas(executive):
    bodies = [
        BodyFactory(name=f"{name} Area Partnership", kind="area_partnership")
        for name in ["Fenland", "Cambridge City", "Huntingdonshire"]
    ]
    for body in bodies:
        ReportingLineFactory(from_body=body, to_body=executive, cadence="annual")
    return bodies


@pytest.fixture
def draft(executive, hwb):
    report = AnnualReportFactory(body=executive, receiving_body=hwb)
    line(report, "Child Poverty", rag="green")
    line(report, "SEND", rag="red")
    line(report, "Children's Mental Health", rag="amber", narrative="Waiting times up")
    return report


# Submission (R-AR-1) ----------------------------------------------------------------------------


def test_submitting_a_report_with_a_red_line_and_no_narrative_is_refused_naming_the_line(
    client, partnership_manager, draft
):
    client.force_login(partnership_manager)

    response = client.post(reverse("reports:report-submit", args=[draft.pk]))

    assert "Line 2 &#x27;SEND&#x27; is red but has no narrative" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == AnnualReport.Status.DRAFTING
    assert draft.submitted_at is None


def test_every_missing_rating_and_narrative_is_named(draft, partnership_manager):
    line(draft, "Together for Families")
    draft.lines.filter(title="Children's Mental Health").update(narrative="")

    with pytest.raises(ValidationError) as error:
        services.submit_report(report=draft, by=partnership_manager)

    assert error.value.messages == [
        "Line 2 'SEND' is red but has no narrative",
        "Line 3 'Children's Mental Health' is amber but has no narrative",
        "Line 4 'Together for Families' has no RAG rating",
    ]


def test_a_complete_report_is_submitted_with_the_facts_of_the_period(draft, partnership_manager):
    draft.lines.filter(title="SEND").update(narrative="EHC plans late; recovery plan agreed")

    services.submit_report(report=draft, by=partnership_manager)

    draft.refresh_from_db()
    assert draft.status == AnnualReport.Status.SUBMITTED
    assert draft.submitted_by == partnership_manager
    assert draft.facts["period"] == {"starts_on": "2015-04-01", "ends_on": "2016-03-31"}
    with pytest.raises(ValidationError) as error:
        services.submit_report(report=draft, by=partnership_manager)
    assert error.value.messages == ["This report has been submitted and can no longer be changed"]


def test_the_submit_page_lists_what_is_missing_before_anyone_presses_the_button(
    client, partnership_manager, draft
):
    client.force_login(partnership_manager)

    page = client.get(reverse("reports:report-submit", args=[draft.pk])).content.decode()

    assert "Line 2 &#x27;SEND&#x27; is red but has no narrative" in page
    assert "Submit the report</button>" not in page


# Obligations (R-AR-2) --------------------------------------------------------------------------


def test_an_annual_line_expects_one_report_a_year_due_before_the_receiving_meeting(executive, hwb):
    MeetingFactory(body=hwb, starts_at=datetime.datetime(2016, 5, 25, 14, tzinfo=LONDON))

    (obligation,) = expected_reports(period_starts_on=FY_START, period_ends_on=FY_END)

    assert (obligation.body, obligation.receiving_body) == (executive, hwb)
    assert (obligation.kind, obligation.period_starts_on, obligation.period_ends_on) == (
        "annual",
        FY_START,
        FY_END,
    )
    # Five clear working days before Wed 25 May 2016: published by Tue 17 May.
    assert obligation.due_on == datetime.date(2016, 5, 17)
    assert (obligation.status, obligation.report) == ("expected", None)


def test_without_a_meeting_a_report_is_due_30_days_after_the_period(executive, hwb):
    (obligation,) = expected_reports(period_starts_on=FY_START, period_ends_on=FY_END)

    assert obligation.due_on == datetime.date(2016, 4, 30)


def test_a_quarterly_line_expects_a_report_each_quarter(hwb):
    subgroup = BodyFactory(name="SEND Sub-group")
    ReportingLineFactory(from_body=subgroup, to_body=hwb, cadence="quarterly")

    obligations = expected_reports(period_starts_on=FY_START, period_ends_on=FY_END)

    assert [(o.kind, o.period_starts_on, o.period_ends_on) for o in obligations] == [
        ("quarterly", datetime.date(2015, 4, 1), datetime.date(2015, 6, 30)),
        ("quarterly", datetime.date(2015, 7, 1), datetime.date(2015, 9, 30)),
        ("quarterly", datetime.date(2015, 10, 1), datetime.date(2015, 12, 31)),
        ("quarterly", datetime.date(2016, 1, 1), datetime.date(2016, 3, 31)),
    ]


def test_lines_that_expect_no_reports_or_are_not_in_force_owe_nothing(hwb):
    ReportingLineFactory(to_body=hwb, cadence="ad_hoc")
    ReportingLineFactory(to_body=hwb, cadence="annual", kind="advises")
    ReportingLineFactory(
        to_body=hwb, cadence="annual", starts_on=datetime.date(2012, 1, 1), ends_on=FY_START
    )

    assert expected_reports(period_starts_on=FY_START, period_ends_on=FY_END) == []


@pytest.mark.parametrize(
    ("status", "overdue"),
    [(None, True), ("drafting", True), ("submitted", False), ("endorsed", False)],
)
def test_a_report_not_submitted_by_its_due_date_is_overdue(executive, hwb, status, overdue):
    if status:
        AnnualReportFactory(body=executive, receiving_body=hwb, status=status)

    (before,) = expected_reports(
        period_starts_on=FY_START, period_ends_on=FY_END, on=datetime.date(2016, 4, 30)
    )
    (after,) = expected_reports(
        period_starts_on=FY_START, period_ends_on=FY_END, on=datetime.date(2016, 5, 1)
    )

    assert (before.is_overdue, after.is_overdue) == (False, overdue)
    assert after.status == (status or "expected")


def test_obligations_take_three_queries_however_many_lines(
    django_assert_num_queries, executive, hwb, areas
):
    for area in areas:
        AnnualReportFactory(body=area, receiving_body=executive)
    # reporting lines, reports, the receiving bodies' meetings
    with django_assert_num_queries(3):
        obligations = expected_reports(period_starts_on=FY_START, period_ends_on=FY_END)
    assert len(obligations) == 4


# Starting and editing ---------------------------------------------------------------------------


def test_a_new_report_has_a_line_for_each_work_area_the_body_delivers(
    executive, hwb, work_areas, partnership_manager
):
    report = services.start_report(
        body=executive,
        receiving_body=hwb,
        period_starts_on=FY_START,
        period_ends_on=FY_END,
        kind="annual",
        by=partnership_manager,
    )

    assert [(li.order, li.title, li.work_area.name) for li in report.lines.all()] == [
        (1, "Child Poverty", "Child Poverty"),
        (2, "SEND", "SEND"),
        (3, "Children's Mental Health", "Children's Mental Health"),
    ]
    assert report.reporting_line.to_body == hwb
    assert report.due_on == datetime.date(2016, 4, 30)


def test_a_manager_starts_a_report_from_an_obligation(client, partnership_manager, executive, hwb):
    client.force_login(partnership_manager)

    response = client.post(
        reverse("reports:report-create"),
        {
            "body": executive.slug,
            "receiving_body": hwb.slug,
            "kind": "annual",
            "period_starts_on_0": "1",
            "period_starts_on_1": "4",
            "period_starts_on_2": "2015",
            "period_ends_on_0": "31",
            "period_ends_on_1": "3",
            "period_ends_on_2": "2016",
        },
    )

    report = AnnualReport.objects.get()
    assert response.url == reverse("reports:report-update", args=[report.pk])
    assert (report.body, report.receiving_body, report.period_ends_on) == (executive, hwb, FY_END)


def formset_data(prefix, rows, fields):
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(sum(1 for row in rows if row.get("id"))),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for i, row in enumerate(rows):
        for field in ["id", *fields, "DELETE"]:
            if row.get(field) not in (None, False):
                data[f"{prefix}-{i}-{field}"] = row[field]
    return data


def test_a_manager_edits_the_lines_indicators_and_escalations(client, partnership_manager, draft):
    send = draft.lines.get(title="SEND")
    poverty = draft.lines.get(title="Child Poverty")
    mental_health = draft.lines.get(title="Children's Mental Health")
    client.force_login(partnership_manager)

    response = client.post(
        reverse("reports:report-update", args=[draft.pk]),
        {
            "report-title": "Children's Trust annual report 2015/16",
            "report-summary": "A year of progress",
            **formset_data(
                "lines",
                [
                    {"id": poverty.pk, "title": "Child Poverty", "rag": "green"},
                    {"id": send.pk, "title": "SEND", "rag": "red", "narrative": "Plans late"},
                    {"id": mental_health.pk, "title": "CAMHS", "rag": "amber", "DELETE": "on"},
                    {"title": "Together for Families", "rag": "green"},
                ],
                ["title", "rag", "direction", "narrative"],
            ),
            **formset_data(
                "indicators",
                [{"name": "EHC plans within 20 weeks", "unit": "%", "value": "61", "rag": "red"}],
                ["name", "unit", "baseline", "value", "target", "trend", "rag"],
            ),
            **formset_data(
                "escalations",
                [{"issue": "Funding ends in June", "ask": "Agree bridging funding"}],
                ["issue", "ask"],
            ),
        },
    )

    assert response.status_code == 302, response.context and [
        f.errors for f in response.context["lines"].forms
    ]
    assert [(li.order, li.title, li.rag, li.narrative) for li in draft.lines.all()] == [
        (1, "Child Poverty", "green", ""),
        (2, "SEND", "red", "Plans late"),
        (3, "Together for Families", "green", ""),
    ]
    assert draft.lines.get(title="SEND").pk == send.pk
    assert [(i.name, str(i.value)) for i in draft.indicators.all()] == [
        ("EHC plans within 20 weeks", "61.00")
    ]
    assert list(draft.escalations.values_list("issue", "ask")) == [
        ("Funding ends in June", "Agree bridging funding")
    ]
    draft.refresh_from_db()
    assert draft.title == "Children's Trust annual report 2015/16"


@pytest.mark.parametrize("route", ["report-update", "report-submit", "report-rollup"])
def test_a_board_member_of_the_body_reads_the_report_but_may_not_change_it(
    client, board_member, draft, route
):
    member_of(draft.body, board_member)
    client.force_login(board_member)

    assert client.get(reverse("reports:report-detail", args=[draft.pk])).status_code == 200
    assert client.get(reverse(f"reports:{route}", args=[draft.pk])).status_code == 403
    assert client.post(reverse(f"reports:{route}", args=[draft.pk])).status_code == 403
    draft.refresh_from_db()
    assert draft.status == AnnualReport.Status.DRAFTING


def test_a_manager_may_open_the_editor(client, partnership_manager, draft):
    client.force_login(partnership_manager)

    response = client.get(reverse("reports:report-update", args=[draft.pk]))

    assert response.status_code == 200
    assert 'name="lines-1-narrative"' in response.content.decode()


def test_a_submitted_report_cannot_be_edited(client, partnership_manager, draft):
    AnnualReport.objects.filter(pk=draft.pk).update(status="submitted")
    client.force_login(partnership_manager)

    response = client.get(reverse("reports:report-update", args=[draft.pk]))

    assert response.url == draft.get_absolute_url()


# Who may read a report --------------------------------------------------------------------------


def test_a_draft_is_read_only_by_the_owning_body_and_staff(client, officer, draft):
    url = reverse("reports:report-detail", args=[draft.pk])
    owner, receiver, other = (
        member_of(draft.body),
        member_of(draft.receiving_body),
        member_of(BodyFactory()),
    )

    seen = {}
    for name, user in [
        ("owner", owner),
        ("receiver", receiver),
        ("other", other),
        ("staff", officer),
    ]:
        client.force_login(user)
        seen[name] = client.get(url).status_code

    assert seen == {"owner": 200, "receiver": 404, "other": 404, "staff": 200}


def test_once_submitted_the_receiving_body_reads_it_too(client, draft):
    AnnualReport.objects.filter(pk=draft.pk).update(status="submitted")
    url = reverse("reports:report-detail", args=[draft.pk])

    client.force_login(member_of(draft.receiving_body))
    assert client.get(url).status_code == 200
    client.force_login(member_of(BodyFactory()))
    assert client.get(url).status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(client, draft):
    response = client.get(reverse("reports:report-detail", args=[draft.pk]))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_the_detail_shows_rag_as_text_and_colour(client, partnership_manager, draft):
    client.force_login(partnership_manager)

    page = client.get(reverse("reports:report-detail", args=[draft.pk])).content.decode()

    assert '<strong class="govuk-tag govuk-tag--red">Red</strong>' in page
    assert '<strong class="govuk-tag govuk-tag--orange">Amber</strong>' in page
    assert '<strong class="govuk-tag govuk-tag--green">Green</strong>' in page


# Receiving and considering ---------------------------------------------------------------------


def test_the_receiving_body_records_the_meeting_that_endorsed_the_report(
    client, partnership_manager, draft
):
    AnnualReport.objects.filter(pk=draft.pk).update(status="submitted")
    item = AgendaItemFactory(meeting__body=draft.receiving_body, title="Children's Trust report")
    client.force_login(partnership_manager)

    response = client.post(
        reverse("reports:report-receive", args=[draft.pk]),
        {"outcome": "endorsed", "item": item.pk},
    )

    assert response.url == draft.get_absolute_url()
    draft.refresh_from_db()
    assert (draft.status, draft.considered_at) == ("endorsed", item)


def test_only_an_item_of_the_receiving_body_can_consider_a_report(draft):
    AnnualReport.objects.filter(pk=draft.pk).update(status="submitted")
    draft.refresh_from_db()
    elsewhere = AgendaItemFactory(meeting__body=draft.body)

    with pytest.raises(ValidationError) as error:
        services.mark_considered(report=draft, item=elsewhere, outcome="noted")

    assert error.value.message_dict == {
        "item": ["Choose an item of a meeting of Health and Wellbeing Board"]
    }


def test_a_submitted_report_is_received(draft, partnership_manager):
    AnnualReport.objects.filter(pk=draft.pk).update(status="submitted")
    draft.refresh_from_db()

    services.receive_report(report=draft, by=partnership_manager)

    assert AnnualReport.objects.get(pk=draft.pk).status == "received"


# The roll-up ----------------------------------------------------------------------------------


@pytest.fixture
def area_reports(areas, executive, work_areas):
    """Three area partnerships rate the same work areas; Fenland escalates an issue."""
    ratings = {
        "Fenland": {"Child Poverty": "red", "SEND": "amber", "Children's Mental Health": "green"},
        "Cambridge City": {"Child Poverty": "amber", "SEND": "amber"},
        "Huntingdonshire": {
            "Child Poverty": "red",
            "SEND": "green",
            "Children's Mental Health": "red",
        },
    }
    reports = []
    for area in areas:
        report = AnnualReportFactory(body=area, receiving_body=executive, status="submitted")
        for title, rag in ratings[area.name.removesuffix(" Area Partnership")].items():
            line(report, title, rag=rag, narrative="Notes", work_area=work_areas[title])
        reports.append(report)
    Escalation.objects.create(
        report=reports[0], issue="No school nurse in Wisbech", ask="Commission the service"
    )
    return reports


def test_the_executive_groups_report_compiles_the_area_reports_and_combines_their_rag(
    executive, hwb, area_reports, partnership_manager
):
    still_drafting = AnnualReportFactory(
        body=BodyFactory(name="Ely Area Partnership"), receiving_body=executive
    )
    ReportingLineFactory(from_body=still_drafting.body, to_body=executive, cadence="annual")
    report = AnnualReportFactory(body=executive, receiving_body=hwb)

    compiled = services.compile_roll_up(report=report, by=partnership_manager)
    summary = services.roll_up_summary(report)

    assert set(compiled) == set(area_reports)
    assert set(report.compiles.all()) == set(area_reports)
    assert summary.counts == {
        "Child Poverty": {"red": 2, "amber": 1, "green": 0},
        "SEND": {"red": 0, "amber": 2, "green": 1},
        "Children's Mental Health": {"red": 1, "amber": 0, "green": 1},
    }
    assert [(row.title, row.total) for row in summary.rows] == [
        ("Child Poverty", 3),
        ("SEND", 3),
        ("Children's Mental Health", 2),
    ]
    assert [(body.name, [e.issue for e in items]) for body, items in summary.escalations] == [
        ("Fenland Area Partnership", ["No school nurse in Wisbech"])
    ]
    # The Executive Group rates each work area itself: one blank line per work area.
    assert [(li.title, li.rag) for li in report.lines.all()] == [
        ("Child Poverty", ""),
        ("SEND", ""),
        ("Children's Mental Health", ""),
    ]


def test_the_whole_tree_takes_in_the_reports_from_further_down(
    executive, hwb, areas, area_reports, work_areas, partnership_manager
):
    youth = BodyFactory(name="Fenland Youth Forum")
    ReportingLineFactory(from_body=youth, to_body=areas[0], cadence="annual")
    youth_report = AnnualReportFactory(body=youth, receiving_body=areas[0], status="submitted")
    line(youth_report, "SEND", rag="red", narrative="Notes", work_area=work_areas["SEND"])
    report = AnnualReportFactory(body=executive, receiving_body=hwb)

    one_level = services.compile_roll_up(report=report, by=partnership_manager)
    whole_tree = services.compile_roll_up(
        report=report, include_whole_tree=True, by=partnership_manager
    )

    assert youth_report not in one_level
    assert set(whole_tree) == {*area_reports, youth_report}
    assert services.roll_up_summary(report).counts["SEND"] == {"red": 1, "amber": 2, "green": 1}


def test_nothing_to_compile_is_explained(executive, hwb, partnership_manager):
    report = AnnualReportFactory(body=executive, receiving_body=hwb)

    with pytest.raises(ValidationError) as error:
        services.compile_roll_up(report=report, by=partnership_manager)

    assert error.value.messages == [
        "No bodies beneath have submitted a report for this period yet, so there is nothing "
        "to compile"
    ]


def test_the_roll_up_page_compiles_and_the_detail_shows_the_combined_table(
    client, partnership_manager, executive, hwb, area_reports
):
    report = AnnualReportFactory(body=executive, receiving_body=hwb)
    client.force_login(partnership_manager)

    response = client.post(reverse("reports:report-rollup", args=[report.pk]), {"scope": "level"})
    page = client.get(response.url).content.decode()

    assert response.url == report.get_absolute_url()
    assert "Compiled 3 reports" in page
    assert "Combined RAG ratings by work area" in page
    assert "No school nurse in Wisbech" in page


# Lists and query counts --------------------------------------------------------------------------


def test_the_list_shows_what_the_members_bodies_owe_and_can_start(
    client, partnership_manager, executive, hwb, areas
):
    client.force_login(partnership_manager)

    response = client.get(reverse("reports:report-list"), {"year": "2015"})

    owed = response.context["obligations"]
    assert [(o.body.name, o.receiving_body.name) for o in owed] == [
        ("Cambridge City Area Partnership", "Children's Trust Executive Group"),
        ("Children's Trust Executive Group", "Health and Wellbeing Board"),
        ("Fenland Area Partnership", "Children's Trust Executive Group"),
        ("Huntingdonshire Area Partnership", "Children's Trust Executive Group"),
    ]
    assert all(o.is_overdue for o in owed)


def test_a_member_sees_only_the_obligations_of_bodies_they_sit_on(client, executive, hwb, areas):
    client.force_login(member_of(areas[0]))

    response = client.get(reverse("reports:report-list"), {"year": "2015"})

    assert [o.body for o in response.context["obligations"]] == [areas[0]]


def test_the_receiving_body_sees_a_draft_is_owed_but_cannot_open_it(client, executive, hwb):
    draft = AnnualReportFactory(body=executive, receiving_body=hwb)
    client.force_login(member_of(hwb))

    page = client.get(
        reverse("reports:body-reports", args=[hwb.slug]), {"year": "2015"}
    ).content.decode()

    assert "Drafting" in page
    assert draft.get_absolute_url() not in page


def _lines(report, count):
    for i in range(count):
        line(report, f"Work area {i}", rag="green")


@pytest.mark.parametrize("count", [5, 40])
def test_the_detail_takes_a_fixed_number_of_queries(
    client, django_assert_num_queries, partnership_manager, executive, hwb, area_reports, count
):
    report = AnnualReportFactory(body=executive, receiving_body=hwb)
    report.compiles.set(area_reports)
    _lines(report, count)
    for report_below in area_reports:
        _lines(report_below, count)
    client.force_login(partnership_manager)
    url = reverse("reports:report-detail", args=[report.pk])
    # session, user, groups, report, lines, indicators, escalations, compiled reports,
    # roll-up counts, roll-up escalations, permissions (user, groups)
    with django_assert_num_queries(12):
        response = client.get(url)
    assert len(response.context["lines"]) == count


@pytest.mark.parametrize("count", [5, 40])
def test_the_editor_takes_a_fixed_number_of_queries(
    client, django_assert_num_queries, partnership_manager, draft, count
):
    _lines(draft, count)
    client.force_login(partnership_manager)
    # session, user, permissions (user, groups), groups, report, lines, indicators, escalations
    with django_assert_num_queries(9):
        client.get(reverse("reports:report-update", args=[draft.pk]))


@pytest.mark.parametrize("count", [1, 8])
def test_the_lists_take_a_fixed_number_of_queries(
    client, django_assert_num_queries, executive, hwb, count
):
    user = member_of(executive)
    for _ in range(count):
        body = BodyFactory()
        ReportingLineFactory(from_body=body, to_body=executive, cadence="annual")
        AnnualReportFactory(body=body, receiving_body=executive, status="submitted")
    client.force_login(user)
    # session, user, groups, bodies sat on, lines, reports, meetings,
    # visible reports, permissions (user, groups), the body filter's choices
    with django_assert_num_queries(11):
        client.get(reverse("reports:report-list"), {"year": "2015"})
    # session, user, body, lines, reports, meetings, groups, bodies sat on,
    # visible reports, permissions (user, groups)
    with django_assert_num_queries(11):
        client.get(reverse("reports:body-reports", args=[executive.slug]), {"year": "2015"})
