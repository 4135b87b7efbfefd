"""Roster import and export: the Worcestershire example files, what the columns accept, all or
nothing, the command, the upload page, and exports that withhold children's names."""

import csv
import datetime
import io

import openpyxl
import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import ManagementUtility, call_command
from django.core.management.base import CommandError
from django.db import connections
from django.urls import reverse

from membership.importer import import_roster
from membership.models import Constituency, Membership, Person, Seat
from partnerships.models import Organisation
from tests.factories import (
    BodyFactory,
    MembershipFactory,
    OrganisationFactory,
    PartnershipFactory,
    PersonFactory,
    SeatFactory,
)

pytestmark = pytest.mark.django_db

EXAMPLES = settings.BASE_DIR / "docs" / "examples"
PAB_FILE = EXAMPLES / "worcestershire-pab-roster.csv"
JCB_FILE = EXAMPLES / "worcestershire-jcb-roster.csv"
PAB = "worcestershire-partnership-advisory-body"
JCB = "worcestershire-joint-commissioning-board"
HEADER = "body,seat,person,organisation,role,represents,arrangement,starts_on,ends_on,voting,notes"
AUGUST_2009 = datetime.date(2009, 8, 1)
URL = reverse("membership:roster-import")


@pytest.fixture
def worcestershire(db):
    """The PAB and JCB as the structure demo has them: active from May 2008."""
    partnership = PartnershipFactory(name="Worcestershire CYPSP")
    return {
        slug: BodyFactory(
            name=name, slug=slug, partnership=partnership, status_on=datetime.date(2008, 5, 1)
        )
        for slug, name in [(PAB, "Partnership Advisory Body"), (JCB, "Joint Commissioning Board")]
    }


@pytest.fixture
def pab(worcestershire):
    return worcestershire[PAB]


def csv_text(*rows: str) -> str:
    return "\n".join([HEADER, *rows]) + "\n"


def counts(result) -> dict[str, int]:
    return dict(result.counts)


def messages_of(problems) -> list[str]:
    return [str(problem) for problem in problems]


def saved_rows() -> tuple[int, int, int, int, int]:
    return (
        Seat.objects.count(),
        Membership.objects.count(),
        Person.objects.count(),
        Organisation.objects.count(),
        Constituency.objects.count(),
    )


def holders(seat: Seat, on=AUGUST_2009) -> list[tuple[str, str]]:
    return sorted(
        (membership.person.full_name, membership.arrangement)
        for membership in seat.memberships.current(on).select_related("person")
    )


def vacant_labels(body, on=AUGUST_2009) -> list[str]:
    held = Membership.objects.current(on).values("seat")
    return sorted(body.seats.exclude(pk__in=held).values_list("label", flat=True))


# The example files ----------------------------------------------------------------------------


def test_the_pab_roster_has_22_people_and_2_vacancies(pab):
    result = import_roster(PAB_FILE.read_bytes())

    assert result.problems == result.warnings == []
    assert counts(result) == {
        "Seats created": 24,
        "People created": 22,
        "Organisations created": 6,
        "Holdings added": 22,
        "Holdings ended": 0,
        "Holdings unchanged": 0,
        "People named": 22,
        "Vacant seats": 2,
        "Warnings": 0,
    }
    assert pab.seats.count() == 24
    assert Membership.objects.current(AUGUST_2009).filter(seat__body=pab).count() == 22
    assert Person.objects.count() == 22
    assert vacant_labels(pab) == [
        "GP Representative",
        "Representative of the Secondary School Heads",
    ]
    chair = pab.seats.get(role="chair")
    assert (chair.label, chair.represents.name) == ("Chair", "Voluntary & Community Sector")
    assert holders(chair) == [("Michael Hunter", "sole")]
    vice_chair = pab.seats.get(role="vice_chair")
    assert holders(vice_chair) == [("Jenni Stephens", "sole")]
    assert vice_chair.memberships.get().organisation.name == "Worcestershire Primary Care Trust"
    assert set(Membership.objects.values_list("starts_on", flat=True)) == {AUGUST_2009}


def test_the_jcb_vice_chair_job_share_is_one_seat_with_both_names(worcestershire):
    import_roster(PAB_FILE.read_bytes())

    result = import_roster(JCB_FILE.read_bytes())

    assert result.problems == []
    assert messages_of(result.warnings) == ["Line 12: the same as line 8; skipped"]
    jcb = worcestershire[JCB]
    vice_chair = jcb.seats.get(role="vice_chair")
    assert (vice_chair.label, vice_chair.max_holders) == ("Vice-chair", 2)
    assert holders(vice_chair) == [
        ("Lynn Takavarasha", "job_share"),
        ("Simon Hairsnape", "job_share"),
    ]
    assert jcb.seats.count() == 12
    # Michael Hunter and Richard Keble sit on both bodies as the same people.
    assert counts(result)["People created"] == 10
    assert counts(result)["People named"] == 12
    assert Person.objects.count() == 32
    assert Person.objects.get(name="Michael Hunter").memberships.count() == 2


