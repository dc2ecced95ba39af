"""The evaluation pages by role: home, councils and seats, rounds, sessions, the scoring page
under the visibility rule, the minutes, the commune's pre-assessment and the analytics."""

import datetime

import pytest
from django.urls import reverse

from conftest import LAM_DONG, make_user
from ocop.dossiers.selectors import dossier_spec
from ocop.evaluation import rules, services
from ocop.evaluation.models import (
    Assignment,
    AssignmentStatus,
    CommunePreAssessment,
    Conflict,
    CouncilSeat,
    CouncilSession,
    EvaluationRound,
    ScoreSheet,
    SessionStatus,
    SheetStatus,
)

from .builders import CURRENT, answers_for, pre_assess, score_as


def url(name, *args):
    return reverse(f"evaluation:{name}", args=args)


def sheet_fields(assignment, total, note=None) -> dict:
    spec = dossier_spec(dossier=assignment.dossier)
    fields = {f"a-{code}": option for code, option in answers_for(spec, total).items()}
    if note:
        fields[f"n-{next(iter(spec.criteria())).code}"] = note
    return fields


def close(panel, assignment, total=80) -> Assignment:
    for user in panel.scorers:
        score_as(user, assignment, total)
    return services.assignment_close(actor=panel.chair, assignment=assignment)


# --- Home ----------------------------------------------------------------------------------


def test_home_refuses_a_producer(world, client_as):
    assert client_as(world.users["producer_member"]).get(url("home")).status_code == 403


def test_home_shows_the_member_their_queue(client_as, ev_panel, ev_assignment):
    response = client_as(ev_panel.members[0]).get(url("home"))
    assert response.status_code == 200
    assert url("assignment", ev_assignment.pk) in response.content.decode()
    assert url("analytics", ev_panel.council.pk) not in response.content.decode()


def test_home_shows_the_officer_councils_and_rounds(client_as, ev_panel):
    html = client_as(ev_panel.officer).get(url("home")).content.decode()
    assert url("council", ev_panel.council.pk) in html
    assert url("round", ev_panel.round.pk) in html
    assert url("analytics", ev_panel.council.pk) in html
    assert url("council_create") in html


# --- Councils and seats --------------------------------------------------------------------


def test_officer_seats_and_removes_a_member(client_as, ev_panel):
    client = client_as(ev_panel.officer)
    page = client.get(url("council", ev_panel.council.pk))
    assert page.status_code == 200
    assert 'name="login"' in page.content.decode()

    newcomer = make_user("newcomer")
    response = client.post(
        url("council", ev_panel.council.pk),
        {"login": newcomer.email, "role": "member", "expertise": "Chế biến"},
    )
    assert response.status_code == 302
    seat = CouncilSeat.objects.get(council=ev_panel.council, user=newcomer, active=True)

    response = client.post(url("seat_remove", ev_panel.council.pk, seat.pk))
    assert response.status_code == 302
    seat.refresh_from_db()
    assert not seat.active


def test_seating_an_unknown_email_is_refused(client_as, ev_panel):
    client = client_as(ev_panel.officer)
    response = client.post(
        url("council", ev_panel.council.pk), {"login": "nobody@test.ocop.vn", "role": "member"}
    )
    assert response.status_code == 200
    assert 'class="errorlist' in response.content.decode()


def test_out_of_area_officer_does_not_find_the_council(world, client_as, ev_panel):
    client = client_as(world.users["other_provincial_officer"])
    assert client.get(url("council", ev_panel.council.pk)).status_code == 404
    seat = ev_panel.seats[ev_panel.members[0]]
    assert client.post(url("seat_remove", ev_panel.council.pk, seat.pk)).status_code == 404


def test_member_cannot_manage_the_council(client_as, ev_panel):
    client = client_as(ev_panel.members[0])
    page = client.get(url("council", ev_panel.council.pk))
    assert page.status_code == 200
    assert 'name="login"' not in page.content.decode()
    assert url("seat_remove", ev_panel.council.pk, ev_panel.seats[ev_panel.chair].pk) not in (
        page.content.decode()
    )
    response = client.post(
        url("council", ev_panel.council.pk), {"login": make_user("x").email, "role": "member"}
    )
    assert response.status_code == 403
    seat = ev_panel.seats[ev_panel.members[1]]
    assert client.post(url("seat_remove", ev_panel.council.pk, seat.pk)).status_code == 403
    assert CouncilSeat.objects.get(pk=seat.pk).active


# --- Rounds --------------------------------------------------------------------------------


