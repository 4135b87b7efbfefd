from django.urls import path

from .views import analytics, exports, funding, reports

app_name = "reports"

urlpatterns = [
    path("", reports.report_list, name="report-list"),
    path("new/", reports.create_report, name="report-create"),
    path("bodies/<slug:slug>/", reports.body_reports, name="body-reports"),
    path("<int:pk>/", reports.report_detail, name="report-detail"),
    path("<int:pk>/edit/", reports.edit_report, name="report-update"),
    path("<int:pk>/submit/", reports.submit, name="report-submit"),
    path("<int:pk>/receive/", reports.receive, name="report-receive"),
    path("<int:pk>/roll-up/", reports.roll_up, name="report-rollup"),
    path("<int:pk>/export.<str:fmt>", exports.export_report, name="report-export"),
    path("analytics/<slug:slug>/", analytics.dashboard, name="analytics"),
    path("analytics/<slug:slug>/health/", analytics.health, name="partnership-health"),
    path("funding/", funding.funding_list, name="funding-list"),
    path("funding/streams/new/", funding.create_stream, name="stream-create"),
    path("funding/streams/<int:pk>/", funding.stream_detail, name="stream-detail"),
    path("funding/streams/<int:pk>/allocations/new/", funding.allocate, name="allocation-create"),
    path("funding/posts/new/", funding.create_post, name="post-create"),
    path("funding/pools/new/", funding.create_pool, name="pool-create"),
    path("funding/pools/<int:pk>/", funding.pool_detail, name="pool-detail"),
]
