from django.contrib import admin

from .models import Constituency, InterestDeclaration, Membership, Person, Seat, Substitute


@admin.register(Constituency)
class ConstituencyAdmin(admin.ModelAdmin):
    list_display = ["name", "parent"]
    search_fields = ["name"]


class InterestInline(admin.TabularInline):
    model = InterestDeclaration
    extra = 0
    autocomplete_fields = ["body"]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["sort_name", "honorific", "job_title", "publish_name"]
    list_filter = ["publish_name"]
    search_fields = ["name", "sort_name", "aliases", "email"]
    filter_horizontal = ["organisations"]
    raw_id_fields = ["user"]
    inlines = [InterestInline]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["person", "organisation"]


class SubstituteInline(admin.TabularInline):
    model = Substitute
    extra = 0
    autocomplete_fields = ["person"]


@admin.register(Seat)
class SeatAdmin(admin.ModelAdmin):
    list_display = ["label", "body", "role", "kind", "max_holders", "voting", "statutory_category"]
    list_filter = ["role", "kind", "voting", "statutory_category"]
    list_select_related = ["body"]
    search_fields = ["label", "body__name"]
    autocomplete_fields = ["body", "represents", "nominating_organisation", "ex_officio_of"]
    inlines = [MembershipInline, SubstituteInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["seat", "person", "organisation", "arrangement", "starts_on", "ends_on"]
    list_filter = ["arrangement"]
    list_select_related = ["seat__body", "person", "organisation"]
    search_fields = ["person__name", "seat__label", "seat__body__name"]
    autocomplete_fields = ["seat", "person", "organisation"]


@admin.register(InterestDeclaration)
class InterestDeclarationAdmin(admin.ModelAdmin):
    list_display = ["person", "kind", "body", "registered_on", "reviewed_on"]
    list_filter = ["kind"]
    list_select_related = ["person", "body"]
    autocomplete_fields = ["person", "body"]
