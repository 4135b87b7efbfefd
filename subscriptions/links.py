"""The secret links in e-mails: confirming a subscription, and (in models) unsubscribing.

A confirmation link carries the subscription's random token signed with the time it was sent,
so it stops working after CONFIRM_WITHIN without our storing anything more; the unsubscribe link
carries the bare token, which must keep working for as long as the e-mails keep coming.
"""

import datetime

from django.core import signing

from .models import Subscription

# A confirmation link works for a week; an unconfirmed subscription older than that is deleted.
CONFIRM_WITHIN = datetime.timedelta(days=7)
CONFIRM_SALT = "subscriptions.confirm"


class LinkError(Exception):
    """A confirmation link that cannot be used; the message says why, for people."""


def confirmation_code(subscription: Subscription) -> str:
    """The secret for the confirmation link: the subscription's token, signed with the time."""
    return signing.TimestampSigner(salt=CONFIRM_SALT).sign(subscription.token)


def subscription_to_confirm(code: str) -> Subscription:
    """The pending (or already confirmed) subscription a confirmation link names."""
    signer = signing.TimestampSigner(salt=CONFIRM_SALT)
    try:
        token = signer.unsign(code, max_age=CONFIRM_WITHIN)
    except signing.SignatureExpired as error:
        raise LinkError(
            "This link has expired. Links to confirm work for 7 days: "
            "ask for e-mails about the body again to get a new one."
        ) from error
    except signing.BadSignature as error:
        raise LinkError(
            "This link is not valid. Check you copied the whole link from the e-mail."
        ) from error
    subscription = (
        Subscription.objects.filter(token=token, user__isnull=True).select_related("body").first()
    )
    if subscription is None:
        raise LinkError(
            "This link is no longer valid: the subscription was cancelled or has expired. "
            "Ask for e-mails about the body again to get a new link."
        )
    return subscription
