import csv
import io
import shutil
import subprocess

import pytest
from django.urls import reverse

from ocop.certificates import services as certificate_services
from ocop.certificates.models import Certificate
from ocop.traceability import codes, services
from ocop.traceability.models import RunStatus, Scan, Stamp

from .conftest import batch_data, generated_run

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
PHONE = {"HTTP_USER_AGENT": "Mozilla/5.0 (Linux; Android 14) Mobile", **EN}


def first_stamp(run) -> Stamp:
    return Stamp.objects.filter(run=run).order_by("pk").first()


def uri_path(stamp: Stamp) -> str:
    batch = stamp.run.batch
    return codes.stamp_path(gtin=batch.product.gtin, lot=batch.lot, serial=stamp.serial)


def test_scan_page_of_a_valid_stamp(client, run, certificate):
    stamp = first_stamp(run)
    response = client.get(uri_path(stamp), **PHONE)
    assert response.status_code == 200
    text = response.content.decode()
    for value in (
        "Genuine OCOP stamp",
        "4★",
        certificate.product.name,
        certificate.producer.legal_name,
        "Xã Lạc Dương",
        run.batch.lot,
        codes.serial_display(stamp.serial),
        certificate.number,
        "This is the first scan of this stamp.",
    ):
        assert value in text, value
    assert response["Cache-Control"] == "no-store"
    assert certificate.product.listing.get_absolute_url() in text  # the catalogue page
    assert 'rel="https://gs1.org/voc/pip"' in response["Link"]
    assert Scan.objects.get().stamp == stamp
    second = client.get(uri_path(stamp), **PHONE).content.decode()
    assert "Scanned 2 times; first on" in second
    assert "..</dd>" not in second  # the English time ends "a.m.": the sentence adds no stop


def test_the_short_platform_path_answers_too(client, run):
    stamp = first_stamp(run)
    response = client.get(f"/tem/{codes.serial_display(stamp.serial).lower()}", **PHONE)
    assert response.status_code == 200 and "Genuine OCOP stamp" in response.content.decode()


def test_revoked_certificate_shows_a_clear_warning(client, world, run, certificate):
    certificate_services.certificate_revoke(
        actor=world.users["provincial_officer"], certificate=certificate, reason="Vi phạm nhãn"
    )
    text = client.get(uri_path(first_stamp(run)), **PHONE).content.decode()
    assert "The OCOP certificate of this product is revoked" in text
    assert "Genuine OCOP stamp" not in text
    assert 'role="alert"' in text


def test_expired_certificate_is_said(client, run, certificate):
    Certificate.objects.filter(pk=certificate.pk).update(expires_on="2026-01-31")
    text = client.get(uri_path(first_stamp(run)), **PHONE).content.decode()
    assert "The OCOP certificate of this product has expired" in text


def test_unknown_serial_is_a_warning_and_logged(client, run, product):
    path = codes.stamp_path(gtin=product.gtin, lot=run.batch.lot, serial="0000000000000")
    response = client.get(path, **PHONE)
    assert response.status_code == 404
    assert "this stamp was never issued" in response.content.decode()
    scan = Scan.objects.get()
    assert (scan.flags, scan.product) == ("unknown", product)


def test_a_bad_address_is_not_a_stamp(client, db):
    response = client.get("/01/08934563138166/21/TBY3V95YRTANC", **PHONE)
    assert response.status_code == 404
    assert "This is not an OCOP stamp code" in response.content.decode()
    assert not Scan.objects.exists()


def test_voided_stamp_warns(client, member, run):
    services.stamps_void(actor=member, run=run, reason="Cuộn hỏng", first=1, last=1)
    text = client.get(uri_path(first_stamp(run)), **PHONE).content.decode()
    assert "this stamp may be fake" in text and "The producer voided this stamp" in text


