from django.http import Http404


def import_structure(request):
    raise Http404("Structure import: being built")
