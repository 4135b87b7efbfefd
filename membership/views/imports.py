"""Rosters as files: export a body's roster as CSV or XLSX; check and import a roster CSV."""

from django import forms
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_http_methods, require_safe

from partnerships.csvfiles import check_then_import
from partnerships.models import Body

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
    return check_then_import(
        request,
        import_file=importer.import_roster,
        columns=importer.COLUMNS,
        template_name="membership/import.html",
        imported_url=lambda result: reverse(
            "membership:roster", kwargs={"slug": result.body_slugs[0]}
        ),
    )