def test_resolver_answers_a_linkset_to_machines(client, run, certificate):
    stamp = first_stamp(run)
    response = client.get(uri_path(stamp), HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/linkset+json"
    (context,) = response.json()["linkset"]
    assert context["anchor"].endswith(uri_path(stamp))
    for link_type in ("pip", "certificationInfo", "traceability", "epcis", "defaultLink"):
        assert f"https://gs1.org/voc/{link_type}" in context, link_type
    (pip,) = context["https://gs1.org/voc/pip"]
    assert pip["href"].endswith(certificate.product.listing.get_absolute_url())
    (cert,) = context["https://gs1.org/voc/certificationInfo"]
    assert cert["href"].endswith(f"/chung-nhan/{certificate.number}/")
    assert not Scan.objects.exists()  # a machine's lookup is not a consumer's scan
    linkset = client.get(uri_path(stamp), {"linkType": "all"}).json()
    assert linkset == response.json()


@pytest.mark.parametrize(
    ("link_type", "ends"),
    [("gs1:certificationInfo", "/chung-nhan/{number}/"), ("gs1:epcis", "/epcis.json")],
)
def test_resolver_redirects_to_a_link_type(client, run, certificate, link_type, ends):
    response = client.get(uri_path(first_stamp(run)), {"linkType": link_type})
    assert response.status_code == 307
    assert response["Location"].endswith(ends.format(number=certificate.number))


def test_resolver_unknown_link_type_and_serial(client, run, product):
    response = client.get(uri_path(first_stamp(run)), {"linkType": "gs1:recipeInfo"})
    assert response.status_code == 404 and "gs1:pip" in response.json()["available"]
    path = codes.stamp_path(gtin=product.gtin, lot="X", serial="0000000000000")
    assert client.get(path, HTTP_ACCEPT="application/json").status_code == 404


def test_public_epcis_of_a_stamp(client, run):
    response = client.get(reverse("traceability:stamp_epcis", args=[first_stamp(run).serial]))
    assert response.status_code == 200 and response.json()["type"] == "EPCISDocument"


def test_consumer_tells_the_province(client, run):
    stamp = first_stamp(run)
    page = client.get(uri_path(stamp), **PHONE)
    token = page.context["locate_form"].initial["token"]
    response = client.post(reverse("traceability:locate"), {"token": token, "province": 68}, **EN)
    assert response.status_code == 200 and "Thank you" in response.content.decode()
    assert Scan.objects.get().province_id == 68
    forged = client.post(reverse("traceability:locate"), {"token": "1:forged", "province": 68})
    assert forged.status_code == 400


def test_typed_serial_lookup(client, run):
    stamp = first_stamp(run)
    response = client.get(reverse("traceability:lookup"), {"serial": stamp.serial.lower()})
    assert response.status_code == 302 and response["Location"].endswith(f"/tem/{stamp.serial}")
    bad = client.get(reverse("traceability:lookup"), {"serial": "hello"}, **EN)
    assert bad.status_code == 404


def test_recognised_product_photos_are_public(client, settings, tmp_path, member, product, run):
    from ocop.documents.tests.conftest import PNG, upload
    from ocop.products import services as product_services

    settings.MEDIA_ROOT = tmp_path
    photo = product_services.product_photo_add(
        actor=member, product=product, file=upload("anh.png", PNG, "image/png")
    )
    assert client.get(photo.get_public_url()).status_code == 200
    assert client.get(photo.get_absolute_url()).status_code == 302  # the private address
    scan = client.get(uri_path(first_stamp(run)), **PHONE).content.decode()
    assert f'src="{photo.get_public_url()}?w=640"' in scan  # the scan page shows it


def test_pages_of_the_producer(client_as, member, batch, run):
    client = client_as(member)
    assert batch.lot in client.get(reverse("traceability:home"), **EN).content.decode()
    detail = client.get(batch.get_absolute_url(), **EN).content.decode()
    assert "Order stamps" in detail and "12 / 12" in detail
    text = client.get(run.get_absolute_url(), **EN).content.decode()
    assert "12 of 12 stamps generated" in text and "Label sheets (PDF)" in text


def test_other_areas_do_not_see_the_batch(client_as, world, batch, run):
    client = client_as(world.users["other_producer_member"])
    assert client.get(batch.get_absolute_url()).status_code == 404
    assert client.get(run.get_absolute_url()).status_code == 404
    assert client.get(reverse("traceability:run_csv", args=[run.pk])).status_code == 404


def test_record_a_batch_through_the_form(client_as, member, product):
    client = client_as(member)
    form = client.get(reverse("traceability:batch_create"), **EN).content.decode()
    assert product.name in form
    data = {"product": product.pk, **batch_data(lot="L 1")}
    data = {k: ("" if v is None else v) for k, v in data.items()}
    refused = client.post(reverse("traceability:batch_create"), data, **EN)
    assert refused.status_code == 200 and "no spaces" in refused.content.decode()
    data["lot"] = "L2026-12"
    response = client.post(reverse("traceability:batch_create"), data)
    assert response.status_code == 302


def test_order_stamps_through_the_page(client_as, member, batch):
    client = client_as(member)
    url = reverse("traceability:run_order", args=[batch.pk])
    response = client.post(url, {"quantity": 30, "label_width_mm": 30, "label_height_mm": 36})
    run = batch.runs.get()
    assert response["Location"] == run.get_absolute_url()
    assert run.status == RunStatus.QUEUED  # the worker generates it
    client.post(url, {"quantity": 0, "label_width_mm": 30, "label_height_mm": 36})
    assert batch.runs.count() == 1


def test_record_an_event_through_the_form(client_as, member, batch):
    client = client_as(member)
    url = reverse("traceability:event_create", args=[batch.pk])
    data = {
        "event_type": "TransformationEvent",
        "biz_step": "creating_class_instance",
        "event_time": "2026-11-02T08:00",
        "inputs": "Rau cải; 120; kg; Lạc Dương",
    }
    assert client.post(url, data)["Location"] == batch.get_absolute_url()
    event = batch.events.get()
    assert event.inputs == [
        {"name": "Rau cải", "quantity": "120", "unit": "kg", "origin": "Lạc Dương"}
    ]
    refused = client.post(url, {**data, "inputs": "Rau; nhiều; kg"}, **EN)
    assert "is not a quantity" in refused.content.decode()


def test_serials_csv_for_the_printing_house(client_as, member, run):
    response = client_as(member).get(reverse("traceability:run_csv", args=[run.pk]))
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0] == ["label", "serial", "uri"] and len(rows) == 13
    stamps = list(Stamp.objects.filter(run=run).order_by("pk"))
    assert rows[1][1] == stamps[0].serial and rows[1][2].endswith(uri_path(stamps[0]))


