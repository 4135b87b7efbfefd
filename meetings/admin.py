from django.contrib import admin

from .models import (
    Action,
    ActionUpdate,
    AgendaItem,
    Attendance,
    CalendarToken,
    Decision,
    Declaration,
    Meeting,
    MinuteCorrection,
    MinuteEntry,
    Minutes,
    Paper,
    Ratification,
)


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    fields = ["order", "parent", "kind", "title", "purpose", "is_exempt", "is_late"]
    extra = 0
    show_change_link = True


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["__str__", "body", "starts_at", "status", "is_public", "agenda_published_at"]
    list_filter = ["status", "kind", "is_public"]
    list_select_related = ["body"]
    search_fields = ["title", "body__name", "venue"]
    date_hierarchy = "starts_at"
    autocomplete_fields = ["body"]
    filter_horizontal = ["linked_meetings"]
    inlines = [AgendaItemInline]


class PaperInline(admin.TabularInline):
    model = Paper
    fields = ["title", "file", "original_name", "content_type", "is_exempt", "exempt_paragraph"]
    readonly_fields = ["original_name", "content_type"]
    extra = 0


@admin.register(AgendaItem)
class AgendaItemAdmin(admin.ModelAdmin):
    list_display = ["__str__", "meeting", "kind", "is_exempt", "is_late"]
    list_filter = ["kind", "is_exempt", "is_late"]
    list_select_related = ["meeting__body", "parent"]
    search_fields = ["title", "meeting__body__name"]
    autocomplete_fields = ["meeting", "presenter", "parent"]
    filter_horizontal = ["concerns_organisations"]
    inlines = [PaperInline]


@admin.register(Paper)
class PaperAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "item", "content_type", "size", "is_exempt"]
    list_filter = ["kind", "is_exempt", "content_type"]
    list_select_related = ["item__meeting__body", "item__parent"]
    search_fields = ["title", "original_name"]
    autocomplete_fields = ["item"]


@admin.register(Attendance)
class AttendanceAdmin(admin.ModelAdmin):
    list_display = ["meeting", "person", "name", "status", "substitute_for"]
    list_filter = ["status"]
    list_select_related = ["meeting__body", "person", "substitute_for"]
    autocomplete_fields = ["meeting", "person", "seat", "substitute_for"]


@admin.register(Declaration)
class DeclarationAdmin(admin.ModelAdmin):
    list_display = ["meeting", "item", "person", "withdrew"]
    list_select_related = ["meeting__body", "item__parent", "person"]
    autocomplete_fields = ["meeting", "item", "person"]


class MinuteEntryInline(admin.StackedInline):
    model = MinuteEntry
    fields = ["item", "text", "resolution", "version"]
    readonly_fields = ["version"]
    extra = 0


@admin.register(Minutes)
class MinutesAdmin(admin.ModelAdmin):
    list_display = ["meeting", "status", "approved_at", "approved_on", "signed_by"]
    list_filter = ["status"]
    list_select_related = ["meeting__body", "approved_at__body", "signed_by"]
    autocomplete_fields = ["meeting", "approved_at", "signed_by"]
    inlines = [MinuteEntryInline]


@admin.register(MinuteCorrection)
class MinuteCorrectionAdmin(admin.ModelAdmin):
    list_display = ["entry", "created_at", "recorded_by"]
    list_select_related = ["entry__item", "recorded_by"]
    readonly_fields = ["entry", "text_before", "text_after", "reason", "recorded_by"]


class RatificationInline(admin.TabularInline):
    model = Ratification
    extra = 0
    autocomplete_fields = ["organisation"]


@admin.register(Decision)
class DecisionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "item", "outcome", "needs_ratification", "was_inquorate"]
    list_filter = ["outcome", "mode", "needs_ratification", "was_inquorate"]
    list_select_related = ["item__meeting__body", "item__parent"]
    autocomplete_fields = ["item", "referred_to"]
    inlines = [RatificationInline]


class ActionUpdateInline(admin.TabularInline):
    model = ActionUpdate
    extra = 0
    readonly_fields = ["created_by", "created_at"]


@admin.register(Action)
class ActionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "meeting", "owner", "owner_organisation", "due_on", "status"]
    list_filter = ["status"]
    list_select_related = ["meeting__body", "owner", "owner_organisation"]
    search_fields = ["description"]
    autocomplete_fields = ["meeting", "item", "owner", "owner_organisation", "closed_at"]
    inlines = [ActionUpdateInline]


@admin.register(CalendarToken)
class CalendarTokenAdmin(admin.ModelAdmin):
    list_display = ["person", "created_at"]
    list_select_related = ["person"]
    readonly_fields = ["token"]
