from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import sessions, views

admin.site.site_header = settings.SERVICE_NAME
admin.site.site_title = settings.SERVICE_NAME
admin.site.index_title = "Administration"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("accessibility/", views.AccessibilityStatementView.as_view(), name="accessibility"),
    path("healthz", views.healthz, name="healthz"),
    path(
        "sign-in/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("sign-in/two-factor/", sessions.verify_two_factor, name="two-factor-verify"),
    path("sign-out/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/two-factor/", sessions.set_up_two_factor, name="two-factor-set-up"),
    path(
        "account/password/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "account/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("partnerships/", include("partnerships.urls")),
    path("membership/", include("membership.urls")),
    path("meetings/", include("meetings.urls")),
    path("reports/", include("reports.urls")),
    path("search/", include("search.urls")),
    path("subscriptions/", include("subscriptions.urls")),
    path("", include("opendata.urls")),
    path("admin/login/", sessions.admin_sign_in),
    path("admin/", admin.site.urls),
]

# The baseline view for bench/run; never mounted unless the benchmark asks for it.
bench_urlpatterns = [path("_bench/baseline/", views.bench_baseline, name="bench-baseline")]
if settings.BENCHMARK_VIEWS:
    urlpatterns += bench_urlpatterns
