"""An import of a province's records: the file, what a dry run found row by row, what
applying it changed (so that it can be reverted as a whole), and the column mapping each
province used last (offered again next time)."""

import datetime
import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .columns import KINDS

STALLED_AFTER = datetime.timedelta(minutes=15)


class ImportKind(models.TextChoices):
    PRODUCERS = "producers", _("Producers")
    PRODUCTS = "products", _("Products")
    DECISIONS = "decisions", _("Recognition decisions with their products and certificates")


assert set(ImportKind.values) == set(KINDS)


class ImportStatus(models.TextChoices):
    UPLOADED = "uploaded", _("Uploaded")
    CHECKED = "checked", _("Checked (dry run)")
    QUEUED = "queued", _("Waiting to be applied")
    APPLYING = "applying", _("Being applied")
    APPLIED = "applied", _("Applied")
    FAILED = "failed", _("Failed")
    REVERTED = "reverted", _("Reverted")


def import_path(instance: "ImportJob", filename: str) -> str:
    extension = "xlsx" if filename.lower().endswith(".xlsx") else "csv"
    return f"imports/{timezone.now():%Y/%m}/{secrets.token_hex(16)}.{extension}"


class ImportJob(models.Model):
    kind = models.CharField(_("kind of file"), max_length=20, choices=ImportKind.choices)
    province = models.ForeignKey(
        "geo.Province", on_delete=models.PROTECT, related_name="+", verbose_name=_("province")
    )
    file = models.FileField(_("file"), upload_to=import_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField(_("size"))
    mapping = models.JSONField(_("columns"), default=dict)  # {field: heading}
    # Addresses a person resolved: {address text: commune code}.
    choices = models.JSONField(default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ImportStatus.choices, default=ImportStatus.UPLOADED
    )
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    rows_done = models.PositiveIntegerField(default=0)
    summary = models.JSONField(default=dict, blank=True)  # counts by outcome and record
    report = models.JSONField(default=list, blank=True)  # the dry run's rows (see engine)
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("imported by"),
    )  # fmt: skip
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)  # also touched by the progress updates
    checked_at = models.DateTimeField(null=True, blank=True)
    applied_at = models.DateTimeField(_("applied at"), null=True, blank=True)
    reverted_at = models.DateTimeField(_("reverted at"), null=True, blank=True)
    reverted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )  # fmt: skip

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        indexes = [models.Index(fields=["province", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.original_name} ({self.get_kind_display()})"

    def get_absolute_url(self) -> str:
        return reverse("imports:job", args=[self.pk])

    @property
    def stalled(self) -> bool:
        """Queued or being applied, with no progress for a while: its worker died. Nothing
        of it was written (the write is one transaction); it may be checked again."""
        return self.status in (ImportStatus.QUEUED, ImportStatus.APPLYING) and (
            timezone.now() - self.updated_at > STALLED_AFTER
        )


class ImportChange(models.Model):
    """One record an applied import created or changed, with its values before (to revert)."""

    class Action(models.TextChoices):
        CREATE = "create", _("created")
        UPDATE = "update", _("updated")

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="changes")
    model = models.CharField(max_length=60)  # "producers.producer"
    object_id = models.PositiveBigIntegerField()
    action = models.CharField(max_length=10, choices=Action.choices)
    before = models.JSONField(default=dict, blank=True)  # the changed fields' old values
    row = models.PositiveIntegerField(default=0)  # the file's row that asked for it

    class Meta:
        ordering = ["job_id", "id"]
        indexes = [models.Index(fields=["model", "object_id"])]

    def __str__(self) -> str:
        return f"{self.action} {self.model} {self.object_id}"


class ColumnMapping(models.Model):
    """The headings a province's officers mapped to each field last time, per kind."""

    province = models.ForeignKey("geo.Province", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=ImportKind.choices)
    mapping = models.JSONField(default=dict)  # {field: heading}
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["province", "kind"], name="one_mapping_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.province_id} {self.kind}"
