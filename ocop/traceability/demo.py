"""Demo of traceability: batches, stamps, events and scans of the Lâm Đồng certified products.

- The product recognised today gets a batch with 200 stamps, its events (made from raw
  material, stamps put on, packed, shipped), ordinary scans, one stamp scanned far too often
  in four provinces, a voided roll (labels 191-200) and a scan of a serial never issued.
- "Trà atiso Lang Biang" (certificate valid until 15/12/2026) gets a batch of 50 stamps.
- "Mứt dâu tằm Lang Biang", whose certificate is revoked, has a batch of 20 stamps made
  before the revocation: scanning one shows the warning.

Run after `seed_certificates()`; idempotent (skips what exists).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from ocop.accounts.models import User
from ocop.certificates.models import Certificate, CertificateStatus
from ocop.geo.models import Province
from ocop.geo.services import units_load

from . import codes, selectors, services
from .models import Batch, Stamp, StampRun

GTINS = {"Trà atiso Lang Biang": "8936012340013", "Mứt dâu tằm Lang Biang": "8936012340020"}
TODAY_GTIN = "8936012340006"
UNKNOWN_SERIAL = "7QX4M2K9PZ3RT"
SCAN_PROVINCES = (68, 1, 79, 48)  # Lâm Đồng, Hà Nội, Hồ Chí Minh, Đà Nẵng
PHONES = (
    "Mozilla/5.0 (Linux; Android 14; SM-A546E) Mobile",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) Mobile",
    "Mozilla/5.0 (Linux; Android 13; Redmi Note 12) Mobile",
)


def _batch(actor, product, lot: str, quantity: int, produced_on: datetime.date, **extra):
    batch = Batch.objects.filter(product=product, lot=lot).first()
    if batch is not None:
        return batch, False
    data = {
        "lot": lot,
        "produced_on": produced_on,
        "expires_on": produced_on + datetime.timedelta(days=365),
        "quantity": quantity,
        "unit": extra.pop("unit", "gói"),
        "raw_material_area": extra.pop("raw_material_area", "Cao nguyên Lang Biang, Lạc Dương"),
        "inputs": extra.pop("inputs", ""),
    }
    return services.batch_create(actor=actor, product=product, data=data), True


def _run(actor, batch, quantity: int) -> StampRun:
    run = services.stamp_run_order(actor=actor, batch=batch, quantity=quantity)
    return services.stamp_run_generate(run_id=run.pk)


def _scan(serial: str, *, gtin: str | None, lot: str, agent: str, province: int | None = None):
    address = codes.address_parse(codes.stamp_path(gtin=gtin, lot=lot, serial=serial))
    services.scan_record(
        address=address,
        stamp=selectors.stamp_for_scan(serial=address.serial),
        user_agent=agent,
        province_id=province,
    )


def _set_gtin(product, gtin: str) -> None:
    if not product.gtin:
        product.gtin = gtin
        product.save(update_fields=["gtin"])


def _today(member: User, certificate: Certificate) -> None:
    product = certificate.product
    _set_gtin(product, TODAY_GTIN)
    produced = timezone.localdate() - datetime.timedelta(days=20)
    batch, created = _batch(
        member,
        product,
        "L2026-11A",
        200,
        produced,
        inputs="Nguyên liệu thu hái tại vùng trồng của hợp tác xã.",
    )
    if not created:
        return
    run = _run(member, batch, 200)
    serials = list(selectors.run_stamps(run=run).values_list("serial", flat=True))
    moment = timezone.make_aware(datetime.datetime.combine(produced, datetime.time(7, 30)))
    hour = datetime.timedelta(hours=1)
    for data in (
        {
            "event_type": "TransformationEvent",
            "biz_step": "creating_class_instance",
            "event_time": moment,
            "quantity": 200,
            "place": "Xưởng chế biến HTX, Xã Lạc Dương",
            "inputs": [
                {"name": product.name, "quantity": "60", "unit": "kg", "origin": "Lạc Dương"}
            ],
        },
        {
            "event_type": "ObjectEvent",
            "action": "ADD",
            "biz_step": "commissioning",
            "disposition": "active",
            "event_time": moment + 3 * hour,
            "serials": serials[:24],
            "place": "Xưởng chế biến HTX, Xã Lạc Dương",
        },
        {
            "event_type": "AggregationEvent",
            "action": "ADD",
            "biz_step": "packing",
            "event_time": moment + 4 * hour,
            "serials": serials[:24],
            "parent": "THUNG-2026-11A-01",
        },
        {
            "event_type": "ObjectEvent",
            "action": "OBSERVE",
            "biz_step": "shipping",
            "disposition": "in_transit",
            "event_time": moment + 28 * hour,
            "quantity": 24,
            "place": "Điểm bán OCOP Chợ Đà Lạt",
        },
    ):
        services.event_record(actor=member, batch=batch, data=data)
    gtin, lot = product.gtin, batch.lot
    for n, serial in enumerate(serials[:6]):
        for k in range(n % 3 + 1):
            _scan(serial, gtin=gtin, lot=lot, agent=PHONES[k], province=68)
    copied = serials[6]  # one serial printed onto many packages
    for n in range(26):
        province = SCAN_PROVINCES[n % len(SCAN_PROVINCES)]
        _scan(copied, gtin=gtin, lot=lot, agent=f"{PHONES[n % 3]} #{n}", province=province)
    services.stamps_void(
        actor=member, run=run, reason="Cuộn tem bị ướt khi in, không dùng.", first=191, last=200
    )
    _scan(serials[195], gtin=gtin, lot=lot, agent=PHONES[0])
    _scan(UNKNOWN_SERIAL, gtin=gtin, lot=lot, agent=PHONES[1], province=79)


def _lang_biang(member: User) -> None:
    for name, gtin in GTINS.items():
        certificate = Certificate.objects.filter(product__name=name).order_by("-id").first()
        if certificate is None or Batch.objects.filter(product=certificate.product).exists():
            continue
        product = certificate.product
        _set_gtin(product, gtin)
        produced = datetime.date(2026, 10, 5)
        if certificate.status == CertificateStatus.REVOKED:
            # The batch and its stamps were made while the certificate was valid; the
            # services refuse new ones now, so the record is written as it then stood.
            batch = Batch.objects.create(
                product=product,
                producer_id=product.producer_id,
                lot="L2026-10",
                produced_on=produced,
                expires_on=produced + datetime.timedelta(days=270),
                quantity=20,
                unit="hũ 250 g",
                created_by=member,
            )
            run = StampRun.objects.create(batch=batch, producer_id=batch.producer_id, quantity=20)
            services.stamp_run_generate(run_id=run.pk)
        else:
            batch, _created = _batch(member, product, "L2026-10", 50, produced, unit="hộp 20 túi")
            _run(member, batch, 50)


@transaction.atomic
def seed_traceability() -> dict[str, int]:
    member = User.objects.filter(email="chuthe@demo.ocop.vn").first()
    today = (
        Certificate.objects.filter(decision__number="1875/QĐ-UBND", status=CertificateStatus.VALID)
        .select_related("product")
        .first()
    )
    if member is None or today is None:  # seed_certificates has not run
        return {"stamps": Stamp.objects.count()}
    if Province.objects.filter(pk__in=SCAN_PROVINCES).count() < len(SCAN_PROVINCES):
        units_load(province_codes=set(SCAN_PROVINCES))
    _today(member, today)
    _lang_biang(member)
    return {"batches": Batch.objects.count(), "stamps": Stamp.objects.count()}


def demo_stamp_urls() -> dict[str, str]:
    """The addresses of three demo stamps to open: a valid one, one of a product whose
    certificate is revoked, and one never issued."""
    base = settings.SITE_URL.rstrip("/")
    out = {}
    for label, lot, product in (
        ("valid", "L2026-11A", None),
        ("revoked", "L2026-10", "Mứt dâu tằm Lang Biang"),
    ):
        stamps = Stamp.objects.filter(run__batch__lot=lot, status="active")
        if product:
            stamps = stamps.filter(run__batch__product__name=product)
        stamp = stamps.select_related("run__batch__product").order_by("pk").first()
        if stamp:
            batch = stamp.run.batch
            out[label] = base + codes.stamp_path(
                gtin=batch.product.gtin, lot=batch.lot, serial=stamp.serial
            )
    today = Batch.objects.filter(lot="L2026-11A").select_related("product").first()
    if today:
        out["never issued"] = base + codes.stamp_path(
            gtin=today.product.gtin, lot=today.lot, serial=UNKNOWN_SERIAL
        )
    return out
