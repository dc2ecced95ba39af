"""A throw-away database for a benchmark: SQLite in a temporary file, or a PostgreSQL
database created (and dropped) on the server of a postgres:// URL. Django is set up on it
and migrated; `product_with_batch` adds the rows a stamp run needs."""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
PG_DEFAULT = "postgres://postgres@127.0.0.1:5432/ocop_bench"


def postgres_answers(host: str = "127.0.0.1", port: int = 5432) -> bool:
    import socket

    try:
        socket.create_connection((host, port), timeout=1).close()
    except OSError:
        return False
    return True


@contextmanager
def database(kind: str):
    """Yield the DATABASE_URL of a fresh, migrated database of `kind` ("sqlite" or a
    postgres:// URL); remove it afterwards."""
    if kind == "sqlite":
        with tempfile.TemporaryDirectory() as tmp:
            url = f"sqlite:///{tmp}/bench.sqlite3"
            _setup(url)
            yield url
        return
    import psycopg

    parts = urlsplit(kind)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres", scheme="postgresql"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        _setup(kind)
        yield kind
    finally:
        from django.db import connections

        connections.close_all()
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _setup(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ocop.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def product_with_batch(*, gtin: str | None = "8934563138165"):
    """A producer in Lâm Đồng, a product (with a GTIN) and one batch of it."""
    import datetime

    from django.core.management import call_command

    from ocop.criteria.models import ProductGroup
    from ocop.geo.models import Commune
    from ocop.geo.services import units_load
    from ocop.producers.models import Producer
    from ocop.products.models import Product
    from ocop.traceability.models import Batch

    units_load(province_codes={68})
    call_command("load_criteria", verbosity=0)
    commune = Commune.objects.filter(province_id=68).order_by("pk").first()
    producer = Producer.objects.create(
        legal_name="Hợp tác xã Bench",
        producer_type="cooperative",
        tax_code="0100233488",
        representative_name="Nguyễn Văn An",
        commune=commune,
        status="active",
    )
    product = Product.objects.create(
        producer=producer,
        product_group=ProductGroup.objects.order_by("pk").first(),
        name="Cà phê Bench",
        gtin=gtin,
    )
    batch = Batch.objects.create(
        product=product,
        producer=producer,
        lot="L2026-BENCH",
        produced_on=datetime.date(2026, 11, 1),
        quantity=1_000_000,
        unit="gói",
    )
    return product, batch


def each_database(script: str, one, defaults: list[int], *, postgres_url: str = PG_DEFAULT) -> int:
    """A benchmark's main: `script --one KIND N...` runs `one(KIND, N...)` in this process;
    otherwise the script runs itself once per database (SQLite, then PostgreSQL when one
    answers) in fresh processes, with the numbers given on its command line or `defaults`.
    The status is 1 if any run missed a target."""
    import os
    import subprocess

    if len(sys.argv) > 2 and sys.argv[1] == "--one":
        return one(sys.argv[2], *(int(a) for a in sys.argv[3:]))
    numbers = [int(a) for a in sys.argv[1:]] + defaults[len(sys.argv) - 1 :]
    kinds = ["sqlite"]
    if postgres_answers():
        kinds.append(os.environ.get("BENCH_POSTGRES_URL", postgres_url))
    else:
        print("PostgreSQL does not answer on 127.0.0.1:5432: SQLite only")
    failed = 0
    for kind in kinds:
        failed |= subprocess.call([sys.executable, script, "--one", kind, *map(str, numbers)])
    return failed


# --- Results ----------------------------------------------------------------------------------

RESULTS = ROOT / "bench" / "results"


def machine() -> dict:
    """What the figures were measured on."""
    import platform

    model, memory = "", 0
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    with contextlib.suppress(OSError, ValueError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = int(line.split()[1]) // 1024
    return {
        "cpu": model,
        "cores": os.cpu_count(),
        "memory_mb": memory,
        "system": platform.platform(),
        "python": platform.python_version(),
    }


def database_version() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT sqlite_version()")
            return f"SQLite {cursor.fetchone()[0]}"
        cursor.execute("SHOW server_version")
        return f"PostgreSQL {cursor.fetchone()[0]}"


def figure(name: str, value: float, unit: str, *, target: str = "", met: bool | None = None,
           baseline: float | None = None, baseline_name: str = "") -> dict:  # fmt: skip
    """One measured figure, with its target and, where there is one, the baseline measured in
    the same run and the ratio to it."""
    entry = {"name": name, "value": round(value, 3), "unit": unit}
    if target:
        entry |= {"target": target, "met": met}
    if baseline:
        entry |= {
            "baseline": baseline_name,
            "baseline_value": round(baseline, 3),
            "ratio": round(value / baseline, 3),
        }
    return entry


def record(bench: str, database: str, figures: list[dict], **about) -> Path:
    """Write bench/results/<bench>-<database>.json: the figures, the machine, the database's
    version, the commit and the time. Returns the path."""
    import datetime
    import json
    import subprocess

    RESULTS.mkdir(exist_ok=True)
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    kind = "sqlite" if database.startswith("SQLite") else "postgresql"
    path = RESULTS / f"{bench}-{kind}.json"
    document = {
        "bench": bench,
        "database": database,
        "measured_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "commit": commit,
        "machine": machine(),
        **about,
        "figures": figures,
        "all_met": all(f.get("met", True) for f in figures),
    }
    path.write_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n")
    print(f"  results: {path.relative_to(ROOT)}")
    return path
