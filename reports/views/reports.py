"""Placeholder: being built."""

from django.http import Http404


def _not_yet(*args, **kwargs):
    raise Http404("being built")


report_list = _not_yet
create_report = _not_yet
body_reports = _not_yet
report_detail = _not_yet
edit_report = _not_yet
submit = _not_yet
receive = _not_yet
roll_up = _not_yet
