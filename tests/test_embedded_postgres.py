"""The embedded PostgreSQL starts on first use and never outlives the processes using it."""

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import psutil
import pytest

from config.embedded_postgres.server import _forget_dead_processes

ROOT = Path(__file__).resolve().parent.parent

QUERY = (
    "from django.db import connection\n"
    "cursor = connection.cursor()\n"
    "cursor.execute('select current_database()')\n"
    "print(cursor.fetchone()[0], flush=True)\n"
)


def postgres_processes(datadir: Path) -> list[psutil.Process]:
    found = []
    for process in psutil.process_iter(["name", "cmdline"]):
        cmdline = process.info["cmdline"] or []
        if process.info["name"] == "postgres" and str(datadir) in " ".join(cmdline):
            found.append(process)
    return found


def start_app_process(datadir: Path, code: str) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env |= {"DEBUG": "1", "EMBEDDED_POSTGRES_DIR": str(datadir)}
    return subprocess.Popen(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.fixture
def datadir():
    # A short path: the server's socket lives in its data directory.
    path = Path(tempfile.mkdtemp(prefix="pg-test-")) / "data"
    yield path
    for process in postgres_processes(path):
        process.kill()
    shutil.rmtree(path.parent, ignore_errors=True)


@pytest.mark.parametrize("stop_signal", [signal.SIGINT, signal.SIGTERM])
def test_server_starts_on_first_query_and_stops_with_its_last_process(datadir, stop_signal):
    process = start_app_process(datadir, QUERY + "import time; time.sleep(60)")
    assert process.stdout.readline().strip() == "partnerships"
    assert postgres_processes(datadir), "the first query should have started the server"

    process.send_signal(stop_signal)
    process.wait(timeout=20)

    # PostgreSQL's own shutdown (checkpoint, then the postmaster's children) can take more than
    # ten seconds on a machine busy with other test runs; the point is that it ends by itself.
    deadline = time.monotonic() + 30
    while postgres_processes(datadir) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert postgres_processes(datadir) == []


def test_a_killed_process_does_not_keep_the_server_alive_for_ever(datadir):
    first = start_app_process(datadir, QUERY + "import time; time.sleep(60)")
    assert first.stdout.readline().strip() == "partnerships"
    first.kill()  # no chance to clean up: its pid stays in the server's list
    first.wait(timeout=10)

    second = start_app_process(datadir, QUERY)
    assert second.stdout.readline().strip() == "partnerships"
    second.wait(timeout=20)

    # PostgreSQL's own shutdown (checkpoint, then the postmaster's children) can take more than
    # ten seconds on a machine busy with other test runs; the point is that it ends by itself.
    deadline = time.monotonic() + 30
    while postgres_processes(datadir) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert postgres_processes(datadir) == []
    assert json.loads((datadir / ".handle_pids.json").read_text()) == []


def test_forget_dead_processes_keeps_live_ones(tmp_path):
    dead = subprocess.Popen(["true"])
    dead.wait()
    (tmp_path / ".handle_pids.json").write_text(json.dumps([os.getpid(), dead.pid]))

    _forget_dead_processes(tmp_path)

    assert json.loads((tmp_path / ".handle_pids.json").read_text()) == [os.getpid()]


def test_make_run_server_stops_the_database_when_interrupted(datadir):
    """`make run` runs `manage.py serve`; Ctrl-C reaches its whole process group."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env |= {"DEBUG": "1", "EMBEDDED_POSTGRES_DIR": str(datadir)}
    serve = subprocess.Popen(
        [sys.executable, "manage.py", "serve", "--no-demo", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 180
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as reply:
                    assert reply.status == 200
                    break
            except OSError:
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.5)

        os.killpg(serve.pid, signal.SIGINT)
        serve.wait(timeout=30)
    finally:
        if serve.poll() is None:
            os.killpg(serve.pid, signal.SIGKILL)

    # PostgreSQL's own shutdown (checkpoint, then the postmaster's children) can take more than
    # ten seconds on a machine busy with other test runs; the point is that it ends by itself.
    deadline = time.monotonic() + 30
    while postgres_processes(datadir) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert postgres_processes(datadir) == []
