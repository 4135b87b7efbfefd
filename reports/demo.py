"""Demo reports and money from the seed papers; `load()` is idempotent.

- Cambridgeshire 2015/16 (seed 000): each of the three Area Partnerships sends the Children's
  Trust Executive Group its "annual report on progress and gaps", and the Executive Group
  compiles them into its annual report to the Health and Wellbeing Board on every work area of
  HWB Priority 1 (Area Partnerships, Together for Families, Child Poverty, Children's Mental
  Health, SEND). The paper gives the structure, not the reports' contents: every line, rating
  and escalation here is illustrative, built around what the paper says was happening (council
  funding ending, the Area Partnership Manager post ending, partners asked to fund the work).
- Cambridgeshire's money (seed 000): the county council's £34,000 a year for the Children's
  Trust, ending on 1 June 2015, with £3,333 to each Area Partnership; the Children's Trust
  Manager post (0.65 FTE) it paid for; and the Area Partnership Manager post the council funds
  separately, due to end on 31 August 2015. The paper gives no FTE for that post: 1.0 is assumed.
- Central Bedfordshire (seed 001 ¶34-45): services shared with Bedford Borough after vesting
  day, under a section 10 agreement (¶42: section 10 for shared social care services, section 75
  only with the PCT), with the 60/40 split between the two councils (¶43), the host council
  managing it, reviewed annually (¶44), governed by the Joint Assurance Board (¶41).

Reports go through the reports services (start, save, submit, receive, compile), so the demo
obeys the rules a user does. A report that already exists is left as it is.
"""

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model

from partnerships.demo import cambridgeshire, central_bedfordshire
from partnerships.models import Body, Organisation, WorkArea

from . import services
from .models import (
    AnnualReport,
    FundingAllocation,
    FundingStream,
    PooledFundAgreement,
    PoolShare,
    SupportPost,
)

YEAR_STARTS, YEAR_ENDS = datetime.date(2015, 4, 1), datetime.date(2016, 3, 31)
ILLUSTRATIVE = "Illustrative: the seed paper gives the reporting structure, not the contents."

AREA_PARTNERSHIPS = "Area Partnerships"
TOGETHER_FOR_FAMILIES = "Together for Families"
CHILD_POVERTY = "Child Poverty"
MENTAL_HEALTH = "Children's Mental Health"
SEND = "SEND"
WORK_AREAS = [AREA_PARTNERSHIPS, TOGETHER_FOR_FAMILIES, CHILD_POVERTY, MENTAL_HEALTH, SEND]

# Per Area Partnership: (work area, line title, RAG, direction, narrative), and escalations.
AREA_LINES = {
    1: [
        (
            AREA_PARTNERSHIPS,
            "Area plan agreed and reviewed",
            "green",
            "improving",
            "The partnership agreed its area plan in July 2015 and reviewed it in January.",
        ),
        (
            CHILD_POVERTY,
            "Holiday lunch clubs",
            "amber",
            "steady",
            "Four of the six planned clubs ran in the summer. Two schools could not host "
            "without the annual grant; a church and a community centre are being approached.",
        ),
        (
            MENTAL_HEALTH,
            "Emotional wellbeing drop-in for young people",
            "red",
            "worsening",
            "The drop-in stopped in September when the Area Partnership Manager post ended "
            "and no partner could lead it. Referrals to school nurses rose.",
        ),
    ],
    2: [
        (
            AREA_PARTNERSHIPS,
            "Administrative support for meetings",
            "amber",
            "worsening",
            "Partners have taken turns to minute meetings since the grant ended. One meeting "
            "was cancelled for want of papers; a district council has offered support from "
            "April.",
        ),
        (
            TOGETHER_FOR_FAMILIES,
            "Local early help offer with Together for Families",
            "green",
            "improving",
            "",
        ),
        (SEND, "Parent carer support network", "green", "steady", ""),
    ],
    3: [
        (AREA_PARTNERSHIPS, "Area plan agreed and reviewed", "green", "steady", ""),
        (
            MENTAL_HEALTH,
            "School-based counselling",
            "amber",
            "worsening",
            "Waiting times grew over the year. Schools are pooling funds for a shared "
            "counsellor from September 2016.",
        ),
        (
            CHILD_POVERTY,
            "Debt and benefits advice in children's centres",
            "red",
            "steady",
            "The advice sessions ended with the council grant in June 2015 and no partner has "
            "funded them since.",
        ),
    ],
}
AREA_ESCALATIONS = {
    1: [
        (
            "The Area Partnership Manager post ended on 31 August 2015, and with it the lead "
            "for the young people's drop-in.",
            "The Executive Group to ask partners which of them will fund or host the role.",
        )
    ],
    2: [
        (
            "No administrative support for meetings since the £3,333 annual grant ended.",
            "The Executive Group to confirm the district council's offer of support.",
        )
    ],
    3: [
        (
            "Families lost debt and benefits advice when the council grant ended.",
            "The Executive Group to raise the gap with the Child Poverty work area.",
        )
    ],
}
AREA_GAPS = {
    1: "Little emotional wellbeing support for young people outside school.",
    2: "No one arranges the partnership's meetings or papers.",
    3: "Advice on money for families with young children.",
}

