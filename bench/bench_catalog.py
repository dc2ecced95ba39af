"""Benchmark: the public catalogue at national scale through a real server (gunicorn), on
SQLite and on PostgreSQL: 20,000 recognised products of 10,000 producers in the 34 provinces
(the programme counts about 17,000).

Run: .venv/bin/python bench/bench_catalog.py [PRODUCTS] — SQLite in a temporary file, then
PostgreSQL (a database `ocop_bench` created and dropped on 127.0.0.1:5432) when one answers;
BENCH_POSTGRES_URL overrides that address. Each database runs in its own process. Exits 1
when a target is missed.

Targets: search p95 under 50 ms, the catalogue home page p95 under 100 ms.

Set-up, not timed: the units of the 34 provinces, the criteria sets (product groups), and
bulk inserts of producers, products, imported decisions with their certificates, and the
catalogue listings (what `catalog.services.listing_refresh` writes, built here in bulk; the
search index follows them: FTS5 triggers on SQLite, the generated tsvector on PostgreSQL).
Names are made from real product kinds and place names, so searches match what people type.

Measured with bench_scan.py's load generator, against gunicorn with the production settings
(DEBUG off, 2 sync workers): closed loop with CONNECTIONS concurrent connections for SECONDS,
for the home page and for search pages cycling through QUERIES (with and without filters and
sorts, with words people type without diacritics); latency of every request, p50/p95/p99.
"""

from __future__ import annotations

import datetime
import os
import random
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _world  # noqa: E402
import bench_scan as load  # noqa: E402  (the load generator and the server's start/stop)

TARGET_PRODUCTS = 20_000
PRODUCERS = 10_000
TARGET_SEARCH_P95_MS = 50.0
TARGET_HOME_P95_MS = 100.0
CONNECTIONS = 2
SECONDS = 10.0

KINDS = [
    ("Chè Shan Tuyết", "tea"),
    ("Chè búp", "tea"),
    ("Trà atiso", "herbal-tea"),
    ("Cà phê Robusta", "coffee-cocoa"),
    ("Cà phê Arabica", "coffee-cocoa"),
    ("Mật ong rừng", "honey-other-farm-food"),
    ("Gạo tám thơm", "rice-grains"),
    ("Gạo ST25", "rice-grains"),
    ("Nước mắm cá cơm", "liquid-condiments"),
    ("Mứt gừng", "processed-produce"),
    ("Bưởi da xanh", "fresh-produce"),
    ("Xoài cát", "fresh-produce"),
    ("Rượu cần", "white-spirits"),
    ("Miến dong", "processed-rice-grains"),
    ("Chả cá", "processed-meat-seafood-eggs-milk-honey"),
    ("Tinh dầu sả", "essential-oils-other-herbs"),
    ("Gốm men lam", "handicrafts"),
    ("Thổ cẩm", "textiles-garments"),
]
QUALIFIERS = ["", "hữu cơ", "đặc biệt", "truyền thống", "loại 1", "sấy lạnh", "thượng hạng"]
KINDS_OF_PRODUCER = ["cooperative", "enterprise", "cooperative_group", "household"]
PREFIX = {
    "cooperative": "Hợp tác xã",
    "enterprise": "Công ty TNHH",
    "cooperative_group": "Tổ hợp tác",
    "household": "Hộ kinh doanh",
}
QUERIES = [
    {"q": "che shan tuyet"},
    {"q": "ca phe"},
    {"q": "mat ong rung"},
    {"q": "gao"},
    {"q": "nuoc mam"},
    {"q": "huu co"},
    {"q": "cà phê arabica"},
    {"q": "tra atiso", "stars": 4},
    {"q": "ca phe", "province": 68},
    {"q": "chè", "sort": "stars"},
    {"q": "gom men lam"},
    {"q": "xoai cat dac biet"},
    {"province": 1},
    {"stars": 5, "sort": "newest"},
    {"q": "buoi da xanh", "producer_type": "cooperative"},
    {"q": "tinh dau"},
]


