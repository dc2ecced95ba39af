"""The authorization matrix (ocop/tests/authz_matrix.py) against the running project.

Every URL pattern and every API operation must have a row in the table, and no row may be
stale. Then one world is built — one record of each kind of producer A in Lâm Đồng and of
producer C in Hà Nội, made by the services the pages call — and every cell is called: each
route, on each of its targets, by each caller. Each call runs in a transaction rolled back
afterwards, so that no cell sees another's writes; a refused call must write nothing; no call
may answer 500. The test fails once, listing every cell whose outcome differs from the
table's; the table's known bugs are listed as warnings.
"""

import datetime
import functools
import logging
import re
import time
import warnings
from dataclasses import dataclass
from http.cookies import SimpleCookie
from types import SimpleNamespace
from unittest import mock

import pytest
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core import signing
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.template import Template
from django.test import Client
from django.test.utils import _TestState
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from conftest import World, make_user
from ocop.accounts.models import Role
from ocop.catalog import services as catalog_services
from ocop.catalog.models import producer_url
from ocop.catalog.views import province_slug
from ocop.certificates import services as certificate_services
from ocop.certificates.tests.conftest import decision_data
from ocop.consultants import services as consultant_services
from ocop.consultants.models import Consultancy
from ocop.criteria.selectors import criteria_set_spec
from ocop.dossiers import services as dossier_services
from ocop.dossiers.selectors import dossier_spec
from ocop.dossiers.tests.conftest import PDF_BYTES, fill, make_product, png_bytes, submitted
from ocop.evaluation import services as ev_services
from ocop.evaluation.models import Level, SeatRole
from ocop.evaluation.tests.builders import CURRENT, fresh_produce, score_as
from ocop.ideas.models import IdeaStatus, ProductIdea
from ocop.imports import services as import_services
from ocop.imports.tests.conftest import csv_file
from ocop.plans import services as plan_services
from ocop.plans.models import BusinessPlan, PlanMilestone
from ocop.products import services as product_services
from ocop.programme import services as programme_services
from ocop.programme.selectors import guidance_files
from ocop.traceability import codes
from ocop.traceability import services as trace_services
from ocop.traceability.tests.conftest import batch_data, generated_run
from ocop.traceability.views import LOCATE_SALT

from . import authz_matrix as matrix

# Left out of the walk over the URL patterns: the admin site (Django's own permissions, for
# staff) and the language switch.
SKIPPED_PREFIXES = ("admin/", "i18n/")
# The API's URL patterns are its operations, declared by OpenAPI path and method; its root,
# schema and docs pages are ordinary routes.
API_NAMESPACE = "api"
API_PAGES = {"api:api-root", "api:openapi-json", "api:openapi-view"}
API_METHODS = {"GET", "POST", "PUT", "PATCH", "DELETE"}
# The table's callers → the world fixture's accounts (the three "_x" council and consultant
# accounts are added by build()).
USERS = {
    "admin": "administrator",
    "central": "central_officer",
    "prov": "provincial_officer",
    "prov_x": "other_provincial_officer",
    "commune": "commune_officer",
    "commune_x": "other_commune_officer",
    "member": "producer_member",
    "member_x": "other_producer_member",
    "council": "council_member",
    "secretary": "council_secretary",
    "consultant": "consultant",
    "none": "no_role",
}
GTINS = {"a": "8934563138165", "c": "8935049500018"}


# --- What the project declares --------------------------------------------------------------


def _walk(resolver: URLResolver, prefix: str = "", namespace: str = ""):
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _walk(pattern, route, inner)
        elif isinstance(pattern, URLPattern):
            name = pattern.name
            key = (f"{namespace}:{name}" if namespace else name) if name else route
            yield key, route


def url_patterns() -> dict[str, str]:
    """Every URL pattern of the project by name ("namespace:name", the route for one without
    a name), the API's operations and the skipped prefixes left out."""
    static = [p.lstrip("/") for p in (settings.STATIC_URL, settings.MEDIA_URL) if p]
    found = {}
    for key, route in _walk(get_resolver()):
        if route.startswith(SKIPPED_PREFIXES) or any(route.startswith(s) for s in static):
            continue
        if key.startswith(f"{API_NAMESPACE}:") and key not in API_PAGES:
            continue
        found[key] = route
    return found


