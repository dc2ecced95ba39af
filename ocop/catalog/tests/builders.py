"""Listed products for the catalogue tests, made cheaply: an imported decision (no council
result) with one certificate per product, then the listing built by the service."""

from __future__ import annotations

import datetime
import itertools

from django.utils import timezone

from conftest import make_producer
from ocop.catalog.services import listing_refresh
from ocop.certificates.models import Certificate, DecisionItem, RecognitionDecision
from ocop.criteria.models import Decision, ProductBranch, ProductGroup
from ocop.products.models import Product

_numbers = itertools.count(1)


def groups() -> dict[str, ProductGroup]:
    decision, _ = Decision.objects.get_or_create(code="qd148-2023", number="148/QĐ-TTg")
    branch, _ = ProductBranch.objects.get_or_create(
        decision=decision, code="food", defaults={"name_vi": "Thực phẩm"}
    )
    out = {}
    for code, vi, en in (
        ("tea", "Chè và sản phẩm từ chè", "Tea"),
        ("coffee", "Cà phê, ca cao", "Coffee and cocoa"),
        ("fresh", "Nông sản tươi sống", "Fresh produce"),
    ):
        out[code], _ = ProductGroup.objects.get_or_create(
            branch=branch, code=code, defaults={"name_vi": vi, "name_en": en}
        )
    return out


def producer_in(commune, name: str, tax_code: str, **extra):
    return make_producer(commune, name, tax_code, **extra)


def listed_product(
    producer,
    name: str,
    group: ProductGroup,
    *,
    stars: int = 4,
    description: str = "",
    issued_on: datetime.date | None = None,
    expires_on: datetime.date | None = None,
):
    issued_on = issued_on or timezone.localdate() - datetime.timedelta(days=30)
    product = Product.objects.create(
        producer=producer, product_group=group, name=name, description=description
    )
    n = next(_numbers)
    decision = RecognitionDecision.objects.create(
        number=f"{n}/QĐ-UBND",
        date=issued_on,
        issuer="Ủy ban nhân dân tỉnh",
        signer_name="Nguyễn Văn A",
        signer_title="Chủ tịch",
        level="province",
        province_id=producer.commune.province_id,
        status="issued",
    )
    item = DecisionItem.objects.create(
        decision=decision,
        product=product,
        producer=producer,
        product_group=group,
        stars=stars,
    )
    Certificate.objects.create(
        number=f"{producer.commune.province_id}-{issued_on.year}-{n:06d}",
        product=product,
        producer=producer,
        stars=stars,
        decision=decision,
        item=item,
        issued_on=issued_on,
        expires_on=expires_on or issued_on + datetime.timedelta(days=3 * 365),
    )
    return listing_refresh(product=product)
