from django.urls import path

from .views import directory, history, imports, structure, terms

app_name = "partnerships"

urlpatterns = [
    path("", directory.PartnershipListView.as_view(), name="partnership-list"),
    path("new/", directory.PartnershipCreateView.as_view(), name="partnership-create"),
    path("import/", imports.import_structure, name="structure-import"),
    path("history/<str:model>/<int:pk>/", history.object_history, name="object-history"),
    path("bodies/", directory.BodyListView.as_view(), name="body-list"),
    path("bodies/new/", directory.BodyCreateView.as_view(), name="body-create"),
    path("bodies/<slug:slug>/", directory.BodyDetailView.as_view(), name="body-detail"),
    path("bodies/<slug:slug>/edit/", directory.BodyUpdateView.as_view(), name="body-update"),
    path("bodies/<slug:slug>/status/", directory.record_status, name="body-status-create"),
    path("bodies/<slug:slug>/lines/new/", directory.add_line, name="reporting-line-create"),
    path("lines/<int:pk>/edit/", directory.edit_line, name="reporting-line-update"),
    path("bodies/<slug:slug>/terms/", terms.TermsListView.as_view(), name="tor-list"),
    path("bodies/<slug:slug>/terms/new/", terms.new_draft, name="tor-create"),
    path("bodies/<slug:slug>/terms/compare/", terms.compare_versions, name="tor-diff"),
    path(
        "bodies/<slug:slug>/terms/<int:version>/",
        terms.TermsDetailView.as_view(),
        name="tor-detail",
    ),
    path("bodies/<slug:slug>/terms/<int:version>/edit/", terms.edit_draft, name="tor-update"),
    path("bodies/<slug:slug>/terms/<int:version>/agree/", terms.agree, name="tor-agree"),
    path("<slug:slug>/", directory.PartnershipDetailView.as_view(), name="partnership-detail"),
    path("<slug:slug>/edit/", directory.PartnershipUpdateView.as_view(), name="partnership-update"),
    path("<slug:slug>/structure/", structure.chart, name="structure-chart"),
    path("<slug:slug>/structure/compare/", structure.compare_dates, name="structure-diff"),
    path("<slug:slug>/structure.<str:fmt>", structure.download, name="structure-download"),
]