def test_the_jcb_advisors_do_not_vote_and_the_youth_cabinet_attends_in_rotation(worcestershire):
    import_roster(JCB_FILE.read_bytes())
    jcb = worcestershire[JCB]

    assert sorted(jcb.seats.filter(voting=False).values_list("label", flat=True)) == [
        "Chair of the Partnership Advisory Body",
        "Manager of Worcestershire Safeguarding Children Board",
        "Parent/Carer Representative",
        "Representative from the Leaders Group of the District Councils",
        "SDM, Commissioning & Contracting",
        "Youth Cabinet Members",
    ]
    youth = jcb.seats.get(label="Youth Cabinet Members")
    holding = youth.memberships.get()
    assert (youth.kind, youth.role, holding.person, holding.organisation.name) == (
        "rotation",
        "advisor",
        None,
        "Worcestershire Youth Cabinet",
    )
    assert holding.arrangement == "rotation"
    councillor = Person.objects.get(name="Marcus Hart")
    assert (councillor.honorific, councillor.full_name) == ("Councillor", "Councillor Marcus Hart")
    assert Person.objects.filter(name="Roger Hollingsworth").count() == 1
    assert Person.objects.filter(name="Åsa Johnsson Humphries").exists()


def test_importing_the_same_files_again_changes_nothing(worcestershire):
    import_roster(PAB_FILE.read_bytes())
    import_roster(JCB_FILE.read_bytes())
    before = saved_rows()

    results = [import_roster(PAB_FILE.read_bytes()), import_roster(JCB_FILE.read_bytes())]

    assert [counts(result) for result in results] == [
        {
            "Seats created": 0,
            "People created": 0,
            "Organisations created": 0,
            "Holdings added": 0,
            "Holdings ended": 0,
            "Holdings unchanged": 22,
            "People named": 22,
            "Vacant seats": 2,
            "Warnings": 0,
        },
        {
            "Seats created": 0,
            "People created": 0,
            "Organisations created": 0,
            "Holdings added": 0,
            "Holdings ended": 0,
            "Holdings unchanged": 13,
            "People named": 12,
            "Vacant seats": 0,
            "Warnings": 1,
        },
    ]
    assert saved_rows() == before
    assert results[0].describe() == "Nothing changed: everything in the file was already recorded."


def test_a_dry_run_checks_everything_and_saves_nothing(pab):
    result = import_roster(PAB_FILE.read_bytes(), dry_run=True)

    assert result.ok
    assert counts(result)["People created"] == 22
    assert saved_rows() == (0, 0, 0, 0, 0)


# What the columns accept ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "arrangement"),
    [
        ("vice_chair", "job_share"),
        ("Vice-chair", "Job share"),
        ("Vice Chair", "job-share"),
        ("VICE CHAIR", "JOB SHARE"),
    ],
)
def test_roles_and_arrangements_accept_codes_or_labels_in_any_case(pab, role, arrangement):
    result = import_roster(
        csv_text(f"Partnership Advisory Body,Vice-chair,Ann Lee,,{role},,{arrangement},2009-08,,,")
    )

    assert result.problems == []
    holding = Membership.objects.get()
    assert (holding.seat.role, holding.arrangement) == ("vice_chair", "job_share")


@pytest.mark.parametrize(
    ("role", "code"),
    [
        ("Adviser", "advisor"),
        ("advisor", "advisor"),
        ("Participant observer", "participant_observer"),
        ("in attendance", "in_attendance"),
        ("Co-chair", "co_chair"),
        ("", "member"),
    ],
)
def test_roles_include_adviser_and_default_to_member(pab, role, code):
    import_roster(csv_text(f"{PAB},A seat,Ann Lee,,{role},,,2009,,,"))

    assert Seat.objects.get().role == code


@pytest.mark.parametrize(
    ("role", "voting", "expected"),
    [
        ("Member", "", True),
        ("Adviser", "", False),
        ("In attendance", "", False),
        ("Adviser", "yes", True),
        ("Member", "No", False),
    ],
)
def test_voting_defaults_by_role_unless_the_file_says(pab, role, voting, expected):
    import_roster(csv_text(f"{PAB},A seat,Ann Lee,,{role},,,2009,,{voting},"))

    assert Seat.objects.get().voting is expected


@pytest.mark.parametrize(
    ("written", "honorific", "name"),
    [
        ("Councillor Marcus Hart", "Councillor", "Marcus Hart"),
        ("Cllr Dr Jane Smith", "Cllr Dr", "Jane Smith"),
        ("Professor Jo Bloggs", "Professor", "Jo Bloggs"),
        ("Mrs. Ann Lee", "Mrs.", "Ann Lee"),
        ("Dame Ann Lee", "Dame", "Ann Lee"),
        ("Ann Lee", "", "Ann Lee"),
        ("Miss", "", "Miss"),
    ],
)
def test_honorifics_are_kept_apart_from_the_name(pab, written, honorific, name):
    import_roster(csv_text(f"{PAB},A seat,{written},,,,,2009,,,"))

    person = Person.objects.get()
    assert (person.honorific, person.name) == (honorific, name)


