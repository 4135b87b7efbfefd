"""RSS and Atom feeds of the public record: published agendas, approved minutes and decisions.

Feed readers carry no session, so every feed is the public's view, read through the visibility
layer as an anonymous user: agendas of public meetings once published, minutes once approved,
and decisions only where their minute is public (approved, non-exempt item of a public meeting).
"""

import datetime
import zoneinfo
from dataclasses import dataclass

from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.models import AnonymousUser
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.views.decorators.cache import cache_control

from meetings.calendars import visible_item_titles
from meetings.models import Decision, Meeting, MinuteEntry, Minutes
from partnerships.models import Body

LONDON = zoneinfo.ZoneInfo("Europe/London")
ENTRIES = 50


@dataclass(frozen=True)
class Entry:
    title: str
    description: str
    link: str
    guid: str
    published_at: datetime.datetime
    category: str


def _approved_at(minutes: Minutes) -> datetime.datetime:
    return datetime.datetime.combine(minutes.approved_on, datetime.time(), tzinfo=LONDON)


def entries(body: Body | None = None) -> list[Entry]:
    """The latest public agendas, approved minutes and decisions, newest first."""
    public = AnonymousUser()
    meetings = Meeting.objects.visible_to(public)
    if body is not None:
        meetings = meetings.filter(body=body)
    agendas = list(
        meetings.filter(agenda_published_at__isnull=False)
        .select_related("body")
        .order_by("-agenda_published_at", "-pk")[:ENTRIES]
    )
    titles = visible_item_titles(agendas, public) if agendas else {}
    found = [
        Entry(
            title=f"Agenda published: {meeting}",
            description="\n".join(titles.get(meeting.pk, [])) or "No public items.",
            link=meeting.get_absolute_url(),
            guid=f"meeting-{meeting.pk}-agenda-{meeting.agenda_version}",
            published_at=meeting.agenda_published_at,
            category="Agenda",
        )
        for meeting in agendas
    ]
    approved = (
        Minutes.objects.filter(status=Minutes.Status.APPROVED, meeting__in=meetings)
        .select_related("meeting__body", "approved_at")
        .order_by("-approved_on", "-pk")[:ENTRIES]
    )
    found += [
        Entry(
            title=f"Minutes approved: {minutes.meeting}",
            description=f"Approved at the meeting on {minutes.approved_at.starts_at:%-d %B %Y}.",
            link=reverse("meetings:minutes", kwargs={"pk": minutes.meeting_id}),
            guid=f"minutes-{minutes.pk}-approved",
            published_at=_approved_at(minutes),
            category="Minutes",
        )
        for minutes in approved
    ]
    decisions = (
        Decision.objects.filter(
            item__minute__in=MinuteEntry.objects.visible_to(public),
            item__meeting__in=meetings,
        )
        .select_related("item__meeting__body", "item__parent", "item__minute__minutes")
        .order_by("-item__minute__minutes__approved_on", "-pk")[:ENTRIES]
    )
    found += [
        Entry(
            title=f"{decision.get_outcome_display()}: {decision.item.title} "
            f"({decision.item.meeting})",
            description=decision.text,
            link=reverse("meetings:minutes", kwargs={"pk": decision.item.meeting_id}),
            guid=f"decision-{decision.pk}",
            published_at=_approved_at(decision.item.minute.minutes),
            category="Decision",
        )
        for decision in decisions
    ]
    found.sort(key=lambda entry: (entry.published_at, entry.guid), reverse=True)
    return found[:ENTRIES]


class PublicRecordFeed(Feed):
    """Site-wide: every body's published agendas, approved minutes and decisions."""

    title = "Partnership governance: agendas, minutes and decisions"
    description = "Published agendas, approved minutes and decisions of every body."

    def link(self):
        return reverse("meetings:meeting-list")

    def items(self, obj=None):
        return entries(obj)

    def item_title(self, item: Entry):
        return item.title

    def item_description(self, item: Entry):
        return item.description

    def item_link(self, item: Entry):
        return item.link

    def item_guid(self, item: Entry):
        return f"urn:partnership-governance:{item.guid}"

    item_guid_is_permalink = False

    def item_pubdate(self, item: Entry):
        return item.published_at

    def item_updateddate(self, item: Entry):
        return item.published_at

    def item_categories(self, item: Entry):
        return [item.category]


class PublicRecordAtomFeed(PublicRecordFeed):
    feed_type = Atom1Feed
    subtitle = PublicRecordFeed.description


class BodyFeed(PublicRecordFeed):
    """One body's published agendas, approved minutes and decisions."""

    def get_object(self, request, slug):
        return get_object_or_404(Body, slug=slug)

    def title(self, obj):
        return f"{obj.name}: agendas, minutes and decisions"

    def description(self, obj):
        return f"Published agendas, approved minutes and decisions of {obj.name}."

    def link(self, obj):
        return obj.get_absolute_url()


class BodyAtomFeed(BodyFeed):
    feed_type = Atom1Feed

    def subtitle(self, obj):
        return self.description(obj)


def public_view(feed: Feed):
    """The feed as a public view that shared caches may keep for five minutes."""

    @login_not_required
    @cache_control(public=True, max_age=300)
    def view(request, **kwargs):
        return feed(request, **kwargs)

    return view
