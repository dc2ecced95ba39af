"""Reading documents. Access follows the owner: a file is as visible as its record."""

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import QuerySet

from ocop.accounts.permissions import Action, can

from .models import Document


def document_visible(*, user, document: Document) -> bool:
    """May `user` read `document`?

    The owner model names the action that reads it in a class attribute `view_action`
    (e.g. Plan.view_action = Action.PLAN_VIEW). A document without an owner, or whose owner
    does not say, is readable by administrators only.
    """
    owner = document.owner
    action = getattr(owner, "view_action", None) if owner is not None else None
    if action is None:
        return can(user, Action.ADMIN_SITE)
    return can(user, action, owner)


def image_public(*, document: Document) -> bool:
    """May anyone see this image? Only when its owner says its images are public
    (`images_public()`: a product recognised by a certificate shows its photos on its
    stamps and in the catalogue)."""
    if not document.is_image:
        return False
    owner = document.owner
    published = getattr(owner, "images_public", None)
    return bool(published and published())


def document_list(*, owner: models.Model) -> QuerySet[Document]:
    """The documents attached to `owner`, newest first (the caller has checked access to it)."""
    return Document.objects.filter(
        owner_type=ContentType.objects.get_for_model(owner), owner_id=str(owner.pk)
    ).select_related("uploaded_by")
