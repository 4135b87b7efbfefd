from django.core.management.base import BaseCommand

from ...links import CONFIRM_WITHIN
from ...services import delete_expired


class Command(BaseCommand):
    help = (
        f"Delete subscriptions by e-mail not confirmed within {CONFIRM_WITHIN.days} days of "
        "their last confirmation link (run daily)."
    )

    def handle(self, *args, **options):
        deleted = delete_expired()
        self.stdout.write(
            f"Deleted {deleted} unconfirmed subscription{'s' if deleted != 1 else ''}"
        )
