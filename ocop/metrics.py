"""Prometheus-style metrics at /metrics (prometheus-client's text format).

Per request (MetricsMiddleware): a counter by method, view and status, and a latency
histogram by method and view. The view label is the URL pattern's name (bounded: one per
route, "unmatched" for a path no route matches), never the path itself. At each scrape, from
the database: background tasks waiting and running, and how long the oldest waiting task
has waited (a worker that stopped shows as a growing age).

With several gunicorn workers, set PROMETHEUS_MULTIPROC_DIR to an empty directory writable by
them (deploy/gunicorn.conf.py does): prometheus-client then keeps each process's values in
files there and the scrape adds them up. Without it (one process, `runserver`, the tests)
the values live in the process.

Who may scrape: a request straight from an address in METRICS_ALLOWED_IPS (loopback by
default; a request that came through the proxy carries X-Forwarded-For and is not "straight"),
or any request with `Authorization: Bearer <METRICS_TOKEN>` when that token is set. Anyone
else gets 404, as if there were nothing here.
"""

from __future__ import annotations

import hmac
import os
import time

from django.conf import settings
from django.http import Http404, HttpResponse
from django.utils import timezone
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    disable_created_metrics,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily

disable_created_metrics()  # no "_created" twin of every series

REQUESTS = Counter("ocop_http_requests", "HTTP requests answered", ["method", "view", "status"])
LATENCY = Histogram(
    "ocop_http_request_duration_seconds",
    "Time to answer an HTTP request",
    ["method", "view"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
_METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}


class MetricsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        view = (match.view_name if match else None) or "unmatched"
        method = request.method if request.method in _METHODS else "other"
        LATENCY.labels(method, view).observe(time.perf_counter() - started)
        REQUESTS.labels(method, view, str(response.status_code)).inc()
        return response


class TaskQueueCollector:
    """Background tasks waiting and running, and the oldest waiting task's age, read from
    the database-backed queue at scrape time (two indexed queries)."""

    def collect(self):
        from django.db.models import Count, Min
        from django_tasks_db.models import DBTaskResult

        rows = (
            DBTaskResult.objects.filter(status__in=("READY", "RUNNING"))
            .values("status")
            .annotate(n=Count("id"), oldest=Min("enqueued_at"))
        )
        counts = {"READY": 0, "RUNNING": 0}
        oldest = None
        for row in rows:
            counts[row["status"]] = row["n"]
            if row["status"] == "READY":
                oldest = row["oldest"]
        tasks = GaugeMetricFamily("ocop_tasks", "Background tasks by status", labels=["status"])
        tasks.add_metric(["ready"], counts["READY"])
        tasks.add_metric(["running"], counts["RUNNING"])
        yield tasks
        age = (timezone.now() - oldest).total_seconds() if oldest else 0.0
        yield GaugeMetricFamily(
            "ocop_task_oldest_ready_age_seconds",
            "How long the oldest task waiting for a worker has waited",
            value=max(age, 0.0),
        )


def _admitted(request) -> bool:
    token = settings.METRICS_TOKEN
    if token:
        given = request.headers.get("Authorization", "")
        if hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
            return True
    direct = "X-Forwarded-For" not in request.headers
    return direct and request.META.get("REMOTE_ADDR") in settings.METRICS_ALLOWED_IPS


def metrics(request):
    if not _admitted(request):
        raise Http404
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        requests = CollectorRegistry()  # every worker process's values, added up
        multiprocess.MultiProcessCollector(requests)
    else:
        requests = REGISTRY  # this process's: the request metrics, memory, CPU, fds
    queue = CollectorRegistry()
    queue.register(TaskQueueCollector())
    body = generate_latest(requests) + generate_latest(queue)
    return HttpResponse(body, content_type=CONTENT_TYPE_LATEST)
