"""Seat and holding rules (R-MEM-1..5), in the services and, where possible, the database."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from membership import services
from membership.models import Membership, Seat
from tests.factories import (
    BodyFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    SeatFactory,
)

pytestmark = pytest.mark.django_db

AUGUST_2009 = datetime.date(2009, 8, 1)


@pytest.fixture
def jcb():
    return BodyFactory(name="Joint Commissioning Board", status_on=datetime.date(2008, 5, 1))


def test_a_second_current_chair_is_refused_by_the_database(jcb):
    SeatFactory(body=jcb, label="Chair", role="chair")

    with pytest.raises(IntegrityError, match="one_chair_seat_per_body_at_a_time"):
        Seat.objects.create(body=jcb, label="Another chair", role="chair")


def test_a_second_chair_is_refused_by_the_service_with_a_message(jcb):
    services.create_seat(body=jcb, label="Chair", role="chair")

    with pytest.raises(ValidationError) as caught:
        services.create_seat(body=jcb, label="Another chair", role="chair")

    assert caught.value.message_dict == {
        "role": ["Joint Commissioning Board already has a chair then. End that seat first."]
    }


def test_chairs_may_follow_each_other_in_time(jcb):
    services.create_seat(body=jcb, label="Chair", role="chair", ends_on=datetime.date(2010, 4, 1))

    seat = services.create_seat(
        body=jcb, label="Independent chair", role="chair", starts_on=datetime.date(2010, 4, 1)
    )

    assert seat.pk


def test_two_co_chairs_but_not_three_nor_a_chair_beside_them(jcb):
    services.create_seat(body=jcb, label="Co-chair (local authority)", role="co_chair")
    services.create_seat(body=jcb, label="Co-chair (NHS)", role="co_chair")

    with pytest.raises(ValidationError, match="already has two co-chairs"):
        services.create_seat(body=jcb, label="Co-chair (police)", role="co_chair")
    with pytest.raises(ValidationError, match="already has a chair then"):
        services.create_seat(body=jcb, label="Chair", role="chair")


def test_a_job_share_seat_takes_two_holders_and_no_more(jcb):
    seat = services.create_seat(body=jcb, label="Vice Chair", role="vice_chair", max_holders=2)
    services.appoint(
        seat=seat,
        person=PersonFactory(name="Simon Hairsnape"),
        starts_on=AUGUST_2009,
        arrangement="job_share",
    )
    services.appoint(
        seat=seat,
        person=PersonFactory(name="Lynn Takavarasha"),
        starts_on=AUGUST_2009,
        arrangement="job_share",
    )

    with pytest.raises(
        ValidationError,
        match="allows 2 holders at a time and is held by Simon Hairsnape, Lynn Takavarasha",
    ):
        services.appoint(seat=seat, person=PersonFactory(), starts_on=AUGUST_2009)
    assert Membership.objects.current(AUGUST_2009).filter(seat=seat).count() == 2


def test_the_database_refuses_more_holders_than_the_seat_allows(jcb):
    seat = SeatFactory(body=jcb, max_holders=1)
    MembershipFactory(seat=seat)

    with pytest.raises(IntegrityError, match="allows 1 holder"):
        MembershipFactory(seat=seat)


def test_a_successor_may_start_the_day_the_last_holder_leaves(jcb):
    seat = SeatFactory(body=jcb)
    first = MembershipFactory(seat=seat, starts_on=datetime.date(2008, 6, 1))
    services.end_membership(membership=first, ends_on=AUGUST_2009, reason="resigned")

    second = services.appoint(seat=seat, person=PersonFactory(), starts_on=AUGUST_2009)

    assert second.pk


def test_a_rotation_seat_is_held_by_an_organisation(jcb):
    seat = services.create_seat(body=jcb, label="Youth Cabinet Members", kind="rotation")
    youth_cabinet = OrganisationFactory(name="Worcestershire Youth Cabinet", kind="youth_forum")

    with pytest.raises(ValidationError, match="Choose the organisation"):
        services.appoint(seat=seat, starts_on=AUGUST_2009, arrangement="rotation")
    holding = services.appoint(
        seat=seat, organisation=youth_cabinet, starts_on=AUGUST_2009, arrangement="rotation"
    )
    assert holding.person is None


def test_no_one_is_appointed_to_an_ex_officio_seat(jcb):
    pab = BodyFactory(name="Partnership Advisory Body", status_on=datetime.date(2008, 5, 1))
    pab_chair = services.create_seat(body=pab, label="Chair", role="chair")
    seat = services.create_seat(
        body=jcb,
        label="Chair of the Partnership Advisory Body",
        role="advisor",
        kind="ex_officio",
        ex_officio_of=pab_chair,
    )

    with pytest.raises(ValidationError, match="held ex officio by whoever holds Chair"):
        services.appoint(seat=seat, person=PersonFactory(), starts_on=AUGUST_2009)
    assert (seat.voting, seat.counts_for_quorum) == (False, False)


def test_holdings_lie_within_the_life_of_the_body():
    body = BodyFactory(status="shadow", status_on=datetime.date(2010, 1, 1))
    seat = SeatFactory(body=body)

    with pytest.raises(ValidationError, match="had not started on 1 December 2009"):
        services.appoint(seat=seat, person=PersonFactory(), starts_on=datetime.date(2009, 12, 1))
    assert services.appoint(seat=seat, person=PersonFactory(), starts_on=datetime.date(2010, 1, 1))


def test_the_same_person_cannot_hold_a_seat_twice_at_once(jcb):
    seat = SeatFactory(body=jcb, max_holders=2)
    person = PersonFactory()
    MembershipFactory(seat=seat, person=person)

    with pytest.raises(IntegrityError, match="membership_person_once_per_seat_at_a_time"):
        MembershipFactory(seat=seat, person=person)
