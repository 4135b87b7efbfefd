"""Concurrency: racing saves of a minute lose nothing, duplicate submissions make one row, and
publishing an agenda changes everything or nothing."""

import datetime
import threading
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from meetings import minutes as minute_services
from meetings.models import Meeting
from meetings.services import publish_agenda
from reports import services as report_services
from reports.models import AnnualReport
from tests.factories import AgendaItemFactory, BodyFactory, MeetingFactory, UserFactory

RACES = 25
SUBMISSIONS = 10


def run_together(functions):
    """Run each function in its own thread (so its own database connection), all released at
    once; returns what each returned or raised, in order."""
    barrier = threading.Barrier(len(functions))
    outcomes = [None] * len(functions)

    def run(index, function):
        try:
            barrier.wait(timeout=30)
            outcomes[index] = ("returned", function())
        except Exception as error:
            outcomes[index] = ("raised", error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=run, args=(index, function))
        for index, function in enumerate(functions)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_25_races_of_two_officers_saving_the_same_minute_lose_no_update():
    officers = [UserFactory(username="alice"), UserFactory(username="bob")]
    meeting = MeetingFactory()
    AgendaItemFactory(meeting=meeting)
    entry = minute_services.ensure_minutes(meeting).entries.get()
    lost = []

    for race in range(RACES):
        entry.refresh_from_db()
        version = entry.version
        texts = [f"<p>Alice's minute {race}</p>", f"<p>Bob's minute {race}</p>"]

        def save(text, by, version=version):
            copy = type(entry).objects.get(pk=entry.pk)
            return minute_services.save_entry(
                entry=copy, text=text, resolution="", expected_version=version, by=by
            )

        outcomes = run_together(
            [lambda t=text, u=user: save(t, u) for text, user in zip(texts, officers, strict=True)]
        )

        kinds = [kind for kind, _ in outcomes]
        assert sorted(kinds) == ["raised", "returned"], outcomes
        loser = next(value for kind, value in outcomes if kind == "raised")
        assert isinstance(loser, minute_services.Conflict), loser
        winner_text = texts[kinds.index("returned")]
        entry.refresh_from_db()
        if entry.text != winner_text or entry.version != version + 1:
            lost.append(race)

    assert lost == []


@pytest.mark.django_db(transaction=True)
def test_10_simultaneous_starts_of_the_same_report_make_one_report():
    officer = UserFactory(username="officer")
    body, receiving_body = BodyFactory(), BodyFactory()

    def start():
        return report_services.start_report(
            body=body,
            receiving_body=receiving_body,
            period_starts_on=datetime.date(2015, 4, 1),
            period_ends_on=datetime.date(2016, 3, 31),
            kind=AnnualReport.Kind.ANNUAL,
            by=officer,
        )

    outcomes = run_together([start] * SUBMISSIONS)

    assert AnnualReport.objects.count() == 1
    started = [value for kind, value in outcomes if kind == "returned"]
    refused = [value for kind, value in outcomes if kind == "raised"]
    assert len(started) == 1
    # Every other submission is told why, as a person would be, never a database error.
    assert [type(error) for error in refused] == [ValidationError] * (SUBMISSIONS - 1)
    assert {error.messages[0] for error in refused} == {
        f"{body} has already started a report to {receiving_body} for this period"
    }


@pytest.mark.django_db
def test_publishing_changes_everything_or_nothing():
    board = BodyFactory(access_to_information="statutory")
    # Long past its deadline, so publishing first marks the items late, then the meeting.
    meeting = MeetingFactory(body=board)
    items = [AgendaItemFactory(meeting=meeting, order=n) for n in (1, 2)]
    officer = UserFactory()

    with (
        mock.patch.object(Meeting, "save", side_effect=RuntimeError("database went away")),
        pytest.raises(RuntimeError),
    ):
        publish_agenda(meeting=meeting, by=officer, urgency_reason="The grant closes on Friday")

    meeting.refresh_from_db()
    assert meeting.agenda_published_at is None
    assert meeting.agenda_version == 0
    assert [
        (item.is_late, item.urgency_reason)
        for item in meeting.items.order_by("order")
        if item.pk in {i.pk for i in items}
    ] == [(False, ""), (False, "")]
