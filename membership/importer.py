"""Rosters as files: import seats and who holds them from CSV; export a roster as CSV or XLSX.

Both directions use the same columns, so an exported roster imports again unchanged. Importing
works like the structure import (decision 0006): every row goes through the membership services
inside one transaction with a savepoint per row, so the chair, job-share and one-person-per-seat
rules are never re-implemented, every row's problem is collected with its line, any problem rolls
the whole file back, and a dry run is the same import, always rolled back.
"""

import csv
import datetime
import io
from collections import defaultdict
from dataclasses import dataclass, field
from functools import partial
from typing import ClassVar, NamedTuple

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from openpyxl import Workbook

from partnerships.csvfiles import (
    CsvImportResult,
    Problem,
    RowError,
    length_problems,
    organisations_by_name,
    parse_choice,
    parse_date,
    read_cell,
    read_table,
    word_list,
    write_row,
    write_whole,
)
from partnerships.models import Body, Organisation

from .models import Constituency, Membership, Person, Seat, SeatRole
from .services import appoint, check_holding, create_seat, end_membership
from .visibility import WITHHELD_NAME, shown_name

COLUMNS = [
    "body",
    "seat",
    "person",
    "organisation",
    "role",
    "represents",
    "arrangement",
    "starts_on",
    "ends_on",
    "voting",
    "notes",
]
REQUIRED_COLUMNS = ["body", "seat"]

Arrangement = Membership.Arrangement
HONORIFICS = {
    "councillor",
    "cllr",
    "dr",
    "professor",
    "prof",
    "mr",
    "mrs",
    "ms",
    "miss",
    "mx",
    "sir",
    "dame",
    "rev",
    "revd",
}
VACANT = {"", "vacancy", "vacant"}
ROLE_ALIASES = {"adviser": SeatRole.ADVISOR}
YES, NO = {"yes", "y"}, {"no", "n"}
# Seats hold at most four people at once (a database constraint).
MOST_HOLDERS = 4
# A spreadsheet runs a cell starting with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass
class RosterImportResult(CsvImportResult):
    """What a roster import did, or with a dry run would do."""

    NOT_CHANGES: ClassVar[set[str]] = {
        "Holdings unchanged",
        "People named",
        "Vacant seats",
        "Warnings",
    }

    seats_created: list[str] = field(default_factory=list)
    people_created: list[str] = field(default_factory=list)
    organisations_created: list[str] = field(default_factory=list)
    holdings_added: int = 0
    holdings_ended: int = 0
    holdings_unchanged: int = 0
    people_named: set[str] = field(default_factory=set)
    vacant_seats: list[str] = field(default_factory=list)
    body_slugs: list[str] = field(default_factory=list)

    @property
    def counts(self) -> list[tuple[str, int]]:
        return [
            ("Seats created", len(self.seats_created)),
            ("People created", len(self.people_created)),
            ("Organisations created", len(self.organisations_created)),
            ("Holdings added", self.holdings_added),
            ("Holdings ended", self.holdings_ended),
            ("Holdings unchanged", self.holdings_unchanged),
            ("People named", len(self.people_named)),
            ("Vacant seats", len(self.vacant_seats)),
            ("Warnings", len(self.warnings)),
        ]


class Name(NamedTuple):
    """A person as the file names them, with any title kept apart from the name."""

    honorific: str
    name: str

    @property
    def full(self) -> str:
        return f"{self.honorific} {self.name}".strip()


@dataclass
class RosterRow:
    """One row of the file, read and checked on its own."""

    line: int
    body: str
    seat: str
    people: list[Name]
    organisation: str
    role: str | None
    represents: str
    arrangement: str | None
    starts_on: datetime.date | None
    ends_on: datetime.date | None
    voting: bool | None
    notes: str

    @property
    def seat_key(self) -> tuple[str, str]:
        return self.body.casefold(), self.seat.casefold()

    @property
    def rotation(self) -> bool:
        return self.arrangement == Arrangement.ROTATION

    @property
    def vacancy(self) -> bool:
        return not self.people and not self.rotation

    def overlaps(self, other: "RosterRow") -> bool:
        never = datetime.date.max
        return self.starts_on < (other.ends_on or never) and other.starts_on < (
            self.ends_on or never
        )


