"""Storing and removing uploaded files.

Every check runs before anything is written: a refused file leaves no trace in storage nor in
the database. The callers (plans, products, dossiers) check their own permission to attach
or remove a file before calling these functions.
"""

import hashlib
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from ocop.audit.services import audit_record

from . import images
from .models import (
    ALL_KINDS,
    KIND_CONTENT_TYPES,
    KIND_EXTENSIONS,
    Document,
    DocumentKind,
)
from .names import extension_of, safe_name
from .sniff import sniff_kind

MEGABYTE = 1024 * 1024


def _limit_in_mb() -> str:
    limit = max(round(settings.UPLOAD_MAX_BYTES / MEGABYTE, 2), 0.01)
    return f"{limit:g}"


def kinds_label(kinds: Iterable[str]) -> str:
    """ "PDF, JPEG, PNG": the accepted kinds in a fixed order, for messages and help texts."""
    wanted = set(kinds)
    return ", ".join(kind.label for kind in DocumentKind if kind in wanted)


def _check(file, kinds: Iterable[str]) -> tuple[DocumentKind, str]:
    """The file's kind and the extension its name will carry, or a ValidationError."""
    size = file.size
    if not size:
        raise ValidationError(_("The file is empty."), code="empty")
    if size > settings.UPLOAD_MAX_BYTES:
        raise ValidationError(
            _("The file is too large: at most %(limit)s MB is accepted."),
            code="too_large",
            params={"limit": _limit_in_mb()},
        )
    kind = sniff_kind(file)
    if kind is None or kind not in kinds:
        raise ValidationError(
            _("This type of file is not accepted. Accepted types: %(kinds)s."),
            code="type_not_allowed",
            params={"kinds": kinds_label(kinds)},
        )
    extension = extension_of(file.name or "")
    if not extension:
        return kind, KIND_EXTENSIONS[kind][0]
    if extension not in KIND_EXTENSIONS[kind]:
        raise ValidationError(
            _("The file's name ends in .%(extension)s but its content is %(kind)s."),
            code="extension_mismatch",
            params={"extension": extension, "kind": kind.label},
        )
    return kind, extension


def _digest(file) -> tuple[str, int]:
    sha256, size = hashlib.sha256(), 0
    for chunk in file.chunks():
        sha256.update(chunk)
        size += len(chunk)
    file.seek(0)
    return sha256.hexdigest(), size


def document_store(
    *,
    file,
    uploaded_by,
    owner: models.Model | None,
    kinds: Iterable[str] = ALL_KINDS,
) -> Document:
    """Check an uploaded file, store it under a random name and record it for `owner`.

    The type is read from the content (a renamed executable is not a PDF) and must agree
    with the name's extension. `file` is a Django UploadedFile or File (it needs .name,
    .size and seekable content).
    """
    if owner is not None and owner.pk is None:
        raise ValueError("document_store() needs a saved owner.")
    kind, extension = _check(file, frozenset(kinds))
    sha256, size = _digest(file)
    if size != file.size:  # the reported size was not the real one; check the real one
        raise ValidationError(_("The file could not be read completely."), code="unreadable")
    document = Document(
        original_name=safe_name(file.name or "", extension=extension),
        kind=kind,
        content_type=KIND_CONTENT_TYPES[kind],
        size=size,
        sha256=sha256,
        uploaded_by=uploaded_by,
        owner=owner,
    )
    document.full_clean(exclude=["file"])
    # The name passed here is only a hint; document_path() chooses the random name on disk.
    document.file.save(document.original_name, file, save=False)
    try:
        with transaction.atomic():
            document.save()
            audit_record(
                actor=uploaded_by,
                action="document.upload",
                target=document,
                changes={
                    "name": [None, document.original_name],
                    "kind": [None, document.kind],
                    "size": [None, document.size],
                    "sha256": [None, document.sha256],
                    "owner": [None, str(owner) if owner is not None else None],
                },
            )
    except BaseException:
        document.file.storage.delete(document.file.name)
        raise
    if document.is_image:
        # After the record is committed: a rolled-back upload leaves no copies behind.
        transaction.on_commit(lambda: images.variants_make(document))
    return document


def document_delete(*, document: Document, actor) -> None:
    """Remove the record now and the stored file once the transaction has committed.

    The file outlives a rolled-back deletion, so the record never points to nothing.
    """
    storage, name = document.file.storage, document.file.name
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="document.delete",
            target=document,
            changes={"name": [document.original_name, None]},
        )
        is_image = document.is_image
        document.file.name = name  # still known to variants_delete after delete()
        document.delete()
        if name:
            transaction.on_commit(lambda: storage.delete(name))
        if is_image:
            transaction.on_commit(lambda: images.variants_delete(document))
