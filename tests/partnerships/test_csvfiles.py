"""What the CSV importers share: decoding, the header, values, problems, writing whole or not at
all, and the upload form. The importers' own tests cover the pages and commands built on these."""

import dataclasses
import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from partnerships.csvfiles import (
    ApproximateDate,
    CsvImportResult,
    CsvRow,
    CsvUploadForm,
    Problem,
    RowError,
    column_name,
    describe_error,
    length_problems,
    organisations_by_name,
    parse_choice,
    parse_date,
    read_cell,
    read_header,
    read_table,
    word_list,
    write_row,
    write_whole,
)
from partnerships.models import Body, DatePrecision, Partnership
from tests.factories import OrganisationFactory, PartnershipFactory

COLUMNS = ["name", "type", "reports_to", "notes"]
REQUIRED = ["name", "type"]
HEADER_HELP = "The first line must name the columns: name,type,reports_to,notes"


def table(source):
    problems = []
    rows = read_table(source, columns=COLUMNS, required=REQUIRED, problems=problems)
    return rows, [str(problem) for problem in problems]


def header(*values):
    problems = []
    names = read_header(list(values), columns=COLUMNS, required=REQUIRED, problems=problems)
    return names, [str(problem) for problem in problems]


# Reading the file -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "source",
    [
        b"name,type\nYouth,Trust board\n",
        b"\xef\xbb\xbfname,type\nYouth,Trust board\n",
        "name,type\nYouth,Trust board\n",
        "\ufeffname,type\nYouth,Trust board\n",
        io.BytesIO(b"\xef\xbb\xbfname,type\nYouth,Trust board\n"),
        SimpleUploadedFile("f.csv", b"name,type\r\nYouth,Trust board\r\n"),
    ],
    ids=["bytes", "bytes with BOM", "text", "text with BOM", "open file", "uploaded file"],
)
def test_a_file_reads_the_same_whatever_form_it_comes_in(source):
    assert table(source) == ([CsvRow(2, {"name": "Youth", "type": "Trust board"})], [])


def test_a_file_that_is_not_utf_8_cannot_be_read():
    assert table("name,type\nCafé,Trust board\n".encode("cp1252")) == (
        None,
        ["The file is not UTF-8 text. Save it as 'CSV UTF-8 (Comma delimited)' and try again."],
    )


def test_a_value_too_big_for_csv_is_reported_at_its_line():
    assert table(f"name,type\nYouth,Trust board\nLong,{'x' * 200_000}\n") == (
        None,
        ["Line 3: the file could not be read as CSV (field larger than field limit (131072))"],
    )


@pytest.mark.parametrize("source", [b"", "\ufeff", "\n", " , ,\nYouth,Trust board\n"])
def test_a_file_without_a_header_is_empty(source):
    assert table(source) == (None, [f"The file is empty. {HEADER_HELP}"])


def test_rows_are_numbered_by_their_first_line_and_values_stripped():
    rows, problems = table(
        'name,type,notes\n\n  Youth ,Trust board,"Two\nlines"\n, ,\nExec,Other\n'
    )

    assert problems == []
    assert rows == [
        CsvRow(3, {"name": "Youth", "type": "Trust board", "notes": "Two\nlines"}),
        CsvRow(6, {"name": "Exec", "type": "Other"}),
    ]


def test_a_row_longer_than_the_header_is_left_out_with_a_problem():
    assert table("name,type\nYouth,Trust board,extra\nExec,Other\n") == (
        [CsvRow(3, {"name": "Exec", "type": "Other"})],
        ["Line 2: it has 3 values but the header has 2"],
    )


def test_a_header_alone_gives_no_rows():
    assert table("name,type\n") == ([], [])


# The header -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("heading", "column"),
    [("Reports to", "reports_to"), (" reports-to ", "reports_to"), ("REPORTS_TO", "reports_to")],
)
def test_headings_are_matched_however_a_spreadsheet_writes_them(heading, column):
    assert column_name(heading) == column


def test_a_header_may_leave_out_optional_columns_and_have_empty_headings():
    assert header("Type", "", "Name") == (["type", "", "name"], [])


