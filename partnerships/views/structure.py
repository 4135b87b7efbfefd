"""A partnership's structure chart on a date, the changes between two dates, and downloads."""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django import forms
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.http import content_disposition_header, urlencode
from django.utils.safestring import mark_safe

from .. import chart as charts
from ..models import Body, BodyStatus, Organisation, Partnership, ReportingLine
from ..structure import Structure, compare, structure_on

# The date input sends YYYY-MM-DD; browsers without one leave a text box people may type into.
DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]
INVALID_DATE = "Enter a real date, like 2015-09-01"

DOWNLOADS = {
    "svg": ("image/svg+xml", charts.to_svg_file),
    "png": ("image/png", charts.to_png),
    "pdf": ("application/pdf", charts.to_pdf),
}


def _date_field(label: str) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=False,
        input_formats=DATE_FORMATS,
        error_messages={"invalid": INVALID_DATE},
    )


class StructureDateForm(forms.Form):
    """The date to draw the structure on; today if left empty."""

    on = _date_field("Show the structure on")

    def date(self) -> datetime.date:
        return self.cleaned_data["on"] or timezone.localdate()


class CompareDatesForm(forms.Form):
    """Two dates to compare; a year ago and today if left empty."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The query string says ?from=…&to=…, and `from` cannot be a class attribute.
        self.fields["from"] = _date_field("Compare the structure on")
        self.fields["to"] = _date_field("with the structure on")

    def clean(self):
        cleaned = super().clean()
        if "from" in cleaned and "to" in cleaned:
            later = cleaned["to"] or timezone.localdate()
            earlier = cleaned["from"] or _year_before(later)
            if earlier > later:
                self.add_error(
                    "to", f"The second date must be the same as or after {_long_date(earlier)}"
                )
            cleaned["from"], cleaned["to"] = earlier, later
        return cleaned


@dataclass(frozen=True)
class LineCell:
    """How the table of bodies shows one reporting line."""

    kind: str
    target: Body | Organisation
    # Set when the target is not one of the bodies in the chart, saying why.
    note: str
    url: str


@dataclass(frozen=True)
class BodyRow:
    """A row of the table of bodies that mirrors the chart."""

    body: Body
    status: str
    reports_to: LineCell | None
    other_lines: list[LineCell]


@login_not_required
def chart(request, slug):
    partnership = get_object_or_404(Partnership, slug=slug)
    form = StructureDateForm(request.GET)
    context = {"partnership": partnership, "form": form}
    if form.is_valid():
        structure = structure_on(partnership, form.date())
        context |= {
            "on": structure.on,
            "structure": structure,
            "svg": _inline(charts.render_structure(structure)),
            "rows": _body_rows(structure),
            "compare_from": _year_before(structure.on),
        }
    return render(request, "partnerships/structure_chart.html", context)


@login_not_required
def compare_dates(request, slug):
    partnership = get_object_or_404(Partnership, slug=slug)
    form = CompareDatesForm(request.GET)
    context = {"partnership": partnership, "form": form}
    if form.is_valid():
        before, after = form.cleaned_data["from"], form.cleaned_data["to"]
        diff = compare(partnership, before, after)
        context |= {
            "diff": diff,
            "dates_query": urlencode({"from": before.isoformat(), "to": after.isoformat()}),
            "svg": _inline(charts.render_diff(diff)),
            "bodies_added": sorted(diff.bodies_added, key=_by_name),
            "bodies_removed": sorted(diff.bodies_removed, key=_by_name),
            "lines_added": sorted(diff.lines_added, key=_line_order),
            "lines_removed": sorted(diff.lines_removed, key=_line_order),
            "line_changes": [
                (change, ", ".join(change.changes))
                for change in sorted(
                    diff.lines_changed, key=lambda change: _line_order(change.after)
                )
            ],
            "status_changes": [
                (change, BodyStatus(change.before).label, BodyStatus(change.after).label)
                for change in sorted(diff.status_changes, key=lambda change: _by_name(change.body))
            ],
        }
    return render(request, "partnerships/structure_diff.html", context)


@login_not_required
def download(request, slug, fmt):
    if fmt not in DOWNLOADS:
        raise Http404("No such download format")
    partnership = get_object_or_404(Partnership, slug=slug)
    if "from" in request.GET or "to" in request.GET:
        form = CompareDatesForm(request.GET)
        if not form.is_valid():
            return HttpResponseBadRequest(_first_error(form), content_type="text/plain")
        before, after = form.cleaned_data["from"], form.cleaned_data["to"]
        drawing = charts.render_diff(compare(partnership, before, after), standalone=True)
        filename = f"{partnership.slug}-structure-changes-{before}-to-{after}.{fmt}"
    else:
        form = StructureDateForm(request.GET)
        if not form.is_valid():
            return HttpResponseBadRequest(_first_error(form), content_type="text/plain")
        structure = structure_on(partnership, form.date())
        drawing = charts.render_structure(structure, standalone=True)
        filename = f"{partnership.slug}-structure-{structure.on}.{fmt}"
    content_type, convert = DOWNLOADS[fmt]
    try:
        content = convert(drawing)
    except charts.ConversionUnavailable:
        return HttpResponse(
            "PNG and PDF downloads are not available on this server. Download the SVG instead.",
            content_type="text/plain",
            status=503,
        )
    return HttpResponse(
        content,
        content_type=content_type,
        headers={
            "Content-Disposition": content_disposition_header(as_attachment=True, filename=filename)
        },
    )


def _inline(drawing: charts.Chart):
    # chart.py escapes every piece of text it puts in the SVG, so the markup is safe to embed.
    return mark_safe(drawing.svg)  # noqa: S308  # nosec B308  # chart.py escapes all text


def _body_rows(structure: Structure) -> list[BodyRow]:
    inside = {body.pk for body in structure.bodies}
    primary, others = {}, defaultdict(list)
    for line in structure.lines:
        cell = _line_cell(line, structure, inside)
        if line.is_primary:
            primary[line.from_body_id] = cell
        else:
            others[line.from_body_id].append(cell)
    return [
        BodyRow(
            body=body,
            status=BodyStatus(body.status_on_date).label,
            reports_to=primary.get(body.pk),
            other_lines=others[body.pk],
        )
        for body in charts.reading_order(structure)
    ]


def _line_cell(line: ReportingLine, structure: Structure, inside: set[int]) -> LineCell:
    if line.to_body_id in inside:
        note = ""
    else:
        note = charts.outside_note(line.target, structure.partnership).lower()
    url = line.to_body.get_absolute_url() if line.to_body_id else ""
    return LineCell(line.get_kind_display(), line.target, note, url)


def _by_name(body: Body) -> str:
    return body.name.lower()


def _line_order(line: ReportingLine) -> tuple[str, str, str]:
    return (line.from_body.name.lower(), line.target.name.lower(), line.kind)


def _first_error(form: forms.Form) -> str:
    return next(iter(form.errors.values()))[0]


def _year_before(day: datetime.date) -> datetime.date:
    if day.year == datetime.MINYEAR:
        return day
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        # 29 February has no counterpart a year earlier.
        return day.replace(year=day.year - 1, day=28)


def _long_date(value: datetime.date) -> str:
    return f"{value.day} {value:%B %Y}"
