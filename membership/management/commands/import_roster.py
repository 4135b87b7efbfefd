"""manage.py import_roster FILE.csv [--dry-run]"""

from membership.importer import COLUMNS, import_roster
from partnerships.csvfiles import ImportCommand


class Command(ImportCommand):
    help = (
        f"Import seats and who holds them from a CSV file with the columns {','.join(COLUMNS)}. "
        "The file is imported whole or, if any row has a problem, not at all."
    )

    def import_file(self, data, *, dry_run):
        return import_roster(data, dry_run=dry_run)
