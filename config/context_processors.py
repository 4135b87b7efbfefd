from django.conf import settings
from django.urls import reverse

# (URL name, label) of the sections in the service navigation, in order.
NAVIGATION = [
    ("home", "Home"),
    ("partnerships:partnership-list", "Partnerships"),
    ("membership:vacancy-list", "Vacancies"),
    ("membership:person-list", "People"),
]


def service(request):
    """The service name and navigation, shown on every page."""
    items = []
    for url_name, label in NAVIGATION:
        url = reverse(url_name)
        current = request.path == url if url == "/" else request.path.startswith(url)
        items.append({"url": url, "label": label, "current": current})
    return {"service_name": settings.SERVICE_NAME, "navigation": items}
