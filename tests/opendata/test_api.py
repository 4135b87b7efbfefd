"""The Popolo API: shapes (checked with the Popolo JSON Schemas), visibility, paging, caching."""

import datetime
import json
import os
import zoneinfo
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from jsonschema import Draft3Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT3

from meetings.models import AgendaItem, Meeting
from membership.models import Membership, Person
from partnerships.roles import Role
from tests.factories import (
    AgendaItemFactory,
    BodyFactory,
    MeetingFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    ReportingLineFactory,
    SeatFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

LONDON = zoneinfo.ZoneInfo("Europe/London")
# The shared folder sits beside the repository: ../shared from its root.
POPOLO_SCHEMAS = Path(__file__).resolve().parents[3] / "shared" / "popolo-schemas"
LISTS = {
    "api-organizations": "organization",
    "api-people": "person",
    "api-posts": "post",
    "api-memberships": "membership",
    "api-events": "event",
}


@pytest.fixture(scope="module")
def popolo():
    """Draft-03 validators for each Popolo schema, with every `$ref` resolved to the local files."""
    if not POPOLO_SCHEMAS.is_dir():
        message = (
            f"THE POPOLO SCHEMAS ARE MISSING: expected them in {POPOLO_SCHEMAS}. "
            "Check out the shared folder beside the repository."
        )
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    schemas = {path.stem: json.loads(path.read_text()) for path in POPOLO_SCHEMAS.glob("*.json")}
    registry = Registry().with_resources(
        (schema["id"], Resource.from_contents(schema, default_specification=DRAFT3))
        for schema in schemas.values()
    )
    return {
        name: Draft3Validator(
            schema, registry=registry, format_checker=Draft3Validator.FORMAT_CHECKER
        )
        for name, schema in schemas.items()
    }


def assert_popolo(validator, objects):
    problems = [
        f"{obj.get('id')}: {error.json_path}: {error.message}"
        for obj in objects
        for error in validator.iter_errors(obj)
    ]
    assert problems == []


def fetch_all(client, name, **params):
    """Every object of a list, following the pages."""
    url, objects = reverse(f"opendata:{name}"), []
    query = {"per_page": 500, **params}
    while url:
        response = client.get(url, query)
        assert response.status_code == 200, response.content
        data = response.json()
        objects += data["results"]
        url, query = data["next"], None
    return objects


def ids(objects):
    return {obj["id"] for obj in objects}


@pytest.fixture
def record():
    """A public board with a chair, a young person's seat, and a published agenda."""
    body = BodyFactory(name="Children's Trust Board", short_name="CTB", meets_in_public=True)
    sub_group = BodyFactory(name="Early Help Group", partnership=body.partnership)
    ReportingLineFactory(from_body=sub_group, to_body=body)
    council = OrganisationFactory(name="Cambridgeshire County Council")
    chair_seat = SeatFactory(body=body, label="Chair", role="chair")
    youth_seat = SeatFactory(body=body, label="Young people's representative")
    chair = PersonFactory(name="Marcus Hart", honorific="Councillor", email="m.hart@example.org")
    young_person = PersonFactory(name="Jamie Child", publish_name=False)
    chair_holding = MembershipFactory(seat=chair_seat, person=chair, organisation=council)
    youth_holding = MembershipFactory(seat=youth_seat, person=young_person)
    meeting = MeetingFactory(body=body, agenda_published_at=timezone.now())
    public_item = AgendaItemFactory(meeting=meeting, order=1, title="Early help strategy")
    sub_item = AgendaItemFactory(
        meeting=meeting, parent=public_item, order=1, title="Early help data"
    )
    exempt_item = AgendaItemFactory(
        meeting=meeting,
        order=2,
        title="Contract award to Acme Care",
        is_exempt=True,
        exempt_paragraph=3,
        public_interest_statement="Commercially sensitive",
    )
    draft = MeetingFactory(body=body, starts_at=meeting.starts_at + datetime.timedelta(days=60))
    unpublished_item = AgendaItemFactory(meeting=draft, order=1, title="Draft budget")
    private_meeting = MeetingFactory(body=body, is_public=False, agenda_published_at=timezone.now())
    return locals()


@pytest.fixture
def member(record):
    """A board member who holds the chair's seat."""
    user = UserFactory(username="chair")
    user.groups.add(Group.objects.get(name=Role.BOARD_MEMBER))
    Person.objects.filter(pk=record["chair"].pk).update(user=user)
    return user


@pytest.mark.parametrize(("name", "schema"), LISTS.items())
@pytest.mark.parametrize("persona", [None, "officer", "member"])
def test_every_list_validates_against_popolo(
    client, request, popolo, record, name, schema, persona
):
    if persona:
        client.force_login(request.getfixturevalue(persona))

    objects = fetch_all(client, name)

    assert objects
    assert_popolo(popolo[schema], objects)
    if schema == "event":
        assert_popolo(popolo["event"], [child for e in objects for child in e["children"]])


def test_organizations_are_partnerships_bodies_and_partner_organisations(client, record):
    body, sub_group = record["body"], record["sub_group"]

    objects = {obj["id"]: obj for obj in fetch_all(client, "api-organizations")}

    assert set(objects) == {
        f"partnership/{body.partnership_id}",
        f"body/{body.pk}",
        f"body/{sub_group.pk}",
        f"organisation/{record['council'].pk}",
    }
    board = objects[f"body/{body.pk}"]
    assert board["name"] == "Children's Trust Board"
    assert board["other_names"] == [{"name": "CTB", "note": "Short name"}]
    assert board["classification"] == "trust_board"
    assert board["founding_date"] == "2010-04-01"
    assert board["parent_id"] == f"partnership/{body.partnership_id}"
    assert objects[f"body/{sub_group.pk}"]["parent_id"] == f"body/{body.pk}"
    assert board["links"] == [
        {"url": f"http://testserver/partnerships/bodies/{body.slug}/", "note": "Body page"}
    ]


def test_public_people_leave_out_withheld_names_and_contact_details(client, record):
    people = fetch_all(client, "api-people")
    holdings = {m["id"]: m for m in fetch_all(client, "api-memberships")}

    assert ids(people) == {f"person/{record['chair'].pk}"}
    assert people[0]["name"] == "Marcus Hart"
    assert people[0]["honorific_prefix"] == "Councillor"
    assert "email" not in people[0]
    youth = holdings[f"membership/{record['youth_holding'].pk}"]
    assert youth["person_id"] is None
    assert youth["post_id"] == f"seat/{record['youth_seat'].pk}"
    assert youth["label"] == "Young people's representative"
    chair = holdings[f"membership/{record['chair_holding'].pk}"]
    assert chair["person_id"] == f"person/{record['chair'].pk}"
    assert chair["on_behalf_of_id"] == f"organisation/{record['council'].pk}"
    assert chair["role"] == "Chair"


@pytest.mark.parametrize("name", LISTS)
@pytest.mark.parametrize("persona", [None, "member"])
def test_a_withheld_name_is_in_no_answer_to_the_public_or_a_member(
    client, request, record, name, persona
):
    if persona:
        client.force_login(request.getfixturevalue(persona))

    response = client.get(reverse(f"opendata:{name}"))

    assert response.status_code == 200
    assert "Jamie Child" not in response.content.decode()


def test_staff_see_withheld_names_and_contact_details(client, officer, record):
    client.force_login(officer)

    people = {p["id"]: p for p in fetch_all(client, "api-people")}
    holdings = {m["id"]: m for m in fetch_all(client, "api-memberships")}

    assert people[f"person/{record['young_person'].pk}"]["name"] == "Jamie Child"
    assert people[f"person/{record['chair'].pk}"]["email"] == "m.hart@example.org"
    youth = holdings[f"membership/{record['youth_holding'].pk}"]
    assert youth["person_id"] == f"person/{record['young_person'].pk}"


def test_public_events_hold_published_non_exempt_items_of_public_meetings(client, record):
    events = {e["id"]: e for e in fetch_all(client, "api-events")}

    meeting, draft = record["meeting"], record["draft"]
    assert set(events) == {f"meeting/{meeting.pk}", f"meeting/{draft.pk}"}
    event = events[f"meeting/{meeting.pk}"]
    assert event["name"] == "Children's Trust Board"
    assert event["start_date"] == "2015-04-29T14:00:00+01:00"
    assert event["location"] == "Shire Hall, Cambridge"
    assert event["organization_id"] == f"body/{record['body'].pk}"
    [item] = event["children"]
    assert item["name"] == "Early help strategy"
    assert item["identifiers"] == [{"scheme": "agenda-number", "identifier": "1"}]
    assert item["exempt"] is False
    assert [child["name"] for child in item["children"]] == ["Early help data"]
    assert item["children"][0]["parent_id"] == item["id"]
    assert events[f"meeting/{draft.pk}"]["children"] == []
    content = json.dumps(events)
    assert "Contract award" not in content
    assert "Draft budget" not in content


def test_a_member_sees_the_exempt_item_marked_exempt_and_the_private_meeting(
    client, member, record
):
    client.force_login(member)

    events = {e["id"]: e for e in fetch_all(client, "api-events")}

    assert f"meeting/{record['private_meeting'].pk}" in events
    children = events[f"meeting/{record['meeting'].pk}"]["children"]
    assert [(c["name"], c["exempt"]) for c in children] == [
        ("Early help strategy", False),
        ("Contract award to Acme Care", True),
    ]


def test_public_answers_are_shared_cacheable_and_signed_in_answers_private(client, member, record):
    url = reverse("opendata:api-events")

    public = client.get(url)
    client.force_login(member)
    private = client.get(url)

    assert public["Cache-Control"] == "public, max-age=300"
    assert private["Cache-Control"] == "private, no-store"
    assert "Cookie" in private["Vary"]


def test_lists_come_a_page_at_a_time(client, record):
    url = reverse("opendata:api-organizations")

    first = client.get(url, {"per_page": 3}).json()
    second = client.get(first["next"]).json()

    assert (first["count"], first["pages"], first["page"]) == (4, 2, 1)
    assert first["previous"] is None
    assert first["next"] == "http://testserver/api/v1/organizations/?per_page=3&page=2"
    assert [o["id"].split("/")[0] for o in first["results"]] == ["partnership", "body", "body"]
    assert [o["id"] for o in second["results"]] == [f"organisation/{record['council'].pk}"]
    assert second["next"] is None
    assert second["previous"] == "http://testserver/api/v1/organizations/?per_page=3&page=1"


@pytest.mark.parametrize(
    ("query", "status", "error"),
    [
        ({"page": "9"}, 404, "There are 1 pages at 100 a page"),
        ({"page": "0"}, 400, "page must be a whole number from 1"),
        ({"per_page": "lots"}, 400, "per_page must be a whole number from 1"),
        (
            {"updated_since": "last week"},
            400,
            "updated_since must be an ISO 8601 date or date and time, "
            "like 2026-05-01 or 2026-05-01T09:30:00Z",
        ),
    ],
)
def test_parameters_it_cannot_use_are_explained(client, record, query, status, error):
    response = client.get(reverse("opendata:api-posts"), query)

    assert response.status_code == status
    assert response.json() == {"error": error}


def test_updated_since_lists_only_what_changed(client, record):
    long_ago = datetime.datetime(2020, 1, 1, tzinfo=LONDON)
    for model in (Membership, Person, Meeting, AgendaItem):
        model.objects.update(updated_at=long_ago)
    AgendaItem.objects.filter(pk=record["sub_item"].pk).update(updated_at=timezone.now())
    Membership.objects.filter(pk=record["chair_holding"].pk).update(updated_at=timezone.now())

    since = {"updated_since": "2025-01-01"}
    events = fetch_all(client, "api-events", **since)
    holdings = fetch_all(client, "api-memberships", **since)
    people = fetch_all(client, "api-people", updated_since="2025-01-01T00:00:00Z")

    assert ids(events) == {f"meeting/{record['meeting'].pk}"}
    assert ids(holdings) == {f"membership/{record['chair_holding'].pk}"}
    assert people == []


def test_unchanged_pages_answer_not_modified(client, record):
    url = reverse("opendata:api-posts")
    first = client.get(url)

    by_etag = client.get(url, headers={"if-none-match": first["ETag"]})
    by_date = client.get(url, headers={"if-modified-since": first["Last-Modified"]})
    SeatFactory(body=record["body"], label="Vice-chair", role="vice_chair")
    changed = client.get(url, headers={"if-none-match": first["ETag"]})

    assert by_etag.status_code == 304
    assert by_etag["ETag"] == first["ETag"]
    assert by_date.status_code == 304
    assert changed.status_code == 200
    assert changed.json()["count"] == 3


def test_events_read_in_a_fixed_number_of_queries(client, record, django_assert_num_queries):
    # count of visible meetings, the page of meetings (+ body), their visible items (+ parents)
    with django_assert_num_queries(3):
        response = client.get(reverse("opendata:api-events"))

    assert response.json()["count"] == 2


def test_organizations_read_in_a_fixed_number_of_queries(client, record, django_assert_num_queries):
    # three counts; partnerships; bodies, their status changes, their primary lines; organisations
    with django_assert_num_queries(8):
        client.get(reverse("opendata:api-organizations"))


def test_the_index_lists_the_endpoints(client):
    response = client.get(reverse("opendata:api-root"))

    assert response.json()["endpoints"] == {
        "organizations": "http://testserver/api/v1/organizations/",
        "people": "http://testserver/api/v1/people/",
        "posts": "http://testserver/api/v1/posts/",
        "memberships": "http://testserver/api/v1/memberships/",
        "events": "http://testserver/api/v1/events/",
        "schema": "http://testserver/api/v1/schema/",
    }


def test_the_openapi_document_is_valid_and_describes_every_list(client):
    from openapi_spec_validator import validate

    response = client.get(reverse("opendata:api-schema"))
    document = response.json()

    validate(document)
    assert document["servers"] == [{"url": "http://testserver/api/v1"}]
    assert set(document["paths"]) == {
        "/organizations/",
        "/people/",
        "/posts/",
        "/memberships/",
        "/events/",
    }
    assert response["Cache-Control"] == "public, max-age=300"


def test_the_developer_page_explains_the_api(client, record):
    response = client.get(reverse("opendata:developers"))

    content = response.content.decode()
    assert response.status_code == 200
    assert '<h1 class="govuk-heading-xl">Open data</h1>' in content
    assert "<code>/api/v1/memberships/</code>" in content
    assert reverse("opendata:body-feed-atom", args=[record["body"].slug]) in content
    assert "Rebuild the download now" not in content


def test_the_demo_data_validates_for_every_persona(client, popolo, officer):
    call_command("load_demo", allow_production=True)
    withheld = list(Person.objects.filter(publish_name=False).values_list("name", flat=True))
    personas = [None, officer]

    for persona in personas:
        if persona:
            client.force_login(persona)
        for name, schema in LISTS.items():
            objects = fetch_all(client, name)
            assert objects, name
            assert_popolo(popolo[schema], objects)
            if schema == "event":
                nested, stack = [], [c for e in objects for c in e["children"]]
                while stack:
                    nested.append(stack.pop())
                    stack += nested[-1]["children"]
                assert_popolo(popolo["event"], nested)
                if persona is None:
                    assert not any(item["exempt"] for item in nested)
            if persona is None:
                content = json.dumps(objects)
                assert [n for n in withheld if n in content] == []