def api_routes() -> dict[str, str]:
    """The API's URL patterns, by name, as OpenAPI paths ("/api/producers/{producer_id}")."""
    return {
        key: "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)
        for key, route in _walk(get_resolver())
        if key.startswith(f"{API_NAMESPACE}:") and key not in API_PAGES
    }


def api_operations() -> set[str]:
    from ocop.api import api

    schema = api.get_openapi_schema()
    return {f"{method.upper()} {path}" for path, ops in schema["paths"].items() for method in ops}


def targets_of(row: matrix.Row) -> dict[str, tuple]:
    """A row's targets: label → (whose records, args builder, data builder, expected cells)."""
    found = {"a": ("a", row.args, row.data, row.a)}
    if row.c is not None:
        found["c"] = ("c", row.args, row.data, row.c)
    if row.m is not None:
        found["m"] = ("m", row.m_args or row.args, row.m_data or row.data, row.m)
    for label, variant in row.variants.items():
        found[label] = ("a", variant.args or row.args, variant.data or row.data, variant.cells)
    return found


def test_every_route_has_a_row():
    patterns = url_patterns()
    missing = sorted(set(patterns) - set(matrix.ROUTES))
    assert not missing, "URL patterns without a row in ocop/tests/authz_matrix.py ROUTES:\n" + (
        "\n".join(f"  {key}  ({patterns[key]})" for key in missing)
    )


def test_every_api_operation_has_a_row():
    missing = sorted(api_operations() - set(matrix.OPERATIONS))
    assert not missing, "API operations without a row in authz_matrix.py OPERATIONS:\n" + (
        "\n".join(f"  {key}" for key in missing)
    )


def test_every_api_url_is_an_operation_of_the_schema():
    paths = {key.split(" ", 1)[1] for key in api_operations()}
    strays = sorted(f"{key} ({path})" for key, path in api_routes().items() if path not in paths)
    assert not strays, "API URL patterns outside the OpenAPI schema: " + ", ".join(strays)


def test_no_row_is_stale():
    stale = sorted(set(matrix.ROUTES) - set(url_patterns()))
    stale += sorted(set(matrix.OPERATIONS) - api_operations())
    assert not stale, "Rows for routes that no longer exist: " + ", ".join(stale)
    rows = {**matrix.ROUTES, **matrix.OPERATIONS}
    bad = sorted(
        (route, target, caller)
        for route, target, caller in matrix.KNOWN_BUGS
        if route not in rows
        or caller not in matrix.CALLERS
        or target not in targets_of(rows[route])
    )
    assert not bad, f"KNOWN_BUGS names cells that are not in the table: {bad}"


# --- The world ------------------------------------------------------------------------------


class Objects(SimpleNamespace):
    """One target's records, read by the table's lambdas (o.producer, o.d_draft...)."""

    @staticmethod
    def pdf(name: str = "minh-chung.pdf") -> SimpleUploadedFile:
        return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")

    @staticmethod
    def png(name: str = "anh.png") -> SimpleUploadedFile:
        return SimpleUploadedFile(name, png_bytes(), content_type="image/png")


@dataclass
class Actors:
    """Who makes a target's records: its province's officer, the producer's side (A's
    member; the administrator for C, which has no member account), the commune's side."""

    officer: object
    editor: object
    reviewer: object
    scorer: object  # the council caller, seated as a scoring member
    secretary: object


def _idea(producer, group, status: str, name: str) -> ProductIdea:
    return ProductIdea.objects.create(
        producer=producer,
        product_name=name,
        product_group=group,
        year=2026,
        raw_material_source="Vùng trồng Lạc Dương",
        local_identity="Đặc sản địa phương",
        status=status,
    )


