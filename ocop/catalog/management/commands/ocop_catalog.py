"""Rebuild the public catalogue's listings from the register (after an import or a restore;
in normal use the services keep them up to date)."""

from django.core.management.base import BaseCommand

from ocop.catalog.selectors import listed
from ocop.catalog.services import listings_rebuild


class Command(BaseCommand):
    help = "rebuild: list every product holding a live certificate, and only those"

    def add_arguments(self, parser):
        parser.add_argument("verb", choices=["rebuild"])

    def handle(self, *args, verb: str, **options):
        total = listings_rebuild()
        shown = listed().count()  # an expired certificate's listing is kept, not shown
        self.stdout.write(f"{total} listing(s); {shown} recognised product(s) shown today.")
