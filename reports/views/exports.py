"""A report as a PDF or Word download, read through the visibility layer."""

from django.http import Http404, HttpResponse
from django.utils.cache import patch_cache_control

from ..exports import FORMATS, exported, filename, render_docx, render_pdf
from ..models import AnnualReport

RENDERERS = {"pdf": render_pdf, "docx": render_docx}


def export_report(request, pk, fmt):
    if fmt not in FORMATS:
        raise Http404("No such format")
    report = (
        AnnualReport.objects.visible_to(request.user)
        .select_related(
            "body",
            "receiving_body",
            "submitted_by__person",
            "considered_at__meeting__body",
            "considered_at__parent",
        )
        .filter(pk=pk)
        .first()
    )
    if report is None:
        raise Http404("No such report")
    response = HttpResponse(RENDERERS[fmt](exported(report)), content_type=FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename(report, fmt)}"'
    if report.status == AnnualReport.Status.DRAFTING:
        patch_cache_control(response, private=True, no_store=True)
    else:
        patch_cache_control(response, private=True)
    return response
