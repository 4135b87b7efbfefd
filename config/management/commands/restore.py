"""Restore a backup made by `manage.py backup`, then prove it against the backup's manifest.

    manage.py restore var/backups/backup-20260101-020000 --yes [--database-url URL]

Stop the web and task processes first: restoring drops and recreates every table. The database
is restored in one transaction (all or nothing). Uploaded papers are unpacked beside MEDIA_ROOT,
checked, then swapped in; the previous folder is kept as MEDIA_ROOT.before-restore-<time>.
Exits non-zero if any table's row count or contents, any sequence, or any file differs.
"""

import datetime
import json
import shutil
import subprocess
import tarfile
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from .backup import Target, compare, media_checksums, sha256


class Command(BaseCommand):
    help = "Restore the database and uploaded papers from a backup directory and verify them."

    def add_arguments(self, parser):
        parser.add_argument("directory", help="A directory written by manage.py backup")
        parser.add_argument(
            "--yes", action="store_true", help="Confirm that the database is to be replaced"
        )
        parser.add_argument(
            "--database-url",
            help="Restore into this database instead of the one the app uses (e.g. a drill copy)",
        )

    def handle(self, *args, directory, yes, database_url, **options):
        started = time.monotonic()
        directory = Path(directory)
        manifest_path = directory / "manifest.json"
        if not manifest_path.exists():
            raise CommandError(f"{directory} has no manifest.json: is it a backup directory?")
        manifest = json.loads(manifest_path.read_text())
        dump = directory / "database.dump"
        media_tar = directory / "media.tar"
        if sha256(dump) != manifest["database_dump_sha256"]:
            raise CommandError("database.dump does not match its checksum in the manifest.")
        if sha256(media_tar) != manifest["media_tar_sha256"]:
            raise CommandError("media.tar does not match its checksum in the manifest.")

        target = Target.from_url(database_url) if database_url else Target.default()
        if not yes:
            raise CommandError(
                f"This replaces everything in {target.label} and in {settings.MEDIA_ROOT} with "
                f"the backup of {manifest['created_at']}. Run again with --yes to go ahead."
            )
        if not database_url:
            connection.close()  # no session of ours may hold the tables pg_restore drops

        result = subprocess.run(  # noqa: S603  # nosec B603  # our own argument list, no shell
            [
                target.program("pg_restore"),
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                "--exit-on-error",
                "--dbname",
                target.params["dbname"],
                str(dump),
            ],
            env=target.env(),
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            raise CommandError(f"pg_restore failed, database unchanged: {result.stderr.strip()}")

        media_root = Path(settings.MEDIA_ROOT)
        self._restore_media(media_tar, media_root)

        actual = target.snapshot() | {"media": media_checksums(media_root)}
        problems = compare(manifest, actual)
        if problems:
            for problem in problems:
                self.stderr.write(f"MISMATCH: {problem}")
            raise CommandError(
                f"The restored copy differs from the backup in {len(problems)} ways."
            )

        rows = sum(table["rows"] for table in manifest["tables"].values())
        self.stdout.write(
            f"Restored and verified {len(manifest['tables'])} tables ({rows} rows), "
            f"{len(manifest['sequences'])} sequences and {len(manifest['media'])} files "
            f"from {directory} in {time.monotonic() - started:.1f} s"
        )

    def _restore_media(self, media_tar: Path, media_root: Path) -> None:
        stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%d-%H%M%S")
        incoming = media_root.with_name(f"{media_root.name}.restoring-{stamp}")
        incoming.mkdir(parents=True)
        try:
            with tarfile.open(media_tar) as archive:
                # The "data" filter refuses absolute paths, links out of the folder and devices.
                archive.extractall(incoming, filter="data")
        except BaseException:
            shutil.rmtree(incoming, ignore_errors=True)
            raise
        if media_root.exists():
            kept = media_root.with_name(f"{media_root.name}.before-restore-{stamp}")
            media_root.rename(kept)
            self.stdout.write(f"The previous uploaded files are kept in {kept}")
        incoming.rename(media_root)
