"""Cambridgeshire, 2014 to 2015: the Children's Trust Board gives way to a small Executive Group.

Source: "Future arrangements of the Children's Trust", Children's Trust Board, 29 April 2015
(seed 000). Its Appendix 1 chart is missing and it does not name the three Area Partnerships, so
they are numbered 1 to 3. The paper leaves the start of the new arrangements to partners; the
change is dated June 2015, when the council's funding for the Trust stops (1 June 2015).
"""

from datetime import date

from ..models import Body, Organisation, Partnership, ReportingLine, ToRSection
from .loader import (
    ACTIVE,
    DAY,
    MONTH,
    PROPOSED,
    REPLACED,
    SHADOW,
    UNDER_REVIEW,
    YEAR,
    DemoBody,
    DemoPartnership,
    DemoPriority,
    Line,
    Org,
    Section,
    Step,
    Terms,
    bullets,
)

COUNCIL = "Cambridgeshire County Council"
HWB = "cambridgeshire-health-and-wellbeing-board"
BOARD = "cambridgeshire-childrens-trust-board"
EXECUTIVE = "cambridgeshire-childrens-trust-executive-group"
CONFERENCE = "cambridgeshire-childrens-trust-annual-conference"
AREAS = [f"cambridgeshire-area-partnership-{n}" for n in (1, 2, 3)]

# The earliest the paper shows the Trust at work: in January 2014 it became the HWB's delivery
# mechanism for Priority 1.
KNOWN_FROM = date(2014, 1, 1)
PAPER = date(2015, 4, 29)
CHANGE = date(2015, 6, 1)

Kind = Body.Kind
Reports = ReportingLine.Kind
Cadence = ReportingLine.Cadence
S = ToRSection.Kind
VOLUNTARY = Body.AccessToInformation.VOLUNTARY
STATUTORY = Body.AccessToInformation.STATUTORY

ORGANISATIONS = [
    Org(COUNCIL, Organisation.Kind.LOCAL_AUTHORITY, "CCC"),
]

HEALTH_AND_WELLBEING_BOARD = DemoPartnership(
    name="Cambridgeshire Health and Wellbeing Board",
    slug="cambridgeshire-health-and-wellbeing-board",
    # A county with district councils (Children Act 2004, s.10(4)(a)).
    two_tier_area=True,
    short_name="Cambridgeshire HWB",
    legal_basis=Partnership.LegalBasis.HWB,
    lead_organisation=COUNCIL,
    description=(
        "The county's statutory Health and Wellbeing Board. The Children's Trust delivers its "
        "Priority 1 and reports progress to it every year."
    ),
    bodies=(
        DemoBody(
            HWB,
            "Cambridgeshire Health and Wellbeing Board",
            Kind.HEALTH_AND_WELLBEING_BOARD,
            (
                Step(SHADOW, date(2012, 1, 1), YEAR, "Shadow board before the statutory start"),
                Step(
                    ACTIVE,
                    date(2013, 4, 1),
                    DAY,
                    "Statutory under the Health and Social Care Act 2012",
                ),
            ),
            short_name="HWB",
            meets_in_public=True,
            access_to_information=STATUTORY,
            notes="A committee of the county council, so the access-to-information rules apply.",
        ),
    ),
    lines=(
        Line(
            HWB,
            BOARD,
            kind=Reports.DELEGATES_TO,
            starts_on=KNOWN_FROM,
            ends_on=CHANGE,
            note="Items within the Priority 1 remit, as the HWB directs",
        ),
        Line(
            HWB,
            EXECUTIVE,
            kind=Reports.DELEGATES_TO,
            starts_on=CHANGE,
            note="Items within the Priority 1 remit, as the HWB directs",
        ),
    ),
    priorities=(
        DemoPriority(
            HWB,
            1,
            "Ensuring a positive start to life for children, young people and their families",
            "Since January 2014 the Children's Trust has been the primary delivery mechanism for "
            "this priority: it reports annual progress on every work area in its remit and "
            "responds to items the Health and Wellbeing Board refers to it.",
            work_areas=(
                # The Executive Group oversees the Area Partnerships and reports their progress.
                ("Area Partnerships", EXECUTIVE),
                ("Together for Families", ""),
                ("Child Poverty", ""),
                ("Children's Mental Health", ""),
                ("SEND", ""),
            ),
        ),
    ),
)

EXECUTIVE_GROUP_TERMS = Terms(
    EXECUTIVE,
    (
        Section(
            S.PURPOSE,
            "Oversee the work of the Area Partnerships and the work the group "
            "commissions, and bring together work areas the partners share.",
        ),
        Section(
            S.ROLE_AND_FUNCTIONS,
            bullets(
                "Share learning and good practice",
                "Support the Area Partnership work areas in developing priorities",
                "Facilitate synergy between partners and the local Area Partnership plans",
                "Identify new ways of working",
                "Commission new work and facilitate task and finish groups",
                "Report annual progress of the Area Partnerships and commissioned work to the "
                "Health and Wellbeing Board",
                "Host the Children's Trust Annual Conference for all statutory organisations: a "
                "themed event comparing partners' common priorities",
            ),
        ),
        Section(
            S.MEMBERSHIP,
            "Each chair of the Area Partnerships and a representative of the "
            "County Council's Children's Services. Other partners attend when the work "
            "needs them.",
            heading="Attendance",
        ),
        Section(
            S.SUPPORT,
            "Democratic Services, working alongside the Area Partnership "
            "Manager. Organising the conference needs additional support.",
        ),
        Section(S.REPORTING_LINE, "Cambridgeshire Health and Wellbeing Board."),
        Section(S.COSTS, "Conference costs (to be identified) and additional executive support."),
        Section(S.FREQUENCY, "Twice a year."),
    ),
    agreed_on=PAPER,
    effective_on=CHANGE,
    meetings_per_year=2,
)

