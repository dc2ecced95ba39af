import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ocop.audit.selectors import audit_history
from ocop.ideas.models import IdeaStatus
from ocop.ideas.tests.conftest import make_idea
from ocop.plans import services
from ocop.plans.models import PLAN_FLOW, BusinessPlan, PlanStatus
from ocop.workflow import transitions_for

from .conftest import make_plan

S = PlanStatus
DATA = {"objectives": "Đạt 4 sao năm 2027", "investment_total": 350_000_000}


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("administrator", True),
        ("producer_member", True),
        ("commune_officer", True),
        ("provincial_officer", False),
        ("central_officer", False),
        ("other_producer_member", False),
        ("other_commune_officer", False),
        ("no_role", False),
    ],
)
def test_who_writes_the_plan(world, idea, role, allowed):
    actor = world.users[role]
    if not allowed:
        with pytest.raises(PermissionDenied):
            services.plan_create(actor=actor, idea=idea, data=DATA)
        return
    plan = services.plan_create(actor=actor, idea=idea, data=DATA)
    assert (plan.status, plan.created_by, plan.idea) == (S.DRAFT, actor, idea)
    assert audit_history(target=plan).get().action == "plan.create"


@pytest.mark.parametrize(
    "status",
    [IdeaStatus.DRAFT, IdeaStatus.SUBMITTED, IdeaStatus.DECLINED, IdeaStatus.CHANGES_REQUESTED],
)
def test_plan_follows_an_accepted_idea_only(world, group, status):
    idea = make_idea(world.producer_a, group, status=status)
    with pytest.raises(ValidationError):
        services.plan_create(actor=world.users["producer_member"], idea=idea, data=DATA)
    assert not BusinessPlan.objects.exists()


def test_one_plan_per_idea(world, idea):
    services.plan_create(actor=world.users["producer_member"], idea=idea, data=DATA)
    with pytest.raises(ValidationError):
        services.plan_create(actor=world.users["commune_officer"], idea=idea, data=DATA)
    assert BusinessPlan.objects.count() == 1


def test_end_before_start_is_refused(world, idea):
    data = {**DATA, "start_date": datetime.date(2026, 6, 1), "end_date": datetime.date(2026, 1, 1)}
    with pytest.raises(ValidationError):
        services.plan_create(actor=world.users["producer_member"], idea=idea, data=data)
    plan = make_plan(idea)
    with pytest.raises(ValidationError):
        services.plan_update(actor=world.users["producer_member"], plan=plan, data=data)


@pytest.mark.parametrize(
    ("status", "editable"),
    [(S.DRAFT, True), (S.RETURNED, True), (S.SUBMITTED, False), (S.APPROVED, False)],
)
def test_update_only_in_draft_or_returned(world, idea, status, editable):
    plan = make_plan(idea, status=status)
    actor = world.users["producer_member"]
    if not editable:
        with pytest.raises(ValidationError):
            services.plan_update(actor=actor, plan=plan, data={"markets": "Đà Lạt"})
        return
    services.plan_update(actor=actor, plan=plan, data={"markets": "Đà Lạt"})
    plan.refresh_from_db()
    assert plan.markets == "Đà Lạt"
    assert audit_history(target=plan).get().changes == {"markets": ["", "Đà Lạt"]}


def test_update_refused_to_the_province(world, idea):
    with pytest.raises(PermissionDenied):
        services.plan_update(
            actor=world.users["provincial_officer"], plan=make_plan(idea), data={"markets": "X"}
        )


SUBMITTERS = {"administrator", "producer_member", "commune_officer"}
REVIEWERS = {"administrator", "provincial_officer", "commune_officer"}
ROLES = [
    "administrator",
    "central_officer",
    "provincial_officer",
    "other_provincial_officer",
    "commune_officer",
    "other_commune_officer",
    "producer_member",
    "other_producer_member",
    "council_member",
    "no_role",
]
STEPS = [
    ("submit", S.DRAFT, S.SUBMITTED, SUBMITTERS),
    ("submit", S.RETURNED, S.SUBMITTED, SUBMITTERS),
    ("return", S.SUBMITTED, S.RETURNED, REVIEWERS),
    ("approve", S.SUBMITTED, S.APPROVED, REVIEWERS),
]


