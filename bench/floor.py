"""Floors for the scan page's throughput target, served only by the benchmark's server
(bench_scan.py starts gunicorn with `DJANGO_SETTINGS_MODULE=floor_settings`, which makes this
module the URLconf, and bench/ on the path).

The target compares the scan page with `/healthz`, a view that touches no database. These
views do the least any scan page must do, through the same middleware, so the benchmark shows
where the ceiling is for this stack, not only where the page is:

- `/bench/floor/read/<serial>`: read the stamp's id and status by its serial (one indexed
  query through the ORM) and answer a few bytes;
- `/bench/floor/scan/<serial>`: that read, then log the scan as the page does (in one
  transaction: the stamp's counter moved on, one Scan row written) and answer a few bytes.

Nothing here is in the platform's URLs.
"""

from django.db import transaction
from django.db.models import F
from django.http import Http404, HttpResponse
from django.urls import include, path
from django.utils import timezone


def _stamp(serial: str):
    from ocop.traceability.models import Stamp

    found = list(Stamp.objects.filter(serial=serial).values_list("pk", "status")[:1])
    if not found:
        raise Http404
    return found[0]


def floor_read(request, serial: str):
    pk, status = _stamp(serial)
    return HttpResponse(f"{pk} {status}", content_type="text/plain")


def floor_scan(request, serial: str):
    from ocop.traceability.models import Scan, Stamp

    pk, status = _stamp(serial)
    now = timezone.now()
    with transaction.atomic():
        Stamp.objects.filter(pk=pk).update(scan_count=F("scan_count") + 1)
        Scan.objects.create(stamp_id=pk, serial=serial, scanned_at=now)
    return HttpResponse(f"{pk} {status}", content_type="text/plain")


urlpatterns = [
    path("", include("ocop.urls")),
    path("bench/floor/read/<str:serial>", floor_read),
    path("bench/floor/scan/<str:serial>", floor_scan),
]
