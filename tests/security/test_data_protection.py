"""Subject access, erasure that keeps the public record coherent, and the retention schedule."""

import datetime
import io
import json
import zoneinfo

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command

from meetings.models import (
    Action,
    Attendance,
    Declaration,
    MinuteEntry,
    Minutes,
    Paper,
    PaperKind,
)
from membership.data_protection import anonymise, personal_data
from membership.models import InterestDeclaration, Membership, Person
from subscriptions.models import Subscription
from tests.factories import (
    AgendaItemFactory,
    BodyFactory,
    MeetingFactory,
    MembershipFactory,
    PersonFactory,
    UserFactory,
)

LONDON = zoneinfo.ZoneInfo("Europe/London")


@pytest.fixture
def record(officer):
    """Marcus Hart holds a seat, has interests, attended a meeting, declared, owns an action."""
    user = UserFactory(username="marcus", email="marcus@example.org")
    person = PersonFactory(
        name="Marcus Hart",
        honorific="Councillor",
        email="marcus.hart@example.org",
        phone="01223 000000",
        aliases=["Mark Hart"],
        user=user,
    )
    holding = MembershipFactory(person=person)
    InterestDeclaration.objects.create(
        person=person,
        kind="employment",
        description="Governor, Parkside School",
        registered_on=datetime.date(2014, 6, 1),
    )
    item = AgendaItemFactory(meeting__body=holding.seat.body, title="Budget 2015/16")
    meeting = item.meeting
    Attendance.objects.create(meeting=meeting, person=person, seat=holding.seat, status="present")
    other = PersonFactory(name="Ann Other")
    Attendance.objects.create(meeting=meeting, person=other, status="apologies")
    Declaration.objects.create(
        meeting=meeting, item=item, person=person, interest="Governor of a school in the pilot"
    )
    Action.objects.create(
        meeting=meeting,
        item=item,
        owner=person,
        description="Circulate the budget",
        due_on=datetime.date(2015, 6, 1),
    )
    minutes = Minutes.objects.create(meeting=meeting)
    MinuteEntry.objects.create(
        minutes=minutes,
        item=item,
        text="<p>Councillor Marcus Hart presented the budget.</p>",
        resolution="Agreed.",
    )
    # Follows the body signed in, and another body by a differently cased home address.
    Subscription.objects.create(body=meeting.body, user=user, confirmed_at=meeting.starts_at)
    Subscription.objects.create(body=BodyFactory(), email="Marcus.Hart@Example.org")
    Subscription.objects.create(body=meeting.body, email="someone.else@example.org")
    return person


@pytest.mark.django_db
def test_export_holds_details_holdings_interests_attendance_and_mentions(record):
    out = io.StringIO()
    call_command("export_personal_data", str(record.pk), stdout=out)
    data = json.loads(out.getvalue())

    assert data["person"]["name"] == "Marcus Hart"
    assert data["person"]["email"] == "marcus.hart@example.org"
    assert data["login"]["username"] == "marcus"
    assert [h["seat"] for h in data["holdings"]] == [record.memberships.get().seat.label]
    assert [i["description"] for i in data["interests"]] == ["Governor, Parkside School"]
    assert [(a["status"], a["meeting_id"]) for a in data["attendance"]] == [
        ("Present", record.attendance.get().meeting_id)
    ]
    assert [d["interest"] for d in data["declarations"]] == ["Governor of a school in the pilot"]
    assert [a["description"] for a in data["actions"]] == ["Circulate the budget"]
    assert [m["item"] for m in data["minutes_mentions"]] == ["Budget 2015/16"]
    assert "Councillor Marcus Hart presented the budget." in data["minutes_mentions"][0]["excerpt"]
    assert sorted((s["email"] or "", s["confirmed_at"] is None) for s in data["subscriptions"]) == [
        ("", False),
        ("Marcus.Hart@Example.org", True),
    ]


@pytest.mark.django_db
def test_export_of_an_unknown_person_fails_clearly():
    with pytest.raises(Exception, match="There is no person with id 999999"):
        call_command("export_personal_data", "999999")


