import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from ocop.audit.models import AuditEvent
from ocop.certificates import services as certificate_services
from ocop.geo.services import units_load
from ocop.traceability import codes, services
from ocop.traceability.models import RunStatus, Scan, Stamp, StampRun, StampStatus

from .conftest import batch_data


def test_batch_of_a_certified_product(batch, product):
    assert (batch.product, batch.producer_id, batch.lot) == (
        product,
        product.producer_id,
        "L2026-11A",
    )
    assert AuditEvent.objects.filter(action="batch.create").count() == 1


def test_no_batch_without_a_valid_certificate(world, member, certificate):
    certificate_services.certificate_revoke(
        actor=world.users["provincial_officer"], certificate=certificate, reason="Vi phạm"
    )
    with pytest.raises(ValidationError, match="giấy chứng nhận OCOP còn hiệu lực"):
        services.batch_create(actor=member, product=certificate.product, data=batch_data())


@pytest.mark.parametrize(
    ("field", "value"),
    [("lot", "L 2026"), ("lot", "Lô-1"), ("lot", ""), ("quantity", None), ("unit", "")],
)
def test_batch_validation(member, product, field, value):
    with pytest.raises(ValidationError) as exc:
        services.batch_create(actor=member, product=product, data=batch_data(**{field: value}))
    assert field in exc.value.message_dict


def test_expiry_not_before_production(member, product):
    data = batch_data(expires_on=datetime.date(2026, 1, 1))
    with pytest.raises(ValidationError) as exc:
        services.batch_create(actor=member, product=product, data=data)
    assert "expires_on" in exc.value.message_dict


def test_lot_numbers_are_unique_per_product(member, product, batch):
    with pytest.raises(ValidationError):
        services.batch_create(actor=member, product=product, data=batch_data())


@pytest.mark.parametrize(
    "role", ["other_producer_member", "other_commune_officer", "council_member"]
)
def test_only_the_producer_and_its_officers_record_batches(world, product, role):
    with pytest.raises(PermissionDenied):
        services.batch_create(actor=world.users[role], product=product, data=batch_data())


def test_lot_is_frozen_once_stamps_exist(member, batch, run):
    with pytest.raises(ValidationError) as exc:
        services.batch_update(actor=member, batch=batch, data={"lot": "L-OTHER"})
    assert "lot" in exc.value.message_dict
    services.batch_update(actor=member, batch=batch, data={"quantity": 400})
    batch.refresh_from_db()
    assert batch.quantity == 400


def test_a_run_generates_exactly_the_ordered_stamps(run):
    assert (run.status, run.issued, run.quantity) == (RunStatus.DONE, 12, 12)
    serials = list(Stamp.objects.filter(run=run).values_list("serial", flat=True))
    assert len(serials) == len(set(serials)) == 12
    assert all(codes.serial_normalise(s) == s for s in serials)
    assert run.started_at and run.finished_at


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"quantity": 0}, "quantity"),
        ({"quantity": services.RUN_MAX + 1}, "quantity"),
        ({"quantity": 10, "label_width_mm": 5}, "label_width_mm"),
        ({"quantity": 10, "label_height_mm": 500}, "label_height_mm"),
    ],
)
def test_run_order_validation(member, batch, kwargs, field):
    with pytest.raises(ValidationError) as exc:
        services.stamp_run_order(actor=member, batch=batch, **kwargs)
    assert field in exc.value.message_dict
    assert not StampRun.objects.exists()


def test_an_interrupted_run_resumes_exactly(member, batch, monkeypatch):
    run = services.stamp_run_order(actor=member, batch=batch, quantity=23)
    real = codes.serials_new
    calls = []

    def failing(n):
        calls.append(n)
        if len(calls) == 3:
            raise RuntimeError("the worker was killed")
        return real(n)

    monkeypatch.setattr(codes, "serials_new", failing)
    with pytest.raises(RuntimeError):
        services.stamp_run_generate(run_id=run.pk, chunk=5)
    run.refresh_from_db()
    assert run.issued == Stamp.objects.filter(run=run).count() == 10  # two chunks committed
    assert run.status == RunStatus.RUNNING
    monkeypatch.setattr(codes, "serials_new", real)
    run = services.stamp_run_generate(run_id=run.pk, chunk=5)
    serials = list(Stamp.objects.filter(run=run).values_list("serial", flat=True))
    assert run.issued == len(serials) == len(set(serials)) == 23
    assert run.status == RunStatus.DONE
    # Running it again issues nothing more.
    assert services.stamp_run_generate(run_id=run.pk).issued == 23
    assert Stamp.objects.filter(run=run).count() == 23


