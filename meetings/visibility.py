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

from partnerships.roles import Role, has_role


def sees_everything(user) -> bool:
    return has_role(user, Role.PARTNERSHIP_MANAGER, Role.DEMOCRATIC_SERVICES)


def member_body_ids(user) -> frozenset[int]:
    """Bodies the user sits on today, through a seat or an ex officio seat; cached on the user."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    if not hasattr(user, "_member_body_ids"):
        from membership.models import Membership, Seat

        holdings = Membership.objects.current(datetime.date.today()).filter(person__user=user)
        direct = holdings.values_list("seat__body_id", flat=True)
        ex_officio = (
            Seat.objects.current()
            .filter(ex_officio_of__in=holdings.values("seat_id"))
            .values_list("body_id", flat=True)
        )
        user._member_body_ids = frozenset(direct) | frozenset(ex_officio)
    return user._member_body_ids


def is_member(user, body) -> bool:
    return body.pk in member_body_ids(user)


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
