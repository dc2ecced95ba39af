"""Recording products and their photos.

Every change is written to the audit log in the same transaction.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ocop.accounts.models import User
from ocop.accounts.permissions import Action, can
from ocop.audit.services import audit_record, diff, snapshot
from ocop.documents.models import IMAGE_KINDS, Document
from ocop.documents.services import document_delete, document_store
from ocop.producers.models import Producer

from .models import Product
from .selectors import product_photos

# The fields a person edits, and the audit log follows. The producer is set at creation only.
RECORD_FIELDS = [
    "name",
    "product_group",
    "description",
    "story",
    "packaging",
    "gtin",
    "shelf_life",
    "raw_material_area",
    "where_to_buy",
    "idea",
    "plan",
]


def _require(user, action: Action, obj) -> None:
    if not can(user, action, obj):
        raise PermissionDenied


def _assign(product: Product, data: dict) -> None:
    for field in RECORD_FIELDS:
        if field in data:
            setattr(product, field, data[field])


@transaction.atomic
def product_create(*, actor: User, producer: Producer, data: dict) -> Product:
    """A producer records one of its products (or the commune or province officer does it
    on the producer's behalf). An idea is optional: local specialities that exist already
    join the programme without one."""
    _require(actor, Action.PRODUCT_CHANGE, producer)
    product = Product(producer=producer, created_by=actor)
    _assign(product, data)
    product.full_clean()
    product.save()
    audit_record(
        actor=actor,
        action="product.create",
        target=product,
        changes=diff({}, snapshot(product, RECORD_FIELDS)),
    )
    return product


@transaction.atomic
def product_update(*, actor: User, product: Product, data: dict) -> Product:
    _require(actor, Action.PRODUCT_CHANGE, product)
    before = snapshot(product, RECORD_FIELDS)
    _assign(product, data)
    product.full_clean()
    changes = diff(before, snapshot(product, RECORD_FIELDS))
    if changes:
        product.save()
        audit_record(actor=actor, action="product.update", target=product, changes=changes)
        _catalogue(product)
    return product


def _catalogue(product: Product) -> None:
    """A recognised product's public listing shows the change at once."""
    from ocop.catalog.services import listing_refresh

    if product.certificates.exists():
        listing_refresh(product=product)


@transaction.atomic
def product_photo_add(*, actor: User, product: Product, file) -> Document:
    """Adds a photo of the product; refuses anything that is not an image."""
    _require(actor, Action.PRODUCT_CHANGE, product)
    document = document_store(file=file, uploaded_by=actor, owner=product, kinds=IMAGE_KINDS)
    audit_record(
        actor=actor,
        action="product.photo_add",
        target=product,
        changes={"photo": [None, document.original_name]},
    )
    _catalogue(product)
    return document


@transaction.atomic
def product_photo_remove(*, actor: User, product: Product, document: Document) -> None:
    _require(actor, Action.PRODUCT_CHANGE, product)
    if not product_photos(product=product).filter(pk=document.pk).exists():
        raise ValidationError(_("This photo is not one of the product's photos."))
    name = document.original_name
    document_delete(document=document, actor=actor)
    audit_record(
        actor=actor,
        action="product.photo_remove",
        target=product,
        changes={"photo": [name, None]},
    )
    _catalogue(product)
