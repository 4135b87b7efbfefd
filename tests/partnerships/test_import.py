"""Importing bodies from CSV: the example file, what the columns accept, all or nothing."""

import datetime
import io

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import ManagementUtility, call_command
from django.core.management.base import CommandError
from django.db import connections
from django.urls import reverse

from partnerships.importer import import_structure
from partnerships.models import (
    Body,
    BodyStatusChange,
    Partnership,
    ReportingLine,
    TermsOfReference,
)
from tests.factories import (
    BodyFactory,
    OrganisationFactory,
    PartnershipFactory,
    ReportingLineFactory,
)

pytestmark = pytest.mark.django_db

EXAMPLE = settings.BASE_DIR / "docs" / "examples" / "structure.csv"
HEADER = "name,type,partnership,reports_to,frequency,status,status_on,start,end,notes"
TRUST = "Central Bedfordshire Children's Trust"
URL = reverse("partnerships:structure-import")


def csv_text(*rows: str) -> str:
    return "\n".join([HEADER, *rows]) + "\n"


def counts(result) -> dict[str, int]:
    return dict(result.counts)


def saved_rows() -> tuple[int, int, int, int, int]:
    return (
        Partnership.objects.count(),
        Body.objects.count(),
        BodyStatusChange.objects.count(),
        ReportingLine.objects.count(),
        TermsOfReference.objects.count(),
    )


def history(body_name: str) -> list[tuple[str, datetime.date, str]]:
    return list(
        BodyStatusChange.objects.filter(body__name=body_name).values_list(
            "status", "effective_on", "effective_precision"
        )
    )


# The example file -----------------------------------------------------------------------------


def test_the_example_file_imports_the_central_bedfordshire_trust():
    result = import_structure(EXAMPLE.read_bytes())

    assert result.problems == []
    assert result.warnings == []
    assert counts(result) == {
        "Partnerships created": 1,
        "Bodies created": 5,
        "Bodies unchanged": 0,
        "Status changes added": 10,
        "Reporting lines added": 4,
        "Terms of reference drafted": 5,
        "Warnings": 0,
    }
    assert result.partnerships_created == [TRUST]
    assert history("Trust Board") == [
        ("shadow", datetime.date(2008, 11, 25), "day"),
        ("active", datetime.date(2009, 4, 1), "month"),
    ]
    assert history("Well-being Sub-group") == [
        ("shadow", datetime.date(2009, 1, 1), "year"),
        ("active", datetime.date(2009, 4, 1), "month"),
    ]
    assert sorted(
        ReportingLine.objects.values_list(
            "from_body__name", "to_body__name", "kind", "starts_on", "is_primary"
        )
    ) == [
        ("Joint Commissioning Board", "Trust Board", "reports_to", datetime.date(2009, 4, 1), True),
        *[
            (name, "Joint Commissioning Board", "reports_to", datetime.date(2009, 4, 1), True)
            for name in ["Learning Sub-group", "Well-being Sub-group", "Youth Sub-group"]
        ],
    ]
    assert dict(TermsOfReference.objects.values_list("body__name", "meetings_per_year")) == {
        "Trust Board": 2,
        "Joint Commissioning Board": 4,
        "Well-being Sub-group": 4,
        "Learning Sub-group": 4,
        "Youth Sub-group": 4,
    }
    assert set(TermsOfReference.objects.values_list("status", "version")) == {("draft", 1)}
    assert Body.objects.get(name="Learning Sub-group").kind == "thematic_subgroup"


def test_importing_the_same_file_again_changes_nothing():
    import_structure(EXAMPLE.read_bytes())
    before = saved_rows()

    result = import_structure(EXAMPLE.read_bytes())

    assert counts(result) == {
        "Partnerships created": 0,
        "Bodies created": 0,
        "Bodies unchanged": 5,
        "Status changes added": 0,
        "Reporting lines added": 0,
        "Terms of reference drafted": 0,
        "Warnings": 0,
    }
    assert saved_rows() == before == (1, 5, 10, 4, 5)
    assert result.describe() == "Nothing changed: everything in the file was already recorded."


