"""The one visibility layer: who may see which meetings, items, papers and minutes.

Every channel (pages, the agenda pack, calendars, feeds, search, exports, e-mail) reads through
these QuerySet methods, so the rules live here once:

- the public (and signed-in people who do not sit on the body): public meetings; the non-exempt
  items and papers of their published agendas; approved minutes of non-exempt items;
- members of a body (holding a seat today, directly or ex officio): all its meetings, every item
  and paper of its published agendas, exempt ones included, and its minutes in every state;
- partnership managers and democratic services: everything.
"""

import datetime

from django.db import models
from django.db.models import Q

from partnerships import fragments
from partnerships.roles import Role, has_role


def sees_everything(user) -> bool:
    return has_role(user, Role.PARTNERSHIP_MANAGER, Role.DEMOCRATIC_SERVICES)


def member_body_ids(user) -> frozenset[int]:
    """Bodies the user sits on today, through a seat or an ex officio seat; cached on the user."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    if not hasattr(user, "_member_body_ids"):
        today = datetime.date.today()
        # Asked on nearly every page a member opens, and building the query costs more than
        # running it: kept per person and day until the membership data changes.
        user._member_body_ids = fragments.cached(
            "member-bodies", (user.pk, today), lambda: _member_body_ids(user, today)
        )
    return user._member_body_ids


def _member_body_ids(user, today: datetime.date) -> frozenset[int]:
    from membership.models import Membership, Seat

    holdings = Membership.objects.current(today).filter(person__user=user)
    held = holdings.values("seat_id")
    ex_officio = Seat.objects.current(today).filter(ex_officio_of__in=held).values("pk")
    seats = Seat.objects.filter(Q(pk__in=held) | Q(pk__in=ex_officio)).order_by()
    return frozenset(seats.values_list("body_id", flat=True))


def is_member(user, body) -> bool:
    return body.pk in member_body_ids(user)


def reader_class(user, body_id: int) -> str:
    """What the rules here let the user see of one body's meetings, as one word.

    "everything" (partnership managers and democratic services), "member" (sits on the body
    today) or "public" (everyone else, signed in or not). The QuerySets below decide from
    nothing else, so two readers in the same class see exactly the same of that body's
    meetings, items, papers and minutes, and a page rendered for one may be shown to the other
    (partnerships/fragments.py). A new rule that tells readers apart must change this too.
    """
    if sees_everything(user):
        return "everything"
    return "member" if body_id in member_body_ids(user) else "public"


class MeetingQuerySet(models.QuerySet):
    def visible_to(self, user):
        if sees_everything(user):
            return self
        return self.filter(Q(is_public=True) | Q(body_id__in=member_body_ids(user)))

    def upcoming(self, now=None):
        from django.utils import timezone

        return self.filter(starts_at__gte=now or timezone.now()).order_by("starts_at")


class AgendaItemQuerySet(models.QuerySet):
    def visible_to(self, user):
        if sees_everything(user):
            return self
        published = Q(meeting__agenda_published_at__isnull=False)
        as_member = published & Q(meeting__body_id__in=member_body_ids(user))
        as_public = (
            published
            & Q(meeting__is_public=True, is_exempt=False)
            & (Q(parent__isnull=True) | Q(parent__is_exempt=False))
        )
        return self.filter(as_member | as_public)


class PaperQuerySet(models.QuerySet):
    def visible_to(self, user):
        if sees_everything(user):
            return self
        published = Q(item__meeting__agenda_published_at__isnull=False)
        as_member = published & Q(item__meeting__body_id__in=member_body_ids(user))
        as_public = (
            published
            & Q(item__meeting__is_public=True, item__is_exempt=False, is_exempt=False)
            & (Q(item__parent__isnull=True) | Q(item__parent__is_exempt=False))
        )
        return self.filter(as_member | as_public)


class MinuteEntryQuerySet(models.QuerySet):
    def visible_to(self, user):
        if sees_everything(user):
            return self
        as_member = Q(minutes__meeting__body_id__in=member_body_ids(user))
        as_public = Q(
            minutes__status="approved", minutes__meeting__is_public=True, item__is_exempt=False
        ) & (Q(item__parent__isnull=True) | Q(item__parent__is_exempt=False))
        return self.filter(as_member | as_public)
