"""The shapes the demo partnerships are written in, and the loader that builds them.

Everything goes through the services, so the demo obeys the same lifecycle and reporting-line
rules as a user would. Each step first looks for what it would create (organisations by name,
partnerships and bodies by slug, lines by their ends, kind and start), so loading twice changes
nothing and a demo database that someone has since edited is left as they left it.
"""

import datetime
from dataclasses import dataclass

from .. import services
from ..models import (
    Body,
    BodyStatus,
    DatePrecision,
    Organisation,
    Partnership,
    Priority,
    ReportingLine,
    WorkArea,
)

DAY, MONTH, YEAR = DatePrecision.DAY, DatePrecision.MONTH, DatePrecision.YEAR
PROPOSED, SHADOW, ACTIVE = BodyStatus.PROPOSED, BodyStatus.SHADOW, BodyStatus.ACTIVE
UNDER_REVIEW, REPLACED = BodyStatus.UNDER_REVIEW, BodyStatus.REPLACED


@dataclass(frozen=True)
class Org:
    name: str
    kind: str
    short_name: str = ""
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Step:
    """One dated step of a body's lifecycle."""

    status: str
    on: datetime.date
    precision: str = DAY
    note: str = ""


@dataclass(frozen=True)
class DemoBody:
    slug: str
    name: str
    kind: str
    history: tuple[Step, ...]
    short_name: str = ""
    meets_in_public: bool = False
    access_to_information: str = Body.AccessToInformation.NONE
    predecessors: tuple[str, ...] = ()
    notes: str = ""


@dataclass(frozen=True)
class Line:
    """A reporting line from a body (by slug) to a body (by slug) or an organisation (by name)."""

    from_body: str
    to_body: str = ""
    to_organisation: str = ""
    kind: str = ReportingLine.Kind.REPORTS_TO
    cadence: str = ""
    starts_on: datetime.date | None = None
    ends_on: datetime.date | None = None
    primary: bool = False
    note: str = ""


@dataclass(frozen=True)
class Section:
    kind: str
    text: str
    heading: str = ""


@dataclass(frozen=True)
class Terms:
    """Terms of reference, version 1; left as a draft when `agreed_on` is empty."""

    body: str
    sections: tuple[Section, ...]
    agreed_on: datetime.date | None = None
    effective_on: datetime.date | None = None
    meetings_per_year: int | None = None
    frequency_note: str = ""


@dataclass(frozen=True)
class DemoPriority:
    body: str
    number: int
    title: str
    description: str = ""
    # (work area, slug of the body delivering it or "" if the paper does not say)
    work_areas: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class DemoPartnership:
    name: str
    slug: str
    legal_basis: str
    lead_organisation: str
    short_name: str = ""
    description: str = ""
    two_tier_area: bool = False
    bodies: tuple[DemoBody, ...] = ()
    lines: tuple[Line, ...] = ()
    terms: tuple[Terms, ...] = ()
    priorities: tuple[DemoPriority, ...] = ()


def load_partnerships(organisations: list[Org], partnerships: list[DemoPartnership]) -> None:
    """Build the organisations, then every partnership's bodies, then what links them.

    Bodies come first for all partnerships because lines, predecessors and priorities may point
    into another partnership (a Children's Trust reports to its Health and Wellbeing Board).
    """
    orgs = {org.name: _organisation(org) for org in organisations}
    bodies = {}
    for demo in partnerships:
        partnership = _partnership(demo, orgs)
        bodies |= {body.slug: _body(partnership, body) for body in demo.bodies}
    for demo in partnerships:
        for body in demo.bodies:
            bodies[body.slug].predecessors.add(*(bodies[slug] for slug in body.predecessors))
        for line in demo.lines:
            _line(line, bodies, orgs)
        for terms in demo.terms:
            _terms(bodies[terms.body], terms)
        for priority in demo.priorities:
            _priority(priority, bodies)


def _organisation(org: Org) -> Organisation:
    organisation, _ = Organisation.objects.get_or_create(
        name=org.name,
        defaults={"kind": org.kind, "short_name": org.short_name, "aliases": list(org.aliases)},
    )
    return organisation


def _partnership(demo: DemoPartnership, orgs: dict[str, Organisation]) -> Partnership:
    partnership, _ = Partnership.objects.get_or_create(
        slug=demo.slug,
        defaults={
            "name": demo.name,
            "short_name": demo.short_name,
            "description": demo.description,
            "legal_basis": demo.legal_basis,
            "lead_organisation": orgs[demo.lead_organisation],
            "two_tier_area": demo.two_tier_area,
        },
    )
    return partnership


def _body(partnership: Partnership, demo: DemoBody) -> Body:
    if existing := Body.objects.filter(slug=demo.slug).first():
        return existing
    first, *later = demo.history
    body = services.create_body(
        partnership=partnership,
        name=demo.name,
        kind=demo.kind,
        status=first.status,
        status_on=first.on,
        status_precision=first.precision,
        slug=demo.slug,
        short_name=demo.short_name,
        meets_in_public=demo.meets_in_public,
        access_to_information=demo.access_to_information,
        notes=demo.notes,
    )
    if first.note:
        # create_body takes no note for the first step; the row was created just above.
        body.status_changes.update(note=first.note)
    for step in later:
        services.record_status_change(
            body=body,
            status=step.status,
            effective_on=step.on,
            precision=step.precision,
            note=step.note,
        )
    return body


def _line(line: Line, bodies: dict[str, Body], orgs: dict[str, Organisation]) -> None:
    ends = {
        "from_body": bodies[line.from_body],
        "to_body": bodies[line.to_body] if line.to_body else None,
        "to_organisation": orgs[line.to_organisation] if line.to_organisation else None,
    }
    if ReportingLine.objects.filter(**ends, kind=line.kind, starts_on=line.starts_on).exists():
        return
    services.add_reporting_line(
        **ends,
        kind=line.kind,
        cadence=line.cadence,
        starts_on=line.starts_on,
        ends_on=line.ends_on,
        is_primary=line.primary,
        note=line.note,
    )


def _terms(body: Body, demo: Terms) -> None:
    if body.terms_of_reference.exists():
        return
    terms = services.draft_terms_of_reference(body=body)
    terms.meetings_per_year = demo.meetings_per_year
    terms.frequency_note = demo.frequency_note
    terms.effective_on = demo.effective_on
    terms.save(update_fields=["meetings_per_year", "frequency_note", "effective_on", "updated_at"])
    services.save_draft_sections(
        terms=terms,
        sections=[
            {"kind": section.kind, "heading": section.heading, "text": section.text}
            for section in demo.sections
        ],
    )
    if demo.agreed_on:
        services.agree_terms_of_reference(
            terms=terms, agreed_on=demo.agreed_on, effective_on=demo.effective_on
        )


def _priority(demo: DemoPriority, bodies: dict[str, Body]) -> None:
    priority, _ = Priority.objects.get_or_create(
        body=bodies[demo.body],
        number=demo.number,
        defaults={"title": demo.title, "description": demo.description},
    )
    for order, (name, delivered_by) in enumerate(demo.work_areas, start=1):
        WorkArea.objects.get_or_create(
            priority=priority,
            name=name,
            defaults={"order": order, "delivered_by": bodies.get(delivered_by)},
        )


def bullets(*items: str) -> str:
    return "\n".join(f"- {item}" for item in items)


def numbered(*items: str) -> str:
    return "\n".join(f"{n}. {item}" for n, item in enumerate(items, start=1))
