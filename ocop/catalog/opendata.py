"""The catalogue as open data: one row per recognised product, public fields only."""

from __future__ import annotations

from collections.abc import Iterator

from django.utils.translation import gettext_lazy as _

from .selectors import listed

FIELDS = (
    "product",
    "producer",
    "producer_type",
    "product_group",
    "commune",
    "province",
    "province_code",
    "stars",
    "certificate_number",
    "certificate_valid_until",
    "recognised_on",
    "decision_number",
    "url",
)
LICENCE = _(
    "Creative Commons Attribution 4.0 (CC BY 4.0): you may copy, share and reuse this data, "
    "also commercially, citing “OCOP platform” and the date of the download. It is the public "
    "register of recognised OCOP products; it holds no personal data."
)


def rows(*, base_url: str) -> Iterator[dict]:
    qs = (
        listed()
        .select_related("producer", "product_group", "commune", "province", "certificate__decision")
        .order_by("province_id", "name", "id")
    )
    for listing in qs.iterator(chunk_size=2000):
        yield {
            "product": listing.name,
            "producer": listing.producer.legal_name,
            "producer_type": listing.producer_type,
            "product_group": listing.product_group.name_vi,
            "commune": listing.commune.name,
            "province": listing.province.name,
            "province_code": listing.province_id,
            "stars": listing.stars,
            "certificate_number": listing.certificate.number,
            "certificate_valid_until": listing.valid_until.isoformat(),
            "recognised_on": listing.recognised_on.isoformat(),
            "decision_number": listing.certificate.decision.number,
            "url": base_url.rstrip("/") + listing.get_absolute_url(),
        }
