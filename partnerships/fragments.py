"""Rendered parts of pages shared between readers who may see the same, keyed on the data's version.

A page such as a meeting's agenda costs tens of milliseconds of Python to render, and in the ten
minutes before a meeting two hundred members open the same one. What each of them may see is
decided by the visibility layer, which sorts readers of one body's material into a few classes
(meetings.visibility.reader_class); everyone in a class sees exactly the same. So a page renders
its main part once per class and keeps it, keyed on

- the page and its object (meeting 59's agenda, a body's roster on a date),
- every reader-dependent value its rendering uses (the reader's class, whether they may edit),
- the version of the governance data: a token that changes whenever any change to it commits.

Nothing is ever invalidated: a change commits a new token, and later requests ask for keys that
do not exist yet. The token lives in the database, so it is right across processes and servers
whatever the cache (each process keeps its own fragments in memory by default).

Why it is safe
- The token is read before anything the fragment shows, and it changes in the same commit as the
  data (a deferred trigger, below), so a fragment is never older than its token; at worst it is
  newer, as if read a moment later.
- Every write is seen: the triggers are PostgreSQL's, so QuerySet.update(), bulk writes, the
  admin and raw SQL all change the token, as they are recorded in the audit history.
- A fragment rendered inside a transaction might show changes that are not committed (and may
  be rolled back), so nothing is shared from inside one: pages render afresh there.
- Fragments are rendered without the request (no user, no CSRF token, no messages): they can
  depend only on what the view passes, and the view puts every reader-dependent value it passes
  into the key.
"""

import contextvars
from collections.abc import Callable

from django.apps import apps
from django.conf import settings
from django.core.cache import caches
from django.core.signals import request_finished, request_started
from django.db import connection
from django.dispatch import receiver

TABLE = "partnerships_data_version"
FUNCTION = "partnerships_data_changed"
TRIGGER = "data_changed"
TRUNCATE_TRIGGER = "data_truncated"
# The apps whose records pages show. Search documents, sessions and the access log are not
# governance data: reading an agenda writes the access log, and must not change the token.
GOVERNANCE_APPS = ("partnerships", "membership", "meetings", "reports")
# Who is in which role and what each role may do: people's roles and permissions are kept too
# (partnerships/roles.py, partnerships/backends.py). Not auth_user: signing in writes it.
AUTH_TABLES = (
    "auth_group",
    "auth_group_permissions",
    "auth_user_groups",
    "auth_user_user_permissions",
)

INSTALL_SQL = """
CREATE TABLE IF NOT EXISTS partnerships_data_version (
    id boolean PRIMARY KEY DEFAULT true CHECK (id),
    token uuid NOT NULL DEFAULT gen_random_uuid(),
    changed_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO partnerships_data_version DEFAULT VALUES ON CONFLICT DO NOTHING;
CREATE OR REPLACE FUNCTION partnerships_data_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- Once per transaction: the first changed row of a bulk write is enough.
    IF current_setting('partnerships.data_version_changed', true) IS DISTINCT FROM 'yes' THEN
        PERFORM set_config('partnerships.data_version_changed', 'yes', true);
        UPDATE partnerships_data_version SET token = gen_random_uuid(), changed_at = now();
    END IF;
    RETURN NULL;
END
$$;
"""
# Deferred to the commit: the row lock on the version is taken as the transaction ends, so
# writers queue for an instant instead of holding it (and deadlocking) through their work.
ROW_TRIGGER_SQL = (
    'CREATE CONSTRAINT TRIGGER {trigger} AFTER INSERT OR UPDATE OR DELETE ON "{table}" '
    "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION {function}()"
)
TRUNCATE_TRIGGER_SQL = (
    'CREATE TRIGGER {trigger} AFTER TRUNCATE ON "{table}" '
    "FOR EACH STATEMENT EXECUTE FUNCTION {function}()"
)
BUMP_SQL = "UPDATE partnerships_data_version SET token = gen_random_uuid(), changed_at = now()"


def governance_tables() -> list[str]:
    """Tables of the governance apps' records (without their history and the access log), and
    of roles and permissions."""
    from pghistory.models import Event

    from .audit import AccessEvent

    tables = []
    for label in GOVERNANCE_APPS:
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            meta = model._meta
            if not meta.managed or meta.proxy or issubclass(model, Event | AccessEvent):
                continue
            tables.append(meta.db_table)
    return sorted({*tables, *AUTH_TABLES})


def install(using="default", **kwargs) -> None:
    """Create the version and its triggers on every governance table that lacks them.

    Runs after every `migrate` (post_migrate), so a table added by a later migration is covered
    without anyone remembering to; tests/partnerships/test_fragments.py checks every table.
    """
    from django.db import connections

    with connections[using].cursor() as cursor:
        cursor.execute(INSTALL_SQL)
        cursor.execute(
            "SELECT c.relname, t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE t.tgname IN (%s, %s)",
            [TRIGGER, TRUNCATE_TRIGGER],
        )
        present = set(cursor.fetchall())
        triggers = ((TRIGGER, ROW_TRIGGER_SQL), (TRUNCATE_TRIGGER, TRUNCATE_TRIGGER_SQL))
        for table in governance_tables():
            for trigger, sql in triggers:
                if (table, trigger) not in present:
                    cursor.execute(sql.format(trigger=trigger, table=table, function=FUNCTION))


# The token as first read in this request, when the request is a GET or HEAD: a page asks for it
# several times (the reader's roles, permissions and bodies, then the page), and reading it once
# before all of them keeps the rule that nothing kept is older than its key. Only for requests
# that should not write (a POST reads the token afresh after its own change) and never outside a
# request: a long-running task worker must see every new version.
_request_token: contextvars.ContextVar[dict | None] = contextvars.ContextVar(
    "data_version_of_request", default=None
)


@receiver(request_started)
def _start_request(sender, environ=None, **kwargs):
    method = (environ or {}).get("REQUEST_METHOD", "")
    _request_token.set({} if method in ("GET", "HEAD") else None)


@receiver(request_finished)
def _finish_request(sender, **kwargs):
    _request_token.set(None)


def data_version() -> str:
    """The token of the governance data as last committed (as first read, in a GET request)."""
    memo = _request_token.get()
    if memo:
        return memo["token"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT token::text FROM partnerships_data_version")
        token = cursor.fetchone()[0]
    if memo is not None:
        memo["token"] = token
    return token


def bump(cursor) -> None:
    """Change the token by hand: after writes made with the triggers switched off."""
    cursor.execute(BUMP_SQL)


def sharing() -> bool:
    return settings.FRAGMENT_CACHE and not connection.in_atomic_block


def read_version() -> str | None:
    """The version to key what a view keeps: read it before the view reads any of the data it
    shows (its meeting, say), so that what is kept is never older than its key. None where
    nothing is shared."""
    return data_version() if sharing() else None


def cached[T](page: str, parts: tuple, render: Callable[[], T], *, version=None) -> T:
    """render()'s result for this page and key parts, from the shared cache when it is there.

    `parts` must hold the page's object and every reader-dependent value render() uses;
    `version`, from read_version() before the page's object was read (else it is read now).
    """
    if not sharing():
        return render()
    cache = caches["fragments"]
    key = ":".join([page, version or data_version(), *map(str, parts)])
    value = cache.get(key)
    if value is None:
        value = render()
        cache.set(key, value)
    return value
