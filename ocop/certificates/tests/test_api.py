import pytest

from ocop.certificates import services
from ocop.certificates.models import CertificateStatus

from .conftest import decision_data

BASE = "/api/certificates"


def post(client, path, data=None):
    return client.post(path, data or {}, content_type="application/json")


def test_verify_is_public_and_private_free(client, issued):
    c = issued.certificates.get(stars=4)
    response = client.get(f"{BASE}/verify/{c.number}")
    assert response.status_code == 200
    body = response.json()
    assert (body["number"], body["state"], body["stars"]) == (c.number, "valid", 4)
    assert body["producer"]["commune"] == "Xã Lạc Dương"
    assert body["decision"]["number"] == issued.number
    assert "score" not in response.content.decode()
    assert c.producer.tax_code not in response.content.decode()
    assert client.get(f"{BASE}/verify/68-2026-999999").status_code == 404


def test_verify_answers_lower_case_and_spaces(client, issued):
    c = issued.certificates.first()
    assert client.get(f"{BASE}/verify/{c.number.lower()}").json()["number"] == c.number


def test_issued_decision_is_public_without_scores(client, issued):
    body = client.get(f"{BASE}/decisions/{issued.pk}").json()
    assert body["number"] == issued.number and body["status"] == "issued"
    assert sorted(i["stars"] for i in body["items"]) == [3, 4]
    assert all(i["score"] is None for i in body["items"])
    assert {i["certificate"] for i in body["items"]} == set(
        issued.certificates.values_list("number", flat=True)
    )


def test_readers_see_the_scores(client_as, world, issued):
    body = client_as(world.users["commune_officer"]).get(f"{BASE}/decisions/{issued.pk}").json()
    assert sorted(i["score"] for i in body["items"]) == [60.0, 75.0]


def test_a_draft_is_not_public(client, client_as, world, results):
    draft = services.decision_draft(
        actor=world.users["provincial_officer"],
        session_or_assignments=results[0].session,
        data=decision_data(),
    )
    assert client.get(f"{BASE}/decisions/{draft.pk}").status_code == 404
    assert (
        client_as(world.users["other_provincial_officer"])
        .get(f"{BASE}/decisions/{draft.pk}")
        .status_code
        == 404
    )
    body = client_as(world.users["provincial_officer"]).get(f"{BASE}/decisions/{draft.pk}").json()
    assert body["status"] == "draft" and all(i["certificate"] is None for i in body["items"])


def test_register_needs_login(client, issued):
    assert client.get(f"{BASE}/").status_code == 401
    assert client.get(f"{BASE}/decisions/").status_code == 401


def test_register_is_scoped_and_filtered(client_as, world, issued):
    officer = client_as(world.users["provincial_officer"])
    body = officer.get(f"{BASE}/").json()
    assert body["count"] == 2
    row = next(r for r in body["items"] if r["stars"] == 4)
    assert (row["state"], row["score"], row["decision_number"]) == ("valid", 75.0, issued.number)
    assert row["province"].endswith("Lâm Đồng")
    assert officer.get(f"{BASE}/", {"state": "revoked"}).json()["count"] == 0
    assert officer.get(f"{BASE}/", {"q": "atiso"}).json()["count"] == 0
    assert officer.get(f"{BASE}/", {"q": "rau cai"}).json()["count"] == 1
    decisions = officer.get(f"{BASE}/decisions/").json()
    assert [(d["id"], d["products"]) for d in decisions["items"]] == [(issued.pk, 2)]
    other = client_as(world.users["other_provincial_officer"])  # the same client, logged in anew
    assert other.get(f"{BASE}/").json()["count"] == 0
    assert other.get(f"{BASE}/decisions/").json()["count"] == 0
    number = issued.certificates.first().number
    assert other.get(f"{BASE}/{number}").status_code == 404


def test_revoke_through_the_api_takes_effect_at_once(client, client_as, world, issued):
    c = issued.certificates.get(stars=4)
    officer = client_as(world.users["provincial_officer"])
    refused = post(officer, f"{BASE}/{c.number}/revoke", {"reason": "  "})
    assert refused.status_code == 422
    # Vietnamese first: "Say why the certificate is revoked."
    assert refused.json()["detail"]["__all__"] == ["Nêu lý do thu hồi giấy chứng nhận."]
    response = post(officer, f"{BASE}/{c.number}/revoke", {"reason": "Nhãn sai sự thật"})
    assert response.status_code == 200
    assert (response.json()["state"], response.json()["revoke_reason"]) == (
        "revoked",
        "Nhãn sai sự thật",
    )
    c.refresh_from_db()
    assert c.status == CertificateStatus.REVOKED
    assert client.get(f"{BASE}/verify/{c.number}").json()["state"] == "revoked"
    again = post(officer, f"{BASE}/{c.number}/revoke", {"reason": "again"})
    assert again.status_code == 422


@pytest.mark.parametrize("role", ["commune_officer", "producer_member"])
def test_readers_may_not_revoke(client_as, world, issued, role):
    c = issued.certificates.first()
    response = post(client_as(world.users[role]), f"{BASE}/{c.number}/revoke", {"reason": "x"})
    assert response.status_code == 403
    c.refresh_from_db()
    assert c.status == CertificateStatus.VALID


def test_openapi_lists_the_register(client, db):
    paths = client.get("/api/openapi.json").json()["paths"]
    assert "/api/certificates/verify/{number}" in paths
    assert "/api/certificates/{number}/revoke" in paths
