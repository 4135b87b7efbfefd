import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection


class Command(BaseCommand):
    help = (
        "Development server for `make run`: migrate, load the demo data, then serve with "
        "autoreload beside a background task worker (agenda packs, e-mail). Owns the embedded "
        "PostgreSQL, so Ctrl-C or SIGTERM always stops it."
    )

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")
        parser.add_argument(
            "--no-demo", action="store_true", help="Do not load the demo data before serving."
        )

    def handle(self, *args, addrport, no_demo=False, **options):
        # Connecting starts the embedded server (when DATABASE_URL is unset) and registers this
        # process as its user: it stops after this process, the last user, exits.
        connection.ensure_connection()
        call_command("migrate", interactive=False, verbosity=1)
        if not no_demo:
            call_command("load_demo", stdout=self.stdout)
        connection.close()

        stopping = []

        def stop(signum, frame):
            stopping.append(signum)

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        self.stdout.write(f"Serving on http://{addrport}/ - press Ctrl-C to stop.")
        children = [
            subprocess.Popen([sys.executable, "manage.py", command, *arguments])  # noqa: S603  # nosec B603
            for command, *arguments in [
                ("runserver", addrport),
                ("db_worker", "--queue-name", "*", "--no-reload"),
            ]
        ]
        while all(child.poll() is None for child in children) and not stopping:
            time.sleep(0.2)
        for child in children:
            if child.poll() is None:
                child.send_signal(signal.SIGINT)
        for child in children:
            try:
                child.wait(timeout=10)
            except subprocess.TimeoutExpired:
                child.kill()
        if settings.DATABASES["default"]["ENGINE"] == "config.embedded_postgres":
            from config.embedded_postgres import server

            server.wait_for_other_users()
        self.stdout.write("Stopped.")
