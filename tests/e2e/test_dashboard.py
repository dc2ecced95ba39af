"""A provincial officer opens the dashboard, changes the year and downloads the Excel report,
whose figures are the page's."""

import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from conftest import PASSWORD
from ocop.catalog.tests.conftest import catalogue  # noqa: F401 (fixture)
from tests.e2e.conftest import DESKTOP


@pytest.fixture
def officer(transactional_db, world, catalogue):  # noqa: F811
    user = world.users["provincial_officer"]
    user.set_password(PASSWORD)
    user.save()
    return user


def test_officer_reads_the_dashboard_and_downloads_the_report(live_server, page_for, shot, officer):
    page = page_for(DESKTOP)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", officer.email)
    page.fill("input[name=password]", PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{live_server.url}/")
    page.get_by_role("link", name="Bảng số liệu").first.click()
    page.get_by_role("heading", name="Bảng số liệu: Tỉnh Lâm Đồng").wait_for()
    assert page.locator(".figure svg").count() >= 5
    stars = page.locator("#stars table tbody tr")
    shown = [int(stars.nth(i).locator("td").nth(1).text_content()) for i in range(3)]
    assert sum(shown) == 4  # the four Lâm Đồng products of the catalogue fixture
    shot(page, "dashboard")

    last_year = timezone.localdate().year - 1
    page.select_option("select[name=year]", str(last_year))
    page.get_by_role("button", name="Xem").click()
    page.wait_for_url(f"**year={last_year}**")
    page.get_by_role("heading", name=f"Chu trình OCOP năm {last_year}").wait_for()

    with page.expect_download() as download:
        page.get_by_role("link", name="Báo cáo (Excel)").click()
    assert download.value.suggested_filename == f"bao-cao-ocop-{last_year}.xlsx"
    with open(download.value.path(), "rb") as handle:  # saved without an extension
        book = load_workbook(io.BytesIO(handle.read()))
    sheet = book[book.sheetnames[0]]
    assert sheet["B3"].value == last_year
    assert [sheet.cell(row=7 + i, column=2).value for i in range(3)] == shown
