from django import forms
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from ocop.documents.forms import DocumentUploadField
from ocop.documents.models import IMAGE_KINDS
from ocop.documents.services import document_store

from .conftest import PDF, upload


class ImageForm(forms.Form):
    photo = DocumentUploadField(kinds=IMAGE_KINDS)


class AnyForm(forms.Form):
    attachment = DocumentUploadField()


def test_accept_lists_the_allowed_extensions(settings):
    settings.UPLOAD_MAX_BYTES = 5 * 1024 * 1024
    html = str(ImageForm()["photo"])
    assert 'accept=".jpg,.jpeg,.jpe,.jfif,.png,.webp"' in html
    assert 'accept=".pdf,.jpg,' in str(AnyForm()["attachment"])
    with translation.override("en"):
        assert str(ImageForm().fields["photo"].help_text) == (
            "Accepted types: JPEG, PNG, WebP; at most 5 MB."
        )


def test_admin_lists_documents_read_only(client, world, media):
    admin = world.users["administrator"]
    admin.is_staff = admin.is_superuser = True
    admin.save()
    document = document_store(
        file=upload("Kế hoạch.pdf", PDF), uploaded_by=admin, owner=world.producer_a
    )
    client.force_login(admin)
    response = client.get(reverse("admin:documents_document_changelist"))
    assert response.status_code == 200
    assert "Kế hoạch.pdf" in response.content.decode()
    assert world.producer_a.legal_name in response.content.decode()
    assert client.get(reverse("admin:documents_document_add")).status_code == 403
    change = reverse("admin:documents_document_change", args=[document.pk])
    assert client.post(change, {}).status_code == 403


def test_list_include_links_each_document(world, media):
    document = document_store(file=upload("Kế hoạch.pdf", PDF), uploaded_by=None, owner=None)
    html = render_to_string("documents/_list.html", {"documents": [document]})
    assert f'href="{document.get_absolute_url()}"' in html
    assert "Kế hoạch.pdf" in html
