"""Gunicorn's configuration for the OCOP platform in production.

    gunicorn --config deploy/gunicorn.conf.py ocop.wsgi

Run from the project folder (the systemd unit and the container image do). A few settings
come from the environment, as nodes differ in them; the rest is the same everywhere:

- GUNICORN_BIND: where to listen. 127.0.0.1:8000 (the default) when nginx runs on the same
  machine; the node's private address (10.0.0.11:8000) when nginx balances several web
  nodes; unix:/run/ocop/gunicorn.sock for a socket (the web unit makes /run/ocop).
- GUNICORN_WORKERS: processes; by default one per CPU available to this process, plus one.
- GUNICORN_THREADS: threads per process (default 4).
- FORWARDED_ALLOW_IPS: the addresses of the nginx servers, whose X-Forwarded-Proto gunicorn
  believes (Gunicorn's own variable; socket connections are always believed).

PROMETHEUS_MULTIPROC_DIR, for /metrics to add up every worker's figures, is set below.
"""

import os
import shutil
import tempfile

bind = [os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")]


def cpus() -> int:
    """The CPUs this process may use (a container's or a unit's CPU set, not the host's)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


# Threaded workers: the pages are CPU-bound Python (one process per core is what a machine
# can use, see bench/bench_scan.py), but a thread waiting on PostgreSQL, the object storage
# or a slow upload does not hold a whole process, and they keep nginx's upstream connections
# alive (sync workers close every connection). Each thread holds at most one database
# connection: a node opens up to workers x threads of them (DB_CONN_MAX_AGE keeps them).
worker_class = "gthread"
workers = int(os.environ.get("GUNICORN_WORKERS") or cpus() + 1)
threads = int(os.environ.get("GUNICORN_THREADS") or 4)

# The slowest requests are PDFs (minutes, reports, label sheets) and imports' dry runs; a
# worker stuck longer than this is killed and replaced.
timeout = 60
# On restart (SIGHUP, systemctl reload) or stop, a worker finishes its request first.
graceful_timeout = 30
# nginx keeps connections to the upstream open (keepalive); keep them a little longer than
# nginx does, so that gunicorn never closes one nginx is about to reuse.
keepalive = 75

# Restart each worker after about this many requests (a leak cannot grow for ever); the
# jitter keeps the workers from restarting all at once.
max_requests = 2000
max_requests_jitter = 200

forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# Logs go to the journal (or the container's output): access log on stdout, errors on
# stderr. The request id is the X-Request-ID nginx sets, the same one in nginx's log and in
# the platform's own log lines; %(M)s is the duration in milliseconds.
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
access_log_format = (
    '%({x-forwarded-for}i)s "%(r)s" %(s)s %(B)s %(M)sms '
    'request_id=%({x-request-id}i)s "%(f)s" "%(a)s"'
)

# The heartbeat file on memory, not disk (a slow disk would make workers look dead).
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None

# Gunicorn 25+ opens a control socket in $HOME, which the hardened unit keeps read-only;
# systemd already does what it offers (reload, stop, TTIN/TTOU signals).
control_socket_disable = True

proc_name = "ocop-web"


def on_starting(server):
    """Prometheus' multiprocess mode (ocop/metrics.py): each worker keeps its values in files
    in PROMETHEUS_MULTIPROC_DIR and /metrics adds every worker's up. The folder must start
    empty: a new one under the temporary folder (private to the unit, or the container's)
    unless one is given, whose old files are then removed."""
    folder = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if folder:
        os.makedirs(folder, exist_ok=True)
        for name in os.listdir(folder):
            if name.endswith(".db"):
                os.remove(os.path.join(folder, name))
    else:
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="ocop-metrics-")


def child_exit(server, worker):
    """A worker is gone (restarted after max_requests, or killed): its gauges go with it,
    its counters stay in the sums."""
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


def on_exit(server):
    folder = os.environ.get("PROMETHEUS_MULTIPROC_DIR", "")
    if os.path.basename(folder).startswith("ocop-metrics-"):
        shutil.rmtree(folder, ignore_errors=True)
