"""manage.py import_structure FILE.csv [--dry-run]"""

from partnerships.csvfiles import ImportCommand
from partnerships.importer import COLUMNS, import_structure


class Command(ImportCommand):
    help = (
        f"Import bodies from a CSV file with the columns {','.join(COLUMNS)}. "
        "The file is imported whole or, if any row has a problem, not at all."
    )

    def import_file(self, data, *, dry_run):
        return import_structure(data, dry_run=dry_run)
