"""The decision and certificate PDFs: real WeasyPrint renderings, read back with poppler."""

import shutil
import subprocess
from pathlib import Path

import pytest

from ocop.certificates import pdf, services

from .conftest import decision_data

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"
needs_poppler = pytest.mark.skipif(
    not (shutil.which("pdftotext") and shutil.which("pdftoppm")), reason="poppler-utils missing"
)


def pdf_text(data: bytes, tmp_path: Path) -> str:
    path = tmp_path / "doc.pdf"
    path.write_bytes(data)
    out = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True, capture_output=True
    )
    return " ".join(out.stdout.decode("utf-8").split())


def pages(data: bytes, tmp_path: Path) -> int:
    path = tmp_path / "doc.pdf"
    path.write_bytes(data)
    out = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True)
    return int(
        next(line for line in out.stdout.splitlines() if line.startswith("Pages:")).split()[1]
    )


@pytest.fixture
def issued(world, results):
    officer = world.users["provincial_officer"]
    decision = services.decision_draft(
        actor=officer, session_or_assignments=results[0].session, data=decision_data()
    )
    return services.decision_issue(actor=officer, decision=decision)


@needs_poppler
def test_certificate_pdf(issued, tmp_path, settings):
    settings.SITE_URL = "https://ocop.lamdong.gov.vn"
    c = issued.certificates.get(stars=4)
    data = pdf.certificate_pdf(c)
    assert data.startswith(b"%PDF") and pages(data, tmp_path) == 1
    text = pdf_text(data, tmp_path)
    for value in (
        "GIẤY CHỨNG NHẬN",
        "ĐẠT HẠNG 4 SAO",
        c.product.name,
        c.producer.legal_name,
        "ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG",
        c.number,
        issued.number,
        c.expires_on.strftime("%d/%m/%Y"),
        f"https://ocop.lamdong.gov.vn/chung-nhan/{c.number}/",
    ):
        assert value in text, value
    ARTIFACTS.mkdir(exist_ok=True)
    path = tmp_path / "c.pdf"
    path.write_bytes(data)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "80", "-singlefile", str(path), str(ARTIFACTS / "certificate")],
        check=True,
    )
    assert (ARTIFACTS / "certificate.png").stat().st_size > 10_000


def test_verification_url_without_request_uses_site_url(issued, settings):
    del settings.SITE_URL
    c = issued.certificates.first()
    assert pdf.verification_url(c) == f"http://127.0.0.1:8000/chung-nhan/{c.number}/"


@needs_poppler
def test_decision_pdf_lists_the_products_in_an_annex(issued, tmp_path):
    data = pdf.decision_pdf(issued)
    text = pdf_text(data, tmp_path)
    assert "QUYẾT ĐỊNH" in text and "Số: 1234/QĐ-UBND" in text
    assert "PHỤ LỤC" in text and "36 tháng" in text
    for c in issued.certificates.all():
        assert c.product.name in text and c.number in text
    assert "DỰ THẢO" not in text
    assert pages(data, tmp_path) >= 2
