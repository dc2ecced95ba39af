"""Producers and products files, bad files through the wizard's service, the command, and
a revert refused because a record made since depends on the import."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from ocop.imports import services
from ocop.imports.models import ImportJob, ImportStatus
from ocop.producers.models import Producer
from ocop.products.models import Product

from .conftest import csv_file, rendered, xlsx_file

PRODUCERS = [
    ["Tên chủ thể", "Loại hình", "Mã số thuế", "Người đại diện", "Địa chỉ", "Điện thoại"],
    ["Hợp tác xã Cà phê Lang Biang", "HTX", "0100233488", "Nguyễn Văn An",
     "Xã Lạc Dương, Lâm Đồng", "0263 3822 111"],  # in the register: the phone is new
    ["Tổ hợp tác Dệt thổ cẩm K'Ho", "Tổ hợp tác", "", "K'Dơng", "xã Đạ Sar, huyện Lạc Dương", ""],
    ["Cơ sở Mứt Thu Hà", "", "", "", "Xã Đơn Dương, tỉnh Lâm Đồng", ""],
    ["Công ty TNHH Sai Mã", "Công ty", "0100233481", "", "Xã Đơn Dương, tỉnh Lâm Đồng", ""],
]  # fmt: skip


def upload(world, rows, kind, *, file=None):
    return services.job_upload(
        actor=world.users["provincial_officer"],
        province=world.commune_a.province,
        kind=kind,
        file=file or csv_file(rows),
    )


def test_a_producers_file(world, criteria):
    officer = world.users["provincial_officer"]
    job = services.job_check(actor=officer, job=upload(world, PRODUCERS, "producers"))
    outcomes = [(r["row"], r["outcome"]) for r in rendered(job)]
    assert outcomes == [(2, "update"), (3, "create"), (4, "create"), (5, "error")]
    assert (
        "check digit" in rendered(job)[3]["errors"][0][1]
        and rendered(job)[3]["errors"][0][0] == "C5"
    )
    services.job_apply(actor=officer, job=job, skip_errors=True)
    world.producer_a.refresh_from_db()
    assert world.producer_a.phone == "0263 3822 111"
    group = Producer.objects.get(legal_name="Tổ hợp tác Dệt thổ cẩm K'Ho")
    assert group.producer_type == "cooperative_group" and group.commune == world.commune_a
    assert group.legacy_address == "xã Đạ Sar, huyện Lạc Dương"  # province from the import's
    household = Producer.objects.get(legal_name="Cơ sở Mứt Thu Hà")
    assert household.producer_type == "household" and not household.tax_code_pending
    # Revert restores the phone that was there.
    services.job_revert(actor=officer, job=ImportJob.objects.get())
    world.producer_a.refresh_from_db()
    assert world.producer_a.phone == ""
    assert not Producer.objects.filter(legal_name="Cơ sở Mứt Thu Hà").exists()


def test_a_products_file(world, criteria):
    officer = world.users["provincial_officer"]
    rows = [
        ["Chủ thể", "Mã số thuế", "Địa chỉ", "Tên sản phẩm", "Nhóm sản phẩm"],
        ["HTX Cà phê Lang Biang", "0100233488", "Xã Lạc Dương, Lâm Đồng", "Cà phê rang xay",
         "Sản phẩm cà phê, ca cao"],
        ["HTX Cà phê Lang Biang", "0100233488", "Xã Lạc Dương, Lâm Đồng", "Cà phê rang xay",
         "Sản phẩm cà phê, ca cao"],  # twice: one product
        ["HTX Cà phê Lang Biang", "0100233488", "Xã Lạc Dương, Lâm Đồng", "Trà atiso",
         "Trà"],  # several groups start with it
    ]  # fmt: skip
    job = services.job_check(actor=officer, job=upload(world, rows, "products"))
    assert [r["outcome"] for r in rendered(job)] == ["create", "unchanged", "error"]
    assert "fits several product groups" in rendered(job)[2]["errors"][0][1]
    services.job_apply(actor=officer, job=job, skip_errors=True)
    assert list(Product.objects.values_list("name", flat=True)) == ["Cà phê rang xay"]


def _formula(sheet):
    sheet["C3"] = "=A3+B3"


def _merged(sheet):
    sheet.merge_cells("A1:B1")


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda: csv_file([["a"]], name="a.pdf"), "Import an Excel workbook"),
        (lambda: csv_file([["a"]], name="a.xlsx"), "not a readable Excel workbook"),
        (lambda: _raw(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "a.xlsx"), "encrypted"),
        (lambda: xlsx_file([["Tên chủ thể", "Địa chỉ"], [1, 2]], edit=_formula), "C3"),
        (lambda: xlsx_file([["Tên chủ thể", "Địa chỉ"], [1, 2]], edit=_merged), "A1:B1"),
        (lambda: _raw(("Tên chủ thể\n" + "x\n" * 100_000).encode(), "a.csv"), "50000 rows"),
        (lambda: csv_file([["Tên chủ thể", "Địa chỉ"], ["x", "y" * 1_000_000]]), "B2"),
    ],
)
def test_bad_files_get_a_clear_message(world, criteria, make, message):
    with pytest.raises(ValidationError) as error:
        upload(world, None, "producers", file=make())
    assert message in " ".join(error.value.messages)
    assert not ImportJob.objects.exists()


def _raw(content: bytes, name: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content)


def test_revert_is_refused_when_records_made_since_depend_on_it(world, criteria):
    from ocop.traceability.models import Batch

    officer = world.users["provincial_officer"]
    rows = [
        ["Chủ thể", "Mã số thuế", "Địa chỉ", "Tên sản phẩm", "Nhóm sản phẩm"],
        ["HTX Cà phê Lang Biang", "0100233488", "Xã Lạc Dương, Lâm Đồng", "Cà phê hạt",
         "Sản phẩm cà phê, ca cao"],
    ]  # fmt: skip
    job = services.job_check(actor=officer, job=upload(world, rows, "products"))
    services.job_apply(actor=officer, job=job)
    import datetime

    product = Product.objects.get()
    Batch.objects.create(
        product=product, producer=product.producer, lot="L1", quantity=100, unit="hộp",
        produced_on=datetime.date(2026, 11, 1),
    )  # fmt: skip
    with pytest.raises(ValidationError) as error:
        services.job_revert(actor=officer, job=job)
    assert "cannot be reverted" in error.value.messages[0]
    job.refresh_from_db()
    assert job.status == ImportStatus.APPLIED and Product.objects.count() == 1


def test_the_command(world, criteria, tmp_path):
    path = tmp_path / "chu-the.csv"
    path.write_bytes(csv_file(PRODUCERS).read())
    out = io.StringIO()
    login = world.users["provincial_officer"].email
    call_command("ocop_import", str(path), "--province", "68", "--kind", "producers",
                 "--as", login, stdout=out)  # fmt: skip
    assert "create 2, update 1, unchanged 0, errors 1" in out.getvalue()
    assert "row 5 C5" in out.getvalue() and "nothing written" in out.getvalue()
    call_command("ocop_import", str(path), "--province", "68", "--kind", "producers",
                 "--as", login, "--apply", "--skip-errors", stdout=out)  # fmt: skip
    assert "Applied: 2 producers" in out.getvalue()
    job = ImportJob.objects.filter(status="applied").get()
    call_command("ocop_import", "--revert", str(job.pk), "--as", login, stdout=out)
    assert f"Import {job.pk} reverted." in out.getvalue()


@pytest.mark.parametrize("kind", ["producers", "products", "decisions"])
def test_the_templates_open_and_import_as_they_are(world, criteria, kind):
    """A downloaded template, opened as Excel would, is recognised column for column, and
    its example row passes the dry run's reading."""
    from openpyxl import load_workbook

    from ocop.imports.columns import KINDS, guess_mapping
    from ocop.imports.template_files import LEFT_OUT, template_xlsx

    content = template_xlsx(kind)
    book = load_workbook(io.BytesIO(content))
    assert book.sheetnames == ["Danh sách", "Hướng dẫn"]
    headers = [c.value for c in book["Danh sách"][1]]
    mapping = guess_mapping(headers, kind)
    assert set(mapping) == {f for f in [*KINDS[kind]["required"], *KINDS[kind]["optional"]]
                            if f not in LEFT_OUT}  # fmt: skip
    assert book["Danh sách"].cell(row=2, column=1).value  # the example row
