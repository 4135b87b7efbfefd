"""Minutes (R-MIN-1/2, R-AI-4): approval at a later meeting of the same body, signing by its
chair, recorded corrections, concurrent edits, sanitising, and who sees which minutes."""

import datetime
import zoneinfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from meetings import minutes as services
from meetings.models import AgendaItem, MinuteCorrection, MinuteEntry, Minutes
from tests.factories import (
    AgendaItemFactory,
    BodyFactory,
    MeetingFactory,
    MembershipFactory,
    PersonFactory,
    SeatFactory,
)

pytestmark = pytest.mark.django_db

LONDON = zoneinfo.ZoneInfo("Europe/London")
SECRET = "EXEMPT-MARKER-7f3a"


def at(day: datetime.date):
    return datetime.datetime(day.year, day.month, day.day, 14, 0, tzinfo=LONDON)


@pytest.fixture
def board():
    board = BodyFactory(name="Children's Trust Board", meets_in_public=True)
    chair_seat = SeatFactory(body=board, label="Chair", role="chair")
    MembershipFactory(
        seat=chair_seat,
        person=PersonFactory(name="Anne Outgoing"),
        ends_on=datetime.date(2015, 6, 1),
    )
    MembershipFactory(
        seat=chair_seat,
        person=PersonFactory(name="Bella Incoming"),
        starts_on=datetime.date(2015, 6, 1),
    )
    return board


@pytest.fixture
def april(board):
    meeting = MeetingFactory(body=board, agenda_published_at=at(datetime.date(2015, 4, 21)))
    AgendaItemFactory(meeting=meeting, order=1, title="Early help strategy")
    AgendaItemFactory(
        meeting=meeting,
        order=2,
        title="Provider contract",
        is_exempt=True,
        exempt_paragraph=3,
        public_interest_statement="Commercially sensitive prices",
    )
    AgendaItemFactory(
        meeting=meeting,
        order=3,
        title="Funding bid",
        is_late=True,
        urgency_reason="The bid closes on 1 May 2015",
    )
    return meeting


@pytest.fixture
def july(board):
    meeting = MeetingFactory(
        body=board,
        starts_at=at(datetime.date(2015, 7, 22)),
        agenda_published_at=at(datetime.date(2015, 7, 14)),
    )
    AgendaItemFactory(
        meeting=meeting, order=1, kind="previous_minutes", title="Minutes of the last meeting"
    )
    return meeting


@pytest.fixture
def record(april, officer):
    record = services.ensure_minutes(april)
    entries = {entry.item.order: entry for entry in record.entries.select_related("item")}
    services.save_entry(
        entry=entries[1],
        text="<p>Agreed the strategy.</p>",
        resolution="",
        expected_version=1,
        by=officer,
    )
    services.save_entry(
        entry=entries[2],
        text=f"<p>{SECRET} prices</p>",
        resolution="",
        expected_version=1,
        by=officer,
    )
    return record


def previous_minutes_item(meeting) -> AgendaItem:
    return meeting.items.get(kind="previous_minutes")


def entry_of(record, order) -> MinuteEntry:
    return record.entries.get(item__order=order)


def member(user, body):
    MembershipFactory(seat=SeatFactory(body=body), person=PersonFactory(user=user))


# Approval and signing (R-MIN-1) -----------------------------------------------------------------


def test_ensure_minutes_makes_one_entry_per_item_and_can_run_again(april):
    record = services.ensure_minutes(april)
    AgendaItemFactory(meeting=april, order=4, title="Any other business")

    assert services.ensure_minutes(april) == record
    assert record.entries.count() == 4
    assert record.status == Minutes.Status.DRAFT


def test_minutes_cannot_be_approved_at_the_meeting_they_record(record, april, officer):
    same = AgendaItemFactory(meeting=april, order=9, kind="previous_minutes", title="Minutes")

    with pytest.raises(ValidationError) as error:
        services.approve_minutes(minutes=record, at_item=same, by=officer)

    assert error.value.messages == ["Minutes cannot be approved at the meeting they record"]