def test_a_colliding_serial_redraws_its_chunk(member, batch, run, monkeypatch):
    taken = Stamp.objects.filter(run=run).values_list("serial", flat=True).first()
    real = codes.serials_new
    draws = iter([[taken, *real(4)]])
    monkeypatch.setattr(codes, "serials_new", lambda n: next(draws, None) or real(n))
    again = services.stamp_run_order(actor=member, batch=batch, quantity=5)
    again = services.stamp_run_generate(run_id=again.pk, chunk=5)
    assert again.issued == Stamp.objects.filter(run=again).count() == 5
    assert Stamp.objects.filter(serial=taken).count() == 1


def test_stalled_run_resumes_through_the_service(member, batch):
    run = services.stamp_run_order(actor=member, batch=batch, quantity=5)
    with pytest.raises(ValidationError):
        services.stamp_run_resume(actor=member, run=run)  # still fresh: being generated
    services.stamp_run_fail(run_id=run.pk, error="killed")
    run.refresh_from_db()
    assert services.run_is_stalled(run)
    services.stamp_run_resume(actor=member, run=run)
    run.refresh_from_db()
    assert run.status == RunStatus.QUEUED and run.error == ""
    later = run.updated_at + services.STALE_AFTER + datetime.timedelta(seconds=1)
    assert services.run_is_stalled(run, now=later)


def test_void_by_label_numbers_and_by_serials(member, run):
    ordered = list(Stamp.objects.filter(run=run).order_by("pk").values_list("serial", flat=True))
    assert services.stamps_void(actor=member, run=run, reason="Cuộn hỏng", first=2, last=4) == 3
    voided = set(Stamp.objects.filter(status=StampStatus.VOIDED).values_list("serial", flat=True))
    assert voided == set(ordered[1:4])
    typed = [codes.serial_display(ordered[6]).lower()]
    assert services.stamps_void(actor=member, run=run, reason="Rách", serials=typed) == 1
    with pytest.raises(ValidationError):
        services.stamps_void(actor=member, run=run, reason="", first=1, last=1)
    with pytest.raises(ValidationError):
        services.stamps_void(actor=member, run=run, reason="x", first=5, last=99)
    with pytest.raises(ValidationError):
        services.stamps_void(actor=member, run=run, reason="x", serials=[ordered[6]])  # voided
    assert Stamp.objects.filter(status=StampStatus.VOIDED).count() == 4


def _scan(serial, **kwargs):
    from ocop.traceability import selectors

    address = kwargs.pop("address", None) or codes.StampAddress(serial=serial)
    return services.scan_record(
        address=address, stamp=selectors.stamp_for_scan(serial=serial), **kwargs
    )


def test_a_scan_is_logged_without_personal_data(run):
    serial = Stamp.objects.filter(run=run).first().serial
    first = _scan(
        serial, user_agent="Mozilla/5.0 (Android 14)", latitude=11.9404, longitude=108.4583
    )
    assert (first.flags, first.scans) == ([], 1)
    second = _scan(serial, user_agent="Mozilla/5.0 (iPhone)")
    assert second.scans == 2 and second.first_scanned_at == first.first_scanned_at
    scan = Scan.objects.order_by("pk").first()
    assert scan.agent_hash == services.agent_hash("Mozilla/5.0 (Android 14)")
    assert "Mozilla" not in scan.agent_hash and len(scan.agent_hash) == 16
    assert (str(scan.latitude), str(scan.longitude)) == ("11.9", "108.5")
    assert Stamp.objects.get(serial=serial).scan_count == 2


def test_unknown_serial_is_flagged_with_the_product_it_claims(run, product):
    address = codes.address_parse(
        codes.stamp_path(gtin=product.gtin, lot="L2026-11A", serial="0000000000000")
    )
    outcome = _scan("0000000000000", address=address)
    assert outcome.flags == ["unknown"] and outcome.stamp is None
    assert Scan.objects.get().product == product


