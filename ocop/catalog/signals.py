"""What moves the catalogue's generation on (selectors.catalogue_changed): a save or a delete
of a listing. Bulk writes send no signal: the scale generator and a restore call
catalogue_changed() themselves."""

from django.db.models.signals import post_delete, post_save


def _changed(sender, **kwargs):
    from .selectors import catalogue_changed

    catalogue_changed()


def connect() -> None:
    from .models import Listing

    post_save.connect(_changed, sender=Listing, dispatch_uid="catalogue-listing")
    post_delete.connect(_changed, sender=Listing, dispatch_uid="catalogue-listing-d")
