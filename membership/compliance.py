"""Composition checks on a date: vacancies, terms, chairs, quorum organisations, statutory members.

The law on who must sit on a children's trust board (Children Act 2004, s.10) and on a Health and
Wellbeing Board (Health and Social Care Act 2012, s.194) changed over time, so the requirements are
tables of dated rows below (docs/decisions/0007-statutory-composition-as-at-a-date.md).
"""

import datetime
import enum
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q
from django.urls import reverse

from partnerships.models import Body, Organisation, Partnership, TermsOfReference

from .models import (
    InterestDeclaration,
    Membership,
    Person,
    Seat,
    SeatRole,
    StatutoryCategory,
    Substitute,
)
from .visibility import shown_name

Category = StatutoryCategory
TERM_WARNING_DAYS = 90
# Localism Act 2011 and the DPI Regulations 2012: register within 28 days of appointment.
REGISTER_WITHIN_DAYS = 28


class Severity(enum.StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


SEVERITY_ORDER = list(Severity)


# Reference data -----------------------------------------------------------------------------

S10_IN_FORCE = datetime.date(2005, 4, 1)
# Apprenticeships, Skills, Children and Learning Act 2009, s.193: the LSC went; schools, colleges
# and Jobcentre Plus became relevant partners.
ASCL_2009 = datetime.date(2010, 4, 1)
# Police Reform and Social Responsibility Act 2011: police and crime commissioners took office.
PRSRA_2011 = datetime.date(2012, 11, 22)
# Health and Social Care Act 2012: PCTs and SHAs abolished; HWBs statutory.
HSCA_2012 = datetime.date(2013, 4, 1)
# Health and Care Act 2022: integrated care boards replaced clinical commissioning groups.
HCA_2022 = datetime.date(2022, 7, 1)


@dataclass(frozen=True)
class Requirement:
    """A kind of member the law requires on a body, worded as it was between two dates."""

    category: Category
    label: str
    statute: str
    in_force_from: datetime.date
    # The first day it no longer applies, like every other ends_on.
    in_force_until: datetime.date | None = None
    two_tier_only: bool = False

    def in_force(self, on: datetime.date) -> bool:
        return self.in_force_from <= on and (
            self.in_force_until is None or on < self.in_force_until
        )


S10 = "Children Act 2004, s.10(4)"
S10_ASCL = "inserted by the Apprenticeships, Skills, Children and Learning Act 2009"
S194 = "Health and Social Care Act 2012, s.194(2)"

# Children Act 2004, s.10(4): the relevant partners, in the order of the Act (domain.md §4.1).
S10_RELEVANT_PARTNERS = (
    Requirement(
        Category.S10_DISTRICT_COUNCIL,
        "District council",
        f"{S10}(a)",
        S10_IN_FORCE,
        two_tier_only=True,
    ),
    Requirement(
        Category.S10_POLICE_AUTHORITY, "Police authority", f"{S10}(b)", S10_IN_FORCE, PRSRA_2011
    ),
    Requirement(
        Category.S10_POLICE_AUTHORITY,
        "Local policing body (police and crime commissioner)",
        f"{S10}(b), as amended by the Police Reform and Social Responsibility Act 2011",
        PRSRA_2011,
    ),
    Requirement(
        Category.S10_CHIEF_OFFICER_OF_POLICE, "Chief officer of police", f"{S10}(b)", S10_IN_FORCE
    ),
    Requirement(
        Category.S10_PROBATION,
        "Local probation board or provider of probation services",
        f"{S10}(c)",
        S10_IN_FORCE,
    ),
    Requirement(Category.S10_YOUTH_OFFENDING, "Youth offending team", f"{S10}(d)", S10_IN_FORCE),
    Requirement(
        Category.S10_NHS_ENGLAND,
        "NHS Commissioning Board (NHS England)",
        f"{S10}(da), inserted by the Health and Social Care Act 2012",
        HSCA_2012,
    ),
    Requirement(
        Category.S10_STRATEGIC_HEALTH_AUTHORITY,
        "Strategic health authority",
        f"{S10}(e)",
        S10_IN_FORCE,
        HSCA_2012,
    ),
    Requirement(
        Category.S10_PRIMARY_CARE_TRUST, "Primary care trust", f"{S10}(e)", S10_IN_FORCE, HSCA_2012
    ),
    Requirement(
        Category.S10_CLINICAL_COMMISSIONING,
        "Clinical commissioning group",
        f"{S10}(e), as substituted by the Health and Social Care Act 2012",
        HSCA_2012,
        HCA_2022,
    ),
    Requirement(
        Category.S10_CLINICAL_COMMISSIONING,
        "Integrated care board",
        f"{S10}(e), as amended by the Health and Care Act 2022",
        HCA_2022,
    ),
    Requirement(
        Category.S10_CONNEXIONS, "Connexions (youth support services)", f"{S10}(f)", S10_IN_FORCE
    ),
    Requirement(
        Category.S10_MAINTAINED_SCHOOLS,
        "Governing bodies of maintained schools",
        f"{S10}(fa), {S10_ASCL}",
        ASCL_2009,
    ),
    Requirement(
        Category.S10_NON_MAINTAINED_SPECIAL_SCHOOLS,
        "Proprietors of non-maintained special schools",
        f"{S10}(fb), {S10_ASCL}",
        ASCL_2009,
    ),
    Requirement(
        Category.S10_ACADEMIES,
        "Proprietors of academies and city technology colleges",
        f"{S10}(fc), {S10_ASCL}",
        ASCL_2009,
    ),
    Requirement(
        Category.S10_FURTHER_EDUCATION,
        "Governing bodies of further education institutions",
        f"{S10}(fd), {S10_ASCL}",
        ASCL_2009,
    ),
    Requirement(Category.S10_JOBCENTRE_PLUS, "Jobcentre Plus", f"{S10}(fe), {S10_ASCL}", ASCL_2009),
    Requirement(
        Category.S10_LEARNING_AND_SKILLS_COUNCIL,
        "Learning and Skills Council for England",
        f"{S10}(g)",
        S10_IN_FORCE,
        ASCL_2009,
    ),
)

# Health and Social Care Act 2012, s.194(2), from 1 April 2013: shadow boards from April 2012
# had no statutory membership (domain.md §4.2).
HWB_STATUTORY_MEMBERS = (
    Requirement(
        Category.HWB_COUNCILLOR, "Councillor of the local authority", f"{S194}(a)", HSCA_2012
    ),
    Requirement(Category.HWB_DASS, "Director of adult social services", f"{S194}(b)", HSCA_2012),
    Requirement(Category.HWB_DCS, "Director of children's services", f"{S194}(c)", HSCA_2012),
    Requirement(Category.HWB_DPH, "Director of public health", f"{S194}(d)", HSCA_2012),
    Requirement(
        Category.HWB_HEALTHWATCH,
        "Representative of the Local Healthwatch organisation",
        f"{S194}(e)",
        HSCA_2012,
    ),
    Requirement(
        Category.HWB_CLINICAL_COMMISSIONING,
        "Representative of each relevant clinical commissioning group",
        f"{S194}(f)",
        HSCA_2012,
        HCA_2022,
    ),
    Requirement(
        Category.HWB_CLINICAL_COMMISSIONING,
        "Representative of each relevant integrated care board",
        f"{S194}(f), as amended by the Health and Care Act 2022",
        HCA_2022,
    ),
)

# When a seat names no statutory category, the organisation its holder sits for says which
# categories it covers: rosters imported from council papers rarely name the statute. A kind may
# list categories from different periods (a commissioner was a PCT before April 2013 and a CCG or
# ICB after); only the ones in force on the date are asked for. Kinds not listed cover nothing:
# a council officer may or may not be the DCS, so those seats need their category set.
CATEGORIES_BY_ORGANISATION_KIND = {
    Organisation.Kind.DISTRICT_COUNCIL: {Category.S10_DISTRICT_COUNCIL},
    Organisation.Kind.POLICE_AND_CRIME_COMMISSIONER: {Category.S10_POLICE_AUTHORITY},
    Organisation.Kind.POLICE: {Category.S10_CHIEF_OFFICER_OF_POLICE},
    Organisation.Kind.PROBATION: {Category.S10_PROBATION},
    Organisation.Kind.YOUTH_OFFENDING: {Category.S10_YOUTH_OFFENDING},
    Organisation.Kind.NHS_ENGLAND: {
        Category.S10_STRATEGIC_HEALTH_AUTHORITY,
        Category.S10_NHS_ENGLAND,
    },
    Organisation.Kind.NHS_COMMISSIONER: {
        Category.S10_PRIMARY_CARE_TRUST,
        Category.S10_CLINICAL_COMMISSIONING,
        Category.HWB_CLINICAL_COMMISSIONING,
    },
    Organisation.Kind.SKILLS_AND_EMPLOYMENT: {
        Category.S10_LEARNING_AND_SKILLS_COUNCIL,
        Category.S10_JOBCENTRE_PLUS,
    },
    Organisation.Kind.SCHOOL: {Category.S10_MAINTAINED_SCHOOLS},
    Organisation.Kind.FURTHER_EDUCATION: {Category.S10_FURTHER_EDUCATION},
    Organisation.Kind.HEALTHWATCH: {Category.HWB_HEALTHWATCH},
}


def requirements_on(table, on: datetime.date, *, two_tier_area: bool = True) -> list[Requirement]:
    """The rows of a requirements table in force on the date."""
    return [
        requirement
        for requirement in table
        if requirement.in_force(on) and (two_tier_area or not requirement.two_tier_only)
    ]


# Results ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Finding:
    """Something about a body's composition that needs attention, and the rule it comes from."""

    severity: Severity
    rule: str
    message: str
    # Where to put it right: the seat on the roster, or the person's register of interests.
    seat: Seat | None = None
    person: Person | None = None

    @property
    def url(self) -> str:
        if self.seat is not None:
            roster = reverse("membership:roster", kwargs={"slug": self.seat.body.slug})
            return f"{roster}#seat-{self.seat.pk}"
        if self.person is not None:
            return self.person.get_absolute_url()
        return ""


@dataclass(frozen=True)
class Holding:
    """Someone (or, for a rotation seat, an organisation) holding a seat on the date."""

    seat: Seat
    membership: Membership
    # When this holder took *this* seat: for an ex officio seat, the later of the seat's start
    # and the source seat's holding.
    starts_on: datetime.date
    organisation: Organisation | None
    # The name as the reader may see it: minors' names are withheld from most readers.
    holder: str

    @property
    def person(self) -> Person | None:
        return self.membership.person

    @property
    def categories(self) -> set[str]:
        if self.seat.statutory_category:
            return {self.seat.statutory_category}
        return _categories_of(self.organisation)


class Coverage(enum.StrEnum):
    COVERED = "covered"
    SEAT_VACANT = "seat vacant"
    MISSING = "missing"


@dataclass(frozen=True)
class CoverageRow:
    """One required category on the date: whether a held seat covers it, and who."""

    category: str
    label: str
    statute: str
    status: Coverage
    holdings: tuple[Holding, ...] = ()
    vacant_seats: tuple[Seat, ...] = ()


@dataclass
class Assessment:
    """A body's composition on a date: its findings and, where the law applies, coverage tables."""

    body: Body
    on: datetime.date
    findings: list[Finding] = field(default_factory=list)
    s10_rows: list[CoverageRow] | None = None
    hwb_rows: list[CoverageRow] | None = None

    @property
    def counts(self) -> dict[str, int]:
        counts = {str(severity): 0 for severity in Severity}
        for finding in self.findings:
            counts[str(finding.severity)] += 1
        return counts


# Entry points -------------------------------------------------------------------------------


# `names_visible` says whether the reader may see the names of people whose names are withheld
# (membership/visibility.py); the messages name people, so they follow the same rule as rosters.


def check_body(body: Body, on: datetime.date, *, names_visible: bool = False) -> list[Finding]:
    """Findings about the body's composition on the date, most severe first."""
    return assess([body], on, names_visible=names_visible)[body].findings


def check_partnership(
    partnership: Partnership, on: datetime.date, *, names_visible: bool = False
) -> dict[Body, list[Finding]]:
    """Findings for each body of the partnership that exists on the date, by body name."""
    bodies = list(
        Body.objects.filter(partnership=partnership).alive(on).select_related("partnership")
    )
    assessments = assess(bodies, on, names_visible=names_visible)
    return {body: assessment.findings for body, assessment in assessments.items()}


def s10_coverage(
    body: Body, on: datetime.date, *, names_visible: bool = False
) -> list[CoverageRow]:
    """R-S10-1: each s.10 relevant partner in force on the date, and the seats covering it."""
    facts = _load([body], on, names_visible=names_visible)[body.pk]
    return _coverage(facts, S10_RELEVANT_PARTNERS, two_tier_area=body.partnership.two_tier_area)


def hwb_coverage(
    body: Body, on: datetime.date, *, names_visible: bool = False
) -> list[CoverageRow]:
    """R-HWB-1: each s.194(2) member in force on the date, and the seats covering it."""
    facts = _load([body], on, names_visible=names_visible)[body.pk]
    return _coverage(facts, HWB_STATUTORY_MEMBERS)


def applies_s10(body: Body) -> bool:
    return (
        body.kind == Body.Kind.TRUST_BOARD
        and body.partnership.legal_basis == Partnership.LegalBasis.CHILDREN_ACT_S10
    )


def applies_hwb(body: Body) -> bool:
    return body.kind == Body.Kind.HEALTH_AND_WELLBEING_BOARD


def assess(
    bodies: list[Body], on: datetime.date, *, names_visible: bool = False
) -> dict[Body, Assessment]:
    """Assess several bodies with a fixed number of queries, however many bodies and seats."""
    facts_by_body = _load(bodies, on, names_visible=names_visible)
    results = {}
    for body in bodies:
        facts = facts_by_body[body.pk]
        assessment = Assessment(body=body, on=on)
        findings = [
            *_vacancies(facts),
            *_terms_ending(facts),
            *_chairs(facts),
            *_substitutes(facts),
            *_quorum_organisations(facts),
            *_interests(facts),
        ]
        if applies_s10(body):
            assessment.s10_rows = _coverage(
                facts, S10_RELEVANT_PARTNERS, two_tier_area=body.partnership.two_tier_area
            )
            findings += _coverage_findings(
                assessment.s10_rows, "R-S10-1", Severity.WARNING, "a relevant partner"
            )
        if applies_hwb(body):
            assessment.hwb_rows = _coverage(facts, HWB_STATUTORY_MEMBERS)
            findings += _coverage_findings(
                assessment.hwb_rows, "R-HWB-1", Severity.ERROR, "a statutory member"
            )
            findings += _one_healthwatch(assessment.hwb_rows)
        # sorted() is stable, so within a rule the findings keep the roster's seat order.
        assessment.findings = sorted(
            findings, key=lambda f: (SEVERITY_ORDER.index(f.severity), f.rule)
        )
        results[body] = assessment
    return results


# Loading ------------------------------------------------------------------------------------


@dataclass
class _Facts:
    """What the checks need to know about one body on the date."""

    body: Body
    on: datetime.date
    seats: list[Seat] = field(default_factory=list)
    holdings: dict[int, list[Holding]] = field(default_factory=lambda: defaultdict(list))
    vacant_since: dict[int, datetime.date | None] = field(default_factory=dict)
    substituted: set[int] = field(default_factory=set)
    interests: dict[int, list[InterestDeclaration]] = field(
        default_factory=lambda: defaultdict(list)
    )
    required_organisations: list[tuple[TermsOfReference, Organisation]] = field(
        default_factory=list
    )


def _load(bodies: list[Body], on: datetime.date, *, names_visible: bool) -> dict[int, _Facts]:
    """Seats, holdings, substitutes, interests and ToR quorum organisations: one query each."""
    facts = {body.pk: _Facts(body=body, on=on) for body in bodies}
    seats = list(
        Seat.objects.current(on)
        .filter(body__in=bodies)
        .select_related("nominating_organisation", "ex_officio_of__nominating_organisation")
        .order_by("body", "order", "pk")
    )
    for seat in seats:
        seat.body = facts[seat.body_id].body
        facts[seat.body_id].seats.append(seat)

    # An ex officio seat follows its source seat, which may be on another body (R-MEM-5).
    seat_ids = {seat.pk for seat in seats} | {seat.ex_officio_of_id for seat in seats}
    memberships = defaultdict(list)
    for membership in Membership.objects.filter(
        seat_id__in=seat_ids - {None}, starts_on__lte=on
    ).select_related("person", "organisation"):
        memberships[membership.seat_id].append(membership)

    for seat in seats:
        source = seat.ex_officio_of if seat.kind == Seat.Kind.EX_OFFICIO else None
        history = memberships[(source or seat).pk]
        for membership in history:
            if membership.ends_on is None or membership.ends_on > on:
                facts[seat.body_id].holdings[seat.pk].append(
                    Holding(
                        seat=seat,
                        membership=membership,
                        starts_on=max(membership.starts_on, seat.starts_on or membership.starts_on),
                        organisation=membership.organisation
                        or seat.nominating_organisation
                        or (source and source.nominating_organisation),
                        holder=_holder(membership, names_visible),
                    )
                )
        ended = [m.ends_on for m in history if m.ends_on is not None and m.ends_on <= on]
        since = max(
            [*ended, *[s.starts_on for s in (seat, source) if s and s.starts_on]], default=None
        )
        facts[seat.body_id].vacant_since[seat.pk] = since

    for seat_id, body_id in (
        Substitute.objects.filter(seat__in=seats)
        .filter(Q(starts_on__isnull=True) | Q(starts_on__lte=on))
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gt=on))
        .values_list("seat_id", "seat__body_id")
    ):
        facts[body_id].substituted.add(seat_id)

    statutory = [body for body in bodies if _register_required(body)]
    people = {
        holding.person.pk
        for body in statutory
        for holdings in facts[body.pk].holdings.values()
        for holding in holdings
        if holding.person is not None and holding.seat.voting
    }
    if people:
        for entry in InterestDeclaration.objects.filter(
            Q(body__isnull=True) | Q(body__in=statutory),
            person_id__in=people,
            registered_on__lte=on,
        ):
            for body_id in [b.pk for b in statutory] if entry.body_id is None else [entry.body_id]:
                facts[body_id].interests[entry.person_id].append(entry)

    through = TermsOfReference.quorum_required_organisations.through
    for row in (
        through.objects.filter(termsofreference__body__in=bodies, termsofreference__status="agreed")
        # A ToR agreed after the date did not govern the body then.
        .filter(
            Q(termsofreference__effective_on__lte=on)
            | Q(termsofreference__effective_on__isnull=True, termsofreference__agreed_on__lte=on)
        )
        .select_related("termsofreference", "organisation")
        .order_by("organisation__name")
    ):
        facts[row.termsofreference.body_id].required_organisations.append(
            (row.termsofreference, row.organisation)
        )
    return facts


