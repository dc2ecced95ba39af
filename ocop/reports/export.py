"""The figures as files: one CSV per figure, the Excel report provinces send upward (one
sheet per figure, the area and period on each), and a PDF summary with the charts."""

from __future__ import annotations

import csv
import io
import re

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from . import charts
from .figures import Area, Figure


def figure_csv(figure: Figure) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(figure.columns)
    writer.writerows(figure.rows)
    return "\ufeff" + buffer.getvalue()  # Excel reads UTF-8 with the mark


def _sheet_title(text: str, used: set[str]) -> str:
    title = re.sub(r"[\[\]:*?/\\]", " ", text)[:28].strip() or "Sheet"
    base, n = title, 2
    while title in used:
        title, n = f"{base[:25]} {n}", n + 1
    used.add(title)
    return title


def figures_xlsx(figures: list[Figure], *, area: Area, year: int) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    wb.remove(wb.active)
    used: set[str] = set()
    for figure in figures:
        ws = wb.create_sheet(_sheet_title(figure.sheet or figure.title, used))
        ws.append([figure.title])
        ws["A1"].font = Font(bold=True, size=13)
        ws.append([_("Area"), area.label])
        ws.append([_("Year"), year])
        ws.append([_("Made on"), timezone.localdate()])
        ws["B4"].number_format = "DD/MM/YYYY"
        ws.append([])
        ws.append(figure.columns)
        for cell in ws[6]:
            cell.font = Font(bold=True)
        for row in figure.rows:
            ws.append(row)
        for column in ws.columns:
            width = max(len(str(c.value or "")) for c in column)
            ws.column_dimensions[column[0].column_letter].width = min(60, max(10, width + 2))
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def summary_pdf(*, area: Area, year: int) -> bytes:
    """The summary is a document sent upward: in Vietnamese, whatever the page's language."""
    from weasyprint import HTML

    from ocop.evaluation.minutes import PACKAGE_ROOT, local_only_fetcher

    from .figures import all_figures

    with translation.override("vi"):
        items = [(f, charts.svg(f, width=620, height=280)) for f in all_figures(area, year)]
        html = render_to_string(
            "reports/summary_pdf.html",
            {"items": items, "area": area, "year": year, "today": timezone.localdate()},
        )
    return HTML(
        string=html, base_url=PACKAGE_ROOT.as_uri() + "/", url_fetcher=local_only_fetcher()
    ).write_pdf()
