"""Changes to partnerships, bodies, reporting lines and terms of reference, with their rules."""

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.text import slugify

from .models import (
    ALLOWED_TRANSITIONS,
    Body,
    BodyStatus,
    BodyStatusChange,
    DatePrecision,
    Organisation,
    Partnership,
    ReportingLine,
    TermsOfReference,
    ToRSection,
    format_approximate_date,
)

EARLIEST = datetime.date.min
LATEST = datetime.date.max


def _date(value: datetime.date | None) -> str:
    return format_approximate_date(value, DatePrecision.DAY)


def unique_slug(model, text: str, *, exclude_pk=None) -> str:
    base = slugify(text)[:180] or "item"
    slug, n = base, 2
    taken = model.objects.exclude(pk=exclude_pk)
    while taken.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


# Lifecycle ------------------------------------------------------------------------------------


def check_status_history(changes: Iterable[tuple[datetime.date, str]]) -> None:
    """Raise ValidationError unless the dated statuses, in date order, follow the lifecycle.

    R-STR-3: proposed → shadow → active → under review → disbanded, replaced or completed.
    """
    previous = None
    for effective_on, status in sorted(changes, key=lambda change: change[0]):
        if status == previous:
            continue
        if status not in ALLOWED_TRANSITIONS.get(previous, set()):
            before = BodyStatus(previous).label.lower() if previous else "nothing"
            raise ValidationError(
                f"A body cannot go from {before} to {BodyStatus(status).label.lower()} "
                f"(on {_date(effective_on)}).",
                code="status_transition",
            )
        previous = status


@transaction.atomic
def record_status_change(
    *,
    body: Body,
    status: str,
    effective_on: datetime.date,
    precision: str = DatePrecision.DAY,
    note: str = "",
    by=None,
) -> BodyStatusChange:
    existing = list(body.status_changes.values_list("effective_on", "status"))
    check_status_history([*existing, (effective_on, status)])
    return BodyStatusChange.objects.create(
        body=body,
        status=status,
        effective_on=effective_on,
        effective_precision=precision,
        note=note,
    )


@transaction.atomic
def create_body(
    *,
    partnership: Partnership,
    name: str,
    kind: str,
    status: str = BodyStatus.ACTIVE,
    status_on: datetime.date,
    status_precision: str = DatePrecision.DAY,
    by=None,
    **fields,
) -> Body:
    """A new body with the first step of its lifecycle."""
    check_status_history([(status_on, status)])
    body = Body(partnership=partnership, name=name, kind=kind, **fields)
    body.slug = body.slug or unique_slug(Body, name)
    body.full_clean()
    body.save()
    BodyStatusChange.objects.create(
        body=body, status=status, effective_on=status_on, effective_precision=status_precision
    )
    return body


# Reporting lines ------------------------------------------------------------------------------


def _in_force(line, on: datetime.date) -> bool:
    return (line["starts_on"] or EARLIEST) <= on < (line["ends_on"] or LATEST)


def find_primary_cycle(
    *, from_body_id: int, to_body_id: int, starts_on, ends_on, exclude_pk=None
) -> tuple[datetime.date, list[int]] | None:
    """If a primary line from → to over [starts_on, ends_on) would close a loop, return when and
    the bodies the loop passes through (starting at `to`); otherwise None."""
    lines = list(
        ReportingLine.objects.primary()
        .filter(to_body__isnull=False)
        .exclude(pk=exclude_pk)
        .values("from_body_id", "to_body_id", "starts_on", "ends_on")
    )
    start, end = starts_on or EARLIEST, ends_on or LATEST
    moments = {start} | {
        day
        for line in lines
        for day in (line["starts_on"], line["ends_on"])
        if day and start < day < end
    }
    for moment in sorted(moments):
        up = {line["from_body_id"]: line["to_body_id"] for line in lines if _in_force(line, moment)}
        path, node = [to_body_id], to_body_id
        while node in up and node != from_body_id and len(path) <= len(up) + 1:
            node = up[node]
            path.append(node)
        if node == from_body_id:
            return moment, path
    return None


def check_reporting_line(line: ReportingLine) -> None:
    """Raise ValidationError if the line breaks a structural rule (R-STR-1, R-STR-2)."""
    if line.to_body_id and line.to_body_id == line.from_body_id:
        raise ValidationError("A body cannot report to itself.", code="self")
    if line.starts_on and line.ends_on and line.ends_on <= line.starts_on:
        raise ValidationError(
            {"ends_on": "The end date must be after the start date."}, code="dates"
        )
    if line.to_body_id and line.starts_on:
        ended = (
            BodyStatusChange.objects.filter(
                body_id=line.to_body_id,
                status__in=[BodyStatus.DISBANDED, BodyStatus.REPLACED, BodyStatus.COMPLETED],
                effective_on__lte=line.starts_on,
            )
            .order_by("effective_on")
            .first()
        )
        if ended:
            raise ValidationError(
                f"{line.to_body} was {ended.get_status_display().lower()} on "
                f"{ended.effective_display}, before this line would start.",
                code="target_ended",
            )
    if not line.is_primary:
        return
    clash = (
        ReportingLine.objects.primary()
        .filter(from_body_id=line.from_body_id)
        .exclude(pk=line.pk)
        .select_related("to_body", "to_organisation")
    )
    clash = clash.current_between(line.starts_on, line.ends_on).first()
    if clash:
        since = f" from {_date(clash.starts_on)}" if clash.starts_on else ""
        until = f" until {_date(clash.ends_on)}" if clash.ends_on else ""
        raise ValidationError(
            f"{line.from_body} already has a primary reporting line to {clash.target}{since}"
            f"{until}. A body has one primary line at a time: end that line first, or make "
            "this one secondary.",
            code="second_primary",
        )
    if line.to_body_id:
        cycle = find_primary_cycle(
            from_body_id=line.from_body_id,
            to_body_id=line.to_body_id,
            starts_on=line.starts_on,
            ends_on=line.ends_on,
            exclude_pk=line.pk,
        )
        if cycle:
            moment, path = cycle
            names = dict(Body.objects.filter(pk__in=path).values_list("pk", "name"))
            through = [names[pk] for pk in path[1:-1]]
            via = f" through {', '.join(through)}" if through else ""
            when = "" if moment == EARLIEST else f" on {_date(moment)}"
            raise ValidationError(
                f"{line.from_body} cannot report to {line.to_body}: {line.to_body} already "
                f"reports{via} to {line.from_body}{when}, so the primary lines would go round "
                "in a circle.",
                code="cycle",
            )