def _cycle(o: Objects, who: Actors, group) -> None:
    """Steps 2-4: ideas and plans in the states their pages act on, dossiers being assembled
    (with a file) and submitted."""
    o.idea_draft = _idea(o.producer, group, IdeaStatus.DRAFT, "Ý tưởng rau sạch")
    o.idea_free = _idea(o.producer, group, IdeaStatus.ACCEPTED, "Ý tưởng chưa có kế hoạch")
    planned = _idea(o.producer, group, IdeaStatus.ACCEPTED, "Ý tưởng có kế hoạch")
    o.plan_draft = BusinessPlan.objects.create(idea=planned, objectives="Đạt 3 sao")
    o.plan_file = plan_services.plan_attach(actor=who.editor, plan=o.plan_draft, file=o.pdf())
    approved = _idea(o.producer, group, IdeaStatus.ACCEPTED, "Ý tưởng đã duyệt kế hoạch")
    o.plan_approved = BusinessPlan.objects.create(
        idea=approved, objectives="Đạt 4 sao", status="approved"
    )
    o.milestone = PlanMilestone.objects.create(
        plan=o.plan_approved, title="Đăng ký mã vạch", due_date=datetime.date(2027, 3, 1)
    )
    o.d_draft = dossier_services.dossier_create(
        actor=who.editor, product=make_product(o.producer, group, "Rau cải nháp")
    )
    criterion = next(iter(dossier_spec(dossier=o.d_draft).criteria()))
    o.criterion_key, o.option = f"crit:{criterion.code}", criterion.options[0].code
    o.draft_file = dossier_services.item_add_file(
        actor=who.editor, dossier=o.d_draft, key=o.criterion_key, file=o.pdf()
    )
    product = make_product(o.producer, group, "Rau cải đã nộp")
    o.d_submitted = submitted(
        dossier_services.dossier_create(actor=who.editor, product=product), who.editor
    )


def _accepted(o: Objects, who: Actors, group, name: str, *, with_file: bool = False):
    """A complete dossier (evidence as links, and a file if asked), submitted, accepted and
    pre-assessed by the commune's side: ready for the council."""
    dossier = dossier_services.dossier_create(
        actor=who.editor, product=make_product(o.producer, group, name)
    )
    fill(dossier, who.editor)
    document = None
    if with_file:
        document = dossier_services.item_add_file(
            actor=who.editor, dossier=dossier, key=o.criterion_key, file=o.pdf()
        )
    dossier = dossier_services.dossier_submit(actor=who.editor, dossier=dossier)
    dossier = dossier_services.dossier_accept(actor=who.reviewer, dossier=dossier)
    ev_services.commune_pre_assess(
        actor=who.reviewer, dossier=dossier, answers={}, formalities_ok=True
    )
    return dossier, document


def _council(o: Objects, who: Actors, group) -> None:
    """Step 5: the province's council (a chair, two scoring members — one the council caller
    — and the secretary caller), a round, a session; one dossier closed at 75 points (4★),
    one still on the agenda; then the decision recognising the first, and its certificate."""
    officer = who.officer
    o.council = ev_services.council_create(
        actor=officer,
        data={
            "name": f"Hội đồng OCOP {o.province.name}",
            "level": Level.PROVINCE,
            "province_id": o.province.pk,
            "term_start": datetime.date(2023, 1, 1),
        },
    )
    chair, other = make_user(f"{o.target}_chair"), make_user(f"{o.target}_member")
    seats = {
        user: ev_services.seat_add(actor=officer, council=o.council, user=user, role=role)
        for user, role in ((chair, SeatRole.CHAIR), (who.scorer, "member"), (other, "member"))
    }
    ev_services.seat_add(
        actor=officer, council=o.council, user=who.secretary, role=SeatRole.SECRETARY
    )
    o.seat, o.present = seats[other], [s.pk for s in seats.values()]
    o.round = ev_services.round_create(
        actor=officer,
        data={
            "name": f"Đợt đánh giá {o.province.name}",
            "level": Level.PROVINCE,
            "province_id": o.province.pk,
            "opens_on": CURRENT,
            "trial": False,
        },
    )
    o.session = ev_services.session_create(
        actor=officer,
        round=o.round,
        council=o.council,
        date=CURRENT + datetime.timedelta(days=20),
    )
    ev_services.attendance_set(actor=officer, session=o.session, present_seats=seats.values())
    closed, _ = _accepted(o, who, group, "Rau cải Lạc Dương OCOP")
    closing = ev_services.assignment_add(actor=officer, session=o.session, dossier=closed)
    for user in seats:
        score_as(user, closing, 75, 4)
    ev_services.assignment_close(actor=chair, assignment=closing)
    o.d_agenda, o.agenda_file = _accepted(o, who, group, "Rau cải chờ chấm", with_file=True)
    o.assignment = ev_services.assignment_add(actor=officer, session=o.session, dossier=o.d_agenda)

    draft = certificate_services.decision_draft(
        actor=officer,
        session_or_assignments=o.session,
        data=decision_data(number=f"{100 + o.province.pk}/QĐ-UBND"),
    )
    o.decision = certificate_services.decision_issue(actor=officer, decision=draft)
    o.certificate = o.decision.certificates.get()
    o.product = o.certificate.product
    o.product.gtin = GTINS[o.target]
    o.product.save()
    o.listing = o.product.listing
    o.photo = product_services.product_photo_add(actor=officer, product=o.product, file=o.png())
    o.producer_slug = resolve(producer_url(o.producer)).kwargs["slug"]
    o.province_slug = province_slug(o.province)


