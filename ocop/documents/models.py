"""Files attached to plans, products and dossiers.

A document belongs to an owner record (any model); who may read the document is decided by
the owner's permission, so a file is never more visible than the record it belongs to.
"""

import secrets

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from ocop.search.text import fold


class DocumentKind(models.TextChoices):
    PDF = "pdf", "PDF"
    JPEG = "jpeg", "JPEG"
    PNG = "png", "PNG"
    WEBP = "webp", "WebP"
    DOCX = "docx", "DOCX"
    XLSX = "xlsx", "XLSX"


IMAGE_KINDS = frozenset({DocumentKind.JPEG, DocumentKind.PNG, DocumentKind.WEBP})
ALL_KINDS = frozenset(DocumentKind)

# The real MIME type of each kind, sent back on download.
KIND_CONTENT_TYPES = {
    DocumentKind.PDF: "application/pdf",
    DocumentKind.JPEG: "image/jpeg",
    DocumentKind.PNG: "image/png",
    DocumentKind.WEBP: "image/webp",
    DocumentKind.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    DocumentKind.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
# The file name extensions that agree with each kind; the first is the one used on disk.
KIND_EXTENSIONS = {
    DocumentKind.PDF: ("pdf",),
    DocumentKind.JPEG: ("jpg", "jpeg", "jpe", "jfif"),
    DocumentKind.PNG: ("png",),
    DocumentKind.WEBP: ("webp",),
    DocumentKind.DOCX: ("docx",),
    DocumentKind.XLSX: ("xlsx",),
}
# Office files are saved, not shown in the browser; PDFs and images are shown inline.
ATTACHMENT_KINDS = frozenset({DocumentKind.DOCX, DocumentKind.XLSX})


def document_path(instance: "Document", filename: str) -> str:
    """documents/2026/05/<random>.pdf: the person's file name never reaches the disk."""
    extension = KIND_EXTENSIONS[DocumentKind(instance.kind)][0]
    return f"documents/{timezone.now():%Y/%m}/{secrets.token_hex(16)}.{extension}"


class Document(models.Model):
    file = models.FileField(_("file"), upload_to=document_path, max_length=200)
    original_name = models.CharField(_("name"), max_length=255)
    kind = models.CharField(_("type"), max_length=10, choices=DocumentKind.choices)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(max_length=64, db_index=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    # The record whose permission governs access (a plan, a product, a dossier...).
    owner_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    owner_id = models.CharField(max_length=64, null=True, blank=True)
    owner = GenericForeignKey("owner_type", "owner_id")

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        indexes = [models.Index(fields=["owner_type", "owner_id"])]
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self) -> str:
        return self.original_name

    def get_absolute_url(self) -> str:
        return reverse("documents:download", kwargs={"pk": self.pk, "name": self._url_name()})

    def _url_name(self) -> str:
        stem, dot, extension = self.original_name.rpartition(".")
        slug = slugify(fold(stem if dot else self.original_name))[:80].strip("-") or "document"
        return f"{slug}.{slugify(extension)}" if dot and slugify(extension) else slug

    def get_public_url(self) -> str:
        """The address anyone may open, for an image whose owner publishes its images (a
        recognised product's photos); see `selectors.image_public`."""
        return reverse("documents:public_image", kwargs={"pk": self.pk, "name": self._url_name()})

    @property
    def is_image(self) -> bool:
        return self.kind in IMAGE_KINDS
