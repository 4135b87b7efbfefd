from django.http import Http404
from django.views.generic import View


class _Placeholder(View):
    def get(self, request, *args, **kwargs):
        raise Http404


PersonListView = PersonCreateView = PersonDetailView = PersonUpdateView = _Placeholder
OrganisationDetailView = _Placeholder


def add_interest(request, pk):
    raise Http404


overlap = add_interest