def _traceability_and_trade(o: Objects, who: Actors) -> None:
    """A batch of the certified product, a generated run of stamps and one scan; the
    province's fair with the producer's application; a buyer's message."""
    o.batch = trace_services.batch_create(
        actor=who.editor, product=o.product, data=batch_data(lot=f"L2026-{o.target.upper()}")
    )
    o.run = generated_run(who.editor, o.batch, quantity=6)
    o.stamp = o.run.stamps.order_by("pk").first()
    scan = trace_services.scan_record(
        address=codes.StampAddress(serial=o.stamp.serial), stamp=o.stamp
    )
    o.scan_token = signing.dumps(scan.scan.pk, salt=LOCATE_SALT)
    o.event = catalog_services.trade_event_save(
        actor=who.officer,
        data={
            "name": f"Hội chợ OCOP {o.province.name} 2027",
            "kind": "fair",
            "starts_on": "2027-03-01",
            "ends_on": "2027-03-05",
            "place": o.province.name,
            "province": o.province,
            "organiser": "Sở Nông nghiệp và Môi trường",
        },
    )
    o.application = catalog_services.trade_event_apply(
        actor=who.editor, event=o.event, producer=o.producer, products=[o.product]
    )
    catalog_services.inquiry_send(
        listing=o.listing,
        data={"buyer_name": "Lê Thị Mua", "email": "mua@example.vn", "message": "Giá sỉ?"},
        address="203.0.113.7",
    )


def _programme(o: Objects, who: Actors, member=None) -> None:
    """The province's plan; a course in the producer's commune (A's member took it) with a
    handout kept out of the library; a province's course; a published guide."""
    officer = who.officer
    o.programme_plan = programme_services.plan_save(
        actor=officer,
        data={
            "title": f"Đề án OCOP {o.province.name} 2026–2030",
            "start_year": 2026,
            "end_year": 2030,
            "province": o.province,
            "commune": None,
        },
        targets={"products": 10},
    )
    course = {
        "title": "Tập huấn xây dựng hồ sơ OCOP",
        "topic": "Bộ tiêu chí",
        "starts_on": datetime.date(2026, 10, 20),
        "ends_on": datetime.date(2026, 10, 20),
        "place": o.commune.name,
        "online": False,
        "organiser": "Sở Nông nghiệp và Môi trường",
        "trainers": "",
        "province": o.province,
        "commune": o.commune,
    }
    o.course = programme_services.course_save(actor=officer, data=course)
    o.province_course = programme_services.course_save(
        actor=officer, data={**course, "title": "Tập huấn cấp tỉnh", "commune": None}
    )
    if member is not None:
        programme_services.course_register(actor=member, course=o.course, producer=o.producer)
        programme_services.attendance_set(
            actor=officer, course=o.course, present_user_ids=[member.pk]
        )
    guide = {"summary": "Các bước", "topic": "dossier", "province": o.province}
    o.guidance = programme_services.guidance_save(
        actor=officer,
        data={**guide, "title": "Tài liệu phát tay", "course": o.course, "published": False},
        file=o.pdf("tai-lieu.pdf"),
    )
    o.published_guidance = programme_services.guidance_save(
        actor=officer,
        data={**guide, "title": "Hướng dẫn xây dựng hồ sơ", "published": True},
        file=o.pdf("huong-dan.pdf"),
    )
    files = guidance_files([o.guidance, o.published_guidance])
    o.guidance_file, o.published_file = files[o.guidance.pk], files[o.published_guidance.pk]


