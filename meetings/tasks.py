"""Background work for meetings, run by `manage.py db_worker`."""

from django.tasks import task


@task
def build_pack(meeting_id: int, part: str, user_id: int | None = None) -> str | None:
    """Build one part of a meeting's agenda pack as the user (None: the public) may have it."""
    from .pack import build

    return build(meeting_id=meeting_id, part=part, user_id=user_id)
