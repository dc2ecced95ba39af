"""The stamp generator killed midway, for real: a separate process generating a run is sent
SIGKILL, then the run is generated again; the count is exact and no serial repeats. Runs on
PostgreSQL, where another process can reach the test database."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from ocop.traceability import services
from ocop.traceability.models import RunStatus, Stamp, StampRun

ROOT = Path(settings.BASE_DIR)


def _database_url() -> str:
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_a_killed_generator_resumes_with_an_exact_count(member, batch):
    quantity = 150_000
    run = services.stamp_run_order(actor=member, batch=batch, quantity=quantity)
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "ocop_stamps", "generate", str(run.pk), "--chunk", "2000"],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": _database_url()},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 60
        while StampRun.objects.get(pk=run.pk).issued < 20_000:
            assert worker.poll() is None, worker.stderr.read().decode()
            assert time.monotonic() < deadline, "the generator made no progress"
            time.sleep(0.05)
        worker.send_signal(signal.SIGKILL)
    finally:
        worker.wait(timeout=30)
        worker.stderr.close()
    run.refresh_from_db()
    stored = Stamp.objects.filter(run=run).count()
    assert run.issued == stored  # every committed chunk counted, nothing half-written
    assert 20_000 <= stored < quantity and run.status == RunStatus.RUNNING
    run = services.stamp_run_generate(run_id=run.pk)
    assert run.status == RunStatus.DONE
    assert run.issued == Stamp.objects.filter(run=run).count() == quantity
    assert Stamp.objects.values("serial").distinct().count() == Stamp.objects.count()
