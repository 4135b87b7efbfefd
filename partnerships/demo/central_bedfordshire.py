"""Central Bedfordshire, 2008 to 2009: a new Children's Trust set up in shadow before vesting day.

Source: "Establishing a Children's Trust for Central Bedfordshire", Shadow Executive,
25 November 2008 (seed 001). Paragraph numbers below are the paper's. Its timetable is vague
("Aug October 2008", "Nov Feb 2008/09", "March / April 2009"), so dates carry month precision.
The shadow Executive agreed the proposed model, including the draft terms of reference, on
25 November 2008; they take effect when the council becomes a unitary authority in April 2009.
"""

from datetime import date

from ..models import Body, Organisation, Partnership, ReportingLine, ToRSection
from .loader import (
    ACTIVE,
    DAY,
    MONTH,
    PROPOSED,
    SHADOW,
    DemoBody,
    DemoPartnership,
    Line,
    Org,
    Section,
    Step,
    Terms,
)

COUNCIL = "Central Bedfordshire Council"
BEDFORD = "Bedford Borough Council"
LSCB = "Central Bedfordshire Local Safeguarding Children Board"

BOARD = "central-bedfordshire-childrens-trust-board"
JCB = "central-bedfordshire-joint-commissioning-board"
CONFERENCE = "central-bedfordshire-childrens-trust-conference"
ASSURANCE = "bedfordshire-joint-assurance-board"
WELL_BEING = "central-bedfordshire-well-being-sub-group"
LEARNING = "central-bedfordshire-learning-sub-group"
YOUTH = "central-bedfordshire-youth-sub-group"

PAPER = date(2008, 11, 25)
VESTING = date(2009, 4, 1)
SHADOW_JCB = date(2008, 10, 1)
SHADOW_BOARD = date(2008, 12, 1)
SHADOW_GROUPS = date(2008, 11, 1)

Kind = Body.Kind
Cadence = ReportingLine.Cadence
S = ToRSection.Kind

# (slug, name, short name, Every Child Matters outcomes it covers), from ¶8 and ¶25.
THEMATIC_GROUPS = [
    (WELL_BEING, "Well-being Sub-group", "Well-being", "Be Healthy, Stay Safe"),
    (LEARNING, "Learning Sub-group", "Learning", "Enjoy and Achieve"),
    (YOUTH, "Youth Sub-group", "Youth", "Make a Positive Contribution, Achieve Economic Wellbeing"),
]

ORGANISATIONS = [
    Org(COUNCIL, Organisation.Kind.LOCAL_AUTHORITY, "CBC"),
    Org(BEDFORD, Organisation.Kind.LOCAL_AUTHORITY),
    Org(LSCB, Organisation.Kind.SAFEGUARDING, "LSCB", ("Local Safeguarding Board for Children",)),
]

TRUST_BOARD_TERMS = Terms(
    BOARD,
    (
        Section(
            S.ROLE_AND_FUNCTIONS,
            "The executive of the Trust. The Joint Commissioning "
            "Board develops the Trust's plans, strategies and priorities and recommends "
            "them to the Trust Board, which keeps the Trust's strategic direction true to "
            "its priorities and to the needs of children and young people in the area.",
            heading="Role",
        ),
        Section(
            S.MEMBERSHIP,
            "Strategic leaders of all partner organisations; executive and "
            "non-executive members of PCTs and health trusts; lead elected members; a "
            "nominated representative of the voluntary and community sector; others as the "
            "Trust Board decides. Joint Commissioning Board members attend to report but "
            "are not automatically members.",
        ),
        Section(
            S.DECISION_MAKING,
            "By consensus, reached through consultation with partners "
            "and among the members at the meeting. Decisions may also need the agreement "
            "of partners' own political or executive leadership.",
        ),
        Section(
            S.FREQUENCY,
            "Twice a year, with a third date for a wider partnership "
            "conference to review progress and share future challenges.",
        ),
    ),
    agreed_on=PAPER,
    effective_on=VESTING,
    meetings_per_year=2,
    frequency_note="with a third date for the partnership conference",
)

JCB_TERMS = Terms(
    JCB,
    (
        Section(
            S.ROLE_AND_FUNCTIONS,
            "Directs the Trust's shared resources to the priorities "
            "in the Children and Young People's Plan. Conducts the business of the Trust, "
            "develops and reviews the Plan, and scrutinises the sub-groups' action plans, "
            "progress and performance data, reporting them to the Trust Board.",
            heading="Role",
        ),
        Section(
            S.MEMBERSHIP,
            "Commissioning leads and key managers from all partner agencies "
            "best placed to deliver change and direct resources, and a nominated "
            "representative of the voluntary and community sector.",
        ),
        Section(
            S.DECISION_MAKING,
            "By consensus. Funding decisions depend on each partner "
            "agency agreeing through its own procedures. Pooling and resource sharing with "
            "Bedford go to the Accountable Bodies Board; key strategic decisions go to the "
            "Trust Board for final agreement.",
        ),
        Section(S.FREQUENCY, "Quarterly."),
    ),
    agreed_on=PAPER,
    effective_on=VESTING,
    meetings_per_year=4,
)


