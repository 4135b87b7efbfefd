"""Composition checks on a date: statutory members over time, vacancies, chairs, interests."""

import datetime

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from membership.compliance import (
    Coverage,
    check_body,
    check_partnership,
    hwb_coverage,
    s10_coverage,
)
from membership.models import InterestDeclaration, Person, Substitute
from partnerships.models import TermsOfReference
from tests.factories import (
    BodyFactory,
    MembershipFactory,
    OrganisationFactory,
    PartnershipFactory,
    PersonFactory,
    SeatFactory,
)

pytestmark = pytest.mark.django_db

AUGUST_2009 = datetime.date(2009, 8, 1)
JUNE_2016 = datetime.date(2016, 6, 1)
SINCE_2008 = datetime.date(2008, 9, 1)


def seat(body, label, *, holder=None, organisation=None, since=SINCE_2008, **fields):
    """A seat on the body, held by `holder` (a name) for `organisation` since `since`."""
    seat = SeatFactory(body=body, label=label, nominating_organisation=organisation, **fields)
    if holder:
        MembershipFactory(
            seat=seat, person=PersonFactory(name=holder), organisation=organisation, starts_on=since
        )
    return seat


def organisation(name, kind):
    return OrganisationFactory(name=name, kind=kind)


def rows(coverage):
    return [(row.label, row.status) for row in coverage]


def findings(body, on, rule=None):
    return [(f.severity, f.rule, f.message) for f in check_body(body, on) if rule in (None, f.rule)]


@pytest.fixture
def worcestershire():
    """The county's strategic partnership: a two-tier area under the s.10 co-operation duty."""
    return PartnershipFactory(
        name="Worcestershire Children and Young People's Strategic Partnership",
        two_tier_area=True,
        legal_basis="s10_children_act_2004",
    )


@pytest.fixture
def trust_board(worcestershire):
    """A board like Worcestershire's in August 2009 (seed 004): some partners, two vacancies."""
    board = BodyFactory(
        name="Trust Board",
        partnership=worcestershire,
        kind="trust_board",
        status_on=datetime.date(2008, 4, 1),
    )
    seat(board, "Chair", holder="Michael Hunter", role="chair")
    seat(
        board,
        "Head of Specialist Children's Services",
        holder="Jenni Stephens",
        organisation=organisation("Worcestershire PCT", "nhs_commissioner"),
        role="vice_chair",
    )
    seat(
        board,
        "Senior Representative from Probation",
        holder="Helen Allen",
        statutory_category="s10_probation",
    )
    seat(
        board,
        "Senior Representative from West Mercia Constabulary",
        holder="Jim Baker",
        organisation=organisation("West Mercia Constabulary", "police"),
    )
    seat(
        board,
        "Youth Offending Service Manager",
        holder="Keith Barham",
        organisation=organisation("Worcestershire Youth Offending Service", "youth_offending"),
    )
    seat(
        board,
        "Chief Executive, Connexions",
        holder="Jane Crysell",
        statutory_category="s10_connexions",
    )
    seat(
        board,
        "Partnership Director, Learning and Skills Council",
        holder="David Waldron",
        organisation=organisation("Learning and Skills Council", "skills_employment"),
    )
    seat(
        board,
        "Senior Officer Representative of District Councils",
        holder="Phil Street",
        organisation=organisation("Wychavon District Council", "district_council"),
    )
    seat(
        board,
        "Representative of the Secondary School Heads",
        organisation=organisation("Secondary School Heads", "school"),
    )
    return board


# Children Act 2004, s.10 relevant partners as at a date (the acceptance test) -----------------


