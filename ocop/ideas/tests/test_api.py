import pytest
from django.test import Client

from ocop.audit.selectors import audit_history
from ocop.ideas.models import IdeaStatus, ProductIdea

from .conftest import make_idea

JSON = "application/json"


def payload(world, group, **overrides) -> dict:
    return {
        "producer_id": world.producer_a.pk,
        "product_name": "Cà phê Arabica Cầu Đất",
        "product_group_id": group.pk,
        "year": 2026,
        "raw_material_source": "Vùng trồng cà phê Lạc Dương",
        "local_identity": "Cà phê trồng trên độ cao 1.500 m",
        **overrides,
    }


def test_api_needs_login(client, world):
    assert client.get("/api/ideas/").status_code == 401


def test_list_is_scoped_filtered_and_paginated(client_as, world, group):
    make_idea(world.producer_a, group, status=IdeaStatus.SUBMITTED)
    make_idea(world.producer_b, group, product_name="Rau củ Đơn Dương", year=2025)
    make_idea(world.producer_c, group, product_name="Gốm men lam")
    client = client_as(world.users["provincial_officer"])
    body = client.get("/api/ideas/").json()
    assert body["count"] == 2
    assert client.get("/api/ideas/", {"q": "don duong"}).json()["items"][0]["year"] == 2025
    assert client.get("/api/ideas/", {"status": "submitted"}).json()["count"] == 1
    assert client.get("/api/ideas/", {"year": 2026}).json()["count"] == 1
    page = client_as(world.users["administrator"]).get("/api/ideas/", {"page": 2}).json()
    assert (page["count"], page["items"]) == (3, [])  # 25 a page


def test_detail_lists_the_callers_steps(client_as, world, group):
    idea = make_idea(world.producer_a, group, status=IdeaStatus.SUBMITTED)
    body = client_as(world.users["commune_officer"]).get(f"/api/ideas/{idea.pk}").json()
    assert body["producer"] == world.producer_a.legal_name
    assert (body["commune"], body["province"]) == ("Xã Lạc Dương", "Tỉnh Lâm Đồng")
    assert sorted(body["transitions"]) == ["accept", "decline", "request_changes"]
    assert body["plan_id"] is None
    body = client_as(world.users["producer_member"]).get(f"/api/ideas/{idea.pk}").json()
    assert body["transitions"] == []


def test_detail_hides_other_areas(client_as, world, group):
    idea = make_idea(world.producer_c, group)
    assert client_as(world.users["commune_officer"]).get(f"/api/ideas/{idea.pk}").status_code == 404


@pytest.mark.parametrize("role", ["producer_member", "commune_officer"])
def test_create(client_as, world, group, role):
    response = client_as(world.users[role]).post(
        "/api/ideas/", payload(world, group), content_type=JSON
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["status"], body["producer_id"]) == ("draft", world.producer_a.pk)
    assert body["transitions"] == ["submit"]
    assert ProductIdea.objects.get().created_by == world.users[role]


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("provincial_officer", 403),  # sees the producer, may not write for it
        ("central_officer", 403),
        ("other_producer_member", 404),  # does not see it
        ("other_commune_officer", 404),
    ],
)
def test_create_refused(client_as, world, group, role, status):
    response = client_as(world.users[role]).post(
        "/api/ideas/", payload(world, group), content_type=JSON
    )
    assert response.status_code == status
    assert not ProductIdea.objects.exists()


def test_create_validation_errors_are_422(client_as, world, group):
    client = client_as(world.users["producer_member"])
    response = client.post(
        "/api/ideas/", payload(world, group, product_name="", local_identity=""), content_type=JSON
    )
    assert response.status_code == 422
    assert set(response.json()["detail"]) == {"product_name", "local_identity"}
    # A group of an older decision is not offered, as in the form.
    response = client.post(
        "/api/ideas/", payload(world, group, product_group_id=group.pk - 1), content_type=JSON
    )
    assert response.status_code == 422
    assert "product_group" in response.json()["detail"]