@pytest.mark.django_db
def test_anonymise_erases_identity_but_keeps_the_record_coherent(record, officer):
    counts_before = {
        "holdings": Membership.objects.count(),
        "attendance": Attendance.objects.count(),
        "declarations": Declaration.objects.count(),
        "actions": Action.objects.count(),
        "people": Person.objects.count(),
    }
    minute_before = MinuteEntry.objects.get().text

    anonymise(record, by=officer)

    person = Person.objects.get(pk=record.pk)
    assert person.name == f"Former member {record.pk}"
    assert (person.honorific, person.email, person.phone, person.aliases, person.user) == (
        "",
        "",
        "",
        [],
        None,
    )
    assert InterestDeclaration.objects.filter(person=person).count() == 0
    assert {
        "holdings": Membership.objects.count(),
        "attendance": Attendance.objects.count(),
        "declarations": Declaration.objects.count(),
        "actions": Action.objects.count(),
        "people": Person.objects.count(),
    } == counts_before
    # The seat history and the attendance still point at the (now anonymous) person.
    assert person.memberships.count() == 1
    assert person.attendance.get().status == "present"
    # Minutes are the legal record: not rewritten (documented in membership/data_protection.py).
    assert MinuteEntry.objects.get().text == minute_before

    data = personal_data(person)
    assert data["person"]["name"] == f"Former member {record.pk}"
    assert data["login"] is None
    assert data["interests"] == []
    assert len(data["holdings"]) == 1
    assert data["subscriptions"] == []
    # Only the person's own subscriptions went.
    assert list(Subscription.objects.values_list("email", flat=True)) == [
        "someone.else@example.org"
    ]


@pytest.mark.django_db
def test_anonymise_leaves_no_old_name_in_the_audit_history(record, officer):
    from django.apps import apps

    try:
        events = apps.get_model("membership", "PersonEvent")
    except LookupError:
        pytest.skip("Person history is not recorded")
    anonymise(record, by=officer)
    assert events.objects.filter(pgh_obj_id=record.pk).exists()
    assert not events.objects.filter(pgh_obj_id=record.pk, name="Marcus Hart").exists()
    assert not events.objects.filter(pgh_obj_id=record.pk).exclude(email="").exists()


def paper_on(meeting, title, kind=PaperKind.BACKGROUND):
    item = AgendaItemFactory(meeting=meeting)
    paper = Paper(
        item=item,
        title=title,
        kind=kind,
        original_name=f"{title}.txt",
        content_type="text/plain",
        size=5,
    )
    paper.file.save("paper.txt", ContentFile(b"hello"))
    return paper


@pytest.mark.django_db
def test_retention_dry_run_lists_then_apply_deletes_papers_past_four_years(settings):
    old = MeetingFactory(starts_at=datetime.datetime(2015, 4, 29, 14, 0, tzinfo=LONDON))
    recent = MeetingFactory(starts_at=datetime.datetime(2016, 4, 29, 14, 0, tzinfo=LONDON))
    old_paper = paper_on(old, "old")
    recent_paper = paper_on(recent, "recent", kind=PaperKind.REPORT)
    # The report on the same old item is part of the record: six years, not four.
    old_report = paper_on(old, "old report", kind=PaperKind.REPORT)
    minutes = Minutes.objects.create(meeting=old)
    old_file = settings.MEDIA_ROOT / old_paper.file.name
    assert old_file.exists()

    # Four years to the day after the old meeting: still inside s.100D's period.
    out = io.StringIO()
    call_command("apply_retention", today=datetime.date(2019, 4, 29), stdout=out)
    assert "Dry run: 0 background papers" in out.getvalue()
    assert "and 0 reports, appendices and presentations" in out.getvalue()

    out = io.StringIO()
    call_command("apply_retention", today=datetime.date(2020, 1, 1), stdout=out)
    assert f"Would delete background paper {old_paper.pk} " in out.getvalue()
    assert "Dry run: 1 background papers older than 4 years" in out.getvalue()
    assert f"report {old_report.pk} " not in out.getvalue()
    assert Paper.objects.count() == 3
    assert old_file.exists()

    out = io.StringIO()
    call_command("apply_retention", today=datetime.date(2020, 1, 1), apply=True, stdout=out)
    assert "Deleted 1 papers and their files." in out.getvalue()
    assert set(Paper.objects.all()) == {recent_paper, old_report}
    assert not old_file.exists()
    assert (settings.MEDIA_ROOT / recent_paper.file.name).exists()
    # Statutory records (s.100C, six years) are untouched.
    assert Minutes.objects.filter(pk=minutes.pk).exists()
    assert old.items.count() == 2

    # Six years after the old meeting the report goes too; the minutes stay.
    out = io.StringIO()
    call_command("apply_retention", today=datetime.date(2021, 6, 1), apply=True, stdout=out)
    assert f"Deleting report {old_report.pk} " in out.getvalue()
    assert list(Paper.objects.all()) == [recent_paper]
    assert Minutes.objects.filter(pk=minutes.pk).exists()


@pytest.mark.django_db
def test_retention_refuses_periods_shorter_than_the_law(settings):
    settings.RETENTION_YEARS_BACKGROUND_PAPERS = 3
    with pytest.raises(Exception, match="must be at least 4"):
        call_command("apply_retention")