def test_s10_coverage_in_august_2009_uses_the_list_then(trust_board):
    coverage = s10_coverage(trust_board, AUGUST_2009)

    assert rows(coverage) == [
        ("District council", Coverage.COVERED),
        ("Police authority", Coverage.MISSING),
        ("Chief officer of police", Coverage.COVERED),
        ("Local probation board or provider of probation services", Coverage.COVERED),
        ("Youth offending team", Coverage.COVERED),
        ("Strategic health authority", Coverage.MISSING),
        ("Primary care trust", Coverage.COVERED),
        ("Connexions (youth support services)", Coverage.COVERED),
        ("Learning and Skills Council for England", Coverage.COVERED),
    ]
    assert [row.label for row in coverage if row.status != Coverage.COVERED] == [
        "Police authority",
        "Strategic health authority",
    ]
    police = coverage[2]
    assert police.statute == "Children Act 2004, s.10(4)(b)"
    assert [(h.holder, h.seat.label) for h in police.holdings] == [
        ("Jim Baker", "Senior Representative from West Mercia Constabulary")
    ]
    assert findings(trust_board, AUGUST_2009, "R-S10-1") == [
        (
            "warning",
            "R-S10-1",
            "Police authority: no seat. It is a relevant partner under "
            "Children Act 2004, s.10(4)(b).",
        ),
        (
            "warning",
            "R-S10-1",
            "Strategic health authority: no seat. It is a relevant partner under "
            "Children Act 2004, s.10(4)(e).",
        ),
    ]


def test_s10_coverage_in_2016_uses_the_later_list(trust_board):
    coverage = s10_coverage(trust_board, JUNE_2016)

    assert rows(coverage) == [
        ("District council", Coverage.COVERED),
        ("Local policing body (police and crime commissioner)", Coverage.MISSING),
        ("Chief officer of police", Coverage.COVERED),
        ("Local probation board or provider of probation services", Coverage.COVERED),
        ("Youth offending team", Coverage.COVERED),
        ("NHS Commissioning Board (NHS England)", Coverage.MISSING),
        ("Clinical commissioning group", Coverage.COVERED),
        ("Connexions (youth support services)", Coverage.COVERED),
        ("Governing bodies of maintained schools", Coverage.SEAT_VACANT),
        ("Proprietors of non-maintained special schools", Coverage.MISSING),
        ("Proprietors of academies and city technology colleges", Coverage.MISSING),
        ("Governing bodies of further education institutions", Coverage.MISSING),
        ("Jobcentre Plus", Coverage.COVERED),
    ]
    categories = {row.category for row in coverage}
    assert {"s10_sha", "s10_pct", "s10_lsc"}.isdisjoint(categories)
    assert (
        "warning",
        "R-S10-1",
        "Governing bodies of maintained schools: Representative of the Secondary School Heads "
        "is vacant. It is a relevant partner under Children Act 2004, s.10(4)(fa), inserted by "
        "the Apprenticeships, Skills, Children and Learning Act 2009.",
    ) in findings(trust_board, JUNE_2016)


def test_s10_coverage_names_integrated_care_boards_from_july_2022(trust_board):
    labels = [row.label for row in s10_coverage(trust_board, datetime.date(2022, 7, 1))]

    assert "Integrated care board" in labels
    assert "Clinical commissioning group" not in labels


def test_unitary_partnership_has_no_district_council_partner(trust_board):
    trust_board.partnership.two_tier_area = False
    trust_board.partnership.save()

    labels = [row.label for row in s10_coverage(trust_board, AUGUST_2009)]

    assert "District council" not in labels
    assert labels[0] == "Police authority"


def test_seat_category_wins_over_the_holders_organisation(trust_board):
    seat(
        trust_board,
        "Police authority member",
        holder="Councillor Ann Burn",
        organisation=organisation("West Mercia Police Authority", "other"),
        statutory_category="s10_police_authority",
    )

    coverage = {row.label: row for row in s10_coverage(trust_board, AUGUST_2009)}

    assert coverage["Police authority"].status == Coverage.COVERED


def test_ex_officio_and_rotation_seats_cover_their_category(trust_board):
    authority = seat(
        trust_board.partnership.bodies.create(
            name="Police Authority Panel", slug="police-panel", kind="other"
        ),
        "Chair of the police authority",
        holder="Paul West",
    )
    seat(
        trust_board,
        "Police authority (ex officio)",
        kind="ex_officio",
        ex_officio_of=authority,
        statutory_category="s10_police_authority",
    )
    health = seat(trust_board, "Strategic health authority (in rotation)", kind="rotation")
    MembershipFactory(
        seat=health,
        person=None,
        arrangement="rotation",
        organisation=organisation("NHS West Midlands", "nhs_england"),
        starts_on=SINCE_2008,
    )

    coverage = {row.label: row for row in s10_coverage(trust_board, AUGUST_2009)}

    assert coverage["Police authority"].status == Coverage.COVERED
    assert [h.holder for h in coverage["Police authority"].holdings] == ["Paul West"]
    assert [h.holder for h in coverage["Strategic health authority"].holdings] == [
        "NHS West Midlands"
    ]


