"""The evaluation API: the member's queue, the scoring of a dossier under the visibility
rule, and a session's frozen results."""

import pytest

from ocop.dossiers.selectors import dossier_spec
from ocop.evaluation import services
from ocop.evaluation.models import Assignment, AssignmentStatus, ScoreSheet, SheetStatus

from .builders import answers_for, score_as

BASE = "/api/evaluation"


def put(client, path, data):
    return client.put(path, data, content_type="application/json")


def post(client, path, data=None):
    return client.post(path, data or {}, content_type="application/json")


def closed(panel, assignment, total=80) -> Assignment:
    for user in panel.scorers:
        score_as(user, assignment, total)
    return services.assignment_close(actor=panel.chair, assignment=assignment)


def test_api_needs_login(client, world):
    assert client.get(f"{BASE}/assignments").status_code == 401


def test_queue_with_my_sheet_status(client_as, ev_panel, ev_assignment):
    member = ev_panel.members[0]
    (row,) = client_as(member).get(f"{BASE}/assignments").json()
    assert row["id"] == ev_assignment.pk
    assert row["my_sheet_status"] == ""
    assert row["product"] == ev_assignment.dossier.product.name
    score_as(member, ev_assignment, 80, submit=False)
    (row,) = client_as(member).get(f"{BASE}/assignments").json()
    assert row["my_sheet_status"] == SheetStatus.DRAFT
    assert client_as(ev_panel.officer).get(f"{BASE}/assignments").json() == []


def test_others_values_are_hidden_until_my_sheet_is_submitted(client_as, ev_panel, ev_assignment):
    first, me = ev_panel.members[:2]
    score_as(first, ev_assignment, 80)
    client = client_as(me)
    path = f"{BASE}/assignments/{ev_assignment.pk}"

    body = client.get(path).json()
    assert body["dossier"]["criteria_set"] == body["spec"]["code"]
    assert body["spec"]["parts"]
    assert body["my_sheet"] is None
    assert body["other_sheets"] == []
    assert body["progress"]["submitted"] == 1
    assert body["progress"]["values_shown"] is False
    assert body["progress"]["spread"] is None
    assert body["result"] is None

    spec = dossier_spec(dossier=ev_assignment.dossier)
    code = next(iter(spec.criteria())).code
    response = put(
        client, f"{path}/sheet", {"answers": answers_for(spec, 84), "notes": {code: "Khác"}}
    )
    assert response.status_code == 200
    body = response.json()
    assert body["my_sheet"]["total"] == 84
    assert body["my_sheet"]["status"] == SheetStatus.DRAFT
    assert body["my_sheet"]["notes"] == {code: "Khác"}
    assert body["other_sheets"] == []

    body = post(client, f"{path}/sheet/submit").json()
    assert body["my_sheet"]["status"] == SheetStatus.SUBMITTED
    assert [s["total"] for s in body["other_sheets"]] == [80]
    assert body["progress"]["values_shown"] is True
    assert body["progress"]["spread"]["spread"] == 4
    assert body["progress"]["disagreement"]


@pytest.mark.parametrize("who", ["secretary", "officer"])
def test_secretary_and_officer_see_no_values_before_close(client_as, ev_panel, ev_assignment, who):
    for user in ev_panel.members[:2]:
        score_as(user, ev_assignment, 80)
    client = client_as(getattr(ev_panel, who))
    body = client.get(f"{BASE}/assignments/{ev_assignment.pk}").json()
    assert body["my_sheet"] is None
    assert body["other_sheets"] == []
    assert body["progress"]["submitted"] == 2
    assert body["progress"]["values_shown"] is False
    spec = dossier_spec(dossier=ev_assignment.dossier)
    response = put(
        client, f"{BASE}/assignments/{ev_assignment.pk}/sheet", {"answers": answers_for(spec, 80)}
    )
    assert response.status_code == 403
    assert not ScoreSheet.objects.filter(seat__user=getattr(ev_panel, who)).exists()


@pytest.mark.parametrize(
    "role", ["other_provincial_officer", "producer_member", "commune_officer", "no_role"]
)
def test_not_visible_is_not_found(world, client_as, ev_assignment, role):
    client = client_as(world.users[role])
    path = f"{BASE}/assignments/{ev_assignment.pk}"
    assert client.get(path).status_code == 404
    assert put(client, f"{path}/sheet", {"answers": {}}).status_code == 404
    assert post(client, f"{path}/sheet/submit").status_code == 404
    assert client.get(f"{BASE}/sessions/{ev_assignment.session_id}/results").status_code == 404


def test_invalid_and_incomplete_sheets_are_refused(client_as, ev_panel, ev_assignment):
    client = client_as(ev_panel.members[0])
    path = f"{BASE}/assignments/{ev_assignment.pk}/sheet"
    code = next(iter(dossier_spec(dossier=ev_assignment.dossier).criteria())).code
    response = put(client, path, {"answers": {code: "no-such-option"}})
    assert response.status_code == 422
    assert response.json()["detail"]["__all__"]
    assert put(client, path, {"answers": {}, "notes": {"Z9.9": "?"}}).status_code == 422
    assert post(client, f"{path}/submit").status_code == 422  # nothing scored yet
    assert put(client, path, {"answers": {}}).status_code == 200
    assert post(client, f"{path}/submit").status_code == 422  # incomplete


def test_submitted_sheet_cannot_be_saved_again(client_as, ev_panel, ev_assignment):
    member = ev_panel.members[0]
    score_as(member, ev_assignment, 80)
    spec = dossier_spec(dossier=ev_assignment.dossier)
    client = client_as(member)
    path = f"{BASE}/assignments/{ev_assignment.pk}/sheet"
    assert put(client, path, {"answers": answers_for(spec, 90)}).status_code == 422
    assert post(client, f"{path}/submit").status_code == 422
    assert ScoreSheet.objects.get(seat__user=member).total == 80


def test_closed_result_cannot_change_through_the_api(client_as, ev_panel, ev_assignment):
    assignment = closed(ev_panel, ev_assignment)
    client = client_as(ev_panel.members[0])
    path = f"{BASE}/assignments/{assignment.pk}"
    spec = dossier_spec(dossier=assignment.dossier)

    assert put(client, f"{path}/sheet", {"answers": answers_for(spec, 95)}).status_code == 422
    assert post(client, f"{path}/sheet/submit").status_code == 422
    fresh = Assignment.objects.get(pk=assignment.pk)
    assert (fresh.status, fresh.score) == (AssignmentStatus.CLOSED, assignment.score)
    assert {s.total for s in ScoreSheet.objects.filter(assignment=assignment)} == {80}

    body = client.get(path).json()
    assert body["result"]["score"] == 80
    assert body["result"]["stars"] == assignment.stars
    assert body["my_sheet"]["total"] == 80
    assert len(body["other_sheets"]) == 3


def test_session_results_are_the_closed_dossiers_only(client_as, ev_panel, ev_assignment):
    officer = client_as(ev_panel.officer)
    path = f"{BASE}/sessions/{ev_panel.session.pk}/results"
    assert officer.get(path).json() == []  # the dossier is still being scored

    assignment = closed(ev_panel, ev_assignment)
    (row,) = officer.get(path).json()
    assert row == {
        "assignment_id": assignment.pk,
        "dossier_id": assignment.dossier_id,
        "product": assignment.dossier.product.name,
        "producer": assignment.dossier.product.producer.legal_name,
        "score": 80,
        "band_stars": assignment.band_stars,
        "stars": assignment.stars,
        "unmet_requirements": [],
        "forwarded": assignment.forwarded,
    }
    assert "result_sheets" not in row