def build_target(world: World, users: dict, t: str) -> Objects:
    """Producer A's records (t="a", Lâm Đồng) or producer C's (t="c", Hà Nội)."""
    if t == "a":
        o = Objects(target=t, producer=world.producer_a, commune=world.commune_a)
        who = Actors(
            users["prov"], users["member"], users["commune"], users["council"], users["secretary"]
        )
    else:
        o = Objects(target=t, producer=world.producer_c, commune=world.commune_c)
        admin = users["admin"]
        who = Actors(users["prov_x"], admin, admin, users["council_x"], users["secretary_x"])
    o.province = o.commune.province
    group = fresh_produce()
    _cycle(o, who, group)
    _council(o, who, group)
    _traceability_and_trade(o, who)
    _programme(o, who, member=users["member"] if t == "a" else None)
    consultant = users["consultant" if t == "a" else "consultant_x"]
    o.engagement = consultant_services.engagement_create(
        actor=who.editor,
        producer=o.producer,
        consultancy=consultant.memberships.get().consultancy,
        kinds=["dossier"],
    )
    o.job = import_services.job_upload(  # uploaded, waiting for its columns and dry run
        actor=who.officer,
        province=o.province,
        kind="producers",
        file=csv_file([["Tên chủ thể", "Mã số thuế", "Địa chỉ"], ["HTX Mới", "", o.commune.name]]),
    )
    o.reset_uid = urlsafe_base64_encode(force_bytes(users["none"].pk))
    o.reset_token = default_token_generator.make_token(users["none"])
    return o


def build(world: World) -> tuple[dict, dict[str, Objects]]:
    """The callers' accounts, and the targets' records ("m": A's, with C's as o.other)."""
    users = {alias: world.users[name] for alias, name in USERS.items()}
    users["council_x"] = make_user("other_council_member")  # seated on Hà Nội's council
    users["secretary_x"] = make_user("other_council_secretary")
    consultancy = Consultancy.objects.create(name="Tư vấn Thủ đô", commune=world.commune_c)
    users["consultant_x"] = make_user("other_consultant", Role.CONSULTANT, consultancy=consultancy)
    # The criteria sets do not change while the world is built: read each once (filling six
    # dossiers criterion by criterion would read them hundreds of times).
    with mock.patch(
        "ocop.dossiers.selectors.criteria_set_spec", functools.cache(criteria_set_spec)
    ):
        targets = {t: build_target(world, users, t) for t in ("a", "c")}
    targets["m"] = Objects(**{**vars(targets["a"]), "target": "m", "other": targets["c"]})
    return users, targets


# --- Calling the cells ------------------------------------------------------------------------


class Writes:
    """The statements a call sends that write (the session's left out), seen through the
    connection's execute wrapper."""

    def __init__(self):
        self.statements: list[str] = []

    def __call__(self, execute, sql, params, many, context):
        writes = sql.lstrip()[:6].upper() in ("INSERT", "UPDATE", "DELETE")
        if writes and "django_session" not in sql:
            self.statements.append(sql)
        return execute(sql, params, many, context)


@dataclass
class Cell:
    route: str
    target: str
    caller: str
    expected: str
    got: str = ""
    detail: str = ""

    @property
    def failed(self) -> bool:
        if self.got in matrix.REFUSALS and self.detail:  # refused, yet it wrote
            return True
        if self.expected == matrix.ALLOWED:
            return self.got not in (matrix.OK, matrix.NOOP, matrix.INVALID)
        return self.got != self.expected

    def __str__(self) -> str:
        text = f"{self.route} [{self.target}] {self.caller}: expected {self.expected}, "
        text += f"got {self.got}"
        return f"{text} ({self.detail})" if self.detail else text


def _send(client: Client, key: str, row: matrix.Row, o: Objects, make_args, make_data):
    args = make_args(o) if make_args else {}
    data = make_data(o) if make_data else {}
    query = row.query(o) if row.query else None
    method, _, path = key.partition(" ")
    if method in API_METHODS:  # an operation: its OpenAPI path, a JSON body
        url = path.format(**args)
        if row.method == "GET":
            return True, client.get(url, query)
        send = getattr(client, row.method.lower())
        return True, send(url, data, content_type="application/json")
    url = reverse(key, kwargs=args)
    if row.method == "GET":
        return False, client.get(url, query)
    return False, client.post(url, data)