def test_s10_check_runs_only_on_trust_boards_under_s10(trust_board, worcestershire):
    advisory = BodyFactory(partnership=worcestershire, kind="advisory_body")
    worcestershire.legal_basis = "informal"
    worcestershire.save()

    assert findings(trust_board, AUGUST_2009, "R-S10-1") == []
    assert findings(advisory, AUGUST_2009, "R-S10-1") == []


# Seats, terms, chairs ---------------------------------------------------------------------------


def test_vacancy_says_how_long_the_seat_has_been_vacant(trust_board):
    gp = seat(trust_board, "GP Representative", holder="Dr Ann Lee")
    gp.memberships.update(ends_on=datetime.date(2009, 3, 1))

    assert findings(trust_board, AUGUST_2009, "R-MEM-4") == [
        (
            "warning",
            "R-MEM-4",
            "Representative of the Secondary School Heads is vacant: no one has held it.",
        ),
        ("warning", "R-MEM-4", "GP Representative has been vacant since 1 March 2009 (5 months)."),
    ]
    assert check_body(trust_board, AUGUST_2009)[1].url == (
        f"/membership/bodies/{trust_board.slug}/#seat-{gp.pk}"
    )


def test_chair_and_vice_chair_missing(worcestershire):
    board = BodyFactory(name="Executive Group", partnership=worcestershire, kind="executive_group")
    seat(board, "Chair", role="chair")
    seat(board, "Director of Children's Services", holder="Gail Quinton")

    assert findings(board, JUNE_2016, "R-MEM-1") == [
        (
            "warning",
            "R-MEM-1",
            "Executive Group has no chair on 1 June 2016: its Chair seat is vacant.",
        ),
        (
            "info",
            "R-MEM-1",
            "Executive Group has no vice-chair on 1 June 2016: it has no vice-chair seat.",
        ),
    ]


def test_co_chairs_need_no_vice_chair(worcestershire):
    board = BodyFactory(partnership=worcestershire, kind="executive_group")
    seat(board, "Co-chair (council)", holder="Gail Quinton", role="co_chair")
    seat(board, "Co-chair (health)", holder="Simon Hairsnape", role="co_chair")

    assert findings(board, JUNE_2016, "R-MEM-1") == []


def test_terms_ending_within_90_days_and_terms_run_out(trust_board):
    probation = trust_board.seats.get(label="Senior Representative from Probation")
    probation.memberships.update(term_ends_on=datetime.date(2009, 9, 30))
    police = trust_board.seats.get(label__contains="West Mercia")
    police.memberships.update(term_ends_on=datetime.date(2009, 7, 31))
    connexions = trust_board.seats.get(label__contains="Connexions")
    connexions.memberships.update(term_ends_on=datetime.date(2009, 10, 31))  # 91 days away

    terms = [f for f in findings(trust_board, AUGUST_2009, "R-MEM-4") if "term" in f[2]]

    assert terms == [
        (
            "warning",
            "R-MEM-4",
            "Jim Baker's term as Senior Representative from West Mercia Constabulary ended on "
            "31 July 2009, but they still hold the seat: reappoint them or end the holding.",
        ),
        (
            "info",
            "R-MEM-4",
            "Helen Allen's term as Senior Representative from Probation ends on "
            "30 September 2009, in 60 days.",
        ),
    ]


