"""Import bodies, their lifecycles, reporting lines and meeting frequency from a CSV file.

The whole file is written inside one transaction through the services, so every rule the forms
enforce applies here too, rows are checked against each other as well as against the database,
and any problem rolls everything back: a file is imported whole or not at all.
"""

import datetime
import re
from dataclasses import dataclass, field
from functools import partial
from typing import ClassVar, NamedTuple

from django.core.exceptions import ValidationError

from .csvfiles import (
    ApproximateDate,
    CsvImportResult,
    Problem,
    RowError,
    choice_labels,
    length_problems,
    match_key,
    organisations_by_name,
    parse_choice,
    parse_date,
    read_cell,
    read_table,
    word_list,
    write_row,
    write_whole,
)
from .models import (
    FREQUENCY_LABELS,
    Body,
    BodyStatus,
    Organisation,
    Partnership,
    ReportingLine,
    TermsOfReference,
)
from .services import (
    add_reporting_line,
    check_status_history,
    create_body,
    draft_terms_of_reference,
    record_status_change,
    unique_slug,
)

COLUMNS = [
    "name",
    "type",
    "partnership",
    "reports_to",
    "frequency",
    "status",
    "status_on",
    "start",
    "end",
    "notes",
]
REQUIRED_COLUMNS = ["name", "type", "partnership"]

STARTING_STATUSES = {BodyStatus.PROPOSED, BodyStatus.SHADOW, BodyStatus.ACTIVE}
ENDING_STATUSES = {BodyStatus.DISBANDED, BodyStatus.REPLACED, BodyStatus.COMPLETED}

MOST_MEETINGS_A_YEAR = 52
FREQUENCY_WORDS = {
    "annual": 1,
    "annually": 1,
    "yearly": 1,
    "onceayear": 1,
    "twiceyearly": 2,
    "twiceayear": 2,
    "threetimesayear": 3,
    "quarterly": 4,
    "bimonthly": 6,
    "everytwomonths": 6,
    "monthly": 12,
}
TIMES_A_YEAR = re.compile(r"(\d+)(?:times(?:a|per)year)?")


@dataclass
class ImportResult(CsvImportResult):
    """What a structure import did, or with a dry run would do."""

    NOT_CHANGES: ClassVar[set[str]] = {"Bodies unchanged", "Warnings"}

    partnerships_created: list[str] = field(default_factory=list)
    bodies_created: list[str] = field(default_factory=list)
    bodies_unchanged: int = 0
    status_changes_added: int = 0
    reporting_lines_added: int = 0
    terms_drafted: int = 0

    @property
    def counts(self) -> list[tuple[str, int]]:
        return [
            ("Partnerships created", len(self.partnerships_created)),
            ("Bodies created", len(self.bodies_created)),
            ("Bodies unchanged", self.bodies_unchanged),
            ("Status changes added", self.status_changes_added),
            ("Reporting lines added", self.reporting_lines_added),
            ("Terms of reference drafted", self.terms_drafted),
            ("Warnings", len(self.warnings)),
        ]


class Step(NamedTuple):
    """A lifecycle status the file gives a body, and from when."""

    on: datetime.date
    precision: str
    status: str


@dataclass
class BodyRow:
    """One row of the file, read and checked on its own."""

    line: int
    name: str
    kind: str
    partnership: str
    reports_to: str
    meetings_per_year: int | None
    steps: list[Step]
    start: datetime.date | None
    notes: str


def import_structure(source: bytes | str, *, dry_run: bool = False, by=None) -> ImportResult:
    """Read the CSV file and import it whole, or report every problem and import nothing."""
    result = ImportResult(dry_run=dry_run)
    rows, unreadable = _read(source, result)
    if rows is None:
        return result
    write_whole(result, lambda: _Writer(result, failed_names=unreadable, by=by).write(rows))
    return result


# Reading --------------------------------------------------------------------------------------


def _read(source: bytes | str, result: ImportResult) -> tuple[list[BodyRow] | None, set[str]]:
    """The rows that read cleanly (None if the file cannot be read), and the names of the rest."""
    table = read_table(source, columns=COLUMNS, required=REQUIRED_COLUMNS, problems=result.problems)
    if table is None:
        return None, set()
    rows, seen, unreadable = [], {}, set()
    for line, cells in table:
        row = _read_row(line, cells, result)
        if row is None:
            unreadable.add(cells.get("name", "").casefold())
            continue
        key = (row.partnership.casefold(), row.name.casefold())
        if key in seen:
            result.problems.append(
                Problem(
                    line,
                    f"'{row.name}' is already on line {seen[key]} for {row.partnership}: "
                    "give each body one row",
                )
            )
            continue
        seen[key] = line
        rows.append(row)
    if not rows and not result.problems:
        result.problems.append(Problem(None, "The file has a header but no bodies below it."))
    return rows, unreadable


