"""Writing traceability records: batches, stamp runs, voided stamps, scans and events.

Rules implemented (issue "Traceability stamps"; TCVN 12850:2019 adopts the GS1 Global
Traceability Standard, whose identifiers and events these records follow):
- batches and stamps are recorded for products holding a valid OCOP certificate;
- a stamp serial is random (codes.py), unique, and issued once: generation runs in chunks,
  each committed with the run's progress, so an interrupted run resumes where it stopped
  and never issues more, or fewer, stamps than ordered;
- every consumer scan is logged without personal data, and judged by rules.py.
Every service checks the permission, validates, saves and audits in one transaction.
"""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from ocop.accounts.models import User
from ocop.accounts.permissions import Action, can
from ocop.audit.services import audit_record
from ocop.certificates.selectors import product_current_certificate

from . import codes, rules
from .models import (
    Batch,
    EventAction,
    EventType,
    RunStatus,
    Scan,
    Stamp,
    StampRun,
    StampStatus,
    TraceEvent,
)

BATCH_FIELDS = (
    "lot",
    "produced_on",
    "expires_on",
    "quantity",
    "unit",
    "raw_material_area",
    "inputs",
)
RUN_MAX = 1_000_000  # stamps in one order
CHUNK = 20_000  # stamps inserted per committed step of a run
LABEL_MM = (15, 100)  # the smallest and largest label side the sheets print


def _require(actor: User, action: Action, obj) -> None:
    if not can(actor, action, obj):
        raise PermissionDenied


def _require_certified(product) -> None:
    if product_current_certificate(product=product) is None:
        raise ValidationError(
            _("Only a product with a valid OCOP certificate has batches and stamps.")
        )


def _unknown(data: dict, allowed) -> None:
    unknown = set(data) - set(allowed)
    if unknown:
        raise ValidationError(_("Unknown fields: %(f)s") % {"f": ", ".join(sorted(unknown))})


# --- Batches ----------------------------------------------------------------------------------


@transaction.atomic
def batch_create(*, actor: User, product, data: dict) -> Batch:
    _require(actor, Action.TRACE_MANAGE, product)
    _require_certified(product)
    _unknown(data, BATCH_FIELDS)
    batch = Batch(product=product, producer_id=product.producer_id, created_by=actor, **data)
    batch.full_clean()
    batch.save()
    audit_record(
        actor=actor,
        action="batch.create",
        target=batch,
        changes={"lot": [None, batch.lot], "quantity": [None, batch.quantity]},
    )
    return batch


@transaction.atomic
def batch_update(*, actor: User, batch: Batch, data: dict) -> Batch:
    batch = Batch.objects.select_for_update().get(pk=batch.pk)
    _require(actor, Action.TRACE_MANAGE, batch)
    _unknown(data, BATCH_FIELDS)
    if "lot" in data and data["lot"] != batch.lot and batch.runs.exists():
        raise ValidationError(
            {"lot": _("Stamps are printed with this lot number: it can no longer change.")}
        )
    changes = {}
    for key, value in data.items():
        old = getattr(batch, key)
        if old != value:
            changes[key] = [str(old) if old is not None else None, str(value)]
            setattr(batch, key, value)
    if not changes:
        return batch
    batch.full_clean()
    batch.save()
    audit_record(actor=actor, action="batch.update", target=batch, changes=changes)
    return batch


# --- Stamp runs -------------------------------------------------------------------------------


def _enqueue(run: StampRun) -> None:
    from .tasks import generate_stamps

    transaction.on_commit(lambda: generate_stamps.enqueue(run.pk))


@transaction.atomic
def stamp_run_order(
    *,
    actor: User,
    batch: Batch,
    quantity: int,
    label_width_mm: int = 30,
    label_height_mm: int = 36,
) -> StampRun:
    """Order `quantity` stamps for a batch; the worker generates them in the background."""
    _require(actor, Action.TRACE_MANAGE, batch)
    _require_certified(batch.product)
    if not 1 <= quantity <= RUN_MAX:
        raise ValidationError(
            {
                "quantity": _("Order between 1 and %(max)s stamps at a time.")
                % {"max": f"{RUN_MAX:,}".replace(",", ".")}
            }
        )
    low, high = LABEL_MM
    for field, value in (("label_width_mm", label_width_mm), ("label_height_mm", label_height_mm)):
        if not low <= value <= high:
            raise ValidationError(
                {field: _("A label side is %(low)s to %(high)s mm.") % {"low": low, "high": high}}
            )
    run = StampRun.objects.create(
        batch=batch,
        producer_id=batch.producer_id,
        quantity=quantity,
        label_width_mm=label_width_mm,
        label_height_mm=label_height_mm,
        created_by=actor,
    )
    audit_record(
        actor=actor, action="stamps.order", target=run, changes={"quantity": [None, quantity]}
    )
    _enqueue(run)
    return run