@pytest.mark.parametrize(
    ("values", "problems"),
    [
        (["name"], [f"Line 1: the header has no type column. {HEADER_HELP}"]),
        (["notes"], [f"Line 1: the header has no name or type column. {HEADER_HELP}"]),
        (
            ["name", "type", "Colour"],
            [f"Line 1: the header has unknown column 'Colour'. {HEADER_HELP}"],
        ),
        (
            ["name", "Size", "Colour", "Shape"],
            [
                "Line 1: the header has no type column and unknown columns 'Size', 'Colour' and "
                f"'Shape'. {HEADER_HELP}"
            ],
        ),
        (["name", "type", "Name"], ["Line 1: the header names name more than once"]),
        (
            ["name;type;notes"],
            [
                "Line 1: the values are separated by semicolons or tabs: save it as CSV (commas)",
            ],
        ),
        (
            ["type", "Notes", "notes"],
            [
                f"Line 1: the header has no name column. {HEADER_HELP}",
                "Line 1: the header names notes more than once",
            ],
        ),
    ],
    ids=[
        "missing",
        "two missing",
        "unknown",
        "missing and unknown",
        "repeated",
        "semicolons",
        "both",
    ],
)
def test_a_header_names_known_columns_once_including_the_required_ones(values, problems):
    assert header(*values) == (None, problems)


def test_a_header_problem_stops_the_file_being_read():
    assert table("name,Colour\nYouth,red\n") == (
        None,
        [f"Line 1: the header has no type column and unknown column 'Colour'. {HEADER_HELP}"],
    )


# Values ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "written",
    ["thematic_subgroup", "Thematic sub-group", "THEMATIC SUBGROUP", "thematic-sub group"],
)
def test_a_choice_is_its_code_or_label_in_any_case_or_punctuation(written):
    assert parse_choice(written, "type", Body.Kind) == Body.Kind.THEMATIC_SUBGROUP


def test_an_unknown_choice_lists_the_labels():
    with pytest.raises(RowError) as error:
        parse_choice("Week", "precision", DatePrecision)

    assert str(error.value) == "unknown precision 'Week'. Use one of: Day, Month, Year"


@pytest.mark.parametrize(
    ("written", "date"),
    [
        ("2009-04-01", ApproximateDate(datetime.date(2009, 4, 1), DatePrecision.DAY)),
        ("2009-4-1", ApproximateDate(datetime.date(2009, 4, 1), DatePrecision.DAY)),
        ("2009-08", ApproximateDate(datetime.date(2009, 8, 1), DatePrecision.MONTH)),
        ("2009", ApproximateDate(datetime.date(2009, 1, 1), DatePrecision.YEAR)),
    ],
)
def test_a_date_is_as_precise_as_it_is_written(written, date):
    assert parse_date(written, "start") == date


@pytest.mark.parametrize("written", ["2015-13", "2015-02-30", "01/04/2015", "09", "2009-04-01x"])
def test_a_date_that_is_not_one_says_how_to_write_it(written):
    with pytest.raises(RowError) as error:
        parse_date(written, "start")

    assert str(error.value) == f"bad date '{written}' in start: use YYYY-MM-DD, YYYY-MM or YYYY"


def test_a_cell_is_parsed_if_it_has_a_value_and_its_problem_kept():
    cells, problems = {"start": "2009", "end": "soon", "notes": ""}, []

    values = [read_cell(cells, problems, column, parse_date) for column in cells]

    assert values == [ApproximateDate(datetime.date(2009, 1, 1), DatePrecision.YEAR), None, None]
    assert read_cell(cells, problems, "status_on", parse_date) is None
    assert problems == ["bad date 'soon' in end: use YYYY-MM-DD, YYYY-MM or YYYY"]


def test_values_longer_than_their_fields_are_problems():
    fields = [("name", Body, "name"), ("partnership", Partnership, "name")]

    assert length_problems({"name": "x" * 200, "partnership": "x" * 200}, fields) == []
    assert length_problems({"name": "x" * 201}, fields) == ["name is longer than 200 characters"]


# Describing -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("items", "options", "text"),
    [
        (["a"], {}, "a"),
        (["a", "b"], {}, "a or b"),
        (["a", "b", "c"], {}, "a, b or c"),
        (["a", "b"], {"quote": True, "last": "and"}, "'a' and 'b'"),
    ],
)
def test_a_word_list(items, options, text):
    assert word_list(items, **options) == text


def test_a_validation_error_is_described_in_one_line():
    assert describe_error(ValidationError(["First.", "Second."])) == "First. Second."
    assert (
        describe_error(ValidationError({"__all__": ["Whole."], "starts_on": ["Too early."]}))
        == "Whole. starts_on: Too early."
    )


def test_a_problem_names_its_line_if_it_has_one():
    assert str(Problem(3, "bad")) == "Line 3: bad"
    assert str(Problem(None, "The file is empty.")) == "The file is empty."