def test_officer_creates_a_round_and_schedules_a_session(world, client_as, ev_panel):
    client = client_as(ev_panel.officer)
    assert client.get(url("round_create")).status_code == 200
    response = client.post(
        url("round_create"),
        {"name": "Đợt 2 năm 2026", "level": "province", "province": LAM_DONG, "opens_on": CURRENT},
    )
    round = EvaluationRound.objects.get(name="Đợt 2 năm 2026")
    assert response.status_code == 302
    assert response["Location"] == url("round", round.pk)
    assert round.period == rules.period_on(CURRENT).code  # the rules of its opening date

    page = client.get(url("round", round.pk))
    assert page.status_code == 200
    assert 'name="council"' in page.content.decode()
    response = client.post(
        url("round", round.pk),
        {"council": ev_panel.council.pk, "date": "2026-02-10", "place": "Đà Lạt"},
    )
    session = CouncilSession.objects.get(round=round)
    assert response["Location"] == url("session", session.pk)
    assert session.council == ev_panel.council


def test_round_pages_by_role(world, client_as, ev_panel):
    assert client_as(world.users["producer_member"]).get(url("round_create")).status_code == 403
    member_page = client_as(ev_panel.members[0]).get(url("round", ev_panel.round.pk))
    assert member_page.status_code == 200
    assert 'name="council"' not in member_page.content.decode()
    other = client_as(world.users["other_provincial_officer"])
    assert other.get(url("round", ev_panel.round.pk)).status_code == 404


# --- Sessions ------------------------------------------------------------------------------


def test_session_page_attendance_and_agenda(world, client_as, ev_panel, ev_dossier):
    pre_assess(world, ev_dossier)
    client = client_as(ev_panel.officer)
    html = client.get(url("session", ev_panel.session.pk)).content.decode()
    assert 'name="present"' in html
    assert f'<option value="{ev_dossier.pk}">' in html

    response = client.post(url("add_dossier", ev_panel.session.pk), {"dossier": ev_dossier.pk})
    assert response.status_code == 302
    assert Assignment.objects.filter(session=ev_panel.session, dossier=ev_dossier).exists()

    present = [ev_panel.seats[u].pk for u in (ev_panel.chair, *ev_panel.members[:2])]
    client.post(url("attendance", ev_panel.session.pk), {"present": present})
    assert set(ev_panel.session.present.values_list("pk", flat=True)) == set(present)


def test_session_close_waits_for_the_agenda(client_as, ev_panel, ev_assignment):
    client = client_as(ev_panel.officer)
    client.post(url("session_close", ev_panel.session.pk))
    assert CouncilSession.objects.get(pk=ev_panel.session.pk).status == SessionStatus.OPEN
    close(ev_panel, ev_assignment)
    response = client.post(url("session_close", ev_panel.session.pk))
    assert response.status_code == 302
    assert CouncilSession.objects.get(pk=ev_panel.session.pk).status == SessionStatus.CLOSED


def test_member_sees_the_session_without_managing_it(world, client_as, ev_panel):
    html = client_as(ev_panel.members[0]).get(url("session", ev_panel.session.pk)).content
    assert b'name="present"' not in html
    assert url("session_close", ev_panel.session.pk).encode() not in html
    client = client_as(world.users["producer_member"])
    assert client.get(url("session", ev_panel.session.pk)).status_code == 404


def test_minutes_pdf(client_as, ev_panel, ev_assignment):
    close(ev_panel, ev_assignment)
    response = client_as(ev_panel.officer).get(url("minutes", ev_panel.session.pk))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


# --- The scoring page ----------------------------------------------------------------------


def test_member_sees_others_totals_only_after_submitting(client_as, ev_panel, ev_assignment):
    first, me = ev_panel.members[:2]
    score_as(first, ev_assignment, 80)
    client = client_as(me)
    html = client.get(url("assignment", ev_assignment.pk)).content.decode()
    assert 'name="a-' in html  # my own sheet, to fill in
    assert 'id="totals"' not in html
    assert first.full_name not in html

    response = client.post(url("sheet_save", ev_assignment.pk), sheet_fields(ev_assignment, 84))
    assert response["Location"] == url("assignment", ev_assignment.pk)
    html = client.get(url("assignment", ev_assignment.pk)).content.decode()
    assert 'id="totals"' not in html  # a draft shows nothing of the others

    client.post(
        url("sheet_save", ev_assignment.pk), {**sheet_fields(ev_assignment, 84), "submit": "1"}
    )
    html = client.get(url("assignment", ev_assignment.pk)).content.decode()
    assert 'id="totals"' in html
    assert first.full_name in html
    assert "<strong>80</strong>" in html


