"""Placeholder: being built."""

from django.http import Http404


def _not_yet(*args, **kwargs):
    raise Http404("being built")


dashboard = _not_yet
health = _not_yet
