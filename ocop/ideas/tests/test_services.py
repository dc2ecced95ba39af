import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ocop.audit.selectors import audit_history
from ocop.ideas import services
from ocop.ideas.models import IDEA_FLOW, IdeaStatus, ProductIdea
from ocop.producers.models import ProducerStatus
from ocop.workflow import transitions_for

from .conftest import idea_data, make_idea

S = IdeaStatus


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("administrator", True),
        ("producer_member", True),
        ("commune_officer", True),
        ("other_producer_member", False),
        ("other_commune_officer", False),
        # IDEA_SUBMIT has no provincial or central role: they follow, the producer writes.
        ("provincial_officer", False),
        ("central_officer", False),
        ("council_member", False),
        ("no_role", False),
    ],
)
def test_who_registers_an_idea_for_producer_a(world, group, role, allowed):
    actor = world.users[role]
    if not allowed:
        with pytest.raises(PermissionDenied):
            services.idea_create(actor=actor, producer=world.producer_a, data=idea_data(group))
        assert not ProductIdea.objects.exists()
        return
    idea = services.idea_create(actor=actor, producer=world.producer_a, data=idea_data(group))
    assert (idea.status, idea.created_by, idea.producer) == (S.DRAFT, actor, world.producer_a)
    event = audit_history(target=idea).get()
    assert event.action == "idea.create"
    assert event.changes["product_name"] == [None, "Cà phê Arabica Cầu Đất"]


def test_pending_producer_cannot_register_ideas(world, group):
    world.producer_a.status = ProducerStatus.PENDING
    world.producer_a.save()
    with pytest.raises(ValidationError):
        services.idea_create(
            actor=world.users["producer_member"], producer=world.producer_a, data=idea_data(group)
        )
    assert not ProductIdea.objects.exists()


def test_create_checks_the_fields(world, group):
    with pytest.raises(ValidationError) as exc:
        services.idea_create(
            actor=world.users["producer_member"],
            producer=world.producer_a,
            data=idea_data(group, product_name="", local_identity=""),
        )
    assert set(exc.value.message_dict) == {"product_name", "local_identity"}


def test_year_defaults_to_this_year(world, group):
    data = idea_data(group)
    del data["year"]
    idea = services.idea_create(
        actor=world.users["producer_member"], producer=world.producer_a, data=data
    )
    assert idea.year >= 2026


@pytest.mark.parametrize(
    ("status", "editable"),
    [
        (S.DRAFT, True),
        (S.CHANGES_REQUESTED, True),
        (S.SUBMITTED, False),
        (S.ACCEPTED, False),
        (S.DECLINED, False),
    ],
)
def test_update_only_while_the_producer_holds_the_idea(world, group, status, editable):
    idea = make_idea(world.producer_a, group, status=status)
    actor = world.users["producer_member"]
    if not editable:
        with pytest.raises(ValidationError):
            services.idea_update(actor=actor, idea=idea, data={"product_name": "Cà phê Robusta"})
        idea.refresh_from_db()
        assert idea.product_name == "Cà phê Arabica Cầu Đất"
        return
    services.idea_update(actor=actor, idea=idea, data={"product_name": "Cà phê Robusta"})
    idea.refresh_from_db()
    assert idea.product_name == "Cà phê Robusta"
    assert idea.search_text == "ca phe robusta hop tac xa ca phe lang biang"
    event = audit_history(target=idea).get()
    assert (event.action, event.changes) == (
        "idea.update",
        {"product_name": ["Cà phê Arabica Cầu Đất", "Cà phê Robusta"]},
    )


def test_update_without_change_writes_no_audit(world, group):
    idea = make_idea(world.producer_a, group)
    services.idea_update(actor=world.users["producer_member"], idea=idea, data={"year": idea.year})
    assert not audit_history(target=idea).exists()


@pytest.mark.parametrize("role", ["other_producer_member", "provincial_officer", "central_officer"])
def test_update_refused_to_others(world, group, role):
    idea = make_idea(world.producer_a, group)
    with pytest.raises(PermissionDenied):
        services.idea_update(actor=world.users[role], idea=idea, data={"product_name": "X"})


# Who may take each step on an idea of producer A (commune A, Lâm Đồng).
SUBMITTERS = {"administrator", "producer_member", "commune_officer"}
REVIEWERS = {"administrator", "commune_officer"}
ROLES = [
    "administrator",
    "central_officer",
    "provincial_officer",  # in the area, but neither submits nor reviews ideas
    "other_provincial_officer",
    "commune_officer",
    "other_commune_officer",
    "producer_member",
    "other_producer_member",
    "council_member",
    "consultant",
    "no_role",
]
STEPS = [
    ("submit", S.DRAFT, S.SUBMITTED, SUBMITTERS),
    ("submit", S.CHANGES_REQUESTED, S.SUBMITTED, SUBMITTERS),
    ("request_changes", S.SUBMITTED, S.CHANGES_REQUESTED, REVIEWERS),
    ("accept", S.SUBMITTED, S.ACCEPTED, REVIEWERS),
    ("decline", S.SUBMITTED, S.DECLINED, REVIEWERS),
]
PERMISSION_CASES = [
    pytest.param(name, source, target, role, role in allowed, id=f"{name}-{source}-{role}")
    for name, source, target, allowed in STEPS
    for role in ROLES
]


