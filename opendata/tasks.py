"""Background work for open data, run by `manage.py db_worker`: rebuilding the CSV bundle.

The nightly rebuild schedules its own next run for 02:00 UK time, so one call to
`schedule_nightly_bundle()` (made whenever the bundle is built on demand) keeps it going.
"""

import datetime
import zoneinfo

from django.tasks import TaskResultStatus, default_task_backend, task
from django.utils import timezone

LONDON = zoneinfo.ZoneInfo("Europe/London")
NIGHTLY_AT = datetime.time(2, 0)


@task
def rebuild_bundle() -> str:
    """Rebuild the public record's CSV bundle now; returns its storage name."""
    from .bundle import publish

    return publish()


@task
def nightly_bundle() -> str:
    """Rebuild the bundle, then book tomorrow night's run."""
    from .bundle import publish

    name = publish()
    _enqueue_nightly()
    return name


def next_night(now: datetime.datetime | None = None) -> datetime.datetime:
    """The next 02:00 in UK time after `now`."""
    local = timezone.localtime(now or timezone.now(), LONDON)
    day = local.date() + datetime.timedelta(days=1 if local.time() >= NIGHTLY_AT else 0)
    return datetime.datetime.combine(day, NIGHTLY_AT, tzinfo=LONDON)


def _enqueue_nightly() -> None:
    if default_task_backend.supports_defer:
        nightly_bundle.using(run_after=next_night()).enqueue()


def schedule_nightly_bundle() -> bool:
    """Book the nightly rebuild unless one is already waiting; True if it booked one."""
    if not default_task_backend.supports_defer:
        return False
    from django_tasks_db.models import DBTaskResult

    waiting = DBTaskResult.objects.filter(
        task_path=nightly_bundle.module_path, status=TaskResultStatus.READY
    )
    if waiting.exists():
        return False
    _enqueue_nightly()
    return True
