from django.apps import AppConfig


class SubscriptionsConfig(AppConfig):
    """People following a body by e-mail: agendas published, minutes approved."""

    name = "subscriptions"

    def ready(self):
        # The meetings app announces its changes by signal because it must not import this app.
        from meetings import signals
        from meetings.models import Meeting, Minutes

        from . import receivers

        signals.agenda_published.connect(
            receivers.agenda_published, sender=Meeting, dispatch_uid="subscriptions-agenda"
        )
        signals.minutes_approved.connect(
            receivers.minutes_approved, sender=Minutes, dispatch_uid="subscriptions-minutes"
        )