def test_create_for_a_pending_producer_is_422(client_as, world, group):
    world.producer_a.status = "pending"
    world.producer_a.save()
    response = client_as(world.users["producer_member"]).post(
        "/api/ideas/", payload(world, group), content_type=JSON
    )
    assert response.status_code == 422
    assert response.json()["detail"]["__all__"]


def test_update_own_draft(client_as, world, group):
    idea = make_idea(world.producer_a, group)
    client = client_as(world.users["producer_member"])
    response = client.patch(
        f"/api/ideas/{idea.pk}", {"current_output": "2 tấn/năm"}, content_type=JSON
    )
    assert response.status_code == 200
    assert response.json()["current_output"] == "2 tấn/năm"
    idea.refresh_from_db()
    assert idea.product_name == "Cà phê Arabica Cầu Đất"  # fields not sent stay
    assert audit_history(target=idea).get().changes == {"current_output": ["", "2 tấn/năm"]}


def test_update_refused(client_as, world, group):
    idea = make_idea(world.producer_a, group, status=IdeaStatus.SUBMITTED)
    patch = {"product_name": "X"}
    client = client_as(world.users["producer_member"])
    assert client.patch(f"/api/ideas/{idea.pk}", patch, content_type=JSON).status_code == 422
    client = client_as(world.users["provincial_officer"])
    assert client.patch(f"/api/ideas/{idea.pk}", patch, content_type=JSON).status_code == 403
    client = client_as(world.users["other_producer_member"])
    assert client.patch(f"/api/ideas/{idea.pk}", patch, content_type=JSON).status_code == 404


def test_transitions(client_as, world, group):
    idea = make_idea(world.producer_a, group)
    member = client_as(world.users["producer_member"])
    response = member.post(f"/api/ideas/{idea.pk}/transitions/submit", content_type=JSON)  # no body
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "submitted"
    assert (
        member.post(f"/api/ideas/{idea.pk}/transitions/accept", {}, content_type=JSON).status_code
        == 403
    )
    officer = client_as(world.users["commune_officer"])
    response = officer.post(f"/api/ideas/{idea.pk}/transitions/decline", {}, content_type=JSON)
    assert response.status_code == 422
    assert response.json()["detail"]["__all__"]
    response = officer.post(
        f"/api/ideas/{idea.pk}/transitions/request_changes",
        {"reason": "Ghi rõ sản lượng"},
        content_type=JSON,
    )
    assert response.json()["status"] == "changes_requested"
    assert audit_history(target=idea).first().note == "Ghi rõ sản lượng"
    assert (
        officer.post(f"/api/ideas/{idea.pk}/transitions/publish", {}, content_type=JSON).status_code
        == 422
    )


def test_transition_out_of_area_is_404(client_as, world, group):
    idea = make_idea(world.producer_c, group)
    client = client_as(world.users["producer_member"])
    assert (
        client.post(f"/api/ideas/{idea.pk}/transitions/submit", {}, content_type=JSON).status_code
        == 404
    )


def test_session_api_checks_csrf_outside_the_test_client(world, group):
    """ninja's django_auth checks the CSRF token on writes; the test client skips the check
    unless asked, which is why the other tests can POST without a token."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["producer_member"])
    response = client.post("/api/ideas/", payload(world, group), content_type=JSON)
    assert response.status_code == 403
    assert not ProductIdea.objects.exists()


def test_openapi_lists_the_paths(client, db):
    paths = client.get("/api/openapi.json").json()["paths"]
    assert {
        "/api/ideas/",
        "/api/ideas/{idea_id}",
        "/api/ideas/{idea_id}/transitions/{name}",
        "/api/plans/",
        "/api/plans/{plan_id}",
        "/api/plans/{plan_id}/transitions/{name}",
    } <= set(paths)
    assert {"get", "post"} <= set(paths["/api/ideas/"])
    assert {"get", "patch"} <= set(paths["/api/ideas/{idea_id}"])