def test_minutes_cannot_be_approved_at_another_bodys_or_an_earlier_meeting(record, officer):
    other = MeetingFactory(starts_at=at(datetime.date(2015, 7, 22)))
    elsewhere = AgendaItemFactory(meeting=other, kind="previous_minutes", title="Minutes")
    earlier = MeetingFactory(body=record.meeting.body, starts_at=at(datetime.date(2015, 1, 14)))
    before = AgendaItemFactory(meeting=earlier, kind="previous_minutes", title="Minutes")

    for item in (elsewhere, before):
        with pytest.raises(ValidationError) as error:
            services.approve_minutes(minutes=record, at_item=item, by=officer)
        assert error.value.messages == ["Minutes are approved at a later meeting of the same body"]
    record.refresh_from_db()
    assert record.status == Minutes.Status.DRAFT


def test_minutes_are_approved_only_at_a_previous_minutes_item(record, july, officer):
    report = AgendaItemFactory(meeting=july, order=2, title="Annual report")

    with pytest.raises(ValidationError) as error:
        services.approve_minutes(minutes=record, at_item=report, by=officer)

    assert error.value.messages == [
        "Minutes are approved at a \u201cminutes of the previous meeting\u201d item"
    ]


def test_the_signer_is_the_approving_meetings_chair(record, july, officer):
    approved = services.approve_minutes(
        minutes=record, at_item=previous_minutes_item(july), by=officer
    )

    assert approved.status == Minutes.Status.APPROVED
    assert approved.signed_by.name == "Bella Incoming"  # not Anne, who chaired in April
    assert approved.approved_at == july
    assert approved.approved_on == datetime.date(2015, 7, 22)
    assert previous_minutes_item(july).minutes_to_approve == approved


def test_the_vice_chair_signs_when_there_is_no_chair(april, officer):
    board = april.body
    board.seats.filter(role="chair").delete()
    vice = SeatFactory(body=board, label="Vice-chair", role="vice_chair")
    MembershipFactory(seat=vice, person=PersonFactory(name="Vic Deputy"))
    later = MeetingFactory(body=board, starts_at=at(datetime.date(2015, 7, 22)))
    item = AgendaItemFactory(meeting=later, kind="previous_minutes", title="Minutes")

    approved = services.approve_minutes(
        minutes=services.ensure_minutes(april), at_item=item, by=officer
    )

    assert approved.signed_by.name == "Vic Deputy"


def test_minutes_without_a_chair_to_sign_them_are_not_approved(april, officer):
    april.body.seats.filter(role="chair").delete()
    later = MeetingFactory(body=april.body, starts_at=at(datetime.date(2015, 7, 22)))
    item = AgendaItemFactory(meeting=later, kind="previous_minutes", title="Minutes")

    with pytest.raises(ValidationError) as error:
        services.approve_minutes(minutes=services.ensure_minutes(april), at_item=item, by=officer)

    assert error.value.messages == [
        "Children's Trust Board has no chair or vice-chair to sign the minutes on 22 July 2015"
    ]


def test_corrections_agreed_at_approval_are_recorded(record, july, officer):
    entry = entry_of(record, 1)

    services.approve_minutes(
        minutes=record,
        at_item=previous_minutes_item(july),
        by=officer,
        corrections=[
            services.Correction(
                entry=entry, text="<p>Agreed the strategy, subject to costs.</p>", reason="Accuracy"
            )
        ],
    )

    correction = MinuteCorrection.objects.get()
    assert (correction.text_before, correction.text_after, correction.reason) == (
        "<p>Agreed the strategy.</p>",
        "<p>Agreed the strategy, subject to costs.</p>",
        "Accuracy",
    )
    entry.refresh_from_db()
    assert entry.text == "<p>Agreed the strategy, subject to costs.</p>"


# After approval (R-MIN-2) -----------------------------------------------------------------------


def test_an_approved_minute_changes_only_by_a_recorded_correction(record, july, officer):
    services.approve_minutes(minutes=record, at_item=previous_minutes_item(july), by=officer)
    entry = entry_of(record, 1)

    with pytest.raises(ValidationError) as error:
        services.save_entry(
            entry=entry,
            text="<p>Rewritten</p>",
            resolution="",
            expected_version=entry.version,
            by=officer,
        )
    assert error.value.messages == ["Approved minutes can only be changed by a recorded correction"]

    services.correct_entry(
        entry=entry, text="<p>Agreed the strategy unanimously.</p>", reason="Typo", by=officer
    )
    correction = entry.corrections.get()
    assert correction.text_before == "<p>Agreed the strategy.</p>"
    assert correction.recorded_by == officer
    assert entry.text == "<p>Agreed the strategy unanimously.</p>"


