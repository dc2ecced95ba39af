from django.contrib import admin

from .models import Producer


@admin.register(Producer)
class ProducerAdmin(admin.ModelAdmin):
    list_display = ["legal_name", "producer_type", "tax_code", "commune", "status"]
    list_filter = ["status", "producer_type"]
    search_fields = ["legal_name", "tax_code", "search_text"]
    autocomplete_fields = ["commune"]
    readonly_fields = ["confirmed_by", "confirmed_at", "created_by", "created_at", "updated_at"]