@dataclass
class SeatPlan:
    """What the file's rows for one seat say about the seat itself."""

    role: str | None = None
    voting: bool | None = None
    represents: str = ""
    nominated_by: str = ""
    rotation: bool = False
    holders_at_once: int = 1
    # column -> the line that first gave it, to point at when another row disagrees
    given_on: dict[str, int] = field(default_factory=dict)


def import_roster(source: bytes | str, *, dry_run: bool = False, by=None) -> RosterImportResult:
    """Read the CSV file and import it whole, or report every problem and import nothing."""
    result = RosterImportResult(dry_run=dry_run)
    rows = _read(source, result)
    if rows is None:
        return result
    plans = _plan_seats(rows, result)
    # A row that disagrees with another is reported once, not again by the services.
    failed = {problem.line for problem in result.problems}
    rows = [row for row in rows if row.line not in failed]
    write_whole(result, lambda: _Writer(result, plans, by=by).write(rows))
    return result


# Reading --------------------------------------------------------------------------------------


def _read(source: bytes | str, result: RosterImportResult) -> list[RosterRow] | None:
    """The rows that read cleanly, or None if the file cannot be read at all."""
    records = read_table(
        source, columns=COLUMNS, required=REQUIRED_COLUMNS, problems=result.problems
    )
    if records is None:
        return None
    rows, first_seen = [], {}
    for line, cells in records:
        # The same text in every column, whatever its case or spacing, says nothing new.
        same = tuple(" ".join(cells.get(column, "").split()).casefold() for column in COLUMNS)
        if same in first_seen:
            result.warnings.append(Problem(line, f"the same as line {first_seen[same]}; skipped"))
            continue
        first_seen[same] = line
        if row := _read_row(line, cells, result):
            rows.append(row)
    if not records:
        result.problems.append(Problem(None, "The file has a header but no seats below it."))
    return rows


def _read_row(line: int, cells: dict[str, str], result: RosterImportResult) -> RosterRow | None:
    """The row as a RosterRow, or None after noting each of its problems."""
    problems = []
    read = partial(read_cell, cells, problems)
    for column in REQUIRED_COLUMNS:
        if not cells.get(column):
            problems.append(f"{column} is empty")
    problems += length_problems(
        cells,
        [
            ("seat", Seat, "label"),
            ("organisation", Organisation, "name"),
            ("represents", Constituency, "name"),
            ("notes", Membership, "notes"),
        ],
    )
    role = read("role", _role)
    arrangement = read(
        "arrangement", lambda value, column: parse_choice(value, column, Arrangement)
    )
    voting = read("voting", _yes_or_no)
    starts_on, ends_on = (read(column, parse_date) for column in ("starts_on", "ends_on"))
    starts_on, ends_on = (date.on if date else None for date in (starts_on, ends_on))

    person = cells.get("person", "")
    people = []
    if arrangement == Arrangement.ROTATION:
        # The person cell of a group seat describes the group ("Youth Cabinet Members").
        if not cells.get("organisation"):
            problems.append("a seat filled in rotation needs the organisation that fills it")
    elif person.casefold() == WITHHELD_NAME.casefold():
        problems.append(
            f"'{person}' is not a name: this file is a public export. Export the roster "
            "signed in as a partnership manager to get the names."
        )
    elif person.casefold() not in VACANT:
        # "Simon Hairsnape/ Lynn Takavarasha": two people sharing the seat.
        people = [_name(written) for written in person.split("/") if written.strip()]
        longest = Person._meta.get_field("name").max_length
        if any(len(name.name) > longest for name in people):
            problems.append(f"person is longer than {longest} characters")
    if (people or arrangement == Arrangement.ROTATION) and not cells.get("starts_on"):
        problems.append("starts_on is empty: give the date the seat was taken (YYYY-MM-DD)")
    if starts_on and ends_on and ends_on <= starts_on:
        problems.append(
            f"ends_on ({cells['ends_on']}) is not after starts_on ({cells['starts_on']})"
        )

    if problems:
        result.problems.extend(Problem(line, problem) for problem in problems)
        return None
    return RosterRow(
        line=line,
        body=cells["body"],
        seat=cells["seat"],
        people=people,
        organisation=cells.get("organisation", ""),
        role=role,
        represents=cells.get("represents", ""),
        arrangement=arrangement,
        starts_on=starts_on,
        ends_on=ends_on,
        voting=voting,
        notes=cells.get("notes", ""),
    )


