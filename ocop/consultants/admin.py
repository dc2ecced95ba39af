from django.contrib import admin

from .models import Consultancy


@admin.register(Consultancy)
class ConsultancyAdmin(admin.ModelAdmin):
    list_display = ["name", "commune", "phone", "email"]
    search_fields = ["name"]
    autocomplete_fields = ["commune"]
