"""Files attached to dossier items: checked on the way in, served only to the dossier's readers."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ocop.documents.models import Document
from ocop.dossiers import selectors, services

from .conftest import PDF_BYTES, pdf, png_bytes

KEY = "doc:business-registration"
EXECUTABLE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64


def stored_files(media):
    return [p for p in media.rglob("*") if p.is_file()]


def upload(client, dossier, file, key=KEY):
    url = reverse("dossiers:item_file", args=[dossier.pk, key])
    return client.post(url, {"file": file}, follow=True)


def test_pdf_is_stored_for_the_item(media, client_as, dossier, producer):
    response = upload(client_as(producer), dossier, pdf("Giấy phép.pdf"))
    assert response.status_code == 200
    document = Document.objects.get()
    assert document.owner == dossier.items.get(key=KEY)
    assert (document.original_name, document.kind) == ("Giấy phép.pdf", "pdf")
    assert len(stored_files(media)) == 1
    assert "Giấy phép.pdf" in response.content.decode()


def test_image_is_accepted(media, dossier, producer):
    file = SimpleUploadedFile("nhan.png", png_bytes(), content_type="image/png")
    document = services.item_add_file(actor=producer, dossier=dossier, key=KEY, file=file)
    assert document.kind == "png"


def test_renamed_executable_is_refused(media, client_as, dossier, producer):
    file = SimpleUploadedFile("giay-phep.pdf", EXECUTABLE, content_type="application/pdf")
    response = upload(client_as(producer), dossier, file)
    assert "This type of file is not accepted" in response.content.decode()
    assert not Document.objects.exists()
    assert stored_files(media) == []


def test_oversized_file_is_refused(media, settings, client_as, dossier, producer):
    settings.UPLOAD_MAX_BYTES = 20
    response = upload(client_as(producer), dossier, pdf())
    assert "The file is too large" in response.content.decode()
    assert not Document.objects.exists()
    assert stored_files(media) == []


def test_oversized_file_is_refused_by_the_service(media, settings, dossier, producer):
    settings.UPLOAD_MAX_BYTES = 20
    with pytest.raises(ValidationError) as exc:
        services.item_add_file(actor=producer, dossier=dossier, key=KEY, file=pdf())
    assert exc.value.code == "too_large"
    assert not dossier.items.filter(key=KEY).exists() or not selectors.item_documents(
        item=dossier.items.get(key=KEY)
    )


def test_path_traversal_name_is_made_safe(media, client_as, dossier, producer):
    file = SimpleUploadedFile("../../etc/passwd.pdf", PDF_BYTES, content_type="application/pdf")
    upload(client_as(producer), dossier, file)
    document = Document.objects.get()
    assert document.original_name == "passwd.pdf"
    (path,) = stored_files(media)
    assert path.is_relative_to(media / "documents")
    assert "passwd" not in document.file.name
    assert not (media.parent / "etc").exists()


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("producer_member", 200),
        ("commune_officer", 200),
        ("provincial_officer", 200),
        ("administrator", 200),
        ("other_commune_officer", 404),
        ("other_provincial_officer", 404),
        ("other_producer_member", 404),
        ("council_member", 404),
    ],
)
def test_documents_are_served_to_the_dossiers_readers(
    media, world, client_as, dossier, producer, role, status
):
    document = services.item_add_file(actor=producer, dossier=dossier, key=KEY, file=pdf())
    response = client_as(world.users[role]).get(document.get_absolute_url())
    assert response.status_code == status
    if status == 200:
        assert b"".join(response.streaming_content) == PDF_BYTES
