from django.contrib import admin

from .models import Subscription


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    list_display = ["body", "user", "email", "confirmed_at", "created_at"]
    list_filter = ["body"]
    search_fields = ["email", "user__username", "body__name"]
    list_select_related = ["body", "user"]
    # The token is the subscriber's secret: never shown, never edited by hand.
    exclude = ["token"]
    readonly_fields = ["confirmed_at", "confirmation_sent_at", "created_at"]
    raw_id_fields = ["user"]
