"""Rosters as files: export a body's roster as CSV or XLSX; check and import a roster CSV."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_http_methods, require_safe

from partnerships.models import Body

# The structure import's form is generic: a CSV file, or the text of one already checked.
from partnerships.views.imports import StructureImportForm as RosterImportForm

from .. import importer
from ..visibility import can_see_withheld_names

EXPORTS = {
    "csv": ("text/csv; charset=utf-8", importer.as_csv),
    "xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        importer.as_xlsx,
    ),
}


class RosterDateForm(forms.Form):
    """The date to export the roster as at; today if left empty."""

    on = forms.DateField(
        required=False,
        input_formats=["%Y-%m-%d"],
        error_messages={"invalid": "Enter the date as YYYY-MM-DD, for example 2009-08-01"},
    )


@login_not_required
@require_safe
def export_roster(request, slug, fmt):
    """The roster on a date as a file; names withheld from the public stay withheld."""
    if fmt not in EXPORTS:
        raise Http404("No such export format")
    body = get_object_or_404(Body, slug=slug)
    form = RosterDateForm(request.GET)
    if not form.is_valid():
        return HttpResponseBadRequest(form.errors["on"][0], content_type="text/plain")
    on = form.cleaned_data["on"] or timezone.localdate()
    names_visible = can_see_withheld_names(request.user)
    rows = importer.roster_rows(body, on=on, names_visible=names_visible)
    content_type, write = EXPORTS[fmt]
    filename = f"{body.slug}-roster-{on.isoformat()}.{fmt}"
    response = HttpResponse(
        write(rows),
        content_type=content_type,
        headers={
            "Content-Disposition": content_disposition_header(as_attachment=True, filename=filename)
        },
    )
    if names_visible:
        # It may hold children's names: no shared cache may keep a copy.
        response["Cache-Control"] = "private, no-store"
    return response


@require_http_methods(["GET", "POST"])
def import_roster(request):
    """Check an uploaded roster without saving; import the checked file when asked."""
    if not request.user.has_perm("membership.add_membership"):
        raise PermissionDenied
    bound = request.method == "POST"
    form = RosterImportForm(request.POST if bound else None, request.FILES if bound else None)
    result = checked_content = None
    if form.is_valid():
        data = form.cleaned_data["data"]
        confirmed = bool(form.cleaned_data["content"])
        result = importer.import_roster(data, dry_run=not confirmed, by=request.user)
        if result.ok and confirmed:
            messages.success(request, result.describe())
            return redirect("membership:roster", slug=result.body_slugs[0])
        if result.ok:
            # A clean dry run means the bytes are UTF-8, so the text survives the round trip.
            checked_content = data.decode("utf-8-sig")
    return render(
        request,
        "membership/import.html",
        {
            "form": form,
            "result": result,
            "checked_content": checked_content,
            "columns": importer.COLUMNS,
        },
    )
