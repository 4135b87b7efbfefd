"""Every page of the app, as URLs in the growing world, and how to measure their queries.

A page is a named route that answers a GET with HTML, CSV, XLSX, DOCX, PDF, PNG, SVG, ICS, JSON
or a feed. The admin site and routes that take only POST are left out (EXCLUDED says why for each
name), and tests/performance/test_query_budgets.py fails if a new route is in neither list.
"""

import contextlib
import dataclasses

import django.db.models.query
from django.core.cache import cache
from django.core.exceptions import FieldFetchBlocked
from django.core.files.storage import default_storage
from django.db import connection, models
from django.db.models import QuerySet
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from opendata import bundle
from subscriptions.links import confirmation_code

IDENTITIES = ("anonymous", "member", "officer", "manager")

# Named routes that are not pages, and why.
EXCLUDED = {
    "logout": "POST only",
    "two-factor-verify": "sends the person on unless a second step is pending",
    "opendata:bundle-rebuild": "POST only",
    "partnerships:tor-create": "POST only",
    "meetings:item-move": "POST only",
    "meetings:pack-download": "redirects to the pack page until the pack is built (pack.py)",
}


@dataclasses.dataclass(frozen=True)
class Page:
    key: str  # the URL name, with a suffix where one name has several pages
    url: str
    # Pages that list rows: also requested with lazy loading blocked.
    lists: bool = False

    @property
    def url_name(self) -> str:
        return self.key.split(" ")[0]


def pages(w) -> list[Page]:
    out = []

    def add(name, *, suffix="", query="", lists=False, **kwargs):
        key = f"{name} {suffix}".strip()
        out.append(Page(key, reverse(name, kwargs=kwargs) + query, lists))

    body, partnership = w.body.slug, w.partnership.slug
    for name in ("home", "accessibility", "healthz", "login", "password_change"):
        add(name)
    add("password_change_done")
    add("two-factor-set-up")
    add("search:search", query="?q=budget", lists=True)
    add("partnerships:object-history", model="meetings.meeting", pk=w.held.pk)

    # Open data.
    add("opendata:api-root")
    for name in ("organizations", "people", "posts", "memberships", "events"):
        add(f"opendata:api-{name}", lists=True)
    add("opendata:api-schema")
    add("opendata:feed-rss", lists=True)
    add("opendata:feed-atom", lists=True)
    add("opendata:body-feed-rss", slug=body, lists=True)
    add("opendata:body-feed-atom", slug=body, lists=True)
    add("opendata:developers")
    add("opendata:bundle-download", lists=True)

    # Partnerships.
    add("partnerships:partnership-list", lists=True)
    add("partnerships:partnership-detail", slug=partnership, lists=True)
    add("partnerships:body-list", lists=True)
    add("partnerships:body-detail", slug=body, lists=True)
    add("partnerships:tor-list", slug=body, lists=True)
    add("partnerships:tor-detail", slug=body, version=1)
    add("partnerships:tor-diff", slug=body, query="?old=1&new=2")
    add("partnerships:structure-chart", slug=partnership, lists=True)
    add(
        "partnerships:structure-diff",
        slug=partnership,
        query="?from=2009-01-01&to=2015-01-01",
        lists=True,
    )
    for fmt in ("svg", "png", "pdf"):
        add("partnerships:structure-download", suffix=fmt, slug=partnership, fmt=fmt)
    add("partnerships:partnership-create")
    add("partnerships:partnership-update", slug=partnership)
    add("partnerships:structure-import")
    add("partnerships:body-create")
    add("partnerships:body-update", slug=body)
    add("partnerships:body-status-create", slug=body)
    add("partnerships:reporting-line-create", slug=body)
    add("partnerships:reporting-line-update", pk=w.line.pk)
    add("partnerships:tor-update", slug=body, version=2)
    add("partnerships:tor-agree", slug=body, version=2)

    # Membership.
    add("membership:roster", slug=body, lists=True)
    for fmt in ("csv", "xlsx"):
        add("membership:roster-export", suffix=fmt, slug=body, fmt=fmt, lists=True)
    add("membership:vacancy-list", lists=True)
    add("membership:person-detail", pk=w.member.pk, lists=True)
    add("membership:organisation-detail", pk=w.organisation.pk, lists=True)
    add("membership:person-list", lists=True)
    add("membership:body-compliance", slug=body, lists=True)
    add("membership:partnership-compliance", slug=partnership, lists=True)
    add("membership:overlap", slug=partnership, lists=True)
    add("membership:seat-create", slug=body)
    add("membership:seat-update", pk=w.seat.pk)
    add("membership:appoint", pk=w.seat.pk)
    add("membership:substitute-create", pk=w.seat.pk)
    add("membership:membership-end", pk=w.holding.pk)
    add("membership:roster-import")
    add("membership:person-create")
    add("membership:person-update", pk=w.member.pk)
    add("membership:interest-create", pk=w.member.pk)

    # Meetings.
    add("meetings:meeting-list", lists=True)
    add("meetings:calendar-public", lists=True)
    add("meetings:calendar-body", slug=body, lists=True)
    add("meetings:calendar-person", token=w.token, lists=True)
    add("meetings:my-meetings", lists=True)
    add("meetings:action-list", lists=True)
    add("meetings:my-actions", lists=True)
    for suffix, meeting in (("held", w.held), ("next", w.next)):
        add("meetings:meeting-detail", suffix=suffix, pk=meeting.pk, lists=True)
        add("meetings:pack", suffix=suffix, pk=meeting.pk, lists=True)
        add("meetings:agenda-builder", suffix=suffix, pk=meeting.pk, lists=True)
    add("meetings:attendance", pk=w.held.pk, lists=True)
    add("meetings:declarations", pk=w.held.pk, lists=True)
    add("meetings:minutes", pk=w.held.pk, lists=True)
    item = w.first_item
    add("meetings:item-detail", pk=item.pk, lists=True)
    add("meetings:item-detail", suffix="approval", pk=w.approval_item.pk, lists=True)
    add("meetings:paper-download", pk=item.papers.get().pk)
    add("meetings:meeting-create")
    add("meetings:schedule-generate")
    add("meetings:meeting-update", pk=w.next.pk)
    add("meetings:item-create", pk=w.next.pk)
    add("meetings:agenda-publish", pk=w.next.pk)
    add("meetings:item-update", pk=item.pk)
    add("meetings:paper-upload", pk=item.pk)
    add("meetings:minute-entry-update", pk=item.minute.pk)
    add("meetings:minutes-approve", pk=w.approval_item.pk, lists=True)
    add("meetings:decision-create", pk=item.pk)
    decision = item.decisions.get()
    add("meetings:ratification-update", pk=decision.ratifications.get().pk)
    add("meetings:action-create", pk=w.held.pk)
    add("meetings:action-update", pk=item.actions.filter(owner=w.member).get().pk)

    # Reports and funding.
    add("reports:report-list", lists=True)
    # 2015: the year of A's report to B, so the page lists a report, not only what is due.
    add("reports:body-reports", slug=body, query="?year=2015", lists=True)
    add("reports:analytics", slug=partnership, lists=True)
    add("reports:partnership-health", slug=partnership, lists=True)
    add("reports:funding-list", lists=True)
    add("reports:stream-detail", pk=w.stream.pk, lists=True)
    add("reports:pool-detail", pk=w.pool.pk, lists=True)
    add("reports:report-detail", pk=w.report.pk, lists=True)
    for fmt in ("docx", "pdf"):
        add("reports:report-export", suffix=fmt, fmt=fmt, pk=w.report.pk, lists=True)
    add("reports:report-create")
    add("reports:report-update", pk=w.draft_report.pk, lists=True)
    add("reports:report-submit", pk=w.draft_report.pk)
    add("reports:report-rollup", pk=w.draft_report.pk, lists=True)
    add("reports:report-receive", pk=w.report.pk)
    add("reports:stream-create")
    add("reports:allocation-create", pk=w.stream.pk)
    add("reports:post-create")
    add("reports:pool-create")

    # Following a body by e-mail.
    add("subscriptions:follow", slug=body)
    add("subscriptions:check-email", slug=body)
    add("subscriptions:confirm", token=confirmation_code(w.subscription))
    add("subscriptions:unsubscribe", token=w.subscription.token)
    add("subscriptions:my-subscriptions", lists=True)
    return out


