"""manage.py import_roster FILE.csv [--dry-run]"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from membership.importer import COLUMNS, import_roster


class Command(BaseCommand):
    help = (
        f"Import seats and who holds them from a CSV file with the columns {','.join(COLUMNS)}. "
        "The file is imported whole or, if any row has a problem, not at all."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="The CSV file, UTF-8 encoded")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check the file and report what would change, without saving anything",
        )

    def handle(self, *args, file: Path, dry_run: bool, **options):
        try:
            data = file.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}") from error
        result = import_roster(data, dry_run=dry_run)
        if result.problems:
            for problem in result.problems:
                self.stderr.write(str(problem))
            count = len(result.problems)
            raise CommandError(f"Nothing was imported: {count} problem{'s' if count > 1 else ''}")
        for warning in result.warnings:
            self.stdout.write(self.style.WARNING(f"Warning: {warning}"))
        if dry_run:
            self.stdout.write("Dry run: nothing was saved. Importing the file would give:")
        for label, count in result.counts:
            self.stdout.write(f"{label}: {count}")
