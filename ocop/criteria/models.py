"""Criteria sets as loaded from the versioned data files (see files.py and services.py).

Rows are written only by `services.criteria_load()`: the data files are the source of truth,
these tables let the pages and, later, score sheets refer to a criterion or an option.
"""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

POINTS = {"max_digits": 6, "decimal_places": 2}


class Decision(models.Model):
    """A decision that fixes the taxonomy, the criteria sets and the star bands."""

    code = models.SlugField(_("code"), max_length=40, unique=True)  # the data folder name
    number = models.CharField(_("number"), max_length=40, unique=True)  # "148/QĐ-TTg"
    decision_date = models.DateField(_("date"), null=True, blank=True)
    title = models.TextField(_("title"), blank=True)
    source = models.TextField(_("source"), blank=True)
    rounding = models.TextField(_("rounding"), blank=True)
    unranked_below = models.DecimalField(_("unranked below"), null=True, blank=True, **POINTS)
    data_digest = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-decision_date", "code"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")

    def __str__(self) -> str:
        return self.number


class StarBand(models.Model):
    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="bands")
    stars = models.PositiveSmallIntegerField(_("stars"))
    min_points = models.DecimalField(_("minimum points"), **POINTS)

    class Meta:
        ordering = ["decision", "min_points"]
        constraints = [
            models.UniqueConstraint(fields=["decision", "stars"], name="criteria_band_unique")
        ]
        verbose_name = _("star band")
        verbose_name_plural = _("star bands")

    def __str__(self) -> str:
        return f"{self.decision}: {self.stars}★ ≥ {self.min_points}"


class ProductBranch(models.Model):
    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="branches")
    code = models.SlugField(_("code"), max_length=60)
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=255)
    name_en = models.CharField(_("name (English)"), max_length=255, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["decision", "position"]
        constraints = [
            models.UniqueConstraint(fields=["decision", "code"], name="criteria_branch_unique")
        ]
        verbose_name = _("product branch")
        verbose_name_plural = _("product branches")

    def __str__(self) -> str:
        return self.name_vi


class ProductGroup(models.Model):
    branch = models.ForeignKey(ProductBranch, on_delete=models.CASCADE, related_name="groups")
    code = models.SlugField(_("code"), max_length=60)
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=255)
    name_en = models.CharField(_("name (English)"), max_length=255, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["branch", "position"]
        constraints = [
            models.UniqueConstraint(fields=["branch", "code"], name="criteria_group_unique")
        ]
        verbose_name = _("product group")
        verbose_name_plural = _("product groups")

    def __str__(self) -> str:
        return self.name_vi


class CriteriaSet(models.Model):
    code = models.SlugField(_("code"), max_length=80, unique=True)
    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="criteria_sets")
    product_group = models.ForeignKey(
        ProductGroup, on_delete=models.PROTECT, related_name="criteria_sets"
    )
    name_vi = models.TextField(_("name (Vietnamese)"))
    name_en = models.TextField(_("name (English)"), blank=True)
    source = models.TextField(_("source"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    max_points = models.DecimalField(_("maximum points"), **POINTS)

    class Meta:
        ordering = ["code"]
        verbose_name = _("criteria set")
        verbose_name_plural = _("criteria sets")

    def __str__(self) -> str:
        return self.code

    def get_absolute_url(self) -> str:
        return reverse("criteria:detail", args=[self.code])


class CriteriaPart(models.Model):
    criteria_set = models.ForeignKey(CriteriaSet, on_delete=models.CASCADE, related_name="parts")
    code = models.CharField(_("code"), max_length=10)
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=255)
    name_en = models.CharField(_("name (English)"), max_length=255, blank=True)
    max_points = models.DecimalField(_("maximum points"), **POINTS)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["criteria_set", "position"]
        constraints = [
            models.UniqueConstraint(fields=["criteria_set", "code"], name="criteria_part_unique")
        ]
        verbose_name = _("criteria part")
        verbose_name_plural = _("criteria parts")

    def __str__(self) -> str:
        return f"{self.criteria_set_id}/{self.code}"


class Criterion(models.Model):
    criteria_set = models.ForeignKey(CriteriaSet, on_delete=models.CASCADE, related_name="criteria")
    part = models.ForeignKey(CriteriaPart, on_delete=models.CASCADE, related_name="criteria")
    code = models.CharField(_("code"), max_length=20)
    group_vi = models.CharField(_("heading (Vietnamese)"), max_length=255, blank=True)
    name_vi = models.TextField(_("name (Vietnamese)"))
    name_en = models.TextField(_("name (English)"), blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["criteria_set", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["criteria_set", "code"], name="criteria_criterion_unique"
            )
        ]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")

    def __str__(self) -> str:
        return f"{self.code} {self.name_vi[:60]}"


class CriterionOption(models.Model):
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="options")
    code = models.CharField(_("code"), max_length=10)
    label_vi = models.TextField(_("label (Vietnamese)"))
    points = models.DecimalField(_("points"), **POINTS)
    required_for_stars = models.PositiveSmallIntegerField(
        _("required for stars"), null=True, blank=True
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["criterion", "position"]
        constraints = [
            models.UniqueConstraint(fields=["criterion", "code"], name="criteria_option_unique")
        ]
        verbose_name = _("option")
        verbose_name_plural = _("options")

    def __str__(self) -> str:
        return f"{self.code}: {self.points}"
