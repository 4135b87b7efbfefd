"""Query budgets: every page runs the same number of queries at a small and a large size.

The world (tests/performance/world.py) is built small, every page is requested as each identity
and its queries counted; then the world grows five-fold in every kind of row a page lists and the
pages are counted again. A count that grows with the data is an N+1; a count that differs from the
budget below is a change to look at (lower it when a page gets cheaper). Pages that list rows are
also requested with lazy loading blocked (Django 6.1's RAISE fetch mode), so a related object or
deferred field loaded row by row fails loudly even where the count happens not to grow.
"""

from unittest import mock

import pytest
from django.db import transaction
from django.test import override_settings

from config import sessions
from search import indexing
from tests.performance import pages, world
from tests.security.matrix import named_routes

pytestmark = pytest.mark.django_db

R = None  # refused: not a page for this identity (sign-in, 403 or 404)
U = "unmeasured"  # allowed, but not measured: see the page's comment

# Queries per request, the same at both sizes, as (anonymous, member, officer, manager). A
# signed-in request starts with two queries (the session and the user); the member's pages add
# the bodies they sit on, for the visibility layer.
BUDGETS = {
    "home": (0, 3, 3, 3),
    "accessibility": (0, 2, 2, 2),
    "healthz": (1, 1, 1, 1),
    "login": (0, R, R, R),
    "password_change": (R, 2, 2, 2),
    "password_change_done": (R, 2, 2, 2),
    "two-factor-set-up": (R, R, 6, 6),
    "search:search": (3, 9, 8, 8),
    "partnerships:object-history": (R, R, 7, 7),
    # open data
    "opendata:api-root": (0, 2, 2, 2),
    "opendata:api-organizations": (8, 10, 10, 10),
    "opendata:api-people": (2, 5, 5, 5),
    "opendata:api-posts": (2, 4, 4, 4),
    "opendata:api-memberships": (2, 5, 5, 5),
    "opendata:api-events": (3, 7, 6, 6),
    "opendata:api-schema": (0, 2, 2, 2),
    "opendata:feed-rss": (4, 6, 6, 6),
    "opendata:feed-atom": (4, 6, 6, 6),
    "opendata:body-feed-rss": (5, 7, 7, 7),
    "opendata:body-feed-atom": (5, 7, 7, 7),
    "opendata:developers": (1, 4, 4, 4),
    "opendata:bundle-download": (7, 9, 9, 9),
    # partnerships
    "partnerships:partnership-list": (1, 5, 5, 5),
    "partnerships:partnership-detail": (5, 9, 9, 9),
    "partnerships:body-list": (3, 5, 5, 5),
    "partnerships:body-detail": (9, 13, 13, 13),
    "partnerships:tor-list": (2, 6, 6, 6),
    "partnerships:tor-detail": (3, 7, 7, 7),
    "partnerships:tor-diff": (R, R, R, 7),
    "partnerships:structure-chart": (3, 5, 5, 5),
    "partnerships:structure-diff": (4, 6, 6, 6),
    "partnerships:structure-download svg": (3, 5, 5, 5),
    # Rendering the chart as PNG or PDF takes seconds: once for the public, once signed in.
    "partnerships:structure-download png": (3, U, U, 5),
    "partnerships:structure-download pdf": (3, U, U, 5),
    "partnerships:partnership-create": (R, R, R, 5),
    "partnerships:partnership-update": (R, R, R, 6),
    "partnerships:structure-import": (R, R, R, 4),
    "partnerships:body-create": (R, R, R, 9),
    "partnerships:body-update": (R, R, R, 11),
    "partnerships:body-status-create": (R, R, R, 6),
    "partnerships:reporting-line-create": (R, R, R, 8),
    "partnerships:reporting-line-update": (R, R, R, 8),
    "partnerships:tor-update": (R, R, R, 9),
    "partnerships:tor-agree": (R, R, R, 5),
    # membership
    "membership:roster": (5, 14, 14, 14),
    "membership:roster-export csv": (3, 6, 6, 6),
    "membership:roster-export xlsx": (3, 6, 6, 6),
    "membership:vacancy-list": (3, 5, 5, 5),
    "membership:person-detail": (6, 11, 11, 11),
    "membership:organisation-detail": (3, 6, 6, 6),
    "membership:person-list": (R, 7, 7, 7),
    "membership:body-compliance": (R, 8, 8, 8),
    "membership:partnership-compliance": (R, 9, 9, 9),
    "membership:overlap": (R, 6, 6, 6),
    "membership:seat-create": (R, R, R, 8),
    "membership:seat-update": (R, R, R, 8),
    "membership:appoint": (R, R, R, 7),
    "membership:substitute-create": (R, R, R, 6),
    "membership:membership-end": (R, R, R, 5),
    "membership:roster-import": (R, R, R, 4),
    "membership:person-create": (R, R, 6, 6),
    "membership:person-update": (R, R, 8, 8),
    "membership:interest-create": (R, R, 6, 6),
    # meetings
    "meetings:meeting-list": (3, 9, 8, 8),
    "meetings:calendar-public": (2, 4, 4, 4),
    "meetings:calendar-body": (3, 7, 6, 6),
    "meetings:calendar-person": (7, 9, 9, 9),
    "meetings:my-meetings": (R, 7, 3, 3),
    "meetings:action-list": (R, 8, 7, 7),
    "meetings:my-actions": (R, 7, 6, 6),
    "meetings:meeting-detail held": (3, 9, 8, 8),
    "meetings:pack held": (5, 9, 8, 8),
    "meetings:agenda-builder held": (R, R, 6, 6),
    "meetings:meeting-detail next": (3, 9, 8, 8),
    "meetings:pack next": (5, 9, 8, 8),
    "meetings:agenda-builder next": (R, R, 6, 6),
    "meetings:attendance": (8, 14, 14, 14),
    "meetings:declarations": (3, 9, 16, 16),
    "meetings:minutes": (8, 14, 13, 13),
    "meetings:item-detail": (3, 9, 8, 8),
    "meetings:item-detail approval": (3, 9, 8, 8),
    "meetings:paper-download": (2, 6, 5, 5),
    "meetings:meeting-create": (R, R, 5, 5),
    "meetings:schedule-generate": (R, R, 4, R),
    "meetings:meeting-update": (R, R, 5, 5),
    "meetings:item-create": (R, R, 6, 6),
    "meetings:agenda-publish": (R, R, 6, 6),
    "meetings:item-update": (R, R, 6, 6),
    "meetings:paper-upload": (R, R, 6, 6),
    "meetings:minute-entry-update": (R, R, 6, 6),
    "meetings:minutes-approve": (R, R, 12, 12),
    "meetings:decision-create": (R, R, 8, 8),
    "meetings:ratification-update": (R, R, 7, 7),
    "meetings:action-create": (R, R, 8, 8),
    "meetings:action-update": (R, 7, 9, 9),
    # reports
    "reports:report-list": (R, 9, 9, 9),
    "reports:body-reports": (R, 8, 7, 7),
    "reports:analytics": (R, 13, 12, 12),
    "reports:partnership-health": (R, 9, 9, 9),
    "reports:funding-list": (R, 10, 10, 10),
    "reports:stream-detail": (R, 7, 7, 7),
    "reports:pool-detail": (R, 4, 4, 4),
    "reports:report-detail": (R, 11, 10, 10),
    "reports:report-export docx": (R, 9, 8, 8),
    # As slow: the member's (through the visibility layer) and the manager's.
    "reports:report-export pdf": (R, 9, U, 8),
    "reports:report-create": (R, R, R, 6),
    "reports:report-update": (R, R, R, 9),
    "reports:report-submit": (R, R, R, 7),
    "reports:report-rollup": (R, R, R, 7),
    "reports:report-receive": (R, R, R, 8),
    "reports:stream-create": (R, R, R, 6),
    "reports:allocation-create": (R, R, R, 7),
    "reports:post-create": (R, R, R, 8),
    "reports:pool-create": (R, R, R, 11),
    # subscriptions
    "subscriptions:follow": (1, 5, 5, 5),
    "subscriptions:check-email": (1, 3, 3, 3),
    "subscriptions:confirm": (1, 3, 3, 3),
    "subscriptions:unsubscribe": (1, 3, 3, 3),
    "subscriptions:my-subscriptions": (R, 4, 4, 4),
}


