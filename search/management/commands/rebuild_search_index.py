from django.core.management.base import BaseCommand

from search.indexing import rebuild
from search.models import Kind


class Command(BaseCommand):
    help = "Rebuild the search index from the database (after bulk loads or restores)."

    def add_arguments(self, parser):
        parser.add_argument("--kind", action="append", choices=Kind.values, help="Only this kind")

    def handle(self, *args, kind=None, **options):
        count = rebuild(kinds=kind)
        if options["verbosity"]:
            self.stdout.write(f"Indexed {count} documents")
