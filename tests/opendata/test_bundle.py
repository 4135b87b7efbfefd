"""The CSV bundle: the public record, round-tripping through the csv module, with its README."""

import csv
import datetime
import io
import zipfile

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from meetings.models import AgendaItem, Decision, Meeting, MinuteEntry, Minutes
from membership.models import Membership, Person, Seat
from opendata import bundle, tasks
from partnerships.models import Body
from tests.factories import (
    AgendaItemFactory,
    BodyFactory,
    MeetingFactory,
    MembershipFactory,
    PersonFactory,
    SeatFactory,
)

pytestmark = pytest.mark.django_db

FILES = [
    "README.md",
    "bodies.csv",
    "seats.csv",
    "memberships.csv",
    "meetings.csv",
    "items.csv",
    "decisions.csv",
]


def read(content: bytes) -> dict:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert archive.namelist() == FILES
        return {
            name: archive.read(name).decode()
            if name.endswith(".md")
            else list(csv.DictReader(io.StringIO(archive.read(name).decode())))
            for name in FILES
        }


def public_counts() -> dict:
    public = AnonymousUser()
    return {
        "bodies.csv": Body.objects.count(),
        "seats.csv": Seat.objects.count(),
        "memberships.csv": Membership.objects.count(),
        "meetings.csv": Meeting.objects.visible_to(public).count(),
        "items.csv": AgendaItem.objects.visible_to(public).count(),
        "decisions.csv": Decision.objects.filter(
            item__minute__in=MinuteEntry.objects.visible_to(public)
        ).count(),
    }


@pytest.fixture
def record():
    body = BodyFactory(name="Children's Trust Board", meets_in_public=True)
    youth_seat = SeatFactory(body=body, label="Young people's representative")
    young_person = PersonFactory(name="Jamie Child", publish_name=False, job_title="Pupil")
    MembershipFactory(seat=youth_seat, person=young_person)
    MembershipFactory(seat=SeatFactory(body=body, label="Chair", role="chair"))
    meeting = MeetingFactory(body=body, agenda_published_at=timezone.now())
    public_item = AgendaItemFactory(meeting=meeting, order=1, title="=SUM(A1:A2) strategy")
    exempt_item = AgendaItemFactory(
        meeting=meeting,
        order=2,
        title="Contract award",
        is_exempt=True,
        exempt_paragraph=3,
        public_interest_statement="Commercially sensitive",
        presenter=young_person,
    )
    later = MeetingFactory(body=body, starts_at=meeting.starts_at + datetime.timedelta(days=40))
    AgendaItemFactory(meeting=later, order=1, title="Unpublished item")
    minutes = Minutes.objects.create(
        meeting=meeting,
        status=Minutes.Status.APPROVED,
        approved_at=later,
        approved_on=datetime.date(2015, 6, 10),
        signed_by=PersonFactory(),
    )
    for item, text in [(public_item, "Agreed the strategy"), (exempt_item, "Awarded to Acme")]:
        MinuteEntry.objects.create(minutes=minutes, item=item)
        Decision.objects.create(item=item, text=text, outcome="agreed")
    MeetingFactory(body=body, is_public=False, agenda_published_at=timezone.now())
    return locals()


def test_the_bundle_round_trips_with_the_public_row_counts(record):
    files = read(bundle.build())

    assert {name: len(rows) for name, rows in files.items() if name != "README.md"} == {
        "bodies.csv": 1,
        "seats.csv": 2,
        "memberships.csv": 2,
        "meetings.csv": 2,
        "items.csv": 1,
        "decisions.csv": 1,
    }
    assert public_counts() == {
        name: len(rows) for name, rows in files.items() if name != "README.md"
    }
    [item] = files["items.csv"]
    assert item["title"] == "'=SUM(A1:A2) strategy"
    assert item["number"] == "1"
    [decision] = files["decisions.csv"]
    assert decision["text"] == "Agreed the strategy"
    assert decision["item_id"] == str(record["public_item"].pk)
    published = next(m for m in files["meetings.csv"] if m["id"] == str(record["meeting"].pk))
    assert published["minutes_status"] == "approved"
    assert published["starts_at"] == "2015-04-29T14:00:00+01:00"


