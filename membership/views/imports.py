from django.http import Http404


def export_roster(request, slug, fmt):
    raise Http404("being built")


def import_roster(request):
    raise Http404("being built")