def test_voting_seats_without_a_substitute(worcestershire):
    board = BodyFactory(partnership=worcestershire, kind="executive_group")
    covered = seat(board, "Chair", holder="Gail Quinton", role="chair")
    Substitute.objects.create(seat=covered, person=PersonFactory())
    seat(board, "Vice-chair", holder="Simon Hairsnape", role="vice_chair")
    seat(board, "Safeguarding Board Manager", holder="Susan Haddon", role="advisor", voting=False)

    assert findings(board, JUNE_2016, "R-Q-1") == [
        ("info", "R-Q-1", "Vice-chair (Simon Hairsnape) has no named substitute.")
    ]


def test_organisation_the_terms_of_reference_need_for_a_quorum_is_absent(trust_board):
    police = trust_board.seats.get(label__contains="West Mercia").nominating_organisation
    health = organisation("NHS Worcestershire", "nhs_provider")
    terms = TermsOfReference.objects.create(
        body=trust_board, version=2, status="agreed", agreed_on=datetime.date(2009, 4, 1)
    )
    terms.quorum_required_organisations.set([police, health])

    assert findings(trust_board, AUGUST_2009, "R-Q-1")[0] == (
        "error",
        "R-Q-1",
        "The terms of reference (version 2) need NHS Worcestershire at a meeting for it to be "
        "quorate, but no one holds a seat for NHS Worcestershire on 1 August 2009.",
    )
    assert [f[0] for f in findings(trust_board, AUGUST_2009, "R-Q-1")].count("error") == 1
    # Agreed after 1 March 2009, so it did not govern the board then.
    assert "error" not in [f[0] for f in findings(trust_board, datetime.date(2009, 3, 1), "R-Q-1")]


# Health and Wellbeing Board, s.194 -------------------------------------------------------------


@pytest.fixture
def hwb():
    board = BodyFactory(
        name="Health and Wellbeing Board",
        partnership=PartnershipFactory(legal_basis="s194_hsca_2012"),
        kind="health_and_wellbeing_board",
        status="shadow",
        status_on=datetime.date(2012, 4, 1),
    )
    since = datetime.date(2012, 4, 1)
    seat(board, "Leader of the Council", holder="Adrian Hardman", role="chair", since=since)
    seat(board, "Director of Adult Services", holder="Richard Harling", since=since)
    seat(board, "Director of Children's Services", holder="Gail Quinton", since=since)
    seat(board, "Director of Public Health", statutory_category="hwb_dph")
    healthwatch = organisation("Healthwatch Worcestershire", "healthwatch")
    seat(
        board,
        "Healthwatch",
        holder="Peter Pinfield",
        organisation=healthwatch,
        max_holders=2,
        since=since,
    )
    seat(
        board,
        "Clinical Commissioning Group",
        holder="Simon Hairsnape",
        organisation=organisation("NHS Redditch and Bromsgrove CCG", "nhs_commissioner"),
        since=since,
    )
    board.seats.filter(label="Leader of the Council").update(statutory_category="hwb_councillor")
    board.seats.filter(label="Director of Adult Services").update(statutory_category="hwb_dass")
    return board


def test_hwb_composition_in_2014(hwb):
    on = datetime.date(2014, 6, 1)

    assert rows(hwb_coverage(hwb, on)) == [
        ("Councillor of the local authority", Coverage.COVERED),
        ("Director of adult social services", Coverage.COVERED),
        ("Director of children's services", Coverage.MISSING),
        ("Director of public health", Coverage.SEAT_VACANT),
        ("Representative of the Local Healthwatch organisation", Coverage.COVERED),
        ("Representative of each relevant clinical commissioning group", Coverage.COVERED),
    ]
    assert findings(hwb, on, "R-HWB-1") == [
        (
            "error",
            "R-HWB-1",
            "Director of children's services: no seat. It is a statutory member under "
            "Health and Social Care Act 2012, s.194(2)(c).",
        ),
        (
            "error",
            "R-HWB-1",
            "Director of public health: Director of Public Health is vacant. It is a statutory "
            "member under Health and Social Care Act 2012, s.194(2)(d).",
        ),
    ]


def test_hwb_composition_in_2023_asks_for_integrated_care_boards(hwb):
    coverage = hwb_coverage(hwb, datetime.date(2023, 1, 1))

    assert coverage[-1].label == "Representative of each relevant integrated care board"
    assert coverage[-1].statute == (
        "Health and Social Care Act 2012, s.194(2)(f), as amended by the Health and Care Act 2022"
    )
    assert coverage[-1].status == Coverage.COVERED


