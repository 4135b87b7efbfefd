"""Worcestershire, 2009 to 2010: the strategic partnership becomes a statutory Children's Trust.

Source: "Children's Trust Arrangements", CYPSP newsletter edition 4, August 2009 (seed 004).
The Partnership Advisory Body and Joint Commissioning Board date from the revised constitution
of May 2008. The paper's timetable: draft constitution September 2009, Cabinet November 2009,
shadow arrangements January 2010, fully effective April 2010. The paper gives no line between the
PAB and the JCB; the JCB gives final approval and the PAB's chair advises it, so the PAB is drawn
as advising the JCB. Members are not loaded here.
"""

from datetime import date

from ..models import Body, Organisation, Partnership, ReportingLine, ToRSection
from .loader import (
    ACTIVE,
    MONTH,
    PROPOSED,
    REPLACED,
    SHADOW,
    DemoBody,
    DemoPartnership,
    Line,
    Org,
    Section,
    Step,
    Terms,
)

COUNCIL = "Worcestershire County Council"
NHS = "NHS Worcestershire"
LSP = "Worcestershire Partnership"

PAB = "worcestershire-partnership-advisory-body"
JCB = "worcestershire-joint-commissioning-board"
BOARD = "worcestershire-childrens-trust-board"
MANAGEMENT = "worcestershire-childrens-trust-management-group"
JCE = "worcestershire-joint-commissioning-executive"
MIG = "worcestershire-management-information-group"
YOUTH = "worcestershire-young-peoples-shadow-board"

CONSTITUTION = date(2008, 5, 1)
PAPER = date(2009, 8, 1)
SHADOW_FROM = date(2010, 1, 1)
EFFECTIVE = date(2010, 4, 1)

Kind = Body.Kind
Reports = ReportingLine.Kind
S = ToRSection.Kind

ORGANISATIONS = [
    Org(COUNCIL, Organisation.Kind.LOCAL_AUTHORITY, "WCC"),
    Org(
        NHS,
        Organisation.Kind.NHS_COMMISSIONER,
        aliases=("Worcestershire Primary Care Trust", "Worcestershire PCT"),
    ),
    Org(LSP, Organisation.Kind.OTHER, aliases=("Worcestershire Local Strategic Partnership",)),
]

CURRENT = (
    Step(ACTIVE, CONSTITUTION, MONTH, "Revised constitution of May 2008"),
    Step(REPLACED, EFFECTIVE, MONTH, "The Children's Trust arrangements became fully effective"),
)
PLANNED = (
    Step(PROPOSED, PAPER, MONTH, "Proposed after the July 2009 workshop"),
    Step(SHADOW, SHADOW_FROM, MONTH),
    Step(ACTIVE, EFFECTIVE, MONTH),
)

TRUST_BOARD_TERMS = Terms(
    BOARD,
    (
        Section(
            S.PURPOSE,
            "Produce, review and revise the Children and Young People's Plan "
            "and make sure it is delivered; meetings focus on the Plan and progress "
            "against it.",
        ),
        Section(
            S.MEMBERSHIP,
            "Inclusive and representative: all relevant partners under the "
            "Children Act 2004, parent and carer representatives, the statutory Cabinet "
            "Member and the leader of one of the district councils. Arrangements for young "
            "people, including a shadow board, are still to be developed.",
        ),
        Section(S.CHAIRING, "The Cabinet Member or an independent chair."),
        Section(
            S.SUPPORT,
            "The Management Group, chaired by the Director of Children's "
            "Services, drives the business of the Trust.",
        ),
        Section(S.FREQUENCY, "Quarterly."),
    ),
    effective_on=EFFECTIVE,
    meetings_per_year=4,
)