def _holder(membership: Membership, names_visible: bool) -> str:
    if membership.person is None:
        return str(membership.organisation)
    return shown_name(membership.person, names_visible=names_visible)


def _register_required(body: Body) -> bool:
    return body.access_to_information == Body.AccessToInformation.STATUTORY


def _categories_of(organisation: Organisation | None) -> set[str]:
    if organisation is None:
        return set()
    return {str(c) for c in CATEGORIES_BY_ORGANISATION_KIND.get(organisation.kind, ())}


def _seat_categories(seat: Seat) -> set[str]:
    """The categories a seat is meant for, whether or not anyone holds it."""
    if seat.statutory_category:
        return {seat.statutory_category}
    source = seat.ex_officio_of
    return _categories_of(
        seat.nominating_organisation or (source.nominating_organisation if source else None)
    )


# Rules --------------------------------------------------------------------------------------


def _vacancies(facts: _Facts) -> list[Finding]:
    """R-MEM-4: seats no one holds on the date, and for how long."""
    findings = []
    for seat in facts.seats:
        if facts.holdings[seat.pk]:
            continue
        since = facts.vacant_since[seat.pk]
        if since is None:
            message = f"{seat.label} is vacant: no one has held it."
        else:
            message = (
                f"{seat.label} has been vacant since {_day(since)} ({_duration(since, facts.on)})."
            )
        if seat.kind == Seat.Kind.EX_OFFICIO:
            message += f" It goes ex officio to whoever holds {seat.ex_officio_of.label}."
        findings.append(Finding(Severity.WARNING, "R-MEM-4", message, seat=seat))
    return findings


