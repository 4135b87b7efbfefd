"""Seeded faults: remove one guard at a time from a copy of the code and check the tests notice.

For each fault the script edits one file in a temporary copy of the repository (never the
checkout), runs the tests that should catch it with this virtualenv's Python and the same
DATABASE_URL, and puts the file back. A fault is caught when those tests fail. It first runs
every chosen test on the unchanged copy: a failure there would make "caught" meaningless.

    DATABASE_URL=postgres://... .venv/bin/python scripts/seeded_faults.py [fault-name ...]

Exits 1 if any fault is not caught (or a replacement no longer matches the source, which
means this script must be brought up to date with the code it mutates).
"""

import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
IGNORED = shutil.ignore_patterns(
    ".venv", "node_modules", "var", ".git", "__pycache__", ".pytest_cache", ".hypothesis", "*.pyc"
)


@dataclass(frozen=True)
class Fault:
    name: str
    path: str
    old: str
    new: str
    tests: tuple[str, ...]


FAULTS = [
    Fault(
        name="exempt flag ignored",
        path="meetings/visibility.py",
        old="""            & Q(meeting__is_public=True, is_exempt=False)
            & (Q(parent__isnull=True) | Q(parent__is_exempt=False))""",
        new="""            & Q(meeting__is_public=True)""",
        tests=("tests/meetings/test_exempt_canary.py",),
    ),
    Fault(
        name="membership not scoped to the body",
        path="meetings/visibility.py",
        old='    return frozenset(seats.values_list("body_id", flat=True))',
        new=(
            "    from partnerships.models import Body\n\n"
            '    return frozenset(Body.objects.values_list("pk", flat=True))'
        ),
        tests=("tests/meetings/test_exempt_canary.py", "tests/meetings/test_papers.py"),
    ),
    Fault(
        name="403 instead of 404 for hidden objects",
        path="meetings/views/meetings.py",
        old='    raise Http404("Not found")',
        new="    raise __import__('django.core.exceptions').core.exceptions.PermissionDenied",
        tests=(
            "tests/meetings/test_meeting_pages.py::test_a_private_meeting_is_hidden_from_non_members",
            "tests/meetings/test_attendance.py::"
            "test_people_who_cannot_see_a_private_meeting_get_404_or_the_login_page",
        ),
    ),
    Fault(
        name="draft minutes check removed",
        path="meetings/visibility.py",
        old="""        as_public = Q(
            minutes__status="approved", minutes__meeting__is_public=True, item__is_exempt=False
        )""",
        new="""        as_public = Q(minutes__meeting__is_public=True, item__is_exempt=False)""",
        tests=(
            "tests/meetings/test_minutes.py",
            "tests/security/test_hostile_input.py::"
            "test_draft_minutes_are_visible_only_to_members_and_staff",
        ),
    ),
    Fault(
        name="optimistic lock removed",
        path="meetings/minutes.py",
        old="MinuteEntry.objects.filter(pk=entry.pk, version=expected_version).update(",
        new="MinuteEntry.objects.filter(pk=entry.pk).update(",
        tests=(
            "tests/meetings/test_minutes.py::"
            "test_the_second_of_two_concurrent_saves_gets_a_conflict_and_nothing_is_lost",
            "tests/security/test_concurrency.py::"
            "test_25_races_of_two_officers_saving_the_same_minute_lose_no_update",
        ),
    ),
    Fault(
        name="CSV escaping removed",
        path="membership/importer.py",
        old="""    return f"'{text}" if text.startswith(FORMULA_STARTS) else text""",
        new="""    return text""",
        tests=(
            "tests/security/test_hostile_input.py::"
            "test_roster_exports_defuse_formulas_in_every_text_cell",
        ),
    ),
    Fault(
        name="atomic publish removed",
        path="meetings/services.py",
        old="""    now = timezone.now()
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update()""",
        new="""    now = timezone.now()
    if True:
        meeting = Meeting.objects.select_for_update()""",
        tests=(
            "tests/security/test_concurrency.py::test_publishing_changes_everything_or_nothing",
        ),
    ),
    Fault(
        name="shared agenda not keyed on the reader",
        path="meetings/views/meetings.py",
        old="        (meeting.pk, *reader),\n",
        new="        (meeting.pk,),\n",
        tests=("tests/partnerships/test_fragments.py",),
    ),
    Fault(
        name="shared pages not keyed on the data version",
        path="partnerships/fragments.py",
        old='key = ":".join([page, version or data_version(), *map(str, parts)])',
        new='key = ":".join([page, *map(str, parts)])',
        tests=("tests/partnerships/test_fragments.py",),
    ),
]