def build(products: int) -> None:
    """The national-scale catalogue, in bulk."""
    from django.core.management import call_command
    from django.db import transaction

    from ocop.catalog.models import Listing
    from ocop.certificates.models import Certificate, DecisionItem, RecognitionDecision
    from ocop.criteria.models import ProductGroup
    from ocop.geo.models import Commune, Province
    from ocop.geo.services import units_load
    from ocop.producers.demo import tax_code_for
    from ocop.producers.models import Producer
    from ocop.products.models import Product
    from ocop.search.text import fold

    units_load()
    call_command("load_criteria", verbosity=0)
    rng = random.Random(2026)
    groups = {g.code: g for g in ProductGroup.objects.filter(branch__decision__code="qd148-2023")}
    communes = list(Commune.objects.select_related("province"))
    provinces = {p.pk: p for p in Province.objects.all()}
    with transaction.atomic():
        producers = []
        for n in range(PRODUCERS):
            commune = rng.choice(communes)
            kind = rng.choice(KINDS_OF_PRODUCER)
            place = commune.name.split(" ", 1)[-1]
            producers.append(
                Producer(
                    legal_name=f"{PREFIX[kind]} {rng.choice(KINDS)[0]} {place} {n}",
                    producer_type=kind,
                    tax_code=tax_code_for(n + 1000) if kind != "household" else None,
                    representative_name="Nguyễn Văn An",
                    commune=commune,
                    status="active",
                )
            )
        producers = Producer.objects.bulk_create(producers, batch_size=2000)
        items = []
        for n in range(products):
            producer = producers[n % PRODUCERS]
            kind, group = rng.choice(KINDS)
            place = producer.commune.name.split(" ", 1)[-1]
            name = " ".join(x for x in (kind, place, rng.choice(QUALIFIERS)) if x)
            items.append((producer, name, groups[group], rng.choice((3, 3, 3, 4, 4, 5))))
        made = Product.objects.bulk_create(
            [Product(producer=p, product_group=g, name=name) for p, name, g, _s in items],
            batch_size=2000,
        )
        decisions = {
            code: RecognitionDecision.objects.create(
                number=f"{1000 + code}/QĐ-UBND",
                date=datetime.date(2025, 9, 1),
                issuer=f"Ủy ban nhân dân {p.name}",
                signer_name="Nguyễn Văn Bình",
                signer_title="Chủ tịch",
                level="province",
                province=p,
                status="issued",
            )
            for code, p in provinces.items()
        }
        decision_items = DecisionItem.objects.bulk_create(
            [
                DecisionItem(
                    decision=decisions[p.commune.province_id],
                    product=product,
                    producer=p,
                    product_group=g,
                    stars=stars,
                )
                for product, (p, _n, g, stars) in zip(made, items, strict=True)
            ],
            batch_size=2000,
        )
        today = datetime.date.today()
        certificates = Certificate.objects.bulk_create(
            [
                Certificate(
                    number=f"{p.commune.province_id:02d}-2025-{n + 1:06d}",
                    product=product,
                    producer=p,
                    stars=stars,
                    decision=item.decision,
                    item=item,
                    issued_on=today - datetime.timedelta(days=rng.randrange(1, 1000)),
                    expires_on=today + datetime.timedelta(days=rng.randrange(30, 1000)),
                )
                for n, (product, item, (p, _name, _g, stars)) in enumerate(
                    zip(made, decision_items, items, strict=True)
                )
            ],
            batch_size=2000,
        )
        Listing.objects.bulk_create(
            [
                Listing(
                    product=product,
                    certificate=c,
                    slug="san-pham",
                    name=name,
                    producer=p,
                    producer_type=p.producer_type,
                    product_group=g,
                    commune=p.commune,
                    province=p.commune.province,
                    stars=stars,
                    recognised_on=c.issued_on,
                    valid_until=c.expires_on,
                    name_text=fold(name),
                    producer_text=fold(p.legal_name),
                    body_text=fold(f"{g.name_vi} {p.commune.name} {p.commune.province.name}"),
                )
                for product, c, (p, name, g, stars) in zip(made, certificates, items, strict=True)
            ],
            batch_size=2000,
        )


def _table(label: str, result) -> str:
    return (
        f"  {label:<18} {result.rps:7.1f} req/s  p50 {result.percentile_ms(50):6.1f} ms  "
        f"p95 {result.percentile_ms(95):6.1f} ms  p99 {result.percentile_ms(99):6.1f} ms  "
        f"errors {result.errors}"
    )


def one(kind: str, products: int) -> int:
    with _world.database(kind) as url:
        started = time.perf_counter()
        build(products)
        from django.db import connections

        from ocop.catalog.models import Listing

        listed = Listing.objects.count()
        setup = time.perf_counter() - started
        connections.close_all()  # the server's workers have the database to themselves
        label = "SQLite" if kind == "sqlite" else "PostgreSQL"
        with tempfile.TemporaryDirectory() as static_root:
            os.environ["STATIC_ROOT"] = static_root
            load.collect_static(static_root)
            env = load.server_env(url)
            env["STATIC_ROOT"] = static_root
            port = load.free_port()
            log = Path(static_root) / "gunicorn.log"
            server = load.start_gunicorn(env, port, log)
            try:
                load.wait_until_up(port, server, log)
                home = [load.request_bytes("/san-pham-ocop/", port)]
                searches = [
                    load.request_bytes("/san-pham-ocop/tim-kiem/?" + urlencode(q), port)
                    for q in QUERIES
                ]
                for path in ("/san-pham-ocop/", "/san-pham-ocop/tim-kiem/?q=ca+phe"):
                    status, body = load.fetch_page(port, path)
                    if status != 200:
                        raise RuntimeError(f"{path} answered {status}: {body[:500]!r}")
                load.closed_loop(port, server.pid, home + searches, count=200)  # warm-up
                load.CONNECTIONS = CONNECTIONS
                home_result = load.closed_loop(port, server.pid, home, seconds=SECONDS)
                search_result = load.closed_loop(port, server.pid, searches, seconds=SECONDS)
            finally:
                load.stop(server)
        ok = (
            home_result.errors == 0
            and search_result.errors == 0
            and search_result.percentile_ms(95) < TARGET_SEARCH_P95_MS
            and home_result.percentile_ms(95) < TARGET_HOME_P95_MS
        )
        print(f"{label}: {listed:,} listed products, {PRODUCERS:,} producers, set-up {setup:.0f} s")
        print(_table("catalogue home", home_result))
        print(_table(f"search ({len(QUERIES)} kinds)", search_result))
        print(
            f"  targets: search p95 < {TARGET_SEARCH_P95_MS:.0f} ms, home p95 < "
            f"{TARGET_HOME_P95_MS:.0f} ms ({CONNECTIONS} connections, gunicorn {load.WORKERS} "
            f"workers): {'met' if ok else 'MISSED'}"
        )
        return 0 if ok else 1


def main() -> int:
    return _world.each_database(__file__, one, [TARGET_PRODUCTS])


if __name__ == "__main__":
    sys.exit(main())