def _name(written: str) -> Name:
    """Split "Councillor Marcus Hart" into the honorific Councillor and the name Marcus Hart."""
    words = written.split()
    titles = []
    # Keep at least one word as the name: "Miss" alone is a name, not a title.
    while len(words) > 1 and words[0].rstrip(".").casefold() in HONORIFICS:
        titles.append(words.pop(0))
    return Name(" ".join(titles), " ".join(words))


def _role(value: str, column: str) -> str:
    if alias := ROLE_ALIASES.get(value.casefold()):
        return alias
    return parse_choice(value, column, SeatRole)


def _yes_or_no(value: str, column: str) -> bool:
    if value.casefold() in YES | NO:
        return value.casefold() in YES
    raise RowError(f"{column} must be yes or no, not '{value}'")


def _plan_seats(rows: list[RosterRow], result: RosterImportResult) -> dict:
    """Check the rows for each seat against each other, and settle what the seat is like."""
    by_seat = defaultdict(list)
    for row in rows:
        by_seat[row.seat_key].append(row)
    plans = {}
    for key, seat_rows in by_seat.items():
        plan = plans[key] = SeatPlan()
        for row in seat_rows:
            for column in ("role", "voting", "represents"):
                value = getattr(row, column)
                if value is None or value == "":
                    continue
                if column not in plan.given_on:
                    setattr(plan, column, value)
                    plan.given_on[column] = row.line
                elif _same(getattr(plan, column)) != _same(value):
                    result.problems.append(
                        Problem(
                            row.line,
                            f"{column} differs from line {plan.given_on[column]} for the same "
                            f"seat '{row.seat}': a seat has one {column}",
                        )
                    )
            if row.vacancy and row.organisation and not plan.nominated_by:
                plan.nominated_by = row.organisation
            plan.rotation = plan.rotation or row.rotation
        held = [row for row in seat_rows if not row.vacancy]
        _check_holders(held, result)
        holders = [(row, name) for row in held for name in (row.people or [None])]
        at_once = {
            id(row): sum(
                1
                for other, _ in holders
                if other.starts_on <= row.starts_on and row.overlaps(other)
            )
            for row, _ in holders
        }
        plan.holders_at_once = min(max(at_once.values(), default=1), MOST_HOLDERS)
        for row in held:
            if row.arrangement is None:
                shared = at_once[id(row)] > 1 or any(
                    other is not row and row.overlaps(other) for other, _ in holders
                )
                row.arrangement = Arrangement.JOB_SHARE if shared else Arrangement.SOLE
    return plans


def _check_holders(rows: list[RosterRow], result: RosterImportResult) -> None:
    """The same person on two rows for one seat at the same time is a mistake in the file."""
    seen: list[tuple[RosterRow, Name]] = []
    for row in rows:
        for name in row.people:
            clash = next(
                (
                    earlier
                    for earlier, other in seen
                    if other.name.casefold() == name.name.casefold() and earlier.overlaps(row)
                ),
                None,
            )
            if clash is row:
                result.problems.append(Problem(row.line, f"{name.name} is named twice"))
            elif clash:
                result.problems.append(
                    Problem(
                        row.line,
                        f"{name.name} is already on line {clash.line} for '{row.seat}' at the "
                        "same time: give each holder of a seat one row",
                    )
                )
            seen.append((row, name))


