"""Recognition decisions (quyết định công nhận) and OCOP certificates (giấy chứng nhận).

A decision recognises the star class of products from closed council results; issuing it
creates one certificate per product, numbered in the register of its area and year. A
certificate is valid for the term of data/terms.yaml (36 months); a newer certificate of the
same product supersedes it; the issuing level may revoke it.
"""

import datetime

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ocop.accounts.permissions import Action
from ocop.evaluation.models import Level


class DecisionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ISSUED = "issued", _("Issued")


DECISION_LEVELS = [
    (Level.PROVINCE.value, Level.PROVINCE.label),
    (Level.CENTRAL.value, Level.CENTRAL.label),
]


class RecognitionDecision(models.Model):
    """A decision of the competent level recognising products' star classes."""

    view_action = Action.DECISION_VIEW

    number = models.CharField(_("decision number"), max_length=60, help_text=_("e.g. 1234/QĐ-UBND"))
    date = models.DateField(_("decision date"))
    issuer = models.CharField(
        _("issuing body"), max_length=255, help_text=_("e.g. Ủy ban nhân dân tỉnh Lâm Đồng")
    )
    signer_name = models.CharField(_("signed by"), max_length=150)
    signer_title = models.CharField(_("signer's title"), max_length=150)
    level = models.CharField(_("level"), max_length=20, choices=DECISION_LEVELS)
    province = models.ForeignKey(
        "geo.Province",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("province"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=DecisionStatus.choices, default=DecisionStatus.DRAFT
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    issued_at = models.DateTimeField(_("issued at"), null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("recognition decision")
        verbose_name_plural = _("recognition decisions")

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("certificates:decision", args=[self.pk])


class DecisionItem(models.Model):
    """One product recognised by a decision: the council's frozen result it comes from."""

    view_action = Action.DECISION_VIEW

    decision = models.ForeignKey(
        RecognitionDecision, on_delete=models.CASCADE, related_name="items"
    )
    # None for a decision made before the platform and imported from the province's records.
    assignment = models.OneToOneField(
        "evaluation.Assignment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="decision_item",
        verbose_name=_("council result"),
    )
    product = models.ForeignKey(
        "products.Product", on_delete=models.PROTECT, related_name="+", verbose_name=_("product")
    )
    producer = models.ForeignKey(
        "producers.Producer",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("producer"),
    )
    product_group = models.ForeignKey(
        "criteria.ProductGroup",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("product group"),
    )
    stars = models.PositiveSmallIntegerField(_("star class"))
    score = models.DecimalField(_("score"), max_digits=6, decimal_places=2, null=True, blank=True)

    class Meta:
        ordering = ["decision_id", "id"]
        verbose_name = _("decision item")
        verbose_name_plural = _("decision items")

    def __str__(self) -> str:
        return f"{self.product} ({self.stars}★)"


class CertificateStatus(models.TextChoices):
    VALID = "valid", _("Valid")
    REVOKED = "revoked", _("Revoked")


class CertificateState(models.TextChoices):
    """What the register says of a certificate today (the status plus time and supersession)."""

    VALID = "valid", _("Valid")
    EXPIRED = "expired", _("Expired")
    SUPERSEDED = "superseded", _("Superseded")
    REVOKED = "revoked", _("Revoked")


class Certificate(models.Model):
    view_action = Action.DECISION_VIEW

    number = models.CharField(_("certificate number"), max_length=30, unique=True)
    product = models.ForeignKey(
        "products.Product",
        on_delete=models.PROTECT,
        related_name="certificates",
        verbose_name=_("product"),
    )
    producer = models.ForeignKey(
        "producers.Producer",
        on_delete=models.PROTECT,
        related_name="certificates",
        verbose_name=_("producer"),
    )
    stars = models.PositiveSmallIntegerField(_("star class"))
    decision = models.ForeignKey(
        RecognitionDecision,
        on_delete=models.PROTECT,
        related_name="certificates",
        verbose_name=_("decision"),
    )
    item = models.OneToOneField(DecisionItem, on_delete=models.PROTECT, related_name="certificate")
    issued_on = models.DateField(_("issue date"))
    expires_on = models.DateField(_("valid until"))
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=CertificateStatus.choices,
        default=CertificateStatus.VALID,
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoke_reason = models.TextField(_("reason for revocation"), blank=True)
    superseded_by = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="supersedes",
        verbose_name=_("superseded by"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-issued_on", "-id"]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        indexes = [models.Index(fields=["product", "status"])]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("certificates:certificate", args=[self.number])

    def state_on(self, day: datetime.date) -> str:
        if self.status == CertificateStatus.REVOKED:
            return CertificateState.REVOKED
        if self.superseded_by_id is not None:
            return CertificateState.SUPERSEDED
        if self.expires_on < day:
            return CertificateState.EXPIRED
        return CertificateState.VALID

    @property
    def state(self) -> str:
        return self.state_on(timezone.localdate())

    def get_state_display(self) -> str:
        return CertificateState(self.state).label


class CertificateSequence(models.Model):
    """The last certificate number given in one area ("68", "TW") and year. Issuing locks the
    row (SELECT ... FOR UPDATE), so two issuers never take the same number."""

    area = models.CharField(max_length=4)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["area", "year"], name="one_sequence_per_area_year")
        ]

    def __str__(self) -> str:
        return f"{self.area}-{self.year}: {self.last}"


class ExpiryReminder(models.Model):
    """One expiry milestone of a certificate (6, 3 or 1 month before it expires), sent once:
    the unique constraint keeps a second run, or a second worker, from sending it again. A
    milestone passed before its first run is recorded as skipped (not emailed)."""

    certificate = models.ForeignKey(
        Certificate,
        on_delete=models.CASCADE,
        related_name="reminders",
        verbose_name=_("certificate"),
    )
    months_before = models.PositiveSmallIntegerField(_("months before expiry"))
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)
    skipped = models.BooleanField(
        _("skipped"), default=False, help_text=_("a nearer milestone was reached: not emailed")
    )
    recipients = models.JSONField(_("recipients"), default=list, blank=True)

    class Meta:
        ordering = ["certificate_id", "-months_before"]
        verbose_name = _("expiry reminder")
        verbose_name_plural = _("expiry reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["certificate", "months_before"], name="one_reminder_per_milestone"
            )
        ]

    def __str__(self) -> str:
        return f"{self.certificate_id}: {self.months_before}"