@pytest.mark.parametrize(
    ("name", "source", "target", "role", "allowed"),
    [
        pytest.param(n, s, t, role, role in allowed, id=f"{n}-{s}-{role}")
        for n, s, t, allowed in STEPS
        for role in ROLES
    ],
)
def test_plan_flow_permissions(world, idea, name, source, target, role, allowed):
    plan = make_plan(idea, status=source)
    actor = world.users[role]
    offered = {t.name for t in transitions_for(user=actor, table=PLAN_FLOW, record=plan)}
    assert (name in offered) == allowed
    if not allowed:
        with pytest.raises(PermissionDenied):
            services.plan_transition(actor=actor, plan=plan, name=name, reason="Vì sao")
        return
    plan = services.plan_transition(actor=actor, plan=plan, name=name, reason="Vì sao")
    assert BusinessPlan.objects.get(pk=plan.pk).status == target
    event = audit_history(target=plan).get()
    assert (event.action, event.note) == (f"plan.{name}", "Vì sao")


@pytest.mark.parametrize(
    ("name", "state"),
    [(t.name, s) for t in PLAN_FLOW.transitions.values() for s in S.values if s not in t.sources],
)
def test_plan_flow_refuses_other_states(world, idea, name, state):
    plan = make_plan(idea, status=state)
    with pytest.raises(ValidationError):
        services.plan_transition(
            actor=world.users["administrator"], plan=plan, name=name, reason="Vì sao"
        )


def test_return_needs_a_reason(world, idea):
    plan = make_plan(idea, status=S.SUBMITTED)
    with pytest.raises(ValidationError):
        services.plan_transition(actor=world.users["provincial_officer"], plan=plan, name="return")


MILESTONE = {"title": "Đăng ký mã vạch", "due_date": datetime.date(2026, 9, 1)}
SUPPORT = {"kind": "packaging", "received_on": datetime.date(2026, 5, 1), "amount": 20_000_000}


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("producer_member", True),
        ("commune_officer", True),
        ("provincial_officer", True),
        ("administrator", True),
        ("central_officer", False),
        ("other_commune_officer", False),
        ("other_producer_member", False),
    ],
)
def test_who_records_implementation(world, idea, role, allowed):
    plan = make_plan(idea, status=S.APPROVED)
    actor = world.users[role]
    if not allowed:
        with pytest.raises(PermissionDenied):
            services.milestone_add(actor=actor, plan=plan, data=MILESTONE)
        with pytest.raises(PermissionDenied):
            services.support_add(actor=actor, plan=plan, data=SUPPORT)
        return
    milestone = services.milestone_add(actor=actor, plan=plan, data=MILESTONE)
    services.milestone_done(actor=actor, milestone=milestone, done_on=datetime.date(2026, 8, 20))
    services.support_add(actor=actor, plan=plan, data=SUPPORT)
    assert plan.milestones.get().done_on == datetime.date(2026, 8, 20)
    assert plan.support.get().amount == 20_000_000
    actions = [e.action for e in audit_history(target=plan).order_by("at", "id")]
    assert actions == ["plan.milestone", "plan.milestone_done", "plan.support"]


@pytest.mark.parametrize("status", [S.DRAFT, S.SUBMITTED, S.RETURNED])
def test_implementation_only_once_approved(world, idea, status):
    plan = make_plan(idea, status=status)
    member = world.users["producer_member"]
    with pytest.raises(ValidationError):
        services.milestone_add(actor=member, plan=plan, data=MILESTONE)
    with pytest.raises(ValidationError):
        services.support_add(actor=member, plan=plan, data=SUPPORT)


def test_plan_stays_editable_when_its_author_is_gone(world, idea):
    author = world.users["commune_officer"]
    plan = services.plan_create(actor=author, idea=idea, data=DATA)
    author.delete()
    plan.refresh_from_db()
    services.plan_update(actor=world.users["producer_member"], plan=plan, data={"markets": "Huế"})
    plan.refresh_from_db()
    assert plan.markets == "Huế"


def test_the_whole_chain(world, idea):
    member, province = world.users["producer_member"], world.users["provincial_officer"]
    plan = services.plan_create(actor=member, idea=idea, data=DATA)
    services.plan_transition(actor=member, plan=plan, name="submit")
    services.plan_transition(actor=province, plan=plan, name="return", reason="Thêm thị trường")
    services.plan_update(actor=member, plan=plan, data={"markets": "Đà Lạt, TP.HCM"})
    services.plan_transition(actor=member, plan=plan, name="submit")
    plan = services.plan_transition(actor=province, plan=plan, name="approve")
    assert plan.status == S.APPROVED
    actions = [e.action for e in audit_history(target=plan).order_by("at", "id")]
    assert actions == [
        "plan.create",
        "plan.submit",
        "plan.return",
        "plan.update",
        "plan.submit",
        "plan.approve",
    ]
