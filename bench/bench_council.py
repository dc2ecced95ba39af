"""Benchmark: a council session day through a real server (gunicorn), on SQLite and on
PostgreSQL: MEMBERS council members (40 by default: the chair and 39 members) score an agenda
of DOSSIERS accepted dossiers (10 by default) at the same moment, through the pages.

Run: .venv/bin/python bench/bench_council.py [MEMBERS] [DOSSIERS] — SQLite in a temporary
file, then PostgreSQL (a database `ocop_bench_council` created and dropped on 127.0.0.1:5432,
user postgres) when one answers; BENCH_POSTGRES_URL overrides that address. Each database runs
in its own process. Exits 1 when a target is missed.

Targets: no errors (every answer 2xx or 3xx, no error message on the page a form leads to,
every submission shown as submitted and recorded), and on PostgreSQL the submit's p95
latency under 500 ms (SQLite reported too).

Set-up, through the project's services, not timed: the units of Lâm Đồng and the real
criteria sets; DOSSIERS producers of as many communes, each with one product of a different
product group (so the agenda spans as many criteria sets), its dossier filled as the demo
fills one (`ocop.dossiers.demo`), submitted, accepted and pre-assessed by the commune with the
formalities in order (the 2025 procedure); the provincial council with its chair, MEMBERS - 1
members and a secretary, a round of the province, one session with everyone present (so it
is in session) and the dossiers on its agenda. Each scoring member's answers are chosen
before the clock starts: the best option of each criterion, some criteria one option lower,
at most 8 points below the best total, so the spread stays within the 10 allowed and the chair
can close. One session cookie per member, signed with the server's key.

Measured: each member is one client (a thread with its own connection and cookies) that goes
through the agenda in order, as a council does, all starting at once and, by default, with no
pause between pages (every member pressing at the same moment, the worst of the day). For
each dossier, what a browser does: GET the scoring page; POST the sheet form (the CSRF token
read from the page, the CSRF cookie sent back, one answer for each radio group the form has,
its note fields empty) to save the draft, and follow the redirect; POST the same form with the
"Submit my sheet" button, and follow the redirect, whose page must show the sheet submitted.
Latency per kind of request: page, save, submit, and "followed" for the GETs after a
redirect. BENCH_THINK=SECONDS adds a pause before each POST (drawn between 0 and twice that),
the time a member takes to read and fill the sheet; by default there is none. Then the chair
closes each dossier through its page, one after the other, and the database is checked: one
sheet per member and dossier, submitted once (one `sheet.submit` audit entry each), every
dossier closed with every member's sheet counted and the mean of their totals as its score,
and the audit chain unbroken.

gunicorn runs 2 sync workers (BENCH_WORKERS and BENCH_THREADS override), production settings
as in bench_scan.py, with the HTTPS redirect off (plain HTTP on loopback; behind nginx the
proxy ends TLS). The client uses http.client: these pages cost tens of milliseconds to make,
so its header parsing does not matter here.
"""

from __future__ import annotations

import datetime
import html
import http.client
import os
import random
import re
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _world  # noqa: E402
import bench_scan as load  # noqa: E402  (the server's start/stop and CPU accounting)

MEMBERS = 40  # scoring seats: the chair and MEMBERS - 1 members
DOSSIERS = 10
TARGET_SUBMIT_P95_MS = 500.0  # on PostgreSQL
# Seconds a member takes, on average, to read the page before saving and before submitting
# (a pause drawn between 0 and twice this); 0: every member presses at once, all day long.
THINK = float(os.environ.get("BENCH_THINK", "0"))
MAX_DROP = 8  # points a member's total may fall below the best total: spread <= 8 < 10
PG_URL = "postgres://postgres@127.0.0.1:5432/ocop_bench_council"
LAM_DONG = 68
KINDS = ("page", "save", "submit", "followed")  # followed: the GET after a redirect
SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô"]
MIDDLE = ["Văn", "Thị", "Đức", "Minh", "Thu", "Quốc", "Ngọc", "Hữu"]
GIVEN = ["An", "Bình", "Chi", "Dũng", "Hà", "Hùng", "Lan", "Long", "Mai", "Nam", "Sơn", "Tâm"]


