"""Benchmark: the national dashboard at national scale through a real server (gunicorn), on
SQLite and on PostgreSQL: the catalogue of bench_catalog.py (20,000 recognised products of
10,000 producers, with their certificates) seen by a central officer.

Run: .venv/bin/python bench/bench_dashboard.py [PRODUCTS] — SQLite in a temporary file, then
PostgreSQL (`ocop_bench` on 127.0.0.1:5432) when one answers. Target: the national dashboard
(every figure, charts drawn) **p95 under 200 ms on PostgreSQL** (SQLite reported too).
Measured with bench_scan.py's load generator: 2 connections for 10 s, logged in (a session
cookie made for the officer before the clock starts).
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _world  # noqa: E402
import bench_catalog  # noqa: E402
import bench_scan as load  # noqa: E402

TARGET_P95_MS = 200.0
CONNECTIONS = 2
SECONDS = 10.0


def _session_cookie() -> str:
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from ocop.accounts.models import Membership, Role, User

    user = User.objects.create_user(email="trunguong@bench.ocop.vn", full_name="Bench")
    Membership.objects.create(user=user, role=Role.CENTRAL_OFFICER)
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]  # not axes
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def _check(port: int, request: bytes) -> tuple[int, bytes]:
    """One request read whole before measuring: the status and the head of the answer."""
    import socket

    with socket.create_connection((load.HOST, port), timeout=60) as sock:
        sock.sendall(request.replace(b"\r\n\r\n", b"\r\nConnection: close\r\n\r\n", 1))
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    return int(data.split()[1]), data[:2000]


def one(kind: str, products: int) -> int:
    label = "SQLite" if kind == "sqlite" else "PostgreSQL"
    with _world.database(kind) as url, tempfile.TemporaryDirectory() as tmp:
        from django.db import connections
        from django.test import override_settings

        bench_catalog.build(products)
        database = _world.database_version()
        data_ms = _data_access_ms()
        env = load.server_env(url)
        # The session is signed, and its user's hash made, with the server's secret key.
        with override_settings(SECRET_KEY=env["SECRET_KEY"]):
            cookie = _session_cookie()
        connections.close_all()
        load.collect_static(tmp)
        env["STATIC_ROOT"] = tmp
        os.environ["STATIC_ROOT"] = tmp
        with load.serving(env, tmp) as (port, server, _log):
            request = load.request_bytes("/bao-cao/", port).replace(
                b"\r\n\r\n", f"\r\nCookie: {cookie}\r\n\r\n".encode()
            )
            status, head = _check(port, request)
            if status != 200:
                print(f"{label}: the dashboard answered {status}: {head[:300]!r}")
                return 1
            load.CONNECTIONS = CONNECTIONS
            warm = load.closed_loop(port, server.pid, [request], count=20)
            result = load.closed_loop(port, server.pid, [request], seconds=SECONDS)
            healthz = [load.request_bytes("/healthz", port)]
            baseline = load.closed_loop(port, server.pid, healthz, seconds=SECONDS / 2)
    p95 = result.percentile_ms(95)
    errors = warm.errors + result.errors
    ok = errors == 0 and (kind == "sqlite" or p95 < TARGET_P95_MS)
    print(
        f"{label}: national dashboard, {products:,} products: {result.rps:.1f} req/s, "
        f"p50 {result.percentile_ms(50):.1f} ms, p95 {p95:.1f} ms, p99 "
        f"{result.percentile_ms(99):.1f} ms, errors {errors}; target p95 < "
        f"{TARGET_P95_MS:.0f} ms on PostgreSQL: {'met' if ok else 'MISSED'}"
    )
    print(
        f"  baselines: /healthz {baseline.rps:,.0f} req/s (dashboard/baseline "
        f"{result.rps / baseline.rps:.3f}); counting every figure straight from the ORM, "
        f"uncached, {data_ms:.1f} ms "
        f"(dashboard p50 / that {result.percentile_ms(50) / data_ms:.2f})"
    )
    _world.record("dashboard", database, [
        _world.figure("dashboard p95", p95, "ms", target=f"< {TARGET_P95_MS:.0f} ms (PostgreSQL)",
                      met=ok),
        _world.figure("dashboard p50", result.percentile_ms(50), "ms", baseline=data_ms,
                      baseline_name="every figure counted from the ORM, uncached (ms)"),
        _world.figure("dashboard throughput", result.rps, "req/s", baseline=baseline.rps,
                      baseline_name="/healthz throughput (req/s)"),
        _world.figure("errors", errors, "requests", target="0", met=errors == 0),
    ], products=products, connections=CONNECTIONS, workers=load.WORKERS)  # fmt: skip
    return 0 if ok else 1


def _data_access_ms(repeat: int = 5) -> float:
    """The data access the dashboard needs, without the page: every figure of the nation
    counted through the ORM with no cache (median of `repeat`)."""
    import statistics

    from django.utils import timezone

    from ocop.reports.figures import Area, _all_figures

    today = timezone.localdate()
    times = []
    for _ in range(repeat):
        begin = time.perf_counter()
        _all_figures(Area(), today.year, today, True)
        times.append((time.perf_counter() - begin) * 1000)
    return statistics.median(times)


def main() -> int:
    return _world.each_database(__file__, one, [bench_catalog.TARGET_PRODUCTS])


if __name__ == "__main__":
    sys.exit(main())
