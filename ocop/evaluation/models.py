"""Evaluation councils. Rounds, sessions and score sheets build on them."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Level(models.TextChoices):
    COMMUNE = "commune", pgettext_lazy("evaluation level", "Commune")
    DISTRICT = "district", pgettext_lazy("evaluation level", "District (before 1 July 2025)")
    PROVINCE = "province", pgettext_lazy("evaluation level", "Province")
    CENTRAL = "central", pgettext_lazy("evaluation level", "Central")


class Council(models.Model):
    """An evaluation council of one level and area, for a term."""

    name = models.CharField(_("name"), max_length=255)
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    province = models.ForeignKey(
        "geo.Province",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="councils",
        verbose_name=_("province"),
    )
    term_start = models.DateField(_("term start"))
    term_end = models.DateField(_("term end"), null=True, blank=True)

    class Meta:
        ordering = ["-term_start", "name"]
        verbose_name = _("council")
        verbose_name_plural = _("councils")

    def __str__(self) -> str:
        return self.name

    def clean(self):
        if self.level == Level.CENTRAL and self.province_id:
            raise ValidationError({"province": _("A central council has no province.")})
        if self.level != Level.CENTRAL and not self.province_id:
            raise ValidationError({"province": _("A local council belongs to a province.")})
        if self.term_end and self.term_end < self.term_start:
            raise ValidationError({"term_end": _("The term cannot end before it starts.")})