def test_the_edit_page_of_an_approved_minute_records_a_correction(client, record, july, officer):
    services.approve_minutes(minutes=record, at_item=previous_minutes_item(july), by=officer)
    entry = entry_of(record, 1)
    url = reverse("meetings:minute-entry-update", kwargs={"pk": entry.pk})
    client.force_login(officer)

    page = client.get(url)
    response = client.post(url, {"text": "<p>Corrected text</p>", "reason": "Name misspelt"})

    assert "Your change is recorded as a correction" in page.content.decode()
    assert response.status_code == 302
    minutes_page = client.get(reverse("meetings:minutes", kwargs={"pk": record.meeting_id}))
    content = minutes_page.content.decode()
    assert "Corrections to this minute" in content
    assert "Name misspelt" in content
    assert "<p>Corrected text</p>" in content


# Concurrent editing and sanitising --------------------------------------------------------------


def test_the_second_of_two_concurrent_saves_gets_a_conflict_and_nothing_is_lost(april, officer):
    record = services.ensure_minutes(april)
    first_copy = entry_of(record, 1)
    second_copy = entry_of(record, 1)

    services.save_entry(
        entry=first_copy,
        text="<p>Alice's minute</p>",
        resolution="",
        expected_version=1,
        by=officer,
    )
    with pytest.raises(services.Conflict) as error:
        services.save_entry(
            entry=second_copy,
            text="<p>Bob's minute</p>",
            resolution="",
            expected_version=1,
            by=officer,
        )

    assert error.value.messages == [
        "Someone else saved this minute while you were editing it. Their version is shown "
        "below; your text has been kept so you can merge it."
    ]
    assert second_copy.text == "<p>Alice's minute</p>"
    assert second_copy.version == 2


def test_the_edit_page_shows_both_versions_after_a_conflict(client, april, officer):
    entry = entry_of(services.ensure_minutes(april), 1)
    url = reverse("meetings:minute-entry-update", kwargs={"pk": entry.pk})
    client.force_login(officer)

    first = client.post(url, {"text": "Alice wrote this", "resolution": "", "version": 1})
    second = client.post(url, {"text": "Bob wrote that", "resolution": "", "version": 1})

    assert first.status_code == 302
    content = second.content.decode()
    assert "Someone else saved this minute while you were editing it." in content
    assert "Alice wrote this" in content  # theirs, shown
    assert "Bob wrote that</textarea>" in content  # ours, kept in the form
    assert second.context["form"]["version"].value() == 2
    entry.refresh_from_db()
    assert entry.text == "Alice wrote this"

    merged = client.post(url, {"text": "Both", "resolution": "", "version": 2})
    assert merged.status_code == 302
    entry.refresh_from_db()
    assert (entry.text, entry.version) == ("Both", 3)


def test_minute_text_is_sanitised(april, officer):
    entry = entry_of(services.ensure_minutes(april), 1)

    services.save_entry(
        entry=entry,
        text='<p onclick="steal()">Noted<script>alert(1)</script> <a href="javascript:x()">x</a> '
        '<a href="https://example.org">report</a></p><img src=x onerror=alert(1)>',
        resolution="",
        expected_version=1,
        by=officer,
    )

    assert entry.text == (
        '<p>Noted <a rel="noopener noreferrer nofollow">x</a> '
        '<a href="https://example.org" rel="noopener noreferrer nofollow">report</a></p>'
    )


# Who sees which minutes -------------------------------------------------------------------------


def minutes_page(client, meeting):
    return client.get(reverse("meetings:minutes", kwargs={"pk": meeting.pk}))


def test_draft_minutes_are_hidden_from_the_public_and_shown_to_members(
    client, record, april, board_member
):
    public = minutes_page(client, april).content.decode()
    client.force_login(board_member)
    outsider = minutes_page(client, april).content.decode()
    member(board_member, april.body)
    as_member = minutes_page(client, april).content.decode()

    for content in (public, outsider):
        assert "Agreed the strategy" not in content
        assert SECRET not in content
        assert "published here once they have been approved" in content
    assert "Agreed the strategy" in as_member
    assert SECRET in as_member
    assert "Draft: these minutes are not yet approved" in as_member


