from django.http import Http404


def body_compliance(request, slug):
    raise Http404("being built")


def partnership_compliance(request, slug):
    raise Http404("being built")