def thematic_group_terms(slug: str, outcomes: str) -> Terms:
    return Terms(
        slug,
        (
            Section(
                S.ROLE_AND_FUNCTIONS,
                f"Covers the outcomes {outcomes}. Turns the "
                "priorities and targets of the Children and Young People's Plan into "
                "outcome-focused action plans, makes sure the actions happen, reviews "
                "progress against them using performance data, and sends a quarterly "
                "progress report to the Joint Commissioning Board.",
                heading="Role",
            ),
            Section(
                S.CHAIRING,
                "A senior manager from a relevant partner organisation, with a "
                "co-chair; one of the two is from the local authority.",
            ),
            Section(
                S.MEMBERSHIP,
                "Key professionals from across the Trust who deliver "
                "services for the five Every Child Matters outcomes.",
            ),
            Section(
                S.DECISION_MAKING,
                "Decides matters within its own remit and refers major "
                "decisions to the Joint Commissioning Board.",
            ),
            Section(
                S.FREQUENCY,
                "Quarterly, timed to report into the relevant Joint Commissioning Board meetings.",
            ),
        ),
        agreed_on=PAPER,
        effective_on=VESTING,
        meetings_per_year=4,
    )


CHILDRENS_TRUST = DemoPartnership(
    name="Central Bedfordshire Children's Trust",
    slug="central-bedfordshire-childrens-trust",
    legal_basis=Partnership.LegalBasis.CHILDREN_ACT_S10,
    lead_organisation=COUNCIL,
    description=(
        "Set up in shadow form from late 2008, when Bedfordshire's county-wide Children and "
        "Young People's Strategic Partnership split in two, and in force from April 2009 when "
        "Central Bedfordshire became a unitary council."
    ),
    bodies=(
        DemoBody(
            BOARD,
            "Children's Trust Board",
            Kind.TRUST_BOARD,
            (
                Step(
                    SHADOW,
                    SHADOW_BOARD,
                    MONTH,
                    "The shadow Executive agreed a shadow Trust Board on 25 November 2008",
                ),
                Step(ACTIVE, VESTING, MONTH, "Inaugural meeting, March or April 2009 (¶33)"),
            ),
        ),
        DemoBody(
            JCB,
            "Joint Commissioning Board",
            Kind.JOINT_COMMISSIONING_BOARD,
            (
                Step(
                    SHADOW,
                    SHADOW_JCB,
                    MONTH,
                    "A shadow JCB formed as a working group from "
                    "members of the county-wide JCB, August to October 2008 (¶31)",
                ),
                Step(ACTIVE, VESTING, MONTH, "Inaugural meeting, March or April 2009 (¶33)"),
            ),
            short_name="JCB",
            notes="Refers decisions on pooling resources with Bedford to the Accountable "
            "Bodies Board (¶20).",
        ),
        *(
            DemoBody(
                slug,
                name,
                Kind.THEMATIC_SUBGROUP,
                (
                    Step(
                        SHADOW,
                        SHADOW_GROUPS,
                        MONTH,
                        "Shadow thematic groups drafted action "
                        "plans, November 2008 to February 2009 (¶32)",
                    ),
                    Step(ACTIVE, VESTING, MONTH),
                ),
                short_name=short_name,
                notes=f"Every Child Matters outcomes: {outcomes}.",
            )
            for slug, name, short_name, outcomes in THEMATIC_GROUPS
        ),
        DemoBody(
            CONFERENCE,
            "Children's Trust Partnership Conference",
            Kind.CONFERENCE,
            (Step(ACTIVE, VESTING, MONTH),),
            notes="The Trust Board's third date each year, for the wider partnership (¶15).",
        ),
        DemoBody(
            ASSURANCE,
            "Joint Assurance Board",
            Kind.OTHER,
            (Step(PROPOSED, PAPER, DAY, "Suggested in the paper (¶41)"),),
            notes="Would sit between the Central Bedfordshire and Bedford trusts, with members "
            "from both councils and key partners, to agree and run their shared agreements.",
        ),
    ),
    lines=(
        Line(
            JCB,
            BOARD,
            primary=True,
            cadence=Cadence.PER_MEETING,
            starts_on=SHADOW_BOARD,
            note="Recommends plans and priorities; refers key strategic decisions (¶11, ¶21)",
        ),
        *(
            Line(
                slug,
                JCB,
                primary=True,
                cadence=Cadence.QUARTERLY,
                starts_on=SHADOW_GROUPS,
                note="Quarterly progress report (¶24)",
            )
            for slug, *_ in THEMATIC_GROUPS
        ),
        Line(
            WELL_BEING,
            to_organisation=LSCB,
            starts_on=VESTING,
            note="The Stay Safe work, merged into this group (¶8), also reports to the LSCB",
        ),
        Line(ASSURANCE, BOARD, starts_on=VESTING, note="Reports to both trusts (¶41)"),
        Line(
            ASSURANCE,
            to_organisation=COUNCIL,
            starts_on=VESTING,
            note="Reports to the council's executive and elected members (¶41)",
        ),
        Line(
            ASSURANCE,
            to_organisation=BEDFORD,
            starts_on=VESTING,
            note="Reports to Bedford's trust, executive and elected members (¶41)",
        ),
    ),
    terms=(
        TRUST_BOARD_TERMS,
        JCB_TERMS,
        *(thematic_group_terms(slug, outcomes) for slug, _, _, outcomes in THEMATIC_GROUPS),
    ),
)

PARTNERSHIPS = [CHILDRENS_TRUST]
