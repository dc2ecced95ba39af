"""Make the smaller copies of every stored image that lacks them (after an import, or for
photos uploaded before copies were made)."""

from django.core.management.base import BaseCommand

from ocop.documents import images
from ocop.documents.models import IMAGE_KINDS, Document


class Command(BaseCommand):
    help = "Make the missing 320/640/1280-pixel copies of stored images"

    def handle(self, *args, **options):
        done = 0
        for document in Document.objects.filter(kind__in=IMAGE_KINDS).iterator():
            if images.variants_make(document):
                done += 1
        self.stdout.write(f"{done} image(s) have their copies.")
