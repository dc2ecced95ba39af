"""Vietnam's administrative units, current (two levels since 1 July 2025) and legacy.

Codes are the General Statistics Office codes shipped by the `vietnam-provinces`
package; they are the primary keys, so imports and fixtures can name a unit by its code.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Province(models.Model):
    """A province or centrally-run city of the current structure (34 since 1 July 2025)."""

    code = models.PositiveIntegerField(_("code"), primary_key=True)
    name = models.CharField(_("name"), max_length=100)
    codename = models.SlugField(max_length=100, unique=True)
    division_type = models.CharField(_("division type"), max_length=40)

    class Meta:
        ordering = ["code"]
        verbose_name = _("province")
        verbose_name_plural = _("provinces")

    def __str__(self) -> str:
        return self.name


class Commune(models.Model):
    """A commune, ward or special zone of the current structure."""

    code = models.PositiveIntegerField(_("code"), primary_key=True)
    name = models.CharField(_("name"), max_length=100)
    codename = models.SlugField(max_length=100)
    division_type = models.CharField(_("division type"), max_length=40)
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="communes", verbose_name=_("province")
    )

    class Meta:
        ordering = ["province_id", "name"]
        verbose_name = _("commune")
        verbose_name_plural = _("communes")

    def __str__(self) -> str:
        return self.name

    @property
    def full_name(self) -> str:
        return f"{self.name}, {self.province.name}"


class LegacyProvince(models.Model):
    """A province of the structure before 1 July 2025 (63 provinces)."""

    code = models.PositiveIntegerField(_("code"), primary_key=True)
    name = models.CharField(_("name"), max_length=100)
    codename = models.SlugField(max_length=100)
    division_type = models.CharField(_("division type"), max_length=40)

    class Meta:
        ordering = ["code"]
        verbose_name = _("legacy province")
        verbose_name_plural = _("legacy provinces")

    def __str__(self) -> str:
        return self.name


class LegacyDistrict(models.Model):
    """A district of the structure before 1 July 2025 (the level that was abolished)."""

    code = models.PositiveIntegerField(_("code"), primary_key=True)
    name = models.CharField(_("name"), max_length=100)
    codename = models.SlugField(max_length=100)
    division_type = models.CharField(_("division type"), max_length=40)
    province = models.ForeignKey(LegacyProvince, on_delete=models.PROTECT, related_name="districts")

    class Meta:
        ordering = ["code"]
        verbose_name = _("legacy district")
        verbose_name_plural = _("legacy districts")

    def __str__(self) -> str:
        return self.name


class LegacyCommune(models.Model):
    """A commune of the structure before 1 July 2025, with the current communes it went into."""

    code = models.PositiveIntegerField(_("code"), primary_key=True)
    name = models.CharField(_("name"), max_length=100)
    codename = models.SlugField(max_length=100)
    division_type = models.CharField(_("division type"), max_length=40)
    district = models.ForeignKey(LegacyDistrict, on_delete=models.PROTECT, related_name="communes")
    successors = models.ManyToManyField(
        Commune, through="CommuneSuccession", related_name="legacy_communes"
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("legacy commune")
        verbose_name_plural = _("legacy communes")

    def __str__(self) -> str:
        return self.name


class CommuneSuccession(models.Model):
    """Where a legacy commune went on 1 July 2025.

    A legacy commune that was split (`is_partial`) went into several current communes; a
    person must choose among them, never the software.
    """

    legacy_commune = models.ForeignKey(
        LegacyCommune, on_delete=models.CASCADE, related_name="successions"
    )
    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="+")
    is_partial = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["legacy_commune", "commune"], name="unique_commune_succession"
            )
        ]

    def __str__(self) -> str:
        return f"{self.legacy_commune_id} → {self.commune_id}"