def test_a_file_can_add_to_bodies_already_recorded():
    partnership = PartnershipFactory(name=TRUST)
    BodyFactory(name="Trust Board", partnership=partnership, status_on=datetime.date(2009, 4, 1))
    text = csv_text(
        f"trust board,Trust board,{TRUST.upper()},,,,,,2012-03,",
        f"Executive Group,Executive group,{TRUST},Trust Board,,,,2010,,",
    )

    result = import_structure(text)

    assert counts(result) == {
        "Partnerships created": 0,
        "Bodies created": 1,
        "Bodies unchanged": 0,
        "Status changes added": 2,
        "Reporting lines added": 1,
        "Terms of reference drafted": 0,
        "Warnings": 0,
    }
    assert history("Trust Board") == [
        ("active", datetime.date(2009, 4, 1), "day"),
        ("disbanded", datetime.date(2012, 3, 1), "month"),
    ]


# What the columns accept ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "status"),
    [
        ("thematic_subgroup", "shadow"),
        ("Thematic sub-group", "Shadow"),
        ("THEMATIC SUB-GROUP", "SHADOW"),
        ("Thematic subgroup", "sHaDoW"),
    ],
)
def test_types_and_statuses_accept_codes_or_labels_in_any_case(kind, status):
    result = import_structure(csv_text(f"Youth,{kind},Trust,,,{status},2009,,,"))

    assert result.problems == []
    body = Body.objects.get(name="Youth")
    assert body.kind == "thematic_subgroup"
    assert history("Youth") == [("shadow", datetime.date(2009, 1, 1), "year")]


@pytest.mark.parametrize(
    ("frequency", "meetings_per_year"),
    [
        ("4", 4),
        ("Quarterly", 4),
        ("twice a year", 2),
        ("twice_yearly", 2),
        ("Three times a year", 3),
        ("every two months", 6),
        ("bimonthly", 6),
        ("10 times a year", 10),
        ("annually", 1),
        ("Monthly", 12),
    ],
)
def test_frequency_accepts_labels_codes_or_meetings_a_year(frequency, meetings_per_year):
    result = import_structure(csv_text(f"Board,Trust board,Trust,,{frequency},,,2010,,"))

    assert result.problems == []
    terms = TermsOfReference.objects.get(body__name="Board")
    assert (terms.version, terms.status, terms.meetings_per_year) == (1, "draft", meetings_per_year)


def test_dates_keep_the_precision_the_file_gives():
    result = import_structure(
        csv_text("Board,Trust board,Trust,,,Proposed,2008-11-25,2009-04,2012,")
    )

    assert result.problems == []
    assert history("Board") == [
        ("proposed", datetime.date(2008, 11, 25), "day"),
        ("active", datetime.date(2009, 4, 1), "month"),
        ("disbanded", datetime.date(2012, 1, 1), "year"),
    ]


def test_an_ending_status_names_how_the_body_ended():
    import_structure(csv_text("Board,Trust board,Trust,,,Replaced,,2009,2015-03-31,"))

    assert history("Board") == [
        ("active", datetime.date(2009, 1, 1), "year"),
        ("replaced", datetime.date(2015, 3, 31), "day"),
    ]


def test_reports_to_may_name_an_organisation_by_an_alias():
    council = OrganisationFactory(name="Central Bedfordshire Council", aliases=["CBC Cabinet"])

    result = import_structure(csv_text("Board,Trust board,Trust,cbc cabinet,,,,2009,,"))

    assert result.problems == []
    line = ReportingLine.objects.get()
    assert (line.from_body.name, line.to_organisation, line.is_primary) == ("Board", council, True)


def test_reports_to_may_name_a_body_in_another_partnership():
    hwb = BodyFactory(name="Health and Wellbeing Board", kind="health_and_wellbeing_board")

    import_structure(csv_text("Board,Trust board,Trust,health and wellbeing board,,,,2013,,"))

    assert ReportingLine.objects.get().to_body == hwb


def test_a_utf8_file_with_a_byte_order_mark_is_read():
    data = "\ufeff".encode() + csv_text("Ymddiriedolaeth,Trust board,Trust,,,,,2009,,").encode()

    result = import_structure(data)

    assert result.problems == []
    assert Body.objects.get().name == "Ymddiriedolaeth"


