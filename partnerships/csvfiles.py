"""What the CSV importers share: reading the file, its header and values, and reporting problems.

The structure import (decision 0006) and the roster import (decision 0008) read a spreadsheet saved
as CSV the same way, write it whole or not at all, and offer the same upload page and command.
What each one's columns mean, and what it writes, stays in its own importer.
"""

import csv
import datetime
import io
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, ClassVar, NamedTuple

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import IntegrityError, transaction
from django.db.models import Model, TextChoices
from django.shortcuts import redirect, render

from .models import DatePrecision, Organisation

# Problems and results ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """Something wrong with the file, or worth knowing about it, at a line (1 is the header)."""

    line: int | None
    message: str

    def __str__(self):
        return f"Line {self.line}: {self.message}" if self.line else self.message


class RowError(Exception):
    """A problem with one value of a row."""


@dataclass
class CsvImportResult:
    """What an import did, or with a dry run would do; with any problems it did nothing.

    Each importer adds its own counts; `counts` lists them as (label, number) for people.
    """

    # Labels in `counts` that are not changes to the database.
    NOT_CHANGES: ClassVar[set[str]] = {"Warnings"}

    dry_run: bool = False
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def counts(self) -> list[tuple[str, int]]:
        raise NotImplementedError

    def describe(self) -> str:
        """The changes in one sentence, for a message after importing."""
        changes = [
            f"{label.lower()}: {count}"
            for label, count in self.counts
            if count and label not in self.NOT_CHANGES
        ]
        if not changes:
            return "Nothing changed: everything in the file was already recorded."
        return f"Imported the file. {'; '.join(changes).capitalize()}."


# Reading the file -------------------------------------------------------------------------------


class CsvRow(NamedTuple):
    """A row with a value in it: its line (a quoted value may run over several) and its cells."""

    line: int
    cells: dict[str, str]


def header_help(columns: list[str]) -> str:
    """The sentence that tells people what the header must be."""
    return f"The first line must name the columns: {','.join(columns)}"


def read_table(
    source: bytes | str | IO,
    *,
    columns: list[str],
    required: list[str],
    problems: list[Problem],
) -> list[CsvRow] | None:
    """The file's rows under its header, or None after adding to `problems` why it cannot be read.

    `source` is the file's bytes, its text, or an open file. Bytes must be UTF-8, with or without
    the byte order mark Excel adds. Blank rows are skipped; a row with more values than the header
    is a problem of its own and left out. Values are stripped; missing trailing values are absent.
    """
    if hasattr(source, "read"):
        source = source.read()
    if isinstance(source, bytes):
        try:
            # utf-8-sig also accepts files without the byte order mark Excel adds.
            text = source.decode("utf-8-sig")
        except UnicodeDecodeError:
            problems.append(
                Problem(
                    None,
                    "The file is not UTF-8 text. Save it as 'CSV UTF-8 (Comma delimited)' "
                    "and try again.",
                )
            )
            return None
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
        problems.append(Problem(reader.line_num, f"the file could not be read as CSV ({error})"))
        return None
    if not records or not any(value.strip() for value in records[0][1]):
        problems.append(Problem(None, f"The file is empty. {header_help(columns)}"))
        return None
    names = read_header(records[0][1], columns=columns, required=required, problems=problems)
    if names is None:
        return None

    rows = []
    for line, values in records[1:]:
        if not any(value.strip() for value in values):
            continue
        if len(values) > len(names):
            problems.append(
                Problem(line, f"it has {len(values)} values but the header has {len(names)}")
            )
            continue
        rows.append(CsvRow(line, dict(zip(names, (v.strip() for v in values), strict=False))))
    return rows


def column_name(heading: str) -> str:
    """The column a heading names: spreadsheet users write "Reports to" or "status-on" as often
    as reports_to."""
    return re.sub(r"[\s-]+", "_", heading.strip().lower())


