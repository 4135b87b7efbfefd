"""The API against its own OpenAPI document, by property-based testing (schemathesis).

Schemathesis reads /api/v1/schema/ from the running app, generates requests for each operation
from it, valid and invalid query parameters alike, and checks every answer: no server error, a
status code the document lists, the content type and headers it names, and a body its schema
accepts. The app is driven in process through its WSGI handler, inside the test's transaction,
over the demo data, as the public and as a signed-in board member (who sees exempt items, so
other shapes of the same objects).

Schemathesis' own pytest loader (`from_fixture`) does not work with pytest 9, so each test
loads the document itself and runs Hypothesis over the operation's strategies.
"""

import pytest
import schemathesis
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signals
from django.core.management import call_command
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from django.test import Client
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from schemathesis import GenerationMode, checks
from schemathesis.specs.openapi import checks as openapi_checks

from opendata.openapi import LISTS

pytestmark = pytest.mark.django_db

CHECKS = [
    checks.not_a_server_error,
    openapi_checks.status_code_conformance,
    openapi_checks.content_type_conformance,
    openapi_checks.response_headers_conformance,
    openapi_checks.response_schema_conformance,
]
EXAMPLES = 25  # per operation, viewer and mode: the whole file runs in about a minute


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo data, loaded once for the module and rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", allow_production=True, stdout=open("/dev/null", "w"))  # noqa: SIM115
        yield
        transaction.set_rollback(True)


@pytest.fixture
def app(demo, settings):
    """The WSGI app, sharing the test's database connection and so its transaction.

    Django closes "old" connections at the start and end of each request; inside a test's
    transaction that would close the connection the test runs in, so (as Django's own test
    client does) that hook is off while the app is driven here.
    """
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "localhost"]
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield get_wsgi_application()
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def member_cookies() -> dict:
    """A session cookie for the demo's board member, made as a sign-in makes one."""
    client = Client()
    client.force_login(get_user_model().objects.get(username="member"))
    return {settings.SESSION_COOKIE_NAME: client.cookies[settings.SESSION_COOKIE_NAME].value}


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
@pytest.mark.parametrize("viewer", ["public", "member"])
@pytest.mark.parametrize("path", [f"/{name}/" for name in LISTS])
def test_the_api_keeps_to_its_openapi_document(app, path, viewer, mode):
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", app)
    operation = schema[path]["GET"]
    cookies = member_cookies() if viewer == "member" else {}
    cache = "private, no-store" if viewer == "member" else "public, max-age=300"
    statuses = []

    @given(case=operation.as_strategy(generation_mode=mode))
    @hypothesis_settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    def run(case):
        response = case.call_and_validate(checks=CHECKS, cookies=cookies)
        assert response.headers["cache-control"] == [cache]
        statuses.append(response.status_code)

    run()
    # The run reached the data, and invalid parameters were refused rather than ignored.
    assert 200 in statuses if mode == GenerationMode.POSITIVE else 400 in statuses