@transaction.atomic
def add_reporting_line(
    *,
    from_body: Body,
    to_body: Body | None = None,
    to_organisation: Organisation | None = None,
    kind: str = ReportingLine.Kind.REPORTS_TO,
    cadence: str = "",
    starts_on: datetime.date | None = None,
    ends_on: datetime.date | None = None,
    is_primary: bool = False,
    note: str = "",
    by=None,
) -> ReportingLine:
    line = ReportingLine(
        from_body=from_body,
        to_body=to_body,
        to_organisation=to_organisation,
        kind=kind,
        cadence=cadence,
        starts_on=starts_on,
        ends_on=ends_on,
        is_primary=is_primary,
        note=note,
    )
    save_reporting_line(line=line, by=by)
    return line


@transaction.atomic
def save_reporting_line(*, line: ReportingLine, by=None) -> ReportingLine:
    """Check and save a new or changed line. Rows are locked so two edits cannot both pass."""
    list(ReportingLine.objects.select_for_update().filter(is_primary=True).values_list("pk"))
    check_reporting_line(line)
    try:
        with transaction.atomic():
            line.save()
    except IntegrityError as error:
        # The database constraints are the last word if a rule check was raced.
        raise ValidationError(f"The reporting line could not be saved: {error}") from error
    return line


# Terms of reference ---------------------------------------------------------------------------

COPIED_FIELDS = [
    "meetings_per_year",
    "frequency_note",
    "quorum_count",
    "quorum_fraction",
    "quorum_basis",
    "quorum_counts_advisors",
    "quorum_requires_chair",
]


@transaction.atomic
def draft_terms_of_reference(
    *, body: Body, based_on: TermsOfReference | None = None, by=None
) -> TermsOfReference:
    """A new draft version, copied from `based_on` (by default the latest version) if any."""
    latest = body.terms_of_reference.select_for_update().order_by("-version").first()
    based_on = based_on or latest
    terms = TermsOfReference(body=body, version=(latest.version + 1) if latest else 1)
    if based_on:
        for field in COPIED_FIELDS:
            setattr(terms, field, getattr(based_on, field))
        terms.review_on = based_on.review_on
    terms.save()
    if based_on:
        terms.quorum_required_organisations.set(based_on.quorum_required_organisations.all())
        ToRSection.objects.bulk_create(
            ToRSection(terms=terms, order=s.order, kind=s.kind, heading=s.heading, text=s.text)
            for s in based_on.sections.all()
        )
    return terms


@transaction.atomic
def agree_terms_of_reference(
    *,
    terms: TermsOfReference,
    agreed_on: datetime.date,
    effective_on: datetime.date | None = None,
    by=None,
) -> TermsOfReference:
    """Agree a draft; the version it replaces becomes superseded (R-TOR)."""
    terms = TermsOfReference.objects.select_for_update().get(pk=terms.pk)
    if terms.status != TermsOfReference.Status.DRAFT:
        raise ValidationError(
            f"Version {terms.version} is {terms.get_status_display().lower()}: "
            "only a draft can be agreed."
        )
    if not terms.sections.exists():
        raise ValidationError("Add at least one section before agreeing these terms of reference.")
    TermsOfReference.objects.filter(body=terms.body, status=TermsOfReference.Status.AGREED).update(
        status=TermsOfReference.Status.SUPERSEDED
    )
    terms.status = TermsOfReference.Status.AGREED
    terms.agreed_on = agreed_on
    terms.effective_on = effective_on or agreed_on
    terms.save(update_fields=["status", "agreed_on", "effective_on", "updated_at"])
    return terms


@transaction.atomic
def save_draft_sections(*, terms: TermsOfReference, sections: list[dict], by=None) -> None:
    """Replace a draft's sections with these, numbered in order. Agreed versions never change."""
    terms = TermsOfReference.objects.select_for_update().get(pk=terms.pk)
    if terms.status != TermsOfReference.Status.DRAFT:
        raise ValidationError("Only a draft can be edited: start a new version instead.")
    terms.sections.all().delete()
    ToRSection.objects.bulk_create(
        ToRSection(
            terms=terms, order=n, kind=s["kind"], heading=s.get("heading", ""), text=s["text"]
        )
        for n, s in enumerate(sections, start=1)
    )