EXECUTIVE_LINES = {
    AREA_PARTNERSHIPS: (
        "amber",
        "steady",
        "All three Area Partnerships met and reported. Two lost local work when the council "
        "grant and the Area Partnership Manager post ended; one has no administrative support.",
    ),
    TOGETHER_FOR_FAMILIES: ("green", "improving", ""),
    CHILD_POVERTY: (
        "amber",
        "steady",
        "Holiday lunch clubs ran in most of Area 1; advice sessions in Area 3 ended with the "
        "grant. The work area will take the advice gap into its 2016/17 plan.",
    ),
    MENTAL_HEALTH: (
        "red",
        "worsening",
        "Two Area Partnerships report longer waits and a drop-in that closed. The Executive "
        "Group asks the Board to take the gap up with the clinical commissioning group.",
    ),
    SEND: ("green", "steady", ""),
}
EXECUTIVE_ESCALATIONS = [
    (
        "Council funding for the Children's Trust (£34,000 a year) ended on 1 June 2015 and the "
        "Area Partnership Manager post on 31 August 2015. Partners have not yet agreed to fund "
        "the annual conference or the manager role.",
        "Board members to say what funding their organisations can offer for the conference "
        "and the Area Partnership Manager role.",
    ),
    (
        "Waiting times for emotional wellbeing and mental health support for children are "
        "growing in two areas.",
        "The Board to ask the clinical commissioning group to report on children's mental "
        "health waiting times at its next meeting.",
    ),
]


def load() -> None:
    """Build the demo reports and funding; running it again changes nothing."""
    by = get_user_model().objects.filter(username="manager").first()
    executive = Body.objects.get(slug=cambridgeshire.EXECUTIVE)
    areas = [Body.objects.get(slug=slug) for slug in cambridgeshire.AREAS]
    work_areas = {
        area.name: area
        for area in WorkArea.objects.filter(
            priority__body__slug=cambridgeshire.HWB, priority__number=1
        )
    }
    for number, area in enumerate(areas, start=1):
        _area_report(number, area, executive, work_areas, by)
    _executive_report(executive, work_areas, by)
    _cambridgeshire_funding(areas, executive)
    _central_bedfordshire_pool()


def _existing(body: Body, receiving_body: Body) -> AnnualReport | None:
    return AnnualReport.objects.filter(
        body=body,
        receiving_body=receiving_body,
        kind=AnnualReport.Kind.ANNUAL,
        period_starts_on=YEAR_STARTS,
    ).first()


def _start(body: Body, receiving_body: Body, by) -> AnnualReport:
    return services.start_report(
        body=body,
        receiving_body=receiving_body,
        period_starts_on=YEAR_STARTS,
        period_ends_on=YEAR_ENDS,
        kind=AnnualReport.Kind.ANNUAL,
        by=by,
    )


def _area_report(number, area, executive, work_areas, by) -> None:
    if _existing(area, executive) is not None:
        return
    report = _start(area, executive, by)
    services.save_report(
        report=report,
        fields={
            "title": f"Area Partnership {number}: annual report on progress and gaps 2015/16",
            "summary": f"The partnership's first year reporting to the Executive Group. "
            f"{ILLUSTRATIVE}",
            "achievements": "\n".join(
                f"- {title}" for _, title, rag, *_ in AREA_LINES[number] if rag == "green"
            ),
            "gaps": AREA_GAPS[number],
            "next_priorities": "- Find partners to lead the work the grant used to pay for\n"
            "- Review the area plan with the Executive Group",
        },
        lines=[
            {
                "title": title,
                "rag": rag,
                "direction": direction,
                "narrative": narrative,
            }
            for _, title, rag, direction, narrative in AREA_LINES[number]
        ],
        indicators=[],
        escalations=[{"issue": issue, "ask": ask} for issue, ask in AREA_ESCALATIONS[number]],
        by=by,
    )
    # save_report sets the fields the editor offers; the work area is the demo's own link.
    for line in report.lines.all():
        area_name = next(w for w, title, *_ in AREA_LINES[number] if title == line.title)
        line.work_area = work_areas.get(area_name)
        line.priority = line.work_area.priority if line.work_area else None
        line.save(update_fields=["work_area", "priority"])
    services.submit_report(report=report, by=by)
    services.receive_report(report=report, by=by)


