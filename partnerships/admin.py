from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from . import services
from .models import (
    Body,
    BodyStatusChange,
    Organisation,
    Partnership,
    Priority,
    ReportingLine,
    TermsOfReference,
    ToRSection,
    WorkArea,
)


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "kind"]
    list_filter = ["kind"]
    search_fields = ["name", "short_name", "aliases"]


@admin.register(Partnership)
class PartnershipAdmin(admin.ModelAdmin):
    list_display = ["name", "legal_basis", "lead_organisation"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]
    autocomplete_fields = ["lead_organisation"]


class BodyStatusChangeInline(admin.TabularInline):
    model = BodyStatusChange
    extra = 0


class ReportingLineAdminForm(forms.ModelForm):
    """Applies the service's rules (one primary line at a time, no loops) in the admin too."""

    def _post_clean(self):
        super()._post_clean()
        try:
            services.check_reporting_line(self.instance)
        except ValidationError as error:
            self.add_error(None, error)


class ReportingLineInline(admin.TabularInline):
    model = ReportingLine
    form = ReportingLineAdminForm
    fk_name = "from_body"
    extra = 0
    autocomplete_fields = ["to_body", "to_organisation"]


@admin.register(Body)
class BodyAdmin(admin.ModelAdmin):
    list_display = ["name", "partnership", "kind", "access_to_information", "meets_in_public"]
    list_filter = ["kind", "partnership", "access_to_information"]
    list_select_related = ["partnership"]
    search_fields = ["name", "short_name"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["predecessors"]
    inlines = [BodyStatusChangeInline, ReportingLineInline]


@admin.register(ReportingLine)
class ReportingLineAdmin(admin.ModelAdmin):
    list_display = [
        "from_body",
        "kind",
        "to_body",
        "to_organisation",
        "is_primary",
        "starts_on",
        "ends_on",
    ]
    list_filter = ["kind", "is_primary"]
    list_select_related = ["from_body", "to_body", "to_organisation"]
    autocomplete_fields = ["from_body", "to_body", "to_organisation"]
    form = ReportingLineAdminForm


class ToRSectionInline(admin.StackedInline):
    model = ToRSection
    extra = 0


@admin.register(TermsOfReference)
class TermsOfReferenceAdmin(admin.ModelAdmin):
    list_display = ["body", "version", "status", "agreed_on", "review_on"]
    list_filter = ["status"]
    list_select_related = ["body"]
    autocomplete_fields = ["body"]
    filter_horizontal = ["quorum_required_organisations"]
    inlines = [ToRSectionInline]


class WorkAreaInline(admin.TabularInline):
    model = WorkArea
    extra = 0
    autocomplete_fields = ["delivered_by"]


@admin.register(Priority)
class PriorityAdmin(admin.ModelAdmin):
    list_display = ["body", "number", "title"]
    list_select_related = ["body"]
    autocomplete_fields = ["body"]
    inlines = [WorkAreaInline]
