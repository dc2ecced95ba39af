"""Participating producers (chủ thể OCOP): cooperatives, enterprises, cooperative groups and
registered household businesses."""

import contextlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ocop.search.text import fold

from .tax_code import InvalidTaxCode, format_tax_code, normalize_tax_code


class ProducerType(models.TextChoices):
    COOPERATIVE = "cooperative", _("Cooperative (HTX)")
    ENTERPRISE = "enterprise", _("Enterprise (DN)")
    COOPERATIVE_GROUP = "cooperative_group", _("Cooperative group (THT)")
    HOUSEHOLD = "household", _("Household business")


# Types that always hold a business registration and so a tax code.
TYPES_REQUIRING_TAX_CODE = {ProducerType.COOPERATIVE, ProducerType.ENTERPRISE}


class ProducerStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting confirmation")
    ACTIVE = "active", _("Confirmed")
    REJECTED = "rejected", _("Rejected")


def validate_tax_code(value: str) -> None:
    try:
        normalize_tax_code(value)
    except InvalidTaxCode as exc:
        messages = {
            "length": _("A tax code has 10 digits, or 13 for a branch (e.g. 0101234567-001)."),
            "checksum": _("This tax code's check digit is wrong: check it for a typing error."),
            "format": _(
                "A tax code contains digits only, with an optional dash before the branch."
            ),
            "component": _("A tax code's sequence and branch numbers cannot be all zeros."),
        }
        raise ValidationError(messages[exc.reason], code=f"tax_code_{exc.reason}") from None


class Producer(models.Model):
    legal_name = models.CharField(_("legal name"), max_length=255)
    producer_type = models.CharField(_("type"), max_length=30, choices=ProducerType.choices)
    tax_code = models.CharField(
        _("tax code"),
        max_length=14,
        unique=True,
        null=True,
        blank=True,
        validators=[validate_tax_code],
        error_messages={"unique": _("A producer with this tax code is already registered.")},
    )
    registration_number = models.CharField(
        _("business registration number"), max_length=30, blank=True
    )
    registration_date = models.DateField(_("business registration date"), null=True, blank=True)
    representative_name = models.CharField(_("representative"), max_length=150)
    representative_title = models.CharField(_("representative's title"), max_length=100, blank=True)
    commune = models.ForeignKey(
        "geo.Commune", on_delete=models.PROTECT, related_name="producers", verbose_name=_("commune")
    )
    street_address = models.CharField(_("street address"), max_length=255, blank=True)
    # The address as an imported list wrote it, often before the 2025 merger of units.
    legacy_address = models.CharField(_("address as recorded before"), max_length=255, blank=True)
    # Recorded from a list made before the platform, which did not give the tax code.
    tax_code_pending = models.BooleanField(_("tax code to be completed"), default=False)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("email"), blank=True)
    website = models.URLField(_("website"), blank=True)
    publish_contacts = models.BooleanField(
        _("show the phone, email, website and address in the public catalogue"),
        default=False,
        help_text=_("Buyers can always write to you through the catalogue."),
    )
    member_count = models.PositiveIntegerField(_("members"), null=True, blank=True)
    worker_count = models.PositiveIntegerField(_("workers"), null=True, blank=True)
    female_worker_count = models.PositiveIntegerField(_("women workers"), null=True, blank=True)
    ethnic_minority_worker_count = models.PositiveIntegerField(
        _("ethnic-minority workers"), null=True, blank=True
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ProducerStatus.choices,
        default=ProducerStatus.PENDING,
        db_index=True,
    )
    status_note = models.TextField(_("status note"), blank=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("confirmed by"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # Lower-cased, accent-free name, representative and tax code: what list search matches.
    search_text = models.TextField(editable=False, default="")

    class Meta:
        ordering = ["legal_name", "id"]
        verbose_name = _("producer")
        verbose_name_plural = _("producers")
        indexes = [models.Index(fields=["commune", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(female_worker_count__isnull=True)
                | Q(worker_count__isnull=True)
                | Q(female_worker_count__lte=F("worker_count")),
                name="producer_women_within_workers",
            ),
            models.CheckConstraint(
                condition=Q(ethnic_minority_worker_count__isnull=True)
                | Q(worker_count__isnull=True)
                | Q(ethnic_minority_worker_count__lte=F("worker_count")),
                name="producer_minority_within_workers",
            ),
        ]

    def __str__(self) -> str:
        return self.legal_name

    def save(self, *args, **kwargs):
        self.search_text = self.searchable_text()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_text"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("producers:detail", args=[self.pk])

    def searchable_text(self) -> str:
        """What list search matches (also set by bulk inserts, which skip save())."""
        return fold(" ".join([self.legal_name, self.representative_name, self.tax_code or ""]))

    @property
    def tax_code_display(self) -> str:
        return format_tax_code(self.tax_code or "")

    @property
    def address(self) -> str:
        parts = [self.street_address, self.commune.name, self.commune.province.name]
        return ", ".join(p for p in parts if p)

    def clean(self):
        super().clean()
        errors = {}
        if self.tax_code:
            with contextlib.suppress(InvalidTaxCode):  # the field validator reports it
                self.tax_code = normalize_tax_code(self.tax_code)
            self.tax_code_pending = False
        else:
            self.tax_code = None
            if self.producer_type in TYPES_REQUIRING_TAX_CODE and not self.tax_code_pending:
                errors["tax_code"] = _("Cooperatives and enterprises must give their tax code.")
        if self.worker_count is not None:
            for field in ("female_worker_count", "ethnic_minority_worker_count"):
                value = getattr(self, field)
                if value is not None and value > self.worker_count:
                    errors[field] = _("Cannot be more than the number of workers.")
        if errors:
            raise ValidationError(errors)
