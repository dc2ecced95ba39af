"""The certificate register as an Excel workbook (openpyxl), for the office's reports."""

from __future__ import annotations

import io
from collections.abc import Iterable

from django.utils.translation import gettext as _

from .models import Certificate


def headers() -> list[str]:
    return [
        _("Certificate number"),
        _("Product"),
        _("Producer"),
        _("Type"),
        _("Commune"),
        _("Province"),
        _("Product group"),
        _("Stars"),
        _("Score"),
        _("Decision number"),
        _("Decision date"),
        _("Valid until"),
        _("State"),
    ]


def certificates_xlsx(certificates: Iterable[Certificate]) -> bytes:
    """One row per certificate; stars and score as numbers, dates as dates."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = _("Certificates")[:31]
    ws.append(headers())
    for c in certificates:
        producer = c.producer
        ws.append(
            [
                c.number,
                c.product.name,
                producer.legal_name,
                producer.get_producer_type_display(),
                producer.commune.name,
                producer.commune.province.name,
                c.product.product_group.name_vi,
                c.stars,
                float(c.item.score) if c.item.score is not None else None,
                c.decision.number,
                c.decision.date,
                c.expires_on,
                str(c.get_state_display()),
            ]
        )
    for row in ws.iter_rows(min_row=2):
        for cell in (row[10], row[11]):
            cell.number_format = "DD/MM/YYYY"
    widths = [16, 32, 32, 20, 20, 18, 30, 7, 8, 18, 12, 12, 12]
    for col, width in zip("ABCDEFGHIJKLM", widths, strict=True):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = "A2"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
