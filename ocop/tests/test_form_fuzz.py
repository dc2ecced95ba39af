"""Fuzzed form posts never answer 500 (#11).

The authorization matrix's world (test_authz_matrix.build) is built; every page of the
matrix's table is opened, on producer A's records, by each caller the table lets open it
(and by the chair of A's council, who holds forms no caller of the table sees). Each form
served is parsed (its fields, their options, the CSRF token) and sent as a browser would:
first as served — the baseline, its required fields filled with plausible values — then with
one field at a time mutated: emptied, 10,000 characters long, NUL bytes, RTL marks and
emoji, numbers that overflow (1e999999, 2⁶³, NaN), dates that do not exist (0000-00-00,
2026-02-30, 99999-01-01), choices not offered, another record's id or none, the field left
out or sent twice; for a file input bytes of the wrong kind, an empty file, a name climbing
out of the folder. The POST routes of the table that no page showed a form for are posted
their row's data, mutated alike; the search and filter forms (GET) and the fields that ask
the server what follows from them (htmx's hx-get) are sent too.

Each request runs in a transaction rolled back afterwards (nothing one writes is seen by the
next), with the caller's session as logged in. No answer may be a server error; a post
refused (4xx, the form shown again with its errors, an error message) must have written
nothing, and nothing may write a NUL character (SQLite stores it, PostgreSQL answers 500).

The mutations are drawn from generators seeded by the form's route and field, so that a
failure reproduces. FORM_FUZZ_SEED changes the draw, FORM_FUZZ_PER_FIELD (default 4) how
many values each field is sent besides those of its kind, FORM_FUZZ_MAX_FIELDS (default 12)
how many fields of a form are mutated, FORM_FUZZ_ROUTES=route,route sends only the forms
of those routes (a failure again, in seconds). A deeper search: FORM_FUZZ_PER_FIELD=40
FORM_FUZZ_MAX_FIELDS=100 (about 5 minutes on SQLite).
"""

import os
import random
import time
import traceback
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest
from django.contrib import messages
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, models, transaction
from django.test import Client
from django.urls import Resolver404, resolve, reverse

from ocop.accounts.models import User
from ocop.dossiers.tests.conftest import PDF_BYTES, png_bytes

from . import authz_matrix as matrix
from .test_authz_matrix import build, quiet, targets_of

__all__ = ["quiet"]  # the matrix's fixture: its quiet logs, its own cache

SEED = os.environ.get("FORM_FUZZ_SEED", "11")
PER_FIELD = int(os.environ.get("FORM_FUZZ_PER_FIELD", "4"))
# Only the forms posting to these routes (comma-separated), to reproduce a failure quickly.
ONLY = {r for r in os.environ.get("FORM_FUZZ_ROUTES", "").split(",") if r}
# Fields mutated per form, drawn (an evaluation sheet has dozens, all alike).
MAX_FIELDS = int(os.environ.get("FORM_FUZZ_MAX_FIELDS", "12"))
ROOT = Path(__file__).resolve().parents[2]
# What a refused post may still write: the session, the sign-in attempts axes records.
UNCHECKED_TABLES = ("django_session", "axes_")
# Posts that keep what they could save when they answer with an error message, by design.
KEEPS_ON_ERROR = {
    "evaluation:sheet_save": "the answers are saved as a draft, then the submission refused "
    "(incomplete): nothing the member typed is lost",
}

# --- Reading the forms ---------------------------------------------------------------------


@dataclass
class Field:
    name: str
    kind: str  # input type, "select", "textarea" or "submit"
    value: str = ""
    options: list[str] = field(default_factory=list)  # select options, radio/checkbox values
    chosen: list[str] = field(default_factory=list)  # selected or checked
    multiple: bool = False
    accept: str = ""
    disabled: bool = False
    required: bool = False

    @property
    def empty(self) -> bool:
        if self.kind in ("radio", "checkbox", "select", "submit"):
            return not any(self.chosen)
        return not self.value


