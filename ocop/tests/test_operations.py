"""Running in production on standard parts: metrics, request ids and structured logs, the
503 page when the database is gone, the read-replica router, Redis as the cache and
S3-compatible object storage for uploads."""

import json
import logging
import os
import shutil
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from django.db import OperationalError
from django.test import Client
from django.utils import timezone

from ocop import databases, logs

ROOT = Path(__file__).resolve().parents[2]


# --- /metrics ---------------------------------------------------------------------------------


def _metric(body: str, name: str, **labels) -> float | None:
    """The value of one sample in Prometheus's text format."""
    want = ",".join(f'{k}="{v}"' for k, v in sorted(labels.items()))
    for line in body.splitlines():
        if line.startswith("#"):
            continue
        sample, _, value = line.rpartition(" ")
        if sample == (f"{name}{{{want}}}" if want else name):
            return float(value)
    return None


def test_metrics_count_requests_by_view_and_status(db, client):
    before = client.get("/metrics").content.decode()
    seen = _metric(before, "ocop_http_requests_total", method="GET", view="home", status="200")
    client.get("/")
    client.get("/")
    client.get("/no-such-page/")
    body = client.get("/metrics").content.decode()
    assert (
        _metric(body, "ocop_http_requests_total", method="GET", view="home", status="200")
        == (seen or 0) + 2
    )
    assert _metric(body, "ocop_http_requests_total", method="GET", view="unmatched", status="404")
    assert _metric(body, "ocop_http_request_duration_seconds_count", method="GET", view="home") >= 2
    assert "/no-such-page/" not in body  # the label is the route's name, never the path


def test_metrics_report_the_task_queue(db, client):
    from django_tasks_db.models import DBTaskResult

    def task(status, minutes_ago):
        row = DBTaskResult.objects.create(
            status=status, args_kwargs={"args": [], "kwargs": {}}, task_path="x.y",
            backend_name="default", run_after=timezone.now(),
        )  # fmt: skip
        DBTaskResult.objects.filter(pk=row.pk).update(
            enqueued_at=timezone.now() - timezone.timedelta(minutes=minutes_ago)
        )

    task("READY", 30)
    task("READY", 1)
    task("RUNNING", 2)
    task("SUCCESSFUL", 90)
    body = client.get("/metrics").content.decode()
    assert _metric(body, "ocop_tasks", status="ready") == 2
    assert _metric(body, "ocop_tasks", status="running") == 1
    assert 1790 < _metric(body, "ocop_task_oldest_ready_age_seconds") < 1900


def test_metrics_are_hidden_from_everyone_else(db, settings):
    client = Client()
    assert client.get("/metrics").status_code == 200  # straight from loopback
    assert client.get("/metrics", REMOTE_ADDR="203.0.113.9").status_code == 404
    # Through the proxy (which runs on loopback and says who asked): not straight.
    assert client.get("/metrics", HTTP_X_FORWARDED_FOR="203.0.113.9").status_code == 404
    settings.METRICS_TOKEN = "s3cret-token-for-prometheus"
    bearer = "Bearer s3cret-token-for-prometheus"
    assert (
        client.get("/metrics", REMOTE_ADDR="203.0.113.9", HTTP_AUTHORIZATION=bearer).status_code
        == 200
    )
    assert (
        client.get("/metrics", REMOTE_ADDR="203.0.113.9", HTTP_AUTHORIZATION="Bearer x").status_code
        == 404
    )


# --- Request ids and JSON logs ----------------------------------------------------------------


def test_each_answer_carries_a_request_id_and_keeps_the_proxys(db, client):
    first = client.get("/healthz")["X-Request-ID"]
    second = client.get("/healthz")["X-Request-ID"]
    assert len(first) == 32 and first != second
    given = "2f1c0e9a7b6d4c3e8f00112233445566"
    assert client.get("/healthz", HTTP_X_REQUEST_ID=given)["X-Request-ID"] == given
    forged = client.get("/healthz", HTTP_X_REQUEST_ID="x\nInjected: yes")["X-Request-ID"]
    assert "\n" not in forged and len(forged) == 32  # not plausible: replaced


def test_json_log_lines_carry_the_request_id_and_the_extras():
    record = logging.LogRecord(
        "ocop.test", logging.WARNING, __file__, 1, "scan of %s", ("AB",), None
    )
    record.serial = "AB"
    record.request_id = "rid-1"
    line = json.loads(logs.JsonFormatter().format(record))
    assert line["message"] == "scan of AB" and line["level"] == "WARNING"
    assert line["request_id"] == "rid-1" and line["serial"] == "AB"
    assert line["logger"] == "ocop.test" and line["time"].endswith("+00:00")
    try:
        raise ValueError("boom")
    except ValueError:
        failed = logging.LogRecord("x", logging.ERROR, __file__, 1, "failed", (), sys.exc_info())
    assert "ValueError: boom" in json.loads(logs.JsonFormatter().format(failed))["exception"]


