"""A buyer on a phone searches the catalogue as people type, filters to a province, opens a
product and sends the producer a message."""

import pytest

from ocop.catalog.models import Inquiry
from ocop.catalog.tests.conftest import catalogue  # noqa: F401 (fixture)


@pytest.fixture
def listed(transactional_db, catalogue):  # noqa: F811
    return catalogue


def test_buyer_finds_a_product_and_writes_to_its_producer(live_server, page_for, shot, listed):
    page = page_for()
    page.goto(f"{live_server.url}/san-pham-ocop/")
    assert page.locator(".vn-map svg path").count() >= 34
    page.fill("input[name=q]", "ca phe")  # no diacritics, as people type on a phone
    page.locator("form.search-box button").click()
    page.wait_for_url("**/tim-kiem/?q=ca+phe")
    cards = page.locator(".product-card .name")
    assert "Cà phê" in cards.first.inner_text()
    shot(page, "catalogue-search")

    # Filter to Lâm Đồng (htmx swaps the results; the URL keeps the filter).
    page.locator("details.facet summary", has_text="Tỉnh").click()  # folded on a phone
    page.locator(".facet a", has_text="Tỉnh Lâm Đồng").click()
    page.wait_for_url("**province=68**")
    page.locator(".facet a.selected", has_text="Tỉnh Lâm Đồng").wait_for()
    names = page.locator(".product-card .name").all_inner_texts()
    assert "Ca cao lên men Đắk Lắk" not in names and "Cà phê Arabica Cầu Đất" in names
    shot(page, "catalogue-filtered")

    page.locator(".product-card .name", has_text="Cà phê Arabica Cầu Đất").click()
    page.get_by_role("heading", name="Cà phê Arabica Cầu Đất").wait_for()
    assert page.locator(".stars.big").inner_text().startswith("★★★★")
    shot(page, "catalogue-product")

    form = page.locator("form.inquiry-form")
    form.locator("input[name=buyer_name]").fill("Lê Thu Trang")
    form.locator("input[name=email]").fill("thutrang@example.vn")
    form.locator("input[name=quantity]").fill("300 hộp")
    form.locator("textarea[name=message]").fill("Xin báo giá sỉ giao Hà Nội.")
    form.locator("button[type=submit]").click()
    page.get_by_role("status").wait_for()
    assert "Hợp tác xã Cà phê Lang Biang" in page.get_by_role("status").inner_text()
    shot(page, "catalogue-inquiry-sent")
    inquiry = Inquiry.objects.get()
    assert (inquiry.product.name, inquiry.quantity) == ("Cà phê Arabica Cầu Đất", "300 hộp")
