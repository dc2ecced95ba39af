"""Product ideas over JSON: the same services and selectors as the pages."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Body, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from ocop.criteria.selectors import product_group_current
from ocop.pagination import DbInt, DbText, Pagination
from ocop.producers.models import Producer
from ocop.producers.selectors import producer_visible
from ocop.workflow import transitions_for

from . import selectors, services
from .models import IDEA_FLOW, ProductIdea

router = Router(tags=["ideas"])


class IdeaOut(Schema):
    id: int
    producer_id: int
    producer: str
    commune: str
    province: str
    product_name: str
    product_group_id: int
    product_group: str
    year: int
    raw_material_source: str
    local_labour: int | None
    local_labour_note: str
    local_identity: str
    current_output: str
    current_market: str
    support_requested: str
    status: str
    plan_id: int | None
    transitions: list[str]  # the steps the caller may take now
    created_at: datetime.datetime
    updated_at: datetime.datetime

    @staticmethod
    def resolve_producer(obj: ProductIdea) -> str:
        return obj.producer.legal_name

    @staticmethod
    def resolve_commune(obj: ProductIdea) -> str:
        return obj.producer.commune.name

    @staticmethod
    def resolve_province(obj: ProductIdea) -> str:
        return obj.producer.commune.province.name

    @staticmethod
    def resolve_product_group(obj: ProductIdea) -> str:
        return obj.product_group.name_vi

    @staticmethod
    def resolve_plan_id(obj: ProductIdea) -> int | None:
        plan = getattr(obj, "plan", None)
        return plan.pk if plan else None

    @staticmethod
    def resolve_transitions(obj: ProductIdea, context) -> list[str]:
        user = context["request"].auth
        return [t.name for t in transitions_for(user=user, table=IDEA_FLOW, record=obj)]


class IdeaFields(Schema):
    local_labour: DbInt | None = None
    local_labour_note: DbText = ""
    current_output: DbText = ""
    current_market: DbText = ""
    support_requested: DbText = ""


class IdeaIn(IdeaFields):
    producer_id: DbInt
    product_name: DbText
    product_group_id: DbInt
    year: DbInt | None = None  # this year when not given
    raw_material_source: DbText
    local_identity: DbText


class IdeaPatch(Schema):
    product_name: DbText | None = None
    product_group_id: DbInt | None = None
    year: DbInt | None = None
    raw_material_source: DbText | None = None
    local_labour: DbInt | None = None
    local_labour_note: DbText | None = None
    local_identity: DbText | None = None
    current_output: DbText | None = None
    current_market: DbText | None = None
    support_requested: DbText | None = None


class IdeaQuery(Schema):
    q: DbText = ""
    status: DbText = ""
    year: DbInt | None = None


class TransitionIn(Schema):
    reason: DbText = ""


class Error(Schema):
    detail: dict[str, list[str]] | str


def _data(fields: dict) -> dict:
    """The service's data: product_group_id becomes a group of the current decision (as in the
    form); a text field sent as null becomes empty."""
    data = {}
    for key, value in fields.items():
        if key == "product_group_id":
            data["product_group"] = product_group_current().filter(pk=value).first()
            if data["product_group"] is None:
                raise ValidationError(
                    {"product_group": _("Nothing with this id: %(id)s.") % {"id": value}}
                )
        elif value is None and key not in {"local_labour", "year"}:
            data[key] = ""
        else:
            data[key] = value
    return data


def _invalid(exc: ValidationError) -> Status:
    if hasattr(exc, "error_dict"):
        return Status(422, {"detail": exc.message_dict})
    return Status(422, {"detail": {"__all__": exc.messages}})


def _get(request, idea_id: int) -> ProductIdea:
    try:
        return selectors.idea_get(user=request.auth, pk=idea_id)
    except ProductIdea.DoesNotExist:
        raise Http404 from None


@router.get("/", response=list[IdeaOut])
@paginate(Pagination)
def idea_list(request, query: Query[IdeaQuery]):
    """Ideas the caller may see, filtered; paginated with ?page=."""
    return selectors.idea_list(user=request.auth, filters=selectors.IdeaFilters(**query.dict()))


@router.get("/{idea_id}", response=IdeaOut)
def idea_detail(request, idea_id: DbInt):
    return _get(request, idea_id)


@router.post("/", response={201: IdeaOut, 403: Error, 404: Error, 422: Error})
def idea_create(request, payload: IdeaIn):
    """Registers an idea, as a draft, for a producer the caller acts for."""
    fields = payload.dict()
    try:
        producer = producer_visible(user=request.auth).get(pk=fields.pop("producer_id"))
    except Producer.DoesNotExist:
        raise Http404 from None
    try:
        idea = services.idea_create(actor=request.auth, producer=producer, data=_data(fields))
    except PermissionDenied:
        return Status(403, {"detail": str(_("You may not register ideas for this producer."))})
    except ValidationError as exc:
        return _invalid(exc)
    return Status(201, _get(request, idea.pk))


@router.patch("/{idea_id}", response={200: IdeaOut, 403: Error, 404: Error, 422: Error})
def idea_update(request, idea_id: DbInt, payload: IdeaPatch):
    """Changes the fields sent, while the idea is a draft or sent back for changes."""
    idea = _get(request, idea_id)
    try:
        data = _data(payload.dict(exclude_unset=True))
        services.idea_update(actor=request.auth, idea=idea, data=data)
    except PermissionDenied:
        return Status(403, {"detail": str(_("You may not change this idea."))})
    except ValidationError as exc:
        return _invalid(exc)
    return Status(200, _get(request, idea.pk))


@router.post(
    "/{idea_id}/transitions/{name}",
    response={200: IdeaOut, 403: Error, 404: Error, 422: Error},
)
def idea_transition(
    request, idea_id: DbInt, name: DbText, payload: Body[TransitionIn | None] = None
):
    """Takes a step (submit, request_changes, accept, decline); returning or declining needs
    a reason."""
    idea = _get(request, idea_id)
    try:
        services.idea_transition(
            actor=request.auth, idea=idea, name=name, reason=payload.reason if payload else ""
        )
    except PermissionDenied:
        return Status(403, {"detail": str(_("You may not take this step."))})
    except ValidationError as exc:
        return _invalid(exc)
    return Status(200, _get(request, idea.pk))
