"""Placeholder: being built."""

from django.http import Http404


def _not_yet(*args, **kwargs):
    raise Http404("being built")


meeting_list = _not_yet
create_meeting = _not_yet
meeting_detail = _not_yet
edit_meeting = _not_yet
