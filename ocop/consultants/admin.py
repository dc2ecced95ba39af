from django.contrib import admin

from .models import Consultancy, Engagement


@admin.register(Consultancy)
class ConsultancyAdmin(admin.ModelAdmin):
    list_display = ["name", "commune", "phone", "email"]
    search_fields = ["name"]
    autocomplete_fields = ["commune"]


@admin.register(Engagement)
class EngagementAdmin(admin.ModelAdmin):
    list_display = ["consultancy", "producer", "status", "starts_on", "rating"]
    list_filter = ["status"]
    raw_id_fields = ["producer", "product", "created_by"]
