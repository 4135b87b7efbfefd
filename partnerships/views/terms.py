from django.http import Http404
from django.views.generic import View


class _Placeholder(View):
    def get(self, request, *args, **kwargs):
        raise Http404


TermsListView = TermsDetailView = _Placeholder


def new_draft(request, slug):
    raise Http404


compare_versions = edit_draft = agree = new_draft
