from django.contrib import admin

from .models import Commune, LegacyCommune, LegacyDistrict, LegacyProvince, Province


@admin.register(Province)
class ProvinceAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "division_type"]
    search_fields = ["name", "codename"]


@admin.register(Commune)
class CommuneAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "division_type", "province"]
    list_filter = ["province"]
    search_fields = ["name", "codename"]


@admin.register(LegacyProvince)
class LegacyProvinceAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["name"]


@admin.register(LegacyDistrict)
class LegacyDistrictAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "province"]
    search_fields = ["name"]


@admin.register(LegacyCommune)
class LegacyCommuneAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "district"]
    search_fields = ["name"]
