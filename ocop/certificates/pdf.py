"""The recognition decision and the OCOP certificate as PDFs, in Vietnamese.

Like the council minutes (evaluation/minutes.py), these are administrative documents: their
wording is the form's, in the templates, not the interface's; the decision follows the usual
layout of Decree 30/2020/NĐ-CP (issuing body and national motto side by side, number, place
and date, title, articles, signature; the products in an annex). Rendering never reaches the
network: the same local-only URL fetcher, the machine's Noto fonts, and the QR code drawn
inline by segno.
"""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from ocop.evaluation.minutes import PACKAGE_ROOT, local_only_fetcher, vi_date, vi_number
from ocop.evaluation.models import Level

from . import selectors, terms
from .models import Certificate, RecognitionDecision

DEFAULT_SITE_URL = "http://127.0.0.1:8000"
STARS_VI = {3: "3 sao", 4: "4 sao", 5: "5 sao"}


def verification_url(certificate: Certificate, request=None) -> str:
    """The public register page of the certificate, absolute: from the request when there is
    one, otherwise from settings.SITE_URL (a command or a background job has no request)."""
    path = reverse("certificates:verify", args=[certificate.number])
    if request is not None:
        return request.build_absolute_uri(path)
    return getattr(settings, "SITE_URL", DEFAULT_SITE_URL).rstrip("/") + path


def qr_data_uri(url: str) -> str:
    import segno

    return segno.make(url, error="m").svg_data_uri(scale=4, border=2, dark="#000")


def _issuer_upper(issuer: str) -> str:
    return issuer.upper()


def _place(decision: RecognitionDecision) -> str:
    if decision.province is None:
        return "Hà Nội"
    return decision.province.name.removeprefix("Thành phố ").removeprefix("Tỉnh ")


def _render(template: str, context: dict) -> bytes:
    from weasyprint import HTML

    with translation.override("vi"):
        html = render_to_string(template, context)
    return HTML(
        string=html, base_url=PACKAGE_ROOT.as_uri() + "/", url_fetcher=local_only_fetcher()
    ).write_pdf()


def decision_context(decision: RecognitionDecision) -> dict:
    items = list(selectors.decision_items(decision=decision))
    rows = [
        {
            "n": n,
            "product": i.product.name,
            "producer": i.producer.legal_name,
            "place": f"{i.producer.commune.name}, {i.producer.commune.province.name}",
            "group": i.product_group.name_vi,
            "score": vi_number(i.score),
            "stars": STARS_VI.get(i.stars, f"{i.stars} sao"),
            "certificate": getattr(getattr(i, "certificate", None), "number", ""),
        }
        for n, i in enumerate(items, start=1)
    ]
    try:
        months = terms.period_for(decision.date).validity_months
    except LookupError:
        months = None
    return {
        "decision": decision,
        "issuer": _issuer_upper(decision.issuer),
        "central": decision.level == Level.CENTRAL,
        "place_date": f"{_place(decision)}, {vi_date(decision.date)}",
        "date_vi": vi_date(decision.date),
        "rows": rows,
        "count": len(rows),
        "months": months,
        "draft": decision.status == "draft",
    }


def decision_pdf(decision: RecognitionDecision) -> bytes:
    """The decision with its annex of recognised products; a draft says so on every page."""
    return _render("certificates/decision_pdf.html", decision_context(decision))


def certificate_context(certificate: Certificate, request=None) -> dict:
    decision = certificate.decision
    producer = certificate.producer
    url = verification_url(certificate, request)
    return {
        "c": certificate,
        "issuer": _issuer_upper(decision.issuer),
        "decision": decision,
        "decision_date": decision.date.strftime("%d/%m/%Y"),
        "issued_on": certificate.issued_on.strftime("%d/%m/%Y"),
        "expires_on": certificate.expires_on.strftime("%d/%m/%Y"),
        "place_date": f"{_place(decision)}, {vi_date(certificate.issued_on)}",
        "stars": range(certificate.stars),
        "stars_vi": STARS_VI.get(certificate.stars, f"{certificate.stars} sao"),
        "product": certificate.product.name,
        "group": certificate.product.product_group.name_vi,
        "producer": producer.legal_name,
        "address": ", ".join(
            filter(
                None,
                [producer.street_address, producer.commune.name, producer.commune.province.name],
            )
        ),
        "qr": qr_data_uri(url),
        "url": url,
    }


def certificate_pdf(certificate: Certificate, request=None) -> bytes:
    """One A4 landscape page: the certificate as the producer frames it."""
    return _render("certificates/certificate_pdf.html", certificate_context(certificate, request))


def certificate_filename(certificate: Certificate) -> str:
    return f"giay-chung-nhan-ocop-{certificate.number}.pdf"


def decision_filename(decision: RecognitionDecision) -> str:
    safe = "".join(ch if ch.isascii() and ch.isalnum() else "-" for ch in decision.number)
    return f"quyet-dinh-ocop-{safe.strip('-')}.pdf"
