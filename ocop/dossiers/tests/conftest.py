"""Builders for the dossier tests: the real criteria data, a fresh-produce product of the
world's producer A, and a helper that fills a dossier until it is complete."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from ocop.criteria.models import ProductGroup
from ocop.criteria.services import criteria_load
from ocop.dossiers import rules, selectors, services
from ocop.dossiers.models import Dossier
from ocop.products.models import Product
from ocop.products.tests.conftest import PDF_BYTES, png_bytes

SET_CODE = "qd148-food-fresh-produce"
LINK = "https://example.vn/chung-cu.pdf"

__all__ = ["PDF_BYTES", "png_bytes"]


@pytest.fixture(autouse=True)
def english(settings):
    """The tests read messages in English, in code and in pages (LocaleMiddleware falls back
    to LANGUAGE_CODE), whatever the compiled catalogue holds."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def criteria(db):
    criteria_load()


@pytest.fixture
def fresh_produce(criteria) -> ProductGroup:
    return ProductGroup.objects.get(code="fresh-produce", branch__decision__code="qd148-2023")


def make_product(producer, group, name: str = "Rau cải Lạc Dương") -> Product:
    product = Product(producer=producer, product_group=group, name=name)
    product.full_clean()
    product.save()
    return product


@pytest.fixture
def product(world, fresh_produce) -> Product:
    return make_product(world.producer_a, fresh_produce)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def producer(world):
    return world.users["producer_member"]


@pytest.fixture
def officer(world):
    return world.users["commune_officer"]


@pytest.fixture
def dossier(product, producer) -> Dossier:
    return services.dossier_create(actor=producer, product=product)


def pdf(name: str = "chung-nhan.pdf", content: bytes = PDF_BYTES) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def best_option(criterion):
    return max(criterion.options, key=lambda o: o.points)


def fill(dossier: Dossier, actor) -> Dossier:
    """Answer every criterion with its highest-point option, explained and linked, and add a
    link to every required document: the dossier is then complete."""
    spec = selectors.dossier_spec(dossier=dossier)
    for criterion in spec.criteria():
        services.item_answer(
            actor=actor,
            dossier=dossier,
            criterion=criterion.code,
            option=best_option(criterion).code,
            explanation="Có hồ sơ chứng minh kèm theo.",
        )
        services.item_add_link(
            actor=actor, dossier=dossier, key=rules.criterion_key(criterion.code), url=LINK
        )
    for req in rules.requirements_for(selectors.dossier_branch(dossier=dossier)):
        services.item_add_link(actor=actor, dossier=dossier, key=req.key, url=LINK)
    dossier.refresh_from_db()
    return dossier


def submitted(dossier: Dossier, actor) -> Dossier:
    fill(dossier, actor)
    return services.dossier_submit(actor=actor, dossier=dossier)
