"""Benchmark: the public stamp scan page through a real server (gunicorn) with 1,000,000 stamps
in the database, on SQLite and on PostgreSQL, against `/healthz` (a trivial Django view on the
same server, no database) as the baseline.

Run: .venv/bin/python bench/bench_scan.py [COUNT] — SQLite in a temporary file, then
PostgreSQL (a database `ocop_bench` created and dropped on 127.0.0.1:5432, user postgres)
when one answers; BENCH_POSTGRES_URL overrides that address. Each database runs in its own
process. Takes about 3 minutes for 1,000,000 stamps. Exits 1 when a target is missed.

Targets: the scan page's closed-loop throughput is at least half the baseline's, and its p99
latency at an open-loop 100 requests/s is under 50 ms; no request fails (any answer but 200,
or a connection error), and every scan answered was logged (a Scan row each).

Set-up, not timed: static files collected into a temporary STATIC_ROOT (DEBUG is off, so the
manifest storage must find the files the page names); a fresh database with COUNT stamps
(default 1,000,000) in one run; SAMPLE random serials read back for the URLs (GS1 Digital
Link paths); gunicorn started on a free loopback port with production settings (DEBUG=false,
a SECRET_KEY of its own, ALLOWED_HOSTS=127.0.0.1).

Measured, with a small load generator written here (threads, one blocking socket each,
HTTP/1.1 keep-alive while the server keeps a connection open, a new connection when it closes
it; no http.client, whose header parsing costs more than a request to /healthz): a warm-up of
WARMUP requests of each URL; closed-loop maximum throughput, CONNECTIONS connections each
sending its next request when the last answer is read, for SECONDS, for /healthz and for the
scan page over the sampled serials; then open loop at RATE requests/s for OPEN_SECONDS, scan
page and /healthz: requests are due on a fixed timetable and each latency is counted from when
its request was due, so a server falling behind shows as queueing delay instead of a slower
send rate (no coordinated omission). Last, the floors of bench/floor.py, closed loop: the
same server answering one indexed read of the stamp, and that read with the scan logged as
the page logs it, with nothing rendered; they show how far under the throughput target any
page that must read and log each scan stays on this stack. Next to each row, the CPU used in
cores (the machine has 2): gunicorn (master and workers), PostgreSQL's processes, the load
generator, and the rest of the machine, which is anything else running meanwhile and makes
the figures unreliable.

gunicorn runs 2 sync workers (BENCH_WORKERS and BENCH_THREADS override; threads > 1 means
gthread workers). The scan page is CPU-bound Python, so one process per core is what the
machine can use: with 3 or 4 sync workers the figures were the same or worse (more contention
with PostgreSQL and the load generator), and gthread threads share one GIL per process. Sync
workers are gunicorn's default and the usual deployment behind a reverse proxy; they close the
connection after each answer, so every request, baseline and scan page alike, pays a loopback
TCP connect (gthread's keep-alive raised the baseline's throughput by about half in a trial,
and not the scan page's).
"""

from __future__ import annotations

import contextlib
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import _world  # noqa: E402

TARGET_STAMPS = 1_000_000
TARGET_RATIO = 0.5  # scan-page throughput / baseline throughput
TARGET_P99_MS = 50.0  # scan-page p99 at RATE requests/s
RATE = 100.0
SAMPLE = 20_000  # random serials the scan URLs cycle through
CONNECTIONS = 8  # closed loop
SECONDS = 10.0  # closed loop, per URL
OPEN_SECONDS = 15.0  # open loop, per URL
OPEN_CONNECTIONS = 32  # open loop: at most this many requests in flight
WARMUP = 300  # requests of each URL
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))
THREADS = int(os.environ.get("BENCH_THREADS", "1"))
HOST = "127.0.0.1"


# --- Load generator ----------------------------------------------------------------------------


