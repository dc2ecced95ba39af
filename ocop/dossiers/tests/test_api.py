import pytest

from ocop.documents.models import Document
from ocop.dossiers import services
from ocop.dossiers.models import Dossier, DossierStatus

from .conftest import SET_CODE, fill, make_product, pdf, submitted

S = DossierStatus
BASE = "/api/dossiers"


def put(client, path, data):
    return client.put(path, data, content_type="application/json")


def post(client, path, data=None):
    return client.post(path, data or {}, content_type="application/json")


def test_api_needs_login(client, world):
    assert client.get(f"{BASE}/").status_code == 401


def test_list_is_scoped_and_filtered(world, client_as, dossier, fresh_produce):
    other = make_product(world.producer_c, fresh_produce, name="Rau Bát Tràng")
    services.dossier_create(actor=world.users["administrator"], product=other)
    client = client_as(world.users["commune_officer"])
    body = client.get(f"{BASE}/").json()
    assert body["count"] == 1
    row = body["items"][0]
    assert (row["id"], row["product"], row["status"], row["criteria_set"]) == (
        dossier.pk,
        "Rau cải Lạc Dương",
        "draft",
        SET_CODE,
    )
    assert client.get(f"{BASE}/", {"status": "submitted"}).json()["count"] == 0
    admin = client_as(world.users["administrator"])
    assert admin.get(f"{BASE}/", {"status": "draft"}).json()["count"] == 2


def test_detail(media, client_as, dossier, producer):
    services.item_add_file(actor=producer, dossier=dossier, key="doc:product-label", file=pdf())
    body = client_as(producer).get(f"{BASE}/{dossier.pk}").json()
    assert (body["status"], body["version"], body["product_id"]) == ("draft", 0, dossier.product_id)
    assert body["criteria_set"] == SET_CODE
    assert body["self_score"]["criteria_set"] == SET_CODE
    assert body["self_score"]["complete"] is False
    assert {"key": "crit:A1.1", "reason": "answer"} in body["missing"]
    assert {"key": "doc:product-label", "reason": "document"} not in body["missing"]
    (item,) = body["items"]
    assert item["key"] == "doc:product-label"
    (file,) = item["files"]
    assert file["name"] == "chung-nhan.pdf"
    assert file["url"] == Document.objects.get(pk=file["id"]).get_absolute_url()
    assert body["open_comments"] == []


@pytest.mark.parametrize("role", ["other_commune_officer", "other_producer_member"])
def test_detail_out_of_area_is_not_found(world, client_as, dossier, role):
    client = client_as(world.users[role])
    assert client.get(f"{BASE}/{dossier.pk}").status_code == 404
    assert put(client, f"{BASE}/{dossier.pk}/items/crit:A1.1", {"option": "a"}).status_code == 404


def test_create(client_as, product, producer):
    response = post(client_as(producer), f"{BASE}/", {"product": product.pk, "purpose": "first"})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["id"] == Dossier.objects.get().pk
    assert body["status"] == "draft"


def test_create_errors(world, client_as, dossier, product, producer):
    data = {"product": product.pk, "purpose": "first"}
    response = post(client_as(producer), f"{BASE}/", data)
    assert response.status_code == 422
    assert "in progress already" in response.json()["detail"]["__all__"][0]
    assert post(client_as(world.users["commune_officer"]), f"{BASE}/", data).status_code == 403
    other = client_as(world.users["other_producer_member"])
    assert post(other, f"{BASE}/", data).status_code == 404
    assert post(client_as(producer), f"{BASE}/", {**data, "purpose": "x"}).status_code == 422


def test_answer_a_criterion(client_as, dossier, producer):
    client = client_as(producer)
    path = f"{BASE}/{dossier.pk}/items/crit:A1.1"
    response = put(client, path, {"option": "c", "explanation": "100% tại xã"})
    assert response.status_code == 200, response.content
    (item,) = response.json()["items"]
    assert (item["key"], item["option"], item["explanation"]) == ("crit:A1.1", "c", "100% tại xã")
    # a field left out keeps its value
    (item,) = put(client, path, {"explanation": "Toàn bộ tại xã"}).json()["items"]
    assert (item["option"], item["explanation"]) == ("c", "Toàn bộ tại xã")


def test_document_note(client_as, dossier, producer):
    client = client_as(producer)
    path = f"{BASE}/{dossier.pk}/items/doc:product-story"
    (item,) = put(client, path, {"explanation": "Xem trang web"}).json()["items"]
    assert item["explanation"] == "Xem trang web"
    assert put(client, path, {"option": "a"}).status_code == 422


def test_item_errors(client_as, dossier, producer, officer):
    client = client_as(producer)
    response = put(client, f"{BASE}/{dossier.pk}/items/crit:A1.1", {"option": "z"})
    assert response.status_code == 422
    assert response.json()["detail"]["__all__"] == ["Choose one of the criterion's options."]
    assert put(client, f"{BASE}/{dossier.pk}/items/crit:Z9.9", {"option": "a"}).status_code == 422
    response = put(client_as(officer), f"{BASE}/{dossier.pk}/items/crit:A1.1", {"option": "a"})
    assert response.status_code == 403


def test_add_link(client_as, dossier, producer):
    client = client_as(producer)
    path = f"{BASE}/{dossier.pk}/items/doc:product-story/links"
    response = post(client, path, {"url": "https://htx.vn/cau-chuyen"})
    assert response.status_code == 200
    assert response.json()["items"][0]["links"] == ["https://htx.vn/cau-chuyen"]
    assert post(client, path, {"url": "not a link"}).status_code == 422


def test_submit(client_as, dossier, producer):
    client = client_as(producer)
    response = post(client, f"{BASE}/{dossier.pk}/submit")
    assert response.status_code == 422
    assert "not complete" in response.json()["detail"]["__all__"][0]
    fill(dossier, producer)
    response = post(client, f"{BASE}/{dossier.pk}/submit")
    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["version"], body["missing"]) == ("submitted", 1, [])
    assert body["self_score"]["total"] == 100


def test_submit_by_officer_is_forbidden(client_as, dossier, producer, officer):
    fill(dossier, producer)
    assert post(client_as(officer), f"{BASE}/{dossier.pk}/submit").status_code == 403


def test_open_comments(client_as, dossier, producer, officer):
    submitted(dossier, producer)
    services.dossier_return(
        actor=officer, dossier=dossier, reason="Bổ sung", comments={"crit:A1.1": "Rõ hơn"}
    )
    body = client_as(producer).get(f"{BASE}/{dossier.pk}").json()
    assert body["status"] == "returned"
    assert [(c["item_key"], c["text"], c["version"]) for c in body["open_comments"]] == [
        ("crit:A1.1", "Rõ hơn", 1)
    ]
    response = put(client_as(producer), f"{BASE}/{dossier.pk}/items/crit:A1.2", {"option": "a"})
    assert response.status_code == 422


def test_openapi_lists_the_dossier_paths(client):
    paths = client.get("/api/openapi.json").json()["paths"]
    assert {
        "/api/dossiers/",
        "/api/dossiers/{dossier_id}",
        "/api/dossiers/{dossier_id}/items/{key}",
        "/api/dossiers/{dossier_id}/items/{key}/links",
        "/api/dossiers/{dossier_id}/submit",
    } <= set(paths)
    assert "put" in paths["/api/dossiers/{dossier_id}/items/{key}"]
    assert paths["/api/dossiers/"]["get"]["tags"] == ["dossiers"]
