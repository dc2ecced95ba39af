"""No page issues more SQL queries as the data grows: each page below is read with the test
world, then again after the register has grown (more producers, products, decisions,
certificates and listings in the same places), and must issue no more queries than before,
and at most its declared ceiling. A loop that queries per row (an N+1) fails here whatever the
machine's speed; the benchmarks in bench/ measure the time."""

import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import make_producer
from ocop.catalog.models import producer_url
from ocop.catalog.tests.builders import groups, listed_product
from ocop.catalog.tests.conftest import catalogue  # noqa: F401 (fixture)
from ocop.producers.models import ProducerType

_taxes = itertools.count(7000)


def grow(world, n: int = 12) -> None:
    """n more listed products, half of them of producers that are new too."""
    g = groups()
    for i in range(n):
        if i % 2:
            producer = world.producer_a
        else:
            producer = make_producer(
                world.commune_a,
                f"Hộ kinh doanh Thêm {i}",
                None,
                producer_type=ProducerType.HOUSEHOLD,
            )
        group = (g["tea"], g["coffee"], g["fresh"])[i % 3]
        listed_product(producer, f"Chè đặc sản thêm {i}", group, stars=3 + i % 3)


# (name, caller, URL from the catalogue fixture, ceiling: the count measured and 2 or 3 more)
PAGES = [
    ("catalogue home", None, lambda c: "/san-pham-ocop/", 8),
    ("catalogue search", None, lambda c: "/san-pham-ocop/tim-kiem/?q=ch%C3%A8", 8),
    ("catalogue search, filtered", None,
     lambda c: "/san-pham-ocop/tim-kiem/?stars=3&sort=name", 10),
    ("catalogue product", None, lambda c: c["arabica"].get_absolute_url(), 8),
    ("catalogue producer", None, lambda c: producer_url(c["arabica"].producer), 4),
    ("catalogue province", None, lambda c: "/tinh/lam-dong/", 12),
    ("open data JSON", None, lambda c: "/du-lieu-mo/san-pham-ocop.json", 3),
    ("producer list", "provincial_officer", lambda c: "/producers/", 8),
    ("certificate register", "provincial_officer", lambda c: "/chung-nhan/", 8),
    ("decision list", "provincial_officer", lambda c: "/quyet-dinh/", 6),
    ("product list", "provincial_officer", lambda c: "/products/", 9),
    ("dashboard", "central_officer", lambda c: "/bao-cao/", 25),
    ("API product list", "provincial_officer", lambda c: "/api/products/", 9),
    ("API certificate list", "provincial_officer", lambda c: "/api/certificates/", 7),
]  # fmt: skip


def _queries(client, url: str) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="vi")
    if hasattr(response, "streaming_content"):
        b"".join(response.streaming_content)
    return response.status_code, len(captured.captured_queries)


@pytest.mark.parametrize(("name", "caller", "url", "ceiling"), PAGES, ids=[p[0] for p in PAGES])
def test_the_page_issues_as_many_queries_whatever_the_data(
    world,
    catalogue,  # noqa: F811
    client,
    name,
    caller,
    url,
    ceiling,
):
    from django.core.cache import cache

    if caller:
        client.force_login(world.users[caller])
    address = url(catalogue)
    client.get(address)  # warm: sessions, the per-process caches
    cache.clear()
    status, before = _queries(client, address)
    assert status == 200, (name, status)
    grow(world)
    cache.clear()
    status, after = _queries(client, address)
    assert status == 200, (name, status)
    # Fewer is possible (the product page stops looking for related products once the
    # producer's own fill the row); more never.
    assert after <= before, f"{name}: {before} queries, {after} once the register grew"
    assert after <= ceiling, f"{name}: {after} queries, more than its ceiling of {ceiling}"