def _terms_ending(facts: _Facts) -> list[Finding]:
    """Terms of office that have run out, or end within 90 days: a vacancy is coming."""
    findings = []
    horizon = facts.on + datetime.timedelta(days=TERM_WARNING_DAYS)
    for seat in facts.seats:
        for holding in facts.holdings[seat.pk]:
            ends = holding.membership.term_ends_on
            if ends is None or ends > horizon or seat.kind == Seat.Kind.EX_OFFICIO:
                continue
            if ends < facts.on:
                severity = Severity.WARNING
                message = (
                    f"{holding.holder}'s term as {seat.label} ended on {_day(ends)}, "
                    "but they still hold the seat: reappoint them or end the holding."
                )
            else:
                severity = Severity.INFO
                days = (ends - facts.on).days
                message = (
                    f"{holding.holder}'s term as {seat.label} ends on {_day(ends)}, "
                    f"in {days} day{'' if days == 1 else 's'}."
                )
            findings.append(Finding(severity, "R-MEM-4", message, seat=seat))
    return findings


def _chairs(facts: _Facts) -> list[Finding]:
    """R-MEM-1: a body needs a chair (or co-chairs); a vice-chair stands in for the chair."""
    held_roles = {seat.role for seat in facts.seats if facts.holdings[seat.pk]}
    seats_by_role = {seat.role: seat for seat in facts.seats}
    on, name = _day(facts.on), facts.body.name
    findings = []
    if not held_roles & {SeatRole.CHAIR, SeatRole.CO_CHAIR}:
        chair = seats_by_role.get(SeatRole.CHAIR) or seats_by_role.get(SeatRole.CO_CHAIR)
        why = f"its {chair.label} seat is vacant" if chair else "it has no chair or co-chair seat"
        findings.append(
            Finding(Severity.WARNING, "R-MEM-1", f"{name} has no chair on {on}: {why}.", chair)
        )
    # Two co-chairs stand in for each other, so a body that has them needs no vice-chair.
    if not held_roles & {SeatRole.VICE_CHAIR, SeatRole.CO_CHAIR}:
        vice = seats_by_role.get(SeatRole.VICE_CHAIR)
        why = f"its {vice.label} seat is vacant" if vice else "it has no vice-chair seat"
        findings.append(
            Finding(Severity.INFO, "R-MEM-1", f"{name} has no vice-chair on {on}: {why}.", vice)
        )
    return findings