class Connection:
    """One HTTP/1.1 client connection, kept open while the server keeps it open. Small on
    purpose: the client shares the CPUs with the server, and http.client's header parsing
    costs more than a request to /healthz."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.sock: socket.socket | None = None
        self.buffer = b""

    def close(self) -> None:
        if self.sock is not None:
            self.sock.close()
        self.sock = None
        self.buffer = b""

    def get(self, request: bytes) -> int:
        """Send one request and read its whole answer; return the status code."""
        reused = self.sock is not None
        try:
            return self._exchange(request)
        except ConnectionError:
            self.close()
            if not reused:
                raise
            # The server dropped an idle kept-alive connection before reading the request:
            # send it again on a new one, as any HTTP client does for a GET.
            return self._exchange(request)

    def _exchange(self, request: bytes) -> int:
        if self.sock is None:
            self.sock = socket.create_connection((HOST, self.port), timeout=30)
            self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.sock.sendall(request)
        while b"\r\n\r\n" not in self.buffer:
            self._receive()
        head, _, self.buffer = self.buffer.partition(b"\r\n\r\n")
        lines = head.split(b"\r\n")
        status = int(lines[0].split()[1])
        length, close = None, False
        for line in lines[1:]:
            name, _, value = line.partition(b":")
            name = name.strip().lower()
            if name == b"content-length":
                length = int(value)
            elif name == b"connection":
                close = value.strip().lower() == b"close"
        if length is None:
            raise ValueError("an answer without Content-Length")
        while len(self.buffer) < length:
            self._receive()
        self.buffer = self.buffer[length:]
        if close:
            self.close()
        return status

    def _receive(self) -> None:
        assert self.sock is not None
        chunk = self.sock.recv(65536)
        if not chunk:
            raise ConnectionError("the server closed the connection")
        self.buffer += chunk


def request_bytes(path: str, port: int) -> bytes:
    return (
        f"GET {path} HTTP/1.1\r\nHost: {HOST}:{port}\r\nUser-Agent: ocop-bench-scan/1\r\n"
        "Accept: text/html\r\nAccept-Language: vi\r\n\r\n"
    ).encode("ascii")


def _send(conn: Connection, request: bytes) -> int:
    try:
        return conn.get(request)
    except (OSError, ValueError):
        conn.close()
        return 0


@dataclass
class Result:
    requests: int
    seconds: float
    latencies: list[float]  # seconds, sorted
    errors: int
    cores: dict[str, float]  # CPU used during the run, in cores: see `_cpu`

    @property
    def rps(self) -> float:
        return self.requests / self.seconds

    def percentile_ms(self, p: float) -> float:
        # Nearest rank: the smallest latency that at least p of the requests did not exceed.
        rank = max(1, -(-len(self.latencies) * p // 100))
        return self.latencies[int(rank) - 1] * 1000


def _ticks(pid: int | str) -> int:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    except OSError:  # it has exited
        return 0
    return int(fields[11]) + int(fields[12])  # utime, stime


def _cpu(server_pid: int) -> dict[str, float]:
    """CPU seconds used so far by: the gunicorn master and its workers; every PostgreSQL
    process (the backends the workers talk to, and the WAL writer); this process (the load
    generator); and the whole machine, whose remainder is anything else running then, which
    skews the figures."""
    tick = os.sysconf("SC_CLK_TCK")
    server = [server_pid]
    with contextlib.suppress(OSError):  # a kernel without the file: the master only
        server += [
            int(p)
            for p in Path(f"/proc/{server_pid}/task/{server_pid}/children").read_text().split()
        ]
    postgres = {}
    for proc in Path("/proc").iterdir():
        with contextlib.suppress(OSError):
            if proc.name.isdigit() and (proc / "comm").read_text().strip() == "postgres":
                postgres[proc.name] = _ticks(proc.name) / tick
    line = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(x) for x in line)
    return {
        "server": sum(_ticks(p) for p in server) / tick,
        "postgres": postgres,  # by process: one may end or start in between
        "loadgen": time.process_time(),
        "machine": (user + nice + system + irq + softirq + steal) / tick,
    }


def cores_used(before: dict, after: dict, seconds: float) -> dict[str, float]:
    """Cores used between two `_cpu` readings `seconds` apart, with the machine's remainder
    as "other". A PostgreSQL process that ended in between takes its time with it (not
    counted); one that started counts from zero."""
    old = before["postgres"]
    postgres = sum(t - old.get(pid, 0.0) for pid, t in after["postgres"].items())
    cores = {k: (v - before[k]) / seconds for k, v in after.items() if k != "postgres"}
    cores["postgres"] = postgres / seconds
    cores["other"] = max(0.0, cores.pop("machine") - sum(cores.values()))
    return cores


def _run(server_pid: int, threads: int, work) -> Result:
    """Run `work(k, latencies)` on `threads` threads; each returns its error count."""
    outcomes: list[tuple[list[float], int]] = [([], 0)] * threads

    def target(k: int) -> None:
        latencies: list[float] = []
        outcomes[k] = (latencies, work(k, latencies))

    pool = [threading.Thread(target=target, args=(k,)) for k in range(threads)]
    before = _cpu(server_pid)
    start = time.perf_counter()
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    seconds = time.perf_counter() - start
    cores = cores_used(before, _cpu(server_pid), seconds)
    latencies = sorted(x for lat, _ in outcomes for x in lat)
    errors = sum(e for _, e in outcomes)
    return Result(len(latencies), seconds, latencies, errors, cores)


def closed_loop(
    port: int, pid: int, requests: list[bytes], *, seconds: float = 0, count: int = 0
) -> Result:
    """CONNECTIONS connections, each sending its next request as soon as the last answer is
    read, for `seconds` (or until `count` requests in all)."""

    def work(k: int, latencies: list[float]) -> int:
        conn, errors, i = Connection(port), 0, k
        deadline = time.perf_counter() + seconds
        while (count and i < count) or (not count and time.perf_counter() < deadline):
            begin = time.perf_counter()
            if _send(conn, requests[i % len(requests)]) != 200:
                errors += 1
            latencies.append(time.perf_counter() - begin)
            i += CONNECTIONS
        conn.close()
        return errors

    return _run(pid, CONNECTIONS, work)


def open_loop(port: int, pid: int, requests: list[bytes], *, rate: float, seconds: float) -> Result:
    """Request i is due at start + i/rate; a free connection takes the next due request and
    its latency is counted from when it was due, however late it could be sent."""
    total = int(rate * seconds)
    lock = threading.Lock()
    taken = [0]
    start = time.perf_counter() + 0.1  # let every thread start first

    def work(_k: int, latencies: list[float]) -> int:
        conn, errors = Connection(port), 0
        while True:
            with lock:
                i = taken[0]
                taken[0] += 1
            if i >= total:
                break
            due = start + i / rate
            wait = due - time.perf_counter()
            if wait > 0:
                time.sleep(wait)
            if _send(conn, requests[i % len(requests)]) != 200:
                errors += 1
            latencies.append(time.perf_counter() - due)
        conn.close()
        return errors

    result = _run(pid, OPEN_CONNECTIONS, work)
    # The rate achieved: from the first due time to the last answer.
    result.seconds -= 0.1
    return result


# --- The server --------------------------------------------------------------------------------


def server_env(database_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="ocop.settings",
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(48),
        ALLOWED_HOSTS=HOST,
        DATABASE_URL=database_url,
        SECURE_COOKIES="false",
        SECURE_SSL_REDIRECT="false",  # plain HTTP on loopback: a proxy ends TLS in production
        LOG_LEVEL="WARNING",
        # One load generator on loopback is one client: the per-client limits stay on (they
        # are part of the cost measured) but high enough not to refuse it.
        RATE_SCAN="10000000/m",
        RATE_SEARCH="10000000/m",
    )
    return env


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def start_gunicorn(env: dict[str, str], port: int, log: Path) -> subprocess.Popen:
    args = [str(Path(sys.executable).with_name("gunicorn")), "ocop.wsgi:application"]
    args += ["--bind", f"{HOST}:{port}", "--workers", str(WORKERS), "--log-level", "warning"]
    args += ["--graceful-timeout", "5", "--chdir", str(_world.ROOT)]
    if THREADS > 1:
        args += ["--worker-class", "gthread", "--threads", str(THREADS)]
    with log.open("wb") as out:
        return subprocess.Popen(args, env=env, stdout=out, stderr=subprocess.STDOUT)


@contextlib.contextmanager
def serving(env: dict[str, str], folder: str | Path):
    """gunicorn started with the environment `env` on a free loopback port, its log in
    `folder`, answering /healthz: yields (port, process, log file); stopped on leaving."""
    port = free_port()
    log = Path(folder) / "gunicorn.log"
    server = start_gunicorn(env, port, log)
    try:
        wait_until_up(port, server, log)
        yield port, server, log
    finally:
        stop(server)


def wait_until_up(port: int, server: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 60
    request = request_bytes("/healthz", port)
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited:\n{log.read_text()[-3000:]}")
        try:
            if Connection(port).get(request) == 200:
                return
        except (OSError, ValueError):
            pass
        time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer /healthz in 60 s:\n{log.read_text()[-3000:]}")


def stop(server: subprocess.Popen) -> None:
    if server.poll() is None:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def fetch_page(port: int, path: str) -> tuple[int, bytes]:
    """One request read whole (for the set-up check): the status and the body."""
    with socket.create_connection((HOST, port), timeout=30) as sock:
        sock.sendall(
            request_bytes(path, port).replace(b"\r\n\r\n", b"\r\nConnection: close\r\n\r\n")
        )
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split()[1]), body


# --- One database ------------------------------------------------------------------------------


def one(kind: str, count: int) -> int:
    label = "SQLite" if kind == "sqlite" else "PostgreSQL"
    with _world.database(kind) as url, tempfile.TemporaryDirectory() as tmp:
        from django.db import connections

        from ocop.traceability import codes, services
        from ocop.traceability.models import Scan, Stamp, StampRun

        product, batch = _world.product_with_batch()
        run = StampRun.objects.create(batch=batch, producer_id=batch.producer_id, quantity=count)
        begin = time.perf_counter()
        services.stamp_run_generate(run_id=run.pk)
        generated = time.perf_counter() - begin
        if connections["default"].vendor == "postgresql":
            # What autovacuum would do a minute later, done before the clock starts rather
            # than in the middle of a measurement.
            with connections["default"].cursor() as cursor:
                cursor.execute("VACUUM (ANALYZE) traceability_stamp")
        serials = list(Stamp.objects.order_by("?").values_list("serial", flat=True)[:SAMPLE])
        paths = [codes.stamp_path(gtin=product.gtin, lot=batch.lot, serial=s) for s in serials]
        connections.close_all()  # the server's workers have the database to themselves

        env = server_env(url)
        # The platform as served, plus the floors' two views (bench/floor.py).
        env["DJANGO_SETTINGS_MODULE"] = "floor_settings"
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(BENCH), env.get("PYTHONPATH")]))
        with serving(env, tmp) as (port, server, log):
            status, body = fetch_page(port, paths[0])
            if status != 200 or product.name.encode() not in body:
                print(f"{label}: the scan page answered {status}:\n{body[:2000]!r}")
                print(log.read_text()[-3000:])
                return 1
            health = [request_bytes("/healthz", port)]
            scans = [request_bytes(p, port) for p in paths]
            floor_reads = [request_bytes(f"/bench/floor/read/{s}", port) for s in serials]
            floor_scans = [request_bytes(f"/bench/floor/scan/{s}", port) for s in serials]
            closed_loop(port, server.pid, health, count=WARMUP)
            warm = closed_loop(port, server.pid, scans[-WARMUP:], count=WARMUP)
            results = {
                "/healthz, closed": closed_loop(port, server.pid, health, seconds=SECONDS),
                "scan page, closed": closed_loop(port, server.pid, scans, seconds=SECONDS),
                "scan page, open": open_loop(
                    port, server.pid, scans, rate=RATE, seconds=OPEN_SECONDS
                ),
                "/healthz, open": open_loop(
                    port, server.pid, health, rate=RATE, seconds=OPEN_SECONDS
                ),
            }
            closed_loop(port, server.pid, floor_reads[:WARMUP], count=WARMUP)
            floors = {
                "floor: read": closed_loop(port, server.pid, floor_reads, seconds=SECONDS),
                "floor: read+log": closed_loop(port, server.pid, floor_scans, seconds=SECONDS),
            }
        log_text = log.read_text().strip()
        # Every scan answered must have been logged: the server did the work measured.
        answered = 1 + sum(
            r.requests - r.errors
            for r in (
                warm,
                results["scan page, closed"],
                results["scan page, open"],
                floors["floor: read+log"],
            )
        )
        logged = Scan.objects.count()

    workers = f"{WORKERS} sync" if THREADS == 1 else f"{WORKERS} gthread x {THREADS} threads"
    print(
        f"\n{label}: {count:,} stamps (generated in {generated:.1f} s), {len(paths):,} sampled "
        f"serials; gunicorn {workers} workers; closed loop: {CONNECTIONS} connections for "
        f"{SECONDS:.0f} s; open loop: {RATE:.0f} req/s for {OPEN_SECONDS:.0f} s"
    )
    print(
        f"  {'':<18} {'requests':>8} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'errors':>6}   "
        f"CPU cores: {'server':>6} {'postgres':>8} {'loadgen':>7} {'other':>5}"
    )
    for name, r in (results | floors).items():
        c = r.cores
        print(
            f"  {name:<18} {r.requests:>8,} {r.rps:>8,.1f} {r.percentile_ms(50):>8.2f} "
            f"{r.percentile_ms(99):>8.2f} {r.errors:>6}   {'':>10} {c['server']:>6.2f} "
            f"{c['postgres']:>8.2f} {c['loadgen']:>7.2f} {c['other']:>5.2f}"
        )
    baseline = results["/healthz, closed"].rps
    ratio = results["scan page, closed"].rps / baseline
    print(
        "  floors / baseline (the least a scan page can do, same middleware): one indexed read "
        f"{floors['floor: read'].rps / baseline:.3f}; that read and the scan logged "
        f"{floors['floor: read+log'].rps / baseline:.3f}"
    )
    p99 = results["scan page, open"].percentile_ms(99)
    errors = sum(r.errors for r in (warm, *results.values(), *floors.values()))
    checks = [
        (f"throughput scan/baseline {ratio:.3f}", f">= {TARGET_RATIO}", ratio >= TARGET_RATIO),
        (
            f"scan p99 at {RATE:.0f} req/s {p99:.2f} ms",
            f"< {TARGET_P99_MS:.0f} ms",
            p99 < TARGET_P99_MS,
        ),
        (f"errors {errors}", "= 0", errors == 0),
        (f"scans logged {logged:,} of {answered:,} answered", "all", logged == answered),
    ]
    for text, target, ok in checks:
        print(f"  {text:<44} target {target:<9} {'met' if ok else 'MISSED'}")
    if log_text:
        print("  gunicorn log (last lines):\n    " + "\n    ".join(log_text.splitlines()[-10:]))
    return 0 if all(ok for _, _, ok in checks) else 1


def collect_static(static_root: str) -> None:
    """DEBUG is off, so {% static %} reads the manifest of collected files: collect them."""
    env = server_env("sqlite://:memory:")
    env["STATIC_ROOT"] = static_root
    manage = str(_world.ROOT / "manage.py")
    subprocess.run(
        [sys.executable, manage, "collectstatic", "--noinput", "-v0"], env=env, check=True
    )


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
    with tempfile.TemporaryDirectory() as static_root:
        collect_static(static_root)
        env = dict(os.environ, STATIC_ROOT=static_root)  # the servers inherit it
        for kind in kinds:
            failed |= subprocess.call(
                [sys.executable, __file__, "--one", kind, str(count)], env=env
            )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
