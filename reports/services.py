"""Writes to reports: starting, saving, submitting (R-AR-1), receiving, considering and the
roll-up of the reports of the bodies beneath into the receiving body's own report."""

import dataclasses
import datetime
import json
from collections import defaultdict

from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from meetings.models import AgendaItem
from partnerships.models import Body, ReportingLine, WorkArea

from .models import RAG, AnnualReport, Escalation, Indicator, ReportLine
from .obligations import REPORTING_KINDS, due_on_for

REPORT_FIELDS = ["title", "summary", "achievements", "gaps", "next_priorities"]
LINE_FIELDS = ["title", "rag", "direction", "narrative"]
INDICATOR_FIELDS = ["name", "unit", "baseline", "value", "target", "trend", "rag"]
ESCALATION_FIELDS = ["issue", "ask"]
# Submitted, and every state after it: what a roll-up may compile.
SUBMITTED_STATUSES = [
    AnnualReport.Status.SUBMITTED,
    AnnualReport.Status.RECEIVED,
    AnnualReport.Status.CONSIDERED,
    AnnualReport.Status.NOTED,
    AnnualReport.Status.ENDORSED,
]
OUTCOMES = [
    AnnualReport.Status.CONSIDERED,
    AnnualReport.Status.NOTED,
    AnnualReport.Status.ENDORSED,
]


def _require_draft(report: AnnualReport) -> None:
    if report.status != AnnualReport.Status.DRAFTING:
        raise ValidationError("This report has been submitted and can no longer be changed")


# Starting and saving ---------------------------------------------------------------------------


def _lines_to_prefill(body: Body, compiled) -> list[ReportLine]:
    work_areas = (
        WorkArea.objects.filter(Q(delivered_by=body) | Q(priority__body=body))
        .select_related("priority")
        .order_by("priority__number", "order", "name")
    )
    lines = [
        ReportLine(priority=area.priority, work_area=area, title=area.name) for area in work_areas
    ]
    if not lines:
        lines = _lines_from(compiled, existing=[])
    return lines


def _lines_from(reports, *, existing: list[ReportLine]) -> list[ReportLine]:
    """One blank line per work area (or untied line title) of the reports not yet covered."""
    seen = {_line_key(line) for line in existing}
    lines = []
    compiled_lines = (
        ReportLine.objects.filter(report__in=reports)
        .select_related("priority", "work_area")
        .order_by("priority__number", "work_area__order", "work_area__name", "title")
    )
    for line in compiled_lines:
        key = _line_key(line)
        if key not in seen:
            seen.add(key)
            # The compiling body rates each work area as a whole, so the line takes its name.
            title = line.work_area.name if line.work_area else line.title
            lines.append(ReportLine(priority=line.priority, work_area=line.work_area, title=title))
    return lines


def _line_key(line: ReportLine):
    if line.work_area_id:
        return ("work_area", line.work_area_id)
    if line.priority_id:
        return ("priority", line.priority_id)
    return ("title", line.title.strip().lower())


def start_report(
    *,
    body: Body,
    receiving_body: Body,
    period_starts_on: datetime.date,
    period_ends_on: datetime.date,
    kind: str,
    by,
) -> AnnualReport:
    """Start a draft, with a line for each work area the body delivers (or, for a body that
    delivers none itself, each work area in the reports it receives for the period)."""
    if period_ends_on <= period_starts_on:
        raise ValidationError({"period_ends_on": "The period must end after it starts"})
    already_started = ValidationError(
        f"{body} has already started a report to {receiving_body} for this period"
    )
    if AnnualReport.objects.filter(
        body=body, receiving_body=receiving_body, kind=kind, period_starts_on=period_starts_on
    ).exists():
        raise already_started
    line = (
        ReportingLine.objects.filter(
            from_body=body, to_body=receiving_body, kind__in=REPORTING_KINDS
        )
        .current_between(period_starts_on, period_ends_on + datetime.timedelta(days=1))
        .order_by("-is_primary", "pk")
        .first()
    )
    received = AnnualReport.objects.filter(
        receiving_body=body,
        period_starts_on=period_starts_on,
        kind=kind,
        status__in=SUBMITTED_STATUSES,
    )
    try:
        with transaction.atomic():
            report = AnnualReport.objects.create(
                body=body,
                receiving_body=receiving_body,
                reporting_line=line,
                kind=kind,
                period_starts_on=period_starts_on,
                period_ends_on=period_ends_on,
                due_on=due_on_for(receiving_body=receiving_body, period_ends_on=period_ends_on),
            )
            lines = _lines_to_prefill(body, received)
            for order, report_line in enumerate(lines, start=1):
                report_line.report, report_line.order = report, order
            ReportLine.objects.bulk_create(lines)
    except IntegrityError as error:
        # Two submissions at once both passed the check above; the constraint let one in.
        if "one_report_per_body_period" not in str(error):
            raise
        raise already_started from error
    return report


