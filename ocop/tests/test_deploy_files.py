"""The production examples in deploy/ stay usable as the platform changes: the compose stack
parses and checks each service, env.example names exactly the variables the settings read,
gunicorn loads its configuration, and the systemd units run commands that exist. No
network, no database: the files are read as text, YAML or INI, as their tools would."""

import configparser
import os
import re
import shlex
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.core.management import get_commands
from gunicorn.app.base import Application

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
# A variable read from the environment: os.environ.get("X"), os.environ["X"], env_bool("X").
ENV_READ = re.compile(
    r"""(?:environ(?:\.get)?|getenv|env_[a-z]+)\s*[\[(]\s*["']([A-Z][A-Z0-9_]*)["']"""
)
# A variable set in env.example, or shown commented out at its default ("#NAME=value").
ENV_LINE = re.compile(r"^#?([A-Z][A-Z0-9_]*)=(.*)$", re.MULTILINE)
# Read from the environment by a library itself, not by the settings: django-storages looks
# the S3 keys up there (storages.backends.s3), so they stay out of the settings module.
READ_BY_LIBRARIES = {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"}
SECRETS = re.compile(r"(SECRET_KEY|SECRET_KEY_FALLBACKS|PASSWORD|TOKEN|SECRET_ACCESS_KEY)$")
URL_PASSWORD = re.compile(r"://[^:/@]*:([^@]*)@")


def names_read(path: Path) -> set[str]:
    return set(ENV_READ.findall(path.read_text()))


def env_example() -> dict[str, str]:
    return dict(ENV_LINE.findall((DEPLOY / "env.example").read_text()))


def compose() -> dict:
    return yaml.safe_load((DEPLOY / "compose.yaml").read_text())


def unit(name: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # systemd's keys are case-sensitive
    parser.read_string((DEPLOY / "systemd" / name).read_text())
    return parser


def test_compose_services_each_have_a_healthcheck_or_run_once():
    services = compose()["services"]
    # A one-shot is a service another waits for to have completed.
    one_shots = {
        name
        for service in services.values()
        for name, needs in (service.get("depends_on") or {}).items()
        if needs.get("condition") == "service_completed_successfully"
    }
    assert {"migrate", "minio-init"} <= one_shots
    for name, service in services.items():
        if name in one_shots:
            assert service.get("restart") == "no", f"{name} runs once: restart must be 'no'"
        else:
            assert service.get("healthcheck", {}).get("test"), f"{name} has no healthcheck"
        for needed, needs in (service.get("depends_on") or {}).items():
            assert needed in services, f"{name} depends on an unknown service {needed}"
            if needs.get("condition") == "service_healthy":
                assert services[needed].get("healthcheck"), f"{needed} is awaited but unchecked"


def test_compose_runs_two_web_replicas_after_migrate_and_its_files_exist():
    services = compose()["services"]
    web = services["web"]
    assert web["deploy"]["replicas"] >= 2
    assert web["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert services["db-replica"]["environment"]["PRIMARY_HOST"] == "db-primary"
    assert web["environment"]["DATABASE_REPLICA_URL"].endswith("@db-replica:5432/ocop")
    for name, service in services.items():
        build = service.get("build")
        if build:
            assert (DEPLOY / build["context"] / build["dockerfile"]).is_file(), name
        for volume in service.get("volumes", []):
            source = volume.split(":")[0]
            if source.startswith("./"):
                assert (DEPLOY / source).is_file(), f"{name} mounts a missing {source}"


def test_dockerfile_copies_files_that_exist():
    for line in (DEPLOY / "Dockerfile").read_text().splitlines():
        if line.startswith("COPY ") and "--from=" not in line:
            for source in line.split()[1:-1]:
                assert (ROOT / source).exists(), f"the Dockerfile copies a missing {source}"


def test_every_variable_in_env_example_is_read_by_the_settings_or_gunicorn():
    read = names_read(ROOT / "ocop" / "settings.py") | names_read(DEPLOY / "gunicorn.conf.py")
    missing = sorted(set(env_example()) - read - READ_BY_LIBRARIES)
    assert not missing, (
        "deploy/env.example names variables that neither ocop/settings.py nor "
        f"deploy/gunicorn.conf.py reads: {', '.join(missing)}"
    )


def test_every_variable_the_settings_read_is_in_env_example():
    missing = sorted(names_read(ROOT / "ocop" / "settings.py") - set(env_example()))
    assert not missing, f"add to deploy/env.example, with a comment: {', '.join(missing)}"


def test_env_example_holds_no_secret_value():
    for name, value in env_example().items():
        if SECRETS.search(name):
            assert value in {"", "CHANGE-ME"}, f"{name} must be left empty or CHANGE-ME"
        for password in URL_PASSWORD.findall(value):
            assert password == "CHANGE-ME", f"{name}'s address must hold no real password"


class ConfigOnly(Application):
    """Gunicorn's own loader for a configuration file, without its command line."""

    def __init__(self, path: Path):
        self.path = path
        super().__init__()

    def load_config(self):
        self.load_config_from_file(str(self.path))

    def load(self):
        raise AssertionError("nothing is served here")


def test_gunicorn_loads_its_configuration(monkeypatch):
    for name in ("GUNICORN_BIND", "GUNICORN_WORKERS", "GUNICORN_THREADS", "FORWARDED_ALLOW_IPS"):
        monkeypatch.delenv(name, raising=False)
    cfg = ConfigOnly(DEPLOY / "gunicorn.conf.py").cfg
    assert cfg.bind == ["127.0.0.1:8000"]
    assert cfg.worker_class_str == "gthread"
    assert cfg.workers == len(os.sched_getaffinity(0)) + 1
    assert cfg.timeout == 60 and cfg.graceful_timeout == 30
    assert cfg.max_requests and cfg.max_requests_jitter
    assert cfg.keepalive > 60  # longer than nginx's upstream keepalive_timeout
    assert "%({x-request-id}i)s" in cfg.access_log_format
    assert cfg.forwarded_allow_ips == ["127.0.0.1", "::1"]


def test_gunicorn_takes_each_node_from_the_environment(monkeypatch):
    monkeypatch.setenv("GUNICORN_BIND", "10.0.0.11:8000")
    monkeypatch.setenv("GUNICORN_WORKERS", "5")
    monkeypatch.setenv("FORWARDED_ALLOW_IPS", "10.0.0.5")
    cfg = ConfigOnly(DEPLOY / "gunicorn.conf.py").cfg
    assert (cfg.bind, cfg.workers, cfg.forwarded_allow_ips) == (["10.0.0.11:8000"], 5, ["10.0.0.5"])


def test_gunicorn_starts_prometheus_multiprocess_folder_empty(monkeypatch, tmp_path):
    cfg = ConfigOnly(DEPLOY / "gunicorn.conf.py").cfg
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))  # undone after the test
    (tmp_path / "counter_123.db").write_bytes(b"stale")
    cfg.on_starting(None)
    assert list(tmp_path.iterdir()) == []

    monkeypatch.delenv("PROMETHEUS_MULTIPROC_DIR")
    cfg.on_starting(None)
    made = Path(os.environ["PROMETHEUS_MULTIPROC_DIR"])
    assert made.is_dir() and made.name.startswith("ocop-metrics-")
    cfg.on_exit(None)
    assert not made.exists()


def manage_commands(name: str) -> list[str]:
    """The management commands a unit runs, in order (ExecStart=, ExecStartPost=, ...: keys
    a unit may repeat, which configparser would fold into one)."""
    commands = []
    for line in (DEPLOY / "systemd" / name).read_text().splitlines():
        if line.startswith("Exec"):
            words = shlex.split(line.partition("=")[2])
            for before, word in zip(words, words[1:], strict=False):
                if before.endswith("/manage.py"):
                    commands.append(word)
    return commands


@pytest.mark.parametrize(
    "name, commands",
    [
        ("ocop-web.service", []),
        ("ocop-worker@.service", ["db_worker"]),
        ("ocop-backup.service", ["ocop_backup", "ocop_audit"]),
        ("ocop-reminders.service", ["ocop_reminders"]),
    ],
)
def test_systemd_units_run_existing_commands_as_the_ocop_user_hardened(name, commands):
    service = unit(name)["Service"]
    assert manage_commands(name) == commands
    assert set(commands) <= set(get_commands()), f"{name} runs a command that does not exist"
    assert service["User"] == "ocop" and service["EnvironmentFile"] == "/etc/ocop/ocop.env"
    assert service["NoNewPrivileges"] == "yes" and service["ProtectSystem"] == "strict"
    assert service["ProtectHome"] == "yes" and service["PrivateTmp"] == "yes"
    assert service["CapabilityBoundingSet"] == ""


def test_web_unit_runs_gunicorn_with_this_configuration():
    words = shlex.split(unit("ocop-web.service")["Service"]["ExecStart"])
    assert words[0].endswith("/gunicorn") and words[-1] == "ocop.wsgi"
    assert words[words.index("--config") + 1].endswith("/deploy/gunicorn.conf.py")


def test_worker_unit_is_a_template_with_a_unique_worker_id():
    start = unit("ocop-worker@.service")["Service"]["ExecStart"]
    assert "--worker-id %H-%i" in start


@pytest.mark.parametrize("timer", ["ocop-backup.timer", "ocop-reminders.timer"])
def test_timers_start_a_unit_that_exists(timer):
    parsed = unit(timer)
    assert (DEPLOY / "systemd" / parsed["Timer"]["Unit"]).is_file()
    assert parsed["Timer"]["Persistent"] == "true"
    assert parsed["Install"]["WantedBy"] == "timers.target"


@pytest.mark.parametrize("path", ["nginx/ocop.conf", "compose/nginx.conf"])
def test_nginx_passes_the_proxy_headers_and_fits_the_upload_limit(path):
    text = (DEPLOY / path).read_text()
    for header in ("X-Forwarded-Proto $scheme", "X-Forwarded-For", "X-Request-ID $request_id"):
        assert f"proxy_set_header {header}" in text
    size = re.search(r"client_max_body_size (\d+)m;", text)
    assert size and int(size[1]) * 1024 * 1024 > settings.UPLOAD_MAX_BYTES
    assert re.search(r"keepalive \d+;", text)
    assert "location /media/ {\n        return 404;" in text
