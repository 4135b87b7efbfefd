"""E-mails to the people following a body, each written through the visibility layer.

Every e-mail lists only the items of the agenda that are open to the public: exempt titles stay
behind the sign-in even for followers allowed to read them, as an e-mail can be forwarded and
members already get the full list in the members' e-mail (meetings/notifications.py), which is
why a follower who receives that one is not sent this one as well.
"""

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.mail import EmailMessage, mailers
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse

from meetings.deadlines import LONDON
from meetings.models import AgendaItem, Meeting, Minutes
from meetings.notifications import current_members, item_position

from .links import CONFIRM_WITHIN, confirmation_code
from .models import Subscription


def _site_url() -> str:
    return settings.SITE_URL.rstrip("/")


def _viewer(subscription: Subscription):
    return subscription.user or AnonymousUser()


def _recipients(body, *, meeting: Meeting, skip: set[str]):
    """(subscription, address) for each confirmed follower who may see the meeting, once each."""
    seen = set(skip)
    # Signed-in followers first, so a person following both ways gets one e-mail.
    subscriptions = (
        Subscription.objects.confirmed()
        .filter(body=body)
        .filter(Q(user__isnull=True) | Q(user__is_active=True))
        .select_related("user__person")
        .order_by("user_id", "pk")
    )
    for subscription in subscriptions:
        address = subscription.address
        if not address or address.lower() in seen:
            continue
        if not Meeting.objects.visible_to(_viewer(subscription)).filter(pk=meeting.pk).exists():
            continue
        seen.add(address.lower())
        yield subscription, address


def _message(*, subject: str, template: str, context: dict, subscription, address):
    unsubscribe = _site_url() + subscription.get_unsubscribe_url()
    body = render_to_string(
        template, {**context, "subscription": subscription, "unsubscribe_url": unsubscribe}
    )
    return EmailMessage(
        subject=subject,
        body=body,
        to=[address],
        # RFC 8058: mail programs offer their own unsubscribe button, which POSTs to the link.
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )


def _send(messages) -> int:
    if messages:
        mailers.default.send_messages(messages)
    return len(messages)


def send_confirmation(*, subscription_id: int) -> int:
    """The double opt-in e-mail: a link the owner of the address clicks to start the e-mails."""
    subscription = (
        Subscription.objects.filter(pk=subscription_id, confirmed_at__isnull=True)
        .select_related("body")
        .first()
    )
    if subscription is None:
        return 0
    code = confirmation_code(subscription)
    confirm_url = _site_url() + reverse("subscriptions:confirm", kwargs={"token": code})
    body = render_to_string(
        "subscriptions/email/confirm.txt",
        {
            "body": subscription.body,
            "confirm_url": confirm_url,
            "days": CONFIRM_WITHIN.days,
            "body_url": _site_url() + subscription.body.get_absolute_url(),
        },
    )
    subject = f"Confirm you want e-mails about {subscription.body.name}"
    return _send([EmailMessage(subject=subject, body=body, to=[subscription.email])])


def public_items(meeting: Meeting, viewer):
    """The items of the agenda the viewer may see that are not exempt, in agenda order."""
    items = (
        AgendaItem.objects.visible_to(viewer)
        .filter(meeting=meeting, is_exempt=False)
        .exclude(parent__is_exempt=True)
        .select_related("parent")
    )
    return sorted(items, key=item_position)


def send_agenda_published(*, meeting_id: int, supplementary: bool = False) -> int:
    """Tell each follower of the body that an agenda is out: when, where and what is on it."""
    meeting = Meeting.objects.select_related("body").get(pk=meeting_id)
    if not meeting.is_published:
        return 0
    members = {
        (holding.person.email or holding.person.user.email).lower()
        for holding in current_members(meeting.body)
    }
    name = meeting.title or meeting.body.name
    subject = (
        f"Supplementary agenda: {meeting}" if supplementary else f"Agenda published: {meeting}"
    )
    context = {
        "meeting": meeting,
        "name": name,
        "supplementary": supplementary,
        "starts_at": meeting.starts_at.astimezone(LONDON),
        "url": _site_url() + meeting.get_absolute_url(),
    }
    messages = []
    for subscription, address in _recipients(meeting.body, meeting=meeting, skip=members):
        messages.append(
            _message(
                subject=subject,
                template="subscriptions/email/agenda_published.txt",
                context={**context, "items": public_items(meeting, _viewer(subscription))},
                subscription=subscription,
                address=address,
            )
        )
    return _send(messages)


def send_minutes_approved(*, minutes_id: int) -> int:
    """Tell each follower that a meeting's minutes were approved, and where to read them."""
    minutes = Minutes.objects.select_related("meeting__body", "approved_at").get(pk=minutes_id)
    if minutes.status != Minutes.Status.APPROVED:
        return 0
    meeting = minutes.meeting
    context = {
        "meeting": meeting,
        "name": meeting.title or meeting.body.name,
        "starts_at": meeting.starts_at.astimezone(LONDON),
        "approved_on": minutes.approved_on,
        "url": _site_url() + reverse("meetings:minutes", kwargs={"pk": meeting.pk}),
    }
    messages = [
        _message(
            subject=f"Minutes approved: {meeting}",
            template="subscriptions/email/minutes_approved.txt",
            context=context,
            subscription=subscription,
            address=address,
        )
        for subscription, address in _recipients(meeting.body, meeting=meeting, skip=set())
    ]
    return _send(messages)