# --- The world -----------------------------------------------------------------------------


@dataclass
class Day:
    session_id: int
    assignments: list[int]  # on the agenda, in order
    scorers: list[int]  # user ids: the chair first
    chair: int
    answers: dict[tuple[int, int], dict[str, str]]  # (user id, assignment id) -> answers
    totals: dict[tuple[int, int], object]  # (user id, assignment id) -> Decimal total
    groups: list[str]  # the criteria sets on the agenda


def _person(email: str, n: int):
    from ocop.accounts.models import User

    name = f"{SURNAMES[n % 10]} {MIDDLE[n // 10 % 8]} {GIVEN[n * 7 % 12]}"
    return User.objects.create_user(email=email, full_name=name)


def _member_answers(spec, rng: random.Random) -> dict[str, str]:
    """The best option of each criterion, then some criteria one option lower, within a drop
    of at most MAX_DROP points in all."""
    answers, budget = {}, rng.uniform(0, MAX_DROP)
    criteria = list(spec.criteria())
    for c in criteria:
        answers[c.code] = max(c.options, key=lambda o: o.points).code
    rng.shuffle(criteria)
    for c in criteria:
        ranked = sorted(c.options, key=lambda o: o.points, reverse=True)
        if len(ranked) > 1 and ranked[0].points - ranked[1].points <= budget:
            budget -= float(ranked[0].points - ranked[1].points)
            answers[c.code] = ranked[1].code
    return answers


