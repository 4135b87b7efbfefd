"""Apply the retention schedule. A dry run unless --apply.

Local Government Act 1972:
- s.100C: minutes, agendas and reports stay open to inspection for six years from the meeting
  (RETENTION_YEARS_RECORDS). Papers that are reports, appendices or presentations are deleted
  with their files once their meeting is older than that. Minutes, agendas and annual reports
  are never deleted here: councils keep minutes permanently and archive the rest under their own
  policy, so past six years the command only counts them.
- s.100D: background papers stay available for four years (RETENTION_YEARS_BACKGROUND_PAPERS).
  Background papers of meetings held longer ago than that are deleted with their files.
"""

import datetime
import logging

import pghistory
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from meetings.models import Meeting, Minutes, Paper, PaperKind
from meetings.pack import invalidate_packs
from reports.models import AnnualReport

logger = logging.getLogger(__name__)


def years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


class Command(BaseCommand):
    help = "Delete background papers past their retention period (dry run unless --apply)."

    def add_arguments(self, parser):
        parser.add_argument("--apply", action="store_true", help="Delete; without it, only list")
        parser.add_argument(
            "--today",
            type=datetime.date.fromisoformat,
            help="Run as if on this date (YYYY-MM-DD), to check the schedule",
        )

    def handle(self, *args, apply, today, **options):
        today = today or timezone.localdate()
        records_years = getattr(settings, "RETENTION_YEARS_RECORDS", 6)
        papers_years = getattr(settings, "RETENTION_YEARS_BACKGROUND_PAPERS", 4)
        if papers_years < 4 or records_years < 6:
            raise CommandError(
                "The law sets the minimum: RETENTION_YEARS_BACKGROUND_PAPERS must be at least 4 "
                "(s.100D) and RETENTION_YEARS_RECORDS at least 6 (s.100C)."
            )

        # A paper goes once its meeting is more than N whole years ago: N by the paper's kind.
        background_cutoff = years_before(today, papers_years)
        records_cutoff = years_before(today, records_years)
        background = Q(kind=PaperKind.BACKGROUND) & Q(
            item__meeting__starts_at__lt=start_of(background_cutoff)
        )
        report = ~Q(kind=PaperKind.BACKGROUND) & Q(
            item__meeting__starts_at__lt=start_of(records_cutoff)
        )
        papers = (
            Paper.objects.filter(background | report)
            .select_related("item__meeting__body")
            .order_by("item__meeting__starts_at", "pk")
        )
        verb = "Deleting" if apply else "Would delete"
        counts = {"background": 0, "other": 0}
        for paper in papers:
            counts["background" if paper.kind == PaperKind.BACKGROUND else "other"] += 1
            self.stdout.write(
                f"{verb} {paper.get_kind_display().lower()} {paper.pk} ({paper.size} bytes) on "
                f"item {paper.item_id} of {paper.item.meeting} "
                f"({paper.item.meeting.starts_at:%Y-%m-%d})"
            )

        records_start = start_of(records_cutoff)
        old_meetings = Meeting.objects.filter(starts_at__lt=records_start).count()
        old_minutes = Minutes.objects.filter(meeting__starts_at__lt=records_start).count()
        old_reports = AnnualReport.objects.filter(created_at__lt=records_start).count()
        self.stdout.write(
            f"Past the {records_years}-year inspection period, kept: {old_meetings} agendas, "
            f"{old_minutes} sets of minutes, {old_reports} annual reports."
        )

        if not apply:
            self.stdout.write(
                f"Dry run: {counts['background']} background papers older than {papers_years} "
                f"years (meetings before {background_cutoff:%-d %B %Y}) and {counts['other']} "
                f"reports, appendices and presentations older than {records_years} years "
                f"(meetings before {records_cutoff:%-d %B %Y}) would be deleted. "
                "Run with --apply to delete them."
            )
            return

        deleted = self._delete(list(papers), papers_years, records_years)
        logger.info("Retention: %s papers deleted", deleted)
        self.stdout.write(f"Deleted {deleted} papers and their files.")

    def _delete(self, papers: list[Paper], background_years: int, records_years: int) -> int:
        files = [paper.file.name for paper in papers if paper.file]
        meetings = {paper.item.meeting_id for paper in papers}
        with (
            transaction.atomic(),
            pghistory.context(
                reason=(
                    f"Retention: background papers older than {background_years} years, "
                    f"other papers older than {records_years} years"
                )
            ),
        ):
            _, per_model = Paper.objects.filter(pk__in=[paper.pk for paper in papers]).delete()

        # Only once the rows are gone for good: a failed transaction must not lose files.
        storage = Paper._meta.get_field("file").storage
        for name in files:
            storage.delete(name)
        for meeting_id in meetings:
            invalidate_packs(meeting_id)
        return per_model.get(Paper._meta.label, 0)
