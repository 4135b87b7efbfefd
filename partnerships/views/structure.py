from django.http import Http404


def chart(request, slug):
    raise Http404("Structure chart: being built")


def compare_dates(request, slug):
    raise Http404("Structure diff: being built")


def download(request, slug, fmt):
    raise Http404("Structure download: being built")