def test_shadow_hwb_has_no_statutory_membership(hwb):
    assert hwb_coverage(hwb, datetime.date(2012, 6, 1)) == []
    assert findings(hwb, datetime.date(2012, 6, 1), "R-HWB-1") == []


def test_hwb_has_exactly_one_healthwatch_representative(hwb):
    healthwatch = hwb.seats.get(label="Healthwatch")
    MembershipFactory(
        seat=healthwatch, person=PersonFactory(name="Ruth Lemiech"), starts_on=JUNE_2016
    )

    assert (
        "error",
        "R-HWB-1",
        "2 people represent Local Healthwatch (Peter Pinfield, Ruth Lemiech): the Health "
        "and Social Care Act 2012, s.194(5) provides for exactly one.",
    ) in findings(hwb, JUNE_2016, "R-HWB-1")


# Registers of interests -------------------------------------------------------------------------


def test_voting_members_of_a_statutory_body_register_interests_within_28_days(hwb):
    hwb.access_to_information = "statutory"
    hwb.save()
    for name in ["Adrian Hardman", "Richard Harling"]:
        InterestDeclaration.objects.create(
            person=Person.objects.get(name=name),
            kind="employment",
            description="Worcestershire County Council",
            registered_on=datetime.date(2012, 4, 29),  # the 28th day after starting
        )
    late = PersonFactory(name="Adam Late")
    MembershipFactory(
        seat=SeatFactory(body=hwb, label="Cabinet member"),
        person=late,
        starts_on=datetime.date(2013, 1, 1),
    )
    InterestDeclaration.objects.create(
        person=late, kind="land", description="Home", registered_on=datetime.date(2013, 1, 30)
    )
    MembershipFactory(
        seat=SeatFactory(body=hwb, label="Observer", voting=False),
        person=PersonFactory(name="Olive Observer"),
        starts_on=datetime.date(2012, 4, 1),
    )

    deadlines = findings(hwb, datetime.date(2012, 4, 30), "R-DOI-2")

    assert [message.split(" became")[0] for _, _, message in deadlines] == [
        "Gail Quinton",
        "Peter Pinfield",
        "Simon Hairsnape",
    ]
    assert deadlines[0] == (
        "warning",
        "R-DOI-2",
        "Gail Quinton became Director of Children's Services on 1 April 2012 but has no entry "
        "in the register of interests made by 29 April 2012, 28 days later.",
    )
    # Adam Late started on 1 January 2013: the 28 days run to the 29th, and he registered late.
    assert "Adam Late" not in str(findings(hwb, datetime.date(2013, 1, 29), "R-DOI-2"))
    assert "Adam Late" in str(findings(hwb, datetime.date(2013, 1, 30), "R-DOI-2"))
    [late_finding] = [f for f in check_body(hwb, datetime.date(2013, 1, 30)) if f.person == late]
    assert late_finding.url == late.get_absolute_url()


def test_no_register_rule_for_bodies_outside_the_access_to_information_rules(hwb):
    assert findings(hwb, JUNE_2016, "R-DOI-2") == []


# Results, queries -------------------------------------------------------------------------------


def test_findings_are_sorted_by_severity_then_rule(hwb):
    order = [(f.severity, f.rule) for f in check_body(hwb, JUNE_2016)]

    assert order == sorted(order, key=lambda f: (["error", "warning", "info"].index(f[0]), f[1]))
    assert order[0] == ("error", "R-HWB-1")


def test_partnership_checks_bodies_alive_on_the_date(trust_board, worcestershire):
    BodyFactory(name="Old Forum", partnership=worcestershire, status="disbanded")
    later = BodyFactory(name="Later Group", partnership=worcestershire)

    assert list(check_partnership(worcestershire, AUGUST_2009)) == [trust_board]
    assert list(check_partnership(worcestershire, JUNE_2016)) == [later, trust_board]


