"""Importing bodies from a CSV file: check it with a dry run, then import it."""

from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from .. import importer
from ..csvfiles import check_then_import


@require_http_methods(["GET", "POST"])
def import_structure(request):
    """Check an uploaded file without saving; import the checked file when asked."""
    if not request.user.has_perm("partnerships.add_body"):
        raise PermissionDenied
    return check_then_import(
        request,
        import_file=importer.import_structure,
        columns=importer.COLUMNS,
        template_name="partnerships/import.html",
        imported_url=lambda result: reverse("partnerships:partnership-list"),
    )
