from django.contrib import admin

from .models import Batch, Scan, StampRun, TraceEvent


@admin.register(Batch)
class BatchAdmin(admin.ModelAdmin):
    list_display = ["lot", "product", "producer", "produced_on", "quantity"]
    search_fields = ["lot", "product__name"]
    raw_id_fields = ["product", "created_by"]


@admin.register(StampRun)
class StampRunAdmin(admin.ModelAdmin):
    list_display = ["batch", "quantity", "issued", "status", "created_at"]
    list_filter = ["status"]
    raw_id_fields = ["batch", "created_by"]
    readonly_fields = ["issued", "started_at", "finished_at"]


@admin.register(Scan)
class ScanAdmin(admin.ModelAdmin):
    list_display = ["serial", "scanned_at", "province", "flags"]
    list_filter = ["province"]
    search_fields = ["serial"]
    raw_id_fields = ["stamp", "product"]

    def has_change_permission(self, request, obj=None):
        return False  # the scan log is evidence: read only


@admin.register(TraceEvent)
class TraceEventAdmin(admin.ModelAdmin):
    list_display = ["batch", "event_type", "biz_step", "event_time"]
    list_filter = ["event_type"]
    raw_id_fields = ["batch", "created_by"]