@dataclass
class Form:
    action: str
    multipart: bool
    method: str = "post"
    fields: dict[str, Field] = field(default_factory=dict)

    def add(self, name: str, kind: str, value: str, *, chosen=False, **extra) -> None:
        existing = self.fields.get(name)
        if existing is None:
            existing = self.fields[name] = Field(name, kind, value, **extra)
        if kind in ("radio", "checkbox", "submit"):
            existing.options.append(value)
            if chosen:
                existing.chosen.append(value)
        if kind == "checkbox" and len(existing.options) > 1:
            existing.multiple = True


class FormParser(HTMLParser):
    """The page's forms and their fields; and, as a form of one field, each field that asks
    a URL for what follows from its value (htmx's hx-get: a province's communes)."""

    def __init__(self, page_url: str):
        super().__init__(convert_charrefs=True)
        self.page_url = page_url
        self.forms: list[Form] = []
        self.form: Form | None = None
        self.select: Field | None = None
        self.option: dict | None = None
        self.textarea: Field | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: ("" if v is None else v) for k, v in attrs}
        if tag == "form":
            multipart = a.get("enctype", "") == "multipart/form-data"
            method = "post" if a.get("method", "get").lower() == "post" else "get"
            self.form = Form(a.get("action") or self.page_url, multipart, method)
            self.forms.append(self.form)
            return
        if self.form is None:
            return
        name = a.get("name")
        disabled = "disabled" in a

        if tag == "input" and name:
            kind = a.get("type", "text").lower()
            if kind in ("submit", "image", "button", "reset"):
                kind = "submit" if kind in ("submit", "image") else ""
            if kind:
                self.form.add(
                    name,
                    kind,
                    a.get("value", "on" if kind in ("radio", "checkbox") else ""),
                    chosen="checked" in a,
                    accept=a.get("accept", ""),
                    disabled=disabled,
                    required="required" in a,
                )
        elif tag == "button" and name and a.get("type", "submit").lower() == "submit":
            self.form.add(name, "submit", a.get("value", ""), chosen=False)
        elif tag == "select" and name:
            self.form.add(
                name,
                "select",
                "",
                multiple="multiple" in a,
                disabled=disabled,
                required="required" in a,
            )
            self.select = self.form.fields[name]
        elif tag == "option" and self.select is not None:
            self.option = {"value": a.get("value"), "selected": "selected" in a, "text": ""}
        elif tag == "textarea" and name:
            self.form.add(name, "textarea", "", disabled=disabled, required="required" in a)
            self.textarea = self.form.fields[name]
        if name in self.form.fields and a.get("hx-get") and tag in ("input", "select"):
            follows = Form(a["hx-get"], multipart=False, method="get")
            follows.fields[name] = self.form.fields[name]  # its options, once read
            self.forms.append(follows)

    def handle_data(self, data):
        if self.option is not None:
            self.option["text"] += data
        elif self.textarea is not None:
            self.textarea.value += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.form = None
        elif tag == "select":
            self._end_option()
            self.select = None
        elif tag == "option":
            self._end_option()
        elif tag == "textarea" and self.textarea is not None:
            # A newline right after <textarea> is not part of the value.
            self.textarea.value = self.textarea.value.removeprefix("\n")
            self.textarea = None

    def _end_option(self):
        if self.option is not None and self.select is not None:
            o = self.option
            value = o["value"] if o["value"] is not None else o["text"].strip()
            self.select.options.append(value)
            if o["selected"]:
                self.select.chosen.append(value)
        self.option = None


def forms_of(html: str, page_url: str) -> list[Form]:
    parser = FormParser(page_url)
    parser.feed(html)
    parser.close()
    return parser.forms


def route_of(url: str) -> str | None:
    try:
        match = resolve(urlsplit(url).path)
    except Resolver404:
        return None
    return match.view_name


# --- Values --------------------------------------------------------------------------------

PDF = PDF_BYTES
PNG = png_bytes()
FILLERS = {
    "email": "fuzz@example.vn",
    "url": "https://example.vn/fuzz.pdf",
    "date": "2027-01-15",
    "datetime-local": "2027-01-15T08:00",
    "time": "08:00",
    "month": "2027-01",
    "number": "1",
    "tel": "0901234567",
    "password": "a-Long-fuzz-passphrase-2026",
}


