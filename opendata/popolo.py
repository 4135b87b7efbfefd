"""The public record as Popolo (http://www.popoloproject.com/) objects, as a viewer may see it.

Bodies, partnerships and partner organisations are Popolo organizations, seats are posts,
holdings are memberships and meetings are events whose children are their agenda items. Every
read goes through the visibility layer: meetings and items through `visible_to(viewer)`, names
through `membership.visibility`. A person whose name is withheld is left out of the people, and
their memberships carry no `person_id`, unless the viewer may see withheld names.

Identifiers are "<kind>/<primary key>" strings ("body/12", "seat/40"), stable for the life of a row.
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from meetings.models import AgendaItem, Meeting
from membership.models import Membership, Person, Seat
from membership.visibility import can_see_withheld_names
from partnerships.models import (
    ENDED_STATUSES,
    Body,
    BodyStatus,
    DatePrecision,
    Organisation,
    Partnership,
    ReportingLine,
)

FOUNDING_STATUSES = {BodyStatus.SHADOW, BodyStatus.ACTIVE}


@dataclass(frozen=True)
class Viewer:
    """Who the objects are for, and how to turn a path into an absolute address."""

    user: object
    absolute_url: Callable[[str], str]

    @property
    def names_visible(self) -> bool:
        return can_see_withheld_names(self.user)


def popolo_id(kind: str, pk: int | None) -> str | None:
    return f"{kind}/{pk}" if pk is not None else None


def approximate_date(value: datetime.date | None, precision: str = DatePrecision.DAY) -> str | None:
    """A Popolo date as precise as the source: "2009", "2009-08" or "2009-08-14"."""
    if value is None:
        return None
    if precision == DatePrecision.YEAR:
        return f"{value.year:04d}"
    if precision == DatePrecision.MONTH:
        return f"{value.year:04d}-{value.month:02d}"
    return value.isoformat()


def last_day(ends_on: datetime.date | None) -> str | None:
    """Popolo's end_date is the last day held; our `ends_on` is the first day no longer held."""
    return (ends_on - datetime.timedelta(days=1)).isoformat() if ends_on else None


def date_time(value: datetime.datetime | None) -> str | None:
    """ISO 8601 in UK local time, to the second (Popolo's pattern allows no fractions)."""
    if value is None:
        return None
    return timezone.localtime(value).replace(microsecond=0).isoformat()


def _stamps(obj) -> dict:
    return {"created_at": date_time(obj.created_at), "updated_at": date_time(obj.updated_at)}


def _page_link(viewer: Viewer, path: str, note: str) -> list[dict]:
    return [{"url": viewer.absolute_url(path), "note": note}]


# Organizations -----------------------------------------------------------------------------------


def partnerships(since: datetime.datetime | None = None) -> QuerySet:
    return _since(Partnership.objects.order_by("pk"), since)


def bodies(since: datetime.datetime | None = None) -> QuerySet:
    return _since(Body.objects.prefetch_related("status_changes").order_by("pk"), since)


def organisations(since: datetime.datetime | None = None) -> QuerySet:
    return _since(Organisation.objects.order_by("pk"), since)


def partnership_objects(rows: Iterable[Partnership], viewer: Viewer) -> list[dict]:
    return [
        {
            "id": popolo_id("partnership", partnership.pk),
            "name": partnership.name,
            "other_names": _short_name(partnership.short_name),
            "identifiers": [{"scheme": "slug", "identifier": partnership.slug}],
            "classification": "partnership",
            "description": partnership.description or None,
            "links": _page_link(viewer, partnership.get_absolute_url(), "Partnership page"),
            **_stamps(partnership),
        }
        for partnership in rows
    ]


def body_objects(rows: Iterable[Body], viewer: Viewer) -> list[dict]:
    rows = list(rows)
    parents = dict(
        ReportingLine.objects.current()
        .primary()
        .filter(from_body__in=rows, to_body__isnull=False)
        .values_list("from_body_id", "to_body_id")
    )
    objects = []
    for body in rows:
        changes = sorted(body.status_changes.all(), key=lambda c: (c.effective_on, c.pk))
        founded = next((c for c in changes if c.status in FOUNDING_STATUSES), None)
        ended = changes[-1] if changes and changes[-1].status in ENDED_STATUSES else None
        parent = parents.get(body.pk)
        objects.append(
            {
                "id": popolo_id("body", body.pk),
                "name": body.name,
                "other_names": _short_name(body.short_name),
                "identifiers": [{"scheme": "slug", "identifier": body.slug}],
                "classification": body.kind,
                # The body it primarily reports to, else the partnership it belongs to.
                "parent_id": (
                    popolo_id("body", parent)
                    if parent
                    else popolo_id("partnership", body.partnership_id)
                ),
                "founding_date": founded
                and approximate_date(founded.effective_on, founded.effective_precision),
                "dissolution_date": ended
                and approximate_date(ended.effective_on, ended.effective_precision),
                "links": _page_link(viewer, body.get_absolute_url(), "Body page"),
                **_stamps(body),
            }
        )
    return objects


def organisation_objects(rows: Iterable[Organisation], viewer: Viewer) -> list[dict]:
    from django.urls import reverse

    return [
        {
            "id": popolo_id("organisation", organisation.pk),
            "name": organisation.name,
            "other_names": [
                *_short_name(organisation.short_name),
                *({"name": alias, "note": "Also known as"} for alias in organisation.aliases),
            ],
            "classification": organisation.kind,
            "links": _page_link(
                viewer,
                reverse("membership:organisation-detail", kwargs={"pk": organisation.pk}),
                "Organisation page",
            ),
            **_stamps(organisation),
        }
        for organisation in rows
    ]