@pytest.mark.parametrize("written", ["Marcus Hart", "Cllr Marcus Hart", "MARCUS HART", "Marc Hart"])
def test_people_are_matched_by_name_or_alias_whatever_their_title(pab, written):
    recorded = PersonFactory(name="Marcus Hart", honorific="Councillor", aliases=["Marc Hart"])

    result = import_roster(csv_text(f"{PAB},A seat,{written},,,,,2009,,,"))

    assert counts(result)["People created"] == 0
    assert Membership.objects.get().person == recorded


def test_a_person_recorded_with_an_unknown_title_is_matched_by_the_whole_name(pab):
    recorded = PersonFactory(name="Ann Lee", honorific="Rt Hon")

    import_roster(csv_text(f"{PAB},A seat,Rt Hon Ann Lee,,,,,2009,,,"))

    assert Membership.objects.get().person == recorded


def test_organisations_are_matched_by_name_short_name_or_alias_and_created_when_new(pab):
    council = OrganisationFactory(name="Worcestershire County Council", short_name="WCC")
    nhs = OrganisationFactory(name="NHS Worcestershire", aliases=["Worcestershire PCT"])

    result = import_roster(
        csv_text(
            f"{PAB},Seat 1,Ann Lee,wcc,,,,2009,,,",
            f"{PAB},Seat 2,Bo Diaz,Worcestershire PCT,,,,2009,,,",
            f"{PAB},Seat 3,Cy Ng,Connexions,,,,2009,,,",
        )
    )

    assert result.organisations_created == ["Connexions"]
    assert [m.organisation for m in Membership.objects.order_by("seat__label")] == [
        council,
        nhs,
        Organisation.objects.get(name="Connexions"),
    ]
    assert list(Person.objects.get(name="Ann Lee").organisations.all()) == [council]


def test_two_rows_for_one_seat_at_once_are_a_job_share(pab):
    result = import_roster(
        csv_text(
            f"{PAB},Head of Service,Ann Lee,,,,,2009-08,,,",
            f"{PAB},head of service,Bo Diaz,,,,,2009-08-15,,,",
        )
    )

    assert result.problems == []
    seat = Seat.objects.get()
    assert seat.max_holders == 2
    assert holders(seat, on=datetime.date(2010, 1, 1)) == [
        ("Ann Lee", "job_share"),
        ("Bo Diaz", "job_share"),
    ]


def test_holders_one_after_another_are_not_a_job_share(pab):
    result = import_roster(
        csv_text(
            f"{PAB},Head of Service,Ann Lee,,,,,2009,2010-04,,",
            f"{PAB},Head of Service,Bo Diaz,,,,Interim,2010-04,,,",
        )
    )

    assert result.problems == []
    seat = Seat.objects.get()
    assert seat.max_holders == 1
    assert list(seat.memberships.values_list("person__name", "arrangement", "ends_on")) == [
        ("Ann Lee", "sole", datetime.date(2010, 4, 1)),
        ("Bo Diaz", "interim", None),
    ]


def test_a_blank_person_with_rotation_is_a_group_seat_filled_by_the_organisation(pab):
    result = import_roster(
        csv_text(f"{PAB},Youth Cabinet,,Worcestershire Youth Cabinet,,,rotation,2009-08,,,")
    )

    assert result.problems == []
    holding = Membership.objects.get()
    assert (holding.seat.kind, holding.person, holding.organisation.name) == (
        "rotation",
        None,
        "Worcestershire Youth Cabinet",
    )
    assert counts(result)["Vacant seats"] == 0


@pytest.mark.parametrize("person", ["", "Vacancy", "VACANT"])
def test_a_blank_person_or_vacancy_is_a_vacant_seat(pab, person):
    result = import_roster(csv_text(f"{PAB},GP Representative,{person},,,GPs,,,,,"))

    assert result.vacant_seats == ["Partnership Advisory Body: GP Representative"]
    seat = Seat.objects.get()
    assert (seat.label, seat.represents.name, seat.memberships.count()) == (
        "GP Representative",
        "GPs",
        0,
    )


def test_a_vacant_seat_keeps_the_organisation_that_nominates_to_it(pab):
    import_roster(csv_text(f"{PAB},Council seat,,Worcestershire County Council,,,,,,,"))

    assert Seat.objects.get().nominating_organisation.name == "Worcestershire County Council"


def test_an_exact_duplicate_row_is_reported_and_skipped(pab):
    row = f"{PAB},A seat,Ann Lee,,,,,2009,,,"

    result = import_roster(csv_text(row, row.upper().replace(PAB.upper(), PAB)))

    assert result.problems == []
    assert messages_of(result.warnings) == ["Line 3: the same as line 2; skipped"]
    assert Membership.objects.count() == 1


