import pytest
from django.urls import reverse

from ocop.accounts.permissions import Action
from ocop.documents.services import document_store
from ocop.producers.models import Producer

from .conftest import DOCX, PDF, PNG, upload


@pytest.fixture
def producer_owner(monkeypatch):
    """Producers stand in for plans and dossiers: they read with PRODUCER_VIEW."""
    monkeypatch.setattr(Producer, "view_action", Action.PRODUCER_VIEW, raising=False)


def _store(name, content, owner):
    return document_store(file=upload(name, content), uploaded_by=None, owner=owner)


def test_needs_login(client, world, media, producer_owner):
    document = _store("a.pdf", PDF, world.producer_a)
    response = client.get(document.get_absolute_url())
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_in_area_user_gets_a_pdf_inline(client_as, world, media, producer_owner):
    document = _store("Kế hoạch kinh doanh.pdf", PDF, world.producer_a)
    url = document.get_absolute_url()
    assert url == f"/documents/{document.pk}/ke-hoach-kinh-doanh.pdf"
    for role in ["producer_member", "commune_officer", "provincial_officer", "central_officer"]:
        response = client_as(world.users[role]).get(url)
        assert response.status_code == 200, role
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"].startswith("inline;")
        assert "filename*=utf-8''K%E1%BA%BF%20ho%E1%BA%A1ch" in response["Content-Disposition"]
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Cache-Control"] == "private"
        assert b"".join(response.streaming_content) == PDF


def test_office_files_are_attachments(client_as, world, media, producer_owner):
    document = _store("Thuyết minh.docx", DOCX, world.producer_a)
    response = client_as(world.users["producer_member"]).get(document.get_absolute_url())
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Type"] == DOCX_TYPE


DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def test_image_is_inline_with_its_type(client_as, world, media, producer_owner):
    document = _store("nhãn.png", PNG, world.producer_a)
    response = client_as(world.users["commune_officer"]).get(document.get_absolute_url())
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("inline;")


@pytest.mark.parametrize(
    "role",
    ["other_producer_member", "other_commune_officer", "other_provincial_officer", "no_role"],
)
def test_out_of_area_is_not_found(client_as, world, media, producer_owner, role):
    document = _store("a.pdf", PDF, world.producer_a)
    assert client_as(world.users[role]).get(document.get_absolute_url()).status_code == 404


def test_missing_document_is_not_found(client_as, world, media):
    client = client_as(world.users["administrator"])
    assert client.get(reverse("documents:download", args=[999, "x.pdf"])).status_code == 404


def test_the_name_in_the_url_does_not_matter(client_as, world, media, producer_owner):
    document = _store("a.pdf", PDF, world.producer_a)
    url = reverse("documents:download", args=[document.pk, "anything"])
    assert client_as(world.users["producer_member"]).get(url).status_code == 200


@pytest.mark.parametrize("with_owner", [False, True])
def test_without_owner_rule_only_administrators(client_as, world, media, with_owner):
    # No owner at all, or an owner whose model names no view_action.
    document = _store("a.pdf", PDF, world.producer_a if with_owner else None)
    url = document.get_absolute_url()
    assert client_as(world.users["producer_member"]).get(url).status_code == 404
    assert client_as(world.users["provincial_officer"]).get(url).status_code == 404
    assert client_as(world.users["administrator"]).get(url).status_code == 200


def test_file_gone_from_storage_is_not_found(client_as, world, media):
    document = _store("a.pdf", PDF, None)
    document.file.storage.delete(document.file.name)
    assert client_as(world.users["administrator"]).get(document.get_absolute_url()).status_code == (
        404
    )
