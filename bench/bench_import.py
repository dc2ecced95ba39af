"""Benchmark: importing a province's whole list, 20,000 recognised products of 10,000
producers with their decisions and certificates, from one .xlsx file, as the wizard does it
(read, dry run, apply in one transaction).

Run: .venv/bin/python bench/bench_import.py [PRODUCTS] — SQLite in a temporary file, then
PostgreSQL (`ocop_bench` on 127.0.0.1:5432) when one answers. Target: **the whole import
(read + dry run + apply) under 120 s on PostgreSQL** (SQLite reported too). The file is
generated like a province's list: two products per producer, addresses half written the
way before 2025 ("xã X, huyện Y, tỉnh Z") and half the way since, 40 decisions of 500
products dated 2023-2025. The catalogue's listings are refreshed afterwards by the worker
(not timed: they follow the register).
"""

from __future__ import annotations

import datetime
import io
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _world  # noqa: E402

FIRST_DECISION = datetime.date(2023, 3, 1)
TARGET_PRODUCTS = 20_000
TARGET_SECONDS = 120.0
LAM_DONG = 68
HEADER = [
    "STT", "Tên sản phẩm", "Tên chủ thể", "Mã số thuế", "Địa chỉ", "Nhóm sản phẩm",
    "Hạng sao", "Điểm", "Số quyết định", "Ngày quyết định",
]  # fmt: skip
GROUPS = [
    "Chè tươi, chè chế biến",
    "Sản phẩm cà phê, ca cao",
    "Chế biến từ rau, củ, quả, hạt",
    "Rau, củ, quả, hạt tươi",
    "Mật ong, mật khác và nông sản thực phẩm khác",
    "Thủ công mỹ nghệ gia dụng, trang trí",
]


def workbook(products: int) -> bytes:
    """The province's list as an .xlsx file (a title above the header, as many keep it)."""
    from openpyxl import Workbook

    from ocop.geo.models import CommuneSuccession
    from ocop.producers.demo import tax_code_for

    rng = random.Random(2026)
    legacy = list(
        CommuneSuccession.objects.filter(commune__province_id=LAM_DONG, is_partial=False)
        .select_related("legacy_commune__district__province", "commune__province")
        .order_by("legacy_commune_id")
    )
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Danh sách")
    sheet.append(["DANH SÁCH SẢN PHẨM OCOP TỈNH LÂM ĐỒNG"])
    sheet.append(HEADER)
    for n in range(products):
        p = n // 2
        s = legacy[p % len(legacy)]
        if p % 2:
            lc = s.legacy_commune
            address = (
                f"Thôn {p % 9 + 1}, {lc.name}, {lc.district.name}, {lc.district.province.name}"
            )
        else:
            address = f"Thôn {p % 9 + 1}, {s.commune.name}, {s.commune.province.name}"
        decision = n // 500
        stars = 4 if rng.random() < 0.3 else 3
        sheet.append([
            n + 1, f"Sản phẩm {n + 1} của chủ thể {p + 1}", f"Hợp tác xã Nông nghiệp số {p + 1}",
            tax_code_for(900_000 + p), address, GROUPS[n % len(GROUPS)], stars,
            round(rng.uniform(50 if stars == 3 else 70, 69 if stars == 3 else 89), 1),
            f"{1000 + decision}/QĐ-UBND",
            (FIRST_DECISION + datetime.timedelta(days=20 * decision)).strftime("%d/%m/%Y"),
        ])  # fmt: skip
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def one(kind: str, products: int) -> int:
    with _world.database(kind):
        from django.conf import settings
        from django.core.files.uploadedfile import SimpleUploadedFile
        from django.core.management import call_command

        from ocop.accounts.models import Membership, Role, User
        from ocop.certificates.models import Certificate
        from ocop.geo.models import Province
        from ocop.imports import services
        from ocop.producers.models import Producer

        settings.MEDIA_ROOT = Path(os.environ.get("TMPDIR", "/tmp")) / "ocop-bench-media"
        call_command("load_units", verbosity=0)
        call_command("load_criteria", verbosity=0)
        officer = User.objects.create_user(email="tinh@bench.ocop.vn", full_name="Bench")
        Membership.objects.create(user=officer, role=Role.PROVINCIAL_OFFICER, province_id=LAM_DONG)
        content = workbook(products)
        label = "SQLite" if kind == "sqlite" else "PostgreSQL"
        started = time.perf_counter()
        job = services.job_upload(
            actor=officer, province=Province.objects.get(pk=LAM_DONG), kind="decisions",
            file=SimpleUploadedFile("danh-sach.xlsx", content),
        )  # fmt: skip
        read = time.perf_counter()
        job = services.job_check(actor=officer, job=job)
        checked = time.perf_counter()
        rows = job.summary["rows"]
        for row in [r for r in job.report if r["outcome"] == "error"][:5]:
            print("  error:", row["row"], row["errors"])
        job = services.job_apply(actor=officer, job=job, background=False, skip_errors=True)
        applied = time.perf_counter()
        total = applied - started
        written = job.summary["written"]
        ok = (
            rows["error"] == 0
            and Certificate.objects.count() == products
            and Producer.objects.count() == products // 2
        )
        print(
            f"{label}: {products:,} rows ({len(content) / 1e6:.1f} MB .xlsx) — read "
            f"{read - started:.1f} s, dry run {checked - read:.1f} s, apply (dry run again + "
            f"write) {applied - checked:.1f} s; total {total:.1f} s"
        )
        print(f"  rows: {rows}; written: {written}")
        again = time.perf_counter()
        job2 = services.job_upload(
            actor=officer, province=job.province, kind="decisions",
            file=SimpleUploadedFile("danh-sach.xlsx", content),
        )  # fmt: skip
        job2 = services.job_check(actor=officer, job=job2)
        print(
            f"  the same file again: {job2.summary['rows']} in {time.perf_counter() - again:.1f} s"
        )
        ok = ok and job2.summary["rows"]["unchanged"] == products
        if kind != "sqlite":
            verdict = "met" if total < TARGET_SECONDS and ok else "MISSED"
            print(f"  target: under {TARGET_SECONDS:.0f} s on PostgreSQL — {verdict}")
            return 0 if verdict == "met" else 1
        return 0 if ok else 1


def main() -> int:
    return _world.each_database(__file__, one, [TARGET_PRODUCTS])


if __name__ == "__main__":
    sys.exit(main())
