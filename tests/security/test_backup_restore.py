"""Restore drill: a backup restored into a second database matches the original exactly."""

import io
import json
import time
import urllib.parse

import psycopg
import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from pypdf import PdfWriter

from config.management.commands.backup import Target, media_checksums
from meetings.models import Attendance, Paper
from tests.factories import AgendaItemFactory, MembershipFactory, PersonFactory


@pytest.fixture
def scratch_database():
    """An empty database beside the test database, on the same server, dropped afterwards."""
    params = connection.get_connection_params()
    name = f"{connection.settings_dict['NAME']}_restore"
    admin = {key: params[key] for key in ("user", "password", "host", "port") if params.get(key)}
    with psycopg.connect(dbname="postgres", autocommit=True, **admin) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    # The embedded server is reached by a socket directory: a path, percent-encoded in a URL.
    host = urllib.parse.quote(params.get("host") or "localhost", safe="")
    port = f":{params['port']}" if params.get("port") else ""
    url = f"postgres://{params['user']}@{host}{port}/{name}"
    if params.get("password"):
        url = url.replace("@", f":{params['password']}@", 1)
    yield url
    with psycopg.connect(dbname="postgres", autocommit=True, **admin) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def pdf(title: str) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": title})
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


@pytest.fixture
def data():
    membership = MembershipFactory()
    item = AgendaItemFactory(meeting__body=membership.seat.body)
    Attendance.objects.create(
        meeting=item.meeting, person=membership.person, seat=membership.seat, status="present"
    )
    for person in PersonFactory.create_batch(3):
        Attendance.objects.create(meeting=item.meeting, person=person, status="apologies")
    for number, content in enumerate([pdf("Report"), pdf("Appendix")]):
        paper = Paper(
            item=item,
            title=f"Paper {number}",
            original_name=f"paper-{number}.pdf",
            content_type="application/pdf",
            size=len(content),
            order=number,
        )
        paper.file.save("paper.pdf", ContentFile(content))
    return item


@pytest.mark.django_db(transaction=True)
def test_backup_restored_into_a_second_database_is_identical(
    data, scratch_database, settings, tmp_path, capsys
):
    original_media = media_checksums(settings.MEDIA_ROOT)
    original = Target.default().snapshot()
    assert len(original_media) == 2

    started = time.monotonic()
    call_command("backup", output=str(tmp_path / "backups"))
    (backup,) = (tmp_path / "backups").iterdir()
    assert sorted(path.name for path in backup.iterdir()) == [
        "database.dump",
        "manifest.json",
        "media.tar",
    ]
    manifest = json.loads((backup / "manifest.json").read_text())
    assert manifest["tables"]["meetings_attendance"]["rows"] == 4
    assert manifest["tables"]["meetings_paper"]["rows"] == 2
    assert manifest["media"] == original_media

    # The drill restores somewhere else: a second database and a fresh media folder.
    settings.MEDIA_ROOT = tmp_path / "restored-media"
    call_command("restore", str(backup), yes=True, database_url=scratch_database)
    elapsed = time.monotonic() - started

    restored = Target.from_url(scratch_database).snapshot()
    assert restored == original
    assert media_checksums(settings.MEDIA_ROOT) == original_media
    assert "Restored and verified" in capsys.readouterr().out
    rows = sum(table["rows"] for table in restored["tables"].values())
    with capsys.disabled():
        print(  # the drill's figures, for the report
            f"restore drill: tables {len(restored['tables'])}, rows {rows}, mismatches 0, "
            f"files {len(original_media)}, RTO (dump+restore+verify) {elapsed:.1f} s"
        )


# Plain django_db: pg_dump sees only committed rows (the migrations' roles), which is enough here
# and avoids a second flush of every table.
@pytest.mark.django_db
def test_restore_refuses_a_tampered_backup_and_detects_differences(
    scratch_database, settings, tmp_path
):
    media = settings.MEDIA_ROOT / "papers" / "1"
    media.mkdir(parents=True)
    (media / "a").write_bytes(b"%PDF-1.4 a\n")
    call_command("backup", output=str(tmp_path))
    (backup,) = tmp_path.glob("backup-*")
    settings.MEDIA_ROOT = tmp_path / "restored-media"

    with pytest.raises(CommandError, match="Run again with --yes"):
        call_command("restore", str(backup), database_url=scratch_database)

    # Negative control: a manifest that disagrees with the dump must fail the restore.
    manifest_path = backup / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    manifest["tables"]["auth_group"]["rows"] += 1
    manifest["media"]["papers/1/a"] = "0" * 64
    manifest_path.write_text(json.dumps(manifest))
    with pytest.raises(CommandError, match="differs from the backup in 2 ways"):
        call_command("restore", str(backup), yes=True, database_url=scratch_database)

    with (backup / "database.dump").open("ab") as dump:
        dump.write(b"tampered")
    with pytest.raises(CommandError, match=r"database\.dump does not match its checksum"):
        call_command("restore", str(backup), yes=True, database_url=scratch_database)