def build(members: int, dossiers: int) -> Day:
    from django.core.management import call_command

    from ocop.accounts.models import Membership, Role
    from ocop.criteria.models import ProductGroup
    from ocop.criteria.scoring import score
    from ocop.dossiers import services as dossier_services
    from ocop.dossiers.demo import _fill, _product
    from ocop.dossiers.selectors import dossier_spec
    from ocop.evaluation import services
    from ocop.evaluation.models import Level, SeatRole
    from ocop.geo.models import Commune
    from ocop.geo.services import units_load
    from ocop.producers.demo import tax_code_for
    from ocop.producers.models import Producer

    units_load(province_codes={LAM_DONG})
    call_command("load_criteria", verbosity=0)
    admin = _person("admin@bench.ocop.vn", 0)
    Membership.objects.create(user=admin, role=Role.ADMINISTRATOR)
    officer = _person("tinh.lamdong@bench.ocop.vn", 1)
    Membership.objects.create(user=officer, role=Role.PROVINCIAL_OFFICER, province_id=LAM_DONG)

    # The agenda: accepted dossiers, one product group (criteria set) each.
    rng = random.Random(2026)
    groups = ProductGroup.objects.filter(
        branch__decision__code="qd148-2023", criteria_sets__isnull=False
    ).distinct()
    groups = list(groups.order_by("pk"))
    communes = list(Commune.objects.filter(province_id=LAM_DONG).order_by("pk")[:dossiers])
    accepted = []
    for n in range(dossiers):
        group = groups[n % len(groups)]
        commune = communes[n % len(communes)]
        producer = Producer(
            legal_name=f"Hợp tác xã {commune.name.split(' ', 1)[-1]} {n + 1}",
            producer_type="cooperative",
            tax_code=tax_code_for(n + 1000),
            representative_name="Nguyễn Văn An",
            commune=commune,
            status="active",
        )
        producer.full_clean()
        producer.save()
        product = _product(admin, producer, f"{group.name_vi} {commune.name} {n + 1}", group.code)
        dossier = dossier_services.dossier_create(actor=admin, product=product)
        _fill(admin, dossier, rng)
        dossier_services.dossier_submit(actor=admin, dossier=dossier)
        dossier = dossier_services.dossier_accept(actor=admin, dossier=dossier)
        services.commune_pre_assess(actor=admin, dossier=dossier, answers={}, formalities_ok=True)
        accepted.append(dossier)

    # The council, its round and the session of the day, everyone present.
    today = datetime.date.today()
    council = services.council_create(
        actor=officer,
        data={
            "name": "Hội đồng đánh giá, phân hạng sản phẩm OCOP tỉnh Lâm Đồng",
            "level": Level.PROVINCE,
            "province_id": LAM_DONG,
            "term_start": datetime.date(2025, 7, 6),
        },
    )
    scorers = [_person(f"thanhvien{k}@bench.ocop.vn", k + 2) for k in range(members)]
    seats = [
        services.seat_add(
            actor=officer,
            council=council,
            user=user,
            role=SeatRole.CHAIR if k == 0 else SeatRole.MEMBER,
        )
        for k, user in enumerate(scorers)
    ]
    secretary = _person("thuky@bench.ocop.vn", members + 2)
    seats.append(
        services.seat_add(actor=officer, council=council, user=secretary, role=SeatRole.SECRETARY)
    )
    round = services.round_create(
        actor=officer,
        data={
            "name": f"Đợt đánh giá OCOP tỉnh Lâm Đồng năm {today.year}",
            "level": Level.PROVINCE,
            "province_id": LAM_DONG,
            "opens_on": today - datetime.timedelta(days=30),
        },
    )
    session = services.session_create(
        actor=officer,
        round=round,
        council=council,
        date=today,
        place="Hội trường Sở Nông nghiệp và Môi trường tỉnh Lâm Đồng",
    )
    services.attendance_set(actor=officer, session=session, present_seats=seats)
    assignments = [
        services.assignment_add(actor=officer, session=session, dossier=d) for d in accepted
    ]

    answers, totals = {}, {}
    for a in assignments:
        spec = dossier_spec(dossier=a.dossier)
        for user in scorers:
            chosen = _member_answers(spec, rng)
            answers[user.pk, a.pk] = chosen
            totals[user.pk, a.pk] = score(spec, chosen).total
    return Day(
        session_id=session.pk,
        assignments=[a.pk for a in assignments],
        scorers=[u.pk for u in scorers],
        chair=scorers[0].pk,
        answers=answers,
        totals=totals,
        groups=[d.criteria_set.code for d in accepted],
    )


