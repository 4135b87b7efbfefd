from django.http import Http404
from django.urls import path

app_name = "opendata"


def _not_yet(request, **kwargs):
    raise Http404("being built")


urlpatterns = [path("api/v1/", _not_yet, name="api-root")]