def pytest(copy: Path, tests) -> tuple[int, float, str]:
    """Run the tests in the copy; pytest's exit code, the time taken and its output."""
    started = time.monotonic()
    # A fixed argument list (no shell); only the test paths above vary.
    result = subprocess.run(  # noqa: S603
        [
            str(REPO / ".venv" / "bin" / "python"),
            "-m",
            "pytest",
            *tests,
            "-q",
            "-x",
            "--reuse-db",
        ],
        cwd=copy,
        # The copy comes first, so the mutated modules are the ones imported.
        env={**os.environ, "PYTHONPATH": str(copy), "PYTHONDONTWRITEBYTECODE": "1"},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    return result.returncode, time.monotonic() - started, result.stdout


def mutate(copy: Path, fault: Fault) -> str:
    """Apply the fault to the copy; the file's original text, to put back."""
    path = copy / fault.path
    original = path.read_text()
    found = original.count(fault.old)
    if found != 1:
        sys.exit(
            f"seeded_faults: {fault.name!r}: expected the guard once in {fault.path}, "
            f"found it {found} times. Update the replacement to match the code."
        )
    path.write_text(original.replace(fault.old, fault.new))
    return original


def main(names: list[str]) -> int:
    if "DATABASE_URL" not in os.environ:
        sys.exit("seeded_faults: set DATABASE_URL (the tests create their own test database)")
    faults = [fault for fault in FAULTS if not names or fault.name in names]
    if not faults:
        sys.exit(f"seeded_faults: no such fault; choose from {[f.name for f in FAULTS]}")
    with tempfile.TemporaryDirectory(prefix="seeded-faults-") as temp:
        copy = Path(temp) / "repo"
        shutil.copytree(REPO, copy, ignore=IGNORED)
        # Check every guard is still where the script expects it before spending time on tests.
        for fault in faults:
            (copy / fault.path).write_text(mutate(copy, fault))

        baseline = sorted({test for fault in faults for test in fault.tests})
        code, seconds, output = pytest(copy, baseline)
        print(f"baseline (no fault): {len(baseline)} test targets, exit {code}, {seconds:.0f} s")
        if code != 0:
            print(output[-5000:])
            print("seeded_faults: the tests fail without any fault; fix them first")
            return 1

        rows = []
        for fault in faults:
            original = mutate(copy, fault)
            try:
                code, seconds, output = pytest(copy, fault.tests)
            finally:
                (copy / fault.path).write_text(original)
            caught = {0: "NO", 1: "yes"}.get(code, f"error (exit {code})")
            if code not in (0, 1):
                print(output[-3000:], file=sys.stderr)
            rows.append((fault.name, ", ".join(fault.tests), caught, seconds))

    width = max(len(row[0]) for row in rows)
    print(f"{'fault':<{width}} | caught? | time | tests run")
    print(f"{'-' * width}-+---------+------+----------")
    for name, tests, caught, seconds in rows:
        print(f"{name:<{width}} | {caught:<7} | {seconds:3.0f} s | {tests}")
    killed = sum(caught == "yes" for _, _, caught, _ in rows)
    print(f"seeded faults killed {killed}/{len(rows)}")
    return 0 if killed == len(rows) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