def test_a_serial_on_another_product_is_a_mismatch(run):
    serial = Stamp.objects.filter(run=run).first().serial
    other = codes.address_parse(codes.stamp_path(gtin="8934563138172", lot="X", serial=serial))
    assert _scan(serial, address=other).flags == ["mismatch"]
    wrong_lot = codes.address_parse(
        codes.stamp_path(gtin=run.batch.product.gtin, lot="OTHER", serial=serial)
    )
    assert _scan(serial, address=wrong_lot).flags == ["mismatch"]


def test_voided_stamp_is_flagged(member, run):
    serial = Stamp.objects.filter(run=run).order_by("pk").first().serial
    services.stamps_void(actor=member, run=run, reason="Cuộn hỏng", first=1, last=1)
    assert _scan(serial).flags == ["voided"]


def test_too_many_scans_and_provinces(run):
    units_load(province_codes={79, 48})
    serial = Stamp.objects.filter(run=run).first().serial
    limits = services.rules.thresholds()
    for _ in range(limits.max_plausible_scans):
        assert _scan(serial).flags == []
    assert _scan(serial).flags == ["many_scans"]
    other = Stamp.objects.filter(run=run).exclude(serial=serial).first().serial
    provinces = [68, 1, 79, 48][: limits.max_provinces + 1]
    flags = [_scan(other, province_id=p).flags for p in provinces]
    assert flags[-1] == ["many_provinces"] and flags[0] == []


def test_a_stamps_first_scan_reads_no_earlier_provinces(run):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    serial = Stamp.objects.filter(run=run).first().serial
    with CaptureQueriesContext(connection) as first:
        _scan(serial, province_id=68)
    with CaptureQueriesContext(connection) as second:
        _scan(serial)
    assert len(first) == len(second) - 1
    assert Stamp.objects.get(serial=serial).scan_count == 2


def test_locating_a_scan_later_counts_its_province(run):
    units_load(province_codes={79, 48})
    serial = Stamp.objects.filter(run=run).first().serial
    limits = services.rules.thresholds()
    for p in [68, 1, 79][: limits.max_provinces]:
        _scan(serial, province_id=p)
    last = _scan(serial).scan
    located = services.scan_locate(scan=last, province_id=48)
    assert "many_provinces" in located.flag_list


def test_events_follow_the_epcis_vocabulary(member, batch, run):
    serials = list(Stamp.objects.filter(run=run).values_list("serial", flat=True)[:3])
    now = timezone.now()
    shipped = services.event_record(
        actor=member,
        batch=batch,
        data={"event_type": "ObjectEvent", "action": "OBSERVE", "biz_step": "shipping",
              "disposition": "in_transit", "event_time": now, "serials": serials},
    )  # fmt: skip
    assert shipped.serials == sorted(serials)
    packed = services.event_record(
        actor=member,
        batch=batch,
        data={"event_type": "AggregationEvent", "action": "ADD", "biz_step": "packing",
              "event_time": now, "serials": serials, "parent": "THUNG-01"},
    )  # fmt: skip
    assert packed.parent == "THUNG-01"
    made = services.event_record(
        actor=member,
        batch=batch,
        data={"event_type": "TransformationEvent", "biz_step": "creating_class_instance",
              "event_time": now, "quantity": 500,
              "inputs": [{"name": "Rau cải", "quantity": "120", "unit": "kg",
                          "origin": "Lạc Dương"}]},
    )  # fmt: skip
    assert made.action == ""


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"event_type": "ObjectEvent", "action": "OBSERVE", "biz_step": "dancing"}, "biz_step"),
        ({"event_type": "ObjectEvent", "action": "JUMP", "biz_step": "shipping"}, "action"),
        ({"event_type": "ObjectEvent", "action": "OBSERVE", "biz_step": "shipping",
          "disposition": "happy"}, "disposition"),
        ({"event_type": "AggregationEvent", "action": "ADD", "biz_step": "packing"}, "parent"),
        ({"event_type": "TransformationEvent", "biz_step": "creating_class_instance"}, "inputs"),
        ({"event_type": "ObjectEvent", "action": "OBSERVE", "biz_step": "shipping",
          "serials": ["0000000000000"]}, "serials"),
    ],
)  # fmt: skip
def test_event_validation(member, batch, data, field):
    with pytest.raises(ValidationError) as exc:
        services.event_record(
            actor=member, batch=batch, data={"event_time": timezone.now(), **data}
        )
    assert field in exc.value.message_dict
