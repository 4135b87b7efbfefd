"""Roster, person, organisation, vacancy and overlap pages: who sees what, and query counts."""

import datetime

import pytest
from django.urls import reverse

from membership import services
from tests.factories import (
    BodyFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    SeatFactory,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()


@pytest.fixture
def pab():
    return BodyFactory(name="Partnership Advisory Body", kind="advisory_body")


@pytest.fixture
def minor(pab):
    """A Youth Cabinet member: a child, whose name public pages must never show."""
    person = PersonFactory(name="Jamie Minor-Child", publish_name=False)
    MembershipFactory(seat=SeatFactory(body=pab, label="Youth Cabinet Member"), person=person)
    return person


def roster_url(body, **params):
    url = reverse("membership:roster", kwargs={"slug": body.slug})
    return url + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


def test_the_roster_lists_holders_vacancies_and_past_members(client, pab):
    chair = SeatFactory(
        body=pab, label="Chair. Voluntary & Community Sector Representative", role="chair"
    )
    MembershipFactory(seat=chair, person=PersonFactory(name="Michael Hunter"))
    vacant = SeatFactory(body=pab, label="Representative of the Secondary School Heads")
    former = MembershipFactory(
        seat=vacant, person=PersonFactory(name="Former Head"), starts_on=datetime.date(2010, 5, 1)
    )
    services.end_membership(membership=former, ends_on=datetime.date(2011, 9, 1), reason="resigned")

    response = client.get(roster_url(pab))

    content = response.content.decode()
    assert response.context["people_count"] == 1
    assert response.context["vacancy_count"] == 1
    assert "Michael Hunter" in content
    assert "Vacant</strong> since 1 September 2011" in content
    assert "Former Head" in content
    assert "(resigned)" in content


def test_the_roster_as_at_a_date_shows_who_held_seats_then(client, pab):
    seat = SeatFactory(body=pab)
    MembershipFactory(
        seat=seat,
        person=PersonFactory(name="Then Holder"),
        starts_on=datetime.date(2010, 5, 1),
        ends_on=datetime.date(2012, 1, 1),
    )
    MembershipFactory(
        seat=seat, person=PersonFactory(name="Now Holder"), starts_on=datetime.date(2012, 1, 1)
    )

    then = client.get(roster_url(pab, on="2011-06-01"))
    now = client.get(roster_url(pab))

    assert [h.person.name for h in then.context["seats"][0].holders] == ["Then Holder"]
    assert [h.person.name for h in now.context["seats"][0].holders] == ["Now Holder"]
    assert "Members on 1 June 2011" in then.content.decode()


def test_a_bad_date_is_explained_not_a_crash(client, pab):
    response = client.get(roster_url(pab, on="2011-13-45"))

    assert response.status_code == 200
    assert "Enter a real date, like 2009-08-01" in response.content.decode()


def test_an_ex_officio_seat_shows_the_holder_of_its_source_seat(client, pab):
    jcb = BodyFactory(name="Joint Commissioning Board")
    pab_chair = SeatFactory(body=pab, label="Chair", role="chair")
    MembershipFactory(seat=pab_chair, person=PersonFactory(name="Michael Hunter"))
    services.create_seat(
        body=jcb,
        label="Chair of the Partnership Advisory Body",
        role="advisor",
        kind="ex_officio",
        ex_officio_of=pab_chair,
    )

    response = client.get(roster_url(jcb))

    seat = response.context["seats"][0]
    assert [h.person.name for h in seat.holders] == ["Michael Hunter"]
    assert not seat.is_vacant


@pytest.mark.parametrize("size", [5, 100])
def test_roster_queries_do_not_grow_with_the_members(client, pab, size, django_assert_num_queries):
    organisation = OrganisationFactory(name="Worcestershire County Council")
    for n in range(size):
        seat = SeatFactory(body=pab, label=f"Seat {n}")
        MembershipFactory(seat=seat, organisation=organisation)
        services.add_substitute(seat=seat, person=PersonFactory())

    # body with status; seats (+ last holding ended); their holders; ex officio sources' holders
    # (none, so no query); substitutes; past members
    with django_assert_num_queries(5):
        response = client.get(roster_url(pab))
    assert len(response.context["seats"]) == size


def test_minors_names_never_reach_anonymous_visitors(client, pab, minor):
    roster = client.get(roster_url(pab)).content.decode()
    person_page = client.get(minor.get_absolute_url())
    vacancies = client.get(reverse("membership:vacancy-list")).content.decode()

    assert "Minor-Child" not in roster
    assert "Name withheld" in roster
    assert "Youth Cabinet Member" in roster
    # The child's page asks anonymous visitors to sign in, as every page they may not see does.
    assert person_page.status_code == 302
    assert person_page.url.startswith(f"{reverse('login')}?next=")
    assert "Minor-Child" not in vacancies


def test_minors_names_are_withheld_from_board_members_too(client, pab, minor, board_member):
    client.force_login(board_member)

    assert "Minor-Child" not in client.get(roster_url(pab)).content.decode()
    assert client.get(minor.get_absolute_url()).status_code == 404
    assert "Minor-Child" not in client.get(reverse("membership:person-list")).content.decode()


@pytest.mark.parametrize("who", ["partnership_manager", "officer"])
def test_staff_see_minors_names_and_contact_details(client, request, pab, minor, who):
    minor.email = "young.person@example.org"
    minor.save()
    client.force_login(request.getfixturevalue(who))

    assert "Jamie Minor-Child" in client.get(roster_url(pab)).content.decode()
    page = client.get(minor.get_absolute_url()).content.decode()
    assert "young.person@example.org" in page


def test_contact_details_are_for_officers_only(client, board_member):
    person = PersonFactory(
        name="Pete Sugg", email="psugg@worcestershire.gov.uk", phone="01905 775773"
    )

    assert "01905 775773" not in client.get(person.get_absolute_url()).content.decode()
    client.force_login(board_member)
    assert "01905 775773" not in client.get(person.get_absolute_url()).content.decode()


def test_person_page_adds_up_the_meetings_of_their_bodies(client, pab):
    from partnerships import services as structure

    person = PersonFactory(name="Richard Keble")
    jcb = BodyFactory(name="Joint Commissioning Board")
    for body, meetings in [(pab, 4), (jcb, 6)]:
        terms = structure.draft_terms_of_reference(body=body)
        structure.save_draft_sections(terms=terms, sections=[{"kind": "purpose", "text": "x"}])
        terms.meetings_per_year = meetings
        terms.save()
        structure.agree_terms_of_reference(terms=terms, agreed_on=datetime.date(2010, 6, 1))
        MembershipFactory(seat=SeatFactory(body=body), person=person)

    response = client.get(person.get_absolute_url())

    assert response.context["meetings_a_year"] == 10


@pytest.mark.parametrize(
    ("url_name", "kwargs"),
    [
        ("membership:seat-create", lambda seat: {"slug": seat.body.slug}),
        ("membership:seat-update", lambda seat: {"pk": seat.pk}),
        ("membership:appoint", lambda seat: {"pk": seat.pk}),
        ("membership:substitute-create", lambda seat: {"pk": seat.pk}),
        ("membership:person-create", lambda seat: {}),
    ],
)
def test_only_partnership_managers_change_rosters(
    client, board_member, partnership_manager, url_name, kwargs
):
    seat = SeatFactory()
    url = reverse(url_name, kwargs=kwargs(seat))
    client.force_login(board_member)
    assert client.get(url).status_code == 403
    assert client.post(url, {"label": "x"}).status_code == 403

    client.force_login(partnership_manager)
    assert client.get(url).status_code == 200


def test_a_manager_appoints_someone_and_the_vacancy_goes(client, partnership_manager, pab):
    seat = SeatFactory(body=pab, label="GP Representative")
    person = PersonFactory(name="Dr Example")
    client.force_login(partnership_manager)

    response = client.post(
        reverse("membership:appoint", kwargs={"pk": seat.pk}),
        {
            "person": person.pk,
            "arrangement": "sole",
            "starts_on_0": "1",
            "starts_on_1": "9",
            "starts_on_2": "2015",
        },
    )

    assert response.status_code == 302
    assert client.get(roster_url(pab)).context["vacancy_count"] == 0


def test_the_appoint_form_explains_a_full_seat(client, partnership_manager, pab):
    seat = SeatFactory(body=pab, label="Chair", role="chair")
    MembershipFactory(seat=seat, person=PersonFactory(name="Michael Hunter"))
    client.force_login(partnership_manager)

    response = client.post(
        reverse("membership:appoint", kwargs={"pk": seat.pk}),
        {
            "person": PersonFactory().pk,
            "arrangement": "sole",
            "starts_on_0": "1",
            "starts_on_1": "9",
            "starts_on_2": "2015",
        },
    )

    assert response.context["form"].errors["person"] == [
        "Chair allows one holder at a time and is held by Michael Hunter then. End that holding "
        "first, or make the seat a job share."
    ]


def test_vacancy_list_shows_vacant_seats_of_living_bodies_only(client, pab):
    SeatFactory(body=pab, label="GP Representative")
    gone = BodyFactory(name="Old Board", status_on=datetime.date(2009, 1, 1))
    from partnerships.services import record_status_change

    record_status_change(body=gone, status="disbanded", effective_on=datetime.date(2010, 1, 1))
    SeatFactory(body=gone, label="Old seat")

    labels = [
        seat.label for seat in client.get(reverse("membership:vacancy-list")).context["seats"]
    ]

    assert labels == ["GP Representative"]


def test_overlap_matrix_puts_people_on_most_bodies_first(client, board_member, pab):
    jcb = BodyFactory(name="Joint Commissioning Board", partnership=pab.partnership)
    keble = PersonFactory(name="Richard Keble")
    MembershipFactory(seat=SeatFactory(body=pab), person=keble)
    MembershipFactory(seat=SeatFactory(body=jcb), person=keble)
    MembershipFactory(seat=SeatFactory(body=jcb), person=PersonFactory(name="Gail Quinton"))
    client.force_login(board_member)

    response = client.get(reverse("membership:overlap", kwargs={"slug": pab.partnership.slug}))

    assert [person.name for person, _ in response.context["rows"]] == [
        "Richard Keble",
        "Gail Quinton",
    ]