def test_an_end_date_for_a_recorded_holding_ends_it(pab):
    import_roster(csv_text(f"{PAB},A seat,Ann Lee,,,,,2009,,,"))

    result = import_roster(csv_text(f"{PAB},A seat,Ann Lee,,,,,2009,2011-03-31,,"))

    assert (counts(result)["Holdings ended"], counts(result)["Holdings added"]) == (1, 0)
    assert Membership.objects.get().ends_on == datetime.date(2011, 3, 31)


def test_a_recorded_seat_described_differently_is_a_warning_and_not_changed(pab):
    SeatFactory(body=pab, label="A seat", role="member", voting=True)

    result = import_roster(csv_text(f"{PAB},a seat,Ann Lee,,Adviser,,,2009,,no,"))

    assert messages_of(result.warnings) == [
        "Line 2: 'A seat' is recorded with a different role (Advisor vs Member) and voting "
        "(no vs yes); not changed"
    ]
    assert Seat.objects.get().role == "member"
    assert Membership.objects.count() == 1


def test_a_body_may_be_named_by_its_name_or_slug_in_any_case(pab):
    result = import_roster(
        csv_text(
            "partnership advisory body,Seat 1,Ann Lee,,,,,2009,,,",
            f"{PAB.upper()},Seat 2,Bo Diaz,,,,,2009,,,",
        )
    )

    assert result.problems == []
    assert result.body_slugs == [PAB]
    assert pab.seats.count() == 2


# All or nothing -------------------------------------------------------------------------------

GOOD_ROW = f"{PAB},Head of Service,Ann Lee,,,,,2009-08,,,"


@pytest.mark.parametrize(
    ("bad_rows", "problem"),
    [
        pytest.param(
            ["Nowhere Board,Seat,Bo Diaz,,,,,2009,,,"],
            "Line 3: body 'Nowhere Board' is not recorded: write a body's name or slug",
            id="unknown body",
        ),
        pytest.param(
            ["Joint Commissioning Board,Seat,Bo Diaz,,,,,2009,,,"],
            "Line 3: body 'Joint Commissioning Board' could be the body of that name in "
            "Central Bedfordshire Children's Trust or Worcestershire CYPSP: write its slug "
            "instead (central-bedfordshire-joint-commissioning-board or "
            "worcestershire-joint-commissioning-board)",
            id="ambiguous body",
        ),
        pytest.param(
            [f"{PAB},Seat,Bo Diaz,,Chiar,,,2009,,,"],
            "Line 3: unknown role 'Chiar'. Use one of: Chair, Vice-chair, Co-chair, Member, "
            "Advisor, Participant observer, In attendance",
            id="unknown role",
        ),
        pytest.param(
            [f"{PAB},Seat,Bo Diaz,,,,part time,2009,,,"],
            "Line 3: unknown arrangement 'part time'. Use one of: Sole, Job share, Interim, "
            "Acting, Rotation",
            id="unknown arrangement",
        ),
        pytest.param(
            [f"{PAB},Seat,Bo Diaz,,,,,2009-13,,,"],
            "Line 3: bad date '2009-13' in starts_on: use YYYY-MM-DD, YYYY-MM or YYYY",
            id="bad date",
        ),
        pytest.param(
            [f"{PAB},Seat,Bo Diaz,,,,,,,,"],
            "Line 3: starts_on is empty: give the date the seat was taken (YYYY-MM-DD)",
            id="no start",
        ),
        pytest.param(
            [f"{PAB},Seat,Bo Diaz,,,,,2010,2009,,"],
            "Line 3: ends_on (2009) is not after starts_on (2010)",
            id="ends before it starts",
        ),
        pytest.param(
            [f"{PAB},Seat,Bo Diaz,,,,,2009,,maybe,"],
            "Line 3: voting must be yes or no, not 'maybe'",
            id="voting",
        ),
        pytest.param(
            [f"{PAB},Youth Cabinet,Youth Cabinet Members,,,,Rotation,2009,,,"],
            "Line 3: a seat filled in rotation needs the organisation that fills it",
            id="rotation without organisation",
        ),
        pytest.param(
            [f"{PAB},Seat,Name withheld,,,,,2009,,,"],
            "Line 3: 'Name withheld' is not a name: this file is a public export. Export the "
            "roster signed in as a partnership manager to get the names.",
            id="withheld name",
        ),
        pytest.param(
            [f"{PAB},Second chair,Bo Diaz,,Chair,,,2009,,,"],
            "Line 3: role: Partnership Advisory Body already has a chair then. End that seat "
            "first.",
            id="second chair",
        ),
        pytest.param(
            [f"{PAB},Full Seat,Bo Diaz,,,,,2009-08,,,"],
            "Line 3: Full Seat allows one holder at a time and is held by Cy Ng then. End that "
            "holding first, or make the seat a job share.",
            id="more holders than allowed",
        ),
        pytest.param(
            [f"{PAB},Head of Service,ann lee,,,,,2010,,,"],
            "Line 3: ann lee is already on line 2 for 'Head of Service' at the same time: give "
            "each holder of a seat one row",
            id="person duplicated",
        ),
        pytest.param(
            [f"{PAB},Seat,Bo Diaz,,Member,,,2009,,,", f"{PAB},seat,Di Fox,,Adviser,,,2009,,,"],
            "Line 4: role differs from line 3 for the same seat 'seat': a seat has one role",
            id="one seat two roles",
        ),
        pytest.param(
            [f"{PAB},Seat,Bo Diaz/ Bo Diaz,,,,,2009,,,"],
            "Line 3: Bo Diaz is named twice",
            id="named twice in a job share",
        ),
        pytest.param(
            [f"{PAB},Seat,Bo Diaz,,,,,2008-01,,,"],
            "Line 3: starts_on: Partnership Advisory Body had not started on 1 January 2008 "
            "(R-STR-4)",
            id="before the body",
        ),
        pytest.param(
            [f"{PAB},Seat,Bo Diaz,,,,,2009,,,,extra"],
            "Line 3: it has 12 values but the header has 11",
            id="too many values",
        ),
    ],
)
def test_one_bad_row_imports_nothing_and_names_the_line_and_the_problem(pab, bad_rows, problem):
    BodyFactory(
        name="Joint Commissioning Board",
        slug="central-bedfordshire-joint-commissioning-board",
        partnership=PartnershipFactory(name="Central Bedfordshire Children's Trust"),
    )
    SeatFactory(body=pab, label="Chair", role="chair")
    MembershipFactory(
        seat=SeatFactory(body=pab, label="Full Seat"),
        person=PersonFactory(name="Cy Ng"),
        starts_on=datetime.date(2009, 1, 1),
    )
    before = saved_rows()

    result = import_roster(csv_text(GOOD_ROW, *bad_rows))

    assert messages_of(result.problems) == [problem]
    assert saved_rows() == before


