"""Serving the app for the benchmarks: gunicorn on a free loopback port, as in production.

DEBUG off with a throwaway SECRET_KEY, plain HTTP on 127.0.0.1, the baseline view mounted.
"""

import argparse
import contextlib
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/bench_scale"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options that say what is served and how, shared by bench/run and bench/load."""
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL),
        help=f"the dataset to serve (default {DEFAULT_DATABASE_URL}; BENCH_DATABASE_URL)",
    )
    parser.add_argument(
        "--media-root",
        default=os.environ.get("MEDIA_ROOT") or default_media_root(),
        help="uploaded papers of that dataset (default $MEDIA_ROOT, else /work/bench-media if "
        "there, else var/bench-media)",
    )
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument(
        "--worker-class",
        choices=["gthread", "sync"],
        default="gthread",
        help="gunicorn worker class (default gthread: see bench/README.md)",
    )
    parser.add_argument("--threads", type=int, default=4, help="threads per gthread worker")


def default_media_root() -> str:
    shared = Path("/work/bench-media")
    return str(shared if shared.is_dir() else ROOT / "var" / "bench-media")


def configure(args) -> dict[str, str]:
    """Point this process at the dataset with the server's settings; the server's environment."""
    env = server_environment(args)
    os.environ.update(env)
    collect_static(env)
    return env


@contextlib.contextmanager
def serving(args, env):
    """gunicorn serving the app on a free loopback port while the block runs; the port."""
    port = free_port()
    server = start_gunicorn(args, env, port)
    try:
        wait_until_up(port, server)
        yield port
    finally:
        stop(server)


def server_environment(args) -> dict[str, str]:
    return {
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "HTTPS": "0",
        "ALLOWED_HOSTS": HOST,
        "DATABASE_URL": args.database_url,
        "MEDIA_ROOT": args.media_root,
        "BENCHMARK_VIEWS": "1",
        "LOG_LEVEL": "WARNING",
    }


def collect_static(env):
    """With DEBUG off, templates need whitenoise's manifest: collect the static files once."""
    if (ROOT / "var" / "staticfiles" / "staticfiles.json").exists():
        return
    print("Collecting static files (once) …", flush=True)
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"],
        cwd=ROOT,
        env=os.environ | env,
        check=True,
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def start_gunicorn(args, env, port) -> subprocess.Popen:
    command = [
        str(Path(sys.executable).parent / "gunicorn"),
        "config.wsgi:application",
        f"--bind={HOST}:{port}",
        f"--workers={args.workers}",
        f"--worker-class={args.worker_class}",
        "--log-level=warning",
    ]
    if args.worker_class == "gthread":
        command.append(f"--threads={args.threads}")
    # Our own gunicorn with arguments built here, not from outside input.
    return subprocess.Popen(command, cwd=ROOT, env=os.environ | env, start_new_session=True)  # noqa: S603


def wait_until_up(port, server, timeout=60):
    import http.client

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"bench: gunicorn exited with {server.returncode}")
        try:
            connection = http.client.HTTPConnection(HOST, port, timeout=5)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"bench: gunicorn did not answer /healthz within {timeout} s")


def stop(server):
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
