"""Background work for subscriptions, run by `manage.py db_worker`.

E-mail to followers goes through the task queue: a body may have many followers, and neither
publishing an agenda nor asking to follow a body should wait on the mail server (nor should the
public form answer faster or slower depending on whether an e-mail was sent).
"""

from django.tasks import task

from . import notifications


@task
def send_confirmation(subscription_id: int) -> int:
    return notifications.send_confirmation(subscription_id=subscription_id)


@task
def send_agenda_published(meeting_id: int, supplementary: bool = False) -> int:
    return notifications.send_agenda_published(meeting_id=meeting_id, supplementary=supplementary)


@task
def send_minutes_approved(minutes_id: int) -> int:
    return notifications.send_minutes_approved(minutes_id=minutes_id)
