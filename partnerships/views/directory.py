from django.http import Http404
from django.views.generic import View


class _Placeholder(View):
    def get(self, request, *args, **kwargs):
        raise Http404


PartnershipListView = PartnershipCreateView = PartnershipDetailView = PartnershipUpdateView = _Placeholder
BodyListView = BodyCreateView = BodyDetailView = BodyUpdateView = _Placeholder


def record_status(request, slug):
    raise Http404


add_line = edit_line = record_status