def _session_cookies(user_ids: list[int]) -> dict[int, str]:
    """A logged-in session for each user, as the sign-in page would make it (call it with
    the server's SECRET_KEY)."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from ocop.accounts.models import User

    cookies = {}
    for user in User.objects.filter(pk__in=user_ids):
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        cookies[user.pk] = session.session_key
    return cookies


# --- A browser, small ----------------------------------------------------------------------

INPUT = re.compile(r"<input\b([^>]*)>", re.IGNORECASE)
ATTR = re.compile(r'([a-zA-Z_:-]+)(?:="([^"]*)")?')


@dataclass
class Form:
    token: str
    radios: dict[str, set[str]]  # name -> values
    texts: list[str]  # names of the text inputs
    can_submit: bool  # the "Submit my sheet" button is there
    disabled: bool  # the answers are read-only (a submitted sheet)


def sheet_form(body: str, action: str) -> Form | None:
    """The score-sheet form posting to `action`, read from the page as a browser sees it."""
    start = body.find(f'action="{action}"')
    if start < 0:
        return None
    chunk = body[start : body.find("</form>", start)]
    token, radios, texts = "", {}, []
    for match in INPUT.finditer(chunk):
        attrs = {k.lower(): html.unescape(v or "") for k, v in ATTR.findall(match.group(1))}
        kind, name = attrs.get("type", "text"), attrs.get("name", "")
        if name == "csrfmiddlewaretoken":
            token = attrs.get("value", "")
        elif kind == "radio":
            radios.setdefault(name, set()).add(attrs.get("value", ""))
        elif kind == "text":
            texts.append(name)
    return Form(
        token=token,
        radios=radios,
        texts=texts,
        can_submit='name="submit"' in chunk,
        disabled='class="options" disabled' in chunk,
    )


def close_token(body: str, action: str) -> str:
    start = body.find(f'action="{action}"')
    match = (
        re.search(r'name="csrfmiddlewaretoken" value="([^"]*)"', body[start:])
        if start >= 0
        else None
    )
    return match.group(1) if match else ""


class Browser:
    """One person's browser: a connection, a cookie jar, redirects followed by hand."""

    def __init__(self, port: int, session_key: str) -> None:
        from django.conf import settings

        self.port = port
        self.origin = f"http://{load.HOST}:{port}"
        self.conn = http.client.HTTPConnection(load.HOST, port, timeout=120)
        self.cookies = {settings.SESSION_COOKIE_NAME: session_key}
        self.csrf_cookie = settings.CSRF_COOKIE_NAME
        self.last_url = ""

    def close(self) -> None:
        self.conn.close()

    def request(self, method: str, path: str, data=None) -> tuple[int, str, str]:
        """Send one request and read the whole answer: (status, Location, body). Status 0
        when the connection failed."""
        headers = {
            "User-Agent": "ocop-bench-council/1",
            "Accept": "text/html",
            "Accept-Language": "vi",
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
        }
        if self.last_url:
            headers["Referer"] = self.origin + self.last_url
        body = None
        if data is not None:
            body = urlencode(data).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = self.origin
        for attempt in (1, 2):
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                text = response.read().decode("utf-8", "replace")
                break
            except (OSError, http.client.HTTPException):
                self.conn.close()
                # Only a request the server never read is sent again, as browsers do: a
                # dropped idle connection; never a second time.
                if attempt == 2 or method != "GET":
                    return 0, "", ""
        for header in response.headers.get_all("Set-Cookie") or []:
            pair, _, rest = header.partition(";")
            name, _, value = pair.strip().partition("=")
            if "max-age=0" in rest.lower() or value in ("", '""'):
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value
        if method == "GET":
            self.last_url = path
        return response.status, response.getheader("Location", ""), text


@dataclass
class Outcome:
    latencies: dict[str, list[float]] = field(default_factory=lambda: {k: [] for k in KINDS})
    errors: list[str] = field(default_factory=list)
    submitted: int = 0


def _timed(outcome: Outcome, kind: str, browser: Browser, method: str, path: str, data=None):
    begin = time.perf_counter()
    status, location, body = browser.request(method, path, data)
    outcome.latencies[kind].append(time.perf_counter() - begin)
    if not 200 <= status < 400:
        outcome.errors.append(f"{kind} {method} {path}: {status or 'connection failed'}")
    return status, location, body


def _follow(outcome: Outcome, browser: Browser, status: int, location: str, what: str):
    """The page a POST redirects to, as the browser loads it; error messages on it count."""
    if status != 302 or not location:
        outcome.errors.append(f"{what}: answered {status}, not a redirect")
        return None
    status, _, body = _timed(outcome, "followed", browser, "GET", location)
    if status != 200:
        return None
    if 'class="message error"' in body:
        message = re.search(r'class="message error">([^<]*)<', body)
        outcome.errors.append(f"{what}: {message.group(1) if message else 'an error message'}")
        return None
    return body


def _think(rng: random.Random) -> None:
    if THINK > 0:
        time.sleep(rng.uniform(0, 2 * THINK))