def grow(body, count):
    """`count` voting seats on a statutory body, held, with a term, a substitute and interests."""
    body.access_to_information = "statutory"
    body.save()
    for n in range(count):
        held = seat(
            body,
            f"Member {n}",
            holder=f"Member {n}",
            organisation=organisation(f"Partner {n}", "police"),
        )
        held.memberships.update(term_ends_on=datetime.date(2009, 9, 1))
        Substitute.objects.create(seat=held, person=PersonFactory())
        InterestDeclaration.objects.create(
            person=held.memberships.get().person,
            kind="other",
            description="None",
            registered_on=SINCE_2008,
        )
    TermsOfReference.objects.create(
        body=body, version=1, status="agreed", agreed_on=SINCE_2008
    ).quorum_required_organisations.set([organisation("Partner 0", "police")])


@pytest.mark.parametrize("size", [5, 50])
def test_checks_take_the_same_queries_however_many_seats(
    trust_board, size, django_assert_num_queries
):
    grow(trust_board, size)

    # seats (+ organisations, source seats); memberships (+ people, organisations); substitutes;
    # register entries; ToR quorum organisations
    with django_assert_num_queries(5):
        assert len(check_body(trust_board, AUGUST_2009)) > size


@pytest.mark.parametrize("size", [5, 50])
def test_body_page_takes_the_same_queries_however_many_seats(
    client, officer, trust_board, size, django_assert_num_queries
):
    grow(trust_board, size)
    client.force_login(officer)
    url = reverse("membership:body-compliance", kwargs={"slug": trust_board.slug})

    # session; user; body (+ status on the date, partnership); the user's roles (may they see
    # withheld names?); seats; memberships; substitutes; register entries; ToR organisations
    with django_assert_num_queries(9):
        response = client.get(url, {"on": "2009-08-01"})

    assert len(response.context["assessment"].s10_rows) == 9


@pytest.mark.parametrize("bodies", [2, 6])
def test_partnership_page_takes_the_same_queries_however_many_bodies(
    client, partnership_manager, worcestershire, bodies, django_assert_num_queries
):
    for _ in range(bodies):
        grow(BodyFactory(partnership=worcestershire, status_on=SINCE_2008), 3)
    client.force_login(partnership_manager)
    url = reverse("membership:partnership-compliance", kwargs={"slug": worcestershire.slug})

    # session; user; partnership; bodies alive on the date; the user's roles; seats;
    # memberships; substitutes; register entries; ToR quorum organisations
    with django_assert_num_queries(10):
        response = client.get(url, {"on": "2009-08-01"})

    assert len(response.context["assessments"]) == bodies


# Pages ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["partnership_manager", "officer", "board_member"])
def test_signed_in_people_see_the_body_compliance_page(client, request, trust_board, who):
    client.force_login(request.getfixturevalue(who))
    url = reverse("membership:body-compliance", kwargs={"slug": trust_board.slug})

    response = client.get(url, {"on": "2009-08-01"})
    page = response.content.decode()

    assert response.status_code == 200
    assert '<h1 class="govuk-heading-l">Compliance on 1 August 2009</h1>' in page
    assert "Relevant partners (Children Act 2004, section 10)" in page
    assert '<strong class="govuk-tag govuk-tag--red">Missing</strong>' in page
    assert "Representative of the Secondary School Heads is vacant: no one has held it." in page
    assert response.context["assessment"].counts == {"error": 0, "warning": 3, "info": 8}


def test_body_compliance_page_with_no_problems(client, board_member, worcestershire):
    group = BodyFactory(name="Task Group", partnership=worcestershire, kind="task_and_finish_group")
    seat(group, "Chair", holder="Ann Lee", role="chair", voting=False)
    seat(group, "Co-chair", holder="Bob Lee", role="co_chair", voting=False)
    client.force_login(board_member)

    page = client.get(reverse("membership:body-compliance", kwargs={"slug": group.slug}))

    assert "No problems found." in page.content.decode()