STALE_AFTER = datetime.timedelta(minutes=5)


def run_is_stalled(run: StampRun, now: datetime.datetime | None = None) -> bool:
    """A run the generator stopped working on (the worker died or was stopped)."""
    if run.status == RunStatus.FAILED:
        return True
    if run.status not in (RunStatus.QUEUED, RunStatus.RUNNING):
        return False
    return (now or timezone.now()) - run.updated_at > STALE_AFTER


@transaction.atomic
def stamp_run_resume(*, actor: User, run: StampRun) -> StampRun:
    """Hand an interrupted run back to the worker: it goes on from its last committed chunk."""
    run = StampRun.objects.select_for_update().get(pk=run.pk)
    _require(actor, Action.TRACE_MANAGE, run)
    if run.status == RunStatus.DONE:
        raise ValidationError(_("This run is complete."))
    if not run_is_stalled(run):
        raise ValidationError(_("This run is still being generated."))
    run.status = RunStatus.QUEUED
    run.error = ""
    run.save(update_fields=["status", "error", "updated_at"])
    audit_record(actor=actor, action="stamps.resume", target=run, changes={"issued": run.issued})
    _enqueue(run)
    return run


def _insert_chunk(run_id: int, size: int) -> int:
    """Insert up to `size` new stamps for the run, with its progress, in one transaction.
    Returns how many were inserted (0 once the run is complete)."""
    with transaction.atomic():
        run = StampRun.objects.select_for_update().get(pk=run_id)
        n = min(size, run.quantity - run.issued)
        if n <= 0:
            return 0
        Stamp.objects.bulk_create(
            [Stamp(serial=s, run_id=run_id) for s in codes.serials_new(n)], batch_size=5_000
        )
        StampRun.objects.filter(pk=run_id).update(
            issued=F("issued") + n, status=RunStatus.RUNNING, updated_at=timezone.now()
        )
        return n


def stamp_run_generate(*, run_id: int, chunk: int = CHUNK, progress=None) -> StampRun:
    """Generate the run's missing stamps. Safe to call again at any time: each chunk is
    committed together with the run's counter (under the run's row lock), so the count is
    exact after any interruption and two generators never issue more than ordered. A serial
    colliding with an existing one (a chance of about 1 in 10^13 per million) fails only its
    chunk, which is drawn again."""
    StampRun.objects.filter(pk=run_id, started_at__isnull=True).update(started_at=timezone.now())
    while True:
        try:
            inserted = _insert_chunk(run_id, chunk)
        except IntegrityError:
            continue  # a serial already existed: the chunk was rolled back whole
        if not inserted:
            break
        if progress:
            progress(StampRun.objects.only("issued", "quantity").get(pk=run_id))
    StampRun.objects.filter(pk=run_id).exclude(status=RunStatus.DONE).update(
        status=RunStatus.DONE, finished_at=timezone.now(), updated_at=timezone.now()
    )
    return StampRun.objects.get(pk=run_id)


def stamp_run_fail(*, run_id: int, error: str) -> None:
    StampRun.objects.filter(pk=run_id).exclude(status=RunStatus.DONE).update(
        status=RunStatus.FAILED, error=error[:2000], updated_at=timezone.now()
    )


