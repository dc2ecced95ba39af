"""The cited fixture of real recognised products (data/real_ocop_products.csv, sources in
data/SOURCES.md), read as a province would import it: the real addresses of before 2025
resolve to today's communes, and each row that cannot be imported says why."""

from collections import Counter
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ocop.certificates.models import Certificate
from ocop.geo.models import Commune
from ocop.geo.services import units_load
from ocop.imports import services

from .conftest import rendered

FIXTURE = Path(__file__).parents[1] / "data" / "real_ocop_products.csv"
DA_NANG, AN_GIANG = 48, 91


@pytest.fixture
def units(db, criteria):
    units_load(province_codes={DA_NANG, AN_GIANG}, legacy=True)


def dry_run(world, province: int):
    from conftest import make_user
    from ocop.accounts.models import Role

    officer = make_user(f"officer_{province}", Role.CENTRAL_OFFICER)
    job = services.job_upload(
        actor=officer,
        province=Commune.objects.filter(province_id=province).first().province,
        kind="decisions",
        file=SimpleUploadedFile(FIXTURE.name, FIXTURE.read_bytes()),
    )
    return officer, services.job_check(actor=officer, job=job)


def test_the_fixture_is_cited_row_by_row():
    import csv

    rows = list(csv.DictReader(FIXTURE.open(encoding="utf-8")))
    assert 50 <= len(rows) <= 100
    for row in rows:
        assert row["decision_number"] and row["issuer"] and row["source_url"].startswith("http")
        assert row["stars"] in {"3", "4", "5"} and row["group_source"] == "assigned"
    sources = (FIXTURE.parent / "SOURCES.md").read_text(encoding="utf-8")
    for number in {r["decision_number"] for r in rows}:
        assert number in sources


def test_da_nang_s_real_addresses_resolve(world, units):
    _officer, job = dry_run(world, DA_NANG)
    assert job.mapping["address"] == "address" and job.mapping["stars"] == "stars"
    by_row = {r["row"]: r for r in rendered(job)}
    # Decision 3500/QĐ-UBND (2021): eight products with their addresses of before 2025
    # ("phường Hòa An, quận Cẩm Lệ"): every address resolves; what stops them is the
    # certificate term before 2023, which the rules do not give (terms.yaml).
    first = [r for r in rendered(job) if r["row"] <= 9]
    assert len(first) == 8
    for row in first:
        assert row["errors"][-1][0] == f"H{row['row']}"  # the date's cell
        assert "No certificate term is known" in row["errors"][-1][1]
    resolved = [r for r in first if len(r["errors"]) == 1]
    assert len(resolved) == 7
    # One ward is not in the units of 2025's eve (merged before): said, not guessed.
    assert by_row[7]["errors"][0] == [
        "D7", "No commune “phường Hòa Khê” in quận Thanh Khê before 2025."
    ]  # fmt: skip
    # Quảng Nam's Tiên Phước communes (3610/QĐ-UBND, 2022) went into Đà Nẵng in 2025.
    tien_phuoc = [r for r in rendered(job) if "Tiên Phước" in r["label"] or "Xứ Tiên" in r["label"]]
    assert tien_phuoc and all(
        not any(e[0].startswith("D") for e in r["errors"]) for r in tien_phuoc
    )
    # Rows of other provinces have no address here, or one outside Đà Nẵng.
    reasons = Counter(e[1].split(":")[0] for r in rendered(job) for e in r["errors"])
    assert reasons["The address is empty."] > 0
    assert by_row[2]["outcome"] == "error"
    assert not Certificate.objects.exists()  # a dry run writes nothing


def test_an_giang_s_2024_decision_applies(world, units):
    officer, job = dry_run(world, AN_GIANG)
    ready = [r for r in rendered(job) if r["outcome"] == "create"]
    assert [r["label"] for r in ready] == [
        "Bánh hạnh nhân · Công ty TNHH Sản xuất – Thương mại Tiến Anh"
    ]
    job = services.job_apply(actor=officer, job=job, skip_errors=True)
    certificate = Certificate.objects.get()
    assert (certificate.decision.number, certificate.stars) == ("912", 4)
    producer = certificate.producer
    assert producer.legacy_address == "thị trấn Chợ Mới"  # kept as the list wrote it
    assert producer.commune.province_id == AN_GIANG and producer.tax_code_pending
