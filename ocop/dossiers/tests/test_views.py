import pytest
from django.urls import reverse

from ocop.documents.models import Document
from ocop.dossiers import services
from ocop.dossiers.models import Dossier, DossierStatus, ReviewComment

from .conftest import fill, make_product, pdf, submitted

S = DossierStatus


def url(name, dossier, *args):
    return reverse(f"dossiers:{name}", args=[dossier.pk, *args])


def test_list_is_scoped_to_the_area(world, client_as, dossier, fresh_produce):
    other = make_product(world.producer_c, fresh_produce, name="Rau Bát Tràng")
    services.dossier_create(actor=world.users["administrator"], product=other)
    page = client_as(world.users["commune_officer"]).get(reverse("dossiers:list"))
    assert page.status_code == 200
    assert "Rau cải Lạc Dương" in page.content.decode()
    assert "Rau Bát Tràng" not in page.content.decode()
    page = client_as(world.users["other_provincial_officer"]).get(reverse("dossiers:list"))
    assert "Rau Bát Tràng" in page.content.decode()
    assert "Rau cải Lạc Dương" not in page.content.decode()


def test_list_filters_by_status(client_as, dossier, producer):
    client = client_as(producer)
    assert "Rau cải" in client.get(reverse("dossiers:list"), {"status": "draft"}).content.decode()
    assert (
        "Rau cải"
        not in client.get(reverse("dossiers:list"), {"status": "accepted"}).content.decode()
    )


def test_list_needs_a_role(world, client_as):
    assert client_as(world.users["no_role"]).get(reverse("dossiers:list")).status_code == 403


def test_create_form(client_as, product, producer):
    client = client_as(producer)
    assert client.get(reverse("dossiers:create")).status_code == 200
    response = client.post(reverse("dossiers:create"), {"product": product.pk, "purpose": "first"})
    dossier = Dossier.objects.get()
    assert response.status_code == 302
    assert response["Location"] == dossier.get_absolute_url()
    assert dossier.created_by == producer


def test_create_form_shows_a_dossier_in_progress(client_as, dossier, product, producer):
    response = client_as(producer).post(
        reverse("dossiers:create"), {"product": product.pk, "purpose": "first"}
    )
    assert response.status_code == 200
    assert "in progress already" in response.content.decode()
    assert Dossier.objects.count() == 1


def test_officer_may_not_create(client_as, product, officer):
    assert client_as(officer).get(reverse("dossiers:create")).status_code == 403


def test_detail_for_the_producer_lists_what_is_missing(client_as, dossier, producer):
    page = client_as(producer).get(dossier.get_absolute_url())
    assert page.status_code == 200
    body = page.content.decode()
    assert 'class="missing"' in body
    assert "Bản sao giấy chứng nhận đăng ký kinh doanh" in body
    assert "choose an answer" in body
    assert url("item_file", dossier, "crit:A1.1") in body


def test_detail_for_the_officer(client_as, dossier, officer):
    page = client_as(officer).get(dossier.get_absolute_url())
    assert page.status_code == 200
    body = page.content.decode()
    assert "Rau cải Lạc Dương" in body
    assert url("item_file", dossier, "crit:A1.1") not in body  # nothing to edit


def test_complete_dossier_says_so(client_as, dossier, producer):
    fill(dossier, producer)
    body = client_as(producer).get(dossier.get_absolute_url()).content.decode()
    assert "The dossier is complete." in body


@pytest.mark.parametrize("role", ["other_commune_officer", "other_producer_member"])
def test_out_of_area_is_not_found(world, client_as, dossier, producer, role):
    submitted(dossier, producer)
    client = client_as(world.users[role])
    for name, args in [("detail", ()), ("review", ()), ("version", (1,))]:
        assert client.get(url(name, dossier, *args)).status_code == 404, name
    response = client.post(url("item_answer", dossier, "crit:A1.1"), {"option": "a"})
    assert response.status_code == 404


@pytest.mark.parametrize("name", ["item_answer", "item_file", "item_link", "item_reviewed"])
def test_item_endpoints_take_post_only(client_as, dossier, producer, name):
    assert client_as(producer).get(url(name, dossier, "crit:A1.1")).status_code == 405


def test_answer(client_as, dossier, producer):
    response = client_as(producer).post(
        url("item_answer", dossier, "crit:A1.1"), {"option": "c", "explanation": "100% tại xã"}
    )
    assert response["Location"] == dossier.get_absolute_url() + "#crit-A1-1"
    item = dossier.items.get(key="crit:A1.1")
    assert (item.option, item.explanation) == ("c", "100% tại xã")


def test_answer_with_an_unknown_option_shows_a_message(client_as, dossier, producer):
    response = client_as(producer).post(
        url("item_answer", dossier, "crit:A1.1"), {"option": "z"}, follow=True
    )
    assert "Choose one of the criterion" in response.content.decode()
    assert not dossier.items.exists()


def test_document_note(client_as, dossier, producer):
    response = client_as(producer).post(
        url("item_answer", dossier, "doc:product-story"), {"explanation": "Xem trang web"}
    )
    assert response["Location"].endswith("#doc-product-story")
    assert dossier.items.get(key="doc:product-story").explanation == "Xem trang web"


def test_officer_may_not_answer(client_as, dossier, officer):
    response = client_as(officer).post(url("item_answer", dossier, "crit:A1.1"), {"option": "a"})
    assert response.status_code == 403


