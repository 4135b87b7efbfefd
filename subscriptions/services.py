"""Following and unfollowing bodies, and the double opt-in for the public.

A member of the public gives an address; nothing is sent to it about meetings until the owner
clicks the link in the confirmation e-mail. The public form answers the same whatever happens,
so it cannot be used to find out who follows what, and it sends at most a few confirmation
e-mails an hour to one address, so it cannot be used to flood someone's inbox.
"""

import datetime

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from meetings.visibility import member_body_ids, sees_everything

from .links import CONFIRM_WITHIN
from .models import Subscription
from .tasks import send_confirmation

# One address gets at most this many confirmation e-mails an hour, whatever bodies they are for,
RATE_WINDOW = datetime.timedelta(hours=1)
MAX_CONFIRMATIONS_PER_WINDOW = 3
# and the same pending subscription is sent its link again only after this long.
RESEND_AFTER = datetime.timedelta(minutes=10)


def may_follow(user, body) -> bool:
    """Anyone may follow a body that meets in public; a private one, those who see its meetings."""
    if body.meets_in_public:
        return True
    return sees_everything(user) or body.pk in member_body_ids(user)


def follow(*, body, user) -> Subscription:
    """A signed-in user follows a body: confirmed at once, as they are who they say they are."""
    if not may_follow(user, body):
        raise PermissionDenied(f"{user} may not follow {body}")
    subscription, _ = Subscription.objects.get_or_create(
        body=body, user=user, defaults={"confirmed_at": timezone.now()}
    )
    return subscription


def unfollow(*, body, user) -> bool:
    """Stop a user's e-mails about a body; False if they were not following it."""
    deleted, _ = Subscription.objects.filter(body=body, user=user).delete()
    return bool(deleted)


def request_subscription(*, body, email: str, now=None) -> Subscription | None:
    """Ask the owner of an address to confirm they want e-mails about the body.

    Returns the subscription a confirmation e-mail is going to, or None when nothing is sent:
    the address already follows the body, its link went out a moment ago, or the address has
    had its share of confirmation e-mails this hour. The caller shows the same page either way.
    """
    now = now or timezone.now()
    if not body.meets_in_public:
        raise PermissionDenied(f"The public may not follow {body}")
    with transaction.atomic():
        subscription = (
            Subscription.objects.select_for_update()
            .filter(body=body, user__isnull=True, email__iexact=email)
            .first()
        )
        if subscription and subscription.is_confirmed:
            return None
        sent_at = subscription and subscription.confirmation_sent_at
        if sent_at and sent_at > now - RESEND_AFTER:
            return None
        recent = Subscription.objects.filter(
            user__isnull=True, email__iexact=email, confirmation_sent_at__gt=now - RATE_WINDOW
        ).count()
        if recent >= MAX_CONFIRMATIONS_PER_WINDOW:
            return None
        if subscription is None:
            try:
                with transaction.atomic():
                    subscription = Subscription.objects.create(
                        body=body, email=email, confirmation_sent_at=now
                    )
            except IntegrityError:
                # The same address asked twice at once; the other request sends the link.
                return None
        else:
            subscription.confirmation_sent_at = now
            subscription.save(update_fields=["confirmation_sent_at"])
        subscription_id = subscription.pk
        transaction.on_commit(lambda: send_confirmation.enqueue(subscription_id=subscription_id))
    return subscription


def confirm(*, subscription: Subscription, now=None) -> bool:
    """Start sending e-mails to a confirmed address; False if it had been confirmed already."""
    updated = Subscription.objects.filter(pk=subscription.pk, confirmed_at__isnull=True).update(
        confirmed_at=now or timezone.now()
    )
    subscription.refresh_from_db(fields=["confirmed_at"])
    return bool(updated)


def unsubscribe(*, subscription: Subscription) -> None:
    """Stop the e-mails. The row goes too: an address we no longer write to is not kept."""
    subscription.delete()


def delete_expired(*, now=None) -> int:
    """Delete subscriptions never confirmed within CONFIRM_WITHIN of their last link."""
    cutoff = (now or timezone.now()) - CONFIRM_WITHIN
    deleted, _ = Subscription.objects.filter(
        confirmed_at__isnull=True, confirmation_sent_at__lt=cutoff
    ).delete()
    return deleted