def test_every_problem_in_the_file_is_reported_in_line_order(pab):
    SeatFactory(body=pab, label="Chair", role="chair")

    result = import_roster(
        csv_text(
            f"{PAB},Vice-chair,Ann Lee,,Vice-chair,,,2009,,,",
            f"{PAB},Second chair,Bo Diaz,,Chair,,,2009,,,",
            "Nowhere,Seat,Cy Ng,,,,,2009,,,",
            f"{PAB},Seat,Di Fox,,,,,last year,,,",
            f"{PAB},Another vice-chair,,,Vice-chair,,,,,,",
        )
    )

    assert messages_of(result.problems) == [
        "Line 3: role: Partnership Advisory Body already has a chair then. End that seat first.",
        "Line 4: body 'Nowhere' is not recorded: write a body's name or slug",
        "Line 5: bad date 'last year' in starts_on: use YYYY-MM-DD, YYYY-MM or YYYY",
        "Line 6: role: Partnership Advisory Body already has a vice-chair then. End that seat "
        "first.",
    ]
    assert saved_rows()[:3] == (1, 0, 0)


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        pytest.param(b"", "The file is empty. The first line must name the columns: " + HEADER),
        pytest.param(
            b"body,chair,person\nPAB,x,y\n",
            "Line 1: the header has no seat column and unknown column 'chair'. The first line "
            "must name the columns: " + HEADER,
            id="missing column",
        ),
        pytest.param(
            (HEADER + "\nPAB,Seat,Bj\xf6rk,,,,,2009,,,\n").encode("latin-1"),
            "The file is not UTF-8 text. Save it as 'CSV UTF-8 (Comma delimited)' and try again.",
            id="not utf-8",
        ),
        pytest.param(
            HEADER.encode() + b"\n", "The file has a header but no seats below it.", id="no rows"
        ),
    ],
)
def test_a_file_that_cannot_be_read_is_explained(data, problem):
    result = import_roster(data)

    assert messages_of(result.problems) == [problem]


def test_a_utf8_file_with_a_byte_order_mark_and_friendly_headers_is_read(pab):
    header = (
        "Body,Seat,Person,Organisation,Role,Represents,Arrangement,Starts on,Ends-on,Voting,Notes"
    )
    data = "\ufeff".encode() + f"{header}\n{PAB},Seat,Åsa Lind,,,,,2009,,,\n".encode()

    result = import_roster(data)

    assert result.problems == []
    assert Person.objects.get().name == "Åsa Lind"


# The command ----------------------------------------------------------------------------------


def test_the_command_imports_a_file_and_prints_what_it_did(pab):
    out = io.StringIO()

    call_command("import_roster", str(PAB_FILE), stdout=out)

    assert out.getvalue().splitlines() == [
        "Seats created: 24",
        "People created: 22",
        "Organisations created: 6",
        "Holdings added: 22",
        "Holdings ended: 0",
        "Holdings unchanged: 0",
        "People named: 22",
        "Vacant seats: 2",
        "Warnings: 0",
    ]
    assert Membership.objects.count() == 22


def test_the_command_dry_run_saves_nothing_and_prints_warnings(worcestershire):
    out = io.StringIO()

    call_command("import_roster", str(JCB_FILE), "--dry-run", stdout=out)

    assert out.getvalue().splitlines()[:3] == [
        "Warning: Line 12: the same as line 8; skipped",
        "Dry run: nothing was saved. Importing the file would give:",
        "Seats created: 12",
    ]
    assert saved_rows() == (0, 0, 0, 0, 0)