STRATEGIC_PARTNERSHIP = DemoPartnership(
    name="Worcestershire Children and Young People's Strategic Partnership",
    slug="worcestershire-children-and-young-peoples-strategic-partnership",
    # A county with district councils (Children Act 2004, s.10(4)(a)).
    two_tier_area=True,
    short_name="CYPSP",
    legal_basis=Partnership.LegalBasis.CHILDREN_ACT_S10,
    lead_organisation=COUNCIL,
    description=(
        "A theme group of the Worcestershire Partnership and the county's Children's Trust "
        "arrangements. The Partnership Advisory Body and Joint Commissioning Board give way to a "
        "statutory Children's Trust Board: shadow from January 2010, fully effective April 2010."
    ),
    bodies=(
        DemoBody(
            PAB,
            "Partnership Advisory Body",
            Kind.ADVISORY_BODY,
            CURRENT,
            short_name="PAB",
            notes="The broad stakeholder group: schools, voluntary sector, police, probation, "
            "district councils and others.",
        ),
        DemoBody(
            JCB,
            "Joint Commissioning Board",
            Kind.JOINT_COMMISSIONING_BOARD,
            CURRENT,
            short_name="JCB",
            notes="Responsible for producing, managing the performance of and revising the "
            "Children and Young People's Plan. Once called the Joint Commissioning Group.",
        ),
        DemoBody(
            BOARD,
            "Children's Trust Board",
            Kind.TRUST_BOARD,
            PLANNED,
            predecessors=(PAB, JCB),
        ),
        DemoBody(
            MANAGEMENT,
            "Management Group",
            Kind.EXECUTIVE_GROUP,
            PLANNED,
            notes="Chaired by the Director of Children's Services.",
        ),
        DemoBody(
            JCE,
            "Joint Commissioning Executive",
            Kind.JOINT_COMMISSIONING_BOARD,
            PLANNED,
            short_name="JCE",
            predecessors=(JCB,),
            notes="Officers only, at first from NHS Worcestershire and the county council; "
            "focused on the formal pooled use of resources.",
        ),
        DemoBody(
            MIG,
            "Management Information Group",
            Kind.OTHER,
            PLANNED,
            notes="Owns performance information and the Joint Strategic Needs Assessment.",
        ),
        DemoBody(
            YOUTH,
            "Young People's Shadow Board",
            Kind.YOUTH_SHADOW_BOARD,
            (Step(PROPOSED, PAPER, MONTH, "Young people's arrangements need further development"),),
        ),
    ),
    lines=(
        Line(
            PAB,
            JCB,
            kind=Reports.ADVISES,
            primary=True,
            starts_on=CONSTITUTION,
            ends_on=EFFECTIVE,
            note="Not stated in the paper: the PAB chair advises the JCB",
        ),
        Line(
            JCB,
            to_organisation=LSP,
            kind=Reports.ACCOUNTABLE_TO,
            primary=True,
            starts_on=CONSTITUTION,
            ends_on=EFFECTIVE,
            note="For the children's part of the Local Area Agreement and Community Strategy",
        ),
        Line(MANAGEMENT, BOARD, primary=True, starts_on=SHADOW_FROM),
        Line(
            MIG,
            MANAGEMENT,
            primary=True,
            starts_on=SHADOW_FROM,
            note="Performance information, passed on to the Trust Board",
        ),
        Line(
            JCE,
            BOARD,
            kind=Reports.ACCOUNTABLE_TO,
            primary=True,
            starts_on=SHADOW_FROM,
            note="On the impact of its commissioning against the Plan's priorities",
        ),
        Line(
            JCE,
            to_organisation=COUNCIL,
            kind=Reports.ACCOUNTABLE_TO,
            starts_on=SHADOW_FROM,
            note="Directly, through the commissioner's own governance",
        ),
        Line(
            JCE,
            to_organisation=NHS,
            kind=Reports.ACCOUNTABLE_TO,
            starts_on=SHADOW_FROM,
            note="Directly, through the commissioner's own governance",
        ),
    ),
    terms=(TRUST_BOARD_TERMS,),
)

PARTNERSHIPS = [STRATEGIC_PARTNERSHIP]
