"""The register, declarations of interest and their prompts: services and pages."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from meetings.attendance import AttendanceRow, declare_interest, prompts, record_attendance
from meetings.models import Attendance, Declaration, Meeting
from membership.models import InterestDeclaration, Substitute
from partnerships.models import TermsOfReference
from tests.factories import (
    AgendaItemFactory,
    BodyFactory,
    MeetingFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    SeatFactory,
)

pytestmark = pytest.mark.django_db
PRESENT, APOLOGIES = Attendance.Status.PRESENT, Attendance.Status.APOLOGIES


@pytest.fixture
def council():
    return OrganisationFactory(name="Worcestershire County Council")


@pytest.fixture
def provider():
    return OrganisationFactory(name="Acorn Care Ltd", short_name="Acorn")


@pytest.fixture
def body():
    body = BodyFactory(name="Partnership Board")
    TermsOfReference.objects.create(
        body=body,
        version=1,
        status="agreed",
        agreed_on=datetime.date(2014, 3, 1),
        quorum_fraction=Decimal("0.5"),
        quorum_basis="filled",
        quorum_requires_chair=True,
    )
    return body


@pytest.fixture
def chair(body, council):
    seat = SeatFactory(body=body, role="chair", label="Chair", order=1)
    return MembershipFactory(
        seat=seat, organisation=council, person=PersonFactory(name="Ann Chair")
    )


@pytest.fixture
def member(body, council, board_member):
    seat = SeatFactory(body=body, label="Director of Children's Services", order=2)
    return MembershipFactory(
        seat=seat, organisation=council, person=PersonFactory(name="Ben Member", user=board_member)
    )


@pytest.fixture
def young_person(body):
    seat = SeatFactory(body=body, label="Youth Cabinet representative", order=3)
    return MembershipFactory(seat=seat, person=PersonFactory(name="Kit Young", publish_name=False))


@pytest.fixture
def meeting(body, chair, member, young_person):
    return MeetingFactory(body=body, status=Meeting.Status.HELD, agenda_published_at=timezone.now())


def url(meeting, page="attendance"):
    return reverse(f"meetings:{page}", kwargs={"pk": meeting.pk})


# The service


def test_record_attendance_replaces_the_register(meeting, chair, member, officer):
    record_attendance(
        meeting=meeting,
        rows=[
            AttendanceRow(status=PRESENT, person=chair.person, seat=chair.seat),
            AttendanceRow(status=APOLOGIES, person=member.person, seat=member.seat),
            AttendanceRow(status="guest", name="Dr Guest"),
        ],
        by=officer,
    )
    record_attendance(
        meeting=meeting,
        rows=[
            AttendanceRow(status=PRESENT, person=chair.person, seat=chair.seat),
            AttendanceRow(status=PRESENT, person=member.person, seat=member.seat),
            AttendanceRow(status="in_attendance", name="Jo Clark, Head of Commissioning"),
        ],
        by=officer,
    )

    assert sorted(
        (row.person.name if row.person else row.name, row.status)
        for row in meeting.attendance.all()
    ) == [
        ("Ann Chair", "present"),
        ("Ben Member", "present"),
        ("Jo Clark, Head of Commissioning", "in_attendance"),
    ]


def test_record_attendance_refuses_a_person_twice_and_keeps_the_old_register(
    meeting, chair, officer
):
    Attendance.objects.create(meeting=meeting, name="Dr Guest", status="guest")

    with pytest.raises(ValidationError) as error:
        record_attendance(
            meeting=meeting,
            rows=[
                AttendanceRow(status=PRESENT, person=chair.person),
                AttendanceRow(status="guest", person=chair.person),
            ],
            by=officer,
        )

    assert error.value.messages == ["Ann Chair is on the register more than once"]
    assert list(meeting.attendance.values_list("name", flat=True)) == ["Dr Guest"]


def test_a_substitute_must_be_present_and_leaving_needs_an_item_here(meeting, member, officer):
    other_item = AgendaItemFactory()
    substitute = PersonFactory(name="Sam Stand-In")

    with pytest.raises(ValidationError) as error:
        record_attendance(
            meeting=meeting,
            rows=[
                AttendanceRow(status=APOLOGIES, person=substitute, substitute_for=member.person),
                AttendanceRow(status=PRESENT, person=member.person, left_before_item=other_item),
            ],
            by=officer,
        )

    assert error.value.messages == [
        "A substitute for Ben Member must be present",
        "Choose an item on this meeting's agenda",
    ]


def test_declare_interest(meeting, member, officer):
    item = AgendaItemFactory(meeting=meeting, title="Short breaks contract")

    declaration = declare_interest(
        meeting=meeting,
        person=member.person,
        interest="Spouse employed by the provider",
        item=item,
        withdrew=True,
        by=officer,
    )

    assert (declaration.item, declaration.withdrew) == (item, True)
    with pytest.raises(ValidationError) as error:
        declare_interest(
            meeting=meeting, person=member.person, interest=" ", withdrew=True, by=officer
        )
    assert error.value.message_dict == {
        "interest": ["Enter the interest they declared"],
        "withdrew": ["Choose the item they withdrew from"],
    }


# Prompts (R-DOI-3)


def test_prompts_for_the_organisation_a_member_sits_for(meeting, chair, member, council):
    item = AgendaItemFactory(meeting=meeting, order=4, title="Council budget")
    item.concerns_organisations.add(council)
    AgendaItemFactory(meeting=meeting, order=5, title="Nothing in particular")

    assert [(p.person.name, p.item.title, p.reason) for p in prompts(meeting)] == [
        ("Ann Chair", "Council budget", "Sits for Worcestershire County Council"),
        ("Ben Member", "Council budget", "Sits for Worcestershire County Council"),
    ]


def test_prompts_for_a_registered_interest(meeting, body, member, provider):
    item = AgendaItemFactory(meeting=meeting, order=4, title="Short breaks contract")
    item.concerns_organisations.add(provider)
    on = datetime.date(2013, 1, 1)
    InterestDeclaration.objects.create(
        person=member.person,
        kind="employment",
        description="Spouse works at Acorn",
        registered_on=on,
    )
    InterestDeclaration.objects.create(
        person=member.person,
        kind="financial",
        description="Shares in Acorn Care Ltd",
        registered_on=on,
        body=BodyFactory(),
    )
    InterestDeclaration.objects.create(
        person=member.person,
        kind="other",
        description="Trustee of a youth club",
        registered_on=on,
        body=body,
    )

    assert [(p.person.name, p.item.title, p.reason) for p in prompts(meeting)] == [
        ("Ben Member", "Short breaks contract", "Registered interest: Spouse works at Acorn")
    ]


# The attendance page


def test_democratic_services_record_attendance(client, officer, meeting, chair, member):
    item = AgendaItemFactory(meeting=meeting, order=1, title="Budget")
    substitute = PersonFactory(name="Sam Stand-In")
    Substitute.objects.create(seat=member.seat, person=substitute)
    client.force_login(officer)

    response = client.get(url(meeting))
    assert response.status_code == 200
    assert "Save attendance" in response.text
    assert "Named substitutes" in response.text

    response = client.post(
        url(meeting),
        {
            f"status-{chair.seat_id}-{chair.person_id}": PRESENT,
            f"left-{chair.seat_id}-{chair.person_id}": str(item.pk),
            f"status-{member.seat_id}-{member.person_id}": APOLOGIES,
            f"substitute-{member.seat_id}": str(substitute.pk),
            "in_attendance": "Jo Clark, Head of Commissioning",
            "guests": "",
        },
    )

    assert response.status_code == 302
    assert response.url == url(meeting)
    assert sorted(
        (
            row.person.name if row.person else row.name,
            row.status,
            row.substitute_for.name if row.substitute_for else None,
            row.left_before_item_id,
        )
        for row in meeting.attendance.all()
    ) == [
        ("Ann Chair", "present", None, item.pk),
        ("Ben Member", "apologies", None, None),
        ("Jo Clark, Head of Commissioning", "in_attendance", None, None),
        ("Sam Stand-In", "present", "Ben Member", None),
    ]


def test_the_page_shows_the_quorum_at_the_start_and_on_each_item(
    client, officer, meeting, chair, member
):
    item = AgendaItemFactory(meeting=meeting, order=1, title="Budget")
    Attendance.objects.create(meeting=meeting, person=chair.person, seat=chair.seat, status=PRESENT)
    Attendance.objects.create(
        meeting=meeting, person=member.person, seat=member.seat, status=PRESENT
    )
    Declaration.objects.create(
        meeting=meeting, item=item, person=member.person, interest="Employer", withdrew=True
    )
    client.force_login(officer)

    response = client.get(url(meeting))

    start, (on_item,) = response.context["start"], response.context["per_item"]
    assert (start.present, start.required, start.is_quorate) == (2, 2, True)
    assert (on_item.present, on_item.is_quorate) == (1, False)
    assert "Quorate" in response.text
    assert "Only 1 of the 2 voting members needed for a quorum is present" in response.text


def test_members_see_the_register_but_cannot_change_it(client, board_member, meeting, chair):
    Attendance.objects.create(meeting=meeting, person=chair.person, seat=chair.seat, status=PRESENT)
    client.force_login(board_member)

    response = client.get(url(meeting))
    assert response.status_code == 200
    assert "Ann Chair" in response.text
    assert "Save attendance" not in response.text

    assert client.post(url(meeting), {"guests": "Intruder"}).status_code == 403
    assert meeting.attendance.count() == 1


def test_people_who_cannot_see_a_private_meeting_get_404_or_the_login_page(
    client, board_member, body
):
    private = MeetingFactory(body=BodyFactory(), is_public=False, status=Meeting.Status.HELD)

    assert client.get(url(private)).status_code == 302
    assert client.get(url(private)).url.startswith(reverse("login"))
    client.force_login(board_member)
    assert client.get(url(private)).status_code == 404
    assert client.get(url(private, "declarations")).status_code == 404


def test_the_public_see_attendance_only_once_a_public_meeting_is_held(
    client, meeting, young_person
):
    Attendance.objects.create(
        meeting=meeting, person=young_person.person, seat=young_person.seat, status=PRESENT
    )
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.AGENDA_PUBLISHED)
    assert client.get(url(meeting)).status_code == 302

    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.HELD)
    response = client.get(url(meeting))

    assert response.status_code == 200
    assert "Youth Cabinet representative" in response.text
    assert "Name withheld" in response.text
    assert "Kit Young" not in response.text


def test_democratic_services_see_a_minors_name(client, officer, meeting, young_person):
    Attendance.objects.create(
        meeting=meeting, person=young_person.person, seat=young_person.seat, status=PRESENT
    )
    client.force_login(officer)

    response = client.get(url(meeting))

    assert "Kit Young" in response.text


@pytest.mark.parametrize("size", [3, 30])
def test_public_attendance_queries_do_not_grow(client, body, size, django_assert_num_queries):
    meeting = MeetingFactory(body=body, status="held", agenda_published_at=timezone.now())
    for n in range(size):
        holding = MembershipFactory(seat=SeatFactory(body=body, order=n))
        Attendance.objects.create(
            meeting=meeting, person=holding.person, seat=holding.seat, status=PRESENT
        )
        AgendaItemFactory(meeting=meeting, order=n + 1)

    # meeting; seats (+ last holding ended), holders, substitutes; items; register; terms of
    # reference, their required organisations; present attendance; withdrawals
    with django_assert_num_queries(10):
        response = client.get(url(meeting))
    assert len(response.context["per_item"]) == size


# The declarations page


def test_democratic_services_see_prompts_and_record_a_declaration(
    client, officer, meeting, member, council
):
    item = AgendaItemFactory(meeting=meeting, order=3, title="Council budget")
    item.concerns_organisations.add(council)
    client.force_login(officer)

    response = client.get(url(meeting, "declarations"), {"person": member.person_id})
    assert "Ben Member, on item 3 (Council budget): Sits for Worcestershire County Council" in (
        response.text
    )
    assert response.context["form"]["person"].value() == str(member.person_id)

    response = client.post(
        url(meeting, "declarations"),
        {
            "person": member.person_id,
            "item": item.pk,
            "interest": "Council employee",
            "withdrew": "on",
        },
    )

    assert response.status_code == 302
    declaration = Declaration.objects.get()
    assert (declaration.person, declaration.item, declaration.withdrew) == (
        member.person,
        item,
        True,
    )


def test_a_declaration_needs_the_interest(client, officer, meeting, member):
    client.force_login(officer)

    response = client.post(url(meeting, "declarations"), {"person": member.person_id})

    assert response.status_code == 200
    assert response.context["form"].errors == {"interest": ["Enter the interest they declared"]}


def test_members_cannot_record_declarations_and_see_no_prompts(
    client, board_member, meeting, member, council
):
    item = AgendaItemFactory(meeting=meeting, order=3)
    item.concerns_organisations.add(council)
    client.force_login(board_member)

    response = client.get(url(meeting, "declarations"))
    assert response.status_code == 200
    assert response.context["prompts"] == []
    assert "Record declaration" not in response.text

    response = client.post(
        url(meeting, "declarations"), {"person": member.person_id, "interest": "X"}
    )
    assert response.status_code == 403
    assert not Declaration.objects.exists()


def test_the_public_see_declarations_but_not_on_exempt_items(client, meeting, member, young_person):
    public_item = AgendaItemFactory(meeting=meeting, order=1, title="Annual report")
    exempt = AgendaItemFactory(
        meeting=meeting,
        order=2,
        title="Contract award",
        is_exempt=True,
        exempt_paragraph=3,
        public_interest_statement="Commercially sensitive",
    )
    Declaration.objects.create(
        meeting=meeting, item=public_item, person=young_person.person, interest="Attends a school"
    )
    Declaration.objects.create(
        meeting=meeting, item=exempt, person=member.person, interest="Secret interest"
    )

    response = client.get(url(meeting, "declarations"))

    assert response.status_code == 200
    assert "Item 1: Annual report" in response.text
    assert "Name withheld" in response.text
    assert "Kit Young" not in response.text
    assert "Secret interest" not in response.text
    assert "Contract award" not in response.text