def test_a_frequency_that_differs_from_the_terms_of_reference_is_a_warning_and_not_changed():
    body = BodyFactory(name="Board", partnership=PartnershipFactory(name="Trust"))
    TermsOfReference.objects.create(
        body=body,
        version=1,
        status="agreed",
        agreed_on=datetime.date(2010, 3, 1),
        meetings_per_year=2,
    )

    result = import_structure(csv_text("Board,Trust board,Trust,,Quarterly,,,,,"))

    assert result.problems == []
    assert [str(warning) for warning in result.warnings] == [
        "Line 2: frequency differs from the agreed terms of reference (4 vs 2); not changed"
    ]
    assert counts(result)["Bodies unchanged"] == 1
    assert TermsOfReference.objects.get().meetings_per_year == 2


# All or nothing -------------------------------------------------------------------------------

GOOD_ROW = "Trust Board,Trust board,Trust,,Twice a year,,,2009-04,,"


@pytest.mark.parametrize(
    ("bad_rows", "problem"),
    [
        pytest.param(
            ["Youth,Thematic subgroupx,Trust,Trust Board,,,,2009,,"],
            "Line 3: unknown type 'Thematic subgroupx'. Use one of: Trust board, Executive "
            "group, Joint commissioning board, Advisory body, Thematic sub-group, Area "
            "partnership, Task and finish group, Conference, Young people's shadow board, "
            "Health and wellbeing board, Safeguarding board, Other",
            id="unknown type",
        ),
        pytest.param(
            ["Youth,Thematic sub-group,Trust,Exec Group,,,,2009,,"],
            "Line 3: reports_to 'Exec Group' is not a body in the file or the database",
            id="missing target",
        ),
        pytest.param(
            ["Youth,Thematic sub-group,Trust,Trust Board,,,,2015-13,,"],
            "Line 3: bad date '2015-13' in start: use YYYY-MM-DD, YYYY-MM or YYYY",
            id="bad date",
        ),
        pytest.param(
            [
                "Executive Group,Executive group,Trust,Youth,,,,2009,,",
                "Youth,Thematic sub-group,Trust,Executive Group,,,,2009,,",
            ],
            "Line 4: Youth cannot report to Executive Group: Executive Group already reports "
            "to Youth on 1 January 2009, so the primary lines would go round in a circle.",
            id="cycle in the file",
        ),
        pytest.param(
            ["Youth,Thematic sub-group,Trust,Trust Board,,Disbanded,2009,,,"],
            "Line 3: A body cannot go from nothing to disbanded (on 1 January 2009).",
            id="lifecycle",
        ),
        pytest.param(
            ["trust board,Trust board,Trust,,,,,2010,,"],
            "Line 3: 'trust board' is already on line 2 for Trust: give each body one row",
            id="duplicate",
        ),
        pytest.param(
            ["Youth,Thematic sub-group,Trust,Trust Board,fortnightly,,,2009,,"],
            "Line 3: unknown frequency 'fortnightly'. Use a number of meetings a year from 1 "
            "to 52, or one of: Annually, Twice a year, Three times a year, Quarterly, Every "
            "two months, Monthly",
            id="unknown frequency",
        ),
    ],
)
def test_one_bad_row_imports_nothing_and_names_the_line_and_the_problem(bad_rows, problem):
    result = import_structure(csv_text(GOOD_ROW, *bad_rows))

    assert [str(problem) for problem in result.problems] == [problem]
    assert saved_rows() == (0, 0, 0, 0, 0)


def test_a_row_that_would_close_a_loop_with_recorded_lines_imports_nothing():
    partnership = PartnershipFactory(name="Trust")
    board = BodyFactory(name="Trust Board", partnership=partnership)
    executive = BodyFactory(name="Executive Group", partnership=partnership)
    ReportingLineFactory(from_body=executive, to_body=board)
    before = saved_rows()

    result = import_structure(
        csv_text(
            "Youth,Thematic sub-group,Trust,Executive Group,,,,2009,,",
            "Trust Board,Trust board,Trust,Executive Group,,,,,,",
        )
    )

    assert [str(problem) for problem in result.problems] == [
        "Line 3: Trust Board cannot report to Executive Group: Executive Group already reports "
        "to Trust Board, so the primary lines would go round in a circle."
    ]
    assert saved_rows() == before


