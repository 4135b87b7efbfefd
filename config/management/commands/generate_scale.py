"""`manage.py generate_scale`: the county-scale data set for performance work (config/scale.py)."""

import datetime
import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from config import scale
from partnerships.models import Body


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--today must be a date as YYYY-MM-DD, not {value!r}") from None


class Command(BaseCommand):
    help = (
        "Generate a deterministic county-scale data set (bodies, people, ten years of meetings) "
        "for load tests. The member logins share a published password."
    )

    def add_arguments(self, parser):
        parser.add_argument("--bodies", type=int, default=300)
        parser.add_argument("--people", type=int, default=5000)
        parser.add_argument("--years", type=int, default=10)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--today", type=_date, help="The day the data ends at (YYYY-MM-DD)")
        parser.add_argument(
            "--summary",
            default=str(settings.BASE_DIR / "var" / "scale-summary.json"),
            help="Where to write the summary JSON (ids of a big body, meeting and member)",
        )
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Delete the governance data (bodies, people, meetings, reports) first",
        )
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Run even when DEBUG is off. The generated logins have a published password.",
        )

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["allow_production"]:
            raise CommandError(
                "DEBUG is off, so this looks like a real deployment. The generated logins share "
                "a published password; pass --allow-production if you really want them here."
            )
        for name, least in [("bodies", 1), ("people", 10), ("years", 1)]:
            if options[name] < least:
                raise CommandError(f"--{name} must be at least {least}")
        with transaction.atomic():
            if Body.objects.exists():
                if not options["replace"]:
                    raise CommandError(
                        "The database already has bodies. Pass --replace to delete the "
                        "governance data and generate afresh."
                    )
                scale.delete_governance_data()
                self.stdout.write("Deleted the existing governance data.")
            summary = scale.generate(
                bodies=options["bodies"],
                people=options["people"],
                years=options["years"],
                seed=options["seed"],
                today=options["today"],
                stdout=self.stdout if options["verbosity"] else None,
            )
        # Fresh statistics: without them the planner guesses badly on a million new rows and
        # the first benchmark runs measure that instead of the application.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        path = Path(options["summary"])
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(summary, indent=2) + "\n")
        for model, count in summary["counts"].items():
            self.stdout.write(f"  {model:<50} {count:>9,}")
        self.stdout.write(
            f"Big body {summary['big_body']['id']} ({summary['big_body']['name']}); its meeting "
            f"{summary['big_meeting']['id']} has {summary['big_meeting']['items']} items; "
            f"member login {summary['member']['username']}."
        )
        self.stdout.write(
            self.style.SUCCESS(f"Generated in {summary['seconds']} seconds; summary in {path}")
        )
