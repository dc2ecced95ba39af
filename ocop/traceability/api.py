"""Traceability over JSON: batches, stamp runs, events and scan statistics, with the same
services and selectors as the pages. The public resolver is the stamps' own addresses
(/01/…/21/… and /tem/…, answering JSON to `Accept: application/json`), not this router."""

import datetime
from decimal import Decimal
from typing import Annotated

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from ocop.accounts.permissions import Action, can
from ocop.pagination import DbInt, DbText, Pagination

from . import epcis, selectors, services
from .models import Batch, StampRun, TraceEvent

router = Router(tags=["traceability"])


class BatchFields(Schema):
    produced_on: datetime.date
    expires_on: datetime.date | None = None
    quantity: DbInt
    unit: DbText
    raw_material_area: DbText = ""
    inputs: DbText = ""


class BatchIn(BatchFields):
    product_id: DbInt
    lot: DbText


class BatchPatch(Schema):
    lot: DbText | None = None
    produced_on: datetime.date | None = None
    expires_on: datetime.date | None = None
    quantity: DbInt | None = None
    unit: DbText | None = None
    raw_material_area: DbText | None = None
    inputs: DbText | None = None


class BatchOut(Schema):
    id: int
    product_id: int
    product: str
    gtin: str | None
    producer_id: int
    producer: str
    lot: str
    produced_on: datetime.date
    expires_on: datetime.date | None
    quantity: int
    unit: str
    raw_material_area: str
    inputs: str

    @staticmethod
    def resolve_product(obj: Batch) -> str:
        return obj.product.name

    @staticmethod
    def resolve_gtin(obj: Batch) -> str | None:
        return obj.product.gtin

    @staticmethod
    def resolve_producer(obj: Batch) -> str:
        return obj.producer.legal_name


class BatchQuery(Schema):
    q: DbText = ""
    product: DbInt | None = None


class RunIn(Schema):
    quantity: DbInt
    label_width_mm: DbInt = 30
    label_height_mm: DbInt = 36


class RunOut(Schema):
    id: int
    batch_id: int
    quantity: int
    issued: int
    status: str
    stalled: bool
    label_width_mm: int
    label_height_mm: int
    created_at: datetime.datetime
    finished_at: datetime.datetime | None

    @staticmethod
    def resolve_stalled(obj: StampRun) -> bool:
        return services.run_is_stalled(obj)


class VoidIn(Schema):
    reason: DbText
    serials: list[DbText] = []
    first: DbInt | None = None
    last: DbInt | None = None


class VoidOut(Schema):
    voided: int


class RawMaterialIn(Schema):
    """One raw material of a transformation, as the event form writes it: the quantity a
    number (kept as text, "60"), which the EPCIS document must be able to read."""

    name: DbText
    quantity: Annotated[Decimal, Field(max_digits=12, decimal_places=3)] | None = None
    unit: DbText = ""
    origin: DbText = ""


class EventIn(Schema):
    event_type: DbText  # ObjectEvent, AggregationEvent, TransformationEvent
    biz_step: DbText  # a CBV 2.0 business step: commissioning, shipping, packing…
    action: DbText = ""  # ADD, OBSERVE, DELETE (none for a transformation)
    disposition: DbText = ""
    event_time: datetime.datetime
    place: DbText = ""
    quantity: Decimal | None = None
    serials: list[DbText] = []
    parent: DbText = ""
    inputs: list[RawMaterialIn] = []
    note: DbText = ""


class EventOut(Schema):
    id: int
    event_type: str
    biz_step: str
    action: str
    disposition: str
    event_time: datetime.datetime
    place: str
    quantity: Decimal | None
    serials: list[str]
    parent: str
    inputs: list[dict]
    note: str


class StatsOut(Schema):
    scans: int
    flagged: int
    stamps_scanned: int
    since: datetime.datetime | None


class AlertOut(Schema):
    serial: str
    product_id: int | None
    product: str | None
    last: datetime.datetime
    flagged_scans: int
    provinces: int
    flags: list[str]

    @staticmethod
    def resolve_product_id(obj) -> int | None:
        return obj.product.pk if obj.product else None

    @staticmethod
    def resolve_product(obj) -> str | None:
        return obj.product.name if obj.product else None


def _batch(request, batch_id: int) -> Batch:
    batch = selectors.batch_visible(user=request.auth).filter(pk=batch_id).first()
    if batch is None:
        raise Http404
    return batch


def _run(request, run_id: int) -> StampRun:
    run = selectors.run_visible(user=request.auth).filter(pk=run_id).first()
    if run is None:
        raise Http404
    return run


