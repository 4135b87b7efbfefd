from django.urls import path

from .views import compliance, imports, people, roster

app_name = "membership"

urlpatterns = [
    path("bodies/<slug:slug>/", roster.RosterView.as_view(), name="roster"),
    path("bodies/<slug:slug>/roster.<str:fmt>", imports.export_roster, name="roster-export"),
    path("bodies/<slug:slug>/compliance/", compliance.body_compliance, name="body-compliance"),
    path("bodies/<slug:slug>/seats/new/", roster.create_seat, name="seat-create"),
    path("seats/<int:pk>/edit/", roster.edit_seat, name="seat-update"),
    path("seats/<int:pk>/appoint/", roster.appoint, name="appoint"),
    path("seats/<int:pk>/substitutes/new/", roster.add_substitute, name="substitute-create"),
    path("memberships/<int:pk>/end/", roster.end_membership, name="membership-end"),
    path("people/", people.PersonListView.as_view(), name="person-list"),
    path("people/new/", people.PersonCreateView.as_view(), name="person-create"),
    path("people/<int:pk>/", people.PersonDetailView.as_view(), name="person-detail"),
    path("people/<int:pk>/edit/", people.PersonUpdateView.as_view(), name="person-update"),
    path("people/<int:pk>/interests/new/", people.add_interest, name="interest-create"),
    path(
        "organisations/<int:pk>/",
        people.OrganisationDetailView.as_view(),
        name="organisation-detail",
    ),
    path("vacancies/", roster.VacancyListView.as_view(), name="vacancy-list"),
    path(
        "partnerships/<slug:slug>/compliance/",
        compliance.partnership_compliance,
        name="partnership-compliance",
    ),
    path("partnerships/<slug:slug>/overlap/", people.overlap, name="overlap"),
    path("import/", imports.import_roster, name="roster-import"),
]
