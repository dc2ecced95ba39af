import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ocop.audit.selectors import audit_history
from ocop.documents.models import Document
from ocop.ideas.models import IdeaStatus
from ocop.products import selectors
from ocop.products.models import Product

from .conftest import PDF_BYTES, make_idea, make_product, png_bytes


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def form_data(world, group, **overrides):
    data = {
        "producer": world.producer_a.pk,
        "name": "Cà phê Arabica Lang Biang",
        "product_group": group.pk,
        "packaging": "hộp 200 g",
        "gtin": "",
        "shelf_life": "12 tháng",
    }
    data.update(overrides)
    return data


def test_list_needs_login(client, world):
    response = client.get(reverse("products:list"))
    assert response.status_code == 302


def test_list_shows_only_the_area_with_empty_state(client_as, world, group):
    make_product(world.producer_a, group)
    make_product(world.producer_c, group)
    client = client_as(world.users["commune_officer"])
    response = client.get(reverse("products:list"))
    assert [p.producer for p in response.context["page"].object_list] == [world.producer_a]
    response = client.get(reverse("products:list"), {"q": "zzz"})
    assert b'class="card empty"' in response.content


def test_list_paginates_and_serves_htmx_partial(client_as, world, group, settings):
    settings.PAGE_SIZE = 1
    make_product(world.producer_a, group)
    make_product(world.producer_b, group)
    response = client_as(world.users["administrator"]).get(
        reverse("products:list"), {"page": 2}, HTTP_HX_REQUEST="true"
    )
    assert response.templates[0].name == "products/_results.html"
    assert response.context["page"].number == 2


def test_roles_without_product_reach_get_403(client_as, world):
    response = client_as(world.users["council_member"]).get(reverse("products:list"))
    assert response.status_code == 403


def test_other_area_product_is_not_found(client_as, world, group):
    product = make_product(world.producer_c, group)
    client = client_as(world.users["commune_officer"])
    assert client.get(reverse("products:detail", args=[product.pk])).status_code == 404
    assert client.get(reverse("products:edit", args=[product.pk])).status_code == 404
    url = reverse("products:photo_add", args=[product.pk])
    assert client.post(url, {"photo": SimpleUploadedFile("a.png", png_bytes())}).status_code == 404


def test_central_officer_reads_but_cannot_change(client_as, world, group):
    product = make_product(world.producer_c, group)
    client = client_as(world.users["central_officer"])
    response = client.get(reverse("products:detail", args=[product.pk]))
    assert response.status_code == 200
    assert response.context["criteria_set"].code == "qd148-food-coffee-tea"
    assert client.get(reverse("products:edit", args=[product.pk])).status_code == 403
    assert client.get(reverse("products:create")).status_code == 403


def test_create_preselects_the_only_producer_and_limits_ideas(client_as, world, group):
    accepted = make_idea(world.producer_a, group)
    make_idea(world.producer_a, group, status=IdeaStatus.SUBMITTED, name="Trà chưa duyệt")
    make_idea(world.producer_b, group, name="Ý tưởng của chủ thể khác")
    response = client_as(world.users["producer_member"]).get(reverse("products:create"))
    form = response.context["form"]
    assert form["producer"].value() == world.producer_a.pk
    assert list(form.fields["producer"].queryset) == [world.producer_a]
    assert list(form.fields["idea"].queryset) == [accepted]


def test_create_records_the_product(client_as, world, group):
    client = client_as(world.users["producer_member"])
    response = client.post(reverse("products:create"), form_data(world, group))
    product = Product.objects.get()
    assert response.status_code == 302
    assert response["Location"] == product.get_absolute_url()
    assert product.created_by == world.users["producer_member"]
    page = client.get(product.get_absolute_url())
    assert "product.create" in {e.action for e in page.context["history"]}


def test_create_for_another_producer_is_refused_in_the_form(client_as, world, group):
    client = client_as(world.users["producer_member"])
    response = client.post(
        reverse("products:create"), form_data(world, group, producer=world.producer_b.pk)
    )
    assert response.status_code == 200
    assert "producer" in response.context["form"].errors
    assert not Product.objects.exists()


def test_invalid_form_keeps_the_input(client_as, world, group):
    client = client_as(world.users["producer_member"])
    response = client.post(
        reverse("products:create"), form_data(world, group, gtin="8934563138166")
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "gtin" in form.errors
    assert form["name"].value() == "Cà phê Arabica Lang Biang"
    assert "Cà phê Arabica Lang Biang" in response.content.decode()


def test_edit_saves_and_records_history(client_as, world, group):
    product = make_product(world.producer_a, group)
    client = client_as(world.users["commune_officer"])
    data = form_data(world, group, name="Cà phê Culi")
    data.pop("producer")
    response = client.post(reverse("products:edit", args=[product.pk]), data)
    assert response.status_code == 302
    product.refresh_from_db()
    assert product.name == "Cà phê Culi"
    assert audit_history(target=product).first().action == "product.update"


def test_photo_upload_and_removal(client_as, world, group):
    product = make_product(world.producer_a, group)
    client = client_as(world.users["producer_member"])
    photo = SimpleUploadedFile("ca-phe.png", png_bytes(), content_type="image/png")
    response = client.post(reverse("products:photo_add", args=[product.pk]), {"photo": photo})
    assert response.status_code == 302
    document = selectors.product_photos(product=product).get()
    assert (document.kind, document.original_name) == ("png", "ca-phe.png")
    page = client.get(product.get_absolute_url())
    assert document.get_absolute_url() in page.content.decode()
    url = reverse("products:photo_remove", args=[product.pk, document.pk])
    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 302
    assert not Document.objects.exists()
    actions = [e.action for e in audit_history(target=product)]
    assert actions == ["product.photo_remove", "product.photo_add"]


def test_a_pdf_is_not_a_photo(client_as, world, group):
    product = make_product(world.producer_a, group)
    client = client_as(world.users["producer_member"])
    pdf = SimpleUploadedFile("anh.pdf", PDF_BYTES, content_type="application/pdf")
    response = client.post(
        reverse("products:photo_add", args=[product.pk]), {"photo": pdf}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400
    assert response.context["photo_form"].errors["photo"]
    assert "This type of file is not accepted" in response.content.decode()
    assert not Document.objects.exists()


def test_reader_cannot_upload_photos(client_as, world, group):
    product = make_product(world.producer_a, group)
    client = client_as(world.users["central_officer"])
    photo = SimpleUploadedFile("a.png", png_bytes())
    response = client.post(reverse("products:photo_add", args=[product.pk]), {"photo": photo})
    assert response.status_code == 403
