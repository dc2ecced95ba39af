"""Consulting organisations that support producers (dossiers, packaging, market access)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Consultancy(models.Model):
    name = models.CharField(_("name"), max_length=255)
    commune = models.ForeignKey(
        "geo.Commune", on_delete=models.PROTECT, related_name="+", verbose_name=_("commune")
    )
    street_address = models.CharField(_("street address"), max_length=255, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("email"), blank=True)
    fields_of_work = models.TextField(_("fields of work"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("consulting organisation")
        verbose_name_plural = _("consulting organisations")

    def __str__(self) -> str:
        return self.name