@transaction.atomic
def stamps_void(
    *,
    actor: User,
    run: StampRun,
    reason: str,
    serials: list[str] | None = None,
    first: int | None = None,
    last: int | None = None,
) -> int:
    """Void stamps of a run (a damaged or lost roll): the listed serials, or the labels
    numbered `first` to `last` in print order. A voided stamp that is scanned is flagged.
    Returns how many stamps were voided."""
    _require(actor, Action.TRACE_MANAGE, run)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the stamps are voided.")})
    stamps = Stamp.objects.filter(run=run, status=StampStatus.ACTIVE)
    if serials:
        try:
            wanted = {codes.serial_normalise(s) for s in serials}
        except codes.InvalidCode:
            raise ValidationError({"serials": _("One of these is not a stamp serial.")}) from None
        found = set(stamps.filter(serial__in=wanted).values_list("serial", flat=True))
        missing = wanted - found
        if missing:
            raise ValidationError(
                {
                    "serials": _("Not active stamps of this run: %(list)s")
                    % {"list": ", ".join(codes.serial_display(s) for s in sorted(missing))}
                }
            )
        ids = list(stamps.filter(serial__in=wanted).values_list("pk", flat=True))
    elif first is not None and last is not None:
        if not 1 <= first <= last <= run.issued:
            raise ValidationError(
                {"first": _("Label numbers go from 1 to %(n)s.") % {"n": run.issued}}
            )
        ordered = Stamp.objects.filter(run=run).order_by("pk").values_list("pk", flat=True)
        ids = list(ordered[first - 1 : last])
        ids = list(stamps.filter(pk__in=ids).values_list("pk", flat=True))
    else:
        raise ValidationError(_("List the serials, or give the first and last label number."))
    count = Stamp.objects.filter(pk__in=ids).update(
        status=StampStatus.VOIDED, voided_at=timezone.now()
    )
    audit_record(
        actor=actor,
        action="stamps.void",
        target=run,
        changes={
            "voided": [None, count],
            "labels": [None, None if serials else f"{first}–{last}"],
        },
        note=reason,
    )
    return count


# --- Scans ------------------------------------------------------------------------------------


def agent_hash(user_agent: str) -> str:
    """A short hash of the browser's user agent: tells repeated scans from one phone apart
    from scans by many, without keeping the agent string itself."""
    return hashlib.sha256((user_agent or "").encode()).hexdigest()[:16]


def _coarse(value) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value)).quantize(Decimal("0.1"))
    except ArithmeticError:
        return None
    return number if abs(number) <= 180 else None


@dataclass(frozen=True)
class ScanOutcome:
    stamp: Stamp | None
    scan: Scan
    flags: list[str]
    scans: int  # this one included
    first_scanned_at: datetime.datetime | None


def scan_record(
    *,
    address: codes.StampAddress,
    stamp: Stamp | None,
    user_agent: str = "",
    province_id: int | None = None,
    latitude=None,
    longitude=None,
) -> ScanOutcome:
    """Log a consumer's scan of a stamp address and judge it (rules.py). `stamp` is the
    stamp with the address's serial, already read by the caller (or None)."""
    now = timezone.now()
    claimed_product = None
    matches = True
    if stamp is not None:
        batch = stamp.run.batch
        claimed_product = batch.product
        if address.gtin is not None:  # the short platform path names only the serial
            gtin = batch.product.gtin
            matches = (
                gtin is not None
                and address.gtin == codes.gtin14(gtin)
                and address.lot in (None, batch.lot)
            )
    elif address.gtin:
        from ocop.products.models import Product

        claimed_product = (
            Product.objects.filter(gtin__in={address.gtin, address.gtin.lstrip("0")})
            .only("pk")
            .first()
        )
    with transaction.atomic():
        scan = Scan(
            stamp=stamp,
            serial=address.serial,
            product=claimed_product,
            scanned_at=now,
            province_id=province_id,
            latitude=_coarse(latitude),
            longitude=_coarse(longitude),
            agent_hash=agent_hash(user_agent),
        )
        if stamp is None:
            flags = rules.flags_for(rules.ScanFacts(known=False))
            scans, first = 1, None
        else:
            Stamp.objects.filter(pk=stamp.pk).update(
                scan_count=F("scan_count") + 1, first_scanned_at=Coalesce("first_scanned_at", now)
            )
            scans = stamp.scan_count + 1
            first = stamp.first_scanned_at or now
            # A stamp's first scan has no earlier provinces to read (most scans are first
            # scans: one package, one consumer).
            provinces = _provinces_scanned(stamp) if stamp.scan_count else set()
            if province_id:
                provinces.add(province_id)
            flags = rules.flags_for(
                rules.ScanFacts(
                    known=True,
                    matches_address=matches,
                    voided=stamp.status == StampStatus.VOIDED,
                    scans=scans,
                    provinces=len(provinces),
                )
            )
        scan.flags = ",".join(flags)
        scan.save()
    return ScanOutcome(stamp=stamp, scan=scan, flags=flags, scans=scans, first_scanned_at=first)