def _replace_children(report, model, rows: list[dict], fields: list[str]) -> None:
    """Update the rows that carry an `id`, create the others and delete the ones not listed."""
    existing = {child.pk: child for child in model.objects.filter(report=report)}
    kept, new = [], []
    for order, row in enumerate(rows, start=1):
        instance = row.get("id")
        pk = getattr(instance, "pk", instance)
        child = existing.get(pk) if pk else None
        if child is None:
            child = model(report=report)
            new.append(child)
        else:
            kept.append(child)
        child.order = order
        for field in fields:
            if field in row:
                setattr(child, field, row[field])
    model.objects.filter(report=report).exclude(pk__in=[c.pk for c in kept]).delete()
    if kept:
        model.objects.bulk_update(kept, [*fields, "order"])
    model.objects.bulk_create(new)


def save_report(
    *,
    report: AnnualReport,
    fields: dict,
    lines: list[dict],
    indicators: list[dict],
    escalations: list[dict],
    by,
) -> AnnualReport:
    """Save a draft: its sections, and its lines, indicators and escalations in the order given.

    Rows carrying an `id` (instance or pk) update that row; rows missing are deleted.
    """
    _require_draft(report)
    with transaction.atomic():
        for field in REPORT_FIELDS:
            if field in fields:
                setattr(report, field, fields[field])
        report.save()
        _replace_children(report, ReportLine, lines, LINE_FIELDS)
        _replace_children(report, Indicator, indicators, INDICATOR_FIELDS)
        _replace_children(report, Escalation, escalations, ESCALATION_FIELDS)
    return report


# Submitting, receiving, considering ------------------------------------------------------------


def missing_for_submission(report: AnnualReport) -> list[str]:
    """What stops the report being submitted (R-AR-1), one message per missing piece."""
    lines = list(report.lines.all())
    if not lines:
        return ["Add at least one line for a priority or work area"]
    missing = []
    for number, line in enumerate(lines, start=1):
        if not line.rag:
            missing.append(f"Line {number} '{line.title}' has no RAG rating")
        elif line.rag in (RAG.RED, RAG.AMBER) and not line.narrative.strip():
            missing.append(f"Line {number} '{line.title}' is {line.rag} but has no narrative")
    return missing


def _facts(report: AnnualReport) -> dict:
    try:
        from .facts import facts_for
    except ImportError:
        return {}
    facts = facts_for(report.body, report.period_starts_on, report.period_ends_on)
    # Snapshotted as plain JSON, so dates and decimals read back as text.
    return json.loads(json.dumps(facts, cls=DjangoJSONEncoder))


def submit_report(*, report: AnnualReport, by) -> AnnualReport:
    """Submit a draft to the receiving body, keeping what the system held for the period."""
    _require_draft(report)
    if missing := missing_for_submission(report):
        raise ValidationError(missing)
    with transaction.atomic():
        report.facts = _facts(report)
        report.status = AnnualReport.Status.SUBMITTED
        report.submitted_at = timezone.now()
        report.submitted_by = by
        report.save(update_fields=["facts", "status", "submitted_at", "submitted_by", "updated_at"])
    return report


def receive_report(*, report: AnnualReport, by) -> AnnualReport:
    if report.status != AnnualReport.Status.SUBMITTED:
        raise ValidationError("Only a submitted report can be received")
    report.status = AnnualReport.Status.RECEIVED
    report.save(update_fields=["status", "updated_at"])
    return report


def mark_considered(
    *, report: AnnualReport, item: AgendaItem, outcome: str, by=None
) -> AnnualReport:
    """Record the receiving body's agenda item that considered the report, and its outcome."""
    errors = {}
    if report.status not in SUBMITTED_STATUSES:
        errors[None] = "The report has not been submitted yet"
    if item.meeting.body_id != report.receiving_body_id:
        errors["item"] = f"Choose an item of a meeting of {report.receiving_body}"
    if outcome not in OUTCOMES:
        errors["outcome"] = "Choose whether the report was considered, noted or endorsed"
    if errors:
        raise ValidationError(errors)
    report.considered_at = item
    report.status = outcome
    report.save(update_fields=["considered_at", "status", "updated_at"])
    return report