def test_the_command_reports_each_problem_and_exits_with_an_error(
    pab, tmp_path, capsys, monkeypatch
):
    # run_from_argv closes the database connections as manage.py exits; the test needs its own.
    monkeypatch.setattr(connections, "close_all", lambda: None)
    path = tmp_path / "roster.csv"
    path.write_text(csv_text(GOOD_ROW, f"{PAB},Seat,Bo Diaz,,,,,2009-13,,,"), encoding="utf-8")

    with pytest.raises(SystemExit) as exit_:
        ManagementUtility(["manage.py", "import_roster", str(path)]).execute()

    assert exit_.value.code == 1
    assert capsys.readouterr().err.splitlines() == [
        "Line 3: bad date '2009-13' in starts_on: use YYYY-MM-DD, YYYY-MM or YYYY",
        "CommandError: Nothing was imported: 1 problem",
    ]
    assert saved_rows() == (0, 0, 0, 0, 0)


def test_the_command_explains_a_file_it_cannot_read(tmp_path):
    with pytest.raises(CommandError, match=r"^Cannot read .*missing\.csv: No such file"):
        call_command("import_roster", str(tmp_path / "missing.csv"))


# Exports --------------------------------------------------------------------------------------


def export_url(slug=PAB, fmt="csv", **query) -> str:
    url = reverse("membership:roster-export", kwargs={"slug": slug, "fmt": fmt})
    return f"{url}?{'&'.join(f'{key}={value}' for key, value in query.items())}" if query else url


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"), newline="")))


@pytest.fixture
def small_roster(pab):
    """A chair, a job share, a minor, a vacancy, an ex officio seat and a past holder."""
    council = OrganisationFactory(name="Worcestershire County Council")
    chair = SeatFactory(body=pab, label="Chair", role="chair", order=1)
    MembershipFactory(
        seat=chair,
        person=PersonFactory(name="Marcus Hart", honorific="Councillor"),
        organisation=council,
        starts_on=datetime.date(2009, 8, 1),
        notes='=HYPERLINK("http://evil.example","Click")',
    )
    shared = SeatFactory(body=pab, label="Head of Service", max_holders=2, order=2)
    for name in ["Ann Lee", "Bo Diaz"]:
        MembershipFactory(
            seat=shared,
            person=PersonFactory(name=name),
            arrangement="job_share",
            starts_on=datetime.date(2009, 8, 1),
        )
    youth = SeatFactory(
        body=pab,
        label="Young people's representative",
        voting=False,
        represents=Constituency.objects.create(name="Children and young people"),
        order=3,
    )
    MembershipFactory(
        seat=youth,
        person=PersonFactory(name="Kim Young", publish_name=False),
        starts_on=datetime.date(2009, 9, 1),
        notes="Year 10, Kim's school",
    )
    SeatFactory(body=pab, label="GP Representative", order=4)
    other_body = BodyFactory(name="Trust Board", partnership=pab.partnership)
    SeatFactory(
        body=other_body, label="Chair of the PAB", kind="ex_officio", ex_officio_of=chair, order=1
    )
    MembershipFactory(
        seat=SeatFactory(body=pab, label="Former seat", order=5),
        person=PersonFactory(name="Di Fox"),
        starts_on=datetime.date(2008, 6, 1),
        ends_on=datetime.date(2009, 8, 1),
    )
    return pab


STAFF_ROWS = [
    HEADER.split(","),
    [
        PAB,
        "Chair",
        "Councillor Marcus Hart",
        "Worcestershire County Council",
        "Chair",
        "",
        "Sole",
        "2009-08-01",
        "",
        "yes",
        '\'=HYPERLINK("http://evil.example","Click")',
    ],
    [PAB, "Head of Service", "Bo Diaz", "", "Member", "", "Job share", "2009-08-01", "", "yes", ""],
    [PAB, "Head of Service", "Ann Lee", "", "Member", "", "Job share", "2009-08-01", "", "yes", ""],
    [
        PAB,
        "Young people's representative",
        "Kim Young",
        "",
        "Member",
        "Children and young people",
        "Sole",
        "2009-09-01",
        "",
        "no",
        "Year 10, Kim's school",
    ],
    [PAB, "GP Representative", "", "", "Member", "", "", "", "", "yes", ""],
    [PAB, "Former seat", "", "", "Member", "", "", "", "", "yes", ""],
]
WITHHELD_ROW = [
    PAB,
    "Young people's representative",
    "Name withheld",
    "",
    "Member",
    "Children and young people",
    "Sole",
    "2009-09-01",
    "",
    "no",
    "",
]
PUBLIC_ROWS = [*STAFF_ROWS[:4], WITHHELD_ROW, *STAFF_ROWS[5:]]