def _same(value):
    return value.casefold() if isinstance(value, str) else value


# Writing --------------------------------------------------------------------------------------


class _Writer:
    """Writes the rows through the services, noting each row's problem and carrying on.

    People and organisations are looked up from dictionaries built once. One created in a row that
    then fails stays in them, harmlessly: a failed row means the whole file is rolled back.
    """

    def __init__(self, result: RosterImportResult, plans: dict, *, by=None):
        self.result = result
        self.plans = plans
        self.by = by
        self.bodies: dict[str, Body] = {}
        self.people: dict[str, list[Person]] | None = None
        self.organisations: dict[str, Organisation] | None = None
        self.compared: set[int] = set()

    def write(self, rows: list[RosterRow]) -> None:
        for row in rows:
            # The seat and its holders in separate savepoints, so a refused holder leaves the
            # seat in place and later rows for the seat report their own problems, not its.
            seat = self._attempt(row, self._seat)
            if seat is None:
                continue
            if row.vacancy:
                self.result.vacant_seats.append(f"{seat.body.name}: {seat.label}")
                if row.notes:
                    self._warn(row, "notes are kept with a holder, so a vacancy's are not kept")
            else:
                self._attempt(row, lambda row, seat=seat: self._holders(row, seat))

    def _attempt(self, row: RosterRow, write):
        """What write(row) returns, or None after noting the row's problem."""
        return write_row(lambda: write(row), line=row.line, problems=self.result.problems)

    # Seats

    def _body(self, name: str) -> Body:
        key = name.casefold()
        if key not in self.bodies:
            self.bodies[key] = _find_body(name)
            if self.bodies[key].slug not in self.result.body_slugs:
                self.result.body_slugs.append(self.bodies[key].slug)
        return self.bodies[key]

    def _seat(self, row: RosterRow) -> Seat:
        body = self._body(row.body)
        plan = self.plans[row.seat_key]
        seat = (
            Seat.objects.filter(body=body, label__iexact=row.seat)
            .select_related("body", "represents", "ex_officio_of")
            .first()
        )
        if seat is None:
            fields = {"max_holders": plan.holders_at_once}
            if plan.voting is not None:
                fields["voting"] = plan.voting
            if plan.represents:
                fields["represents"] = _constituency(plan.represents)
            if plan.nominated_by:
                fields["nominating_organisation"] = self._organisation(plan.nominated_by)
            if plan.rotation:
                fields["kind"] = Seat.Kind.ROTATION
            seat = create_seat(
                body=body, label=row.seat, role=plan.role or SeatRole.MEMBER, by=self.by, **fields
            )
            self.result.seats_created.append(f"{body.name}: {row.seat}")
        elif seat.pk not in self.compared:
            self._compare(row, seat, plan)
        self.compared.add(seat.pk)
        return seat

    def _compare(self, row: RosterRow, seat: Seat, plan: SeatPlan) -> None:
        """Warn where the file describes a recorded seat differently: a file never edits one."""
        differences = []
        if plan.role and plan.role != seat.role:
            differences.append(f"role ({SeatRole(plan.role).label} vs {seat.get_role_display()})")
        if plan.voting is not None and plan.voting != seat.voting:
            differences.append(f"voting ({_yes_no(plan.voting)} vs {_yes_no(seat.voting)})")
        recorded = seat.represents.name if seat.represents else "nobody"
        if plan.represents and plan.represents.casefold() != recorded.casefold():
            differences.append(f"represents ({plan.represents} vs {recorded})")
        if differences:
            self._warn(
                row,
                f"'{seat.label}' is recorded with a different {' and '.join(differences)}; "
                "not changed",
            )

    # Holders

    def _holders(self, row: RosterRow, seat: Seat) -> None:
        if seat.kind == Seat.Kind.EX_OFFICIO:
            self._ex_officio(row, seat)
            return
        organisation = self._organisation(row.organisation) if row.organisation else None
        if row.rotation:
            self._hold(row, seat, None, organisation)
        for name in row.people:
            person = self._person(name) or self._new_person(name)
            if organisation:
                person.organisations.add(organisation)
            self.result.people_named.add(person.full_name)
            self._hold(row, seat, person, organisation)

    def _hold(self, row: RosterRow, seat: Seat, person: Person | None, organisation) -> None:
        """Appoint the holder, unless the same holding (seat, holder, start) is recorded."""
        same = Membership.objects.filter(seat=seat, starts_on=row.starts_on)
        if person:
            same = same.filter(person=person)
        else:
            same = same.filter(person__isnull=True, organisation=organisation)
        recorded = same.first()
        if recorded is None:
            appoint(
                seat=seat,
                starts_on=row.starts_on,
                person=person,
                organisation=organisation,
                arrangement=row.arrangement,
                ends_on=row.ends_on,
                notes=row.notes,
                by=self.by,
            )
            self.result.holdings_added += 1
        elif recorded.ends_on == row.ends_on:
            self.result.holdings_unchanged += 1
        elif recorded.ends_on is None:
            end_membership(membership=recorded, ends_on=row.ends_on, by=self.by)
            self.result.holdings_ended += 1
        else:
            self.result.holdings_unchanged += 1
            self._warn(
                row,
                f"{person or organisation} is recorded as leaving '{seat.label}' on "
                f"{recorded.ends_on.isoformat()}, not {_iso(row.ends_on) or 'never'}; not changed",
            )

    def _ex_officio(self, row: RosterRow, seat: Seat) -> None:
        """A row for an ex officio seat only confirms who holds its source seat then."""
        source_holders = set(
            Membership.objects.current(row.starts_on)
            .filter(seat=seat.ex_officio_of)
            .values_list("person_id", flat=True)
        )
        people = [self._person(name) for name in row.people]
        if row.rotation or any(
            person is None or person.pk not in source_holders for person in people
        ):
            # Raises the services' explanation: appoint to the source seat instead.
            check_holding(Membership(seat=seat, starts_on=row.starts_on))
        for person in people:
            self.result.people_named.add(person.full_name)
            self.result.holdings_unchanged += 1

    # People and organisations

    def _person(self, name: Name) -> Person | None:
        if self.people is None:
            self.people = defaultdict(list)
            for person in Person.objects.all():
                self._remember(person)
        # A title this module does not know stays in the name; the whole text still matches.
        found = self.people.get(name.name.casefold()) or self.people.get(name.full.casefold())
        if found and len(found) > 1:
            raise ValidationError(
                f"more than one person is recorded as '{name.name}', so the file cannot say "
                "which: appoint them on the roster page instead"
            )
        return found[0] if found else None

    def _new_person(self, name: Name) -> Person:
        person = Person.objects.create(name=name.name, honorific=name.honorific)
        self._remember(person)
        self.result.people_created.append(person.full_name)
        return person

    def _remember(self, person: Person) -> None:
        for known_as in {person.name, person.full_name, *person.aliases}:
            self.people[known_as.casefold()].append(person)

    def _organisation(self, name: str) -> Organisation:
        if self.organisations is None:
            self.organisations = organisations_by_name()
        if name.casefold() not in self.organisations:
            self.organisations[name.casefold()] = Organisation.objects.create(name=name)
            self.result.organisations_created.append(name)
        return self.organisations[name.casefold()]

    def _warn(self, row: RosterRow, message: str) -> None:
        self.result.warnings.append(Problem(row.line, message))