# The roll-up -----------------------------------------------------------------------------------


def reporting_bodies(
    body: Body, starts_on: datetime.date, ends_on: datetime.date, *, whole_tree: bool
) -> set[int]:
    """Ids of the bodies that report to the body in the period (and beneath them, if asked):
    one query per level."""
    found: set[int] = set()
    level = {body.pk}
    while level:
        below = (
            set(
                ReportingLine.objects.filter(to_body_id__in=level, kind__in=REPORTING_KINDS)
                .current_between(starts_on, ends_on + datetime.timedelta(days=1))
                .values_list("from_body_id", flat=True)
            )
            - found
            - {body.pk}
        )
        found |= below
        level = below if whole_tree else set()
    return found


def compile_roll_up(
    *, report: AnnualReport, include_whole_tree: bool = False, by
) -> list[AnnualReport]:
    """Compile the submitted reports of the bodies beneath for the same period into the report,
    adding a line for each of their work areas the report does not yet cover."""
    _require_draft(report)
    beneath = reporting_bodies(
        report.body,
        report.period_starts_on,
        report.period_ends_on,
        whole_tree=include_whole_tree,
    )
    compiled = list(
        AnnualReport.objects.filter(
            body_id__in=beneath,
            receiving_body_id__in=beneath | {report.body_id},
            kind=report.kind,
            period_starts_on=report.period_starts_on,
            status__in=SUBMITTED_STATUSES,
        )
        .exclude(pk=report.pk)
        .select_related("body")
        .order_by("body__name")
    )
    if not compiled:
        raise ValidationError(
            "No bodies beneath have submitted a report for this period yet, so there is "
            "nothing to compile"
        )
    with transaction.atomic():
        report.compiles.set(compiled)
        existing = list(report.lines.all())
        new = _lines_from(compiled, existing=existing)
        start = max((line.order for line in existing), default=0)
        for order, line in enumerate(new, start=start + 1):
            line.report, line.order = report, order
        ReportLine.objects.bulk_create(new)
    return compiled


@dataclasses.dataclass
class RollUpRow:
    """Red, amber and green counts for one priority or work area across the compiled reports."""

    priority: str
    title: str
    red: int
    amber: int
    green: int
    not_rated: int

    @property
    def total(self) -> int:
        return self.red + self.amber + self.green + self.not_rated


@dataclasses.dataclass
class RollUpSummary:
    rows: list[RollUpRow]
    # (source body, its escalations), by body name
    escalations: list[tuple[Body, list[Escalation]]]

    @property
    def counts(self) -> dict[str, dict[str, int]]:
        """Counts keyed by work area (or priority, or line) title."""
        return {
            row.title: {"red": row.red, "amber": row.amber, "green": row.green} for row in self.rows
        }


def roll_up_summary(report: AnnualReport) -> RollUpSummary:
    """The combined RAG of the compiled reports per work area, and their escalations: two
    queries."""
    compiled = AnnualReport.objects.filter(compiled_into=report)
    counts = (
        ReportLine.objects.filter(report__in=compiled)
        .values(
            key=Coalesce("work_area__name", "priority__title", "title"),
            priority_title=Coalesce("priority__title", "work_area__priority__title"),
            priority_number=Coalesce("priority__number", "work_area__priority__number"),
        )
        .annotate(
            red=Count("pk", filter=Q(rag=RAG.RED)),
            amber=Count("pk", filter=Q(rag=RAG.AMBER)),
            green=Count("pk", filter=Q(rag=RAG.GREEN)),
            not_rated=Count("pk", filter=Q(rag="")),
        )
        .order_by("priority_number", "work_area__order", "key")
    )
    rows = [
        RollUpRow(
            priority=row["priority_title"] or "",
            title=row["key"],
            red=row["red"],
            amber=row["amber"],
            green=row["green"],
            not_rated=row["not_rated"],
        )
        for row in counts
    ]
    by_body: dict[int, list[Escalation]] = defaultdict(list)
    bodies = {}
    escalations = (
        Escalation.objects.filter(report__in=compiled)
        .select_related("report__body")
        .order_by("report__body__name", "order", "pk")
    )
    for escalation in escalations:
        bodies[escalation.report.body_id] = escalation.report.body
        by_body[escalation.report.body_id].append(escalation)
    return RollUpSummary(
        rows=rows, escalations=[(bodies[pk], items) for pk, items in by_body.items()]
    )