@pytest.mark.parametrize("who", ["partnership_manager", "officer"])
def test_staff_export_the_roster_with_every_name(client, request, small_roster, who):
    client.force_login(request.getfixturevalue(who))

    response = client.get(export_url(on="2010-01-01"))

    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="{PAB}-roster-2010-01-01.csv"'
    )
    assert response.headers["Cache-Control"] == "private, no-store"
    assert csv_rows(response) == STAFF_ROWS


@pytest.mark.parametrize("who", [None, "board_member"])
def test_the_public_and_board_members_get_minors_names_withheld(client, request, small_roster, who):
    if who:
        client.force_login(request.getfixturevalue(who))

    response = client.get(export_url(on="2010-01-01"))

    assert response.status_code == 200
    assert csv_rows(response) == PUBLIC_ROWS
    assert b"Kim" not in response.content


def test_the_export_is_as_at_a_date_and_today_by_default(client, small_roster):
    before_the_minor = csv_rows(client.get(export_url(on="2009-08-01")))
    earlier = csv_rows(client.get(export_url(on="2009-07-01")))
    today = client.get(export_url())

    assert [row[2] for row in before_the_minor[1:]] == [
        "Councillor Marcus Hart",
        "Bo Diaz",
        "Ann Lee",
        "",
        "",
        "",
    ]
    assert [(row[1], row[2]) for row in earlier[1:]] == [
        ("Chair", ""),
        ("Head of Service", ""),
        ("Young people's representative", ""),
        ("GP Representative", ""),
        ("Former seat", "Di Fox"),
    ]
    assert (
        f"{PAB}-roster-{datetime.date.today().isoformat()}.csv"
        in (today.headers["Content-Disposition"])
    )
    assert "Cache-Control" not in today.headers


def test_an_ex_officio_seat_exports_whoever_holds_its_source_seat(client, small_roster):
    response = client.get(export_url(slug="trust-board", on="2010-01-01"))

    assert csv_rows(response)[1] == [
        "trust-board",
        "Chair of the PAB",
        "Councillor Marcus Hart",
        "Worcestershire County Council",
        "Member",
        "",
        "Sole",
        "2009-08-01",
        "",
        "yes",
        "Ex officio: Chair, Partnership Advisory Body",
    ]


@pytest.mark.parametrize(
    ("who", "young_person"), [(None, "Name withheld"), ("partnership_manager", "Kim Young")]
)
def test_the_xlsx_export_has_the_same_rows_as_text_and_dates(
    client, request, small_roster, who, young_person
):
    if who:
        client.force_login(request.getfixturevalue(who))

    response = client.get(export_url(fmt="xlsx", on="2010-01-01"))

    assert response.headers["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="{PAB}-roster-2010-01-01.xlsx"'
    )
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert values[0] == HEADER.split(",")
    assert values[1][:8] == [
        PAB,
        "Chair",
        "Councillor Marcus Hart",
        "Worcestershire County Council",
        "Chair",
        None,
        "Sole",
        datetime.datetime(2009, 8, 1),
    ]
    assert [row[2] for row in values[1:]] == [
        "Councillor Marcus Hart",
        "Bo Diaz",
        "Ann Lee",
        young_person,
        None,
        None,
    ]
    notes = sheet.cell(row=2, column=11)
    assert (notes.value, notes.data_type) == ('\'=HYPERLINK("http://evil.example","Click")', "s")


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_every_cell_a_spreadsheet_would_run_is_defused(client, pab, start):
    seat = SeatFactory(body=pab, label=f"{start}cmd|' /C calc'!A0")
    MembershipFactory(seat=seat, person=PersonFactory(name="Ann Lee"), notes=f"{start}1+1")

    csv_row = csv_rows(client.get(export_url()))[1]
    sheet = openpyxl.load_workbook(io.BytesIO(client.get(export_url(fmt="xlsx")).content)).active

    assert (csv_row[1], csv_row[10]) == (f"'{start}cmd|' /C calc'!A0", f"'{start}1+1")
    assert [sheet.cell(row=2, column=column).data_type for column in (2, 11)] == ["s", "s"]
    # XML reads a carriage return back as a newline, so compare around it.
    notes = sheet.cell(row=2, column=11).value
    assert (notes[0], notes[2:]) == ("'", "1+1")


def test_a_staff_export_imports_again_without_changes(client, partnership_manager, small_roster):
    client.force_login(partnership_manager)
    exported = client.get(export_url(on="2010-01-01")).content
    before = saved_rows()

    result = import_roster(exported)

    assert result.problems == []
    assert (counts(result)["Holdings unchanged"], counts(result)["Vacant seats"]) == (4, 2)
    assert result.describe() == "Nothing changed: everything in the file was already recorded."
    assert saved_rows() == before


def test_the_exported_jcb_imports_again_without_changes(client, officer, worcestershire):
    import_roster(JCB_FILE.read_bytes())
    client.force_login(officer)
    exported = client.get(export_url(slug=JCB, on="2009-08-01")).content
    before = saved_rows()

    result = import_roster(exported)

    assert (result.problems, result.warnings) == ([], [])
    assert counts(result)["Holdings unchanged"] == 13
    assert saved_rows() == before