AREA_PARTNERSHIP_SECTIONS = (
    Section(
        S.PURPOSE,
        "Develop initiatives delivered locally for the benefit of children, "
        "young people and families in the area.",
    ),
    Section(
        S.ROLE_AND_FUNCTIONS,
        bullets(
            "Develop an area plan that improves opportunities for children, young people and "
            "families living in the area",
            "Develop and support key projects delivered locally",
            "Monitor progress and send an annual report on progress and gaps to the Executive "
            "Group",
            "Escalate issues and barriers for resolution",
            "Highlight local trends and gaps in existing services",
            "Facilitate networking and collaborative working locally",
        ),
    ),
    Section(
        S.MEMBERSHIP,
        "Unchanged: local representatives from various organisations.",
        heading="Attendance",
    ),
    Section(
        S.SUPPORT,
        "Administrative support for meetings, which each Area Partnership "
        "arranges, and the Area Partnership Manager to develop key projects.",
    ),
    Section(S.REPORTING_LINE, "Children's Trust Executive Group."),
    Section(
        S.COSTS,
        "Nil. The council's grant of £3,333 a year per Area Partnership stops, "
        "and the Area Partnership Manager post is due to end on 31 August 2015.",
    ),
)

CHILDRENS_TRUST = DemoPartnership(
    name="Cambridgeshire Children's Trust",
    slug="cambridgeshire-childrens-trust",
    # A county with district councils (Children Act 2004, s.10(4)(a)).
    two_tier_area=True,
    legal_basis=Partnership.LegalBasis.CHILDREN_ACT_S10,
    lead_organisation=COUNCIL,
    description=(
        "Partners working together under section 10 of the Children Act 2004. From June 2015 a "
        "small Executive Group, three Area Partnerships and an annual conference replace the "
        "Children's Trust Board."
    ),
    bodies=(
        DemoBody(
            BOARD,
            "Children's Trust Board",
            Kind.TRUST_BOARD,
            (
                Step(ACTIVE, KNOWN_FROM, MONTH, "Earliest date in the paper; it began earlier"),
                Step(
                    UNDER_REVIEW,
                    date(2014, 11, 1),
                    MONTH,
                    "A working group was set up after the November 2014 meeting",
                ),
                Step(
                    REPLACED,
                    CHANGE,
                    MONTH,
                    "Replaced by the Executive Group when council "
                    "funding for the Trust stopped on 1 June 2015",
                ),
            ),
            meets_in_public=True,
            access_to_information=VOLUNTARY,
        ),
        DemoBody(
            EXECUTIVE,
            "Children's Trust Executive Group",
            Kind.EXECUTIVE_GROUP,
            (
                Step(PROPOSED, PAPER, DAY, "Proposed to the Board on 29 April 2015"),
                Step(ACTIVE, CHANGE, MONTH),
            ),
            meets_in_public=True,
            access_to_information=VOLUNTARY,
            predecessors=(BOARD,),
            notes="Serviced by Democratic Services. Hosts the annual conference.",
        ),
        *(
            DemoBody(
                slug,
                f"Area Partnership {n}",
                Kind.AREA_PARTNERSHIP,
                (Step(ACTIVE, KNOWN_FROM, MONTH, "Earliest date in the paper"),),
                notes="The paper does not name the three Area Partnerships.",
            )
            for n, slug in enumerate(AREAS, start=1)
        ),
        DemoBody(
            CONFERENCE,
            "Children's Trust Annual Conference",
            Kind.CONFERENCE,
            (Step(ACTIVE, KNOWN_FROM, MONTH, "Earliest date in the paper"),),
            notes="A themed event for all statutory organisations; partners are asked to fund "
            "it once council funding stops.",
        ),
    ),
    lines=(
        Line(
            BOARD,
            HWB,
            primary=True,
            cadence=Cadence.ANNUAL,
            starts_on=KNOWN_FROM,
            ends_on=CHANGE,
            note="Delivery mechanism for HWB Priority 1",
        ),
        Line(
            EXECUTIVE,
            HWB,
            primary=True,
            cadence=Cadence.ANNUAL,
            starts_on=CHANGE,
            note="Annual progress of the Area Partnerships and commissioned work",
        ),
        *(Line(area, BOARD, primary=True, starts_on=KNOWN_FROM, ends_on=CHANGE) for area in AREAS),
        *(
            Line(
                area,
                EXECUTIVE,
                primary=True,
                cadence=Cadence.ANNUAL,
                starts_on=CHANGE,
                note="Annual report on progress and gaps",
            )
            for area in AREAS
        ),
    ),
    terms=(
        EXECUTIVE_GROUP_TERMS,
        *(
            Terms(area, AREA_PARTNERSHIP_SECTIONS, agreed_on=PAPER, effective_on=CHANGE)
            for area in AREAS
        ),
    ),
)

PARTNERSHIPS = [HEALTH_AND_WELLBEING_BOARD, CHILDRENS_TRUST]