@pytest.mark.parametrize(("name", "source", "target", "role", "allowed"), PERMISSION_CASES)
def test_idea_flow_permissions(world, group, name, source, target, role, allowed):
    idea = make_idea(world.producer_a, group, status=source)
    actor = world.users[role]
    offered = {t.name for t in transitions_for(user=actor, table=IDEA_FLOW, record=idea)}
    assert (name in offered) == allowed
    if not allowed:
        with pytest.raises(PermissionDenied):
            services.idea_transition(actor=actor, idea=idea, name=name, reason="Vì sao")
        idea.refresh_from_db()
        assert idea.status == source
        return
    idea = services.idea_transition(actor=actor, idea=idea, name=name, reason="Vì sao")
    assert idea.status == target
    assert ProductIdea.objects.get(pk=idea.pk).status == target


# Every (step, state) pair the table does not list, taken by someone who may take the step.
WRONG_STATE_CASES = [
    pytest.param(t.name, state, id=f"{t.name}-{state}")
    for t in IDEA_FLOW.transitions.values()
    for state in S.values
    if state not in t.sources
]


@pytest.mark.parametrize(("name", "state"), WRONG_STATE_CASES)
def test_idea_flow_refuses_steps_from_other_states(world, group, name, state):
    idea = make_idea(world.producer_a, group, status=state)
    with pytest.raises(ValidationError):
        services.idea_transition(
            actor=world.users["administrator"], idea=idea, name=name, reason="Vì sao"
        )
    idea.refresh_from_db()
    assert idea.status == state
    assert not audit_history(target=idea).exists()


def test_unknown_step_is_refused(world, group):
    idea = make_idea(world.producer_a, group)
    with pytest.raises(ValidationError):
        services.idea_transition(actor=world.users["administrator"], idea=idea, name="publish")


@pytest.mark.parametrize("name", ["request_changes", "decline"])
@pytest.mark.parametrize("reason", ["", "   "])
def test_returning_or_declining_needs_a_reason(world, group, name, reason):
    idea = make_idea(world.producer_a, group, status=S.SUBMITTED)
    with pytest.raises(ValidationError):
        services.idea_transition(
            actor=world.users["commune_officer"], idea=idea, name=name, reason=reason
        )
    idea.refresh_from_db()
    assert idea.status == S.SUBMITTED


def test_transition_writes_audit_with_the_reason(world, group):
    idea = make_idea(world.producer_a, group, status=S.SUBMITTED)
    officer = world.users["commune_officer"]
    services.idea_transition(
        actor=officer, idea=idea, name="decline", reason="  Trùng với sản phẩm đã có  "
    )
    event = audit_history(target=idea).get()
    assert (event.action, event.actor, event.note) == (
        "idea.decline",
        officer,
        "Trùng với sản phẩm đã có",
    )
    assert event.changes == {"status": ["submitted", "declined"]}


def test_the_whole_chain(world, group):
    member, officer = world.users["producer_member"], world.users["commune_officer"]
    idea = services.idea_create(actor=member, producer=world.producer_a, data=idea_data(group))
    services.idea_transition(actor=member, idea=idea, name="submit")
    with pytest.raises(ValidationError):
        services.idea_update(actor=member, idea=idea, data={"current_output": "2 tấn/năm"})
    services.idea_transition(
        actor=officer, idea=idea, name="request_changes", reason="Ghi rõ sản lượng"
    )
    services.idea_update(actor=member, idea=idea, data={"current_output": "2 tấn/năm"})
    services.idea_transition(actor=member, idea=idea, name="submit")
    idea = services.idea_transition(actor=officer, idea=idea, name="accept")
    assert idea.status == S.ACCEPTED
    assert idea.current_output == "2 tấn/năm"
    history = list(audit_history(target=idea).order_by("at", "id"))
    assert [e.action for e in history] == [
        "idea.create",
        "idea.submit",
        "idea.request_changes",
        "idea.update",
        "idea.submit",
        "idea.accept",
    ]
    assert history[2].note == "Ghi rõ sản lượng"
    assert [e.actor for e in history] == [member, member, officer, member, member, officer]


def test_idea_stays_editable_when_its_author_is_gone(world, group):
    """created_by is set to null when the account is deleted; the idea lives on."""
    author = world.users["commune_officer"]
    idea = services.idea_create(actor=author, producer=world.producer_a, data=idea_data(group))
    author.delete()
    idea.refresh_from_db()
    assert idea.created_by is None
    services.idea_update(
        actor=world.users["producer_member"], idea=idea, data={"current_output": "2 tấn/năm"}
    )
    idea.refresh_from_db()
    assert idea.current_output == "2 tấn/năm"