def test_an_exported_ex_officio_seat_imports_again_without_changes(client, small_roster):
    exported = client.get(export_url(slug="trust-board", on="2010-01-01")).content

    result = import_roster(exported)

    assert result.problems == []
    assert counts(result)["Holdings unchanged"] == 1


def test_an_ex_officio_seat_is_not_given_holders_of_its_own(small_roster):
    result = import_roster(csv_text("trust-board,Chair of the PAB,Ann Lee,,,,,2009-08,,,"))

    assert messages_of(result.problems) == [
        "Line 2: Chair of the PAB is held ex officio by whoever holds Chair: appoint to that "
        "seat instead."
    ]


def test_an_export_needs_a_known_body_format_and_date(client, pab):
    assert client.get(export_url(slug="nowhere")).status_code == 404
    assert client.get(export_url(fmt="pdf")).status_code == 404
    response = client.get(export_url(on="1 August 2009"))
    assert (response.status_code, response.content) == (
        400,
        b"Enter the date as YYYY-MM-DD, for example 2009-08-01",
    )


def test_the_export_runs_a_fixed_number_of_queries(client, django_assert_num_queries, small_roster):
    # body, seats (+ represents, organisation, source seat and body), holdings, source holdings
    with django_assert_num_queries(4):
        client.get(export_url(slug="trust-board", on="2010-01-01"))


# The upload page ------------------------------------------------------------------------------


def upload(text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("roster.csv", text.encode(), content_type="text/csv")


def test_a_partnership_manager_checks_a_roster_then_imports_it(client, partnership_manager, pab):
    client.force_login(partnership_manager)

    checked = client.post(URL, {"file": upload(PAB_FILE.read_text(encoding="utf-8"))})

    page = checked.content.decode()
    assert checked.status_code == 200
    assert '<h2 class="govuk-heading-l">The file is ready to import</h2>' in page
    assert counts(checked.context["result"])["People named"] == 22
    assert counts(checked.context["result"])["Vacant seats"] == 2
    assert "<li>Partnership Advisory Body: GP Representative</li>" in page
    assert "<li>Michael Hunter</li>" in page
    assert saved_rows() == (0, 0, 0, 0, 0)

    imported = client.post(URL, {"content": checked.context["checked_content"]})

    assert imported.status_code == 302
    assert imported.headers["Location"] == reverse("membership:roster", kwargs={"slug": PAB})
    assert [str(message) for message in get_messages(imported.wsgi_request)] == [
        "Imported the file. Seats created: 24; people created: 22; organisations created: 6; "
        "holdings added: 22."
    ]
    assert saved_rows()[:3] == (24, 22, 22)


def test_the_upload_page_lists_each_problem_then_imports_the_corrected_file(
    client, partnership_manager, pab
):
    client.force_login(partnership_manager)
    vacancy = f"{PAB},GP Representative,Vacancy,,,,,,,,"

    response = client.post(
        URL, {"file": upload(csv_text(GOOD_ROW, f"{PAB},Seat,Bo Diaz,,Chiar,,,2009,,,", vacancy))}
    )

    page = response.content.decode()
    assert "The file has 1 problem: nothing was imported" in page
    assert (
        '<li><a href="#id_file">Line 3: unknown role &#x27;Chiar&#x27;. Use one of: Chair, '
        "Vice-chair, Co-chair, Member, Advisor, Participant observer, In attendance</a></li>"
    ) in page
    assert "<title>Error: Import a roster from a spreadsheet" in page
    assert 'name="content"' not in page
    assert saved_rows() == (0, 0, 0, 0, 0)

    fixed = csv_text(GOOD_ROW, f"{PAB},Seat,Bo Diaz,,Chair,,,2009,,,", vacancy)
    checked = client.post(URL, {"file": upload(fixed)})
    client.post(URL, {"content": checked.context["checked_content"]})

    assert vacant_labels(pab) == ["GP Representative"]


def test_a_partnership_manager_sees_the_upload_form(client, partnership_manager):
    client.force_login(partnership_manager)

    response = client.get(URL)

    page = response.content.decode()
    assert response.status_code == 200
    assert '<h1 class="govuk-heading-xl">Import a roster from a spreadsheet</h1>' in page
    assert 'class="govuk-file-upload"' in page
    assert f"<code>{HEADER}</code>" in page


@pytest.mark.parametrize("who", ["board_member", "officer"])
def test_other_signed_in_people_may_not_import_a_roster(client, request, pab, who):
    client.force_login(request.getfixturevalue(who))

    check = client.post(URL, {"file": upload(PAB_FILE.read_text(encoding="utf-8"))})
    imported = client.post(URL, {"content": PAB_FILE.read_text(encoding="utf-8")})

    assert client.get(URL).status_code == check.status_code == imported.status_code == 403
    assert saved_rows() == (0, 0, 0, 0, 0)


def test_anonymous_visitors_are_sent_to_sign_in_to_import(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert response.headers["Location"] == f"{reverse('login')}?next={URL}"
