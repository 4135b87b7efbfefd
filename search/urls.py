from django.http import Http404
from django.urls import path

app_name = "search"


def _not_yet(request):
    raise Http404("being built")


urlpatterns = [path("", _not_yet, name="search")]
