"""Evaluation dossiers over JSON: the same services and selectors as the pages."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from ocop.accounts.permissions import Action
from ocop.criteria.scoring import result_as_dict
from ocop.pagination import DbInt, DbText, Pagination
from ocop.products.models import Product
from ocop.products.selectors import product_visible

from . import selectors, services
from .models import Dossier, DossierPurpose

router = Router(tags=["dossiers"])


class DossierFields(Schema):
    id: int
    product_id: int
    product: str
    producer: str
    criteria_set: str
    purpose: str
    year: int
    status: str
    version: int
    updated_at: datetime.datetime


class DossierRow(DossierFields):
    @staticmethod
    def resolve_product(obj: Dossier) -> str:
        return obj.product.name

    @staticmethod
    def resolve_producer(obj: Dossier) -> str:
        return obj.product.producer.legal_name

    @staticmethod
    def resolve_criteria_set(obj: Dossier) -> str:
        return obj.criteria_set.code


class FileOut(Schema):
    id: int
    name: str
    url: str


class ItemOut(Schema):
    key: str
    option: str
    explanation: str
    links: list[str]
    needs_review: bool
    files: list[FileOut]


class MissingOut(Schema):
    key: str
    reason: str  # "document", "answer", "evidence", "review"


class CommentOut(Schema):
    item_key: str
    text: str
    version: int
    created_at: datetime.datetime


class DossierOut(DossierFields):
    self_score: dict
    missing: list[MissingOut]
    items: list[ItemOut]
    open_comments: list[CommentOut]


class DossierQuery(Schema):
    status: DbText = ""


class DossierIn(Schema):
    product: DbInt
    purpose: DossierPurpose = DossierPurpose.FIRST


class ItemIn(Schema):
    option: DbText | None = None  # criteria only; "" clears the answer
    explanation: DbText | None = None


class LinkIn(Schema):
    url: DbText


class Error(Schema):
    detail: dict[str, list[str]] | str


RESPONSES = {200: DossierOut, 403: Error, 404: Error, 422: Error}


def _get(request, dossier_id: int) -> Dossier:
    try:
        return selectors.dossier_get(user=request.auth, pk=dossier_id)
    except Dossier.DoesNotExist:
        raise Http404 from None


def _detail(request, dossier_id: int) -> dict:
    dossier = _get(request, dossier_id)
    items = selectors.dossier_items(dossier=dossier)
    comments = selectors.comments_by_key(dossier=dossier)
    return {
        "id": dossier.pk,
        "product_id": dossier.product_id,
        "product": dossier.product.name,
        "producer": dossier.product.producer.legal_name,
        "criteria_set": dossier.criteria_set.code,
        "purpose": dossier.purpose,
        "year": dossier.year,
        "status": dossier.status,
        "version": dossier.version,
        "updated_at": dossier.updated_at,
        "self_score": result_as_dict(selectors.dossier_score(dossier=dossier)),
        "missing": [
            {"key": m.key, "reason": m.reason}
            for m in selectors.dossier_missing(dossier=dossier, items=items)
        ],
        "items": [
            {
                "key": item.key,
                "option": item.option,
                "explanation": item.explanation,
                "links": item.links,
                "needs_review": item.needs_review,
                "files": [
                    {"id": d.pk, "name": d.original_name, "url": d.get_absolute_url()}
                    for d in item.documents
                ],
            }
            for item in items.values()
        ],
        "open_comments": [
            c for key_comments in comments.values() for c in key_comments if c.resolved_in is None
        ],
    }


def _invalid(exc: ValidationError) -> Status:
    if hasattr(exc, "error_dict"):
        return Status(422, {"detail": exc.message_dict})
    return Status(422, {"detail": {"__all__": exc.messages}})


def _denied() -> Status:
    return Status(403, {"detail": str(_("You may not change this dossier."))})


@router.get("/", response=list[DossierRow])
@paginate(Pagination)
def dossier_list(request, query: Query[DossierQuery]):
    """Dossiers the caller may see, newest first; filter with ?status=, page with ?page=."""
    return selectors.dossier_list(user=request.auth, status=query.status)


@router.get("/{dossier_id}", response=DossierOut)
def dossier_detail(request, dossier_id: DbInt):
    """The dossier with its items, the self-assessed score and what is still missing."""
    return _detail(request, dossier_id)


@router.post("/", response={201: DossierOut, 403: Error, 404: Error, 422: Error})
def dossier_create(request, payload: DossierIn):
    """Opens a dossier for a product; an earlier dossier's items are carried over."""
    try:
        product = product_visible(user=request.auth, action=Action.PRODUCT_VIEW).get(
            pk=payload.product
        )
    except Product.DoesNotExist:
        raise Http404 from None
    try:
        dossier = services.dossier_create(
            actor=request.auth, product=product, purpose=payload.purpose
        )
    except PermissionDenied:
        return Status(403, {"detail": str(_("You may not open a dossier for this product."))})
    except ValidationError as exc:
        return _invalid(exc)
    return Status(201, _detail(request, dossier.pk))


@router.put("/{dossier_id}/items/{key}", response=RESPONSES)
def item_update(request, dossier_id: DbInt, key: DbText, payload: ItemIn):
    """Answers a criterion (key "crit:<code>") or sets a document's note (key "doc:<code>");
    a field left out keeps its value."""
    dossier = _get(request, dossier_id)
    current = dossier.items.filter(key=key).first()
    try:
        if key.startswith("crit:"):
            services.item_answer(
                actor=request.auth,
                dossier=dossier,
                criterion=key.removeprefix("crit:"),
                option=payload.option
                if payload.option is not None
                else getattr(current, "option", ""),
                explanation=payload.explanation
                if payload.explanation is not None
                else getattr(current, "explanation", ""),
            )
        else:
            if payload.option:
                raise ValidationError(
                    {"option": [_("A required document has no options to choose.")]}
                )
            services.item_explain(
                actor=request.auth, dossier=dossier, key=key, explanation=payload.explanation or ""
            )
    except PermissionDenied:
        return _denied()
    except ValidationError as exc:
        return _invalid(exc)
    return Status(200, _detail(request, dossier.pk))


@router.post("/{dossier_id}/items/{key}/links", response=RESPONSES)
def item_link(request, dossier_id: DbInt, key: DbText, payload: LinkIn):
    """Adds a web address as evidence for the item."""
    dossier = _get(request, dossier_id)
    try:
        services.item_add_link(actor=request.auth, dossier=dossier, key=key, url=payload.url)
    except PermissionDenied:
        return _denied()
    except ValidationError as exc:
        return _invalid(exc)
    return Status(200, _detail(request, dossier.pk))


@router.post("/{dossier_id}/submit", response=RESPONSES)
def dossier_submit(request, dossier_id: DbInt):
    """Freezes a new version and sends the dossier to the officers; refused (422) while
    anything is missing."""
    dossier = _get(request, dossier_id)
    try:
        services.dossier_submit(actor=request.auth, dossier=dossier)
    except PermissionDenied:
        return _denied()
    except ValidationError as exc:
        return _invalid(exc)
    return Status(200, _detail(request, dossier.pk))