def test_every_problem_in_the_file_is_reported_in_line_order():
    result = import_structure(
        csv_text(
            "Board,Trust boardx,Trust,,,,,2009,,",
            "Group,Executive group,Trust,Nobody,,,,2009,,",
            "Youth,Thematic sub-group,Trust,,,Active,,,,",
        )
    )

    assert [str(problem) for problem in result.problems] == [
        "Line 2: unknown type 'Trust boardx'. Use one of: Trust board, Executive group, Joint "
        "commissioning board, Advisory body, Thematic sub-group, Area partnership, Task and "
        "finish group, Conference, Young people's shadow board, Health and wellbeing board, "
        "Safeguarding board, Other",
        "Line 3: reports_to 'Nobody' is not a body in the file or the database",
        "Line 4: status 'Active' needs a date in status_on",
    ]


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        pytest.param(b"", "The file is empty. The first line must name the columns: " + HEADER),
        pytest.param(
            b"name,kind,partnership\nBoard,trust_board,Trust\n",
            "Line 1: the header has no type column and unknown column 'kind'. The first line "
            "must name the columns: " + HEADER,
            id="missing column",
        ),
        pytest.param(
            (HEADER + "\nB\xf6rd,Trust board,Trust,,,,,2009,,\n").encode("latin-1"),
            "The file is not UTF-8 text. Save it as 'CSV UTF-8 (Comma delimited)' and try again.",
            id="not utf-8",
        ),
        pytest.param(
            HEADER.encode() + b"\n",
            "The file has a header but no bodies below it.",
            id="no rows",
        ),
        pytest.param(
            b"name;type;partnership\nBoard;trust_board;Trust\n",
            "Line 1: the values are separated by semicolons or tabs: save it as CSV (commas)",
            id="semicolons",
        ),
    ],
)
def test_a_file_that_cannot_be_read_is_explained(data, problem):
    result = import_structure(data)

    assert [str(problem) for problem in result.problems] == [problem]
    assert saved_rows() == (0, 0, 0, 0, 0)


# The command ----------------------------------------------------------------------------------


def test_the_command_imports_a_file_and_prints_what_it_did():
    out = io.StringIO()

    call_command("import_structure", str(EXAMPLE), stdout=out)

    assert out.getvalue().splitlines() == [
        "Partnerships created: 1",
        "Bodies created: 5",
        "Bodies unchanged: 0",
        "Status changes added: 10",
        "Reporting lines added: 4",
        "Terms of reference drafted: 5",
        "Warnings: 0",
    ]
    assert Body.objects.count() == 5


def test_the_command_dry_run_saves_nothing():
    out = io.StringIO()

    call_command("import_structure", str(EXAMPLE), "--dry-run", stdout=out)

    assert out.getvalue().splitlines()[:3] == [
        "Dry run: nothing was saved. Importing the file would give:",
        "Partnerships created: 1",
        "Bodies created: 5",
    ]
    assert saved_rows() == (0, 0, 0, 0, 0)


def test_the_command_reports_each_problem_and_exits_with_an_error(tmp_path, capsys, monkeypatch):
    # run_from_argv closes the database connections as manage.py exits; the test needs its own.
    monkeypatch.setattr(connections, "close_all", lambda: None)
    path = tmp_path / "structure.csv"
    path.write_text(
        csv_text(GOOD_ROW, "Youth,Thematic sub-group,Trust,Exec Group,,,,2015-13,,"),
        encoding="utf-8",
    )

    with pytest.raises(SystemExit) as exit_:
        ManagementUtility(["manage.py", "import_structure", str(path)]).execute()

    assert exit_.value.code == 1
    assert capsys.readouterr().err.splitlines() == [
        "Line 3: bad date '2015-13' in start: use YYYY-MM-DD, YYYY-MM or YYYY",
        "CommandError: Nothing was imported: 1 problem",
    ]
    assert saved_rows() == (0, 0, 0, 0, 0)


def test_the_command_counts_the_problems_in_its_error(tmp_path):
    path = tmp_path / "structure.csv"
    path.write_text(
        csv_text("Board,x,Trust,,,,,2009,,", "Group,y,Trust,,,,,2009,,"), encoding="utf-8"
    )

    with pytest.raises(CommandError, match=r"^Nothing was imported: 2 problems$"):
        call_command("import_structure", str(path), stderr=io.StringIO())


