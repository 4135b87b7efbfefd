"""Import bodies, their lifecycles, reporting lines and meeting frequency from a CSV file.

The whole file is written inside one transaction through the services, so every rule the forms
enforce applies here too, rows are checked against each other as well as against the database,
and any problem rolls everything back: a file is imported whole or not at all.
"""

import csv
import datetime
import io
import re
from dataclasses import dataclass, field
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import TextChoices

from .models import (
    FREQUENCY_LABELS,
    Body,
    BodyStatus,
    DatePrecision,
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
HEADER_HELP = f"The first line must name the columns: {','.join(COLUMNS)}"

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

DATE_PATTERNS = [
    (re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})"), DatePrecision.DAY),
    (re.compile(r"(\d{4})-(\d{1,2})"), DatePrecision.MONTH),
    (re.compile(r"(\d{4})"), DatePrecision.YEAR),
]


@dataclass(frozen=True)
class Problem:
    """Something wrong with the file, or worth knowing about it, at a line (1 is the header)."""

    line: int | None
    message: str

    def __str__(self):
        return f"Line {self.line}: {self.message}" if self.line else self.message


# Counts in ImportResult.counts that are not changes to the database.
NOT_CHANGES = {"Bodies unchanged", "Warnings"}


@dataclass
class ImportResult:
    """What an import did, or with a dry run would do; with any problems it did nothing."""

    dry_run: bool = False
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    partnerships_created: list[str] = field(default_factory=list)
    bodies_created: list[str] = field(default_factory=list)
    bodies_unchanged: int = 0
    status_changes_added: int = 0
    reporting_lines_added: int = 0
    terms_drafted: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems

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

    def describe(self) -> str:
        """The changes in one sentence, for a message after importing."""
        changes = [
            f"{label.lower()}: {count}"
            for label, count in self.counts
            if count and label not in NOT_CHANGES
        ]
        if not changes:
            return "Nothing changed: everything in the file was already recorded."
        return f"Imported the file. {'; '.join(changes).capitalize()}."


class ApproximateDate(NamedTuple):
    """A date as precise as the source: 2009 is stored as 1 January 2009, with precision year."""

    on: datetime.date
    precision: str


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


class RowError(Exception):
    """A problem with one value of a row."""


def import_structure(source: bytes | str, *, dry_run: bool = False, by=None) -> ImportResult:
    """Read the CSV file and import it whole, or report every problem and import nothing."""
    result = ImportResult(dry_run=dry_run)
    rows, unreadable = _read(source, result)
    if rows is None:
        return result
    with transaction.atomic():
        _Writer(result, failed_names=unreadable, by=by).write(rows)
        if result.problems or dry_run:
            transaction.set_rollback(True)
    result.problems.sort(key=lambda problem: problem.line or 0)
    result.warnings.sort(key=lambda warning: warning.line or 0)
    return result


# Reading --------------------------------------------------------------------------------------


def _read(source: bytes | str, result: ImportResult) -> tuple[list[BodyRow] | None, set[str]]:
    """The rows that read cleanly (None if the file cannot be read), and the names of the rest."""
    if isinstance(source, bytes):
        try:
            # utf-8-sig also accepts files without the byte order mark Excel adds.
            text = source.decode("utf-8-sig")
        except UnicodeDecodeError:
            result.problems.append(
                Problem(
                    None,
                    "The file is not UTF-8 text. Save it as 'CSV UTF-8 (Comma delimited)' "
                    "and try again.",
                )
            )
            return None, set()
    else:
        text = source.removeprefix("\ufeff")

    reader = csv.reader(io.StringIO(text, newline=""))
    records = []
    try:
        last_line = 0
        for values in reader:
            # A quoted value can run over several lines; a row is numbered by its first.
            records.append((last_line + 1, values))
            last_line = reader.line_num
    except csv.Error as error:
        result.problems.append(
            Problem(reader.line_num, f"the file could not be read as CSV ({error})")
        )
        return None, set()

    if not records or not any(value.strip() for value in records[0][1]):
        result.problems.append(Problem(None, f"The file is empty. {HEADER_HELP}"))
        return None, set()
    columns = _read_header(records[0][1], result)
    if columns is None:
        return None, set()

    rows, seen, unreadable = [], {}, set()
    for line, values in records[1:]:
        if not any(value.strip() for value in values):
            continue
        if len(values) > len(columns):
            result.problems.append(
                Problem(line, f"it has {len(values)} values but the header has {len(columns)}")
            )
            continue
        cells = dict(zip(columns, [value.strip() for value in values], strict=False))
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


def _read_header(values: list[str], result: ImportResult) -> list[str] | None:
    # Spreadsheet users write "Reports to" or "status-on" as often as reports_to.
    columns = [re.sub(r"[\s-]+", "_", value.strip().lower()) for value in values]
    unknown = [
        value
        for value, column in zip(values, columns, strict=True)
        if column and column not in COLUMNS
    ]
    missing = [column for column in REQUIRED_COLUMNS if column not in columns]
    repeated = sorted({column for column in columns if column and columns.count(column) > 1})
    problems = []
    if len(values) == 1 and re.search(r"[;\t]", values[0]):
        problems.append("the values are separated by semicolons or tabs: save it as CSV (commas)")
    elif missing or unknown:
        found = [f"no {_or(missing)} column"] if missing else []
        plural = "s" if len(unknown) > 1 else ""
        found += (
            [f"unknown column{plural} {_or(unknown, quote=True, last='and')}"] if unknown else []
        )
        problems.append(f"the header has {' and '.join(found)}. {HEADER_HELP}")
    if repeated:
        problems.append(f"the header names {_or(repeated)} more than once")
    result.problems.extend(Problem(1, problem) for problem in problems)
    return None if problems else columns


