"""The permission matrix: every URL name by identity by object state, against matrix.py's oracle.

One test builds one world and requests every cell, collecting disagreements so that a failure
lists all of them at once. A leak is the app allowing what the rules refuse; a wrongful lockout
is the app refusing what the rules allow; a wrong refusal is refusing the wrong way (a 403 that
confirms an exempt object exists, a 404 where an anonymous visitor should be asked to sign in).
"""

import collections
import datetime
import time

import pytest
from django.test import Client
from django.urls import reverse

from tests.security.matrix import (
    IDENTITIES,
    RULES,
    build_world,
    cells,
    expected,
    judge,
    named_routes,
    observed,
)

pytestmark = pytest.mark.django_db

MINIMUM_CELLS = 3000

# Refusals the app makes in another way than the rules say: none now. The matrix fails if a new
# one appears; a deliberate exception would be listed here as (identity, URL name, object tag).
KNOWN_WRONG_REFUSALS: set[tuple[str, str, str]] = set()


@pytest.fixture(autouse=True)
def _tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


def signed_in_client(user) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def clients_for(world) -> dict[str, Client]:
    """A client per identity; the deactivated and removed members signed in while members."""
    clients = {"anonymous": Client(raise_request_exception=False)}
    for name, user in world.users.items():
        clients[name] = signed_in_client(user)
    exempt_item = next(i for i, s in world.items if s.exempt and s.meeting.published)
    exempt_url = reverse("meetings:item-detail", kwargs={"pk": exempt_item.pk})
    for name in ("deactivated member of A", "member of A removed mid-session"):
        assert clients[name].get(exempt_url).status_code == 200, f"{name} was never a member"

    deactivated = world.users["deactivated member of A"]
    deactivated.is_active = False
    deactivated.save(update_fields=["is_active"])
    # Their holding ends today: the first day they no longer hold the seat.
    world.removed_seat.memberships.update(ends_on=datetime.date.today())
    return clients


def test_every_route_has_a_rule():
    names = {name for name, _ in named_routes()}

    assert names - RULES.keys() == set()
    assert RULES.keys() - names - {"admin:login"} == set()


def test_permission_matrix():
    world = build_world()
    clients = clients_for(world)
    grid = cells(world)
    started = time.monotonic()
    failures = collections.defaultdict(list)
    per_identity = collections.Counter()
    per_outcome = collections.Counter()
    timings = collections.Counter()
    for cell in grid:
        for who in IDENTITIES:
            t0 = time.monotonic()
            response = clients[who.name].get(cell.url)
            seen = observed(response)
            if response.streaming:
                # Read to the end, so the test client closes the file (a bare close() would send
                # request_finished and drop the test's database connection).
                b"".join(response.streaming_content)
            timings[cell.url_name] += time.monotonic() - t0
            outcome = expected(who, cell.url_name, cell.target)
            per_identity[who.name] += 1
            per_outcome[outcome] += 1
            if verdict := judge(outcome, seen):
                tag = getattr(cell.target, "tag", "")
                failures[verdict].append(
                    (who.name, cell.url_name, tag, cell.url, f"expected {outcome}, got {seen}")
                )
    elapsed = time.monotonic() - started
    total = sum(per_identity.values())
    leaks, lockouts = failures["leak"], failures["lockout"]
    wrong = {(who, name, tag) for who, name, tag, *_ in failures["wrong refusal"]}

    print(
        f"\nmatrix: {total} cells, {len(leaks)} leaks, {len(lockouts)} wrongful lockouts, "
        f"{len(wrong)} wrong refusals ({len(KNOWN_WRONG_REFUSALS)} known), {elapsed:.1f} s"
    )
    print("per identity:", dict(per_identity))
    print("slowest:", [(n, round(t, 1)) for n, t in timings.most_common(25)])
    print("expected outcomes:", dict(per_outcome))
    for verdict, rows in failures.items():
        for row in rows:
            print(verdict, *row, sep=" | ")

    assert total >= MINIMUM_CELLS
    assert leaks == []
    assert lockouts == []
    assert wrong == KNOWN_WRONG_REFUSALS
