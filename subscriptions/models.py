"""Subscriptions: who gets an e-mail when a body publishes an agenda or approves minutes."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.urls import reverse

from partnerships.models import Body


class SubscriptionQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(confirmed_at__isnull=False)


class Subscription(models.Model):
    """Someone following a body: a signed-in user, or a member of the public by e-mail address."""

    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="subscriptions")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="subscriptions",
    )
    email = models.EmailField(blank=True, help_text="For the public; empty for a signed-in user")
    # The secret in the unsubscribe link, and (signed with a time) in the confirmation link.
    token = models.CharField(max_length=64, unique=True, default=secrets.token_urlsafe)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmation_sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        ordering = ["body__name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=False, email="") | (Q(user__isnull=True) & ~Q(email="")),
                name="subscription_is_a_user_or_an_address",
            ),
            models.UniqueConstraint(
                F("body"),
                F("user"),
                condition=Q(user__isnull=False),
                name="one_subscription_per_user_and_body",
            ),
            models.UniqueConstraint(
                F("body"),
                Lower("email"),
                condition=Q(user__isnull=True),
                name="one_subscription_per_address_and_body",
            ),
        ]

    def __str__(self):
        return f"{self.user or self.email} follows {self.body}"

    def get_unsubscribe_url(self):
        return reverse("subscriptions:unsubscribe", kwargs={"token": self.token})

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None

    @property
    def address(self) -> str:
        """Where the e-mails go: the public's address, or the user's (their person's first)."""
        if self.user_id is None:
            return self.email
        person = getattr(self.user, "person", None)
        return (person.email if person else "") or self.user.email