def _provinces_scanned(stamp: Stamp, *, besides: Scan | None = None) -> set[int]:
    """The provinces the stamp's scans were located in (leaving out `besides`)."""
    scans = Scan.objects.filter(stamp=stamp, province__isnull=False)
    if besides is not None:
        scans = scans.exclude(pk=besides.pk)
    return set(scans.values_list("province_id", flat=True).distinct())


def scan_locate(*, scan: Scan, province_id: int) -> Scan:
    """The consumer says where the scan happened (a province): it counts towards the
    "scanned in many provinces" signal of that stamp from then on."""
    with transaction.atomic():
        # of=self: PostgreSQL locks no row of the nullable side of the join (the stamp).
        scan = Scan.objects.select_for_update(of=("self",)).select_related("stamp").get(pk=scan.pk)
        scan.province_id = province_id
        if scan.stamp is not None:
            provinces = _provinces_scanned(scan.stamp, besides=scan) | {province_id}
            flags = set(scan.flag_list)
            facts = rules.ScanFacts(known=True, provinces=len(provinces))
            if rules.MANY_PROVINCES in rules.flags_for(facts):
                flags.add(rules.MANY_PROVINCES)
            scan.flags = ",".join(f for f in rules.FLAGS if f in flags)
        scan.save(update_fields=["province", "flags"])
    return scan


# --- Supply-chain events ----------------------------------------------------------------------

EVENT_FIELDS = (
    "event_type",
    "action",
    "biz_step",
    "disposition",
    "event_time",
    "place",
    "quantity",
    "serials",
    "parent",
    "inputs",
    "note",
)


# The years an event may be recorded in: outside them a typo (year 1 cannot even be stored:
# its time in UTC would fall before year 1).
EVENT_YEARS = (2000, 2100)


@transaction.atomic
def event_record(*, actor: User, batch: Batch, data: dict) -> TraceEvent:
    """Record a supply-chain event on a batch: an ObjectEvent (commissioning, shipping,
    receiving...), an AggregationEvent (stamps packed into a case) or a TransformationEvent
    (raw materials into this batch), as GS1 EPCIS 2.0 defines them."""
    from . import vocabulary

    _require(actor, Action.TRACE_MANAGE, batch)
    _unknown(data, EVENT_FIELDS)
    event = TraceEvent(batch=batch, producer_id=batch.producer_id, created_by=actor, **data)
    errors = {}
    when = event.event_time
    if isinstance(when, datetime.datetime) and not EVENT_YEARS[0] <= when.year <= EVENT_YEARS[1]:
        errors["event_time"] = _("Enter a time between the years %(first)s and %(last)s.") % {
            "first": EVENT_YEARS[0],
            "last": EVENT_YEARS[1],
        }
    if event.event_type == EventType.TRANSFORMATION:
        event.action = ""
        if not event.inputs:
            errors["inputs"] = _("A transformation names the raw materials it used.")
    elif event.action not in EventAction.values:
        errors["action"] = _("Choose ADD, OBSERVE or DELETE.")
    if event.event_type == EventType.AGGREGATION:
        if not event.parent.strip():
            errors["parent"] = _("An aggregation names the case the stamps are packed into.")
        if not event.serials:
            errors["serials"] = _("List the stamps packed into the case.")
    if event.biz_step not in vocabulary.biz_steps():
        errors["biz_step"] = _("Not a business step of the GS1 vocabulary: %(v)s") % {
            "v": event.biz_step
        }
    if event.disposition and event.disposition not in vocabulary.dispositions():
        errors["disposition"] = _("Not a disposition of the GS1 vocabulary: %(v)s") % {
            "v": event.disposition
        }
    if event.serials:
        try:
            event.serials = sorted({codes.serial_normalise(s) for s in event.serials})
        except codes.InvalidCode:
            errors["serials"] = _("One of these is not a stamp serial.")
        else:
            known = set(
                Stamp.objects.filter(run__batch=batch, serial__in=event.serials).values_list(
                    "serial", flat=True
                )
            )
            missing = [s for s in event.serials if s not in known]
            if missing:
                errors["serials"] = _("Not stamps of this batch: %(list)s") % {
                    "list": ", ".join(codes.serial_display(s) for s in missing[:10])
                }
    if errors:
        raise ValidationError(errors)
    event.full_clean()
    event.save()
    audit_record(
        actor=actor,
        action="trace.event",
        target=batch,
        changes={"event": [None, f"{event.event_type}:{event.biz_step}"]},
    )
    return event
