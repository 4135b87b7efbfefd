"""R-Q-1 and R-DOI-4: the quorum at the start of a meeting and on each item."""

import datetime
from decimal import Decimal

import pytest

from meetings.models import Attendance, Declaration
from meetings.quorum import NO_CHAIR, NO_RULE, quorum, quorum_through
from membership.models import Seat
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


def agreed_terms(body, **rule):
    rule = {
        "quorum_fraction": Decimal("0.33"),
        "quorum_basis": TermsOfReference.QuorumBasis.FILLED,
        "quorum_requires_chair": True,
        **rule,
    }
    return TermsOfReference.objects.create(
        body=body, version=1, status="agreed", agreed_on=datetime.date(2014, 3, 1), **rule
    )


@pytest.fixture
def council():
    return OrganisationFactory(name="Worcestershire County Council")


@pytest.fixture
def board(council):
    """10 voting seats, all filled: a chair, a vice-chair and 8 members; one third of filled
    seats and the chair or vice-chair make a quorum."""
    body = BodyFactory(name="Partnership Board")
    agreed_terms(body)
    holders = []
    for n, role in enumerate(["chair", "vice_chair"] + ["member"] * 8):
        seat = SeatFactory(body=body, role=role, label=f"Seat {n}", order=n)
        holders.append(MembershipFactory(seat=seat, organisation=council))
    return body, holders


@pytest.fixture
def meeting(board):
    return MeetingFactory(body=board[0])


def attend(meeting, *holdings, **fields):
    for holding in holdings:
        Attendance.objects.create(
            meeting=meeting,
            person=holding.person,
            seat=holding.seat,
            status=Attendance.Status.PRESENT,
            **fields,
        )


def test_quorate_with_the_chair_and_a_third_of_the_filled_seats(board, meeting):
    _, holders = board
    attend(meeting, *holders[0:1], *holders[2:5])

    result = quorum(meeting)

    assert (result.required, result.present, result.is_quorate) == (4, 4, True)
    assert result.reasons == []
    assert [counted.seat.label for counted in result.counted] == [
        "Seat 0",
        "Seat 2",
        "Seat 3",
        "Seat 4",
    ]


def test_inquorate_with_too_few_members(board, meeting):
    _, holders = board
    attend(meeting, *holders[0:3])

    result = quorum(meeting)

    assert (result.required, result.present, result.is_quorate) == (4, 3, False)
    assert result.reasons == ["Only 3 of the 4 voting members needed for a quorum are present"]


def test_inquorate_without_the_chair_or_vice_chair(board, meeting):
    _, holders = board
    attend(meeting, *holders[2:7])

    result = quorum(meeting)

    assert (result.present, result.is_quorate) == (5, False)
    assert result.reasons == [NO_CHAIR]


def test_the_vice_chair_is_enough(board, meeting):
    _, holders = board
    attend(meeting, *holders[1:5])

    assert quorum(meeting).is_quorate is True


def test_a_job_share_counts_once(board, meeting):
    _, holders = board
    job_share = holders[2].seat
    Seat.objects.filter(pk=job_share.pk).update(max_holders=2)
    sharer = MembershipFactory(seat=job_share, arrangement="job_share")
    attend(meeting, holders[0], holders[2], sharer, holders[3])

    result = quorum(meeting)

    # 4 people came, in 3 seats; the job share adds no seat to the 10 filled seats.
    assert (result.required, result.present, result.is_quorate) == (4, 3, False)
    attend(meeting, holders[4])
    assert quorum(meeting).is_quorate is True


def test_a_substitute_counts_for_the_member(board, meeting):
    _, holders = board
    attend(meeting, *holders[0:3])
    substitute = PersonFactory(name="Sam Stand-In")
    Attendance.objects.create(
        meeting=meeting,
        person=substitute,
        seat=holders[3].seat,
        substitute_for=holders[3].person,
        status=Attendance.Status.PRESENT,
    )

    result = quorum(meeting)

    assert (result.present, result.is_quorate) == (4, True)
    assert result.counted[-1].name == "Sam Stand-In"
    assert result.counted[-1].substitute_for == holders[3].person


def test_withdrawal_on_an_item_makes_it_inquorate(board, meeting):
    _, holders = board
    attend(meeting, holders[0], *holders[2:5])
    contract = AgendaItemFactory(meeting=meeting, order=5, title="Provider contract")
    other = AgendaItemFactory(meeting=meeting, order=6, title="Annual report")
    Declaration.objects.create(
        meeting=meeting,
        item=contract,
        person=holders[4].person,
        interest="Employed by the provider",
        withdrew=True,
    )

    start, (on_contract, on_other) = quorum_through(meeting, [contract, other])

    assert (start.present, start.is_quorate) == (4, True)
    assert (on_contract.present, on_contract.is_quorate) == (3, False)
    assert on_contract.reasons == ["Only 3 of the 4 voting members needed for a quorum are present"]
    assert (on_other.present, on_other.is_quorate) == (4, True)
    assert quorum(meeting, contract).is_quorate is False


def test_a_declaration_without_withdrawal_still_counts(board, meeting):
    _, holders = board
    attend(meeting, holders[0], *holders[2:5])
    item = AgendaItemFactory(meeting=meeting, order=5)
    Declaration.objects.create(
        meeting=meeting, item=item, person=holders[4].person, interest="A friend works there"
    )

    assert quorum(meeting, item).is_quorate is True


