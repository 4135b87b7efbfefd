"""Receivers for the meetings app's signals (connected in SubscriptionsConfig.ready).

The signals arrive after the change is committed; each receiver only queues the e-mails, so a
slow mail server never holds up the officer who published the agenda or approved the minutes.
"""

from . import tasks


def agenda_published(sender, *, meeting_id: int, supplementary: bool = False, **kwargs):
    tasks.send_agenda_published.enqueue(meeting_id=meeting_id, supplementary=supplementary)


def minutes_approved(sender, *, minutes_id: int, **kwargs):
    tasks.send_minutes_approved.enqueue(minutes_id=minutes_id)