@dataclasses.dataclass
class FruitResult(CsvImportResult):
    NOT_CHANGES = {"Fruit unchanged", "Warnings"}

    added: int = 0
    unchanged: int = 0

    @property
    def counts(self):
        return [("Fruit added", self.added), ("Fruit unchanged", self.unchanged), ("Warnings", 0)]


def test_a_result_describes_only_its_changes():
    assert FruitResult(added=2, unchanged=3).describe() == "Imported the file. Fruit added: 2."
    assert FruitResult(unchanged=3).describe() == (
        "Nothing changed: everything in the file was already recorded."
    )
    assert FruitResult().ok
    assert not FruitResult(problems=[Problem(2, "bad")]).ok


# Writing --------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_refused_write_is_a_problem_at_its_line_and_undone():
    problems = []

    def refused():
        PartnershipFactory(name="Undone")
        raise ValidationError({"name": ["Enter a different name."]})

    assert write_row(lambda: "written", line=2, problems=problems) == "written"
    assert write_row(refused, line=3, problems=problems) is None
    assert problems == [Problem(3, "name: Enter a different name.")]
    assert not Partnership.objects.filter(name="Undone").exists()


@pytest.mark.django_db
def test_a_write_the_database_refuses_is_a_problem_and_the_rest_can_go_on():
    PartnershipFactory(name="Trust", slug="trust")
    problems = []

    write_row(
        lambda: Partnership.objects.create(name="Other", slug="trust"), line=4, problems=problems
    )
    PartnershipFactory(name="After", slug="after")

    assert [problem.line for problem in problems] == [4]
    assert problems[0].message.startswith(
        "it clashes with what is recorded (duplicate key value violates unique constraint"
    )
    assert problems[0].message.endswith("): check the file again")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("dry_run", "problem", "kept"),
    [(False, False, True), (True, False, False), (False, True, False)],
)
def test_a_file_is_written_whole_or_not_at_all(dry_run, problem, kept):
    result = FruitResult(dry_run=dry_run, warnings=[Problem(5, "later"), Problem(None, "file")])

    def write():
        PartnershipFactory(name="Written")
        if problem:
            result.problems.extend([Problem(3, "third"), Problem(2, "second")])

    write_whole(result, write)

    assert Partnership.objects.filter(name="Written").exists() == kept
    assert [problem.line for problem in result.problems] == ([2, 3] if problem else [])
    assert [warning.line for warning in result.warnings] == [None, 5]


@pytest.mark.django_db
def test_organisations_are_found_by_any_name_they_are_known_by_the_first_by_name_first():
    council = OrganisationFactory(
        name="Worcestershire County Council", short_name="WCC", aliases=["Worcs CC"]
    )
    OrganisationFactory(name="Wyre Forest District Council", short_name="", aliases=["wcc"])

    found = organisations_by_name()

    assert found["worcestershire county council"] == found["wcc"] == found["worcs cc"] == council
    assert found["wyre forest district council"].name == "Wyre Forest District Council"


# The upload form ------------------------------------------------------------------------------


def test_the_form_takes_a_file_or_the_text_of_one_already_checked():
    upload = CsvUploadForm({}, {"file": SimpleUploadedFile("f.csv", b"name,type\n")})
    checked = CsvUploadForm({"content": "name,type\n"}, {})

    assert upload.is_valid()
    assert checked.is_valid()
    assert upload.cleaned_data["data"] == checked.cleaned_data["data"] == b"name,type\n"
    assert upload.cleaned_data["content"] == ""
    assert list(upload.fields) == ["file", "content"]
    assert upload.fields["file"].label == "Upload a CSV file"


@pytest.mark.parametrize(
    ("data", "files", "error"),
    [
        ({}, {}, "Select a CSV file"),
        ({}, {"file": SimpleUploadedFile("f.csv", b"")}, "The selected file is empty"),
        (
            {},
            {"file": SimpleUploadedFile("f.csv", b"x" * (1024 * 1024 + 1))},
            "The selected file must be smaller than 1 MB",
        ),
        ({"content": "é" * (512 * 1024 + 1)}, {}, "The selected file must be smaller than 1 MB"),
    ],
    ids=["nothing", "empty", "too big", "text too big once encoded"],
)
def test_the_form_asks_for_a_file_of_at_most_1_mb(data, files, error):
    form = CsvUploadForm(data, files)

    assert not form.is_valid()
    assert form.errors == {"file": [error]}
