"""Placeholder: being built."""

from django.http import Http404


def _not_yet(*args, **kwargs):
    raise Http404("being built")


agenda_builder = _not_yet
create_item = _not_yet
publish = _not_yet
item_detail = _not_yet
edit_item = _not_yet
move_item = _not_yet