def test_sheet_save_and_submit_by_post(client_as, ev_panel, ev_assignment):
    member = ev_panel.members[0]
    client = client_as(member)
    client.post(url("sheet_save", ev_assignment.pk), sheet_fields(ev_assignment, 75, "Ghi chú"))
    sheet = ScoreSheet.objects.get(assignment=ev_assignment, seat__user=member)
    assert (sheet.status, sheet.total) == (SheetStatus.DRAFT, 75)
    assert list(sheet.notes.values()) == ["Ghi chú"]

    client.post(
        url("sheet_save", ev_assignment.pk), {**sheet_fields(ev_assignment, 78), "submit": "1"}
    )
    sheet.refresh_from_db()
    assert (sheet.status, sheet.total) == (SheetStatus.SUBMITTED, 78)

    # Submitted: the page no longer offers the form, and a further POST changes nothing.
    html = client.get(url("assignment", ev_assignment.pk)).content.decode()
    assert 'name="submit"' not in html
    client.post(url("sheet_save", ev_assignment.pk), sheet_fields(ev_assignment, 90))
    sheet.refresh_from_db()
    assert sheet.total == 78


def test_incomplete_submission_stays_a_draft(client_as, ev_panel, ev_assignment):
    member = ev_panel.members[0]
    fields = sheet_fields(ev_assignment, 75)
    fields.pop(next(iter(fields)))
    client_as(member).post(url("sheet_save", ev_assignment.pk), {**fields, "submit": "1"})
    sheet = ScoreSheet.objects.get(assignment=ev_assignment, seat__user=member)
    assert sheet.status == SheetStatus.DRAFT


def test_conflict_declaration(client_as, ev_panel, ev_assignment):
    member = ev_panel.members[0]
    client = client_as(member)
    client.post(url("sheet_save", ev_assignment.pk), sheet_fields(ev_assignment, 75))
    response = client.post(url("conflict", ev_assignment.pk), {"reason": "Họ hàng của chủ thể"})
    assert response.status_code == 302
    assert Conflict.objects.filter(assignment=ev_assignment, seat__user=member).exists()
    assert not ScoreSheet.objects.filter(assignment=ev_assignment, seat__user=member).exists()
    html = client.get(url("assignment", ev_assignment.pk)).content.decode()
    assert 'name="a-' not in html


def test_secretary_sees_no_values_and_records_the_discussion(client_as, ev_panel, ev_assignment):
    for user in ev_panel.members[:2]:
        score_as(user, ev_assignment, 80)
    client = client_as(ev_panel.secretary)
    html = client.get(url("assignment", ev_assignment.pk)).content.decode()
    assert 'id="totals"' not in html
    assert 'name="a-' not in html
    assert ev_panel.members[0].full_name not in html
    assert url("discussion", ev_assignment.pk) in html

    client.post(url("discussion", ev_assignment.pk), {"text": "Hội đồng thống nhất."})
    assert Assignment.objects.get(pk=ev_assignment.pk).discussion == "Hội đồng thống nhất."
    response = client.post(url("sheet_save", ev_assignment.pk), sheet_fields(ev_assignment, 80))
    assert response.status_code == 403


def test_officer_sees_no_values_before_close_and_all_after(client_as, ev_panel, ev_assignment):
    for user in ev_panel.members:
        score_as(user, ev_assignment, 80)
    client = client_as(ev_panel.officer)
    html = client.get(url("assignment", ev_assignment.pk)).content.decode()
    assert 'id="totals"' not in html
    score_as(ev_panel.chair, ev_assignment, 80)
    services.assignment_close(actor=ev_panel.chair, assignment=ev_assignment)
    html = client.get(url("assignment", ev_assignment.pk)).content.decode()
    assert 'id="totals"' in html
    assert all(u.full_name in html for u in ev_panel.scorers)


def test_chair_closes_the_dossier(client_as, ev_panel, ev_assignment):
    for user in ev_panel.scorers:
        score_as(user, ev_assignment, 80)
    client = client_as(ev_panel.chair)
    assert (
        url("close", ev_assignment.pk)
        in client.get(url("assignment", ev_assignment.pk)).content.decode()
    )
    assert url("close", ev_assignment.pk) not in (
        client_as(ev_panel.members[0]).get(url("assignment", ev_assignment.pk)).content.decode()
    )
    client = client_as(ev_panel.chair)
    response = client.post(url("close", ev_assignment.pk))
    assert response["Location"] == url("assignment", ev_assignment.pk)
    assignment = Assignment.objects.get(pk=ev_assignment.pk)
    assert (assignment.status, assignment.score) == (AssignmentStatus.CLOSED, 80)
    assert (
        url("close", ev_assignment.pk)
        not in client.get(url("assignment", ev_assignment.pk)).content.decode()
    )


