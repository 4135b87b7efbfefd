"""Placeholder: being built."""

from django.http import Http404


def _not_yet(*args, **kwargs):
    raise Http404("being built")


funding_list = _not_yet
create_stream = _not_yet
stream_detail = _not_yet
allocate = _not_yet
create_post = _not_yet
create_pool = _not_yet
pool_detail = _not_yet
