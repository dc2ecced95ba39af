from django.contrib import admin

from .models import CriteriaSet, Criterion, CriterionOption, Decision, ProductGroup, StarBand


class StarBandInline(admin.TabularInline):
    model = StarBand
    extra = 0


@admin.register(Decision)
class DecisionAdmin(admin.ModelAdmin):
    list_display = ["number", "code", "decision_date"]
    inlines = [StarBandInline]


@admin.register(ProductGroup)
class ProductGroupAdmin(admin.ModelAdmin):
    list_display = ["name_vi", "code", "branch"]
    list_filter = ["branch__decision"]


@admin.register(CriteriaSet)
class CriteriaSetAdmin(admin.ModelAdmin):
    list_display = ["code", "decision", "product_group", "max_points"]
    list_filter = ["decision"]
    search_fields = ["code", "name_vi"]


class CriterionOptionInline(admin.TabularInline):
    model = CriterionOption
    extra = 0


@admin.register(Criterion)
class CriterionAdmin(admin.ModelAdmin):
    list_display = ["code", "name_vi", "criteria_set", "part"]
    list_filter = ["criteria_set"]
    search_fields = ["code", "name_vi"]
    inlines = [CriterionOptionInline]