def _read_row(line: int, cells: dict[str, str], result: ImportResult) -> BodyRow | None:
    """The row as a BodyRow, or None after noting each of its problems."""
    problems = []
    read = partial(read_cell, cells, problems)
    for column in REQUIRED_COLUMNS:
        if not cells.get(column):
            hint = f". Use one of: {choice_labels(Body.Kind)}" if column == "type" else ""
            problems.append(f"{column} is empty{hint}")
    problems += length_problems(
        cells, [("name", Body, "name"), ("partnership", Partnership, "name")]
    )
    kind = read("type", lambda value, column: parse_choice(value, column, Body.Kind))
    status = read("status", lambda value, column: parse_choice(value, column, BodyStatus))
    meetings_per_year = read("frequency", _frequency)
    status_on, start, end = (read(column, parse_date) for column in ("status_on", "start", "end"))

    # start, status and end, in that order: sorting by date alone keeps it for steps on one day.
    begins_with, ends_with, status_used = BodyStatus.ACTIVE, BodyStatus.DISBANDED, False
    if start and status in STARTING_STATUSES and _same_day(status_on, start):
        begins_with, status_used = status, True
    if end and status in ENDING_STATUSES:
        ends_with, status_used = status, _same_day(status_on, end)
    steps = [Step(*start, begins_with)] if start else []
    if status and not status_used:
        if status_on:
            steps.append(Step(*status_on, status))
        elif not cells.get("status_on"):
            problems.append(f"status '{cells['status']}' needs a date in status_on")
    if end:
        steps.append(Step(*end, ends_with))
    if status_on and not cells.get("status"):
        problems.append("status_on has a date but status is empty")
    if start and end and end.on < start.on:
        problems.append(f"end ({cells['end']}) is before start ({cells['start']})")

    if problems:
        result.problems.extend(Problem(line, problem) for problem in problems)
        return None
    return BodyRow(
        line=line,
        name=cells["name"],
        kind=kind,
        partnership=cells["partnership"],
        reports_to=cells.get("reports_to", ""),
        meetings_per_year=meetings_per_year,
        steps=sorted(steps, key=lambda step: step.on),
        start=start.on if start else None,
        notes=cells.get("notes", ""),
    )


def _same_day(date: ApproximateDate | None, other: ApproximateDate) -> bool:
    """Whether `date` is empty or the same day as `other`, whatever their precision."""
    return date is None or date.on == other.on


def _frequency(value: str, column: str) -> int:
    key = match_key(value)
    words = FREQUENCY_WORDS | {match_key(label): count for count, label in FREQUENCY_LABELS.items()}
    if key in words:
        return words[key]
    number = TIMES_A_YEAR.fullmatch(key)
    if number and 1 <= int(number[1]) <= MOST_MEETINGS_A_YEAR:
        return int(number[1])
    raise RowError(
        f"unknown frequency '{value}'. Use a number of meetings a year from 1 to "
        f"{MOST_MEETINGS_A_YEAR}, or one of: {', '.join(FREQUENCY_LABELS.values())}"
    )


# Writing --------------------------------------------------------------------------------------


