from ocop.ideas.models import IdeaStatus
from ocop.ideas.tests.conftest import make_idea
from ocop.plans.models import BusinessPlan, PlanStatus

from .conftest import make_plan

JSON = "application/json"


def test_list_and_detail_are_scoped(client_as, world, group, idea):
    plan = make_plan(idea, investment_total=350_000_000)
    make_plan(make_idea(world.producer_c, group, status=IdeaStatus.ACCEPTED))
    client = client_as(world.users["provincial_officer"])
    body = client.get("/api/plans/").json()
    assert body["count"] == 1
    assert client.get("/api/plans/", {"status": "approved"}).json()["count"] == 0
    detail = client.get(f"/api/plans/{plan.pk}").json()
    assert (detail["investment_total"], detail["producer_id"]) == (350_000_000, world.producer_a.pk)
    assert detail["transitions"] == []
    other = client_as(world.users["other_provincial_officer"])
    assert other.get(f"/api/plans/{plan.pk}").status_code == 404


def test_create_for_an_accepted_idea_once(client_as, world, idea):
    client = client_as(world.users["producer_member"])
    data = {"idea_id": idea.pk, "objectives": "Đạt 4 sao", "start_date": "2026-01-01"}
    response = client.post("/api/plans/", data, content_type=JSON)
    assert response.status_code == 201, response.content
    assert response.json()["transitions"] == ["submit"]
    response = client.post("/api/plans/", data, content_type=JSON)
    assert response.status_code == 422
    assert BusinessPlan.objects.count() == 1


def test_create_refused(client_as, world, group, idea):
    data = {"idea_id": idea.pk, "objectives": "Đạt 4 sao"}
    province = client_as(world.users["provincial_officer"])
    assert province.post("/api/plans/", data, content_type=JSON).status_code == 403
    stranger = client_as(world.users["other_producer_member"])
    assert stranger.post("/api/plans/", data, content_type=JSON).status_code == 404
    draft = make_idea(world.producer_a, group, product_name="Trà atiso")
    member = client_as(world.users["producer_member"])
    response = member.post("/api/plans/", {**data, "idea_id": draft.pk}, content_type=JSON)
    assert response.status_code == 422
    response = member.post(
        "/api/plans/",
        {**data, "start_date": "2026-06-01", "end_date": "2026-01-01"},
        content_type=JSON,
    )
    assert response.status_code == 422
    assert not BusinessPlan.objects.exists()


def test_update(client_as, world, idea):
    plan = make_plan(idea)
    client = client_as(world.users["producer_member"])
    response = client.patch(f"/api/plans/{plan.pk}", {"markets": "Đà Lạt"}, content_type=JSON)
    assert response.status_code == 200
    assert (response.json()["markets"], response.json()["objectives"]) == (
        "Đà Lạt",
        "Đạt 4 sao năm 2027",
    )
    plan.status = PlanStatus.APPROVED
    plan.save()
    response = client.patch(f"/api/plans/{plan.pk}", {"markets": "Huế"}, content_type=JSON)
    assert response.status_code == 422
    province = client_as(world.users["provincial_officer"])
    response = province.patch(f"/api/plans/{plan.pk}", {"markets": "Huế"}, content_type=JSON)
    assert response.status_code == 403


def test_transitions(client_as, world, idea):
    plan = make_plan(idea, status=PlanStatus.SUBMITTED)
    client = client_as(world.users["provincial_officer"])
    url = f"/api/plans/{plan.pk}/transitions"
    assert client.post(f"{url}/return", {}, content_type=JSON).status_code == 422
    response = client.post(f"{url}/return", {"reason": "Thêm thị trường"}, content_type=JSON)
    assert response.json()["status"] == "returned"
    member = client_as(world.users["producer_member"])
    assert member.post(f"{url}/approve", {}, content_type=JSON).status_code == 403
    assert member.post(f"{url}/submit", content_type=JSON).json()["status"] == "submitted"
