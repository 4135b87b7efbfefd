"""The settings module read as a deployment reads it, in a fresh process."""

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

ROOT = Path(__file__).resolve().parent.parent

PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "k7#Qm2!vR9zL$e4WpX8@tN6yB3&cF1hJ5sD0gA*uK-oI=iM+lE",
    "ALLOWED_HOSTS": "partnerships.example.gov.uk",
    "CSRF_TRUSTED_ORIGINS": "https://partnerships.example.gov.uk",
    "HTTPS": "1",
    "DATABASE_URL": "postgres://app@db.internal:5432/partnerships",
}


def manage(*args, env):
    # Only what a deployment would set: none of the test run's own variables.
    dropped = {*PRODUCTION, "HTTPS", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean = {k: v for k, v in os.environ.items() if k not in dropped}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_production_configuration_passes_the_deployment_checks():
    # Some model checks ask the server its version, so the check needs a reachable database:
    # the one the tests use (or, without DATABASE_URL, the embedded one).
    env = {k: v for k, v in PRODUCTION.items() if k != "DATABASE_URL"}
    if os.environ.get("DATABASE_URL"):
        # The server's maintenance database always exists; the app's may not under test.
        server = urlsplit(os.environ["DATABASE_URL"])
        env["DATABASE_URL"] = urlunsplit(server._replace(path="/postgres"))
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=env)

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_without_a_secret_key_a_production_process_refuses_to_start():
    env = {k: v for k, v in PRODUCTION.items() if k != "SECRET_KEY"}

    result = manage("check", env=env)

    assert result.returncode != 0
    assert "Set the SECRET_KEY environment variable" in result.stderr


@pytest.mark.parametrize("url", ["mysql://app@db/partnerships", "sqlite:///db.sqlite3"])
def test_a_database_other_than_postgresql_is_refused(url):
    result = manage("check", env={**PRODUCTION, "DATABASE_URL": url})

    assert result.returncode != 0
    assert "DATABASE_URL must point at PostgreSQL" in result.stderr
