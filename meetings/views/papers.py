"""Placeholder: being built."""

from django.http import Http404


def _not_yet(*args, **kwargs):
    raise Http404("being built")


upload_paper = _not_yet
download_paper = _not_yet
pack = _not_yet
download_pack = _not_yet
