import json
from pathlib import Path

import jsonschema
import pytest
from django.utils import timezone

from ocop.traceability import epcis, services
from ocop.traceability.models import Stamp

SCHEMA = json.loads((Path(__file__).parent / "data" / "epcis-json-schema.json").read_text())
BASE = "https://ocop.example.vn"


def validate(document: dict) -> None:
    validator = jsonschema.Draft7Validator(SCHEMA, format_checker=jsonschema.FormatChecker())
    errors = sorted(validator.iter_errors(document), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors[:5]]


@pytest.fixture
def events(member, batch, run):
    serials = list(Stamp.objects.filter(run=run).order_by("pk").values_list("serial", flat=True))
    now = timezone.now()

    def record(**data):
        return services.event_record(actor=member, batch=batch, data={"event_time": now, **data})

    record(
        event_type="TransformationEvent",
        biz_step="creating_class_instance",
        quantity=500,
        inputs=[
            {"name": "Rau cải hữu cơ", "quantity": "120", "unit": "kg", "origin": "Lạc Dương"},
            {"name": "Muối", "quantity": "", "unit": "", "origin": ""},
        ],
        place="Xưởng sơ chế HTX",
    )
    record(
        event_type="ObjectEvent",
        action="ADD",
        biz_step="commissioning",
        disposition="active",
        serials=serials[:6],
    )
    record(
        event_type="AggregationEvent",
        action="ADD",
        biz_step="packing",
        serials=serials[:6],
        parent="THÙNG 01",
    )
    record(
        event_type="ObjectEvent",
        action="OBSERVE",
        biz_step="shipping",
        disposition="in_transit",
        quantity=200,
        place="Chợ Đà Lạt",
        note="Xe 49C-123.45",
    )
    return serials


def test_the_export_validates_against_the_epcis_2_schema(batch, events):
    document = epcis.document(batch=batch, base_url=BASE)
    validate(document)
    assert document["type"] == "EPCISDocument" and document["schemaVersion"] == "2.0"
    assert document["@context"][0] == epcis.EPCIS_CONTEXT
    kinds = [e["type"] for e in document["epcisBody"]["eventList"]]
    assert kinds == ["TransformationEvent", "ObjectEvent", "AggregationEvent", "ObjectEvent"]


def test_identifiers_are_digital_links_on_the_platform(batch, events):
    made, commissioned, packed, shipped = epcis.document(batch=batch, base_url=BASE)["epcisBody"][
        "eventList"
    ]
    gtin = batch.product.gtin.zfill(14)
    first = sorted(events[:6])[0]  # an event keeps its serials sorted
    assert commissioned["epcList"][0] == f"{BASE}/01/{gtin}/10/{batch.lot}/21/{first}"
    assert packed["childEPCs"] == commissioned["epcList"]
    assert packed["parentID"] == f"{BASE}/thung/TH%C3%99NG%2001"
    assert made["outputQuantityList"] == [
        {"epcClass": f"{BASE}/01/{gtin}/10/{batch.lot}", "quantity": 500}
    ]
    assert made["inputQuantityList"][0] == {
        "epcClass": f"{BASE}/nguyen-lieu/rau-cai-huu-co",
        "quantity": 120,
        "uom": "KGM",
    }
    assert shipped["eventTimeZoneOffset"] == "+07:00"
    assert shipped["ocop:place"] == "Chợ Đà Lạt"
    assert shipped["readPoint"] == {"id": f"{BASE}/chu-the/{batch.producer_id}"}


def test_a_product_without_gtin_gets_platform_uris(batch, events):
    batch.product.gtin = None
    batch.product.save()
    document = epcis.document(batch=batch, base_url=BASE)
    validate(document)
    commissioned = document["epcisBody"]["eventList"][1]
    assert commissioned["epcList"][0] == f"{BASE}/tem/{sorted(events[:6])[0]}"


def test_the_schema_catches_a_broken_document(batch, events):
    document = epcis.document(batch=batch, base_url=BASE)
    document["epcisBody"]["eventList"][1]["action"] = "add"
    with pytest.raises(AssertionError):
        validate(document)


def test_nothing_private_is_exported(batch, events, member):
    text = json.dumps(epcis.document(batch=batch, base_url=BASE), ensure_ascii=False)
    assert member.email not in text and member.full_name not in text
