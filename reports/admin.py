from django.contrib import admin

from .models import (
    AnnualReport,
    Escalation,
    FundingAllocation,
    FundingStream,
    Indicator,
    PooledFundAgreement,
    PoolShare,
    ReportLine,
    SupportPost,
)


class ReportLineInline(admin.TabularInline):
    model = ReportLine
    fields = ["order", "title", "work_area", "rag", "direction", "narrative"]
    extra = 0


class IndicatorInline(admin.TabularInline):
    model = Indicator
    extra = 0


class EscalationInline(admin.TabularInline):
    model = Escalation
    extra = 0


@admin.register(AnnualReport)
class AnnualReportAdmin(admin.ModelAdmin):
    list_display = ["__str__", "body", "receiving_body", "kind", "period_starts_on", "status"]
    list_filter = ["kind", "status"]
    list_select_related = ["body", "receiving_body"]
    search_fields = ["title", "body__name", "receiving_body__name"]
    autocomplete_fields = ["body", "receiving_body", "considered_at"]
    filter_horizontal = ["compiles"]
    readonly_fields = ["facts", "submitted_at", "submitted_by"]
    inlines = [ReportLineInline, IndicatorInline, EscalationInline]


class FundingAllocationInline(admin.TabularInline):
    model = FundingAllocation
    extra = 0
    autocomplete_fields = ["body"]


@admin.register(FundingStream)
class FundingStreamAdmin(admin.ModelAdmin):
    list_display = ["name", "funder", "amount_per_year", "starts_on", "ends_on"]
    list_select_related = ["funder"]
    search_fields = ["name"]
    autocomplete_fields = ["funder", "recipient_body"]
    inlines = [FundingAllocationInline]


@admin.register(SupportPost)
class SupportPostAdmin(admin.ModelAdmin):
    list_display = ["title", "employer", "fte", "ends_on"]
    list_select_related = ["employer"]
    search_fields = ["title"]
    autocomplete_fields = ["employer", "funded_by"]
    filter_horizontal = ["supports"]


class PoolShareInline(admin.TabularInline):
    model = PoolShare
    extra = 0
    autocomplete_fields = ["organisation"]


@admin.register(PooledFundAgreement)
class PooledFundAgreementAdmin(admin.ModelAdmin):
    list_display = ["name", "legal_basis", "host", "review_on"]
    list_filter = ["legal_basis"]
    list_select_related = ["host"]
    autocomplete_fields = ["host", "body"]
    inlines = [PoolShareInline]