def _identities_to_measure(key):
    if key not in BUDGETS:
        return pages.IDENTITIES
    return [i for i, budget in zip(pages.IDENTITIES, BUDGETS[key], strict=True) if budget != U]


@pytest.fixture(scope="module")
def measured(django_db_setup, django_db_blocker, tmp_path_factory):
    """Build the world, measure every page at both sizes, and roll the world back.

    Done once for the module, as building the world and requesting every page as each identity
    takes minutes; the tests then read the results.
    """
    storages = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    results = {"small": {}, "large": {}, "lazy": {}}
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media"), STORAGES=storages),
        # A signed-in request writes the session once a minute to note the person's activity:
        # not while measuring, or a count would depend on the clock.
        mock.patch.object(sessions, "LAST_SEEN_RESOLUTION", 24 * 60 * 60),
        transaction.atomic(),
    ):
        w = world.build()
        everything = pages.pages(w)
        results["pages"] = everything
        clients = pages.clients(w)
        warmed = set()
        for size in ("small", "large"):
            if size == "large":
                world.grow(w, world.LARGE)
            # Indexing waits for a commit that never comes here: index the rows directly.
            indexing.rebuild()
            for page in everything:
                measure = _identities_to_measure(page.key)
                for identity, client in clients.items():
                    if identity not in measure:
                        continue
                    if size == "large" and results["small"][page.key, identity].status != 200:
                        continue
                    # One unmeasured request per page (the first it answers with itself, not a
                    # refusal) fills the per-process caches the page uses.
                    result = pages.measure(client, page, warm=page.key not in warmed)
                    results[size][page.key, identity] = result
                    if result.status == 200:
                        warmed.add(page.key)
        for page in everything:
            if page.lists:
                for identity, client in clients.items():
                    if (page.key, identity) in results["large"]:
                        results["lazy"][page.key, identity] = pages.lazy_load(client, page)
        transaction.set_rollback(True)
    return results