def _outcome(row: matrix.Row, api: bool, response, wrote: bool, login: str) -> str:
    status = response.status_code
    if status in (301, 302, 303, 307, 308):
        if response.headers.get("Location", "").split("?")[0].endswith(login):
            return matrix.LOGIN
    elif api and status == 401:
        return matrix.LOGIN
    if 200 <= status < 400:
        return matrix.OK if row.method == "GET" or wrote else matrix.NOOP
    refusals = {403: matrix.DENIED, 404: matrix.HIDDEN, 400: matrix.INVALID, 422: matrix.INVALID}
    return refusals.get(status, str(status))


def _call(client: Client, key: str, row: matrix.Row, target: tuple, cell: Cell, login: str):
    """One call, in a transaction rolled back afterwards; fills in the cell's outcome."""
    writes = Writes()
    response = None
    with transaction.atomic():
        with connection.execute_wrapper(writes):
            try:
                api, response = _send(client, key, row, *target)
            except Exception as exc:  # the test client raises what the handler answers 500
                cell.got, cell.detail = "500", f"{type(exc).__name__}: {exc}"[:300]
        transaction.set_rollback(True)
    if response is None:
        return
    cell.got = _outcome(row, api, response, bool(writes.statements), login)
    if cell.got in matrix.REFUSALS and writes.statements:
        cell.detail = f"a refused call wrote: {writes.statements[0][:100]}"
    elif cell.failed and cell.got in (matrix.INVALID, matrix.DENIED) and not response.streaming:
        text = re.sub(r"<[^>]+>", " ", response.content[:400].decode(errors="replace"))
        cell.detail = " ".join(text.split())[:160]


@pytest.fixture
def quiet(settings):
    """What the thousands of calls need and the pages do not: no log line per 403 and 404;
    no recording of each rendered template for the response (Django's test instrumentation,
    a fifth of the run; the matrix reads status codes only); rate limits counted in a cache
    of the test's own, emptied before each cell."""
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "m"}
    }
    logger = logging.getLogger("django.request")
    level = logger.level
    logger.setLevel(logging.ERROR)
    saved = getattr(getattr(_TestState, "saved_data", None), "template_render", Template._render)
    with mock.patch.object(Template, "_render", saved):
        yield
    logger.setLevel(level)


def test_cells(world, settings, tmp_path, quiet):
    settings.MEDIA_ROOT = tmp_path / "media"
    login = reverse(settings.LOGIN_URL)
    started = time.monotonic()
    users, targets = build(world)
    built = time.monotonic()
    clients = {"anon": Client()}
    for alias, user in users.items():
        clients[alias] = Client()
        clients[alias].force_login(user)
    sessions = {alias: dict(c.cookies.items()) for alias, c in clients.items()}
    problems, bugs, timings = [], [], []
    count = 0
    for key, row in {**matrix.ROUTES, **matrix.OPERATIONS}.items():
        row_started = time.monotonic()
        for label, (t, make_args, make_data, expected) in targets_of(row).items():
            for caller in matrix.CALLERS:
                count += 1
                client = clients[caller]
                client.cookies = SimpleCookie()  # logged in as built, whatever a cell did
                for name, morsel in sessions[caller].items():
                    client.cookies[name] = morsel.value
                cache.clear()
                cell = Cell(key, label, caller, expected[caller])
                _call(client, key, row, (targets[t], make_args, make_data), cell, login)
                reason = matrix.KNOWN_BUGS.get((key, label, caller))
                if reason is None and cell.failed:
                    problems.append(str(cell))
                elif reason is not None and cell.failed:
                    bugs.append(f"{cell}: {reason}")
                elif reason is not None:
                    problems.append(f"{cell}: fixed? Remove it from KNOWN_BUGS")
        timings.append((time.monotonic() - row_started, key))
    timings.sort(reverse=True)
    summary = (
        f"{len(matrix.ROUTES)} routes and {len(matrix.OPERATIONS)} API operations, {count} "
        f"cells; world built in {built - started:.1f} s, all in {time.monotonic() - started:.1f}"
        " s; slowest: " + ", ".join(f"{key} {seconds:.1f} s" for seconds, key in timings[:6])
    )
    print(summary)
    for line in bugs:
        warnings.warn(matrix.KnownBug(line), stacklevel=1)
    assert not problems, f"{summary}\n{len(problems)} cells differ from the table:\n" + (
        "\n".join(problems)
    )
