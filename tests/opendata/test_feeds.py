"""RSS and Atom feeds: well-formed XML with exactly the public agendas, minutes and decisions."""

import datetime
import zoneinfo

import pytest
from defusedxml import ElementTree
from django.urls import reverse

from meetings.models import Decision, MinuteEntry, Minutes
from tests.factories import AgendaItemFactory, BodyFactory, MeetingFactory, PersonFactory

pytestmark = pytest.mark.django_db

LONDON = zoneinfo.ZoneInfo("Europe/London")
ATOM = "{http://www.w3.org/2005/Atom}"


def at(day, hour=10):
    return datetime.datetime(2015, *day, hour, tzinfo=LONDON)


@pytest.fixture
def record():
    body = BodyFactory(name="Children's Trust Board", meets_in_public=True)
    april = MeetingFactory(body=body, starts_at=at((4, 29), 14), agenda_published_at=at((4, 20)))
    strategy = AgendaItemFactory(meeting=april, order=1, title="Early help strategy")
    contract = AgendaItemFactory(
        meeting=april,
        order=2,
        title="Contract award",
        is_exempt=True,
        exempt_paragraph=3,
        public_interest_statement="Commercially sensitive",
    )
    june = MeetingFactory(body=body, starts_at=at((6, 10), 14), agenda_published_at=at((6, 1)))
    budget = AgendaItemFactory(meeting=june, order=1, title="Budget")
    chair = PersonFactory(name="Marcus Hart")
    approved = Minutes.objects.create(
        meeting=april,
        status=Minutes.Status.APPROVED,
        approved_at=june,
        approved_on=datetime.date(2015, 6, 10),
        signed_by=chair,
    )
    for item, text in [(strategy, "Agreed the strategy"), (contract, "Awarded to Acme Care")]:
        MinuteEntry.objects.create(minutes=approved, item=item)
        Decision.objects.create(item=item, text=text, outcome="agreed")
    draft = Minutes.objects.create(meeting=june)
    MinuteEntry.objects.create(minutes=draft, item=budget)
    Decision.objects.create(item=budget, text="Set the budget at £2m", outcome="agreed")
    MeetingFactory(
        body=body, is_public=False, title="Private session", agenda_published_at=at((7, 1))
    )
    MeetingFactory(body=body, title="Unpublished", starts_at=at((9, 1)))
    other = MeetingFactory(
        body=BodyFactory(name="Youth Board"), starts_at=at((5, 5)), agenda_published_at=at((5, 1))
    )
    return locals()


def rss_items(response):
    assert response["Content-Type"] == "application/rss+xml; charset=utf-8"
    channel = ElementTree.fromstring(response.content).find("channel")
    return channel, [
        (item.findtext("title"), item.findtext("description"), item.findtext("category"))
        for item in channel.findall("item")
    ]


def test_the_body_rss_feed_lists_its_public_agendas_minutes_and_decisions(client, record):
    response = client.get(reverse("opendata:body-feed-rss", args=[record["body"].slug]))

    channel, items = rss_items(response)
    assert channel.findtext("title") == "Children's Trust Board: agendas, minutes and decisions"
    assert items == [
        ("Minutes approved: Children's Trust Board, 29 April 2015",
         "Approved at the meeting on 10 June 2015.", "Minutes"),
        ("Agreed: Early help strategy (Children's Trust Board, 29 April 2015)",
         "Agreed the strategy", "Decision"),
        ("Agenda published: Children's Trust Board, 10 June 2015", "1. Budget", "Agenda"),
        ("Agenda published: Children's Trust Board, 29 April 2015",
         "1. Early help strategy", "Agenda"),
    ]  # fmt: skip
    assert response["Cache-Control"] == "public, max-age=300"


def test_feeds_never_carry_exempt_items_draft_minutes_or_private_meetings(client, record):
    for name in ["feed-rss", "feed-atom"]:
        content = client.get(reverse(f"opendata:{name}")).content.decode()

        for secret in ["Contract award", "Acme Care", "£2m", "Private session", "Unpublished"]:
            assert secret not in content


def test_the_site_wide_atom_feed_covers_every_body(client, record):
    response = client.get(reverse("opendata:feed-atom"))

    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    feed = ElementTree.fromstring(response.content)
    entries = feed.findall(f"{ATOM}entry")
    assert [entry.findtext(f"{ATOM}title") for entry in entries] == [
        "Minutes approved: Children's Trust Board, 29 April 2015",
        "Agreed: Early help strategy (Children's Trust Board, 29 April 2015)",
        "Agenda published: Children's Trust Board, 10 June 2015",
        "Agenda published: Youth Board, 5 May 2015",
        "Agenda published: Children's Trust Board, 29 April 2015",
    ]
    first = entries[0]
    assert first.find(f"{ATOM}link").get("href") == (
        f"http://testserver/meetings/{record['april'].pk}/minutes/"
    )
    assert first.findtext(f"{ATOM}updated") == "2015-06-10T00:00:00+01:00"
    assert (
        first.findtext(f"{ATOM}id")
        == f"urn:partnership-governance:minutes-{record['approved'].pk}-approved"
    )


def test_the_body_atom_feed_is_only_that_body(client, record):
    response = client.get(reverse("opendata:body-feed-atom", args=["youth-board"]))

    feed = ElementTree.fromstring(response.content)
    assert feed.findtext(f"{ATOM}title") == "Youth Board: agendas, minutes and decisions"
    assert [e.findtext(f"{ATOM}title") for e in feed.findall(f"{ATOM}entry")] == [
        "Agenda published: Youth Board, 5 May 2015"
    ]


def test_a_body_that_does_not_exist_has_no_feed(client, record):
    response = client.get(reverse("opendata:body-feed-rss", args=["no-such-body"]))

    assert response.status_code == 404


def test_a_signed_in_reader_gets_the_public_feed(client, officer, record):
    client.force_login(officer)

    content = client.get(reverse("opendata:feed-rss")).content.decode()

    assert "Contract award" not in content
    assert "Private session" not in content
