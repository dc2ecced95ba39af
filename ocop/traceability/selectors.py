"""Reading traceability records through the reader's scope, and the public view of a
scanned stamp."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Max, Q, QuerySet

from ocop.accounts.permissions import Action, scope_q
from ocop.certificates.models import Certificate
from ocop.search.text import fold

from .models import Batch, Scan, Stamp, StampRun, TraceEvent

SCOPE = {
    "province": "producer__commune__province_id",
    "commune": "producer__commune_id",
    "producer": "producer_id",
}


def _scoped(qs: QuerySet, user, action: Action, **lookups) -> QuerySet:
    q = scope_q(user, action, **(lookups or SCOPE))
    return qs.none() if q is None else qs.filter(q)


def batch_visible(*, user, action: Action = Action.TRACE_VIEW) -> QuerySet[Batch]:
    return _scoped(Batch.objects.all(), user, action).select_related(
        "product", "producer__commune__province"
    )


@dataclass(frozen=True)
class BatchFilters:
    q: str = ""
    product: int | None = None


def batch_list(*, user, filters: BatchFilters | None = None) -> QuerySet[Batch]:
    filters = filters or BatchFilters()
    qs = batch_visible(user=user)
    if filters.q:
        text = filters.q.strip()
        qs = qs.filter(Q(lot__icontains=text) | Q(product__search_text__contains=fold(text)))
    if filters.product:
        qs = qs.filter(product_id=filters.product)
    return qs.order_by("-produced_on", "-id")


def certified_products(*, user) -> QuerySet:
    """Products the person may record batches for: in their area, with a valid certificate."""
    from ocop.certificates.models import CertificateState
    from ocop.certificates.selectors import state_q
    from ocop.products.models import Product

    q = scope_q(user, Action.TRACE_MANAGE, **SCOPE)
    if q is None:
        return Product.objects.none()
    certified = Certificate.objects.filter(state_q(CertificateState.VALID)).values("product_id")
    return (
        Product.objects.filter(q, pk__in=certified)
        .select_related("producer")
        .order_by("name", "id")
    )


def run_visible(*, user, action: Action = Action.TRACE_VIEW) -> QuerySet[StampRun]:
    return _scoped(StampRun.objects.all(), user, action).select_related(
        "batch__product", "producer"
    )


def batch_runs(*, batch: Batch) -> QuerySet[StampRun]:
    return batch.runs.order_by("-created_at", "-id")


def batch_events(*, batch: Batch) -> QuerySet[TraceEvent]:
    return batch.events.order_by("event_time", "id")


def run_stamps(*, run: StampRun) -> QuerySet[Stamp]:
    """The run's stamps in print order (label 1 first)."""
    return run.stamps.order_by("pk")


def stamp_for_scan(*, serial: str) -> Stamp | None:
    """The stamp with everything its public page shows, in one query. Serials are unique:
    no order (first() would add one, which the page paid for on every scan)."""
    found = list(
        Stamp.objects.select_related(
            "run__batch__product__product_group",
            "run__batch__product__producer__commune__province",
        ).filter(serial=serial)[:1]
    )
    return found[0] if found else None


def latest_certificate(*, product_id: int) -> Certificate | None:
    """The product's newest certificate, whatever its state (the scan page says which)."""
    return (
        Certificate.objects.filter(product_id=product_id)
        .select_related("decision")
        .order_by("-issued_on", "-id")
        .first()
    )


def alert_list(*, user) -> QuerySet:
    """Suspicious serials the officer follows, one row per serial, latest first: of products
    in their area (an unknown serial whose address names no known product reaches the
    nation's officers only). Rows are dicts; `alerts_detail` fills in a page of them."""
    q = scope_q(
        user,
        Action.TRACE_ALERTS,
        province="product__producer__commune__province_id",
        commune="product__producer__commune_id",
    )
    if q is None:
        return Scan.objects.none().values("serial")
    return (
        Scan.objects.exclude(flags="")
        .filter(q)
        .values("serial", "product_id")
        .annotate(
            last=Max("scanned_at"),
            flagged_scans=Count("id"),
            provinces=Count("province", distinct=True),
        )
        .order_by("-last", "serial")
    )


@dataclass(frozen=True)
class Alert:
    serial: str
    product: object | None
    last: datetime.datetime
    flagged_scans: int
    provinces: int
    flags: list[str]  # those of the latest flagged scan (signals accumulate)


def alerts_detail(rows) -> list[Alert]:
    """The alert rows of one page, with their product and latest signals (two queries)."""
    from ocop.products.models import Product

    rows = list(rows)
    products = Product.objects.select_related("producer").in_bulk(
        {r["product_id"] for r in rows if r["product_id"]}
    )
    latest = {}
    for scan in (
        Scan.objects.exclude(flags="")
        .filter(serial__in=[r["serial"] for r in rows])
        .order_by("serial", "-scanned_at", "-id")
        .only("serial", "flags")
    ):
        latest.setdefault(scan.serial, scan.flag_list)
    return [
        Alert(
            serial=r["serial"],
            product=products.get(r["product_id"]),
            last=r["last"],
            flagged_scans=r["flagged_scans"],
            provinces=r["provinces"],
            flags=latest.get(r["serial"], []),
        )
        for r in rows
    ]


@dataclass(frozen=True)
class ScanStats:
    scans: int
    flagged: int
    stamps_scanned: int
    since: datetime.datetime | None


def scan_stats(*, user, run: StampRun | None = None, batch: Batch | None = None) -> ScanStats:
    """Scans of the stamps the reader may see (of one run or batch when given)."""
    scans = _scoped(
        Scan.objects.filter(stamp__isnull=False),
        user,
        Action.TRACE_VIEW,
        province="stamp__run__producer__commune__province_id",
        commune="stamp__run__producer__commune_id",
        producer="stamp__run__producer_id",
    )
    if run is not None:
        scans = scans.filter(stamp__run=run)
    if batch is not None:
        scans = scans.filter(stamp__run__batch=batch)
    first = scans.order_by("scanned_at").values_list("scanned_at", flat=True).first()
    return ScanStats(
        scans=scans.count(),
        flagged=scans.exclude(flags="").count(),
        stamps_scanned=scans.values("stamp_id").distinct().count(),
        since=first,
    )