# The upload page ------------------------------------------------------------------------------


def upload(text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("structure.csv", text.encode(), content_type="text/csv")


def test_a_partnership_manager_checks_a_file_then_imports_it(client, partnership_manager):
    client.force_login(partnership_manager)

    checked = client.post(URL, {"file": upload(EXAMPLE.read_text(encoding="utf-8"))})

    page = checked.content.decode()
    assert checked.status_code == 200
    assert '<h2 class="govuk-heading-l">The file is ready to import</h2>' in page
    assert counts(checked.context["result"])["Bodies created"] == 5
    assert "<li>Learning Sub-group</li>" in page
    assert saved_rows() == (0, 0, 0, 0, 0)

    imported = client.post(URL, {"content": checked.context["checked_content"]})

    assert imported.status_code == 302
    assert imported.headers["Location"] == reverse("partnerships:partnership-list")
    assert [str(message) for message in get_messages(imported.wsgi_request)] == [
        "Imported the file. Partnerships created: 1; bodies created: 5; status changes "
        "added: 10; reporting lines added: 4; terms of reference drafted: 5."
    ]
    assert saved_rows() == (1, 5, 10, 4, 5)


def test_the_upload_page_lists_each_problem_in_an_error_summary(client, partnership_manager):
    client.force_login(partnership_manager)

    response = client.post(
        URL, {"file": upload(csv_text(GOOD_ROW, "Youth,Thematic sub-group,Trust,Exec,,,,2009,,"))}
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "The file has 1 problem: nothing was imported" in page
    assert (
        '<li><a href="#id_file">Line 3: reports_to &#x27;Exec&#x27; is not a body in the file '
        "or the database</a></li>"
    ) in page
    assert "<title>Error: Import bodies from a spreadsheet" in page
    assert 'name="content"' not in page
    assert saved_rows() == (0, 0, 0, 0, 0)


def test_an_import_that_no_longer_passes_its_checks_saves_nothing(client, partnership_manager):
    # The hidden copy of a checked file: the database may have changed since, or the page edited.
    client.force_login(partnership_manager)

    response = client.post(
        URL, {"content": csv_text(GOOD_ROW, "Youth,Thematic sub-group,Trust,Exec,,,,2009,,")}
    )

    assert response.status_code == 200
    assert [str(problem) for problem in response.context["result"].problems] == [
        "Line 3: reports_to 'Exec' is not a body in the file or the database"
    ]
    assert saved_rows() == (0, 0, 0, 0, 0)


TOO_BIG = "The selected file must be smaller than 1 MB"


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({}, "Select a CSV file"),
        ({"file": SimpleUploadedFile("big.csv", b"x" * (1024 * 1024 + 1))}, TOO_BIG),
        ({"content": "x" * (1024 * 1024 + 1)}, TOO_BIG),
    ],
    ids=["no file", "big file", "big content"],
)
def test_the_upload_page_asks_for_a_file_of_at_most_1_mb(client, partnership_manager, data, error):
    client.force_login(partnership_manager)

    response = client.post(URL, data)

    assert response.status_code == 200
    assert response.context["form"].errors == {"file": [error]}
    assert response.context["result"] is None


def test_a_partnership_manager_sees_the_upload_form(client, partnership_manager):
    client.force_login(partnership_manager)

    response = client.get(URL)

    page = response.content.decode()
    assert response.status_code == 200
    assert '<h1 class="govuk-heading-xl">Import bodies from a spreadsheet</h1>' in page
    assert 'class="govuk-file-upload"' in page
    assert "Check the file</button>" in page


@pytest.mark.parametrize("who", ["board_member", "officer"])
def test_other_signed_in_people_may_not_import(client, request, who):
    client.force_login(request.getfixturevalue(who))

    check = client.post(URL, {"file": upload(EXAMPLE.read_text(encoding="utf-8"))})

    assert client.get(URL).status_code == check.status_code == 403
    assert saved_rows() == (0, 0, 0, 0, 0)


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert response.headers["Location"] == f"{reverse('login')}?next={URL}"