def member_day(port: int, session_key: str, agenda: list[tuple[int, dict[str, str]]]) -> Outcome:
    """One member scoring the agenda in order: page, save, submit, for each dossier."""
    outcome, browser = Outcome(), Browser(port, session_key)
    rng = random.Random(session_key)
    try:
        for assignment, answers in agenda:
            page = f"/evaluation/assignments/{assignment}/"
            action = f"/evaluation/assignments/{assignment}/sheet/"
            status, _, body = _timed(outcome, "page", browser, "GET", page)
            form = sheet_form(body, action) if status == 200 else None
            if form is None or not form.token or not form.can_submit:
                outcome.errors.append(f"{page}: no score-sheet form to fill ({status})")
                continue
            if set(form.radios) != {f"a-{c}" for c in answers} or any(
                v not in form.radios[f"a-{c}"] for c, v in answers.items()
            ):
                outcome.errors.append(f"{page}: the form's criteria are not the dossier's")
                continue
            if browser.csrf_cookie not in browser.cookies:
                outcome.errors.append(f"{page}: no CSRF cookie")
                continue
            fields = [(f"a-{c}", v) for c, v in answers.items()] + [(n, "") for n in form.texts]
            _think(rng)
            status, location, _ = _timed(
                outcome,
                "save",
                browser,
                "POST",
                action,
                [("csrfmiddlewaretoken", form.token), *fields],
            )
            body = _follow(outcome, browser, status, location, f"save {action}")
            form = sheet_form(body, action) if body is not None else None
            if form is None or not form.can_submit:
                if body is not None:
                    outcome.errors.append(f"save {action}: the saved sheet cannot be submitted")
                continue
            _think(rng)
            status, location, _ = _timed(
                outcome,
                "submit",
                browser,
                "POST",
                action,
                [("csrfmiddlewaretoken", form.token), *fields, ("submit", "1")],
            )
            body = _follow(outcome, browser, status, location, f"submit {action}")
            if body is None:
                continue
            form = sheet_form(body, action)
            if form is None or form.can_submit or not form.disabled:
                outcome.errors.append(f"submit {action}: the page does not show it submitted")
                continue
            outcome.submitted += 1
    finally:
        browser.close()
    return outcome


def chair_closes(port: int, session_key: str, assignments: list[int]) -> Outcome:
    """The chair closes each dossier from its page, one after the other."""
    outcome, browser = Outcome(), Browser(port, session_key)
    outcome.latencies["close"] = []
    try:
        for assignment in assignments:
            page = f"/evaluation/assignments/{assignment}/"
            action = f"/evaluation/assignments/{assignment}/close/"
            status, _, body = _timed(outcome, "page", browser, "GET", page)
            token = close_token(body, action) if status == 200 else ""
            if not token:
                outcome.errors.append(f"{page}: no close form for the chair ({status})")
                continue
            status, location, _ = _timed(
                outcome, "close", browser, "POST", action, [("csrfmiddlewaretoken", token)]
            )
            body = _follow(outcome, browser, status, location, f"close {action}")
            if body is not None and 'class="card score"' not in body:
                outcome.errors.append(f"close {action}: the page shows no council result")
    finally:
        browser.close()
    return outcome


# --- Checks in the database ----------------------------------------------------------------


