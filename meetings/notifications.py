"""E-mails about meetings, each written through the visibility layer for its recipient."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.db.models import Q
from django.template.loader import render_to_string

from membership.models import Membership, Seat

from .deadlines import LONDON
from .models import AgendaItem, Meeting


def current_members(body):
    """Today's holdings of the body's seats (direct or ex officio) by people who can sign in."""
    ex_officio_sources = Seat.objects.current().filter(body=body).values("ex_officio_of_id")
    return (
        Membership.objects.current()
        .filter(Q(seat__body=body) | Q(seat_id__in=ex_officio_sources))
        .filter(person__user__isnull=False, person__user__is_active=True)
        .select_related("person__user")
        .order_by("person_id")
        .distinct("person_id")
    )


def _address(person) -> str:
    return person.email or person.user.email


def send_agenda_published(*, meeting_id: int, supplementary: bool = False) -> int:
    """Tell each current member the agenda is out, listing only the items they may see."""
    meeting = Meeting.objects.select_related("body").get(pk=meeting_id)
    subject = (
        f"Supplementary agenda: {meeting}" if supplementary else f"Agenda published: {meeting}"
    )
    messages = []
    for holding in current_members(meeting.body):
        person, user = holding.person, holding.person.user
        address = _address(person)
        if not address:
            continue
        items = sorted(
            AgendaItem.objects.visible_to(user).filter(meeting=meeting).select_related("parent"),
            key=item_position,
        )
        body = render_to_string(
            "meetings/email/agenda_published.txt",
            {
                "meeting": meeting,
                "person": person,
                "items": items,
                "supplementary": supplementary,
                "starts_at": meeting.starts_at.astimezone(LONDON),
                "url": _site_url() + meeting.get_absolute_url(),
            },
        )
        messages.append(EmailMessage(subject=subject, body=body, to=[address]))
    for message in messages:
        message.send()
    return len(messages)


def _site_url() -> str:
    # The address people use to reach the service, for links in e-mails (empty: relative links).
    return getattr(settings, "SITE_URL", "").rstrip("/")


def item_position(item: AgendaItem) -> tuple[int, int]:
    """Sort key putting sub-items (4.1, 4.2) under their parent item."""
    if item.parent_id:
        return (item.parent.order, item.order)
    return (item.order, 0)