def test_withheld_names_and_exempt_material_never_reach_the_bundle(record):
    content = bundle.build()

    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        text = "".join(archive.read(name).decode() for name in FILES)
    for secret in ["Jamie Child", "Pupil", "Contract award", "Acme", "Unpublished item"]:
        assert secret not in text
    youth = next(
        row
        for row in read(content)["memberships.csv"]
        if row["seat_id"] == str(record["youth_seat"].pk)
    )
    assert (youth["person"], youth["person_id"]) == ("Name withheld", "")


def test_the_readme_describes_every_column(record):
    files = read(bundle.build())

    readme = files["README.md"]
    for table in bundle.TABLES:
        assert f"## {table.file_name}" in readme
        header = list(files[table.file_name][0])
        assert header == [column.name for column in table.columns]
        for column in table.columns:
            assert f"- `{column.name}`: {column.description}" in readme


def test_the_download_builds_the_bundle_when_there_is_none(client, record):
    response = client.get(reverse("opendata:bundle-download"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith('attachment; filename="public-record-')
    assert response["Cache-Control"] == "public, max-age=300"
    assert len(read(b"".join(response.streaming_content))["bodies.csv"]) == 1
    assert default_storage.exists(bundle.STORED_AS)


def test_the_nightly_task_rebuilds_the_stored_bundle(settings, record):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    bundle.publish()
    Body.objects.update(name="Renamed Board")

    tasks.nightly_bundle.enqueue()

    with default_storage.open(bundle.STORED_AS, "rb") as stored:
        assert read(stored.read())["bodies.csv"][0]["name"] == "Renamed Board"


def test_the_nightly_run_is_booked_once_for_two_in_the_morning(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    from django_tasks_db.models import DBTaskResult

    assert tasks.schedule_nightly_bundle() is True
    assert tasks.schedule_nightly_bundle() is False

    [booked] = DBTaskResult.objects.all()
    assert booked.task_path == "opendata.tasks.nightly_bundle"
    assert timezone.localtime(booked.run_after).time() == datetime.time(2, 0)


@pytest.mark.parametrize(
    ("now", "next_run"),
    [
        ("2026-03-28T23:30:00+00:00", "2026-03-29T02:00:00+01:00"),
        ("2026-06-01T01:59:00+01:00", "2026-06-01T02:00:00+01:00"),
        ("2026-06-01T02:00:00+01:00", "2026-06-02T02:00:00+01:00"),
    ],
)
def test_the_next_night_is_the_next_two_in_the_morning_uk_time(now, next_run):
    assert tasks.next_night(datetime.datetime.fromisoformat(now)).isoformat() == next_run


def test_only_staff_may_rebuild_the_bundle_on_demand(client, settings, board_member, officer):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    url = reverse("opendata:bundle-rebuild")

    client.force_login(board_member)
    denied = client.post(url)
    built_when_denied = default_storage.exists(bundle.STORED_AS)
    client.force_login(officer)
    allowed = client.post(url, follow=True)

    assert denied.status_code == 403
    assert not built_when_denied
    assert allowed.redirect_chain == [(reverse("opendata:developers"), 302)]
    assert "The download is being rebuilt: it will be ready in a few minutes" in (
        allowed.content.decode()
    )
    assert "Rebuild the download now" in allowed.content.decode()
    assert default_storage.exists(bundle.STORED_AS)


def test_the_demo_bundle_holds_every_public_row_and_no_withheld_name():
    call_command("load_demo", allow_production=True)
    withheld = list(Person.objects.filter(publish_name=False).values_list("name", flat=True))

    content = bundle.build()

    files = read(content)
    assert public_counts() == {
        name: len(rows) for name, rows in files.items() if name != "README.md"
    }
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        text = "".join(archive.read(name).decode() for name in FILES)
    assert [name for name in withheld if name in text] == []