def _executive_report(executive, work_areas, by) -> None:
    hwb = Body.objects.get(slug=cambridgeshire.HWB)
    if _existing(executive, hwb) is not None:
        return
    report = _start(executive, hwb, by)
    services.compile_roll_up(report=report, by=by)
    # The roll-up adds one line per work area of the compiled reports, titled from the first.
    lines = {
        line.work_area.name if line.work_area else line.title: line
        for line in report.lines.select_related("work_area")
    }
    rows = []
    for name in WORK_AREAS:
        rag, direction, narrative = EXECUTIVE_LINES[name]
        line = lines.get(name)
        rows.append(
            {
                "id": line,
                "title": name,
                "rag": rag,
                "direction": direction,
                "narrative": narrative,
            }
        )
    services.save_report(
        report=report,
        fields={
            "title": "Children's Trust annual report to the Health and Wellbeing Board 2015/16",
            "summary": "Progress on every work area of Priority 1, 'Ensuring a positive start to "
            "life for children, young people and their families', in the first year of the "
            "Executive Group, with the three Area Partnerships' reports compiled. "
            f"{ILLUSTRATIVE}",
            "achievements": "- The Executive Group replaced the Children's Trust Board on "
            "1 June 2015 and met twice\n"
            "- All three Area Partnerships reported on progress and gaps\n"
            "- Together for Families and SEND work areas on track",
            "gaps": "Children's emotional wellbeing and mental health support; money advice for "
            "families; administrative support for the Area Partnerships.",
            "next_priorities": "- Agree partner funding for the annual conference and the Area "
            "Partnership Manager role\n"
            "- Reduce waiting times for children's mental health support\n"
            "- Hold the 2016 Children's Trust Annual Conference on child poverty",
        },
        lines=rows,
        indicators=[],
        escalations=[{"issue": issue, "ask": ask} for issue, ask in EXECUTIVE_ESCALATIONS],
        by=by,
    )
    for line in report.lines.filter(work_area__isnull=True):
        line.work_area = work_areas.get(line.title)
        line.priority = line.work_area.priority if line.work_area else None
        line.save(update_fields=["work_area", "priority"])
    services.submit_report(report=report, by=by)


def _cambridgeshire_funding(areas, executive) -> None:
    council = Organisation.objects.get(name=cambridgeshire.COUNCIL)
    board = Body.objects.get(slug=cambridgeshire.BOARD)
    stream, _ = FundingStream.objects.get_or_create(
        name="Children's Trust funding",
        funder=council,
        defaults={
            "amount_per_year": Decimal("34000"),
            "ends_on": cambridgeshire.CHANGE,
            "recipient_body": board,
            "notes": "The Children's Trust Manager post, the annual conference, the annual "
            "grant to each Area Partnership and the Board's meeting costs, such as venues. "
            "Ceases on 1 June 2015 (seed 000).",
        },
    )
    for area in areas:
        FundingAllocation.objects.get_or_create(
            stream=stream,
            body=area,
            defaults={
                "amount_per_year": Decimal("3333"),
                "purpose": "Annual grant to the Area Partnership",
            },
        )
    manager, _ = SupportPost.objects.get_or_create(
        title="Children's Trust Manager",
        employer=council,
        defaults={"fte": Decimal("0.65"), "funded_by": stream, "ends_on": cambridgeshire.CHANGE},
    )
    manager.supports.add(board)
    area_manager, _ = SupportPost.objects.get_or_create(
        title="Area Partnership Manager",
        employer=council,
        defaults={"fte": Decimal("1.00"), "ends_on": datetime.date(2015, 8, 31)},
    )
    area_manager.supports.add(*areas, executive)


def _central_bedfordshire_pool() -> None:
    council = Organisation.objects.get(name=central_bedfordshire.COUNCIL)
    bedford = Organisation.objects.get(name=central_bedfordshire.BEDFORD)
    agreement, _ = PooledFundAgreement.objects.get_or_create(
        name="Central Bedfordshire and Bedford shared children's services",
        defaults={
            "legal_basis": PooledFundAgreement.LegalBasis.CHILDREN_ACT_S10,
            "host": council,
            "body": Body.objects.get(slug=central_bedfordshire.ASSURANCE),
            "starts_on": central_bedfordshire.VESTING,
            "review_on": datetime.date(2010, 4, 1),
        },
    )
    for organisation, percentage in [(council, Decimal("60")), (bedford, Decimal("40"))]:
        PoolShare.objects.get_or_create(
            agreement=agreement, organisation=organisation, defaults={"percentage": percentage}
        )