@router.get("/batches/", response=list[BatchOut])
@paginate(Pagination)
def batch_list(request, query: Query[BatchQuery]):
    return selectors.batch_list(user=request.auth, filters=selectors.BatchFilters(**query.dict()))


@router.post("/batches/", response={201: BatchOut})
def batch_create(request, payload: BatchIn):
    """Records a batch of a product with a valid OCOP certificate."""
    data = payload.dict()
    product = (
        selectors.certified_products(user=request.auth).filter(pk=data.pop("product_id")).first()
    )
    if product is None:
        raise Http404
    batch = services.batch_create(actor=request.auth, product=product, data=data)
    return Status(201, _batch(request, batch.pk))


@router.get("/batches/{batch_id}", response=BatchOut)
def batch_detail(request, batch_id: DbInt):
    return _batch(request, batch_id)


@router.patch("/batches/{batch_id}", response=BatchOut)
def batch_update(request, batch_id: DbInt, payload: BatchPatch):
    data = payload.dict(exclude_unset=True)
    for text in ("raw_material_area", "inputs"):
        if text in data and data[text] is None:
            data[text] = ""
    services.batch_update(actor=request.auth, batch=_batch(request, batch_id), data=data)
    return _batch(request, batch_id)


@router.get("/batches/{batch_id}/runs", response=list[RunOut])
def run_list(request, batch_id: DbInt):
    return list(selectors.batch_runs(batch=_batch(request, batch_id)))


@router.post("/batches/{batch_id}/runs", response={202: RunOut})
def run_order(request, batch_id: DbInt, payload: RunIn):
    """Orders a run of stamps; the worker generates them (follow `issued` at /runs/{id})."""
    run = services.stamp_run_order(
        actor=request.auth, batch=_batch(request, batch_id), **payload.dict()
    )
    return Status(202, run)


@router.get("/runs/{run_id}", response=RunOut)
def run_detail(request, run_id: DbInt):
    return _run(request, run_id)


@router.post("/runs/{run_id}/resume", response={202: RunOut})
def run_resume(request, run_id: DbInt):
    return Status(202, services.stamp_run_resume(actor=request.auth, run=_run(request, run_id)))


@router.post("/runs/{run_id}/void", response=VoidOut)
def run_void(request, run_id: DbInt, payload: VoidIn):
    """Voids stamps of a run: the serials listed, or the labels `first` to `last`."""
    count = services.stamps_void(actor=request.auth, run=_run(request, run_id), **payload.dict())
    return {"voided": count}


@router.get("/runs/{run_id}/stats", response=StatsOut)
def run_stats(request, run_id: DbInt):
    return selectors.scan_stats(user=request.auth, run=_run(request, run_id))


@router.get("/batches/{batch_id}/stats", response=StatsOut)
def batch_stats(request, batch_id: DbInt):
    return selectors.scan_stats(user=request.auth, batch=_batch(request, batch_id))


@router.get("/batches/{batch_id}/events", response=list[EventOut])
def event_list(request, batch_id: DbInt):
    return list(selectors.batch_events(batch=_batch(request, batch_id)))


@router.post("/batches/{batch_id}/events", response={201: EventOut})
def event_create(request, batch_id: DbInt, payload: EventIn):
    """Records a supply-chain event (GS1 EPCIS 2.0 terms: CBV business step, disposition)."""
    data = payload.dict()
    for item in data["inputs"]:
        item["quantity"] = "" if item["quantity"] is None else str(item["quantity"])
    event: TraceEvent = services.event_record(
        actor=request.auth, batch=_batch(request, batch_id), data=data
    )
    return Status(201, event)


@router.get("/batches/{batch_id}/epcis")
def batch_epcis(request, batch_id: DbInt):
    """The batch's events as an EPCIS 2.0 JSON-LD EPCISDocument."""
    base = settings.SITE_URL or request.build_absolute_uri("/")
    return JsonResponse(
        epcis.document(batch=_batch(request, batch_id), base_url=base),
        content_type="application/ld+json",
        json_dumps_params={"ensure_ascii": False},
    )


class AlertPagination(Pagination):
    def paginate_queryset(self, queryset, pagination, **params):
        page = super().paginate_queryset(queryset, pagination, **params)
        return {**page, "items": selectors.alerts_detail(page["items"])}


@router.get("/alerts", response=list[AlertOut])
@paginate(AlertPagination)
def alert_list(request):
    """Suspicious serials of products in the officer's area, one per serial, latest first."""
    if not can(request.auth, Action.TRACE_ALERTS):
        raise PermissionDenied
    return selectors.alert_list(user=request.auth)
