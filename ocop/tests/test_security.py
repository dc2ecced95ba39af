"""Hardening: the deployment check is clean with production settings, every page carries
the security headers and a Content-Security-Policy without inline script, no template holds
an inline script, and a password change signs the other sessions out."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

from django.test import Client

ROOT = Path(__file__).resolve().parents[2]


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    # The browser tests' conftest sets DJANGO_ALLOW_ASYNC_UNSAFE for the whole run; a
    # deployment never has it.
    inherited = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {
        **inherited,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "ocop.example.vn",
        "CSRF_TRUSTED_ORIGINS": "https://ocop.example.vn",
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "DATABASE_URL": f"sqlite:///{tmp_path}/deploy.sqlite3",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_pages_carry_the_security_headers(db, client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    csp = response["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";") if d.strip())
    assert directives["script-src"] == "'self'"  # no 'unsafe-inline', no 'unsafe-eval'
    assert directives["object-src"] == "'none'" and directives["frame-ancestors"] == "'none'"
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


INLINE_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.IGNORECASE)
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/ld\+json)[^>]*>", re.I)


def test_no_template_holds_an_inline_script():
    offenders = []
    for path in ROOT.glob("ocop/**/templates/**/*.html"):
        text = path.read_text(encoding="utf-8")
        if INLINE_SCRIPT.search(text) or INLINE_HANDLER.search(text) or "javascript:" in text:
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


def test_a_password_change_signs_the_other_sessions_out(db):
    from conftest import PASSWORD, make_user

    user = make_user("doi_mat_khau", password=PASSWORD)
    here, elsewhere = Client(), Client()
    for c in (here, elsewhere):
        assert (
            c.post("/accounts/login/", {"username": user.email, "password": PASSWORD}).status_code
            == 302
        )
    new = "another-Long-passphrase-2027"
    response = here.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 302
    assert here.get("/accounts/password/").status_code == 200  # this session stays
    assert elsewhere.get("/accounts/password/").status_code == 302  # the other is signed out


def test_sign_in_locks_out_an_account_from_one_address_without_telling_who_exists(db, settings):
    from conftest import PASSWORD, make_user

    settings.AXES_FAILURE_LIMIT = 3
    user = make_user("khoa_tai_khoan", password=PASSWORD)
    attacker = Client(REMOTE_ADDR="203.0.113.9", HTTP_ACCEPT_LANGUAGE="en")
    answers = []
    for login in (user.email, "khong-co@test.ocop.vn"):
        for _ in range(3):
            answers.append(attacker.post("/accounts/login/", {"username": login, "password": "x"}))
    # A known and an unknown account are answered alike, attempt after attempt.
    assert [r.status_code for r in answers[:3]] == [r.status_code for r in answers[3:]]
    locked = attacker.post("/accounts/login/", {"username": user.email, "password": PASSWORD})
    assert locked.status_code == 429 and "Sign-in paused" in locked.content.decode()
    # The person, from another address, still signs in.
    person = Client(REMOTE_ADDR="198.51.100.7")
    ok = person.post("/accounts/login/", {"username": user.email, "password": PASSWORD})
    assert ok.status_code == 302


def test_public_pages_are_limited_per_client(db, settings):
    from django.core.cache import cache

    cache.clear()
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "search": "3/m", "scan": "2/m"}
    client = Client(REMOTE_ADDR="203.0.113.10")
    codes = [client.get("/san-pham-ocop/tim-kiem/", {"q": "chè"}).status_code for _ in range(4)]
    assert codes[:3] == [200, 200, 200] and codes[3] == 429
    other = Client(REMOTE_ADDR="203.0.113.11")
    assert other.get("/san-pham-ocop/tim-kiem/", {"q": "chè"}).status_code == 200
    scans = [client.get("/tem/2FM6A1BZ0418G").status_code for _ in range(3)]
    assert scans[2] == 429 and scans[0] != 429
    limited = client.get("/tem/2FM6A1BZ0418G")
    assert limited["Retry-After"] == "60"


def test_password_reset_is_limited(db, settings):
    from django.core.cache import cache

    cache.clear()
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "password_reset": "2/h"}
    client = Client(REMOTE_ADDR="203.0.113.12")
    codes = [
        client.post("/accounts/password/reset/", {"email": f"a{i}@test.ocop.vn"}).status_code
        for i in range(3)
    ]
    assert codes == [302, 302, 429]