def read_header(
    values: list[str], *, columns: list[str], required: list[str], problems: list[Problem]
) -> list[str] | None:
    """The column each heading names, or None after adding to `problems` what is wrong with it.

    Every heading must be one of `columns` (or empty), each of `required` must be there, and none
    may be there twice.
    """
    names = [column_name(value) for value in values]
    unknown = [
        value for value, name in zip(values, names, strict=True) if name and name not in columns
    ]
    missing = [column for column in required if column not in names]
    repeated = sorted({name for name in names if name and names.count(name) > 1})
    found = []
    if len(values) == 1 and re.search(r"[;\t]", values[0]):
        found.append("the values are separated by semicolons or tabs: save it as CSV (commas)")
    elif missing or unknown:
        parts = [f"no {word_list(missing)} column"] if missing else []
        if unknown:
            plural = "s" if len(unknown) > 1 else ""
            parts.append(f"unknown column{plural} {word_list(unknown, quote=True, last='and')}")
        found.append(f"the header has {' and '.join(parts)}. {header_help(columns)}")
    if repeated:
        found.append(f"the header names {word_list(repeated)} more than once")
    problems.extend(Problem(1, problem) for problem in found)
    return None if found else names


# Reading values ---------------------------------------------------------------------------------


class ApproximateDate(NamedTuple):
    """A date as precise as the source: 2009 is stored as 1 January 2009, with precision year."""

    on: datetime.date
    precision: str


DATE_PATTERNS = [
    (re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})"), DatePrecision.DAY),
    (re.compile(r"(\d{4})-(\d{1,2})"), DatePrecision.MONTH),
    (re.compile(r"(\d{4})"), DatePrecision.YEAR),
]


def read_cell(cells: dict[str, str], problems: list[str], column: str, parse: Callable):
    """parse(value, column) for the column's value, None if it is empty or after adding the
    RowError's message to `problems`."""
    value = cells.get(column, "")
    try:
        return parse(value, column) if value else None
    except RowError as error:
        problems.append(str(error))
        return None


def length_problems(
    cells: dict[str, str], fields: Iterable[tuple[str, type[Model], str]]
) -> list[str]:
    """What is wrong with values too long for the model fields they go in, as (column, model,
    field name)."""
    problems = []
    for column, model, name in fields:
        longest = model._meta.get_field(name).max_length
        if len(cells.get(column, "")) > longest:
            problems.append(f"{column} is longer than {longest} characters")
    return problems


def match_key(text: str) -> str:
    """Lower-case letters and digits only, so "Thematic sub-group" matches thematic_subgroup."""
    return "".join(character for character in text.casefold() if character.isalnum())


def choice_labels(choices: type[TextChoices]) -> str:
    """The choices' labels, to list in a message."""
    return ", ".join(str(label) for label in choices.labels)


def parse_choice(value: str, column: str, choices: type[TextChoices]) -> str:
    """The code of the choice the value is the code or label of, in any case or punctuation."""
    for code, label in choices.choices:
        if match_key(value) in (match_key(code), match_key(str(label))):
            return code
    raise RowError(f"unknown {column} '{value}'. Use one of: {choice_labels(choices)}")


def parse_date(value: str, column: str) -> ApproximateDate:
    """A date written YYYY-MM-DD, YYYY-MM or YYYY, as its first day and how precise it is."""
    for pattern, precision in DATE_PATTERNS:
        parts = pattern.fullmatch(value)
        if parts:
            year, month, day = (*map(int, parts.groups()), 1, 1)[:3]
            try:
                return ApproximateDate(datetime.date(year, month, day), precision)
            except ValueError:
                break
    raise RowError(f"bad date '{value}' in {column}: use YYYY-MM-DD, YYYY-MM or YYYY")


# Writing ----------------------------------------------------------------------------------------


def write_whole(result: CsvImportResult, write: Callable[[], None]) -> None:
    """Run write() in one transaction, rolled back if it found a problem or for a dry run, and
    put the problems and warnings in line order."""
    with transaction.atomic():
        write()
        if result.problems or result.dry_run:
            transaction.set_rollback(True)
    result.problems.sort(key=lambda problem: problem.line or 0)
    result.warnings.sort(key=lambda warning: warning.line or 0)


def write_row[T](write: Callable[[], T], *, line: int, problems: list[Problem]) -> T | None:
    """What write() returns, or None after adding why the services or database refused it."""
    try:
        # A savepoint per write, so after one row fails the others can still be checked.
        with transaction.atomic():
            return write()
    except ValidationError as error:
        problems.append(Problem(line, describe_error(error)))
    except IntegrityError as error:
        # The constraints are the last word when someone else changed the same thing meanwhile.
        first_line = str(error).splitlines()[0]
        message = f"it clashes with what is recorded ({first_line}): check the file again"
        problems.append(Problem(line, message))
    return None