def test_label_sheets_pdf(client_as, member, run, tmp_path):
    response = client_as(member).get(reverse("traceability:run_pdf", args=[run.pk]), {"count": 8})
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    if not shutil.which("pdftotext"):
        pytest.skip("poppler-utils missing")
    pdf = tmp_path / "labels.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    stamps = list(Stamp.objects.filter(run=run).order_by("pk"))
    assert codes.serial_display(stamps[0].serial) in text
    assert codes.serial_display(stamps[7].serial) in text
    assert codes.serial_display(stamps[8].serial) not in text  # only the 8 asked for
    subprocess.run(["pdftoppm", "-png", "-r", "100", "-singlefile", str(pdf), str(tmp_path / "p")])
    assert (tmp_path / "p.png").stat().st_size > 5000


def test_resume_and_void_through_the_pages(client_as, member, batch):
    run = services.stamp_run_order(actor=member, batch=batch, quantity=4)
    services.stamp_run_fail(run_id=run.pk, error="killed")
    client = client_as(member)
    assert "Resume generation" in client.get(run.get_absolute_url(), **EN).content.decode()
    client.post(reverse("traceability:run_resume", args=[run.pk]))
    run.refresh_from_db()
    assert run.status == RunStatus.QUEUED
    done = generated_run(member, batch, quantity=3)
    client.post(
        reverse("traceability:run_void", args=[done.pk]), {"first": 1, "last": 2, "reason": "Rách"}
    )
    assert Stamp.objects.filter(run=done, status="voided").count() == 2


def test_alerts_for_the_officers_of_the_area(client, client_as, world, run, product):
    path = codes.stamp_path(gtin=product.gtin, lot="X", serial="0000000000000")
    client.get(path, **PHONE)
    officer = client_as(world.users["provincial_officer"])
    text = officer.get(reverse("traceability:alerts"), **EN).content.decode()
    assert "0000000000000" in text and "never issued" in text
    other = client_as(world.users["other_provincial_officer"])
    assert "0000000000000" not in other.get(reverse("traceability:alerts")).content.decode()
    member = client_as(world.users["producer_member"])
    assert member.get(reverse("traceability:alerts")).status_code == 403
