"""Every page needs a signed-in user unless it is listed here as public."""

import uuid

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse

pytestmark = pytest.mark.django_db

# Pages anyone may open. A new public page is added here on purpose, never by accident.
PUBLIC_URL_NAMES = {
    "home",
    "accessibility",
    "healthz",
    "login",
    # The structure of partnerships is public record: council papers publish it.
    "partnerships:partnership-list",
    "partnerships:partnership-detail",
    "partnerships:body-list",
    "partnerships:body-detail",
    "partnerships:tor-list",
    "partnerships:tor-detail",
    "partnerships:tor-diff",
    "partnerships:structure-chart",
    "partnerships:structure-diff",
    "partnerships:structure-download",
    # Rosters are public as councils publish them, with children's names withheld.
    "membership:roster",
    "membership:roster-export",
    "membership:vacancy-list",
    "membership:person-detail",
    "membership:organisation-detail",
    # Public meeting material; every read still goes through the visibility layer.
    "meetings:paper-download",
    "meetings:pack",
    "meetings:pack-download",
    "meetings:meeting-list",
    "meetings:meeting-detail",
    "meetings:item-detail",
    "meetings:minutes",
    "meetings:attendance",
    "meetings:declarations",
    "meetings:calendar-public",
    "meetings:calendar-body",
    "meetings:calendar-person",
    # Open data: public record only, through the visibility layer.
    "opendata:api-root",
    "opendata:api-organizations",
    "opendata:api-people",
    "opendata:api-posts",
    "opendata:api-memberships",
    "opendata:api-events",
    "opendata:api-schema",
    "opendata:feed-rss",
    "opendata:feed-atom",
    "opendata:body-feed-rss",
    "opendata:body-feed-atom",
    "opendata:developers",
    "opendata:bundle-download",
    # Search shows each visitor only what the visibility layer lets them see.
    "search:search",
    # The public follow bodies that meet in public by e-mail; the links carry their own secret.
    "subscriptions:follow",
    "subscriptions:check-email",
    "subscriptions:confirm",
    "subscriptions:unsubscribe",
}

SAMPLE_VALUES = {
    "int": 1,
    "slug": "a-slug",
    "str": "a-string",
    "path": "a/path",
    "uuid": uuid.uuid4(),
}


def _named_routes(patterns=None, namespace=""):
    """(full URL name, sample kwargs) for every named route outside the admin site."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _named_routes(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            converters = getattr(entry.pattern, "converters", {})
            kwargs = {
                name: SAMPLE_VALUES.get(type(conv).__name__.removesuffix("Converter").lower(), 1)
                for name, conv in converters.items()
            }
            yield f"{namespace}{entry.name}", kwargs


ROUTES = sorted(_named_routes())
PRIVATE_ROUTES = [(name, kwargs) for name, kwargs in ROUTES if name not in PUBLIC_URL_NAMES]
PUBLIC_ROUTES = [(name, kwargs) for name, kwargs in ROUTES if name in PUBLIC_URL_NAMES]


def test_the_sweep_finds_private_pages():
    assert ("password_change", {}) in PRIVATE_ROUTES


@pytest.mark.parametrize(("url_name", "kwargs"), PRIVATE_ROUTES, ids=[n for n, _ in PRIVATE_ROUTES])
def test_anonymous_users_are_sent_to_sign_in(client, url_name, kwargs):
    url = reverse(url_name, kwargs=kwargs)

    response = client.get(url)

    assert response.status_code == 302
    assert response.headers["Location"] == f"{reverse('login')}?next={url}"


@pytest.mark.parametrize(
    ("url_name", "sign_in"),
    [("admin:index", "admin:login"), ("admin:auth_user_changelist", "login")],
)
def test_anonymous_users_are_sent_from_the_admin_site_to_sign_in(client, url_name, sign_in):
    response = client.get(reverse(url_name))

    assert response.status_code == 302
    assert response.headers["Location"].startswith(f"{reverse(sign_in)}?next=")


def test_every_public_name_is_a_route():
    assert {name for name, _ in PUBLIC_ROUTES} == PUBLIC_URL_NAMES


@pytest.mark.parametrize(("url_name", "kwargs"), PUBLIC_ROUTES, ids=[n for n, _ in PUBLIC_ROUTES])
def test_public_pages_are_opted_out_of_sign_in(url_name, kwargs):
    # What each public page shows is then decided by the visibility layer (tested per app); a
    # page for something the visitor may not see still sends anonymous visitors to sign in.
    view = resolve(reverse(url_name, kwargs=kwargs)).func

    assert getattr(view, "login_required", True) is False
