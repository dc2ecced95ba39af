"""Business plans (step 3) and their implementation (step 4) for accepted ideas."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ocop.accounts.models import User
from ocop.accounts.permissions import Action, can
from ocop.audit.services import audit_record, diff, snapshot
from ocop.ideas.models import IdeaStatus, ProductIdea
from ocop.workflow import transition_perform

from .models import (
    PLAN_EDITABLE,
    PLAN_FLOW,
    BusinessPlan,
    PlanMilestone,
    PlanStatus,
    SupportActivity,
)

PLAN_FIELDS = [
    "objectives",
    "investment_total",
    "funding_sources",
    "capacity",
    "markets",
    "support_needed",
    "start_date",
    "end_date",
]


def _assign(plan: BusinessPlan, data: dict) -> None:
    for field in PLAN_FIELDS:
        if field in data:
            setattr(plan, field, data[field])


@transaction.atomic
def plan_create(*, actor: User, idea: ProductIdea, data: dict) -> BusinessPlan:
    """The producer's plan for an idea the commune accepted (one plan per idea)."""
    if not can(actor, Action.PLAN_SUBMIT, idea):
        raise PermissionDenied
    idea = ProductIdea.objects.select_for_update().get(pk=idea.pk)
    if idea.status != IdeaStatus.ACCEPTED:
        raise ValidationError(_("A business plan follows an accepted idea."))
    if BusinessPlan.objects.filter(idea=idea).exists():
        raise ValidationError(_("This idea has a business plan already."))
    plan = BusinessPlan(idea=idea, created_by=actor)
    _assign(plan, data)
    plan.full_clean()
    plan.save()
    audit_record(
        actor=actor,
        action="plan.create",
        target=plan,
        changes=diff({}, snapshot(plan, PLAN_FIELDS)),
    )
    return plan


@transaction.atomic
def plan_update(*, actor: User, plan: BusinessPlan, data: dict) -> BusinessPlan:
    if not can(actor, Action.PLAN_SUBMIT, plan):
        raise PermissionDenied
    plan = BusinessPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.status not in PLAN_EDITABLE:
        raise ValidationError(_("A submitted or approved plan can no longer be changed."))
    before = snapshot(plan, PLAN_FIELDS)
    _assign(plan, data)
    # created_by is null once the author's account is deleted; the record lives on.
    plan.full_clean(exclude=["created_by"])
    changes = diff(before, snapshot(plan, PLAN_FIELDS))
    if changes:
        plan.save()
        audit_record(actor=actor, action="plan.update", target=plan, changes=changes)
    return plan


def plan_transition(
    *, actor: User, plan: BusinessPlan, name: str, reason: str = ""
) -> BusinessPlan:
    return transition_perform(actor=actor, table=PLAN_FLOW, record=plan, name=name, reason=reason)


@transaction.atomic
def plan_attach(*, actor: User, plan: BusinessPlan, file):
    """An attachment to the plan (a feasibility study, a quote, a drawing)."""
    if not can(actor, Action.PLAN_SUBMIT, plan):
        raise PermissionDenied
    if plan.status not in PLAN_EDITABLE:
        raise ValidationError(_("A submitted or approved plan can no longer be changed."))
    from ocop.documents.services import document_store

    document = document_store(file=file, uploaded_by=actor, owner=plan)
    audit_record(actor=actor, action="plan.attach", target=plan, note=document.original_name)
    return document


def _require_implementation(actor: User, plan: BusinessPlan) -> None:
    # Step 4 is recorded by the producer or the officers who support it.
    if not (can(actor, Action.PLAN_SUBMIT, plan) or can(actor, Action.PLAN_REVIEW, plan)):
        raise PermissionDenied
    if plan.status != PlanStatus.APPROVED:
        raise ValidationError(_("Implementation is recorded once the plan is approved."))


@transaction.atomic
def milestone_add(*, actor: User, plan: BusinessPlan, data: dict) -> PlanMilestone:
    _require_implementation(actor, plan)
    milestone = PlanMilestone(plan=plan, **data)
    milestone.full_clean()
    milestone.save()
    audit_record(actor=actor, action="plan.milestone", target=plan, note=milestone.title)
    return milestone


@transaction.atomic
def milestone_done(*, actor: User, milestone: PlanMilestone, done_on) -> PlanMilestone:
    _require_implementation(actor, milestone.plan)
    milestone.done_on = done_on
    milestone.full_clean()
    milestone.save(update_fields=["done_on"])
    audit_record(
        actor=actor,
        action="plan.milestone_done",
        target=milestone.plan,
        note=milestone.title,
        changes={"done_on": [None, done_on.isoformat()]},
    )
    return milestone


@transaction.atomic
def support_add(*, actor: User, plan: BusinessPlan, data: dict) -> SupportActivity:
    _require_implementation(actor, plan)
    support = SupportActivity(plan=plan, **data)
    support.full_clean()
    support.save()
    audit_record(actor=actor, action="plan.support", target=plan, note=str(support))
    return support
