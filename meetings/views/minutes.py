"""Placeholder: being built."""

from django.http import Http404


def _not_yet(*args, **kwargs):
    raise Http404("being built")


minutes = _not_yet
edit_entry = _not_yet
approve = _not_yet
add_decision = _not_yet
