"""The governance facts of a report's period, against a hand-built body whose numbers are known.

The body has four voting seats (A and B nominated by Org X, C and D by Org Y) and meets in
2015/16 on 10 June, 9 September and 9 December 2015 (held; the December register is recorded
though the meeting was not marked held), with 10 February 2016 cancelled; 11 March 2015 and
13 April 2016 fall outside the period.

Attendance (expected = every seat with a holder, per held meeting):
           June        September          December
  A        present     present            apologies
  B        present*    substitute         present          * no seat recorded on the row
  C        apologies   present            present (new holder from 1 November)
  D        present     absent             apologies        (holder left 1 January 2016)
  => 8 of 12; A 2/3, B 3/3, C 2/3, D 1/3; Org X 5/6, Org Y 3/6.
"""

import datetime
import json
import zoneinfo
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from meetings.models import Action, Attendance, Decision
from partnerships.models import TermsOfReference
from reports.facts import facts_for
from reports.models import FundingAllocation, FundingStream, SupportPost
from tests.factories import (
    AgendaItemFactory,
    BodyFactory,
    MeetingFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    SeatFactory,
)

LONDON = zoneinfo.ZoneInfo("Europe/London")
START, END = datetime.date(2015, 4, 1), datetime.date(2016, 3, 31)

pytestmark = pytest.mark.django_db


def _at(year, month, day):
    return datetime.datetime(year, month, day, 14, 0, tzinfo=LONDON)


def _decision(meeting, outcome, **fields):
    item = AgendaItemFactory(meeting=meeting)
    return Decision.objects.create(item=item, text="Resolved", outcome=outcome, **fields)


def _action(meeting, owner, due_on, status="open", closed_at=None):
    return Action.objects.create(
        meeting=meeting,
        description=f"Action due {due_on}",
        owner=owner,
        due_on=due_on,
        status=status,
        closed_at=closed_at,
    )


