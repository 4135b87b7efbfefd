from django.http import Http404
from django.views.generic import View


class _Placeholder(View):
    def get(self, request, *args, **kwargs):
        raise Http404


RosterView = VacancyListView = _Placeholder


def create_seat(request, slug):
    raise Http404


edit_seat = appoint = add_substitute = end_membership = create_seat