def _substitutes(facts: _Facts) -> list[Finding]:
    """Held voting seats with no named substitute (a vacant seat is reported as a vacancy)."""
    return [
        Finding(
            Severity.INFO,
            "R-Q-1",
            f"{seat.label} ({', '.join(h.holder for h in facts.holdings[seat.pk])}) "
            "has no named substitute.",
            seat=seat,
        )
        for seat in facts.seats
        if seat.voting and facts.holdings[seat.pk] and seat.pk not in facts.substituted
    ]


def _quorum_organisations(facts: _Facts) -> list[Finding]:
    """R-Q-1: organisations the agreed ToR needs for a quorum, but that no one sits for."""
    represented = {
        holding.organisation.pk
        for holdings in facts.holdings.values()
        for holding in holdings
        if holding.organisation is not None
    }
    return [
        Finding(
            Severity.ERROR,
            "R-Q-1",
            f"The terms of reference (version {terms.version}) need {organisation} at a "
            f"meeting for it to be quorate, but no one holds a seat for {organisation} on "
            f"{_day(facts.on)}.",
        )
        for terms, organisation in facts.required_organisations
        if organisation.pk not in represented
    ]


def _interests(facts: _Facts) -> list[Finding]:
    """R-DOI-2: voting members of a statutory body register their interests within 28 days."""
    if not _register_required(facts.body):
        return []
    findings = []
    for seat in facts.seats:
        if not seat.voting:
            continue
        for holding in facts.holdings[seat.pk]:
            person = holding.person
            deadline = holding.starts_on + datetime.timedelta(days=REGISTER_WITHIN_DAYS)
            if person is None or facts.on <= deadline:
                continue
            registered = any(
                entry.registered_on <= deadline
                and (entry.ends_on is None or entry.ends_on > holding.starts_on)
                for entry in facts.interests[person.pk]
            )
            if not registered:
                findings.append(
                    Finding(
                        Severity.WARNING,
                        "R-DOI-2",
                        f"{holding.holder} became {seat.label} on {_day(holding.starts_on)} "
                        "but has no entry in the register of interests made by "
                        f"{_day(deadline)}, "
                        f"{REGISTER_WITHIN_DAYS} days later.",
                        person=person,
                    )
                )
    return findings


