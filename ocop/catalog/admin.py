from django.contrib import admin

from .models import Inquiry, Listing, TradeEvent, TradeEventApplication


@admin.register(Listing)
class ListingAdmin(admin.ModelAdmin):
    list_display = ["name", "producer", "province", "stars", "valid_until"]
    list_filter = ["stars", "province"]
    search_fields = ["name", "name_text"]
    raw_id_fields = ["product", "certificate", "producer", "photo"]

    def has_change_permission(self, request, obj=None):
        return False  # derived from the register: rebuilt, never edited


@admin.register(TradeEvent)
class TradeEventAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "starts_on", "province"]
    list_filter = ["kind", "province"]


@admin.register(TradeEventApplication)
class TradeEventApplicationAdmin(admin.ModelAdmin):
    list_display = ["event", "producer", "status"]
    raw_id_fields = ["producer", "products", "decided_by"]


@admin.register(Inquiry)
class InquiryAdmin(admin.ModelAdmin):
    list_display = ["product", "buyer_name", "created_at", "read_at"]
    raw_id_fields = ["product", "producer"]