def check_database(day: Day) -> list[tuple[str, bool]]:
    from collections import Counter
    from decimal import ROUND_HALF_UP, Decimal

    from ocop.audit.models import AuditEvent
    from ocop.audit.selectors import chain_verify
    from ocop.evaluation.models import Assignment, AssignmentStatus, ScoreSheet, SheetStatus

    expected = len(day.scorers) * len(day.assignments)
    sheets = list(
        ScoreSheet.objects.filter(assignment_id__in=day.assignments).select_related("seat")
    )
    per_pair = Counter((s.seat.user_id, s.assignment_id) for s in sheets)
    submitted = [s for s in sheets if s.status == SheetStatus.SUBMITTED and s.submitted_at]
    as_chosen = sum(
        1
        for s in sheets
        if s.answers == day.answers.get((s.seat.user_id, s.assignment_id))
        and s.total == day.totals[s.seat.user_id, s.assignment_id]
        and s.revision == 1
        and not s.history
    )
    events = Counter(
        AuditEvent.objects.filter(
            action="sheet.submit", target_id__in=[str(s.pk) for s in sheets]
        ).values_list("target_id", flat=True)
    )
    once = sum(1 for s in sheets if events[str(s.pk)] == 1)
    closed = 0
    for a in Assignment.objects.filter(pk__in=day.assignments):
        totals = [day.totals[u, a.pk] for u in day.scorers]
        mean = (sum(totals) / len(totals)).quantize(Decimal("0.01"), ROUND_HALF_UP)
        if (
            a.status == AssignmentStatus.CLOSED
            and len(a.result_sheets) == len(day.scorers)
            and a.score == mean
        ):
            closed += 1
    chain = chain_verify()
    n = len(day.assignments)
    return [
        (f"sheets {len(sheets):,}, one per member and dossier", len(sheets) == expected),
        (
            f"one sheet each pair {sum(1 for v in per_pair.values() if v == 1):,} of {expected:,}",
            len(per_pair) == expected and all(v == 1 for v in per_pair.values()),
        ),
        (f"submitted {len(submitted):,} of {expected:,}", len(submitted) == expected),
        (f"submitted once (audit) {once:,} of {expected:,}", once == expected),
        (f"answers and totals as posted {as_chosen:,} of {expected:,}", as_chosen == expected),
        (f"dossiers closed with every sheet, score = mean {closed} of {n}", closed == n),
        (
            f"audit chain of {chain.entries:,} entries "
            + ("unbroken" if chain.broken is None else f"broken at {chain.broken}"),
            chain.broken is None,
        ),
    ]


# --- One database --------------------------------------------------------------------------