@pytest.fixture
def world():
    body = BodyFactory(name="Area Partnership 9")
    org_x = OrganisationFactory(name="Org X")
    org_y = OrganisationFactory(name="Org Y")
    seats = {
        label: SeatFactory(body=body, label=f"Seat {label}", nominating_organisation=org, order=n)
        for n, (label, org) in enumerate([("A", org_x), ("B", org_x), ("C", org_y), ("D", org_y)])
    }
    seats["A"].role = "chair"
    seats["A"].save()
    people = {name: PersonFactory(name=f"Person {name}") for name in ["A", "B", "C", "C2", "D"]}
    MembershipFactory(seat=seats["A"], person=people["A"])
    MembershipFactory(seat=seats["B"], person=people["B"])
    MembershipFactory(
        seat=seats["C"], person=people["C"], ends_on=datetime.date(2015, 10, 1)
    )  # ended in the period
    MembershipFactory(
        seat=seats["C"], person=people["C2"], starts_on=datetime.date(2015, 11, 1)
    )  # started in the period
    MembershipFactory(
        seat=seats["D"], person=people["D"], ends_on=datetime.date(2016, 1, 1)
    )  # ended in the period: seat D is vacant at the end
    substitute = PersonFactory(name="Sam Substitute")

    TermsOfReference.objects.create(
        body=body,
        version=1,
        status="superseded",
        agreed_on=datetime.date(2014, 5, 1),
        meetings_per_year=4,
    )
    TermsOfReference.objects.create(
        body=body,
        version=2,
        status="agreed",
        agreed_on=datetime.date(2015, 7, 15),
        meetings_per_year=4,
    )

    before = MeetingFactory(body=body, starts_at=_at(2015, 3, 11), status="held")
    june = MeetingFactory(body=body, starts_at=_at(2015, 6, 10), status="held")
    september = MeetingFactory(body=body, starts_at=_at(2015, 9, 9), status="held")
    december = MeetingFactory(body=body, starts_at=_at(2015, 12, 9), status="agenda_published")
    MeetingFactory(body=body, starts_at=_at(2016, 2, 10), status="cancelled")
    after = MeetingFactory(body=body, starts_at=_at(2016, 4, 13), status="held")

    def attend(meeting, person, status, seat=None, **fields):
        Attendance.objects.create(
            meeting=meeting, person=person, status=status, seat=seat, **fields
        )

    attend(before, people["A"], "present", seats["A"])
    attend(june, people["A"], "present", seats["A"])
    attend(june, people["B"], "present")
    attend(june, people["C"], "apologies", seats["C"])
    attend(june, people["D"], "present", seats["D"])
    Attendance.objects.create(meeting=june, name="A visitor", status="guest")
    attend(september, people["A"], "present", seats["A"])
    attend(september, people["B"], "apologies", seats["B"])
    attend(september, substitute, "present", substitute_for=people["B"])
    attend(september, people["C"], "present", seats["C"])
    attend(september, people["D"], "absent", seats["D"])
    attend(december, people["A"], "apologies", seats["A"])
    attend(december, people["B"], "present", seats["B"])
    attend(december, people["C2"], "present", seats["C"])
    attend(december, people["D"], "apologies", seats["D"])

    _decision(before, "agreed")
    _decision(june, "agreed")
    _decision(june, "agreed")
    _decision(september, "noted", was_inquorate=True)
    _decision(december, "endorsed")

    owner = people["A"]
    _action(before, owner, datetime.date(2015, 5, 1))  # open, overdue, raised before the period
    _action(june, owner, datetime.date(2015, 9, 1), "closed", september)  # opened and closed
    _action(june, owner, datetime.date(2016, 6, 1), "in_progress")  # open, not yet due
    _action(september, owner, datetime.date(2015, 11, 1), "done")  # done but not closed: overdue
    _action(december, owner, datetime.date(2016, 1, 31), "closed", after)  # closed after the end

    grant = FundingStream.objects.create(
        name="Partnership grant",
        funder=org_x,
        amount_per_year=Decimal("34000"),
        ends_on=datetime.date(2015, 6, 1),
        recipient_body=body,
    )
    FundingAllocation.objects.create(stream=grant, body=body, amount_per_year=Decimal("3333"))
    FundingStream.objects.create(
        name="Ended grant",
        funder=org_x,
        amount_per_year=Decimal("1000"),
        ends_on=datetime.date(2015, 4, 1),
        recipient_body=body,
    )
    post = SupportPost.objects.create(
        title="Partnership Manager",
        employer=org_x,
        fte=Decimal("0.65"),
        ends_on=datetime.date(2015, 6, 1),
    )
    post.supports.add(body)
    return body


def test_meetings_planned_held_and_cancelled(world):
    facts = facts_for(world, START, END)

    assert facts["period"] == {"starts_on": "2015-04-01", "ends_on": "2016-03-31"}
    assert facts["meetings"] == {
        "planned": 4,
        "meetings_per_year": 4,
        "held": 3,
        "cancelled": 1,
        "held_on": ["2015-06-10", "2015-09-09", "2015-12-09"],
    }


def test_attendance_overall_per_seat_and_per_organisation(world):
    attendance = facts_for(world, START, END)["attendance"]

    assert (attendance["expected"], attendance["attended"], attendance["rate"]) == (12, 8, 66.7)
    assert [(s["seat"], s["attended"], s["expected"]) for s in attendance["by_seat"]] == [
        ("Seat A", 2, 3),
        ("Seat B", 3, 3),
        ("Seat C", 2, 3),
        ("Seat D", 1, 3),
    ]
    assert [
        (o["organisation"], o["attended"], o["expected"], o["rate"])
        for o in attendance["by_organisation"]
    ] == [("Org X", 5, 6, 83.3), ("Org Y", 3, 6, 50.0)]


def test_quorum_decisions_and_actions(world):
    facts = facts_for(world, START, END)

    assert facts["quorum"]["meetings_with_inquorate_decisions"] == 1
    assert facts["decisions"] == {
        "total": 4,
        "by_outcome": [
            {"outcome": "agreed", "label": "Agreed", "count": 2},
            {"outcome": "noted", "label": "Noted", "count": 1},
            {"outcome": "endorsed", "label": "Endorsed", "count": 1},
        ],
    }
    assert facts["actions"] == {"opened": 4, "closed": 1, "open_at_end": 4, "overdue_at_end": 3}


