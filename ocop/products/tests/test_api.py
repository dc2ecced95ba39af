import pytest
from stdnum import ean

from ocop.ideas.models import IdeaStatus
from ocop.products.models import Product

from .conftest import make_idea, make_product

GTIN = "893456313816" + ean.calc_check_digit("893456313816")


def payload(world, group, **overrides):
    data = {
        "producer_id": world.producer_a.pk,
        "product_group_id": group.pk,
        "name": "Cà phê Arabica Lang Biang",
        "packaging": "hộp 200 g",
        "gtin": GTIN,
    }
    data.update(overrides)
    return data


def post(client, data):
    return client.post("/api/products/", data, content_type="application/json")


def patch(client, product, data):
    return client.patch(f"/api/products/{product.pk}", data, content_type="application/json")


def test_api_needs_login(client, world):
    assert client.get("/api/products/").status_code == 401


def test_api_lists_only_the_area(client_as, world, group):
    make_product(world.producer_a, group)
    make_product(world.producer_c, group)
    body = client_as(world.users["commune_officer"]).get("/api/products/").json()
    assert body["count"] == 1
    item = body["items"][0]
    assert item["producer_id"] == world.producer_a.pk
    assert item["criteria_set"] == "qd148-food-coffee-tea"
    assert item["photos"] == []


def test_api_filters(client_as, world, group, other_group):
    make_product(world.producer_a, group)
    make_product(world.producer_b, other_group)
    client = client_as(world.users["administrator"])
    assert client.get("/api/products/", {"producer": world.producer_b.pk}).json()["count"] == 1
    assert client.get("/api/products/", {"product_group": group.pk}).json()["count"] == 1
    assert client.get("/api/products/", {"q": "rang xay"}).json()["count"] == 2


def test_api_detail_hides_other_areas(client_as, world, group):
    own, foreign = make_product(world.producer_a, group), make_product(world.producer_c, group)
    client = client_as(world.users["producer_member"])
    assert client.get(f"/api/products/{own.pk}").json()["name"] == own.name
    assert client.get(f"/api/products/{foreign.pk}").status_code == 404


def test_api_create(client_as, world, group):
    idea = make_idea(world.producer_a, group)
    client = client_as(world.users["producer_member"])
    response = post(client, payload(world, group, idea_id=idea.pk))
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["gtin"], body["idea_id"], body["plan_id"]) == (GTIN, idea.pk, None)
    assert Product.objects.get().created_by == world.users["producer_member"]


@pytest.mark.parametrize(
    ("role", "producer", "status"),
    [
        ("other_producer_member", "producer_a", 404),  # not visible: not disclosed
        ("central_officer", "producer_a", 403),  # visible, read-only
        ("commune_officer", "producer_c", 404),
    ],
)
def test_api_create_refusals(client_as, world, group, role, producer, status):
    client = client_as(world.users[role])
    response = post(client, payload(world, group, producer_id=getattr(world, producer).pk))
    assert response.status_code == status
    assert not Product.objects.exists()


def test_api_create_invalid_gives_422_with_messages(client_as, world, group):
    client = client_as(world.users["producer_member"])
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"  # the API answers in the request's language
    declined = make_idea(world.producer_a, group, status=IdeaStatus.DECLINED)
    response = post(client, payload(world, group, gtin="8934563138160", idea_id=declined.pk))
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert detail["idea"] == ["Only an accepted idea can become a product."]
    assert "check digit" in detail["gtin"][0]
    response = post(client, payload(world, group, product_group_id=999999))
    assert response.status_code == 422
    assert "product_group" in response.json()["detail"]
    # A schema error (a missing name) is answered by ninja itself, also with 422.
    data = payload(world, group)
    del data["name"]
    assert post(client, data).status_code == 422


def test_api_update(client_as, world, group):
    product = make_product(world.producer_a, group, gtin=GTIN)
    client = client_as(world.users["producer_member"])
    response = patch(client, product, {"shelf_life": "18 tháng"})
    assert response.status_code == 200
    assert response.json()["shelf_life"] == "18 tháng"
    product.refresh_from_db()
    assert (product.shelf_life, product.gtin) == ("18 tháng", GTIN)  # the rest is kept
    response = patch(client, product, {"gtin": None})
    assert response.json()["gtin"] is None


def test_api_update_refusals(client_as, world, group):
    product = make_product(world.producer_a, group)
    reader, outsider = world.users["central_officer"], world.users["other_commune_officer"]
    assert patch(client_as(reader), product, {"name": "X"}).status_code == 403
    assert patch(client_as(outsider), product, {"name": "X"}).status_code == 404
    response = patch(client_as(world.users["producer_member"]), product, {"name": ""})
    assert response.status_code == 422
    assert "name" in response.json()["detail"]


def test_openapi_schema_lists_products(client, db):
    schema = client.get("/api/openapi.json").json()
    assert "/api/products/" in schema["paths"]
    assert "patch" in schema["paths"]["/api/products/{product_id}"]
