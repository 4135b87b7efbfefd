"""Placeholder: being built."""

from django.http import Http404


def _not_yet(*args, **kwargs):
    raise Http404("being built")


create_action = _not_yet
action_list = _not_yet
my_actions = _not_yet
update_action = _not_yet