def test_member_cannot_close(client_as, ev_panel, ev_assignment):
    for user in ev_panel.scorers:
        score_as(user, ev_assignment, 80)
    response = client_as(ev_panel.members[0]).post(url("close", ev_assignment.pk))
    assert response.status_code == 403
    assert Assignment.objects.get(pk=ev_assignment.pk).status != AssignmentStatus.CLOSED


@pytest.mark.parametrize("role", ["producer_member", "other_provincial_officer", "commune_officer"])
def test_assignment_page_not_found_outside_the_council(world, client_as, ev_assignment, role):
    client = client_as(world.users[role])
    assert client.get(url("assignment", ev_assignment.pk)).status_code == 404
    assert client.post(url("sheet_save", ev_assignment.pk), {}).status_code == 404


# --- The commune's pre-assessment ----------------------------------------------------------


def test_commune_officer_pre_assesses(world, client_as, ev_dossier):
    client = client_as(world.users["commune_officer"])
    page = client.get(url("commune", ev_dossier.pk))
    assert page.status_code == 200
    spec = dossier_spec(dossier=ev_dossier)
    criterion = next(c for c in spec.criteria() if c.code == "A1.1")
    assert 'name="a-A1.1"' in page.content.decode()

    option = criterion.options[-1].code
    response = client.post(
        url("commune", ev_dossier.pk), {"a-A1.1": option, "formalities_ok": "on", "note": "Đủ"}
    )
    assert response.status_code == 302
    assessment = CommunePreAssessment.objects.get(dossier=ev_dossier)
    assert assessment.answers == {"A1.1": option}
    assert assessment.formalities_ok

    # Only the chosen option of that criterion is checked again, no other criterion's.
    html = client.get(url("commune", ev_dossier.pk)).content.decode()
    assert html.count(" checked>") == 2  # the option and the formalities box
    assert f'name="a-A1.1" value="{option}" checked>' in html


def test_commune_page_by_role(world, client_as, ev_dossier):
    assert (
        client_as(world.users["other_commune_officer"])
        .get(url("commune", ev_dossier.pk))
        .status_code
        == 404
    )
    assert (
        client_as(world.users["producer_member"]).get(url("commune", ev_dossier.pk)).status_code
        == 403
    )


# --- Analytics -----------------------------------------------------------------------------


def test_analytics_empty_state(client_as, ev_panel):
    response = client_as(ev_panel.officer).get(url("analytics", ev_panel.council.pk))
    assert response.status_code == 200
    assert 'id="empty"' in response.content.decode()


def test_analytics_tables_and_period(client_as, ev_panel, ev_assignment):
    close(ev_panel, ev_assignment)
    client = client_as(ev_panel.officer)
    html = client.get(url("analytics", ev_panel.council.pk)).content.decode()
    assert 'id="empty"' not in html
    assert 'id="council-figures"' in html
    assert 'id="member-figures"' in html
    assert 'id="weak-three"' in html
    assert 'id="self-assessment"' in html
    assert all(u.full_name in html for u in ev_panel.scorers)
    assert ev_panel.secretary.full_name not in html

    day = ev_panel.session.date
    after = (day + datetime.timedelta(days=1)).isoformat()
    html = client.get(url("analytics", ev_panel.council.pk), {"since": after}).content.decode()
    assert 'id="empty"' in html
    assert f'value="{after}"' in html
    html = client.get(
        url("analytics", ev_panel.council.pk), {"since": day.isoformat(), "until": day.isoformat()}
    ).content.decode()
    assert 'id="member-figures"' in html
    # A date that does not exist is ignored rather than an error.
    bad = client.get(url("analytics", ev_panel.council.pk), {"since": "2026-02-30"})
    assert bad.status_code == 200


def test_analytics_only_for_those_who_run_the_council(world, client_as, ev_panel):
    path = url("analytics", ev_panel.council.pk)
    assert client_as(ev_panel.chair).get(path).status_code == 403
    assert client_as(ev_panel.secretary).get(path).status_code == 403
    assert client_as(world.users["other_provincial_officer"]).get(path).status_code == 404
    assert client_as(world.users["producer_member"]).get(path).status_code == 404
    assert client_as(world.users["central_officer"]).get(path).status_code == 200
