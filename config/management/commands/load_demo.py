from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from config import demo


class Command(BaseCommand):
    help = "Build the demo world from the seed papers, with one login per role. Safe to rerun."

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Load even when DEBUG is off. The demo logins have a published password.",
        )

    def handle(self, *args, allow_production=False, **options):
        if not settings.DEBUG and not allow_production:
            raise CommandError(
                "DEBUG is off, so this looks like a real deployment. The demo logins share a "
                "published password; pass --allow-production if you really want them here."
            )
        with transaction.atomic():
            logins = demo.load_world()
        self.stdout.write(self.style.SUCCESS("Demo data is loaded. Sign in as:"))
        for login in logins:
            self.stdout.write(f"  {login.username:<10} {login.role}")
        self.stdout.write(f"Every demo login has the password: {demo.DEMO_PASSWORD}")
