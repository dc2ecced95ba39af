import pytest

from ocop.traceability import codes
from ocop.traceability.models import RunStatus, Stamp

BASE = "/api/traceability"


def post(client, path, data=None):
    return client.post(path, data or {}, content_type="application/json")


def patch(client, path, data):
    return client.patch(path, data, content_type="application/json")


BATCH = {
    "lot": "L2026-API",
    "produced_on": "2026-11-10",
    "expires_on": "2027-05-10",
    "quantity": 300,
    "unit": "chai 500 ml",
}


def test_api_needs_login(client, db):
    assert client.get(f"{BASE}/batches/").status_code == 401


def test_create_and_read_a_batch(client_as, member, product):
    client = client_as(member)
    response = post(client, f"{BASE}/batches/", {"product_id": product.pk, **BATCH})
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["lot"], body["gtin"], body["quantity"]) == ("L2026-API", product.gtin, 300)
    listed = client.get(f"{BASE}/batches/", {"q": "api"}).json()
    assert [b["id"] for b in listed["items"]] == [body["id"]]
    changed = patch(client, f"{BASE}/batches/{body['id']}", {"quantity": 280, "inputs": None})
    assert changed.json()["quantity"] == 280 and changed.json()["inputs"] == ""


def test_bad_batch_input_is_422_with_the_field(client_as, member, product):
    response = post(
        client_as(member), f"{BASE}/batches/", {"product_id": product.pk, **BATCH, "lot": "L 1"}
    )
    assert response.status_code == 422
    assert "lot" in response.json()["detail"]


def test_an_uncertified_or_foreign_product_is_404(client_as, world, product):
    response = post(
        client_as(world.users["other_producer_member"]),
        f"{BASE}/batches/",
        {"product_id": product.pk, **BATCH},
    )
    assert response.status_code == 404


def test_order_a_run_and_follow_it(client_as, member, batch):
    client = client_as(member)
    response = post(client, f"{BASE}/batches/{batch.pk}/runs", {"quantity": 40})
    assert response.status_code == 202
    run = response.json()
    assert (run["status"], run["issued"], run["stalled"]) == (RunStatus.QUEUED, 0, False)
    assert client.get(f"{BASE}/runs/{run['id']}").json()["quantity"] == 40
    refused = post(client, f"{BASE}/batches/{batch.pk}/runs", {"quantity": 0})
    assert refused.status_code == 422 and "quantity" in refused.json()["detail"]
    assert post(client, f"{BASE}/runs/{run['id']}/resume").status_code == 422  # not stalled


def test_void_events_and_stats(client, client_as, member, batch, run):
    api = client_as(member)
    serials = list(Stamp.objects.filter(run=run).order_by("pk").values_list("serial", flat=True))
    voided = post(api, f"{BASE}/runs/{run.pk}/void", {"reason": "Rách", "first": 1, "last": 2})
    assert voided.json() == {"voided": 2}
    event = post(
        api,
        f"{BASE}/batches/{batch.pk}/events",
        {
            "event_type": "ObjectEvent",
            "action": "OBSERVE",
            "biz_step": "shipping",
            "event_time": "2026-11-20T09:00:00+07:00",
            "serials": serials[3:5],
        },
    )
    assert event.status_code == 201 and event.json()["biz_step"] == "shipping"
    bad = post(
        api,
        f"{BASE}/batches/{batch.pk}/events",
        {"event_type": "ObjectEvent", "action": "OBSERVE", "biz_step": "x",
         "event_time": "2026-11-20T09:00:00+07:00"},
    )  # fmt: skip
    assert bad.status_code == 422 and "biz_step" in bad.json()["detail"]
    assert len(api.get(f"{BASE}/batches/{batch.pk}/events").json()) == 1
    document = api.get(f"{BASE}/batches/{batch.pk}/epcis").json()
    assert document["type"] == "EPCISDocument"
    path = codes.stamp_path(gtin=batch.product.gtin, lot=batch.lot, serial=serials[0])
    client.logout()
    client.get(path)  # a consumer scans a voided stamp
    stats = client_as(member).get(f"{BASE}/runs/{run.pk}/stats").json()
    assert (stats["scans"], stats["flagged"], stats["stamps_scanned"]) == (1, 1, 1)


@pytest.mark.parametrize("role", ["other_producer_member", "council_member"])
def test_other_areas_see_nothing(client_as, world, batch, run, role):
    client = client_as(world.users[role])
    assert client.get(f"{BASE}/batches/{batch.pk}").status_code == 404
    assert client.get(f"{BASE}/runs/{run.pk}/stats").status_code == 404
    assert client.get(f"{BASE}/batches/").json()["count"] == 0


def test_alerts_by_permission(client, client_as, world, run, product):
    path = codes.stamp_path(gtin=product.gtin, lot="X", serial="0000000000000")
    client.get(path)
    officer = client_as(world.users["commune_officer"])
    body = officer.get(f"{BASE}/alerts").json()
    assert body["count"] == 1
    (alert,) = body["items"]
    assert (alert["serial"], alert["flags"], alert["product_id"]) == (
        "0000000000000",
        ["unknown"],
        product.pk,
    )
    assert client_as(world.users["producer_member"]).get(f"{BASE}/alerts").status_code == 403