def test_membership_terms_and_funding(world):
    facts = facts_for(world, START, END)

    assert facts["membership"] == {
        "started": 1,
        "ended": 2,
        "vacancies_at_end": 1,
        "vacant_seats": ["Seat D"],
    }
    assert facts["terms_of_reference"] == {
        "agreed_in_period": [{"version": 2, "agreed_on": "2015-07-15", "effective_on": None}]
    }
    assert facts["funding"] == {
        "streams": [
            {
                "name": "Partnership grant",
                "funder": "Org X",
                "amount_per_year": "34000.00",
                "ends_on": "2015-06-01",
                "allocations": [{"to": "Area Partnership 9", "amount_per_year": "3333.00"}],
            }
        ],
        "allocations_received": [],
        "posts": [
            {
                "title": "Partnership Manager",
                "employer": "Org X",
                "fte": "0.65",
                "ends_on": "2015-06-01",
            }
        ],
    }
    # Stored on the report as JSON.
    assert json.loads(json.dumps(facts)) == facts


def test_an_allocation_from_another_bodys_stream_is_received():
    area = BodyFactory(name="Area 1")
    trust = BodyFactory(name="Trust")
    stream = FundingStream.objects.create(
        name="Children's Trust funding",
        funder=OrganisationFactory(name="County Council"),
        amount_per_year=Decimal("34000"),
        ends_on=datetime.date(2015, 6, 1),
        recipient_body=trust,
    )
    FundingAllocation.objects.create(stream=stream, body=area, amount_per_year=Decimal("3333"))

    assert facts_for(area, START, END)["funding"]["allocations_received"] == [
        {
            "stream": "Children's Trust funding",
            "funder": "County Council",
            "amount_per_year": "3333.00",
            "ends_on": "2015-06-01",
        }
    ]


def test_planned_meetings_are_pro_rata_to_when_the_terms_took_effect():
    body = BodyFactory()
    TermsOfReference.objects.create(
        body=body,
        version=1,
        status="agreed",
        agreed_on=datetime.date(2015, 4, 29),
        effective_on=datetime.date(2015, 10, 1),
        meetings_per_year=4,
    )

    assert facts_for(body, START, END)["meetings"]["planned"] == 2


def test_a_body_without_terms_or_meetings():
    facts = facts_for(BodyFactory(), START, END)

    assert facts["meetings"] == {
        "planned": None,
        "meetings_per_year": None,
        "held": 0,
        "cancelled": 0,
        "held_on": [],
    }
    assert facts["attendance"]["rate"] is None


def _busy_body(meetings: int):
    body = BodyFactory()
    seats = [SeatFactory(body=body) for _ in range(4)]
    holders = [MembershipFactory(seat=seat).person for seat in seats]
    TermsOfReference.objects.create(
        body=body, version=1, status="agreed", agreed_on=START, meetings_per_year=12
    )
    stream = FundingStream.objects.create(
        name="Grant",
        funder=OrganisationFactory(),
        amount_per_year=Decimal("1000"),
        recipient_body=body,
    )
    FundingAllocation.objects.create(stream=stream, body=body, amount_per_year=Decimal("500"))
    for month in range(meetings):
        meeting = MeetingFactory(
            body=body, starts_at=_at(2015 + (month + 3) // 12, (month + 3) % 12 + 1, 8)
        )
        for seat, person in zip(seats, holders, strict=True):
            Attendance.objects.create(meeting=meeting, person=person, seat=seat, status="present")
        _decision(meeting, "agreed")
        _action(meeting, holders[0], datetime.date(2016, 6, 1))
    return body


def test_facts_take_a_fixed_number_of_queries():
    few, many = _busy_body(3), _busy_body(12)

    with CaptureQueriesContext(connection) as for_few:
        facts = facts_for(few, START, END)
    with CaptureQueriesContext(connection) as for_many:
        more_facts = facts_for(many, START, END)

    assert (facts["meetings"]["held"], more_facts["meetings"]["held"]) == (3, 12)
    assert more_facts["attendance"]["expected"] == 48
    # terms, meetings, inquorate decisions, seats, holdings, attendance, decisions, actions,
    # terms agreed, streams (+ allocations), allocations received, posts
    assert len(for_few) == len(for_many) == 13
