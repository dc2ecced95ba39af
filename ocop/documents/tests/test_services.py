import hashlib
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile

from ocop.audit.models import AuditEvent
from ocop.documents.models import IMAGE_KINDS, Document, DocumentKind
from ocop.documents.services import document_delete, document_store

from .conftest import DOCM, DOCX, EXE, JPEG, PDF, PLAIN_ZIP, PNG, WEBP, XLSX, stored_files, upload


@pytest.mark.parametrize(
    ("name", "content", "kind", "content_type", "stored_name"),
    [
        ("Kế hoạch kinh doanh.pdf", PDF, "pdf", "application/pdf", "Kế hoạch kinh doanh.pdf"),
        ("Ảnh sản phẩm.JPG", JPEG, "jpeg", "image/jpeg", "Ảnh sản phẩm.jpg"),
        ("nhãn.png", PNG, "png", "image/png", "nhãn.png"),
        ("bao-bi.webp", WEBP, "webp", "image/webp", "bao-bi.webp"),
        (
            "Thuyết minh.docx",
            DOCX,
            "docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "Thuyết minh.docx",
        ),
        (
            "Bảng giá.xlsx",
            XLSX,
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "Bảng giá.xlsx",
        ),
    ],
)
def test_each_kind_is_stored(world, media, name, content, kind, content_type, stored_name):
    user = world.users["producer_member"]
    document = document_store(file=upload(name, content), uploaded_by=user, owner=world.producer_a)
    document.refresh_from_db()
    assert document.kind == kind
    assert document.content_type == content_type
    assert document.original_name == stored_name
    assert document.size == len(content)
    assert document.sha256 == hashlib.sha256(content).hexdigest()
    assert document.owner == world.producer_a
    assert document.uploaded_by == user
    assert document.is_image == (kind in IMAGE_KINDS)
    # On disk: a random name under documents/<year>/<month>/, never the person's name.
    assert document.file.name.startswith("documents/")
    assert name.rpartition(".")[0] not in document.file.name
    with document.file.open("rb") as stored:
        assert stored.read() == content
    event = AuditEvent.objects.get(action="document.upload")
    assert event.actor == user and event.target_id == str(document.pk)


def test_browser_content_type_is_ignored(world, media):
    document = document_store(
        file=upload("scan.pdf", PDF, content_type="image/png"), uploaded_by=None, owner=None
    )
    assert document.content_type == "application/pdf"


def test_name_without_extension_gets_the_real_one(world, media):
    document = document_store(file=upload("Biên bản v1.2", PDF), uploaded_by=None, owner=None)
    assert document.original_name == "Biên bản v1.2.pdf"


def test_a_plain_django_file_is_accepted(world, media):
    document = document_store(file=ContentFile(PNG, name="logo.png"), uploaded_by=None, owner=None)
    assert document.kind == DocumentKind.PNG


def _refused(media, code, **kwargs) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        document_store(uploaded_by=None, owner=None, **kwargs)
    assert caught.value.code == code
    # Nothing was written: no file in storage, no row, no audit entry.
    assert stored_files(media) == []
    assert not Document.objects.exists()
    assert not AuditEvent.objects.filter(action="document.upload").exists()
    return caught.value


def test_renamed_executable_is_refused(world, media):
    error = _refused(media, "type_not_allowed", file=upload("report.pdf", EXE, "application/pdf"))
    assert "PDF, JPEG, PNG, WebP, DOCX, XLSX" in error.messages[0]


@pytest.mark.parametrize(
    ("name", "content"),
    [("archive.docx", PLAIN_ZIP), ("macro.docx", DOCM), ("notes.txt", b"just some text")],
)
def test_other_content_is_refused(world, media, name, content):
    _refused(media, "type_not_allowed", file=upload(name, content))


@pytest.mark.parametrize(
    ("name", "content"),
    [("photo.png", PDF), ("report.exe", PDF), ("table.xlsx", DOCX), ("photo.jpg", PNG)],
)
def test_extension_contradicting_content_is_refused(world, media, name, content):
    error = _refused(media, "extension_mismatch", file=upload(name, content))
    assert f".{name.rpartition('.')[2]}" in error.messages[0]


def test_oversized_file_is_refused_with_the_limit(world, media, settings):
    settings.UPLOAD_MAX_BYTES = 2 * 1024 * 1024
    big = PDF + b"%" * (2 * 1024 * 1024)
    error = _refused(media, "too_large", file=upload("big.pdf", big))
    assert "2 MB" in error.messages[0]


def test_empty_file_is_refused(world, media):
    _refused(media, "empty", file=upload("empty.pdf", b""))


def test_kinds_restrict_what_is_accepted(world, media):
    error = _refused(media, "type_not_allowed", file=upload("a.pdf", PDF), kinds=IMAGE_KINDS)
    assert "JPEG, PNG, WebP" in error.messages[0]
    assert "PDF" not in error.messages[0]
    assert document_store(
        file=upload("a.png", PNG), uploaded_by=None, owner=None, kinds=IMAGE_KINDS
    ).is_image


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("C:\\Windows\\x.pdf", "x.pdf"),
        ("..\\..\\..pdf", "pdf.pdf"),
        ("../...", "document.pdf"),
        ("\x00evil\x1b[31m name\n.pdf", "evil[31m name.pdf"),
        ('a<b>c:"d|e?f*.PDF', "abcdef.pdf"),
    ],
)
def test_names_are_sanitised(world, media, name, expected):
    document = document_store(file=upload("x.pdf", PDF), uploaded_by=None, owner=None)
    assert document.original_name == "x.pdf"
    f = upload("x.pdf", PDF)
    f.name = name  # SimpleUploadedFile strips directories itself; a plain File does not
    document = document_store(file=f, uploaded_by=None, owner=None)
    assert document.original_name == expected
    assert ".." not in document.file.name


def test_failed_save_removes_the_stored_file(world, media):
    with (
        mock.patch("ocop.documents.services.audit_record", side_effect=RuntimeError("db down")),
        pytest.raises(RuntimeError),
    ):
        document_store(file=upload("a.pdf", PDF), uploaded_by=None, owner=None)
    assert stored_files(media) == []
    assert not Document.objects.exists()


def test_unsaved_owner_is_a_programming_error(world, media):
    from ocop.producers.models import Producer

    with pytest.raises(ValueError):
        document_store(file=upload("a.pdf", PDF), uploaded_by=None, owner=Producer())
    assert stored_files(media) == []


@pytest.mark.django_db(transaction=True)
def test_delete_removes_row_and_file_after_commit(media):
    document = document_store(file=upload("a.pdf", PDF), uploaded_by=None, owner=None)
    assert len(stored_files(media)) == 1
    document_delete(document=document, actor=None)
    assert not Document.objects.exists()
    assert stored_files(media) == []
    assert AuditEvent.objects.filter(action="document.delete").count() == 1


def test_delete_keeps_the_file_until_commit(world, media, django_capture_on_commit_callbacks):
    document = document_store(file=upload("a.pdf", PDF), uploaded_by=None, owner=None)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        document_delete(document=document, actor=world.users["administrator"])
    assert not Document.objects.exists()
    assert len(stored_files(media)) == 1  # not yet committed: the file stays
    callbacks[0]()
    assert stored_files(media) == []
