"""Traceability: production batches, serialised stamps, scans and supply-chain events.

A producer records the batches (lots) of a product, orders runs of stamps for a batch, and
records what happens to the goods as events shaped like GS1 EPCIS 2.0. Each stamp carries a
random serial and a GS1 Digital Link URI (codes.py); every scan of it is logged, without
personal data, so a copied stamp shows itself (rules.py).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ocop.accounts.permissions import Action

from . import codes


def validate_lot(value: str) -> None:
    problem = codes.lot_problem(value)
    if problem == "length":
        raise ValidationError(
            _("A lot number has 1 to %(max)s characters.") % {"max": codes.LOT_MAX},
            code="lot_length",
        )
    if problem:
        raise ValidationError(
            _(
                "A lot number may use Latin letters without accents, digits and "
                "!\"%&'()*+,-./:;<=>?_ only (GS1), no spaces."
            ),
            code="lot_characters",
        )


class Batch(models.Model):
    """A production batch (lô sản xuất) of a product: what its stamps and events refer to."""

    view_action = Action.TRACE_VIEW

    product = models.ForeignKey(
        "products.Product",
        on_delete=models.PROTECT,
        related_name="batches",
        verbose_name=_("product"),
    )
    # The product's producer, kept on the row so that scopes filter without a join.
    producer = models.ForeignKey(
        "producers.Producer",
        on_delete=models.PROTECT,
        related_name="batches",
        verbose_name=_("producer"),
        editable=False,
    )
    lot = models.CharField(
        _("lot number"),
        max_length=codes.LOT_MAX,
        validators=[validate_lot],
        help_text=_("As printed on the package, e.g. L2026-11A."),
    )
    produced_on = models.DateField(_("production date"))
    expires_on = models.DateField(_("expiry date"), null=True, blank=True)
    quantity = models.PositiveIntegerField(_("quantity"))
    unit = models.CharField(_("unit"), max_length=30, help_text=_("e.g. box 200 g, bottle"))
    raw_material_area = models.TextField(_("raw-material area"), blank=True)
    inputs = models.TextField(
        _("inputs"), blank=True, help_text=_("Raw materials and ingredients, and where from.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-produced_on", "-id"]
        verbose_name = _("batch")
        verbose_name_plural = _("batches")
        constraints = [
            models.UniqueConstraint(fields=["product", "lot"], name="one_lot_number_per_product")
        ]

    def __str__(self) -> str:
        return f"{self.product} · {self.lot}"

    def get_absolute_url(self) -> str:
        return reverse("traceability:batch", args=[self.pk])

    def clean(self):
        if self.expires_on and self.produced_on and self.expires_on < self.produced_on:
            raise ValidationError(
                {"expires_on": _("The expiry date cannot be before the production date.")}
            )


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Generating")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Interrupted")


class StampRun(models.Model):
    """An order of serialised stamps for a batch. Generating it is a background task that
    inserts the stamps in chunks, each chunk committed with the run's progress, so an
    interrupted run resumes exactly where its last chunk ended."""

    view_action = Action.TRACE_VIEW

    batch = models.ForeignKey(
        Batch, on_delete=models.PROTECT, related_name="runs", verbose_name=_("batch")
    )
    producer = models.ForeignKey(
        "producers.Producer", on_delete=models.PROTECT, related_name="+", editable=False
    )
    quantity = models.PositiveIntegerField(_("number of stamps"))
    issued = models.PositiveIntegerField(_("stamps generated"), default=0)
    status = models.CharField(
        _("status"), max_length=20, choices=RunStatus.choices, default=RunStatus.QUEUED
    )
    label_width_mm = models.PositiveSmallIntegerField(_("label width (mm)"), default=30)
    label_height_mm = models.PositiveSmallIntegerField(_("label height (mm)"), default=36)
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)  # the generator's heartbeat

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("stamp run")
        verbose_name_plural = _("stamp runs")

    def __str__(self) -> str:
        return f"{self.batch} · {self.quantity}"

    def get_absolute_url(self) -> str:
        return reverse("traceability:run", args=[self.pk])

    @property
    def percent(self) -> int:
        return int(100 * self.issued / self.quantity) if self.quantity else 100


class StampStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    VOIDED = "voided", _("Voided")


class Stamp(models.Model):
    """One serialised stamp. Kept small: a national programme prints hundreds of millions."""

    serial = models.CharField(_("serial"), max_length=codes.SERIAL_LENGTH, unique=True)
    run = models.ForeignKey(StampRun, on_delete=models.PROTECT, related_name="stamps")
    status = models.CharField(
        _("status"), max_length=10, choices=StampStatus.choices, default=StampStatus.ACTIVE
    )
    scan_count = models.PositiveIntegerField(_("scans"), default=0)
    first_scanned_at = models.DateTimeField(_("first scanned"), null=True, blank=True)
    voided_at = models.DateTimeField(_("voided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("stamp")
        verbose_name_plural = _("stamps")

    def __str__(self) -> str:
        return codes.serial_display(self.serial)

    @property
    def producer(self):
        return self.run.producer


class Scan(models.Model):
    """One scan of a stamp address, kept without personal data: no IP address, no account,
    a hash of the browser's user agent, and a location only as coarse as the consumer chose
    to share (a province, or coordinates rounded to 0.1°, about 11 km)."""

    stamp = models.ForeignKey(
        Stamp, on_delete=models.CASCADE, null=True, blank=True, related_name="scans"
    )
    serial = models.CharField(_("serial as scanned"), max_length=40)
    # The product the address claims (from its GTIN), even when the serial is unknown: the
    # officers of that product's area see the alert.
    product = models.ForeignKey(
        "products.Product", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    scanned_at = models.DateTimeField(_("scanned at"), db_index=True)
    province = models.ForeignKey(
        "geo.Province",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("province"),
    )
    latitude = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)
    longitude = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)
    agent_hash = models.CharField(max_length=16, blank=True)
    flags = models.CharField(_("counterfeit signals"), max_length=200, blank=True)

    class Meta:
        ordering = ["-scanned_at", "-id"]
        verbose_name = _("scan")
        verbose_name_plural = _("scans")
        indexes = [
            models.Index(
                fields=["-scanned_at"],
                condition=~models.Q(flags=""),
                name="scan_flagged_recent",
            )
        ]

    def __str__(self) -> str:
        return f"{self.serial} @ {self.scanned_at:%Y-%m-%d %H:%M}"

    @property
    def flag_list(self) -> list[str]:
        return [f for f in self.flags.split(",") if f]


class EventType(models.TextChoices):
    """The EPCIS 2.0 event types the platform records."""

    OBJECT = "ObjectEvent", _("Object event (commissioning, shipping, receiving…)")
    AGGREGATION = "AggregationEvent", _("Aggregation (packing into cases)")
    TRANSFORMATION = "TransformationEvent", _("Transformation (raw material into product)")


class EventAction(models.TextChoices):
    ADD = "ADD", _("Add")
    OBSERVE = "OBSERVE", _("Observe")
    DELETE = "DELETE", _("Delete")


class TraceEvent(models.Model):
    """A supply-chain event on a batch (and optionally on some of its stamps), in the terms
    of GS1 EPCIS 2.0 / CBV 2.0; exported as an EPCISDocument (epcis.py)."""

    view_action = Action.TRACE_VIEW

    batch = models.ForeignKey(
        Batch, on_delete=models.CASCADE, related_name="events", verbose_name=_("batch")
    )
    producer = models.ForeignKey(
        "producers.Producer", on_delete=models.PROTECT, related_name="+", editable=False
    )
    event_type = models.CharField(_("event type"), max_length=30, choices=EventType.choices)
    action = models.CharField(
        _("action"), max_length=10, choices=EventAction.choices, blank=True
    )  # empty for a TransformationEvent, which has none
    biz_step = models.CharField(_("business step"), max_length=40)
    disposition = models.CharField(_("disposition"), max_length=40, blank=True)
    event_time = models.DateTimeField(_("time"))
    place = models.CharField(
        _("place"), max_length=255, blank=True, help_text=_("Where it happened.")
    )
    quantity = models.DecimalField(
        _("quantity"), max_digits=12, decimal_places=3, null=True, blank=True
    )
    serials = models.JSONField(
        _("stamps"), default=list, blank=True, help_text=_("Serials of the stamps concerned.")
    )
    parent = models.CharField(
        _("case or pallet"),
        max_length=255,
        blank=True,
        help_text=_("The case the stamps are packed into (aggregation)."),
    )
    inputs = models.JSONField(
        _("inputs"),
        default=list,
        blank=True,
        help_text=_("Raw materials transformed: name, quantity, unit, origin."),
    )
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["event_time", "id"]
        verbose_name = _("supply-chain event")
        verbose_name_plural = _("supply-chain events")

    def __str__(self) -> str:
        return f"{self.get_event_type_display()} · {self.biz_step}"
