"""A commune officer confirms a producer that registered itself, on a phone."""

import pytest

from conftest import make_user
from ocop.accounts.models import Role
from ocop.geo.models import Commune
from ocop.geo.services import units_load
from ocop.producers import services
from ocop.producers.models import Producer, ProducerStatus
from tests.e2e.conftest import DESKTOP

PASSWORD = "Mật-khẩu-cán-bộ-2026"


@pytest.fixture
def pending(transactional_db):
    units_load(province_codes={68})
    commune = Commune.objects.get(province_id=68, name="Xã Lạc Dương")
    officer = make_user("officer", Role.COMMUNE_OFFICER, password=PASSWORD, commune=commune)
    _user, producer = services.producer_register_self(
        user_data={"full_name": "K'Thị Mai", "phone": "0912345678", "password": "x-y-z-123456"},
        data={
            "legal_name": "Hộ kinh doanh K'Thị Mai",
            "producer_type": "household",
            "representative_name": "K'Thị Mai",
            "commune": commune,
        },
    )
    return officer, producer


def test_officer_confirms_self_registered_producer(live_server, page_for, shot, pending):
    officer, producer = pending
    page = page_for()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", officer.email)
    page.fill("input[name=password]", PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{live_server.url}/")
    shot(page, "confirm-1-home-phone")

    page.locator('a.stat[href$="status=pending"]').click()
    page.wait_for_url("**/producers/?status=pending")
    assert page.get_by_role("link", name="Hộ kinh doanh K'Thị Mai").is_visible()
    shot(page, "confirm-2-pending-list-phone")

    page.get_by_role("link", name="Hộ kinh doanh K'Thị Mai").click()
    page.fill("textarea[name=note]", "Đã kiểm tra tại thôn")
    shot(page, "confirm-3-detail-phone")
    page.get_by_role("button", name="Xác nhận", exact=True).click()
    assert page.locator(".message.success").is_visible()
    assert producer.get_absolute_url() in page.url
    assert Producer.objects.get(pk=producer.pk).status == ProducerStatus.ACTIVE

    # The producer now shows in the list as confirmed, found by typing without accents.
    page.goto(f"{live_server.url}/producers/")
    page.fill("input[name=q]", "k'thi mai")
    page.locator("#results").get_by_text("Đã xác nhận").wait_for()
    assert page.locator("#results tbody tr").count() == 1
    shot(page, "confirm-4-list-phone")

    # Switching the language keeps the page and speaks English.
    page.set_viewport_size(DESKTOP)
    page.get_by_role("button", name="English").click()
    page.get_by_role("heading", name="Producers").wait_for()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("#results .badge").inner_text() == "Confirmed"
    shot(page, "confirm-5-list-english-desktop")
    page.get_by_role("button", name="Tiếng Việt").click()
    page.get_by_role("heading", name="Chủ thể").wait_for()
