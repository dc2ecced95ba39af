"""Benchmark: generating a run of 1,000,000 stamps (target: under 60 s), on SQLite and on
PostgreSQL.

Run: .venv/bin/python bench/bench_stamps.py [COUNT] — SQLite in a temporary file, then
PostgreSQL (a database `ocop_bench` created and dropped on 127.0.0.1:5432, user postgres)
when one answers; BENCH_POSTGRES_URL overrides that address. Each database runs in its own
process. The time measured is `services.stamp_run_generate`, the function the background
task runs: random serials, chunked inserts, each chunk committed with the run's counter.
Exits 1 when a target is missed.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _world  # noqa: E402

TARGET_STAMPS = 1_000_000
TARGET_SECONDS = 60.0


def one(kind: str, count: int) -> int:
    with _world.database(kind):
        from ocop.traceability import services
        from ocop.traceability.models import Stamp, StampRun

        _product, batch = _world.product_with_batch()
        run = StampRun.objects.create(batch=batch, producer_id=batch.producer_id, quantity=count)
        start = time.perf_counter()
        run = services.stamp_run_generate(run_id=run.pk)
        seconds = time.perf_counter() - start
        stored = Stamp.objects.filter(run=run).count()
        distinct = Stamp.objects.values("serial").distinct().count()
        label = "SQLite" if kind == "sqlite" else "PostgreSQL"
        rate = count / seconds
        ok = seconds < TARGET_SECONDS * count / TARGET_STAMPS and stored == distinct == count
        print(
            f"{label:<10} {count:>9,} stamps in {seconds:6.1f} s ({rate:,.0f}/s); "
            f"stored {stored:,}, distinct {distinct:,}; target < {TARGET_SECONDS:.0f} s per "
            f"{TARGET_STAMPS:,}: {'met' if ok else 'MISSED'}"
        )
        return 0 if ok else 1


def main() -> int:
    if len(sys.argv) > 2 and sys.argv[1] == "--one":
        return one(sys.argv[2], int(sys.argv[3]))
    count = int(sys.argv[1]) if len(sys.argv) > 1 else TARGET_STAMPS
    kinds = ["sqlite"]
    pg = os.environ.get("BENCH_POSTGRES_URL", _world.PG_DEFAULT)
    if _world.postgres_answers():
        kinds.append(pg)
    else:
        print("PostgreSQL does not answer on 127.0.0.1:5432: SQLite only")
    failed = 0
    for kind in kinds:
        failed |= subprocess.call([sys.executable, __file__, "--one", kind, str(count)])
    return failed


if __name__ == "__main__":
    sys.exit(main())