def _find_body(name: str) -> Body:
    if body := Body.objects.filter(slug__iexact=name).first():
        return body
    named = list(Body.objects.filter(name__iexact=name).select_related("partnership"))
    if len(named) == 1:
        return named[0]
    if named:
        named.sort(key=lambda body: body.partnership.name)
        raise ValidationError(
            f"body '{name}' could be the body of that name in "
            f"{word_list([body.partnership.name for body in named])}: write its slug instead "
            f"({word_list([body.slug for body in named])})"
        )
    raise ValidationError(f"body '{name}' is not recorded: write a body's name or slug")


def _constituency(name: str) -> Constituency:
    return Constituency.objects.filter(name__iexact=name).first() or (
        Constituency.objects.create(name=name)
    )


# Exporting ------------------------------------------------------------------------------------


def roster_rows(body: Body, *, on: datetime.date, names_visible: bool) -> list[list]:
    """The roster on a date in the import's columns: a row per holder, or per vacant seat."""
    current = (
        Membership.objects.current(on)
        .select_related("person", "organisation")
        .order_by("starts_on", "person__sort_name", "pk")
    )
    seats = (
        body.seats.current(on)
        .select_related("represents", "nominating_organisation", "ex_officio_of__body")
        .prefetch_related(
            Prefetch("memberships", queryset=current, to_attr="holdings"),
            Prefetch("ex_officio_of__memberships", queryset=current, to_attr="holdings"),
        )
        .order_by("order", "pk")
    )
    rows = []
    for seat in seats:
        source = seat.ex_officio_of
        holdings = source.holdings if source else seat.holdings
        seat_cells = {
            "body": body.slug,
            "seat": seat.label,
            "role": seat.get_role_display(),
            "represents": seat.represents.name if seat.represents else "",
            "voting": seat.voting,
        }
        if not holdings:
            nominated_by = seat.nominating_organisation
            rows.append(
                _in_columns(seat_cells, organisation=nominated_by.name if nominated_by else "")
            )
        for holding in holdings:
            person = holding.person
            withheld = person is not None and not (person.publish_name or names_visible)
            notes = f"Ex officio: {source.label}, {source.body.name}" if source else holding.notes
            rows.append(
                _in_columns(
                    seat_cells,
                    person=shown_name(person, names_visible=names_visible) if person else "",
                    organisation=holding.organisation.name if holding.organisation else "",
                    arrangement=holding.get_arrangement_display(),
                    starts_on=holding.starts_on,
                    ends_on=holding.ends_on,
                    # Notes may name the person, so they go with the name.
                    notes="" if withheld else notes,
                )
            )
    return rows


