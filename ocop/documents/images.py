"""Smaller copies of uploaded images for pages read on a phone over a slow connection.

On upload, a photo gets WebP copies 320, 640 and 1280 pixels wide (never wider than the
original), stored next to it as `<stored name>.w<width>.webp`; public pages ask for the
size they show (`?w=320`) and fall back to the original when a copy is missing. Pillow
reads the image (already checked to be a JPEG, PNG or WebP by documents.services), turns it
upright from its EXIF orientation and drops its metadata (a phone's GPS position with it).
"""

from __future__ import annotations

import io
import logging

from django.core.files.base import ContentFile

from .models import Document

WIDTHS = (320, 640, 1280)
QUALITY = 80
log = logging.getLogger(__name__)


def variant_name(document: Document, width: int) -> str:
    return f"{document.file.name}.w{width}.webp"


def variants_make(document: Document) -> list[int]:
    """Make the missing copies of an image; the widths now stored. A file Pillow cannot
    read is left as it is (its pages show the original)."""
    from PIL import Image, ImageOps

    if not document.is_image:
        return []
    storage = document.file.storage
    try:
        with document.file.open("rb") as handle, Image.open(handle) as original:
            image = ImageOps.exif_transpose(original)
            image.load()
    except (OSError, ValueError, Image.DecompressionBombError) as exc:
        log.warning("image %s not resized: %s", document.pk, exc)
        return []
    if image.mode not in ("RGB", "RGBA"):
        image = image.convert("RGBA" if "A" in image.getbands() else "RGB")
    made = []
    for width in WIDTHS:
        if width > image.width and made:
            break  # the original is smaller: one copy at its own size is enough
        name = variant_name(document, width)
        if not storage.exists(name):
            copy = image.copy()
            copy.thumbnail((width, width * 4))
            buffer = io.BytesIO()
            copy.save(buffer, "WEBP", quality=QUALITY, method=4)
            storage.save(name, ContentFile(buffer.getvalue()))
        made.append(width)
    return made


def variant_for(document: Document, width: int | None) -> str | None:
    """The stored copy to send for a wanted width: the smallest at least that wide, or the
    widest there is; None for the original."""
    if not width or not document.is_image:
        return None
    storage = document.file.storage
    candidates = [w for w in WIDTHS if w >= width] or [WIDTHS[-1]]
    for w in candidates + sorted((w for w in WIDTHS if w < width), reverse=True):
        name = variant_name(document, w)
        if storage.exists(name):
            return name
    return None


def variants_delete(document: Document) -> None:
    storage = document.file.storage
    for width in WIDTHS:
        storage.delete(variant_name(document, width))
