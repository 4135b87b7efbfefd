from django.conf import settings
from django.urls import reverse

# (URL name, label, shown only when signed in) for the service navigation, in order.
NAVIGATION = [
    ("home", "Home", False),
    ("partnerships:partnership-list", "Partnerships", False),
    ("meetings:meeting-list", "Meetings", False),
    ("membership:vacancy-list", "Vacancies", False),
    ("meetings:my-meetings", "My meetings", True),
    ("reports:report-list", "Reports", True),
    ("membership:person-list", "People", True),
]


def service(request):
    """The service name and navigation, shown on every page."""
    signed_in = getattr(getattr(request, "user", None), "is_authenticated", False)
    items = []
    for url_name, label, private in NAVIGATION:
        if private and not signed_in:
            continue
        url = reverse(url_name)
        current = request.path == url if url == "/" else request.path.startswith(url)
        items.append({"url": url, "label": label, "current": current})
    return {"service_name": settings.SERVICE_NAME, "navigation": items}
