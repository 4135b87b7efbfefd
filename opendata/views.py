"""The open data page for developers, and the CSV bundle's download and on-demand rebuild."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import http_date
from django.views.decorators.http import require_POST, require_safe

from partnerships.models import Body
from partnerships.roles import Role, has_role

from . import bundle, tasks
from .openapi import LISTS


def can_rebuild(user) -> bool:
    return has_role(user, Role.PARTNERSHIP_MANAGER, Role.DEMOCRATIC_SERVICES)


@login_not_required
@require_safe
def developers(request):
    built_at = (
        default_storage.get_modified_time(bundle.STORED_AS)
        if default_storage.exists(bundle.STORED_AS)
        else None
    )
    return render(
        request,
        "opendata/api.html",
        {
            "lists": LISTS,
            "tables": bundle.TABLES,
            "bodies": list(Body.objects.order_by("name").only("name", "slug")),
            "built_at": built_at,
            "can_rebuild": can_rebuild(request.user),
        },
    )


@login_not_required
@require_safe
def download_bundle(request):
    """The latest bundle, built now if there is none yet."""
    if not default_storage.exists(bundle.STORED_AS):
        bundle.publish()
        tasks.schedule_nightly_bundle()
    built_at = default_storage.get_modified_time(bundle.STORED_AS)
    response = FileResponse(
        default_storage.open(bundle.STORED_AS, "rb"),
        as_attachment=True,
        filename=f"public-record-{timezone.localtime(built_at):%Y-%m-%d}.zip",
        content_type="application/zip",
    )
    response["Last-Modified"] = http_date(built_at.timestamp())
    response["Cache-Control"] = "public, max-age=300"
    return response


@require_POST
def rebuild_bundle(request):
    if not can_rebuild(request.user):
        raise PermissionDenied
    tasks.rebuild_bundle.enqueue()
    tasks.schedule_nightly_bundle()
    messages.success(request, "The download is being rebuilt: it will be ready in a few minutes")
    return redirect("opendata:developers")