def clients(w) -> dict[str, Client]:
    out = {"anonymous": Client()}
    for name in IDENTITIES[1:]:
        out[name] = Client()
        out[name].force_login(w.users[name])
    return out


def _fresh(page: Page) -> None:
    """Forget what the last request left behind, so each measurement does the whole work."""
    cache.clear()
    if page.url_name == "opendata:bundle-download":
        # Served from storage once built: remove it so the download builds it from the rows.
        default_storage.delete(bundle.STORED_AS)


@dataclasses.dataclass(frozen=True)
class Measurement:
    status: int
    queries: list  # the SQL of each query
    size: int  # of the response, to show the page did list more rows

    @property
    def count(self) -> int:
        return len(self.queries)


def measure(client: Client, page: Page, *, warm: bool = True) -> Measurement:
    """A GET's status, queries and size; first one unmeasured request, if `warm`, to fill the
    caches a process fills once (content types, the site's settings)."""
    if warm:
        _fresh(page)
        client.get(page.url)
    _fresh(page)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(page.url)
    size = len(response.getvalue()) if response.streaming else len(response.content)
    return Measurement(response.status_code, [q["sql"] for q in queries], size)


@contextlib.contextmanager
def lazy_loads_blocked():
    """Every queryset made inside starts in RAISE mode, so a lazy load of a related object or a
    deferred field raises FieldFetchBlocked instead of running a query.

    Django 6.1 has no public switch for the default fetch mode: `QuerySet.fetch_mode()` sets it per
    queryset, and a new QuerySet takes its mode from the module constant DEFAULT_FETCH_MODE. This
    swaps that constant (the assertion makes an upgrade that renames it fail here, loudly) and
    sets RAISE on every clone too, for querysets made before the switch. A mode a view sets
    itself with `fetch_mode()` still wins.
    """
    assert django.db.models.query.DEFAULT_FETCH_MODE is models.FETCH_ONE
    clone = QuerySet._clone

    def raising_clone(self):
        # A queryset made before the switch (a view's class attribute, say) keeps its own mode
        # and hands it to its clones; views clone it before using it, so set the mode there too.
        queryset = clone(self)
        queryset._fetch_mode = models.FETCH_RAISE
        return queryset

    django.db.models.query.DEFAULT_FETCH_MODE = models.FETCH_RAISE
    QuerySet._clone = raising_clone
    try:
        yield
    finally:
        django.db.models.query.DEFAULT_FETCH_MODE = models.FETCH_ONE
        QuerySet._clone = clone


def lazy_load(client: Client, page: Page) -> str | None:
    """The lazy load the page makes, if any, as FieldFetchBlocked words it."""
    _fresh(page)
    with lazy_loads_blocked():
        try:
            client.get(page.url)
        except FieldFetchBlocked as error:
            return str(error)
    return None
