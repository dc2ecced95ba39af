"""A batch's supply-chain events as a GS1 EPCIS 2.0 JSON-LD `EPCISDocument`.

Identifiers are GS1 Digital Link URIs on the platform's domain: a stamp is an instance
(`epcList`, `childEPCs`), a batch is a class (`epcClass` = GTIN + lot). Products without a
GTIN, raw materials and cases without an SSCC get platform URIs. What EPCIS has no field
for (the place as text, the note, the producer's name) goes into extension fields of the
platform's own namespace `ocop:`, as EPCIS 2.0 allows. Nothing private is exported: not who
recorded an event, not the scans.
"""

from __future__ import annotations

import datetime
import re
import uuid
from decimal import Decimal
from urllib.parse import quote

from django.utils import timezone
from django.utils.text import slugify

from ocop.search.text import fold

from . import codes
from .models import Batch, EventType, TraceEvent

EPCIS_CONTEXT = "https://ref.gs1.org/standards/epcis/epcis-context.jsonld"
SSCC = re.compile(r"^[0-9]{18}$")


def _offset(moment: datetime.datetime) -> str:
    local = timezone.localtime(moment)
    minutes = int(local.utcoffset().total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def _number(value) -> float | int:
    value = Decimal(str(value))
    return int(value) if value == value.to_integral_value() else float(value)


class _Names:
    """The URIs of one document's objects, under the platform's base address."""

    def __init__(self, base_url: str, batch: Batch):
        self.base = base_url.rstrip("/")
        self.batch = batch
        self.gtin = batch.product.gtin

    def stamp(self, serial: str) -> str:
        return codes.stamp_uri(
            base_url=self.base, gtin=self.gtin, lot=self.batch.lot, serial=serial
        )

    def batch_class(self) -> str:
        return self.base + codes.batch_path(
            gtin=self.gtin, lot=self.batch.lot, batch_id=self.batch.pk
        )

    def case(self, code: str) -> str:
        code = code.strip()
        if code.startswith(("https://", "http://", "urn:")):
            return code
        if SSCC.match(code):
            return f"https://id.gs1.org/00/{code}"
        return f"{self.base}/thung/{quote(code, safe='')}"

    def raw_material(self, name: str) -> str:
        return f"{self.base}/nguyen-lieu/{slugify(fold(name)) or 'khac'}"

    def producer(self) -> str:
        return f"{self.base}/chu-the/{self.batch.producer_id}"

    def event_id(self, event: TraceEvent) -> str:
        return "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, f"{self.base}/su-kien/{event.pk}"))


def _quantity(names: _Names, event: TraceEvent) -> list[dict]:
    # A quantity element has only epcClass, quantity and uom (the schema allows nothing
    # else); the batch's unit ("gói 200 g") is no UN/CEFACT code, so it is counted in units.
    if event.quantity is None:
        return []
    return [{"epcClass": names.batch_class(), "quantity": _number(event.quantity)}]


# Units producers type, as the UN/CEFACT Recommendation 20 codes EPCIS `uom` takes.
UOM = {"kg": "KGM", "g": "GRM", "gam": "GRM", "tấn": "TNE", "t": "TNE", "l": "LTR", "lít": "LTR"}


def _input(names: _Names, item: dict) -> dict:
    entry: dict = {"epcClass": names.raw_material(item.get("name", ""))}
    if item.get("quantity"):
        entry["quantity"] = _number(item["quantity"])
        unit = (item.get("unit") or "").strip().lower()
        if unit in UOM:
            entry["uom"] = UOM[unit]
    return entry


def event_json(event: TraceEvent, names: _Names) -> dict:
    out: dict = {
        "type": event.event_type,
        "eventID": names.event_id(event),
        "eventTime": timezone.localtime(event.event_time).isoformat(timespec="seconds"),
        "eventTimeZoneOffset": _offset(event.event_time),
    }
    if event.event_type == EventType.OBJECT:
        out["epcList"] = [names.stamp(s) for s in event.serials]
        out["action"] = event.action
        if event.quantity is not None:
            out["quantityList"] = _quantity(names, event)
    elif event.event_type == EventType.AGGREGATION:
        out["parentID"] = names.case(event.parent)
        out["childEPCs"] = [names.stamp(s) for s in event.serials]
        out["action"] = event.action
        if event.quantity is not None:
            out["childQuantityList"] = _quantity(names, event)
    else:
        out["inputQuantityList"] = [_input(names, i) for i in event.inputs]
        out["outputQuantityList"] = _quantity(names, event) or [
            {"epcClass": names.batch_class(), "quantity": _number(event.batch.quantity)}
        ]
        if event.serials:
            out["outputEPCList"] = [names.stamp(s) for s in event.serials]
        out["ocop:inputs"] = event.inputs  # names, units and origins as the producer wrote them
    out["bizStep"] = event.biz_step
    if event.disposition:
        out["disposition"] = event.disposition
    out["readPoint"] = {"id": names.producer()}
    if event.place:
        out["ocop:place"] = event.place
    if event.note:
        out["ocop:note"] = event.note
    return out


def document(*, batch: Batch, base_url: str, events=None) -> dict:
    """The EPCISDocument of the batch's events (all of them, oldest first)."""
    names = _Names(base_url, batch)
    events = list(events if events is not None else batch.events.order_by("event_time", "id"))
    return {
        "@context": [EPCIS_CONTEXT, {"ocop": f"{names.base}/voc/"}],
        "type": "EPCISDocument",
        "schemaVersion": "2.0",
        "creationDate": timezone.now().isoformat(timespec="seconds"),
        "ocop:product": batch.product.name,
        "ocop:producer": batch.producer.legal_name,
        "ocop:lot": batch.lot,
        "epcisBody": {"eventList": [event_json(e, names) for e in events]},
    }
