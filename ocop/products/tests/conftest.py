"""Builders for the product tests: a product group with its criteria set, ideas and plans."""

import struct
import zlib

import pytest
from django.utils import translation

from ocop.criteria.models import CriteriaSet, Decision, ProductBranch, ProductGroup
from ocop.ideas.models import IdeaStatus, ProductIdea
from ocop.plans.models import BusinessPlan
from ocop.products.models import Product


def png_bytes() -> bytes:
    """A real 1×1 PNG, built byte by byte."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)  # 1×1, 8-bit RGB
    pixels = zlib.compress(b"\x00\x2e\x7d\x32")  # filter byte + one green pixel
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def group(db) -> ProductGroup:
    old = Decision.objects.create(
        code="qd1048-2019", number="1048/QĐ-TTg", decision_date="2019-08-21"
    )
    new = Decision.objects.create(
        code="qd148-2023", number="148/QĐ-TTg", decision_date="2023-02-24"
    )
    old_branch = ProductBranch.objects.create(decision=old, code="food", name_vi="Thực phẩm")
    branch = ProductBranch.objects.create(decision=new, code="food", name_vi="Thực phẩm")
    ProductGroup.objects.create(branch=old_branch, code="coffee", name_vi="Chè, cà phê (2019)")
    coffee = ProductGroup.objects.create(
        branch=branch, code="coffee-tea", name_vi="Chè, cà phê, ca cao", position=1
    )
    CriteriaSet.objects.create(
        code="qd148-food-coffee-tea",
        decision=new,
        product_group=coffee,
        name_vi="Bộ tiêu chí chè, cà phê",
        max_points=100,
    )
    return coffee


@pytest.fixture
def other_group(group) -> ProductGroup:
    return ProductGroup.objects.create(
        branch=group.branch, code="spices", name_vi="Gia vị khác", position=2
    )


def make_idea(producer, group, status=IdeaStatus.ACCEPTED, name="Cà phê Arabica Cầu Đất"):
    return ProductIdea.objects.create(
        producer=producer,
        product_name=name,
        product_group=group,
        year=2026,
        raw_material_source="Vùng trồng cà phê Lạc Dương",
        local_identity="Cà phê trồng trên độ cao 1.500 m",
        status=status,
    )


def make_plan(idea):
    return BusinessPlan.objects.create(idea=idea, objectives="Đạt 4 sao năm 2027")


def make_product(producer, group, **extra) -> Product:
    product = Product(producer=producer, product_group=group, name="Cà phê rang xay", **extra)
    product.full_clean()
    product.save()
    return product


@pytest.fixture(autouse=True)
def english_messages():
    """Messages built outside a request follow the active language: read them in English."""
    with translation.override("en"):
        yield
