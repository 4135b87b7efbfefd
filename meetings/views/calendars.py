"""Placeholder: being built."""

from django.http import Http404


def _not_yet(*args, **kwargs):
    raise Http404("being built")


generate_schedule = _not_yet
my_meetings = _not_yet
public_calendar = _not_yet
body_calendar = _not_yet
person_calendar = _not_yet
