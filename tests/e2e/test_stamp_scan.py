"""A consumer scans OCOP stamps on a phone: a valid one, one of a product whose certificate
has expired, and a serial that was never issued."""

import pytest

from ocop.certificates.models import Certificate
from ocop.traceability import codes
from ocop.traceability.models import Stamp
from ocop.traceability.tests.conftest import (  # noqa: F401 (fixtures)
    batch,
    certificate,
    generated_run,
    issued,
    member,
    product,
    results,
)


@pytest.fixture
def stamps(transactional_db, world, member, batch):  # noqa: F811
    run = generated_run(member, batch, quantity=3)
    return [
        codes.stamp_path(gtin=batch.product.gtin, lot=batch.lot, serial=s.serial)
        for s in Stamp.objects.filter(run=run).order_by("pk")
    ]


def test_consumer_scans_stamps(live_server, page_for, shot, stamps, certificate):  # noqa: F811
    page = page_for()
    page.goto(live_server.url + stamps[0])
    verdict = page.locator(".verdict")
    assert "Tem OCOP chính hãng" in verdict.inner_text()
    assert "4★" in verdict.inner_text()
    assert page.get_by_text(certificate.product.name).first.is_visible()
    assert page.get_by_text("Đây là lần quét đầu tiên của tem này.").is_visible()
    shot(page, "stamp-valid")

    # The consumer says where they are: the form answers in place (htmx).
    page.select_option("select[name=province]", label="Tỉnh Lâm Đồng")
    page.get_by_role("button", name="Gửi").click()
    page.get_by_text("Cảm ơn").wait_for()

    Certificate.objects.filter(pk=certificate.pk).update(expires_on="2026-06-30")
    page.goto(live_server.url + stamps[1])
    assert "đã hết hiệu lực" in page.locator(".verdict").inner_text()
    shot(page, "stamp-expired-certificate")

    unknown = codes.stamp_path(
        gtin=certificate.product.gtin, lot="L2026-11A", serial="0000000000000"
    )
    response = page.goto(live_server.url + unknown)
    assert response.status == 404
    assert "chưa từng được phát hành" in page.locator(".verdict").inner_text()
    shot(page, "stamp-unknown")

    # Typing the serial printed under the code finds the stamp too.
    serial = stamps[2].rsplit("/", 1)[1]
    page.fill("input[name=serial]", codes.serial_display(serial).lower())
    page.get_by_role("button", name="Kiểm tra").click()
    page.wait_for_url(f"**/tem/{serial}")
    assert page.locator(".verdict").is_visible()
