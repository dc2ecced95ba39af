"""A certified product of Lâm Đồng with a GTIN, its batch and a small generated stamp run."""

import datetime

import pytest

from ocop.certificates.tests.conftest import issued, results  # noqa: F401 (fixtures)
from ocop.traceability import services
from ocop.traceability.models import Batch, StampRun

GTIN = "8934563138165"


def batch_data(**extra) -> dict:
    return {
        "lot": "L2026-11A",
        "produced_on": datetime.date(2026, 11, 2),
        "expires_on": datetime.date(2027, 11, 2),
        "quantity": 500,
        "unit": "gói 200 g",
        "raw_material_area": "Vùng rau Lạc Dương, 12 ha",
        "inputs": "Rau cải hữu cơ",
        **extra,
    }


@pytest.fixture
def certificate(issued):  # noqa: F811
    """The 4★ certificate; its product carries a GTIN."""
    c = issued.certificates.get(stars=4)
    c.product.gtin = GTIN
    c.product.save()
    return c


@pytest.fixture
def product(certificate):
    return certificate.product


@pytest.fixture
def member(world):
    return world.users["producer_member"]


@pytest.fixture
def batch(member, product) -> Batch:
    return services.batch_create(actor=member, product=product, data=batch_data())


def generated_run(actor, batch, quantity=12, **kwargs) -> StampRun:
    run = services.stamp_run_order(actor=actor, batch=batch, quantity=quantity, **kwargs)
    return services.stamp_run_generate(run_id=run.pk, chunk=5)


@pytest.fixture
def run(member, batch) -> StampRun:
    return generated_run(member, batch)