def named_values(o) -> dict:
    """Values the forms check beyond their type, by field name: the baseline a post is
    mutated from should pass, so that each mutation reaches as far as it can."""
    return {
        "tax_code": "5800123458",
        "login_phone": "0912345678",
        "phone": "0912345678",
        "gtin": "8934563000011",
        "lot": "L2026-FUZZ",
        "login": "no_role@test.ocop.vn",
        "role": "member",
        "level": "province",
        "kinds": ["dossier"],
        "province": str(o.province.pk),
        "commune": str(o.commune.pk),  # its options come with the province's (htmx)
    }


def upload(name: str, content: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def good_file(f: Field) -> SimpleUploadedFile:
    accept = f.accept.lower()
    if ".pdf" in accept or not accept:
        return upload("minh-chung.pdf", PDF, "application/pdf")
    if ".csv" in accept or ".xlsx" in accept:
        return upload("danh-sach.csv", "Tên\nHTX Mới\n".encode(), "text/csv")
    return upload("anh.png", PNG, "image/png")


TEXTS = [
    ("empty", ""),
    ("10k chars", "x" * 10_000),
    ("10k unicode", "Hợp tác xã 😀 " * 770),
    ("NUL", "a\x00b"),
    ("only NUL", "\x00"),
    ("RTL and emoji", "\u202eمرحبا\u202c 👩🏽‍🌾🇻🇳 e\u0301\u200b\ufeff"),
    ("blanks", " \t\r\n "),
    ("markup", "<script>alert(1)</script>&amp;"),
    ("invalid UTF-8", b"\xff\xfe\xc3"),
]
NUMBERS = [
    ("1e999999", "1e999999"),
    ("-1", "-1"),
    ("2**63", "9223372036854775808"),
    ("-2**63-1", "-9223372036854775809"),
    ("NaN", "NaN"),
    ("Infinity", "-Infinity"),
    ("20 digits", "99999999999999999999"),
    ("decimal", "1.5"),
    ("comma", "1,5"),
    ("zero", "0"),
]
DATES = [
    ("0000-00-00", "0000-00-00"),
    ("2026-02-30", "2026-02-30"),
    ("99999-01-01", "99999-01-01"),
    ("0001-01-01", "0001-01-01"),
    ("9999-12-31", "9999-12-31"),
    ("datetime out of range", "9999-12-31T23:59:59+14:00"),
    ("day 32", "32/13/2026"),
]
# Sent to every field, whatever its kind: the overflows and the NUL the issue names.
EVERY = [NUMBERS[0], NUMBERS[2], TEXTS[3]]
IDS = [
    ("non-numeric id", "abc"),
    ("largest id", "9223372036854775807"),
    ("id past 64 bits", "9223372036854775808"),
    ("id 0", "0"),
]
FILES = [
    ("random bytes", lambda r: upload("minh-chung.pdf", r.randbytes(2048), "application/pdf")),
    ("empty file", lambda r: upload("rong.pdf", b"", "application/pdf")),
    ("name with ../", lambda r: upload("../../../etc/passwd.pdf", PDF, "application/pdf")),
    ("PNG named .pdf", lambda r: upload("anh.pdf", PNG, "application/pdf")),
    ("PDF named .png", lambda r: upload("tai-lieu.png", PDF, "image/png")),
    ("text named .png", lambda r: upload("anh.png", b"not an image", "image/png")),
    ("300-char name", lambda r: upload("a" * 296 + ".pdf", PDF, "application/pdf")),
    ("name with NUL", lambda r: upload("a\x00b.pdf", PDF, "application/pdf")),
    ("no name", lambda r: upload(".pdf", PDF, "application/pdf")),
    ("a string, no file", lambda r: "not-a-file"),
]


def baseline_value(f: Field, known: dict):
    """What a browser would send for the field (None: nothing), a required field left empty
    filled in, and an empty one whose type says what it holds (a date, a number...): what
    the form checks of them then runs too."""
    if f.name in known:
        return known[f.name]
    if f.kind == "file":
        return good_file(f)
    if f.kind in ("radio", "checkbox", "select", "submit"):
        chosen = [c for c in f.chosen if c or not f.required]
        if not chosen and f.options:
            filled = [o for o in f.options if o] or f.options
            if f.required or f.kind == "submit":  # the first choice, the first button
                chosen = filled[:1]
            elif f.kind == "select":  # a browser sends the first option
                chosen = f.options[:1]
        if not chosen:
            return None
        return chosen if f.multiple or f.kind == "checkbox" else chosen[0]
    if f.value:
        return f.value
    if f.required:
        return FILLERS.get(f.kind, "Thử nghiệm")
    return FILLERS.get(f.kind, "")  # free text left empty: it may have to be a code


def baseline(form: Form, known: dict) -> dict:
    values = {name: baseline_value(f, known) for name, f in form.fields.items()}
    return {
        name: value
        for name, value in values.items()
        if value is not None and not form.fields[name].disabled
    }


LEFT_OUT, TWICE = object(), object()


def mutations(form: Form, name: str, other_ids: list[int], rng: random.Random):
    """(label, value) pairs for one field: every value of its kind's own list (numbers for a
    number input, dates for a date input, choices not offered and ids for a choice, files for
    a file input), EVERY's, the field left out and sent twice; and PER_FIELD of the rest."""
    f = form.fields[name]
    own, rest = [], [*TEXTS, *NUMBERS, *DATES, *IDS]
    if f.kind == "file":
        own, rest = [(label, make(rng)) for label, make in FILES], TEXTS[:2]
    elif f.kind == "number":
        own = NUMBERS
    elif f.kind.startswith("date") or f.kind in ("month", "time"):
        own = DATES
    elif f.kind in ("select", "radio", "checkbox", "submit", "hidden"):
        own = [("not an option", "not-a-choice"), *IDS]
        if any(o.isdigit() for o in f.options) or f.value.isdigit():
            own.append(("another record's id", str(rng.choice(other_ids))))
    if f.kind != "file":
        own += [m for m in EVERY if m not in own]
    own += [("left out", LEFT_OUT), ("sent twice", TWICE)]
    rest = [m for m in rest if m not in own]
    return [*own, *rng.sample(rest, min(len(rest), PER_FIELD))]


def mutated(data: dict, name: str, value) -> dict:
    data = dict(data)
    if value is LEFT_OUT:
        data.pop(name, None)
    elif value is TWICE:
        first = data.get(name, "")
        first = first if isinstance(first, list) else [first]
        if first and isinstance(first[0], SimpleUploadedFile):
            first[0].seek(0)
            copy = upload(first[0].name, first[0].read(), first[0].content_type)
            data[name] = [*first, copy]
        else:
            data[name] = [*first, *first] if first else ["1", "2"]
    else:
        data[name] = value
    return data


def other_ids(o) -> list[int]:
    """The ids of producer C's records: a form of A's sent one of them."""
    return sorted({v.pk for v in vars(o).values() if isinstance(v, models.Model)}) or [1]


# --- Posting --------------------------------------------------------------------------------


class NetWrites:
    """The statements a request sends that write and that stay written: those sent inside a
    savepoint rolled back (a service's transaction.atomic refusing its input) are dropped.
    Each with whether it writes a NUL character, which SQLite stores and PostgreSQL refuses
    (a 500 there)."""

    def __init__(self):
        self.frames: list[tuple[str, list[tuple[str, bool]]]] = [("", [])]

    def __call__(self, execute, sql, params, many, context):
        words = sql.split()
        head = " ".join(words[:2]).upper()
        if head.startswith("SAVEPOINT"):
            self.frames.append((words[1].strip('"'), []))
        elif head in ("RELEASE SAVEPOINT", "ROLLBACK TO"):
            name = words[-1].strip('"')
            names = [n for n, _ in self.frames]
            if name in names[1:]:
                index = names.index(name)
                dropped = self.frames[index:]
                del self.frames[index:]
                if head == "RELEASE SAVEPOINT":
                    self.frames[-1][1].extend(s for _, f in dropped for s in f)
        elif words and words[0].upper() in ("INSERT", "UPDATE", "DELETE"):
            rows = (params if many else [params]) or []
            values = [v for row in rows for v in (row.values() if isinstance(row, dict) else row)]
            nul = any(isinstance(v, str) and "\x00" in v for v in values)
            self.frames[-1][1].append((sql, nul))
        return execute(sql, params, many, context)

    def _kept(self) -> list[tuple[str, bool]]:
        return [
            s
            for _, frame in self.frames
            for s in frame
            if not any(table in s[0] for table in UNCHECKED_TABLES)
        ]

    @property
    def statements(self) -> list[str]:
        return [sql for sql, _ in self._kept()]

    @property
    def nul(self) -> str | None:
        """The first statement kept that writes a NUL character."""
        return next((sql for sql, nul in self._kept() if nul), None)


@dataclass
class Case:
    """One form, sent by one caller."""

    route: str  # the route the form posts to
    url: str
    caller: str
    form: Form
    known: dict  # values that make the post pass (the matrix row's data, named_values)


def _refused(route: str, response) -> bool:
    """A post refused: 4xx, the form shown again with what is wrong in it, or an error
    message for the next page."""
    if response.status_code >= 400:
        return True
    shown = response.status_code == 200 and not response.streaming
    if shown and b'class="errorlist' in response.content:
        return True
    if route in KEEPS_ON_ERROR:
        return False
    queued = getattr(getattr(response.wsgi_request, "_messages", None), "_queued_messages", [])
    return any(m.level >= messages.ERROR for m in queued)


@dataclass
class Poster:
    clients: dict
    sessions: dict  # each caller's cookies: its session and CSRF cookie, as logged in
    problems: list = field(default_factory=list)
    count: int = 0
    passed: set = field(default_factory=set)  # forms whose baseline was accepted (3xx)

    def send(self, case: Case, data: dict, label: str) -> int | None:
        """Send the form, in a transaction rolled back afterwards; note a 500, or a refused
        post that wrote. Returns the status code."""
        client, saved = self.clients[case.caller], self.sessions[case.caller]
        _restore(client, saved)
        cache.clear()  # the public forms' rate limits
        if case.form.method == "post":
            data = {"csrfmiddlewaretoken": saved["csrftoken"].value, **data}
        for value in data.values():
            for item in value if isinstance(value, list) else [value]:
                if isinstance(item, SimpleUploadedFile):
                    item.seek(0)
        self.count += 1
        writes, response = NetWrites(), None
        with transaction.atomic():
            with connection.execute_wrapper(writes):
                try:
                    response = self._send(client, case, data)
                except Exception as exc:  # what the handler would answer 500
                    self._fail(case, label, exc)
            transaction.set_rollback(True)
        if response is None:
            return None
        status = response.status_code
        if status >= 500:
            self._fail(case, label, f"answered {status}")
        elif case.form.method == "post" and writes.statements and _refused(case.route, response):
            self._fail(case, label, f"refused ({status}) yet wrote: {writes.statements[0][:120]}")
        elif writes.nul:
            self._fail(case, label, f"wrote a NUL character (PostgreSQL: 500): {writes.nul[:120]}")
        return status

    @staticmethod
    def _send(client: Client, case: Case, data: dict):
        if case.form.method == "get":
            return client.get(case.url, data)
        files = any(
            isinstance(item, SimpleUploadedFile)
            for value in data.values()
            for item in (value if isinstance(value, list) else [value])
        )
        if case.form.multipart or files:
            return client.post(case.url, data)
        body = urlencode(data, doseq=True)  # as a browser sends a form without files
        return client.post(case.url, body, content_type="application/x-www-form-urlencoded")

    def _fail(self, case: Case, label: str, exc) -> None:
        what = exc
        if isinstance(exc, Exception):
            frames = [
                f
                for f in traceback.extract_tb(exc.__traceback__)
                if "/ocop/" in f.filename and "/ocop/tests/" not in f.filename
            ]
            where = ""
            if frames:
                where = f" at {Path(frames[-1].filename).relative_to(ROOT)}:{frames[-1].lineno}"
            what = f"{type(exc).__name__}: {str(exc)[:200]}{where}"
        self.problems.append(f"{case.route} {case.url} as {case.caller}, {label}: {what}")


def fuzz(poster: Poster, case: Case, ids: list[int]) -> None:
    data = baseline(case.form, case.known)
    status = poster.send(case, data, "as served") or 0
    if case.form.method == "post" and 300 <= status < 400:
        poster.passed.add(case.route)
    names = [n for n in case.form.fields if n != "csrfmiddlewaretoken"]
    if len(names) > MAX_FIELDS:
        names = random.Random(f"{SEED}|{case.route}").sample(names, MAX_FIELDS)
    for name in names:
        rng = random.Random(f"{SEED}|{case.route}|{name}")
        for label, value in mutations(case.form, name, ids, rng):
            shown = getattr(value, "name", value)  # a file: its name
            if isinstance(shown, str | bytes):
                label = f"{label} {shown!r:.40}"
            poster.send(case, mutated(data, name, value), f"{name}={label}")
    # The whole form at once: nothing but the token; every field 10,000 characters long.
    poster.send(case, {}, "every field left out")
    long = {n: "x" * 10_000 for n, f in case.form.fields.items() if f.kind != "file"}
    long.pop("csrfmiddlewaretoken", None)
    poster.send(case, {**data, **long}, "every field 10k chars")


# --- The test -------------------------------------------------------------------------------

# Pages the table opens on records in another state than these forms need: producer A's
# dossier being assembled (its items' forms), its approved plan (milestones, support).
EXTRA_PAGES = [
    ("dossiers:detail", lambda o: {"pk": o.d_draft.pk}, "member"),
    ("plans:detail", lambda o: {"pk": o.plan_approved.pk}, "member"),
]


def _callers(cells: dict[str, str], outcomes=(matrix.OK,)) -> list[str]:
    return [c for c in matrix.CALLERS if cells.get(c) in outcomes]


def _restore(client: Client, saved: dict) -> None:
    client.cookies = SimpleCookie()
    for name, morsel in saved.items():
        client.cookies[name] = morsel.value


def _pages(o) -> list[tuple[str, str, dict | None, list[str]]]:
    """(route, URL, query, callers) of every page of the table on producer A's records
    (producer C's hold the same forms), with the callers the table lets open it."""
    pages = []
    for key, row in matrix.ROUTES.items():
        if row.method != "GET" or key.startswith("api:"):
            continue
        for t, make_args, _, cells in targets_of(row).values():
            if t == "a":
                url = reverse(key, kwargs=make_args(o) if make_args else {})
                callers = _callers(cells)
                if key == "evaluation:assignment":
                    callers.append("chair")  # closing, rescoring: no caller of the table
                pages.append((key, url, row.query(o) if row.query else None, callers))
    for key, make_args, caller in EXTRA_PAGES:
        pages.append((key, reverse(key, kwargs=make_args(o)), None, [caller]))
    return pages


@pytest.mark.usefixtures("quiet")
def test_fuzzed_form_posts_never_answer_500(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    # Each self-registration post hashes a password: argon2 costs it on purpose, a tenth of
    # the run here.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    started = time.monotonic()
    users, targets = build(world)
    built = time.monotonic()
    users["chair"] = User.objects.get(email="a_chair@test.ocop.vn")
    o, ids = targets["a"], other_ids(targets["c"])
    clients, sessions = {}, {}
    for alias in ["anon", *users]:
        clients[alias] = client = Client(enforce_csrf_checks=True)
        if alias != "anon":
            client.force_login(users[alias])
        client.get(reverse("home"))  # a CSRF cookie, the same for all its posts
        sessions[alias] = dict(client.cookies.items())
    poster = Poster(clients, sessions)
    named = named_values(o)

    # Every form of every page, once per shape (the same form on each of a dossier's items
    # is posted once), as the first caller who was served it; the search and filter forms
    # (GET) too.
    cases: dict[tuple, Case] = {}
    opened = 0
    for _, url, query, callers in _pages(o):
        for caller in callers:
            _restore(clients[caller], sessions[caller])
            response = clients[caller].get(url, query)
            opened += 1
            if "html" not in response.get("Content-Type", ""):
                break  # a file, a PDF, JSON: no form, whoever asks
            if response.status_code != 200:
                continue
            for form in forms_of(response.content.decode(), url):
                route = route_of(form.action)
                shape = tuple(sorted((n, f.kind) for n, f in form.fields.items()))
                if route is None or (route, form.method, shape) in cases:
                    continue
                row = matrix.ROUTES.get(route)
                known = {k: v for k, v in named.items() if k in form.fields}
                known = {k: v for k, v in known.items() if form.fields[k].empty}
                if row and row.method.lower() == form.method:
                    make = row.data if form.method == "post" else row.query
                    known.update(make(o) if make else {})
                known = {k: v for k, v in known.items() if k in form.fields}
                if route == "imports:jobs":
                    known["file"] = upload("danh-sach.csv", "Tên\nHTX Mới\n".encode(), "text/csv")
                action = urlsplit(form.action)
                target = action.path + (f"?{action.query}" if action.query else "")
                cases[(route, form.method, shape)] = Case(route, target, caller, form, known)

    # The POST routes no page showed a form for (a record in another state would): their
    # row's data, posted blind.
    served = {case.route for case in cases.values() if case.form.method == "post"}
    blind = []
    for key, row in matrix.ROUTES.items():
        if row.method != "POST" or key in served:
            continue
        callers = _callers(row.a, (matrix.OK, matrix.ALLOWED, matrix.NOOP))
        if not callers:
            continue
        data = row.data(o) if row.data else {}
        form = Form(reverse(key, kwargs=row.args(o) if row.args else {}), multipart=True)
        for name, value in data.items():
            kind = "file" if isinstance(value, SimpleUploadedFile) else "text"
            form.add(name, kind, "" if kind == "file" else str(value))
        blind.append(key)
        cases[(key, "blind")] = Case(key, form.action, callers[0], form, data)

    fuzzed = time.monotonic()
    timings = []
    for case in cases.values():
        if not ONLY or case.route in ONLY:
            case_started = time.monotonic()
            fuzz(poster, case, ids)
            timings.append((time.monotonic() - case_started, case.route))
    timings.sort(reverse=True)

    posted = sum(case.form.method == "post" for case in cases.values())
    summary = (
        f"{opened} pages opened, {posted} forms posted ({len(poster.passed)} accepted as "
        f"served; {len(blind)} posted blind: {', '.join(blind) or 'none'}) and "
        f"{len(cases) - posted} sent by GET, {poster.count} requests; world built in "
        f"{built - started:.0f} s, pages read in {fuzzed - built:.0f} s, forms sent in "
        f"{time.monotonic() - fuzzed:.0f} s (slowest: "
        + ", ".join(f"{route} {seconds:.1f} s" for seconds, route in timings[:5])
        + f"); FORM_FUZZ_SEED={SEED}"
    )
    print(summary)
    failing = sorted({line.split(" ", 1)[0] for line in poster.problems})
    again = (
        f"FORM_FUZZ_SEED={SEED} FORM_FUZZ_PER_FIELD={PER_FIELD} FORM_FUZZ_MAX_FIELDS={MAX_FIELDS}"
        f" FORM_FUZZ_ROUTES={','.join(failing)} .venv/bin/pytest {Path(__file__).relative_to(ROOT)}"
    )
    assert not poster.problems, f"{summary}\n{len(poster.problems)} requests failed:\n" + (
        "\n".join(poster.problems) + f"\nAgain, these forms only: {again}"
    )
