"""The shell of the site: languages, error pages, settings safety."""

import os
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]


def test_vietnamese_is_the_default_language(client, db):
    response = client.get(reverse("home"))
    assert response.headers["Content-Language"] == "vi"
    assert "Mỗi xã một sản phẩm" in response.content.decode()


def test_switching_to_english_and_back(client, db):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"}, follow=True)
    assert response.headers["Content-Language"] == "en"
    assert "One Commune One Product" in response.content.decode()
    response = client.post(reverse("set_language"), {"language": "vi", "next": "/"}, follow=True)
    assert response.headers["Content-Language"] == "vi"


def test_catalogue_is_complete_and_compiled():
    po_path = ROOT / "ocop/locale/vi/LC_MESSAGES/django.po"
    po = polib.pofile(str(po_path))
    assert po.untranslated_entries() == []
    assert po.fuzzy_entries() == []
    mo = polib.mofile(str(po_path.with_suffix(".mo")))
    compiled = {(e.msgctxt, e.msgid): e.msgstr for e in mo}
    for entry in po.translated_entries():
        if not entry.msgid_plural:
            key = (entry.msgctxt, entry.msgid)
            assert compiled.get(key) == entry.msgstr, f"stale .mo for {key!r}"


def test_404_page_is_friendly(client, db, settings):
    settings.DEBUG = False
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "404.html" in [t.name for t in response.templates]


def test_500_page_renders_without_context(client, db):
    from ocop.views import error_500

    response = error_500(None)
    assert response.status_code == 500
    assert "Đã có lỗi xảy ra" in response.content.decode()


@pytest.mark.parametrize(
    ("env", "ok"),
    [
        ({"DEBUG": "false"}, False),
        ({"DEBUG": "false", "SECRET_KEY": "short"}, False),
        ({"DEBUG": "false", "SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "ocop.example"}, True),
        ({"DEBUG": "true"}, True),
    ],
)
def test_production_refuses_to_start_without_a_secret_key(env, ok):
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY"}}
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env={**clean, "DJANGO_SETTINGS_MODULE": "ocop.settings", **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert (result.returncode == 0) is ok, result.stderr[-500:]
    if not ok:
        assert "SECRET_KEY" in result.stderr


def test_healthz_answers_without_the_database(client):
    response = client.get("/healthz")
    assert (response.status_code, response.content) == (200, b"ok")


def test_readiness_says_what_is_missing(db, client, monkeypatch):
    assert client.get("/readyz").content == b"ready"
    from django.db.migrations.executor import MigrationExecutor

    monkeypatch.setattr(MigrationExecutor, "migration_plan", lambda self, targets: ["0099"])
    response = client.get("/readyz")
    assert response.status_code == 503 and b"migrations pending" in response.content