def _coverage(facts: _Facts, table, *, two_tier_area: bool = True) -> list[CoverageRow]:
    holdings = [h for seat in facts.seats for h in facts.holdings[seat.pk]]
    rows = []
    for requirement in requirements_on(table, facts.on, two_tier_area=two_tier_area):
        code = str(requirement.category)
        covering = tuple(h for h in holdings if code in h.categories)
        vacant = tuple(
            seat
            for seat in facts.seats
            if not facts.holdings[seat.pk] and code in _seat_categories(seat)
        )
        if covering:
            status = Coverage.COVERED
        elif vacant:
            status = Coverage.SEAT_VACANT
        else:
            status = Coverage.MISSING
        rows.append(
            CoverageRow(
                category=code,
                label=requirement.label,
                statute=requirement.statute,
                status=status,
                holdings=covering,
                vacant_seats=vacant,
            )
        )
    return rows


def _coverage_findings(rows, rule: str, severity: Severity, what: str) -> list[Finding]:
    findings = []
    for row in rows:
        if row.status == Coverage.SEAT_VACANT:
            labels = " and ".join(seat.label for seat in row.vacant_seats)
            message = f"{row.label}: {labels} is vacant. It is {what} under {row.statute}."
            findings.append(Finding(severity, rule, message, seat=row.vacant_seats[0]))
        elif row.status == Coverage.MISSING:
            message = f"{row.label}: no seat. It is {what} under {row.statute}."
            findings.append(Finding(severity, rule, message))
    return findings


