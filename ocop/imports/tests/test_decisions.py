"""A messy decisions list of Lâm Đồng, as provinces keep them: old addresses, abbreviations,
a title above the header, duplicates, a record already in the register, wrong stars. The
dry run is checked row by row, then the state after apply, re-apply and revert."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ocop.audit.models import AuditEvent
from ocop.catalog.models import Listing
from ocop.certificates.models import Certificate, RecognitionDecision
from ocop.imports import services
from ocop.imports.models import ImportStatus
from ocop.producers.models import Producer
from ocop.products.models import Product

from .conftest import csv_file, rendered, xlsx_file

HEADER = [
    "STT",
    "Tên sản phẩm",
    "Chủ thể",
    "Mã số thuế",
    "Địa chỉ",
    "Nhóm sản phẩm",
    "Hạng sao",
    "Số quyết định",
    "Ngày quyết định",
]
ROWS = [
    # 1: a legacy address (Đạ Sar went into Xã Lạc Dương), abbreviations, no diacritics
    [1, "Cà phê Arabica Lang Biang", "HTX Cà phê Lang Biang", "0100233488",
     "xa Da Sar, H. Lac Duong, t. Lam Dong", "Sản phẩm cà phê, ca cao", "4 sao",
     "1520/QĐ-UBND", "15/06/2023"],
    # 2: the same producer (in the register already: same tax code), another product
    [2, "Cà phê Robusta Lang Biang", "Hợp tác xã Cà phê Lang Biang", "0100 233 488",
     "Xã Lạc Dương, tỉnh Lâm Đồng", "cà phê", "3", "1520/QĐ-UBND", "15/06/2023"],
    # 3: a new producer written the 2025 way, no tax code (household)
    [3, "Mứt hồng dẻo", "Hộ kinh doanh Mứt Thu Hà", "", "Thôn 2, Xã Đơn Dương, Lâm Đồng",
     "Chế biến từ rau, củ, quả, hạt", "★★★", "1520/QĐ-UBND ngày 15/6/2023", ""],
    # 4: row 1 again (a duplicate inside the file)
    [4, "Cà phê Arabica Lang Biang", "HTX Cà phê Lang Biang", "0100233488",
     "xa Da Sar, H. Lac Duong, t. Lam Dong", "Sản phẩm cà phê, ca cao", "4",
     "1520/QĐ-UBND", "15/06/2023"],
    # 5: 2 stars is no recognition
    [5, "Rau cải Đơn Dương", "Hộ kinh doanh Mứt Thu Hà", "", "Xã Đơn Dương, Lâm Đồng",
     "Rau, củ, quả, hạt tươi", "2 sao", "1520/QĐ-UBND", "15/06/2023"],
    # 6: an address of Hà Nội, not Lâm Đồng
    [6, "Gốm men lam", "HTX Gốm Bát Tràng", "0101234565", "xã Bát Tràng, TP Hà Nội",
     "Thủ công mỹ nghệ gia dụng, trang trí", "4", "1520/QĐ-UBND", "15/06/2023"],
    # 7: an unknown commune and a bad date
    [7, "Trà atiso", "Công ty TNHH Atiso Xanh", "0314409058", "xã Không Có, huyện Lạc Dương",
     "Sản phẩm trà từ thực vật khác", "3", "1520/QĐ-UBND", "31/02/2022"],
    # 8: a branch instead of a product group
    [8, "Hoa cúc", "HTX Hoa Đà Lạt", "", "Phường Lang Biang, Lâm Đồng",
     "Thực phẩm", "3", "1520/QĐ-UBND", "15/06/2023"],
]  # fmt: skip


def upload(world, rows=None, *, name="ocop-2022.csv", as_xlsx=False, role="provincial_officer"):
    table = [["DANH SÁCH SẢN PHẨM OCOP NĂM 2022"], [], HEADER, *(rows or ROWS)]
    file = xlsx_file(table, name.replace(".csv", ".xlsx")) if as_xlsx else csv_file(table, name)
    return services.job_upload(
        actor=world.users[role],
        province=world.commune_a.province,
        kind="decisions",
        file=file,
    )


@pytest.mark.parametrize("as_xlsx", [False, True])
def test_the_dry_run_row_by_row(world, criteria, as_xlsx):
    job = upload(world, as_xlsx=as_xlsx)
    assert job.mapping["product_name"] == "Tên sản phẩm" and "score" not in job.mapping
    job = services.job_check(actor=world.users["provincial_officer"], job=job)
    rows = {r["row"]: r for r in rendered(job)}
    assert [r["row"] for r in rendered(job)] == list(range(4, 12))  # numbered as Excel shows
    # Row 1: the producer is in the register (same tax code): unchanged; the rest is new.
    assert rows[4]["outcome"] == "create"
    assert rows[4]["records"] == {
        "producer": "unchanged",
        "product": "create",
        "decision": "create",
        "certificate": "create",
    }
    assert rows[5]["outcome"] == "create" and rows[5]["records"]["decision"] == "unchanged"
    # Row 3: a new household business; the date read from the number's cell.
    assert rows[6]["records"]["producer"] == "create" and not rows[6].get("errors")
    # The errors, each with its cell and reason.
    assert rows[7]["errors"][0][0] == "B7" and "already lists" in rows[7]["errors"][0][1]
    assert rows[8]["errors"] == [
        ["G8", "2 stars is not a recognition: only 3, 4 and 5 stars are recognised."]
    ]
    assert rows[9]["errors"] == [
        ["E9", "This address is in Thành phố Hà Nội, not in Tỉnh Lâm Đồng."],
        ["C9", "This producer is registered in another province."],  # same tax code
    ]
    assert {e[0] for e in rows[10]["errors"]} == {"E10", "I10"}
    assert rows[11]["errors"][0][0] == "F11" and "is a branch" in rows[11]["errors"][0][1]
    assert job.summary["rows"] == {"create": 3, "update": 0, "unchanged": 0, "error": 5}
    assert not Product.objects.exists() and not RecognitionDecision.objects.exists()


def test_apply_reapply_and_revert(world, criteria, django_capture_on_commit_callbacks):
    officer = world.users["provincial_officer"]
    before = Producer.objects.count()
    job = services.job_check(actor=officer, job=upload(world))
    with pytest.raises(ValidationError):  # errors: refused unless they are left out
        services.job_apply(actor=officer, job=job)

    def issued():  # the dashboards' count of certificates, kept in the cache
        from ocop.reports.figures import Area, all_figures

        years = next(f for f in all_figures(Area(), 2026) if f.key == "years")
        return sum(row[-1] for row in years.rows)

    issued_before = issued()
    with django_capture_on_commit_callbacks(execute=True):
        job = services.job_apply(actor=officer, job=job, skip_errors=True)
    assert job.status == ImportStatus.APPLIED
    assert issued() == issued_before + 3  # bulk inserts, yet the cached figures moved on
    assert job.summary["written"] == {
        "producers": 1, "products": 3, "decisions": 1, "certificates": 3, "updated": 0
    }  # fmt: skip
    assert Producer.objects.count() == before + 1
    household = Producer.objects.get(legal_name="Hộ kinh doanh Mứt Thu Hà")
    assert household.commune == world.commune_b and household.street_address == "Thôn 2"
    assert household.producer_type == "household" and household.legacy_address == ""
    decision = RecognitionDecision.objects.get()
    assert (decision.number, decision.date) == ("1520/QĐ-UBND", datetime.date(2023, 6, 15))
    assert decision.issuer == "Ủy ban nhân dân tỉnh Lâm Đồng" and decision.status == "issued"
    certificates = Certificate.objects.order_by("product__name")
    assert [(c.product.name, c.stars) for c in certificates] == [
        ("Cà phê Arabica Lang Biang", 4),
        ("Cà phê Robusta Lang Biang", 3),
        ("Mứt hồng dẻo", 3),
    ]
    assert {c.expires_on for c in certificates} == {datetime.date(2026, 6, 15)}
    assert len({c.number for c in certificates}) == 3
    assert AuditEvent.objects.filter(action="import.apply").count() == 1

    # The same file again: nothing changes.
    again = services.job_check(actor=officer, job=upload(world))
    assert again.summary["rows"] == {"create": 0, "update": 0, "unchanged": 3, "error": 5}
    services.job_apply(actor=officer, job=again, skip_errors=True)
    assert Certificate.objects.count() == 3 and Product.objects.count() == 3
    assert again.changes.count() == 0

    # Revert the first import: all it made goes, the producer that was there stays.
    with django_capture_on_commit_callbacks(execute=True):
        services.job_revert(actor=officer, job=job)
    assert not Certificate.objects.exists() and not Product.objects.exists()
    assert not RecognitionDecision.objects.exists()
    assert Producer.objects.count() == before
    assert Producer.objects.filter(pk=world.producer_a.pk).exists()
    with pytest.raises(ValidationError):
        services.job_revert(actor=officer, job=job)  # once only


def test_recognised_imports_reach_the_catalogue(
    world, criteria, django_capture_on_commit_callbacks
):
    officer = world.users["provincial_officer"]
    recent = [r[:8] + ["16/09/2025"] for r in ROWS[:3]]
    recent[2][7] = "1520/QĐ-UBND"
    job = services.job_check(actor=officer, job=upload(world, recent))
    with django_capture_on_commit_callbacks(execute=True):
        services.job_apply(actor=officer, job=job)
    assert Listing.objects.count() == 3  # valid certificates: listed
    with django_capture_on_commit_callbacks(execute=True):
        services.job_revert(actor=officer, job=job)
    assert not Listing.objects.exists()


def test_only_the_province_s_officers_import(world, criteria):
    with pytest.raises(PermissionDenied):
        upload(world, role="other_provincial_officer")
    with pytest.raises(PermissionDenied):
        upload(world, role="commune_officer")
    job = upload(world)
    with pytest.raises(PermissionDenied):
        services.job_check(actor=world.users["other_provincial_officer"], job=job)
    assert upload(world, role="central_officer").pk


def test_an_ambiguous_address_waits_for_a_person(world, criteria):
    """Xã Bát Tràng (Gia Lâm) was split in 2025: the officer chooses, the software does not."""
    from ocop.geo.models import Commune
    from ocop.imports import selectors

    officer = world.users["other_provincial_officer"]  # Hà Nội's
    address = "xã Bát Tràng, huyện Gia Lâm, thành phố Hà Nội"
    rows = [[1, "Bình gốm men rạn", "Công ty TNHH Gốm Men Lam", "6761530642", address,
             "Thủ công mỹ nghệ gia dụng, trang trí", "4", "2100/QĐ-UBND",
             "16/09/2024"]]  # fmt: skip
    job = services.job_upload(
        actor=officer,
        province=world.commune_c.province,
        kind="decisions",
        file=csv_file([HEADER, *rows]),
    )
    job = services.job_check(actor=officer, job=job)
    row = rendered(job)[0]
    assert row["outcome"] == "error" and "went into several communes" in row["errors"][0][1]
    names = {label.split(",")[0] for _code, label in row["candidates"]}
    assert names == {"Phường Long Biên", "Xã Gia Lâm", "Xã Bát Tràng"}
    [needed] = selectors.choices_needed(job)
    assert needed["rows"] == [2]
    chosen = Commune.objects.get(province=world.commune_c.province, name="Xã Bát Tràng")
    job = services.job_check(actor=officer, job=job, choices={needed["address"]: chosen.pk})
    assert rendered(job)[0]["outcome"] == "create"
    services.job_apply(actor=officer, job=job)
    producer = Producer.objects.get(tax_code="6761530642")
    assert producer.commune == chosen
    assert producer.legacy_address == address


def test_the_wizard_pages(world, criteria, client_as, django_capture_on_commit_callbacks):
    from django.urls import reverse

    client = client_as(world.users["provincial_officer"])
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    page = client.get(reverse("imports:jobs"))
    assert page.status_code == 200 and "No import yet." in page.content.decode()
    table = [["DANH SÁCH"], HEADER, *ROWS[:3]]
    response = client.post(
        reverse("imports:jobs"),
        {"province": world.commune_a.province_id, "kind": "decisions", "file": csv_file(table)},
    )
    from ocop.imports.models import ImportJob

    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    detail = client.get(job.get_absolute_url()).content.decode()
    assert "Check the file (dry run)" in detail and 'value="Tên sản phẩm" selected' in detail
    client.post(reverse("imports:check", args=[job.pk]))
    detail = client.get(job.get_absolute_url()).content.decode()
    assert "will create</a>" in detail or "will create" in detail
    assert "Apply the import" in detail
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("imports:apply", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportStatus.APPLIED
    assert "Revert the import" in client.get(job.get_absolute_url()).content.decode()
    # A bad file: the form again, with the reason.
    bad = client.post(
        reverse("imports:jobs"),
        {"province": world.commune_a.province_id, "kind": "decisions",
         "file": csv_file([["x"]], name="a.pdf")},
    )  # fmt: skip
    assert bad.status_code == 200 and "Import an Excel workbook" in bad.content.decode()
    template = client.get(reverse("imports:template", args=["decisions"]))
    assert template["Content-Type"].startswith("application/vnd.openxmlformats")
    other = client_as(world.users["other_provincial_officer"])
    assert other.get(job.get_absolute_url()).status_code == 404
    assert client_as(world.users["commune_officer"]).get(reverse("imports:jobs")).status_code == 403
