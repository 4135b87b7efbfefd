"""Plymouth: the Trust Board and Trust Executive become one Children's Partnership.

Source: "Children's Trust Governance: proposals to simplify arrangements" (seed 003). The paper
is undated; it names the New Devon shadow Clinical Commissioning Group, so it predates April 2013,
and the change is dated 2013 (year precision). When the Board and Executive began is not in the
paper: 2008 is a placeholder, the year every area was to have Children's Trust arrangements.
"Children's Partnership" is the paper's shorthand; the Trust kept its brand.
"""

from datetime import date

from ..models import Body, Organisation, Partnership, ReportingLine, ToRSection
from .loader import (
    ACTIVE,
    DAY,
    PROPOSED,
    REPLACED,
    SHADOW,
    YEAR,
    DemoBody,
    DemoPartnership,
    Line,
    Org,
    Section,
    Step,
    Terms,
    numbered,
)

COUNCIL = "Plymouth City Council"
HWB = "plymouth-health-and-wellbeing-board"
BOARD = "plymouth-childrens-trust-board"
EXECUTIVE = "plymouth-childrens-trust-executive"
PARTNERSHIP = "plymouth-childrens-partnership"

PLACEHOLDER_START = date(2008, 1, 1)
PROPOSED_ON = date(2012, 1, 1)
CHANGE = date(2013, 4, 1)

Kind = Body.Kind
Reports = ReportingLine.Kind
S = ToRSection.Kind

ORGANISATIONS = [
    Org(COUNCIL, Organisation.Kind.LOCAL_AUTHORITY, "PCC"),
]

HEALTH_AND_WELLBEING_BOARD = DemoPartnership(
    name="Plymouth Health and Wellbeing Board",
    slug="plymouth-health-and-wellbeing-board",
    short_name="Plymouth HWB",
    legal_basis=Partnership.LegalBasis.HWB,
    lead_organisation=COUNCIL,
    description="The city's statutory Health and Wellbeing Board, one of the Plymouth 2020 "
    "strategic partnerships.",
    bodies=(
        DemoBody(
            HWB,
            "Plymouth Health and Wellbeing Board",
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
            short_name="HWBB",
            meets_in_public=True,
            access_to_information=Body.AccessToInformation.STATUTORY,
        ),
    ),
    lines=(
        Line(
            HWB,
            PARTNERSHIP,
            kind=Reports.DELEGATES_TO,
            starts_on=CHANGE,
            note="Children and young people's topics",
        ),
    ),
)

PARTNERSHIP_TERMS = Terms(
    PARTNERSHIP,
    (
        Section(
            S.PURPOSE,
            "Oversee the Children and Young People's Plan and the related "
            "priorities of the Health and Wellbeing Strategy and the Plymouth Plan; "
            "champion children's and families' needs across the city; act as a forum for "
            "ideas, joint problem solving and peer challenge.",
        ),
        Section(
            S.ROLE_AND_FUNCTIONS,
            numbered(
                "Use the JSNA and other needs assessments to recommend commissioning plans to "
                "the Health and Wellbeing Board, the Clinical Commissioning Group and others, to "
                "deliver the Joint Health and Wellbeing Strategy and reduce inequalities",
                "Oversee delivery of services for children and young people, and of the parts of "
                "the Plymouth Plan and the Health and Wellbeing Strategy that concern them",
                "Make sure the Plymouth Plan delivers for children and young people, and that "
                "their services contribute to its wider aims",
                "Monitor delivery plans and provide peer challenge on delivery",
                "Champion the voice of children, young people and parents in service design",
                "Set priorities and key principles for services for children and young people",
                "Advise commissioners of the needs of children and young people",
                "Gather intelligence and align strategic priorities with other strategic "
                "partnership boards",
            ),
            heading="Terms of reference",
        ),
        Section(
            S.MEMBERSHIP,
            "A smaller, more strategic body than the Board and Executive it "
            "replaces; membership still to be identified.",
        ),
        Section(
            S.REPORTING_LINE,
            "Health and Wellbeing Board, which delegates children and "
            "young people's topics to the partnership. The Lead Member for Children's "
            "Services takes the partnership's mandate to the Board.",
        ),
    ),
    agreed_on=CHANGE,
    effective_on=CHANGE,
)

CHILDRENS_TRUST = DemoPartnership(
    name="Plymouth Children and Young People's Trust",
    slug="plymouth-children-and-young-peoples-trust",
    legal_basis=Partnership.LegalBasis.CHILDREN_ACT_S10,
    lead_organisation=COUNCIL,
    description=(
        "The city's Children's Trust. Its Board and Executive, with different members and "
        "mandates, are replaced by a single Children's Partnership linked to the Health and "
        "Wellbeing Board."
    ),
    bodies=(
        DemoBody(
            BOARD,
            "Children's Trust Board",
            Kind.TRUST_BOARD,
            (
                Step(ACTIVE, PLACEHOLDER_START, YEAR, "Start date not in the paper"),
                Step(REPLACED, CHANGE, YEAR),
            ),
        ),
        DemoBody(
            EXECUTIVE,
            "Children's Trust Executive",
            Kind.EXECUTIVE_GROUP,
            (
                Step(ACTIVE, PLACEHOLDER_START, YEAR, "Start date not in the paper"),
                Step(REPLACED, CHANGE, YEAR),
            ),
        ),
        DemoBody(
            PARTNERSHIP,
            "Children's Partnership",
            Kind.TRUST_BOARD,
            (
                Step(PROPOSED, PROPOSED_ON, YEAR, "Proposed in the governance review"),
                Step(ACTIVE, CHANGE, YEAR),
            ),
            predecessors=(BOARD, EXECUTIVE),
            notes="A working name. The paper asks partners whether to call it the Children, "
            "Young People and Families' Partnership.",
        ),
    ),
    lines=(
        Line(EXECUTIVE, BOARD, primary=True, ends_on=CHANGE),
        Line(
            PARTNERSHIP,
            HWB,
            primary=True,
            starts_on=CHANGE,
            note="A special relationship: the HWB's children's topics are delegated to it",
        ),
    ),
    terms=(PARTNERSHIP_TERMS,),
)

PARTNERSHIPS = [HEALTH_AND_WELLBEING_BOARD, CHILDRENS_TRUST]
