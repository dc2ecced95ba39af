"""Products (sản phẩm): what a producer makes and brings to evaluation.

A product belongs to one producer and one product group, which fixes the criteria set it is
scored against. It may come from an accepted idea and its business plan (steps 2-3 of the
cycle), or join the programme without one: an existing local speciality.
"""

import contextlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ocop.accounts.permissions import Action
from ocop.search.text import fold

from .gtin import InvalidGtin, normalize_gtin


def validate_gtin(value: str) -> None:
    try:
        normalize_gtin(value)
    except InvalidGtin as exc:
        messages = {
            "format": _("A barcode (GTIN) contains digits only."),
            "length": _("A barcode (GTIN) has 8, 12, 13 or 14 digits."),
            "checksum": _("This barcode's check digit is wrong: check it for a typing error."),
        }
        raise ValidationError(messages[exc.reason], code=f"gtin_{exc.reason}") from None


class Product(models.Model):
    view_action = Action.PRODUCT_VIEW

    producer = models.ForeignKey(
        "producers.Producer",
        on_delete=models.PROTECT,
        related_name="products",
        verbose_name=_("producer"),
    )
    product_group = models.ForeignKey(
        "criteria.ProductGroup",
        on_delete=models.PROTECT,
        related_name="products",
        verbose_name=_("product group"),
    )
    name = models.CharField(_("product name"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    story = models.TextField(
        _("story of the product"),
        blank=True,
        help_text=_("Its history, the people and the place behind it."),
    )
    packaging = models.TextField(
        _("packaging and sizes"), blank=True, help_text=_("For example: box 200 g; bag 500 g.")
    )
    gtin = models.CharField(
        _("barcode (GTIN)"),
        max_length=14,
        unique=True,
        null=True,
        blank=True,
        validators=[validate_gtin],
        help_text=_("8, 12, 13 or 14 digits, as printed under the barcode."),
        error_messages={"unique": _("Another product already carries this barcode.")},
    )
    shelf_life = models.CharField(
        _("shelf life"), max_length=100, blank=True, help_text=_("For example: 12 months.")
    )
    raw_material_area = models.TextField(_("raw-material area"), blank=True)
    where_to_buy = models.TextField(
        _("where to buy"),
        blank=True,
        help_text=_("Shops, OCOP points of sale, online stores: shown in the public catalogue."),
    )
    idea = models.ForeignKey(
        "ideas.ProductIdea",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="products",
        verbose_name=_("product idea"),
    )
    plan = models.ForeignKey(
        "plans.BusinessPlan",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="products",
        verbose_name=_("business plan"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # Lower-cased, accent-free name and barcode: what list search matches.
    search_text = models.TextField(editable=False, default="")

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("product")
        verbose_name_plural = _("products")

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.search_text = self.searchable_text()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_text"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("products:detail", args=[self.pk])

    def searchable_text(self) -> str:
        """What list search matches (also set by bulk inserts, which skip save())."""
        return fold(" ".join([self.name, self.gtin or ""]))

    def images_public(self) -> bool:
        """A product the programme has recognised (it holds or held a certificate) shows its
        photos to anyone: on its stamps' pages and in the catalogue."""
        return self.certificates.exists()

    @property
    def criteria_set(self):
        """The criteria set the product is scored against: its group's, newest decision first."""
        return (
            self.product_group.criteria_sets.select_related("decision")
            .order_by("-decision__decision_date", "-pk")
            .first()
        )

    def clean(self):
        super().clean()
        from ocop.ideas.models import IdeaStatus

        errors = {}
        if self.gtin:
            with contextlib.suppress(InvalidGtin):  # the field validator reports it
                self.gtin = normalize_gtin(self.gtin)
        else:
            self.gtin = None
        if self.plan_id and not self.idea_id:
            # A plan is written for one idea: the product comes from that idea.
            self.idea_id = self.plan.idea_id
        if self.producer_id is not None:
            if self.idea_id:
                if self.idea.producer_id != self.producer_id:
                    errors["idea"] = _("This idea belongs to another producer.")
                elif self.idea.status != IdeaStatus.ACCEPTED:
                    errors["idea"] = _("Only an accepted idea can become a product.")
            if self.plan_id:
                if self.plan.idea.producer_id != self.producer_id:
                    errors["plan"] = _("This business plan belongs to another producer.")
                elif self.idea_id and self.plan.idea_id != self.idea_id:
                    errors["plan"] = _("This business plan is for another idea.")
        if errors:
            raise ValidationError(errors)
