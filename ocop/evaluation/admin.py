from django.contrib import admin

from .models import Council


@admin.register(Council)
class CouncilAdmin(admin.ModelAdmin):
    list_display = ["name", "level", "province", "term_start", "term_end"]
    list_filter = ["level"]
    search_fields = ["name"]