def _read_row(line: int, cells: dict[str, str], result: ImportResult) -> BodyRow | None:
    """The row as a BodyRow, or None after noting each of its problems."""
    problems = []

    def read(column, parse):
        value = cells.get(column, "")
        try:
            return parse(value, column) if value else None
        except RowError as error:
            problems.append(str(error))
            return None

    for column in REQUIRED_COLUMNS:
        if not cells.get(column):
            hint = f". Use one of: {_labels(Body.Kind)}" if column == "type" else ""
            problems.append(f"{column} is empty{hint}")
    for column, model in [("name", Body), ("partnership", Partnership)]:
        longest = model._meta.get_field("name").max_length
        if len(cells.get(column, "")) > longest:
            problems.append(f"{column} is longer than {longest} characters")
    kind = read("type", lambda value, column: _choice(value, column, Body.Kind))
    status = read("status", lambda value, column: _choice(value, column, BodyStatus))
    meetings_per_year = read("frequency", _frequency)
    status_on, start, end = (read(column, _date) for column in ("status_on", "start", "end"))

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


def _key(text: str) -> str:
    """Lower-case letters and digits only, so "Thematic sub-group" matches thematic_subgroup."""
    return "".join(character for character in text.casefold() if character.isalnum())


def _labels(choices: type[TextChoices]) -> str:
    return ", ".join(str(label) for label in choices.labels)


def _choice(value: str, column: str, choices: type[TextChoices]) -> str:
    for code, label in choices.choices:
        if _key(value) in (_key(code), _key(str(label))):
            return code
    raise RowError(f"unknown {column} '{value}'. Use one of: {_labels(choices)}")


def _frequency(value: str, column: str) -> int:
    key = _key(value)
    words = FREQUENCY_WORDS | {_key(label): count for count, label in FREQUENCY_LABELS.items()}
    if key in words:
        return words[key]
    number = TIMES_A_YEAR.fullmatch(key)
    if number and 1 <= int(number[1]) <= MOST_MEETINGS_A_YEAR:
        return int(number[1])
    raise RowError(
        f"unknown frequency '{value}'. Use a number of meetings a year from 1 to "
        f"{MOST_MEETINGS_A_YEAR}, or one of: {', '.join(FREQUENCY_LABELS.values())}"
    )


def _date(value: str, column: str) -> ApproximateDate:
    for pattern, precision in DATE_PATTERNS:
        parts = pattern.fullmatch(value)
        if parts:
            year, month, day = (*map(int, parts.groups()), 1, 1)[:3]
            try:
                return ApproximateDate(datetime.date(year, month, day), precision)
            except ValueError:
                break
    raise RowError(f"bad date '{value}' in {column}: use YYYY-MM-DD, YYYY-MM or YYYY")


def _or(items: list[str], *, quote: bool = False, last: str = "or") -> str:
    items = [f"'{item}'" if quote else item for item in items]
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} {last} {items[-1]}"


def _describe(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return " ".join(
            f"{name}: {message}" if name != "__all__" else message
            for name, messages in error.message_dict.items()
            for message in messages
        )
    return " ".join(error.messages)


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
            if not self._attempt(row, self._write_body):
                self.failed_names.add(row.name.casefold())
        for row in rows:
            if row.reports_to and row.line in self.bodies:
                self._attempt(row, self._write_line)
        self.result.bodies_unchanged = sum(
            1 for body in self.bodies.values() if body.pk not in self.changed
        )

    def _attempt(self, row: BodyRow, write) -> bool:
        try:
            # A savepoint per row, so after one row fails the others can still be checked.
            with transaction.atomic():
                write(row)
        except ValidationError as error:
            self.result.problems.append(Problem(row.line, _describe(error)))
            return False
        except IntegrityError as error:
            # The constraints are the last word when someone else changed the same body meanwhile.
            first_line = str(error).splitlines()[0]
            message = f"it clashes with what is recorded ({first_line}): check the file again"
            self.result.problems.append(Problem(row.line, message))
            return False
        return True

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

    def _write_body(self, row: BodyRow) -> None:
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
            partnerships = _or(sorted(body.partnership.name for body in elsewhere))
            raise ValidationError(
                f"reports_to '{name}' could be the body of that name in {partnerships}: "
                "add it to the file under this partnership, or rename one"
            )
        if organisation := self._organisation(name):
            return organisation
        raise ValidationError(f"reports_to '{name}' is not a body in the file or the database")

    def _organisation(self, name: str) -> Organisation | None:
        if self.organisations is None:
            self.organisations = {}
            for organisation in Organisation.objects.all():
                for known_as in [organisation.name, organisation.short_name, *organisation.aliases]:
                    if known_as:
                        self.organisations.setdefault(known_as.casefold(), organisation)
        return self.organisations.get(name.casefold())

    def _warn(self, row: BodyRow, message: str) -> None:
        self.result.warnings.append(Problem(row.line, message))