def test_approved_minutes_show_the_public_everything_but_exempt_items(
    client, record, april, july, officer, board_member
):
    services.approve_minutes(minutes=record, at_item=previous_minutes_item(july), by=officer)
    member(board_member, april.body)

    public = minutes_page(client, april)
    client.force_login(board_member)
    as_member = minutes_page(client, april)

    assert "Agreed the strategy" in public.content.decode()
    assert SECRET not in public.content.decode()
    assert "Provider contract" not in public.content.decode()
    assert "Approved on 22 July 2015" in public.content.decode()
    assert "signed by Bella Incoming, chair" in public.content.decode()
    assert SECRET in as_member.content.decode()
    assert "no-store" not in public.headers.get("Cache-Control", "")
    assert "private" in as_member.headers["Cache-Control"]
    assert "no-store" in as_member.headers["Cache-Control"]


def test_a_late_items_minute_gives_the_urgency_reason(client, record, april, july, officer):
    services.approve_minutes(minutes=record, at_item=previous_minutes_item(july), by=officer)

    content = minutes_page(client, april).content.decode()

    assert "This item was taken as urgent: The bid closes on 1 May 2015" in content


def test_officers_see_the_urgency_reason_in_the_minutes(client, record, april, officer):
    client.force_login(officer)

    content = minutes_page(client, april).content.decode()

    assert "This item was taken as urgent: The bid closes on 1 May 2015" in content


def test_minutes_of_a_private_meeting_are_not_found_by_outsiders(
    client, april, board_member, officer
):
    april.is_public = False
    april.save()
    services.ensure_minutes(april)

    anonymous = minutes_page(client, april)
    client.force_login(board_member)
    outsider = minutes_page(client, april)

    assert anonymous.status_code == 302
    assert anonymous.url.startswith(reverse("login"))
    assert outsider.status_code == 404


def test_minutes_page_queries_do_not_grow_with_items(
    client, record, april, july, officer, django_assert_num_queries
):
    services.approve_minutes(minutes=record, at_item=previous_minutes_item(july), by=officer)
    for n in range(10):
        item = AgendaItemFactory(meeting=april, order=10 + n, title=f"Extra {n}")
        services.record_decision(item=item, text="Noted", outcome="noted", by=officer)
    services.ensure_minutes(april)

    # meeting, minutes, entries, decisions, ratifications, actions, corrections, general actions
    with django_assert_num_queries(8):
        response = minutes_page(client, april)

    assert len(response.context["entries"]) == 12  # 13 items less the exempt one


# Staff pages ------------------------------------------------------------------------------------


def test_only_democratic_services_edit_and_approve_minutes(
    client, record, july, board_member, officer
):
    member(board_member, record.meeting.body)
    edit = reverse("meetings:minute-entry-update", kwargs={"pk": entry_of(record, 1).pk})
    approve = reverse("meetings:minutes-approve", kwargs={"pk": previous_minutes_item(july).pk})

    client.force_login(board_member)
    assert client.get(edit).status_code == 403
    assert client.post(approve, {"minutes": record.pk}).status_code == 403

    client.force_login(officer)
    assert "Save the minute" in client.get(edit).content.decode()
    page = client.get(approve)
    assert "They will be signed by <strong>Bella Incoming</strong>" in page.content.decode()
    response = client.post(approve, {"minutes": record.pk})
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.status == Minutes.Status.APPROVED


def test_approving_through_the_page_with_a_correction(client, record, july, officer):
    entry = entry_of(record, 1)
    client.force_login(officer)

    response = client.post(
        reverse("meetings:minutes-approve", kwargs={"pk": previous_minutes_item(july).pk}),
        {
            "minutes": record.pk,
            "correction_entry": entry.pk,
            "correction_text": "<p>Agreed, with changes.</p>",
            "correction_reason": "Agreed at the meeting",
        },
    )

    assert response.status_code == 302
    assert entry.corrections.get().reason == "Agreed at the meeting"


def test_starting_and_circulating_minutes_is_for_staff(client, april, officer, board_member):
    url = reverse("meetings:minutes", kwargs={"pk": april.pk})
    client.force_login(board_member)
    assert client.post(url, {"step": "start"}).status_code == 403

    client.force_login(officer)
    client.post(url, {"step": "start"})
    client.post(url, {"step": "circulate"})

    assert Minutes.objects.get(meeting=april).status == Minutes.Status.CIRCULATED
    assert MinuteEntry.objects.filter(minutes__meeting=april).count() == 3
