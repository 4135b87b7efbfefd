"""The demo rosters: Worcestershire's from the example files, Cambridgeshire's ex officio
Executive Group, Central Bedfordshire's vacant seats; loading twice changes nothing."""

import datetime

import pytest

from membership import demo as membership_demo
from membership.models import Constituency, Membership, Person, Seat
from partnerships import demo as partnerships_demo
from partnerships.models import Body, Organisation

pytestmark = pytest.mark.django_db

AUGUST_2009 = datetime.date(2009, 8, 1)
JUNE_2015 = datetime.date(2015, 6, 1)


@pytest.fixture
def loaded(db):
    partnerships_demo.load()
    membership_demo.load()


def saved_rows() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (Seat, Membership, Person, Organisation, Constituency)
    }


def seats(slug: str) -> list[tuple[str, str, int]]:
    """(label, role, current holders) for each seat of the body, in order."""
    body = Body.objects.get(slug=slug)
    on = AUGUST_2009 if slug.startswith("worcestershire") else JUNE_2015
    return [
        (seat.label, seat.role, seat.memberships.current(on).count())
        for seat in body.seats.order_by("order", "pk")
    ]


def test_loading_the_demo_twice_changes_nothing(loaded):
    before = saved_rows()
    changed_at = list(Membership.objects.order_by("pk").values_list("pk", "updated_at"))

    membership_demo.load()

    assert saved_rows() == before
    assert list(Membership.objects.order_by("pk").values_list("pk", "updated_at")) == changed_at
    assert before == {
        "Seat": 24 + 12 + 7 + 6 + 3 + 4,
        "Membership": 22 + 13,
        "Person": 32,
        "Organisation": 8 + 6,
        "Constituency": 14,
    }


def test_worcestershire_has_the_pab_and_jcb_of_august_2009(loaded):
    pab = seats("worcestershire-partnership-advisory-body")
    jcb = seats("worcestershire-joint-commissioning-board")

    assert (len(pab), sum(1 for *_, held in pab if held)) == (24, 22)
    assert [label for label, _, held in pab if not held] == [
        "Representative of the Secondary School Heads",
        "GP Representative",
    ]
    assert jcb[4] == ("Vice-chair", "vice_chair", 2)
    vice_chair = Seat.objects.get(
        body__slug="worcestershire-joint-commissioning-board", label="Vice-chair"
    )
    assert sorted(vice_chair.memberships.values_list("person__name", flat=True)) == [
        "Lynn Takavarasha",
        "Simon Hairsnape",
    ]
    # The structure demo's aliases match the organisations the files name.
    assert Organisation.objects.get(name="NHS Worcestershire").memberships.count() == 5


def test_cambridgeshire_executive_group_is_the_area_partnership_chairs_ex_officio(loaded):
    executive = Body.objects.get(slug="cambridgeshire-childrens-trust-executive-group")

    assert [
        (seat.label, seat.kind, str(seat.ex_officio_of) if seat.ex_officio_of else "")
        for seat in executive.seats.order_by("order")
    ] == [
        ("Chair of Area Partnership 1", "ex_officio", "Area Partnership 1: Chair"),
        ("Chair of Area Partnership 2", "ex_officio", "Area Partnership 2: Chair"),
        ("Chair of Area Partnership 3", "ex_officio", "Area Partnership 3: Chair"),
        ("Representative of Children's Services", "named", ""),
    ]
    assert set(executive.seats.values_list("starts_on", flat=True)) == {JUNE_2015}
    # The paper names no one, so every seat waits for its holder.
    assert not Membership.objects.filter(seat__body__partnership__slug__startswith="cambridge")


def test_central_bedfordshire_has_the_seats_the_paper_describes_all_vacant(loaded):
    assert seats("central-bedfordshire-childrens-trust-board") == [
        ("Lead Member for Children's Services", "member", 0),
        ("Director of Children's Services", "member", 0),
        ("Executive member of a primary care trust", "member", 0),
        ("Non-executive member of a primary care trust", "member", 0),
        ("Voluntary and Community Sector Representative", "member", 0),
    ]
    assert seats("central-bedfordshire-learning-sub-group") == [
        ("Co-chair from a partner organisation", "co_chair", 0),
        ("Co-chair from the council", "co_chair", 0),
    ]
    council_seats = Seat.objects.filter(
        nominating_organisation__name="Central Bedfordshire Council"
    )
    assert council_seats.count() == 6
