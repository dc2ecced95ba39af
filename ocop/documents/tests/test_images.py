import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from PIL import Image

from ocop.documents import images
from ocop.documents.services import document_store


def jpeg(width=1600, height=1200, exif_orientation=None) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    picture = Image.new("RGB", (width, height), (40, 120, 60))
    exif = Image.Exif()
    exif[0x0112] = exif_orientation or 1
    exif[0x8825] = {2: (11.0, 56.0, 0.0)}  # a GPS position, which copies must not keep
    picture.save(buffer, "JPEG", exif=exif.tobytes())
    return SimpleUploadedFile("anh.jpg", buffer.getvalue(), content_type="image/jpeg")


@pytest.fixture
def stored(media, db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return document_store(file=jpeg(), uploaded_by=None, owner=None)


def test_copies_are_made_on_upload(stored):
    storage = stored.file.storage
    for width in images.WIDTHS:
        with storage.open(images.variant_name(stored, width)) as handle, Image.open(handle) as im:
            assert (im.format, im.width) == ("WEBP", width)
            assert im.height == width * 3 // 4
            assert not im.getexif()


def test_the_nearest_copy_is_chosen(stored):
    assert images.variant_for(stored, 300).endswith(".w320.webp")
    assert images.variant_for(stored, 700).endswith(".w1280.webp")
    assert images.variant_for(stored, 5000).endswith(".w1280.webp")
    assert images.variant_for(stored, None) is None


def test_a_small_image_gets_one_copy_at_its_size(media, db):
    document = document_store(file=jpeg(200, 100), uploaded_by=None, owner=None)
    assert images.variants_make(document) == [320]
    with document.file.storage.open(images.variant_name(document, 320)) as h, Image.open(h) as im:
        assert im.width == 200  # never enlarged


def test_orientation_is_applied(media, db):
    document = document_store(file=jpeg(400, 300, exif_orientation=6), uploaded_by=None, owner=None)
    images.variants_make(document)
    with document.file.storage.open(images.variant_name(document, 320)) as h, Image.open(h) as im:
        assert im.height > im.width  # turned upright


def test_the_command_makes_missing_copies(media, db, capsys):
    document = document_store(file=jpeg(), uploaded_by=None, owner=None)  # no commit: no copies
    assert images.variant_for(document, 320) is None
    call_command("ocop_images")
    assert images.variant_for(document, 320) is not None
    assert "1 image(s)" in capsys.readouterr().out