def _in_columns(seat_cells: dict, **cells) -> list:
    cells = seat_cells | cells
    return [cells.get(column, "") for column in COLUMNS]


def as_csv(rows: list[list]) -> bytes:
    """The rows under the header, as CSV that Excel opens as UTF-8."""
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(COLUMNS)
    writer.writerows([_defused(_text(value)) for value in row] for row in rows)
    return text.getvalue().encode("utf-8-sig")


def as_xlsx(rows: list[list]) -> bytes:
    """The rows under the header, as a workbook with one sheet."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Roster"
    for row_number, row in enumerate([COLUMNS, *rows], start=1):
        for column_number, value in enumerate(row, start=1):
            cell = sheet.cell(row=row_number, column=column_number)
            if isinstance(value, datetime.date):
                cell.value = value
                cell.number_format = "yyyy-mm-dd"
            elif text := _defused(_text(value)):
                cell.value = text
                # Text, whatever it starts with: openpyxl would store "=…" as a formula.
                cell.data_type = "s"
    content = io.BytesIO()
    workbook.save(content)
    return content.getvalue()


def _text(value) -> str:
    if isinstance(value, bool):
        return _yes_no(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value or ""


def _defused(text: str) -> str:
    """The text with a leading apostrophe if a spreadsheet would run it as a formula."""
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def _yes_no(value: bool) -> str:
    return "yes" if value else "no"


def _iso(value: datetime.date | None) -> str:
    return value.isoformat() if value else ""
