from django.contrib import admin

from .models import CriteriaSet, Criterion, CriterionOption, Decision, ProductGroup, StarBand


class FromFiles:
    """Criteria are rules loaded from the reference files (`manage.py load_criteria`,
    versioned by digest and audited): shown here, never edited in place."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class StarBandInline(FromFiles, admin.TabularInline):
    model = StarBand
    extra = 0


@admin.register(Decision)
class DecisionAdmin(FromFiles, admin.ModelAdmin):
    list_display = ["number", "code", "decision_date"]
    inlines = [StarBandInline]


@admin.register(ProductGroup)
class ProductGroupAdmin(FromFiles, admin.ModelAdmin):
    list_display = ["name_vi", "code", "branch"]
    list_filter = ["branch__decision"]


@admin.register(CriteriaSet)
class CriteriaSetAdmin(FromFiles, admin.ModelAdmin):
    list_display = ["code", "decision", "product_group", "max_points"]
    list_filter = ["decision"]
    search_fields = ["code", "name_vi"]


class CriterionOptionInline(FromFiles, admin.TabularInline):
    model = CriterionOption
    extra = 0


@admin.register(Criterion)
class CriterionAdmin(FromFiles, admin.ModelAdmin):
    list_display = ["code", "name_vi", "criteria_set", "part"]
    list_filter = ["criteria_set"]
    search_fields = ["code", "name_vi"]
    inlines = [CriterionOptionInline]
