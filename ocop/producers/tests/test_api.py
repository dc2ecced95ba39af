def test_api_needs_login(client, world):
    assert client.get("/api/producers/").status_code == 401


def test_api_lists_only_the_area(client_as, world):
    response = client_as(world.users["commune_officer"]).get("/api/producers/")
    body = response.json()
    assert body["count"] == 1
    item = body["items"][0]
    assert item["legal_name"] == world.producer_a.legal_name
    assert (item["commune"], item["province_code"]) == ("Xã Lạc Dương", 68)


def test_api_filters(client_as, world):
    client = client_as(world.users["administrator"])
    assert client.get("/api/producers/", {"q": "gom su"}).json()["count"] == 1
    assert client.get("/api/producers/", {"province": 68}).json()["count"] == 2
    assert client.get("/api/producers/", {"producer_type": "enterprise"}).json()["count"] == 1


def test_api_detail_hides_other_areas(client_as, world):
    client = client_as(world.users["producer_member"])
    assert client.get(f"/api/producers/{world.producer_a.pk}").status_code == 200
    assert client.get(f"/api/producers/{world.producer_c.pk}").status_code == 404


def test_me_lists_roles(client_as, world):
    body = client_as(world.users["provincial_officer"]).get("/api/accounts/me").json()
    assert body["memberships"] == [{"role": "provincial_officer", "scope": "Tỉnh Lâm Đồng"}]


def test_geo_api_is_public(client, world):
    provinces = client.get("/api/geo/provinces").json()
    assert {p["code"] for p in provinces} == {1, 68}
    communes = client.get("/api/geo/provinces/68/communes").json()
    assert "Xã Lạc Dương" in {c["name"] for c in communes}


def test_openapi_schema_is_served(client, db):
    schema = client.get("/api/openapi.json").json()
    assert "/api/producers/" in schema["paths"]
    assert "/api/geo/provinces" in schema["paths"]