def _one_healthwatch(rows) -> list[Finding]:
    """R-HWB-1: Local Healthwatch appoints exactly one person (s.194(5))."""
    for row in rows:
        holders = {holding.membership.pk: holding.holder for holding in row.holdings}
        if row.category == Category.HWB_HEALTHWATCH and len(holders) > 1:
            return [
                Finding(
                    Severity.ERROR,
                    "R-HWB-1",
                    f"{len(holders)} people represent Local Healthwatch "
                    f"({', '.join(sorted(holders.values()))}): the Health and Social Care Act "
                    "2012, s.194(5) provides for exactly one.",
                    seat=row.holdings[0].seat,
                )
            ]
    return []


def _day(value: datetime.date) -> str:
    return f"{value.day} {value:%B %Y}"


def _duration(start: datetime.date, end: datetime.date) -> str:
    """How long from start to end, in years and months (or days when under a month)."""
    months = (end.year - start.year) * 12 + end.month - start.month - (end.day < start.day)
    if months < 1:
        days = (end - start).days
        return f"{days} day{'' if days == 1 else 's'}"
    years, months = divmod(months, 12)
    parts = [
        f"{count} {unit}{'' if count == 1 else 's'}"
        for count, unit in [(years, "year"), (months, "month")]
        if count
    ]
    return " and ".join(parts)