def test_log_format_json_is_what_a_server_writes(tmp_path):
    """A real process with LOG_FORMAT=json writes one JSON object per line on stderr."""
    script = textwrap.dedent(
        """
        import django, logging
        django.setup()
        from django.test.utils import setup_test_environment
        setup_test_environment()
        from django.test import Client
        Client().get("/no-such-page/", HTTP_X_REQUEST_ID="abc-123")
        logging.getLogger("ocop.try").warning("hello %s", "world", extra={"n": 3})
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120,
        env={**os.environ, "LOG_FORMAT": "json", "DJANGO_SETTINGS_MODULE": "ocop.settings",
             "DATABASE_URL": f"sqlite:///{tmp_path}/log.sqlite3"},
    )  # fmt: skip
    lines = [json.loads(line) for line in result.stderr.splitlines() if line.strip()]
    assert {"message": "hello world", "n": 3}.items() <= lines[-1].items()
    not_found = [line for line in lines if line["logger"] == "django.request"]
    assert not_found and not_found[0]["request_id"] == "abc-123"
    assert not_found[0]["status_code"] == 404


# --- The database gone during a request -------------------------------------------------------


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (OperationalError("server closed the connection unexpectedly"), 503),
        (ValueError("a bug"), 500),
    ],
)
def test_a_database_error_gives_the_503_page_and_any_other_a_500(db, monkeypatch, error, status):
    import ocop.views
    from ocop.accounts.models import Membership, Role, User

    def failing(**kwargs):
        raise error

    monkeypatch.setattr(ocop.views, "producer_visible", failing)
    officer = User.objects.create_user(email="o@example.vn", password="x")
    Membership.objects.create(user=officer, role=Role.CENTRAL_OFFICER)
    client = Client(raise_request_exception=False)
    client.force_login(officer)
    response = client.get("/")
    assert response.status_code == status
    if status == 503:
        assert response["Retry-After"] == "10"
        assert "The database could not be reached" in response.content.decode()


# --- Read replica -----------------------------------------------------------------------------


class _Model:
    pass


def test_the_router_reads_from_the_replica_only_inside_a_public_read(monkeypatch):
    monkeypatch.setattr(databases, "replica_configured", lambda: True)
    router = databases.ReplicaRouter()
    assert router.db_for_read(_Model) is None  # outside: the primary
    with databases.replica_reads():
        assert router.db_for_read(_Model) == "replica"
        assert router.db_for_write(_Model) == "default"
        assert router.db_for_read(_Model) is None  # after a write: read your writes
    with databases.replica_reads():
        assert router.db_for_read(_Model) == "replica"  # a new request starts afresh
    assert router.allow_migrate("replica", "producers") is False
    assert router.allow_migrate("default", "producers") is True


REPLICA_SCRIPT = """
import django, json
django.setup()
from django.test.utils import setup_test_environment
setup_test_environment()
from django.db import connections
from django.test import Client
from ocop.accounts.models import Membership, Role, User
from ocop.traceability.models import Scan

out = {}
anon = Client()
out["anon"] = [p["name"] for p in anon.get("/api/geo/provinces").json()]
out["anon_private_page"] = anon.get("/producers/").status_code
officer = User.objects.create_user(email="officer@example.vn", password="x")
Membership.objects.create(user=officer, role=Role.CENTRAL_OFFICER)
signed_in = Client()
signed_in.force_login(officer)
out["officer"] = [p["name"] for p in signed_in.get("/api/geo/provinces").json()]
from ocop.traceability.codes import serial_new
out["scan"] = anon.get(f"/tem/{serial_new()}/").status_code
out["scans_primary"] = Scan.objects.using("default").count()
with connections["replica"].cursor() as cursor:
    cursor.execute("SELECT COUNT(*) FROM traceability_scan")
    out["scans_replica"] = cursor.fetchone()[0]
print(json.dumps(out))
"""


def test_public_reads_go_to_the_replica_and_writes_to_the_primary(tmp_path):
    """Two real databases: the replica is a copy of the primary taken after migrating (as a
    base backup is), then each gets a province the other does not have. An anonymous reader
    of a public API sees the replica's; an officer sees the primary's; the scan an anonymous
    consumer makes is written to the primary."""
    primary, replica = tmp_path / "primary.sqlite3", tmp_path / "replica.sqlite3"
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{primary}",
        "DJANGO_SETTINGS_MODULE": "ocop.settings",
    }
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True, timeout=300
    )
    shutil.copyfile(primary, replica)
    for path, name in ((primary, "Tỉnh Chỉ Ở Bản Chính"), (replica, "Tỉnh Chỉ Ở Bản Sao")):
        with sqlite3.connect(path) as conn:
            conn.execute(
                "INSERT INTO geo_province (code, name, codename, division_type) "
                "VALUES (?, ?, ?, ?)",
                (99 if path == primary else 98, name, path.stem, "tỉnh"),
            )
    env["DATABASE_REPLICA_URL"] = f"sqlite:///{replica}"
    result = subprocess.run(
        [sys.executable, "-c", REPLICA_SCRIPT], cwd=ROOT, env=env, capture_output=True,
        text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout.strip().splitlines()[-1])
    assert out["anon"] == ["Tỉnh Chỉ Ở Bản Sao"]
    assert out["officer"] == ["Tỉnh Chỉ Ở Bản Chính"]
    assert out["anon_private_page"] == 302  # not a replica view: sign in first
    assert out["scan"] == 404  # an unknown serial, answered and logged
    assert out["scans_primary"] == 1 and out["scans_replica"] == 0


# --- Uploads on S3-compatible object storage --------------------------------------------------


@pytest.fixture
def s3(settings, monkeypatch):
    """A local S3-compatible server (moto's) with an empty private bucket, as the default
    storage, configured the way settings.py does it for MEDIA_STORAGE=s3."""
    import socket

    import boto3
    from moto.server import ThreadedMotoServer

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "test-key")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "test-secret")
    bucket = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1")
    bucket.create_bucket(Bucket="ocop-media")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": "ocop-media",
                "endpoint_url": endpoint,
                "region_name": "us-east-1",
                "default_acl": None,
                "querystring_auth": True,
                "file_overwrite": False,
            },
        },
    }
    yield bucket
    server.stop()


def test_uploads_are_stored_read_and_backed_up_from_object_storage(
    s3, world, client, tmp_path, monkeypatch, django_capture_on_commit_callbacks
):
    from ocop.accounts.permissions import Action
    from ocop.backups.archive import backup_write
    from ocop.documents.services import document_delete, document_store
    from ocop.documents.tests.conftest import PDF, upload
    from ocop.producers.models import Producer

    # A producer stands in for the plans and dossiers files belong to (as in documents' tests).
    monkeypatch.setattr(Producer, "view_action", Action.PRODUCER_VIEW, raising=False)
    member = world.users["producer_member"]
    owner = world.producer_a
    document = document_store(file=upload("Kế hoạch.pdf", PDF), uploaded_by=member, owner=owner)
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket="ocop-media").get("Contents", [])]
    assert keys == [document.file.name]
    assert s3.get_object(Bucket="ocop-media", Key=document.file.name)["Body"].read() == PDF

    client.force_login(member)
    response = client.get(document.get_absolute_url())
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF

    archive = tmp_path / "backup.tar.gz"
    summary, manifest = backup_write(archive)
    assert summary.files == 1
    assert [f["name"] for f in manifest["files"]] == [document.file.name]

    with django_capture_on_commit_callbacks(execute=True):
        document_delete(document=document, actor=member)
    assert s3.list_objects_v2(Bucket="ocop-media").get("KeyCount") == 0


# --- Redis as the cache -----------------------------------------------------------------------


def _redis_answers() -> bool:
    import socket

    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        return False
    return True


REDIS_SCRIPT = """
import django, json, sys
django.setup()
from django.test.utils import setup_test_environment
setup_test_environment()
from django.conf import settings
from django.core.cache import cache
from django.test import Client
key = sys.argv[1]
out = {"backend": settings.CACHES["default"]["BACKEND"], "sessions": settings.SESSION_ENGINE}
if sys.argv[2] == "set":
    cache.set(key, "from another node", 60)
out["seen"] = cache.get(key)
out["readyz"] = Client().get("/readyz").status_code
print(json.dumps(out))
"""


@pytest.mark.skipif(not _redis_answers(), reason="no Redis on 127.0.0.1:6379")
def test_with_redis_url_every_process_shares_one_cache(tmp_path):
    import uuid

    env = {
        **os.environ,
        "REDIS_URL": "redis://127.0.0.1:6379/15",
        "CACHE_KEY_PREFIX": "ocop-test",
        "DATABASE_URL": f"sqlite:///{tmp_path}/r.sqlite3",
        "DJANGO_SETTINGS_MODULE": "ocop.settings",
    }
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    key = f"shared-{uuid.uuid4().hex}"
    outs = []
    for step in ("set", "get"):  # two processes: two web nodes
        result = subprocess.run(
            [sys.executable, "-c", REDIS_SCRIPT, key, step], cwd=ROOT, env=env,
            capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        outs.append(json.loads(result.stdout.strip().splitlines()[-1]))
    assert outs[0]["backend"] == "django.core.cache.backends.redis.RedisCache"
    assert outs[0]["sessions"] == "django.contrib.sessions.backends.cached_db"
    assert outs[1]["seen"] == "from another node"
    assert outs[0]["readyz"] == outs[1]["readyz"] == 200
