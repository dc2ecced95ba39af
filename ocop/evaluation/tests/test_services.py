"""The council services: seats, rounds, agendas, scoring, conflicts, quorum, spread, close."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from conftest import LAM_DONG, make_user
from ocop.accounts.models import Membership, Role
from ocop.audit.models import AuditEvent
from ocop.dossiers.selectors import dossier_spec
from ocop.evaluation import services
from ocop.evaluation.models import (
    Assignment,
    AssignmentStatus,
    Conflict,
    Level,
    ScoreSheet,
    SheetStatus,
)

from .builders import (
    BEFORE_2025,
    CURRENT,
    accepted_dossier,
    agenda,
    answers_for,
    make_panel,
    pre_assess,
    score_as,
)


def code_of(exc: pytest.ExceptionInfo) -> str | None:
    return getattr(exc.value, "code", None)


# --- Seats ---------------------------------------------------------------------------------


def test_seat_add_grants_the_role_and_seat_remove_revokes_it(world, ev_panel):
    member = ev_panel.members[0]
    assert Membership.objects.filter(
        user=member, role=Role.COUNCIL_MEMBER, council=ev_panel.council
    ).exists()
    assert Membership.objects.filter(
        user=ev_panel.secretary, role=Role.COUNCIL_SECRETARY, council=ev_panel.council
    ).exists()
    services.seat_remove(actor=ev_panel.officer, seat=ev_panel.seats[member])
    assert not ev_panel.seats[member].__class__.objects.get(pk=ev_panel.seats[member].pk).active
    assert not Membership.objects.filter(user=member, council=ev_panel.council).exists()
    assert AuditEvent.objects.filter(action="council.seat_remove").exists()


def test_one_active_chair_and_managers_only(world, ev_panel):
    with pytest.raises(ValidationError):
        services.seat_add(
            actor=ev_panel.officer, council=ev_panel.council, user=make_user("x"), role="chair"
        )
    for name in ("other_provincial_officer", "council_member", "commune_officer"):
        with pytest.raises(PermissionDenied):
            services.seat_add(
                actor=world.users[name],
                council=ev_panel.council,
                user=make_user(f"y_{name}"),
                role="member",
            )


# --- Rounds and the level configuration ----------------------------------------------------


def test_round_before_2025_keeps_decision_148_and_its_district_level(world):
    officer = world.users["provincial_officer"]
    data = {"name": "Đợt 2024", "province_id": LAM_DONG, "opens_on": BEFORE_2025}
    district = services.round_create(actor=officer, data={**data, "level": Level.DISTRICT})
    assert district.period == "qd148-2023"


def test_current_round_has_no_district_level_and_province_is_required(world):
    officer = world.users["provincial_officer"]
    data = {"name": "Đợt 2026", "opens_on": CURRENT}
    with pytest.raises(ValidationError):
        services.round_create(
            actor=officer, data={**data, "level": Level.DISTRICT, "province_id": LAM_DONG}
        )
    with pytest.raises(ValidationError):
        services.round_create(actor=officer, data={**data, "level": Level.PROVINCE})
    with pytest.raises(PermissionDenied):  # central rounds are the central office's
        services.round_create(actor=officer, data={**data, "level": Level.CENTRAL})
    r = services.round_create(
        actor=officer, data={**data, "level": Level.PROVINCE, "province_id": LAM_DONG}
    )
    assert r.period == "qd1489-2025"


def test_session_needs_a_council_of_the_rounds_level(world, ev_group):
    p = make_panel(world, level=Level.DISTRICT, opens_on=BEFORE_2025, attend=False)
    province_round = services.round_create(
        actor=p.officer,
        data={
            "name": "Tỉnh",
            "level": Level.PROVINCE,
            "province_id": LAM_DONG,
            "opens_on": BEFORE_2025,
        },
    )
    with pytest.raises(ValidationError):
        services.session_create(
            actor=p.officer, round=province_round, council=p.council, date=BEFORE_2025
        )
    assert p.session.quorum == Decimal("0.75") and p.session.allowed_spread == 10


def test_pre_2025_province_grants_4_stars_and_district_is_capped_at_3(world, ev_group):
    province = make_panel(world, opens_on=BEFORE_2025, prefix="tinh")
    district = make_panel(world, level=Level.DISTRICT, opens_on=BEFORE_2025, prefix="huyen")
    d1 = accepted_dossier(world, ev_group, "Rau một")
    d2 = accepted_dossier(world, ev_group, "Rau hai")
    # No commune pre-assessment under Decision 148: the dossiers go straight on the agenda.
    a = agenda(world, province, d1)
    for u in province.scorers:
        score_as(u, a, 72)
    a = services.assignment_close(actor=province.chair, assignment=a)
    assert (a.score, a.band_stars, a.stars, a.forwarded) == (Decimal(72), 4, 4, False)
    b = agenda(world, district, d2)
    for u in district.scorers:
        score_as(u, b, 95)
    b = services.assignment_close(actor=district.chair, assignment=b)
    assert (b.score, b.band_stars, b.stars, b.forwarded) == (Decimal(95), 5, 3, True)


def test_current_province_grants_3_and_4_stars(world, ev_assignment, ev_panel):
    for u, total in zip(ev_panel.scorers, (60, 62, 64, 66), strict=True):
        score_as(u, ev_assignment, total)
    a = services.assignment_close(actor=ev_panel.chair, assignment=ev_assignment)
    assert (a.score, a.stars, a.forwarded) == (Decimal(63), 3, False)


# --- The agenda ----------------------------------------------------------------------------


def test_only_accepted_dossiers_of_the_rounds_province(world, ev_panel, ev_group):
    from ocop.dossiers.services import dossier_create

    draft = dossier_create(
        actor=world.users["producer_member"],
        product=accepted_dossier(world, ev_group, "Rau ba").product,
    )
    with pytest.raises(ValidationError):
        agenda(world, ev_panel, draft)
    # Producer C is in Hà Nội: outside the Lâm Đồng round.
    ha_noi = accepted_dossier(world, ev_group, "Rau Hà Nội", producer=world.producer_c)
    pre_assess(world, ha_noi, actor=world.users["administrator"])
    with pytest.raises(ValidationError):
        agenda(world, ev_panel, ha_noi)


def test_commune_pre_assessment_is_required_from_2025(world, ev_panel, ev_dossier):
    with pytest.raises(ValidationError) as e:
        agenda(world, ev_panel, ev_dossier)
    assert code_of(e) == "pre_assessment"
    pre_assess(world, ev_dossier, ok=False)
    with pytest.raises(ValidationError):
        agenda(world, ev_panel, ev_dossier)
    pre_assess(world, ev_dossier, ok=True)
    assert agenda(world, ev_panel, ev_dossier).pk


def test_a_trial_round_skips_the_pre_assessment(world, ev_group, ev_dossier):
    trial = make_panel(world, trial=True, prefix="thu")
    assert agenda(world, trial, ev_dossier).pk


def test_commune_pre_assess_scores_only_the_commune_criteria(world, ev_dossier):
    officer = world.users["commune_officer"]
    with pytest.raises(ValidationError):
        services.commune_pre_assess(
            actor=officer, dossier=ev_dossier, answers={"B4.1": "a"}, formalities_ok=True
        )
    with pytest.raises(ValidationError):  # an option the criterion does not have
        services.commune_pre_assess(
            actor=officer, dossier=ev_dossier, answers={"A1.1": "z"}, formalities_ok=True
        )
    with pytest.raises(PermissionDenied):  # another commune's officer
        services.commune_pre_assess(
            actor=world.users["other_commune_officer"],
            dossier=ev_dossier,
            answers={},
            formalities_ok=True,
        )
    pre = services.commune_pre_assess(
        actor=officer,
        dossier=ev_dossier,
        answers={"A1.1": "c", "A2.1": "d", "A3.3": "b"},
        formalities_ok=True,
        note="Đủ thủ tục",
    )
    assert pre.answers["A1.1"] == "c" and pre.formalities_ok


def test_forwarding_at_90_and_the_central_round(world, ev_group):
    province = make_panel(world, prefix="tinh")
    central = make_panel(world, level=Level.CENTRAL, prefix="tw")
    high = accepted_dossier(world, ev_group, "Rau cao")
    low = accepted_dossier(world, ev_group, "Rau thấp")
    for dossier, total in ((high, 92), (low, 88)):
        pre_assess(world, dossier)
        a = agenda(world, province, dossier)
        for u in province.scorers:
            score_as(u, a, total)
        a = services.assignment_close(actor=province.chair, assignment=a)
        assert a.forwarded is (total >= 90)
        assert a.stars == 4  # the province grants 3-4 stars
    assert agenda(world, central, high).pk
    with pytest.raises(ValidationError) as e:
        agenda(world, central, low)
    assert code_of(e) == "not_forwarded"
    with pytest.raises(ValidationError) as e:  # closed at province level already
        agenda(world, province, high)
    assert code_of(e) == "done"


# --- Scoring -------------------------------------------------------------------------------


def test_sheet_answers_are_validated_and_a_submitted_sheet_is_read_only(
    world, ev_panel, ev_assignment
):
    member = ev_panel.members[0]
    with pytest.raises(ValidationError):
        services.sheet_save(actor=member, assignment=ev_assignment, answers={"Z9.9": "a"}, notes={})
    services.sheet_save(actor=member, assignment=ev_assignment, answers={"A1.1": "c"}, notes={})
    with pytest.raises(ValidationError) as e:
        services.sheet_submit(actor=member, assignment=ev_assignment)
    assert code_of(e) == "incomplete"
    sheet = score_as(member, ev_assignment, 80)
    assert sheet.total == 80 and sheet.status == SheetStatus.SUBMITTED
    with pytest.raises(ValidationError):
        services.sheet_save(actor=member, assignment=ev_assignment, answers={"A1.1": "a"}, notes={})


def test_who_may_score(world, ev_panel, ev_assignment, ev_group):
    other = make_panel(world, prefix="khac")
    answers = answers_for(dossier_spec(dossier=ev_assignment.dossier), 80)
    for user in (other.members[0], ev_panel.secretary, ev_panel.officer, world.users["no_role"]):
        with pytest.raises(PermissionDenied):
            services.sheet_save(actor=user, assignment=ev_assignment, answers=answers, notes={})


def test_detected_conflicts_are_excluded_from_the_mean(world, ev_group, ev_dossier):
    p = make_panel(world, attend=False)
    # Member 1 belongs to the producer; member 2 lives in the producer's commune.
    Membership.objects.create(
        user=p.members[0], role=Role.PRODUCER_MEMBER, producer=world.producer_a
    )
    extra = make_user("p_member_4")
    seat = services.seat_add(
        actor=p.officer, council=p.council, user=extra, role="member", home_commune=world.commune_a
    )
    services.attendance_set(
        actor=p.officer, session=p.session, present_seats=[*[p.seats[u] for u in p.scorers], seat]
    )
    pre_assess(world, ev_dossier)
    a = agenda(world, p, ev_dossier)
    conflicts = {c.seat.user: c for c in Conflict.objects.filter(assignment=a)}
    assert set(conflicts) == {p.members[0], extra}
    assert all(c.detected for c in conflicts.values())
    with pytest.raises(PermissionDenied):
        score_as(extra, a, 100)
    for u, total in ((p.chair, 80), (p.members[1], 82), (p.members[2], 84)):
        score_as(u, a, total)
    a = services.assignment_close(actor=p.chair, assignment=a)
    assert a.score == Decimal(82)
    assert set(a.result_sheets) == {str(p.seats[u].pk) for u in (p.chair, *p.members[1:])}


def test_a_declared_conflict_deletes_the_draft_and_excludes_the_member(
    world, ev_panel, ev_assignment
):
    member = ev_panel.members[0]
    score_as(member, ev_assignment, 50, stars=3, submit=False)
    services.conflict_declare(actor=member, assignment=ev_assignment, reason="Họ hàng")
    assert not ScoreSheet.objects.filter(seat=ev_panel.seats[member]).exists()
    with pytest.raises(PermissionDenied):
        score_as(member, ev_assignment, 60)
    for u, total in zip((ev_panel.chair, *ev_panel.members[1:]), (70, 74, 78), strict=True):
        score_as(u, ev_assignment, total)
    a = services.assignment_close(actor=ev_panel.chair, assignment=ev_assignment)
    assert a.score == Decimal(74) and str(ev_panel.seats[member].pk) not in a.result_sheets


# --- Quorum, spread, close -----------------------------------------------------------------


def test_no_close_without_quorum(world, ev_panel, ev_assignment):
    seats = ev_panel.seats
    for u in ev_panel.scorers:
        score_as(u, ev_assignment, 80)
    # Two of four scoring members present (the secretary does not count): under 3/4.
    services.attendance_set(
        actor=ev_panel.officer,
        session=ev_panel.session,
        present_seats=[
            seats[ev_panel.chair],
            seats[ev_panel.members[0]],
            seats[ev_panel.secretary],
        ],
    )
    with pytest.raises(ValidationError) as e:
        services.assignment_close(actor=ev_panel.chair, assignment=ev_assignment)
    assert code_of(e) == "quorum"
    # Three of four present but the chair absent.
    services.attendance_set(
        actor=ev_panel.officer,
        session=ev_panel.session,
        present_seats=[seats[u] for u in ev_panel.members],
    )
    with pytest.raises(ValidationError) as e:
        services.assignment_close(actor=ev_panel.chair, assignment=ev_assignment)
    assert code_of(e) == "quorum"
    # The chair may record attendance too; three of four with the chair is a quorum.
    services.attendance_set(
        actor=ev_panel.chair,
        session=ev_panel.session,
        present_seats=[seats[u] for u in ev_panel.scorers[:3]],
    )
    a = services.assignment_close(actor=ev_panel.chair, assignment=ev_assignment)
    assert a.status == AssignmentStatus.CLOSED and len(a.result_sheets) == 3


def test_every_present_member_must_submit(world, ev_panel, ev_assignment):
    for u in ev_panel.scorers[:3]:
        score_as(u, ev_assignment, 80)
    score_as(ev_panel.members[2], ev_assignment, 80, submit=False)
    with pytest.raises(ValidationError) as e:
        services.assignment_close(actor=ev_panel.chair, assignment=ev_assignment)
    assert code_of(e) == "missing"


def test_spread_flag_rescore_and_close(world, ev_panel, ev_assignment):
    chair, m1, m2, m3 = ev_panel.scorers
    for u, total in ((chair, 80), (m1, 82), (m2, 84), (m3, 91)):
        score_as(u, ev_assignment, total)
    with pytest.raises(ValidationError) as e:  # 91 - 80 = 11 > 10
        services.assignment_close(actor=chair, assignment=ev_assignment)
    assert code_of(e) == "spread"
    with pytest.raises(PermissionDenied):  # the chair alone asks for a re-score
        services.rescore_request(
            actor=m1, assignment=ev_assignment, seats=[ev_panel.seats[m3]], note=""
        )
    a = services.rescore_request(
        actor=chair, assignment=ev_assignment, seats=[ev_panel.seats[m3]], note="Tiêu chí B4.1"
    )
    assert a.status == AssignmentStatus.DISCUSSION
    sheet = ScoreSheet.objects.get(seat=ev_panel.seats[m3])
    assert (sheet.status, sheet.revision, sheet.history[0]["total"]) == ("draft", 2, "91.00")
    with pytest.raises(ValidationError):  # m1 was not asked: their sheet stays read-only
        score_as(m1, ev_assignment, 85)
    services.discussion_record(
        actor=ev_panel.secretary, assignment=ev_assignment, text="Thống nhất lại B4.1"
    )
    with pytest.raises(PermissionDenied):
        services.discussion_record(actor=m1, assignment=ev_assignment, text="x")
    with pytest.raises(ValidationError) as e:  # m3 has not re-submitted yet
        services.assignment_close(actor=chair, assignment=ev_assignment)
    assert code_of(e) == "missing"
    score_as(m3, ev_assignment, 88)
    a = services.assignment_close(actor=chair, assignment=ev_assignment)
    assert a.score == Decimal("83.50") and a.discussion == "Thống nhất lại B4.1"


def test_rescore_only_when_the_spread_is_flagged(world, ev_panel, ev_assignment):
    for u in ev_panel.scorers:
        score_as(u, ev_assignment, 80)
    with pytest.raises(ValidationError):
        services.rescore_request(
            actor=ev_panel.chair,
            assignment=ev_assignment,
            seats=[ev_panel.seats[ev_panel.members[0]]],
            note="",
        )


def test_only_the_chair_closes(world, ev_panel, ev_assignment):
    for u in ev_panel.scorers:
        score_as(u, ev_assignment, 80)
    for user in (ev_panel.members[0], ev_panel.secretary, ev_panel.officer):
        with pytest.raises(PermissionDenied):
            services.assignment_close(actor=user, assignment=ev_assignment)


def test_the_closed_result_is_frozen(world, ev_panel, ev_assignment):
    chair, m1, m2, m3 = ev_panel.scorers
    for u, total in ((chair, 80), (m1, 82), (m2, 84), (m3, 86)):
        score_as(u, ev_assignment, total)
    services.assignment_close(actor=chair, assignment=ev_assignment)
    frozen = Assignment.objects.get(pk=ev_assignment.pk)
    sheets = list(ScoreSheet.objects.filter(assignment=ev_assignment).values())
    assert frozen.score == Decimal(83) and frozen.closed_by == chair and frozen.closed_at
    assert {v["member"] for v in frozen.result_sheets.values()} == {
        str(u) for u in ev_panel.scorers
    }
    answers = answers_for(dossier_spec(dossier=ev_assignment.dossier), 70)
    attempts = [
        lambda: services.sheet_save(actor=m1, assignment=ev_assignment, answers=answers, notes={}),
        lambda: services.sheet_submit(actor=m1, assignment=ev_assignment),
        lambda: services.conflict_declare(actor=m2, assignment=ev_assignment, reason="x"),
        lambda: services.rescore_request(
            actor=chair, assignment=ev_assignment, seats=[ev_panel.seats[m3]], note=""
        ),
        lambda: services.discussion_record(
            actor=ev_panel.secretary, assignment=ev_assignment, text="x"
        ),
        lambda: services.assignment_close(actor=chair, assignment=ev_assignment),
    ]
    for attempt in attempts:
        with pytest.raises(ValidationError) as e:
            attempt()
        assert code_of(e) == "closed"
    after = Assignment.objects.get(pk=ev_assignment.pk)
    assert (after.score, after.stars, after.result_sheets, after.status, after.discussion) == (
        frozen.score,
        frozen.stars,
        frozen.result_sheets,
        frozen.status,
        frozen.discussion,
    )
    assert list(ScoreSheet.objects.filter(assignment=ev_assignment).values()) == sheets
    services.session_close(actor=ev_panel.officer, session=ev_panel.session)
    with pytest.raises(ValidationError):
        services.attendance_set(actor=ev_panel.officer, session=ev_panel.session, present_seats=[])


def test_session_closes_only_when_every_dossier_is_closed(world, ev_panel, ev_assignment):
    with pytest.raises(ValidationError):
        services.session_close(actor=ev_panel.officer, session=ev_panel.session)
    assert AuditEvent.objects.filter(action="assignment.add").exists()
    assert ev_panel.session.date == CURRENT + datetime.timedelta(days=20)


def test_council_update_is_audited_and_scoped(world, ev_panel):
    council = services.council_update(
        actor=ev_panel.officer, council=ev_panel.council, data={"name": "Hội đồng mới"}
    )
    assert council.name == "Hội đồng mới"
    event = AuditEvent.objects.filter(action="council.update").get()
    assert event.changes == {"name": ["Hội đồng p", "Hội đồng mới"]}
    with pytest.raises(PermissionDenied):
        services.council_update(
            actor=world.users["other_provincial_officer"], council=council, data={"name": "x"}
        )
    with pytest.raises(ValidationError):
        services.council_update(actor=ev_panel.officer, council=council, data={"bogus": 1})


def test_a_seat_added_later_is_checked_for_conflicts(world, ev_panel, ev_assignment):
    late = make_user("late_member")
    seat = services.seat_add(
        actor=ev_panel.officer,
        council=ev_panel.council,
        user=late,
        role="member",
        home_commune=world.commune_a,
    )
    assert Conflict.objects.get(assignment=ev_assignment, seat=seat).detected