def _percentile_ms(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * p // 100))  # nearest rank
    return ordered[int(rank) - 1] * 1000


def _row(name: str, values: list[float]) -> str:
    return (
        f"  {name:<10} {len(values):>7,} {_percentile_ms(values, 50):>8.1f} "
        f"{_percentile_ms(values, 95):>8.1f} {_percentile_ms(values, 99):>8.1f} "
        f"{max(values, default=0) * 1000:>8.1f}"
    )


def one(kind: str, members: int, dossiers: int) -> int:
    label = "SQLite" if kind == "sqlite" else "PostgreSQL"
    with _world.database(kind) as url, tempfile.TemporaryDirectory() as tmp:
        from django.db import connections
        from django.test import override_settings

        started = time.perf_counter()
        day = build(members, dossiers)
        database = _world.database_version()
        env = load.server_env(url)
        env["SECURE_SSL_REDIRECT"] = "false"  # plain HTTP on loopback
        with override_settings(SECRET_KEY=env["SECRET_KEY"]):
            cookies = _session_cookies(day.scorers)
        setup = time.perf_counter() - started
        connections.close_all()  # the server's workers have the database to themselves
        load.collect_static(tmp)
        env["STATIC_ROOT"] = tmp
        with load.serving(env, tmp) as (port, server, log):
            probe = Browser(port, cookies[day.scorers[-1]])
            status, _, body = probe.request("GET", f"/evaluation/assignments/{day.assignments[0]}/")
            probe.close()
            if (
                status != 200
                or sheet_form(body, f"/evaluation/assignments/{day.assignments[0]}/sheet/") is None
            ):
                print(f"{label}: the scoring page answered {status}: {body[:500]!r}")
                print(log.read_text()[-3000:])
                return 1
            outcomes: dict[int, Outcome] = {}
            barrier = threading.Barrier(len(day.scorers))

            def run(user: int) -> None:
                agenda = [(a, day.answers[user, a]) for a in day.assignments]
                barrier.wait()
                outcomes[user] = member_day(port, cookies[user], agenda)

            threads = [threading.Thread(target=run, args=(u,)) for u in day.scorers]
            before = load._cpu(server.pid)
            begin = time.perf_counter()
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            seconds = time.perf_counter() - begin
            cores = load.cores_used(before, load._cpu(server.pid), seconds)
            closing = chair_closes(port, cookies[day.chair], day.assignments)
        log_text = log.read_text().strip()
        checks_db = check_database(day)

    latencies = {k: [x for o in outcomes.values() for x in o.latencies[k]] for k in KINDS}
    errors = [e for o in outcomes.values() for e in o.errors]
    submitted = sum(o.submitted for o in outcomes.values())
    total = sum(len(v) for v in latencies.values())
    expected = members * dossiers
    print(
        f"\n{label}: {members} scoring members (chair included) x {dossiers} dossiers "
        f"({len(set(day.groups))} criteria sets), set-up {setup:.0f} s; gunicorn "
        f"{load.WORKERS} workers; think time {THINK:g} s; {total:,} requests in {seconds:.1f} s: "
        f"{total / seconds:.1f} req/s, {submitted / seconds:.1f} sheets submitted/s"
    )
    print(f"  {'kind':<10} {'requests':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8}")
    for name in KINDS:
        print(_row(name, latencies[name]))
    print(_row("all", [x for v in latencies.values() for x in v]))
    print(_row("close", closing.latencies["close"]) + "   (the chair, one after the other)")
    print(
        f"  CPU cores: server {cores['server']:.2f}, postgres {cores['postgres']:.2f}, "
        f"load generator {cores['loadgen']:.2f}, other {cores['other']:.2f} (the machine has "
        f"{os.cpu_count()}); server CPU per request "
        f"{cores['server'] * seconds / total * 1000:.1f} ms"
        + (
            ""
            if kind == "sqlite"
            else f", PostgreSQL's {cores['postgres'] * seconds / total * 1000:.1f} ms"
        )
    )
    submit_p95 = _percentile_ms(latencies["submit"], 95)
    all_errors = errors + closing.errors
    checks = [
        (f"errors {len(all_errors)}", "= 0", not all_errors),
        (f"submits shown submitted {submitted:,} of {expected:,}", "all", submitted == expected),
        *((text, "yes", ok) for text, ok in checks_db),
        (
            f"submit p95 {submit_p95:.1f} ms",
            f"< {TARGET_SUBMIT_P95_MS:.0f} ms" + (" (PG)" if kind == "sqlite" else ""),
            kind == "sqlite" or submit_p95 < TARGET_SUBMIT_P95_MS,
        ),
    ]
    for text, target, ok in checks:
        verdict = "met" if ok else "MISSED"
        if kind == "sqlite" and text.startswith("submit p95"):
            verdict = "met" if submit_p95 < TARGET_SUBMIT_P95_MS else "over (SQLite: reported)"
        print(f"  {text:<58} target {target:<14} {verdict}")
    for e in all_errors[:15]:
        print(f"    error: {e}")
    if len(all_errors) > 15:
        print(f"    ... and {len(all_errors) - 15} more")
    if log_text:
        lines = log_text.splitlines()
        print(
            f"  gunicorn log ({len(lines)} lines), last lines:\n    " + "\n    ".join(lines[-40:])
        )
    _world.record("council", database, [
        _world.figure("submit p95", submit_p95, "ms",
                      target=f"< {TARGET_SUBMIT_P95_MS:.0f} ms (PG)",
                      met=kind == "sqlite" or submit_p95 < TARGET_SUBMIT_P95_MS),
        *(_world.figure(f"{name} p50", _percentile_ms(latencies[name], 50), "ms")
          for name in KINDS),
        _world.figure("throughput", total / seconds, "req/s"),
        _world.figure("server CPU per request", cores["server"] * seconds / total * 1000, "ms"),
        _world.figure("errors", len(all_errors), "", target="0", met=not all_errors),
        *(_world.figure(text, 1 if ok else 0, "check", target="yes", met=ok)
          for text, ok in checks_db),
    ], members=members, dossiers=dossiers, think_seconds=THINK)  # fmt: skip
    return 0 if all(ok for _, _, ok in checks) else 1


def main() -> int:
    return _world.each_database(__file__, one, [MEMBERS, DOSSIERS], postgres_url=PG_URL)


if __name__ == "__main__":
    sys.exit(main())
