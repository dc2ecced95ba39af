"""Print-ready sheets of stamp labels (WeasyPrint, QR codes by segno).

Labels of the run's size are laid out on A4 in print order, each with its QR code (the
stamp's Digital Link), the serial in groups under it, and the lot. A sheet PDF holds at most
SHEET_MAX labels; a printing house takes the whole run as CSV (views.run_csv). Rendering
never reaches the network (the same local-only fetcher as the minutes).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import translation

from ocop.evaluation.minutes import PACKAGE_ROOT, local_only_fetcher

from . import codes, selectors
from .models import StampRun

SHEET_MAX = 500
PAGE_MM = (210, 297)
MARGIN_MM = 8
GAP_MM = 2
TEXT_MM = 7  # the serial and lot under the code


@dataclass(frozen=True)
class Label:
    number: int
    serial: str
    uri: str
    qr: str  # an SVG data URI


def layout(width_mm: int, height_mm: int) -> tuple[int, int]:
    """How many labels fit across and down an A4 page."""
    usable_w = PAGE_MM[0] - 2 * MARGIN_MM + GAP_MM
    usable_h = PAGE_MM[1] - 2 * MARGIN_MM + GAP_MM
    return max(1, usable_w // (width_mm + GAP_MM)), max(1, usable_h // (height_mm + GAP_MM))


def labels(*, run: StampRun, first: int, count: int, base_url: str) -> list[Label]:
    import segno

    batch = run.batch
    gtin = batch.product.gtin
    serials = selectors.run_stamps(run=run).values_list("serial", flat=True)
    out = []
    for n, serial in enumerate(serials[first - 1 : first - 1 + count], start=first):
        uri = codes.stamp_uri(base_url=base_url, gtin=gtin, lot=batch.lot, serial=serial)
        qr = segno.make(uri, error="m").svg_data_uri(scale=1, border=1, dark="#000")
        out.append(Label(n, codes.serial_display(serial), uri, qr))
    return out


def labels_pdf(*, run: StampRun, first: int, count: int, base_url: str) -> bytes:
    from weasyprint import HTML

    across, down = layout(run.label_width_mm, run.label_height_mm)
    qr_mm = max(8, min(run.label_width_mm - 2, run.label_height_mm - TEXT_MM - 2))
    context = {
        "run": run,
        "batch": run.batch,
        "labels": labels(run=run, first=first, count=count, base_url=base_url),
        "w": run.label_width_mm,
        "h": run.label_height_mm,
        "qr_mm": qr_mm,
        "gap": GAP_MM,
        "margin": MARGIN_MM,
        "per_page": across * down,
        "across": across,
    }
    with translation.override("vi"):
        html = render_to_string("traceability/labels_pdf.html", context)
    return HTML(
        string=html, base_url=PACKAGE_ROOT.as_uri() + "/", url_fetcher=local_only_fetcher()
    ).write_pdf()