def test_someone_who_left_stops_counting_from_that_item(board, meeting):
    _, holders = board
    first = AgendaItemFactory(meeting=meeting, order=1)
    second = AgendaItemFactory(meeting=meeting, order=2)
    third = AgendaItemFactory(meeting=meeting, order=3)
    attend(meeting, holders[0], *holders[2:4])
    attend(meeting, holders[4], left_before_item=second)

    start, results = quorum_through(meeting, [first, second, third])

    assert start.is_quorate is True
    assert [result.is_quorate for result in results] == [True, False, False]


def test_no_terms_of_reference_means_no_rule():
    meeting = MeetingFactory(body=BodyFactory())

    result = quorum(meeting)

    assert (result.is_quorate, result.reasons) == (None, [NO_RULE])


def test_terms_of_reference_without_a_quorum_rule(board, meeting):
    TermsOfReference.objects.filter(body=board[0]).update(quorum_fraction=None)

    assert quorum(meeting).reasons == [NO_RULE]


def test_terms_agreed_after_the_meeting_do_not_apply(board, meeting):
    TermsOfReference.objects.filter(body=board[0]).update(agreed_on=datetime.date(2016, 1, 1))

    assert quorum(meeting).is_quorate is None


def test_advisors_do_not_count_unless_the_terms_say_so(board, meeting):
    body, holders = board
    advisor = MembershipFactory(seat=SeatFactory(body=body, role="advisor", voting=False))
    attend(meeting, *holders[0:3], advisor)

    assert (quorum(meeting).present, quorum(meeting).is_quorate) == (3, False)

    TermsOfReference.objects.filter(body=body).update(quorum_counts_advisors=True)
    result = quorum(meeting)
    # 11 seats now count: a third is 4.
    assert (result.required, result.present, result.is_quorate) == (4, 4, True)


def test_seats_that_do_not_count_for_quorum(board, meeting):
    _, holders = board
    Seat.objects.filter(pk=holders[2].seat_id).update(counts_for_quorum=False)
    attend(meeting, *holders[0:4])

    result = quorum(meeting)

    # 9 filled seats count: a third is 3, and seat 2's holder is not one of them.
    assert (result.required, result.present, result.is_quorate) == (3, 3, True)


def test_filled_and_established_seats(board, meeting):
    body, holders = board
    for holding in holders[5:]:
        holding.ends_on = datetime.date(2012, 1, 1)
        holding.save()
    attend(meeting, *holders[0:2])

    # 5 filled seats: a third is 2.
    assert (quorum(meeting).required, quorum(meeting).is_quorate) == (2, True)
    TermsOfReference.objects.filter(body=body).update(quorum_basis="established")
    assert (quorum(meeting).required, quorum(meeting).is_quorate) == (4, False)


def test_a_count_and_a_share_must_both_be_met(board, meeting):
    TermsOfReference.objects.filter(body=board[0]).update(quorum_count=5)

    assert quorum(meeting).required == 5


def test_a_required_organisation_must_be_represented(board, meeting):
    body, holders = board
    health = OrganisationFactory(name="NHS Worcestershire")
    TermsOfReference.objects.get(body=body).quorum_required_organisations.add(health)
    attend(meeting, *holders[0:4])

    result = quorum(meeting)
    assert (result.is_quorate, result.reasons) == (
        False,
        ["No one from NHS Worcestershire is present"],
    )

    holders[3].organisation = health
    holders[3].save()
    assert quorum(meeting).is_quorate is True


def test_a_rotation_seat_counts_whoever_came_by_name(board, meeting, council):
    body, holders = board
    heads = SeatFactory(body=body, kind="rotation", label="Primary heads")
    MembershipFactory(seat=heads, person=None, organisation=council, arrangement="rotation")
    attend(meeting, *holders[0:3])
    Attendance.objects.create(
        meeting=meeting, seat=heads, name="Head of Abbey Primary", status="present"
    )

    result = quorum(meeting)

    assert (result.present, result.counted[-1].name) == (4, "Head of Abbey Primary")


def test_apologies_and_officers_in_attendance_do_not_count(board, meeting):
    _, holders = board
    attend(meeting, *holders[0:3])
    Attendance.objects.create(meeting=meeting, person=holders[3].person, status="apologies")
    Attendance.objects.create(meeting=meeting, name="Clerk", status="in_attendance")

    assert quorum(meeting).present == 3


@pytest.mark.parametrize("size", [10, 40])
def test_queries_do_not_grow_with_the_seats(size, django_assert_num_queries, council):
    body = BodyFactory()
    agreed_terms(body)
    for n in range(size):
        holding = MembershipFactory(
            seat=SeatFactory(body=body, role="chair" if n == 0 else "member")
        )
    meeting = MeetingFactory(body=body)
    attend(meeting, holding)
    items = [AgendaItemFactory(meeting=meeting, order=n) for n in range(1, 4)]

    # terms of reference, their required organisations; seats (+ last holding ended), holders,
    # substitutes; attendance; withdrawals
    with django_assert_num_queries(7):
        quorum_through(meeting, items)


@pytest.mark.parametrize(("present", "flagged"), [(3, True), (4, False)])
def test_a_decision_taken_without_a_quorum_is_flagged_for_ratification(
    board, meeting, present, flagged
):
    from meetings.minutes import record_decision
    from tests.factories import AgendaItemFactory, UserFactory

    _, holders = board
    attend(meeting, *holders[0:1], *holders[2 : 2 + present - 1])
    item = AgendaItemFactory(meeting=meeting, title="Future arrangements")

    decision = record_decision(
        item=item, text="The Board agreed the future model.", outcome="agreed", by=UserFactory()
    )

    assert decision.was_inquorate is flagged
