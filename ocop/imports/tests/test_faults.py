"""An import killed while it writes, for real: a separate process applying a file is sent
SIGKILL in the middle of its transaction. Nothing of the file is in the register, the job
shows it stalled, and checked and applied again it lands whole. PostgreSQL only, where
another process can reach the test database and its queries can be watched."""

import csv
import datetime
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import connection

from ocop.certificates.models import Certificate
from ocop.imports import services
from ocop.imports.models import ImportJob, ImportStatus
from ocop.producers.demo import tax_code_for
from ocop.products.models import Product

ROOT = Path(django_settings.BASE_DIR)
ROWS = 3000


def _database_url() -> str:
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _file(path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["Tên sản phẩm", "Tên chủ thể", "Mã số thuế", "Địa chỉ", "Nhóm sản phẩm",
                      "Hạng sao", "Số quyết định", "Ngày quyết định"])  # fmt: skip
        for n in range(ROWS):
            tax = tax_code_for(800_000 + n // 2)
            out.writerow([f"Sản phẩm {n}", f"Hợp tác xã số {n // 2}", tax,
                          "Xã Lạc Dương, Lâm Đồng", "Sản phẩm cà phê, ca cao", 3 + n % 2,
                          f"{1 + n // 1000}/QĐ-UBND", "16/09/2024"])  # fmt: skip


def _writing() -> bool:
    """Another backend is inside the import's INSERTs."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE pid <> pg_backend_pid() "
            "AND datname = current_database() AND query ILIKE 'INSERT INTO \"products_product\"%%'"
        )
        return cursor.fetchone()[0] > 0


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_an_import_killed_while_writing_leaves_nothing_and_applies_again(
    world, criteria, tmp_path, settings
):
    path = tmp_path / "danh-sach.csv"
    _file(path)
    officer = world.users["provincial_officer"]
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "ocop_import", str(path), "--province", "68",
         "--as", officer.email, "--apply"],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": _database_url(), "MEDIA_ROOT": str(settings.MEDIA_ROOT)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 240
        while not _writing():
            assert worker.poll() is None, worker.stderr.read().decode()
            assert time.monotonic() < deadline, "the import never reached its writes"
            time.sleep(0.02)
        worker.send_signal(signal.SIGKILL)
    finally:
        worker.wait(timeout=30)
        worker.stderr.close()
    time.sleep(0.5)  # the server notices the dead client and rolls its transaction back
    assert not Product.objects.exists() and not Certificate.objects.exists()
    job = ImportJob.objects.filter(status=ImportStatus.APPLYING).get()
    assert not job.stalled  # not yet: it might still be running
    ImportJob.objects.filter(pk=job.pk).update(
        updated_at=job.updated_at - datetime.timedelta(hours=1)
    )
    job.refresh_from_db()
    assert job.stalled
    job = services.job_check(actor=officer, job=job)
    services.job_apply(actor=officer, job=job, background=False)
    assert Product.objects.count() == Certificate.objects.count() == ROWS