def test_link_add_and_remove(client_as, dossier, producer):
    client = client_as(producer)
    endpoint = url("item_link", dossier, "doc:product-story")
    response = client.post(endpoint, {"url": "https://htx.vn/cau-chuyen"})
    assert response["Location"].endswith("#doc-product-story")
    assert dossier.items.get().links == ["https://htx.vn/cau-chuyen"]
    client.post(endpoint, {"remove": "https://htx.vn/cau-chuyen"})
    assert dossier.items.get().links == []


def test_bad_link_shows_a_message(client_as, dossier, producer):
    response = client_as(producer).post(
        url("item_link", dossier, "doc:product-story"), {"url": "ftp://x"}, follow=True
    )
    assert "Enter a full web address" in response.content.decode()


def test_file_upload_and_remove(media, client_as, dossier, producer):
    client = client_as(producer)
    response = client.post(url("item_file", dossier, "doc:product-label"), {"file": pdf()})
    assert response["Location"].endswith("#doc-product-label")
    document = Document.objects.get()
    response = client.post(url("file_remove", dossier, document.pk))
    assert response["Location"].endswith("#doc-product-label")
    assert not Document.objects.exists()


def test_file_upload_without_a_file(client_as, dossier, producer):
    response = client_as(producer).post(url("item_file", dossier, "doc:product-label"), follow=True)
    assert "Choose a file to upload." in response.content.decode()


def test_mark_reviewed(client_as, dossier, product, producer, officer):
    submitted(dossier, producer)
    services.dossier_accept(actor=officer, dossier=dossier)
    new = services.dossier_create(actor=producer, product=product)
    body = client_as(producer).get(new.get_absolute_url()).content.decode()
    assert "Carried over: review" in body
    response = client_as(producer).post(url("item_reviewed", new, "doc:product-story"))
    assert response["Location"].endswith("#doc-product-story")
    assert not new.items.get(key="doc:product-story").needs_review
    assert new.items.get(key="doc:product-label").needs_review


def test_submit(client_as, dossier, producer):
    fill(dossier, producer)
    response = client_as(producer).post(url("submit", dossier), follow=True)
    assert "The dossier is submitted" in response.content.decode()
    dossier.refresh_from_db()
    assert (dossier.status, dossier.version) == (S.SUBMITTED, 1)


def test_submit_incomplete_shows_why(client_as, dossier, producer):
    response = client_as(producer).post(url("submit", dossier), follow=True)
    assert "The dossier is not complete" in response.content.decode()
    dossier.refresh_from_db()
    assert dossier.status == S.DRAFT


def test_review_page_for_reviewers_only(client_as, dossier, producer, officer):
    submitted(dossier, producer)
    assert client_as(producer).get(url("review", dossier)).status_code == 403
    page = client_as(officer).get(url("review", dossier))
    assert page.status_code == 200
    assert 'name="comment-crit:A1.1"' in page.content.decode()


def test_return_with_item_comments(client_as, dossier, producer, officer):
    submitted(dossier, producer)
    response = client_as(officer).post(
        url("review", dossier),
        {
            "decision": "return",
            "reason": "Cần bổ sung bằng chứng",
            "comment-crit:A1.1": "Ghi rõ tỷ lệ",
            "comment-doc:product-story": "Thiếu ảnh",
            "comment-crit:A1.2": "",
        },
    )
    assert response["Location"] == dossier.get_absolute_url()
    dossier.refresh_from_db()
    assert dossier.status == S.RETURNED
    assert dict(ReviewComment.objects.values_list("item_key", "text")) == {
        "crit:A1.1": "Ghi rõ tỷ lệ",
        "doc:product-story": "Thiếu ảnh",
    }
    body = client_as(producer).get(dossier.get_absolute_url()).content.decode()
    assert "Ghi rõ tỷ lệ" in body
    assert url("item_file", dossier, "crit:A1.1") in body
    assert url("item_file", dossier, "doc:product-story") in body
    assert url("item_file", dossier, "crit:A1.2") not in body


def test_return_without_reason_stays_on_the_page(client_as, dossier, producer, officer):
    submitted(dossier, producer)
    response = client_as(officer).post(url("review", dossier), {"decision": "return"})
    assert response.status_code == 200
    assert "Say why" in response.content.decode()
    dossier.refresh_from_db()
    assert dossier.status == S.SUBMITTED


def test_accept(client_as, dossier, producer, officer):
    submitted(dossier, producer)
    response = client_as(officer).post(url("review", dossier), {"decision": "accept"})
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == S.ACCEPTED


def test_version_page_shows_the_diff(client_as, dossier, producer, officer):
    submitted(dossier, producer)
    services.dossier_return(
        actor=officer, dossier=dossier, reason="Bổ sung", comments={"crit:A1.1": "Rõ hơn"}
    )
    services.item_answer(
        actor=producer, dossier=dossier, criterion="A1.1", option="b", explanation="Khoảng 60%"
    )
    services.dossier_submit(actor=producer, dossier=dossier)
    page = client_as(officer).get(url("version", dossier, 2))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Changes since version 1" in body
    assert "Khoảng 60%" in body
    assert "explanation, option" in body
    assert "A1.1 Nguồn gốc sản phẩm" in body
    assert "Gia tăng giá trị" not in body  # A1.2 did not change
    assert client_as(officer).get(url("version", dossier, 3)).status_code == 404