def _short_name(short_name: str) -> list[dict]:
    return [{"name": short_name, "note": "Short name"}] if short_name else []


# People, posts and memberships -------------------------------------------------------------------


def people(viewer: Viewer, since: datetime.datetime | None = None) -> QuerySet:
    rows = Person.objects.order_by("pk")
    if not viewer.names_visible:
        rows = rows.filter(publish_name=True)
    return _since(rows, since)


def person_objects(rows: Iterable[Person], viewer: Viewer) -> list[dict]:
    return [
        {
            "id": popolo_id("person", person.pk),
            "name": person.name,
            "honorific_prefix": person.honorific or None,
            "sort_name": person.sort_name or None,
            "other_names": [{"name": alias, "note": "Also known as"} for alias in person.aliases],
            # Contact details are for the staff who keep the rosters, as on the person page.
            **({"email": person.email or None} if viewer.names_visible else {}),
            "summary": person.job_title or None,
            "links": _page_link(viewer, person.get_absolute_url(), "Person page"),
            **_stamps(person),
        }
        for person in rows
    ]


def posts(since: datetime.datetime | None = None) -> QuerySet:
    return _since(Seat.objects.order_by("pk"), since)


def post_objects(rows: Iterable[Seat], viewer: Viewer) -> list[dict]:
    return [
        {
            "id": popolo_id("seat", seat.pk),
            "label": seat.label,
            "role": seat.get_role_display(),
            "organization_id": popolo_id("body", seat.body_id),
            "start_date": approximate_date(seat.starts_on),
            "end_date": last_day(seat.ends_on),
            **_stamps(seat),
        }
        for seat in rows
    ]


def memberships(since: datetime.datetime | None = None) -> QuerySet:
    return _since(Membership.objects.select_related("seat", "person").order_by("pk"), since)


def membership_objects(rows: Iterable[Membership], viewer: Viewer) -> list[dict]:
    names_visible = viewer.names_visible
    objects = []
    for membership in rows:
        person = membership.person
        shown = person is not None and (person.publish_name or names_visible)
        objects.append(
            {
                "id": popolo_id("membership", membership.pk),
                "label": membership.seat.label,
                "role": membership.seat.get_role_display(),
                # A withheld person appears as the seat they hold, and nothing more.
                "person_id": popolo_id("person", person.pk) if shown else None,
                "organization_id": popolo_id("body", membership.seat.body_id),
                "post_id": popolo_id("seat", membership.seat_id),
                "on_behalf_of_id": popolo_id("organisation", membership.organisation_id),
                "start_date": approximate_date(membership.starts_on),
                "end_date": last_day(membership.ends_on),
                **_stamps(membership),
            }
        )
    return objects


# Events ------------------------------------------------------------------------------------------


def events(viewer: Viewer, since: datetime.datetime | None = None) -> QuerySet:
    items = (
        AgendaItem.objects.visible_to(viewer.user)
        .select_related("parent")
        .order_by(Coalesce("parent__order", "order"), F("parent").asc(nulls_first=True), "order")
    )
    rows = (
        Meeting.objects.visible_to(viewer.user)
        .select_related("body")
        .prefetch_related(Prefetch("items", queryset=items, to_attr="visible_items"))
        .order_by("pk")
    )
    if since is not None:
        # A meeting counts as changed when it, or one of its items, changed.
        changed_item = AgendaItem.objects.filter(meeting=OuterRef("pk"), updated_at__gte=since)
        rows = rows.filter(Q(updated_at__gte=since) | Exists(changed_item))
    return rows


def event_objects(rows: Iterable[Meeting], viewer: Viewer) -> list[dict]:
    return [_event(meeting, viewer) for meeting in rows]


def _event(meeting: Meeting, viewer: Viewer) -> dict:
    meeting_id = popolo_id("meeting", meeting.pk)
    body_id = popolo_id("body", meeting.body_id)
    items = {item.pk: _item(item, meeting_id, body_id) for item in meeting.visible_items}
    top = []
    for item in meeting.visible_items:
        parent = items.get(item.parent_id)
        (parent["children"] if parent else top).append(items[item.pk])
    for item in meeting.visible_items:
        if item.parent_id and item.parent_id not in items:
            items[item.pk]["parent_id"] = meeting_id
    return {
        "id": meeting_id,
        "name": meeting.title or meeting.body.name,
        "classification": meeting.kind,
        "status": meeting.status,
        "start_date": date_time(meeting.starts_at),
        "end_date": date_time(meeting.ends_at),
        "location": meeting.venue or None,
        "organization_id": body_id,
        "children": top,
        "sources": _page_link(viewer, meeting.get_absolute_url(), "Meeting page"),
        "created_at": date_time(meeting.created_at),
        "updated_at": date_time(
            max([meeting.updated_at, *(item.updated_at for item in meeting.visible_items)])
        ),
    }


def _item(item: AgendaItem, meeting_id: str, body_id: str) -> dict:
    return {
        "id": popolo_id("item", item.pk),
        "name": item.title,
        "identifiers": [{"scheme": "agenda-number", "identifier": item.number}],
        "classification": f"agenda_item:{item.kind}",
        "description": item.summary or None,
        "organization_id": body_id,
        "parent_id": popolo_id("item", item.parent_id) if item.parent_id else meeting_id,
        "children": [],
        # Not Popolo: marks the exempt items a member sees, which must not be republished.
        "exempt": item.is_exempt or bool(item.parent_id and item.parent.is_exempt),
        **_stamps(item),
    }


def _since(rows: QuerySet, since: datetime.datetime | None) -> QuerySet:
    return rows if since is None else rows.filter(updated_at__gte=since)
