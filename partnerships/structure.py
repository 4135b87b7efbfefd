"""A partnership's structure as it stood on a date, and what changed between two dates."""

import datetime
from dataclasses import dataclass, field

from .models import Body, Partnership, ReportingLine


@dataclass(frozen=True)
class Structure:
    """The bodies alive on a date and the reporting lines in force between them."""

    partnership: Partnership
    on: datetime.date
    bodies: list[Body]
    lines: list[ReportingLine]
    # Targets of lines that are not bodies of this partnership (an HWB, a council, an NHS body).
    external_targets: list = field(default_factory=list)

    def primary_parent(self, body: Body):
        for line in self.lines:
            if line.from_body_id == body.pk and line.is_primary:
                return line.target
        return None


def structure_on(partnership: Partnership, on: datetime.date) -> Structure:
    """Two queries whatever the size: bodies with their status that day, then lines in force."""
    bodies = list(Body.objects.filter(partnership=partnership).alive(on).order_by("kind", "name"))
    lines = list(
        ReportingLine.objects.current(on)
        .filter(from_body__in=[body.pk for body in bodies])
        .select_related("to_body", "to_organisation")
        .order_by("-is_primary", "from_body_id", "pk")
    )
    by_pk = {body.pk: body for body in bodies}
    external, seen = [], set()
    for line in lines:
        line.from_body = by_pk[line.from_body_id]
        if line.to_body_id in by_pk:
            line.to_body = by_pk[line.to_body_id]
        elif (key := line_target_key(line)) not in seen:
            seen.add(key)
            external.append(line.target)
    return Structure(partnership, on, bodies, lines, external)


def line_target_key(line: ReportingLine) -> tuple[str, int]:
    return (
        ("body", line.to_body_id) if line.to_body_id else ("organisation", line.to_organisation_id)
    )


def line_key(line: ReportingLine) -> tuple:
    return (line.from_body_id, line_target_key(line), line.kind)


@dataclass(frozen=True)
class LineChange:
    before: ReportingLine
    after: ReportingLine

    @property
    def changes(self) -> list[str]:
        described = []
        if self.before.is_primary != self.after.is_primary:
            described.append("became primary" if self.after.is_primary else "became secondary")
        if self.before.cadence != self.after.cadence:
            described.append(
                f"cadence {self.before.get_cadence_display() or 'not set'} → "
                f"{self.after.get_cadence_display() or 'not set'}"
            )
        return described


@dataclass(frozen=True)
class StatusChange:
    body: Body
    before: str
    after: str


@dataclass(frozen=True)
class StructureDiff:
    before: Structure
    after: Structure
    bodies_added: list[Body]
    bodies_removed: list[Body]
    status_changes: list[StatusChange]
    lines_added: list[ReportingLine]
    lines_removed: list[ReportingLine]
    lines_changed: list[LineChange]

    @property
    def is_empty(self) -> bool:
        return not (
            self.bodies_added
            or self.bodies_removed
            or self.status_changes
            or self.lines_added
            or self.lines_removed
            or self.lines_changed
        )


def compare(partnership: Partnership, before: datetime.date, after: datetime.date) -> StructureDiff:
    old, new = structure_on(partnership, before), structure_on(partnership, after)
    old_bodies = {body.pk: body for body in old.bodies}
    new_bodies = {body.pk: body for body in new.bodies}
    old_lines = {line_key(line): line for line in old.lines}
    new_lines = {line_key(line): line for line in new.lines}
    return StructureDiff(
        before=old,
        after=new,
        bodies_added=[body for pk, body in new_bodies.items() if pk not in old_bodies],
        bodies_removed=[body for pk, body in old_bodies.items() if pk not in new_bodies],
        status_changes=[
            StatusChange(body, old_bodies[pk].status_on_date, body.status_on_date)
            for pk, body in new_bodies.items()
            if pk in old_bodies and old_bodies[pk].status_on_date != body.status_on_date
        ],
        lines_added=[line for key, line in new_lines.items() if key not in old_lines],
        lines_removed=[line for key, line in old_lines.items() if key not in new_lines],
        lines_changed=[
            LineChange(old_lines[key], line)
            for key, line in new_lines.items()
            if key in old_lines and LineChange(old_lines[key], line).changes
        ],
    )