def test_body_page_says_when_the_body_did_not_exist(client, officer, trust_board):
    client.force_login(officer)
    url = reverse("membership:body-compliance", kwargs={"slug": trust_board.slug})

    response = client.get(url, {"on": "2001-01-01"})

    assert "Trust Board did not exist on 1 January 2001" in response.content.decode()
    assert "assessment" not in response.context


def test_signed_in_people_see_the_partnership_compliance_page(
    client, board_member, trust_board, worcestershire
):
    client.force_login(board_member)
    url = reverse("membership:partnership-compliance", kwargs={"slug": worcestershire.slug})

    page = client.get(url, {"on": "2009-08-01"}).content.decode()

    assert "Trust Board: 0 errors, 3 warnings, 8 for information" in page
    assert f'href="/membership/bodies/{trust_board.slug}/compliance/?on=2009-08-01"' in page


@pytest.mark.parametrize(
    "name", ["membership:body-compliance", "membership:partnership-compliance"]
)
def test_anonymous_visitors_are_sent_to_sign_in(client, trust_board, name):
    slug = trust_board.slug if name.startswith("membership:body") else trust_board.partnership.slug
    url = reverse(name, kwargs={"slug": slug})

    response = client.get(url)

    assert response.status_code == 302
    assert response.url.startswith(f"{reverse('login')}?next=")


@pytest.mark.parametrize(
    "name", ["membership:body-compliance", "membership:partnership-compliance"]
)
def test_a_date_that_is_not_real_gets_an_error_message(
    client, partnership_manager, trust_board, name
):
    slug = trust_board.slug if name.startswith("membership:body") else trust_board.partnership.slug
    client.force_login(partnership_manager)

    response = client.get(reverse(name, kwargs={"slug": slug}), {"on": "2009-02-30"})
    page = response.content.decode()

    assert response.status_code == 200
    assert "<title>Error: Compliance" in page
    assert (
        '<p id="id_on-error" class="govuk-error-message"><span class="govuk-visually-hidden">'
        "Error:</span> Enter a real date, like 2015-09-01</p>"
    ) in page
    assert '<a href="#id_on">Enter a real date, like 2015-09-01</a>' in page


def test_roster_panel_lists_findings_or_says_there_are_none(trust_board):
    panel = "membership/_compliance_panel.html"

    empty = render_to_string(panel, {"findings": []})
    full = render_to_string(panel, {"findings": check_body(trust_board, AUGUST_2009)})

    assert '<h2 class="govuk-heading-l">Compliance</h2>' in empty
    assert "No problems found." in empty
    assert "No problems found." not in full
    assert full.count('<strong class="govuk-tag govuk-tag--yellow">Warning</strong>') == 3
    assert full.count('<strong class="govuk-tag govuk-tag--blue">Information</strong>') == 8


@pytest.fixture
def youth_cabinet(trust_board):
    """A young person on the board, whose name is withheld from most readers."""
    young = PersonFactory(name="Minor-Child", publish_name=False)
    youth = seat(trust_board, "Youth Cabinet Member", role="member")
    MembershipFactory(seat=youth, person=young, term_ends_on=datetime.date(2010, 7, 1))
    return young


def test_minors_names_are_withheld_from_board_members(client, board_member, youth_cabinet):
    trust_board = youth_cabinet.memberships.get().seat.body
    client.force_login(board_member)
    url = reverse("membership:body-compliance", kwargs={"slug": trust_board.slug})

    page = client.get(url, {"on": "2010-06-01"}).content.decode()

    assert "Minor-Child" not in page
    assert (
        "Name withheld&#x27;s term as Youth Cabinet Member ends on 1 July 2010, in 30 days." in page
    )
    assert "Youth Cabinet Member (Name withheld) has no named substitute." in page


@pytest.mark.parametrize("who", ["partnership_manager", "officer"])
def test_staff_see_minors_names_on_the_compliance_page(client, request, who, youth_cabinet):
    trust_board = youth_cabinet.memberships.get().seat.body
    client.force_login(request.getfixturevalue(who))
    url = reverse("membership:body-compliance", kwargs={"slug": trust_board.slug})

    page = client.get(url, {"on": "2010-06-01"}).content.decode()

    assert "Youth Cabinet Member (Minor-Child) has no named substitute." in page
