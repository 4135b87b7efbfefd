"""Site-wide pages: home, accessibility statement, health check, and the benchmark baseline."""

from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.http import HttpResponse, JsonResponse
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.generic import TemplateView


@login_not_required
@never_cache
@require_GET
def healthz(request):
    """For load balancers: 200 when the database answers, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "unavailable", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@method_decorator(login_not_required, name="dispatch")
class HomeView(TemplateView):
    template_name = "home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.request.user.is_authenticated:
            context["roles"] = [group.name for group in self.request.user.groups.all()]
        return context


@method_decorator(login_not_required, name="dispatch")
class AccessibilityStatementView(TemplateView):
    template_name = "accessibility.html"


@never_cache
@require_GET
def bench_baseline(request):
    """The yardstick for bench/run: one trivial query behind the whole middleware stack.

    Signed-in only, like the pages it is compared with, so each request also loads the session
    and the user. Mounted only when BENCHMARK_VIEWS is set (config/urls.py).
    """
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        (one,) = cursor.fetchone()
    return HttpResponse(f"ok {one} {request.user.pk}\n", content_type="text/plain; charset=utf-8")