class _Writer:
    """Writes the rows through the services, noting each row's problem and carrying on."""

    def __init__(self, result: ImportResult, *, failed_names: set[str], by=None):
        self.result = result
        # Bodies named in the file that will not be written, so lines to them can be skipped.
        self.failed_names = set(failed_names)
        self.by = by
        self.partnerships: dict[str, Partnership] = {}
        self.organisations: dict[str, Organisation] | None = None
        self.bodies: dict[int, Body] = {}
        self.changed: set[int] = set()

    def write(self, rows: list[BodyRow]) -> None:
        # Bodies first, so a row may report to a body further down the file.
        for row in rows:
            if self._attempt(row, self._write_body) is None:
                self.failed_names.add(row.name.casefold())
        for row in rows:
            if row.reports_to and row.line in self.bodies:
                self._attempt(row, self._write_line)
        self.result.bodies_unchanged = sum(
            1 for body in self.bodies.values() if body.pk not in self.changed
        )

    def _attempt(self, row: BodyRow, write):
        """What write(row) returns, or None after noting the row's problem."""
        return write_row(lambda: write(row), line=row.line, problems=self.result.problems)

    def _partnership(self, name: str) -> Partnership:
        key = name.casefold()
        if key not in self.partnerships:
            partnership = Partnership.objects.filter(name__iexact=name).first()
            if partnership is None:
                partnership = Partnership.objects.create(
                    name=name, slug=unique_slug(Partnership, name)
                )
                self.result.partnerships_created.append(name)
            self.partnerships[key] = partnership
        return self.partnerships[key]

    def _write_body(self, row: BodyRow) -> Body:
        partnership = self._partnership(row.partnership)
        body = Body.objects.filter(partnership=partnership, name__iexact=row.name).first()
        if body is None:
            if not row.steps:
                raise ValidationError(
                    f"'{row.name}' is a new body: give its start date, or a status and status_on"
                )
            check_status_history((step.on, step.status) for step in row.steps)
            first, *new_steps = row.steps
            body = create_body(
                partnership=partnership,
                name=row.name,
                kind=row.kind,
                status=first.status,
                status_on=first.on,
                status_precision=first.precision,
                notes=row.notes,
                by=self.by,
            )
            self.result.bodies_created.append(row.name)
            self.result.status_changes_added += 1
            self.changed.add(body.pk)
        else:
            if body.kind != row.kind:
                self._warn(
                    row,
                    f"type differs from the database ({Body.Kind(row.kind).label} vs "
                    f"{body.get_kind_display()}); not changed",
                )
            recorded = list(body.status_changes.values_list("effective_on", "status"))
            new_steps = [step for step in row.steps if (step.on, step.status) not in recorded]
            check_status_history([*recorded, *((step.on, step.status) for step in new_steps)])
        for step in new_steps:
            record_status_change(
                body=body,
                status=step.status,
                effective_on=step.on,
                precision=step.precision,
                by=self.by,
            )
            self.result.status_changes_added += 1
            self.changed.add(body.pk)
        self._write_frequency(row, body)
        self.bodies[row.line] = body
        return body

    def _write_frequency(self, row: BodyRow, body: Body) -> None:
        if row.meetings_per_year is None:
            return
        terms = body.terms_of_reference.filter(status=TermsOfReference.Status.AGREED).first()
        terms = terms or body.terms_of_reference.order_by("-version").first()
        if terms is None:
            terms = draft_terms_of_reference(body=body, by=self.by)
            terms.meetings_per_year = row.meetings_per_year
            terms.save(update_fields=["meetings_per_year", "updated_at"])
            self.result.terms_drafted += 1
            self.changed.add(body.pk)
        elif terms.meetings_per_year != row.meetings_per_year:
            # Terms of reference change by agreement at a meeting, never by a spreadsheet.
            self._warn(
                row,
                f"frequency differs from the {terms.get_status_display().lower()} terms of "
                f"reference ({row.meetings_per_year} vs {terms.meetings_per_year or 'not stated'})"
                "; not changed",
            )

    def _write_line(self, row: BodyRow) -> None:
        body = self.bodies[row.line]
        target = self._target(row, body.partnership)
        if target is None:
            return
        to_body = target if isinstance(target, Body) else None
        to_organisation = target if isinstance(target, Organisation) else None
        already = (
            ReportingLine.objects.primary()
            .filter(from_body=body, to_body=to_body, to_organisation=to_organisation)
            .current_between(row.start, None)
        )
        if already.exists():
            return
        add_reporting_line(
            from_body=body,
            to_body=to_body,
            to_organisation=to_organisation,
            kind=ReportingLine.Kind.REPORTS_TO,
            starts_on=row.start,
            is_primary=True,
            by=self.by,
        )
        self.result.reporting_lines_added += 1
        self.changed.add(body.pk)

    def _target(self, row: BodyRow, partnership: Partnership) -> Body | Organisation | None:
        """The body or organisation named in reports_to; None if it is a row that failed."""
        name = row.reports_to
        same_partnership = Body.objects.filter(partnership=partnership, name__iexact=name)
        if body := same_partnership.first():
            return body
        if name.casefold() in self.failed_names:
            # That row has problems of its own, already reported.
            return None
        elsewhere = list(Body.objects.filter(name__iexact=name).select_related("partnership"))
        if len(elsewhere) == 1:
            return elsewhere[0]
        if elsewhere:
            partnerships = word_list(sorted(body.partnership.name for body in elsewhere))
            raise ValidationError(
                f"reports_to '{name}' could be the body of that name in {partnerships}: "
                "add it to the file under this partnership, or rename one"
            )
        if organisation := self._organisation(name):
            return organisation
        raise ValidationError(f"reports_to '{name}' is not a body in the file or the database")

    def _organisation(self, name: str) -> Organisation | None:
        if self.organisations is None:
            self.organisations = organisations_by_name()
        return self.organisations.get(name.casefold())

    def _warn(self, row: BodyRow, message: str) -> None:
        self.result.warnings.append(Problem(row.line, message))