def _found(measured, key, identity):
    small = measured["small"].get((key, identity))
    large = measured["large"].get((key, identity))
    return (
        f"{key} as {identity}: "
        f"{small.count if small else '-'} queries small, {large.count if large else '-'} large"
    )


def test_every_route_is_a_page_or_excluded(measured):
    page_names = {page.url_name for page in measured["pages"]}

    assert page_names.isdisjoint(pages.EXCLUDED)
    assert {name for name, _ in named_routes()} == page_names | set(pages.EXCLUDED)


def test_every_page_has_a_budget(measured):
    keys = [page.key for page in measured["pages"]]
    missing = {
        key: tuple(
            measured["small"][key, i].count if measured["small"][key, i].status == 200 else R
            for i in pages.IDENTITIES
        )
        for key in keys
        if key not in BUDGETS
    }

    assert missing == {}, "budget these pages: counts (anonymous, member, officer, manager)"
    assert set(BUDGETS) == set(keys)


CASES = [
    (key, identity, budget)
    for key, budgets in BUDGETS.items()
    for identity, budget in zip(pages.IDENTITIES, budgets, strict=True)
    if budget != U
]


@pytest.mark.parametrize(
    ("key", "identity", "budget"), CASES, ids=[f"{k} as {i}" for k, i, _ in CASES]
)
def test_query_count_stays_within_budget(measured, key, identity, budget):
    small = measured["small"][key, identity]
    if budget is R:
        assert small.status != 200, f"{key} is a page for {identity} now: budget it"
        return
    large = measured["large"][key, identity]

    assert (small.status, large.status) == (200, 200)
    assert small.count == large.count, _found(measured, key, identity) + ": it grows with the data"
    assert small.count == budget, _found(measured, key, identity) + f", budget {budget}"


# List pages that look the same at both sizes, and why.
SAME_SIZE = {
    # Officers and managers in this world hold no seat, own no action and follow no body.
    ("meetings:my-meetings", "officer"),
    ("meetings:my-meetings", "manager"),
    ("meetings:my-actions", "officer"),
    ("meetings:my-actions", "manager"),
    ("subscriptions:my-subscriptions", "officer"),
    ("subscriptions:my-subscriptions", "manager"),
    # The findings about A's composition, not its seats, which the roster lists: the same
    # findings at both sizes.
    ("membership:body-compliance", "member"),
    ("membership:body-compliance", "officer"),
    ("membership:body-compliance", "manager"),
    # A's own reports for the year, one per body it reports to: the world does not add bodies
    # above A.
    ("reports:body-reports", "member"),
    ("reports:body-reports", "officer"),
    ("reports:body-reports", "manager"),
}

# Lazy loads that happen once a page, not once a row, and why they are left.
ONCE_A_PAGE = {
    # The address the e-mails go to: the signed-in user's own person, looked up once.
    "subscriptions:my-subscriptions": "Fetching of User.person blocked.",
}


def test_list_pages_show_the_larger_world(measured):
    # A page whose response did not grow did not list more rows: the world proves nothing there.
    same = [
        f"{page.key} as {identity}"
        for page in measured["pages"]
        if page.lists
        for identity in pages.IDENTITIES
        if (page.key, identity) in measured["large"]
        and (page.key, identity) not in SAME_SIZE
        and measured["large"][page.key, identity].size <= measured["small"][page.key, identity].size
    ]

    assert not same, "the larger world does not show on " + ", ".join(same)


def test_list_pages_load_nothing_lazily(measured):
    lazy = {
        f"{key} as {identity}": error
        for (key, identity), error in measured["lazy"].items()
        if error and error != ONCE_A_PAGE.get(key)
    }

    assert not lazy, "\n".join(f"{case}: {error}" for case, error in lazy.items())