def organisations_by_name() -> dict[str, Organisation]:
    """Every organisation under each name it is known by (name, short name, aliases), casefolded;
    where two share a name, the first in name order has it."""
    organisations = {}
    for organisation in Organisation.objects.all():
        for known_as in [organisation.name, organisation.short_name, *organisation.aliases]:
            if known_as:
                organisations.setdefault(known_as.casefold(), organisation)
    return organisations


# Describing -------------------------------------------------------------------------------------


def word_list(items: list[str], *, quote: bool = False, last: str = "or") -> str:
    """The items as a phrase: "a, b or c", or with quote=True "'a', 'b' or 'c'"."""
    items = [f"'{item}'" if quote else item for item in items]
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} {last} {items[-1]}"


def describe_error(error: ValidationError) -> str:
    """A ValidationError's messages in one line, each field's prefixed with its name."""
    if hasattr(error, "error_dict"):
        return " ".join(
            f"{name}: {message}" if name != "__all__" else message
            for name, messages in error.message_dict.items()
            for message in messages
        )
    return " ".join(error.messages)


# The upload page --------------------------------------------------------------------------------

MAX_FILE_BYTES = 1024 * 1024
TOO_BIG = "The selected file must be smaller than 1 MB"


class CsvUploadForm(forms.Form):
    """A CSV file to check, or the text of a file already checked, to import."""

    file = forms.FileField(
        label="Upload a CSV file",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
        help_text="Saved from a spreadsheet as CSV UTF-8, no bigger than 1 MB",
        error_messages={"empty": "The selected file is empty"},
    )
    content = forms.CharField(required=False, strip=False, widget=forms.HiddenInput)

    def clean(self):
        cleaned_data = super().clean()
        content, upload = cleaned_data.get("content"), cleaned_data.get("file")
        if upload and upload.size > MAX_FILE_BYTES:
            self.add_error("file", TOO_BIG)
        elif content or upload:
            data = content.encode() if content else upload.read()
            if len(data) > MAX_FILE_BYTES:
                self.add_error("file", TOO_BIG)
            cleaned_data["data"] = data
        elif not self.has_error("file"):
            self.add_error("file", "Select a CSV file")
        return cleaned_data


def check_then_import(
    request,
    *,
    import_file: Callable[..., CsvImportResult],
    columns: list[str],
    template_name: str,
    imported_url: Callable[[CsvImportResult], str],
):
    """The upload page's response: an uploaded file is checked with a dry run and, if it passes,
    shown with its text in a hidden field; posting that text back imports it and redirects to
    imported_url(result). The caller authorises."""
    bound = request.method == "POST"
    form = CsvUploadForm(request.POST if bound else None, request.FILES if bound else None)
    result = checked_content = None
    if form.is_valid():
        data = form.cleaned_data["data"]
        confirmed = bool(form.cleaned_data["content"])
        result = import_file(data, dry_run=not confirmed, by=request.user)
        if result.ok and confirmed:
            messages.success(request, result.describe())
            return redirect(imported_url(result))
        if result.ok:
            # A clean dry run means the bytes are UTF-8, so the text survives the round trip.
            checked_content = data.decode("utf-8-sig")
    return render(
        request,
        template_name,
        {"form": form, "result": result, "checked_content": checked_content, "columns": columns},
    )


# The command ------------------------------------------------------------------------------------


class ImportCommand(BaseCommand):
    """manage.py COMMAND FILE.csv [--dry-run]: problems to stderr and a failing exit, or warnings
    and what changed (or would change) to stdout. Subclasses set `help` and `import_file`."""

    def import_file(self, data: bytes, *, dry_run: bool) -> CsvImportResult:
        raise NotImplementedError

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="The CSV file, UTF-8 encoded")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check the file and report what would change, without saving anything",
        )

    def handle(self, *args, file: Path, dry_run: bool, **options):
        try:
            data = file.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}") from error
        result = self.import_file(data, dry_run=dry_run)
        if result.problems:
            for problem in result.problems:
                self.stderr.write(str(problem))
            count = len(result.problems)
            raise CommandError(f"Nothing was imported: {count} problem{'s' if count > 1 else ''}")
        for warning in result.warnings:
            self.stdout.write(self.style.WARNING(f"Warning: {warning}"))
        if dry_run:
            self.stdout.write("Dry run: nothing was saved. Importing the file would give:")
        for label, count in result.counts:
            self.stdout.write(f"{label}: {count}")
