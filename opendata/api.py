"""The read-only Popolo API under /api/v1/: plain Django views returning JSON.

Each list is paginated (`page`, `per_page`), takes `updated_since` for incremental sync, and
answers conditional requests (ETag, Last-Modified). Anonymous callers get the public record,
cacheable by anyone for five minutes; signed-in callers get what the visibility layer lets them
see, marked private and never stored.
"""

import datetime
import hashlib
from collections.abc import Callable

from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.http import http_date
from django.views.decorators.http import require_safe

from . import openapi, popolo
from .popolo import Viewer

PER_PAGE = 100
MAX_PER_PAGE = 500
PUBLIC_CACHE = "public, max-age=300"
PRIVATE_CACHE = "private, no-store"

# A list is one or more (rows, to_objects) sources, read one after another.
Sources = list[tuple[object, Callable]]


class BadRequest(Exception):
    pass


def _viewer(request) -> Viewer:
    return Viewer(user=request.user, absolute_url=request.build_absolute_uri)


def _since(request) -> datetime.datetime | None:
    value = request.GET.get("updated_since")
    if not value:
        return None
    moment = parse_datetime(value.replace(" ", "+"))
    if moment is None and (day := parse_date(value)) is not None:
        moment = datetime.datetime.combine(day, datetime.time())
    if moment is None:
        raise BadRequest(
            "updated_since must be an ISO 8601 date or date and time, "
            "like 2026-05-01 or 2026-05-01T09:30:00Z"
        )
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


def _positive(request, name: str, default: int, highest: int | None = None) -> int:
    value = request.GET.get(name, str(default))
    if not value.isdigit() or int(value) < 1:
        raise BadRequest(f"{name} must be a whole number from 1")
    return min(int(value), highest) if highest else int(value)


def _page_url(request, page: int) -> str:
    query = request.GET.copy()
    query["page"] = str(page)
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")


def _json(data, *, request, status: int = 200, last_modified=None) -> JsonResponse:
    response = JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = PRIVATE_CACHE if request.user.is_authenticated else PUBLIC_CACHE
    patch_vary_headers(response, ["Cookie"])
    if status != 200:
        return response
    etag = '"' + hashlib.sha256(response.content).hexdigest()[:32] + '"'
    response["ETag"] = etag
    timestamp = None
    if last_modified is not None:
        timestamp = int(last_modified.timestamp())
        response["Last-Modified"] = http_date(timestamp)
    return get_conditional_response(request, etag=etag, last_modified=timestamp, response=response)


def _collection(request, sources: Callable[[Viewer, datetime.datetime | None], Sources]):
    try:
        since = _since(request)
        page = _positive(request, "page", 1)
        per_page = _positive(request, "per_page", PER_PAGE, MAX_PER_PAGE)
    except BadRequest as error:
        return _json({"error": str(error)}, request=request, status=400)
    viewer = _viewer(request)
    parts = [(rows, to_objects, rows.count()) for rows, to_objects in sources(viewer, since)]
    count = sum(size for _, _, size in parts)
    pages = max(1, -(-count // per_page))
    if page > pages:
        return _json(
            {"error": f"There are {pages} pages at {per_page} a page"},
            request=request,
            status=404,
        )
    # Take this page's slice from the sources in turn.
    start, wanted, results = (page - 1) * per_page, per_page, []
    for rows, to_objects, size in parts:
        if start >= size:
            start -= size
            continue
        chunk = list(rows[start : start + wanted])
        results += to_objects(chunk, viewer)
        wanted -= len(chunk)
        start = 0
        if not wanted:
            break
    last_modified = max(
        (datetime.datetime.fromisoformat(o["updated_at"]) for o in results), default=None
    )
    data = {
        "count": count,
        "page": page,
        "pages": pages,
        "per_page": per_page,
        "next": _page_url(request, page + 1) if page < pages else None,
        "previous": _page_url(request, page - 1) if page > 1 else None,
        "results": results,
    }
    return _json(data, request=request, last_modified=last_modified)


@login_not_required
@require_safe
def index(request):
    names = ["organizations", "people", "posts", "memberships", "events", "schema"]
    return _json(
        {
            "name": "Partnership governance open data API",
            "version": "v1",
            "documentation": request.build_absolute_uri(reverse("opendata:developers")),
            "endpoints": {
                name: request.build_absolute_uri(reverse(f"opendata:api-{name}")) for name in names
            },
        },
        request=request,
    )


@login_not_required
@require_safe
def organizations(request):
    return _collection(
        request,
        lambda viewer, since: [
            (popolo.partnerships(since), popolo.partnership_objects),
            (popolo.bodies(since), popolo.body_objects),
            (popolo.organisations(since), popolo.organisation_objects),
        ],
    )


@login_not_required
@require_safe
def people(request):
    return _collection(
        request, lambda viewer, since: [(popolo.people(viewer, since), popolo.person_objects)]
    )


@login_not_required
@require_safe
def posts(request):
    return _collection(request, lambda viewer, since: [(popolo.posts(since), popolo.post_objects)])


@login_not_required
@require_safe
def memberships(request):
    return _collection(
        request, lambda viewer, since: [(popolo.memberships(since), popolo.membership_objects)]
    )


@login_not_required
@require_safe
def events(request):
    return _collection(
        request, lambda viewer, since: [(popolo.events(viewer, since), popolo.event_objects)]
    )


@login_not_required
@require_safe
def schema(request):
    server = request.build_absolute_uri(reverse("opendata:api-root"))
    return _json(openapi.document(server=server), request=request)
