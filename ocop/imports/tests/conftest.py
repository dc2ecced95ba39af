import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from ocop.criteria.services import criteria_load


@pytest.fixture
def criteria(db):
    """The criteria sets, and the legacy units that went into the test world's provinces."""
    from ocop.geo.services import units_load

    units_load(province_codes={68, 1}, legacy=True)
    criteria_load()


@pytest.fixture(autouse=True)
def english():
    """The messages are compared in English (the interface's second language)."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def csv_file(rows: list[list], name="danh-sach.csv") -> SimpleUploadedFile:
    import csv

    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return SimpleUploadedFile(name, buffer.getvalue().encode("utf-8-sig"), "text/csv")


def xlsx_file(rows: list[list], name="danh-sach.xlsx", edit=None) -> SimpleUploadedFile:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    if edit:
        edit(sheet)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def rendered(job) -> list[dict]:
    """The job's report with each error and warning as [cell, text] in the active language."""
    from ocop.imports.engine import messages

    return [
        {**r, "errors": messages(r.get("errors", [])), "warnings": messages(r.get("warnings", []))}
        for r in job.report
    ]
