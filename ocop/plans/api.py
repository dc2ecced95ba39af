"""Business plans over JSON: the same services and selectors as the pages."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Body, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from ocop.ideas.models import ProductIdea
from ocop.ideas.selectors import idea_get
from ocop.pagination import DbInt, DbText, Pagination
from ocop.workflow import transitions_for

from . import selectors, services
from .models import PLAN_FLOW, BusinessPlan

router = Router(tags=["plans"])


class MilestoneOut(Schema):
    id: int
    title: str
    due_date: datetime.date
    done_on: datetime.date | None
    note: str


class SupportOut(Schema):
    id: int
    kind: str
    provider: str
    received_on: datetime.date
    amount: int | None
    note: str

    @staticmethod
    def resolve_amount(obj) -> int | None:
        return None if obj.amount is None else int(obj.amount)


class PlanOut(Schema):
    id: int
    idea_id: int
    product_name: str
    producer_id: int
    producer: str
    objectives: str
    investment_total: int | None  # VND
    funding_sources: str
    capacity: str
    markets: str
    support_needed: str
    start_date: datetime.date | None
    end_date: datetime.date | None
    status: str
    transitions: list[str]  # the steps the caller may take now
    milestones: list[MilestoneOut]
    support: list[SupportOut]
    created_at: datetime.datetime
    updated_at: datetime.datetime

    @staticmethod
    def resolve_product_name(obj: BusinessPlan) -> str:
        return obj.idea.product_name

    @staticmethod
    def resolve_producer_id(obj: BusinessPlan) -> int:
        return obj.idea.producer_id

    @staticmethod
    def resolve_producer(obj: BusinessPlan) -> str:
        return obj.idea.producer.legal_name

    @staticmethod
    def resolve_investment_total(obj: BusinessPlan) -> int | None:
        return None if obj.investment_total is None else int(obj.investment_total)

    @staticmethod
    def resolve_transitions(obj: BusinessPlan, context) -> list[str]:
        user = context["request"].auth
        return [t.name for t in transitions_for(user=user, table=PLAN_FLOW, record=obj)]

    @staticmethod
    def resolve_milestones(obj: BusinessPlan) -> list:
        return list(obj.milestones.all())

    @staticmethod
    def resolve_support(obj: BusinessPlan) -> list:
        return list(obj.support.all())


class PlanPatch(Schema):
    objectives: DbText | None = None
    investment_total: DbInt | None = None
    funding_sources: DbText | None = None
    capacity: DbText | None = None
    markets: DbText | None = None
    support_needed: DbText | None = None
    start_date: datetime.date | None = None
    end_date: datetime.date | None = None


class PlanIn(PlanPatch):
    idea_id: DbInt
    objectives: DbText


class PlanQuery(Schema):
    status: DbText = ""


class TransitionIn(Schema):
    reason: DbText = ""


class Error(Schema):
    detail: dict[str, list[str]] | str


_NULLABLE = {"investment_total", "start_date", "end_date"}


def _data(fields: dict) -> dict:
    """A text field sent as null becomes empty, as the form would save it."""
    return {k: "" if v is None and k not in _NULLABLE else v for k, v in fields.items()}


def _invalid(exc: ValidationError) -> Status:
    if hasattr(exc, "error_dict"):
        return Status(422, {"detail": exc.message_dict})
    return Status(422, {"detail": {"__all__": exc.messages}})


def _get(request, plan_id: int) -> BusinessPlan:
    try:
        return selectors.plan_get(user=request.auth, pk=plan_id)
    except BusinessPlan.DoesNotExist:
        raise Http404 from None


@router.get("/", response=list[PlanOut])
@paginate(Pagination)
def plan_list(request, query: Query[PlanQuery]):
    """Plans the caller may see; paginated with ?page=."""
    return selectors.plan_list(user=request.auth, status=query.status).prefetch_related(
        "milestones", "support"
    )


@router.get("/{plan_id}", response=PlanOut)
def plan_detail(request, plan_id: DbInt):
    return _get(request, plan_id)


@router.post("/", response={201: PlanOut, 403: Error, 404: Error, 422: Error})
def plan_create(request, payload: PlanIn):
    """Writes the plan, as a draft, for an accepted idea (one plan per idea)."""
    fields = payload.dict()
    try:
        idea = idea_get(user=request.auth, pk=fields.pop("idea_id"))
    except ProductIdea.DoesNotExist:
        raise Http404 from None
    try:
        plan = services.plan_create(actor=request.auth, idea=idea, data=_data(fields))
    except PermissionDenied:
        return Status(403, {"detail": str(_("You may not write a plan for this idea."))})
    except ValidationError as exc:
        return _invalid(exc)
    return Status(201, _get(request, plan.pk))


@router.patch("/{plan_id}", response={200: PlanOut, 403: Error, 404: Error, 422: Error})
def plan_update(request, plan_id: DbInt, payload: PlanPatch):
    """Changes the fields sent, while the plan is a draft or returned for changes."""
    plan = _get(request, plan_id)
    try:
        data = _data(payload.dict(exclude_unset=True))
        services.plan_update(actor=request.auth, plan=plan, data=data)
    except PermissionDenied:
        return Status(403, {"detail": str(_("You may not change this plan."))})
    except ValidationError as exc:
        return _invalid(exc)
    return Status(200, _get(request, plan.pk))


@router.post(
    "/{plan_id}/transitions/{name}",
    response={200: PlanOut, 403: Error, 404: Error, 422: Error},
)
def plan_transition(
    request, plan_id: DbInt, name: DbText, payload: Body[TransitionIn | None] = None
):
    """Takes a step (submit, return, approve); returning needs a reason."""
    plan = _get(request, plan_id)
    try:
        services.plan_transition(
            actor=request.auth, plan=plan, name=name, reason=payload.reason if payload else ""
        )
    except PermissionDenied:
        return Status(403, {"detail": str(_("You may not take this step."))})
    except ValidationError as exc:
        return _invalid(exc)
    return Status(200, _get(request, plan.pk))
