from django.contrib import admin

from .models import Product


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ["name", "producer", "product_group", "gtin", "updated_at"]
    list_filter = ["product_group__branch__decision"]
    search_fields = ["name", "gtin", "search_text", "producer__legal_name"]
    raw_id_fields = ["producer", "product_group", "idea", "plan"]
    readonly_fields = ["created_by", "created_at", "updated_at"]
