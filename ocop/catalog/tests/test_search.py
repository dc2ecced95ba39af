"""The search table: what people type, what they must find. Runs on SQLite (FTS5) and, in
.ci/run's second pass, on PostgreSQL (tsvector): the same expectations on both."""

import pytest
from django.db import connection

from ocop.catalog import search
from ocop.catalog.selectors import CatalogFilters, facets, listing_search, search_page

CASES = [
    # (query, expected hits in any order). A producer's name is part of its products' titles:
    # "Hợp tác xã Chè Shan Tuyết Tà Xùa" also makes its "Trà xanh Tà Xùa" answer "che ta xua".
    ("che ta xua", {"shan", "shan_green"}),  # without diacritics
    ("Chè Shan Tuyết Tà Xùa", {"shan", "shan_green"}),  # with them
    ("xua ta", {"shan", "shan_green"}),  # word order
    ("dac san dak nong", {"dac_san", "ca_cao"}),  # d for đ
    ("đặc sản đắk nông", {"dac_san", "ca_cao"}),
    ("DAC SAN HAT", {"dac_san"}),  # case
    ("cà phê arabica", {"arabica"}),
    ("arab", {"arabica"}),  # partial word (four letters or more)
    ("robus rang", {"robusta"}),
    ("lang biang", {"arabica", "robusta", "atiso", "dau_tay"}),  # the producer's name
    ("atiso", {"atiso"}),
    ("lac duong", {"atiso", "dau_tay", "arabica", "robusta"}),  # commune, description
    ("tra", {"shan_green", "atiso"}),  # a whole syllable: not "Tràng" of Bát Tràng
    ("bat trang", {"bat_trang"}),
    ("gom men lam", {"bat_trang"}),
    ("men", {"bat_trang", "ca_cao"}),  # "men lam" and "lên men"
    ("che co thu", {"shan"}),  # the description
    ("mac ca", {"dac_san"}),
    ("khong co gi", set()),
    ("cau dat", {"arabica"}),  # the expired "Chè búp Cầu Đất cũ" is not found
    ("!!! ???", None),  # no word: everything, unranked
]


@pytest.mark.parametrize(("query", "expected"), CASES, ids=[c[0] for c in CASES])
def test_search_finds_what_people_type(catalogue, query, expected):
    hits = {k for k, v in catalogue.items() if v is not None}
    found = set(listing_search(CatalogFilters(q=query)).values_list("pk", flat=True))
    by_pk = {v.pk: k for k, v in catalogue.items()}
    names = {by_pk[pk] for pk in found}
    if expected is None:
        assert names == hits - {"expired"}
    else:
        assert names == expected, connection.vendor


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("che ta xua", "shan"),
        ("tra xanh ta xua", "shan_green"),
        ("dac san dak nong", "dac_san"),
        ("ca phe", {"arabica", "robusta"}),  # coffees before the cooperative's other products
        ("atiso", "atiso"),
    ],
)
def test_the_best_match_comes_first(catalogue, query, first):
    results = list(search_page(CatalogFilters(q=query), page=1, per_page=24).page)
    by_pk = {v.pk: k for k, v in catalogue.items()}
    if isinstance(first, set):
        assert {by_pk[r.pk] for r in results[: len(first)]} == first
    else:
        assert by_pk[results[0].pk] == first


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"province": 68}, {"arabica", "robusta", "atiso", "dau_tay"}),
        ({"q": "tra", "province": 68}, {"atiso"}),
        ({"stars": 5}, {"shan", "bat_trang"}),
        ({"producer_type": "enterprise"}, {"dac_san", "ca_cao"}),
        ({"q": "ca phe", "stars": 3}, {"robusta", "dau_tay", "ca_cao"}),
    ],
)
def test_filters(catalogue, filters, expected):
    by_pk = {v.pk: k for k, v in catalogue.items()}
    found = {
        by_pk[pk] for pk in listing_search(CatalogFilters(**filters)).values_list("pk", flat=True)
    }
    assert found == expected


def test_group_filter_and_sorts(catalogue):
    tea = catalogue["shan"].product_group_id
    found = list(listing_search(CatalogFilters(group=tea, sort="stars")))
    assert [x.stars for x in found] == sorted((x.stars for x in found), reverse=True)
    assert {x.pk for x in found} == {catalogue[k].pk for k in ("shan", "shan_green", "atiso")}
    newest = list(listing_search(CatalogFilters(sort="newest")))
    assert [x.recognised_on for x in newest] == sorted(
        (x.recognised_on for x in newest), reverse=True
    )


def test_facet_counts_ignore_their_own_filter(catalogue):
    f = facets(CatalogFilters(q="ca phe", province=68))
    provinces = {v.value: v.count for v in f["province"]}
    assert provinces == {68: 4, 66: 1}  # the other provinces' counts stay visible
    assert [v.selected for v in f["province"]] == [True, False]
    stars = {v.value: v.count for v in f["stars"]}
    assert stars == {4: 2, 3: 2}  # within Lâm Đồng
    everything = facets(CatalogFilters())
    assert sum(v.count for v in everything["province"]) == 9
    assert {v.value: v.count for v in everything["stars"]} == {5: 2, 4: 3, 3: 4}
    assert next(v for v in everything["producer_type"] if v.value == "enterprise").count == 2


def test_query_words_are_folded_and_bounded():
    assert search.words("Đắk-Nông!") == ["dak", "nong"]
    assert search.words("a " * 20) == ["a"] * search.MAX_WORDS
    assert search.words("'\" OR 1=1 --") == ["or", "1", "1"]  # no syntax reaches the engine


def test_index_follows_changes(catalogue, world):
    from ocop.catalog.services import listing_refresh
    from ocop.products.models import Product

    product = Product.objects.get(pk=catalogue["dau_tay"].product_id)
    product.name = "Mứt dâu hữu cơ"
    product.save()
    listing_refresh(product=product)
    assert listing_search(CatalogFilters(q="huu co")).count() == 1
    assert listing_search(CatalogFilters(q="dau tay")).count() == 0  # the old name is gone
    product.certificates.update(status="revoked")
    listing_refresh(product=product)
    assert listing_search(CatalogFilters(q="huu co")).count() == 0


def test_search_page_counts_orders_and_pages(catalogue):
    found = search_page(CatalogFilters(q="lang biang", sort="stars"), page=1, per_page=2)
    assert found.page.paginator.count == 4
    assert [x.stars for x in found.page] == [4, 4]
    second = search_page(CatalogFilters(q="lang biang", sort="stars"), page=2, per_page=2)
    assert [x.stars for x in second.page] == [3, 3]
    assert {x.pk for x in found.page} | {x.pk for x in second.page} == {
        catalogue[k].pk for k in ("arabica", "robusta", "atiso", "dau_tay")
    }
    assert [p.legal_name for p in found.producers] == ["Hợp tác xã Cà phê Lang Biang"]
    assert found.facets["province"][0].count == 4
    browse = search_page(CatalogFilters(province=68), page=1, per_page=24)
    assert browse.page.paginator.count == 4 and browse.producers == []


def _ids(filters: CatalogFilters) -> set[int]:
    return {x.pk for x in search_page(filters, page=1, per_page=24).page}


def test_a_search_is_worked_out_once_and_anew_after_a_committed_change(
    catalogue, django_assert_num_queries, django_capture_on_commit_callbacks
):
    from ocop.catalog.services import listing_refresh
    from ocop.products.models import Product

    lang_biang = CatalogFilters(q="lang biang", sort="stars")
    first = _ids(lang_biang)
    assert len(first) == 4
    # Kept: the page's listings and the producers are read, the match and facets are not.
    with django_assert_num_queries(2):
        again = search_page(lang_biang, page=1, per_page=24)
    assert {x.pk for x in again.page} == first and again.facets["province"][0].count == 4

    product = Product.objects.get(pk=catalogue["dau_tay"].product_id)
    product.certificates.update(status="revoked")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        listing_refresh(product=product)  # the listing is deleted
    # Not committed yet: the kept ids stay, and the deleted listing is not shown.
    assert _ids(lang_biang) == first - {catalogue["dau_tay"].pk}
    assert search_page(lang_biang, page=1, per_page=24).page.paginator.count == 4
    for callback in callbacks:
        callback()
    found = search_page(lang_biang, page=1, per_page=24)
    assert found.page.paginator.count == 3 and found.facets["province"][0].count == 3


def test_the_cache_keeps_each_search_by_its_filters_day_and_language(catalogue, monkeypatch):
    import datetime

    from django.utils import timezone, translation

    assert _ids(CatalogFilters(q="lang biang")) != _ids(CatalogFilters(q="lang biang", stars=4))
    assert len(_ids(CatalogFilters(q="tra"))) == 2 and len(_ids(CatalogFilters())) == 9
    with translation.override("en"):
        english = facets(CatalogFilters())
    with translation.override("vi"):
        vietnamese = facets(CatalogFilters())
    assert {v.value: v.label for v in english["producer_type"]}["enterprise"] == "Enterprise (DN)"
    assert {v.value: v.label for v in vietnamese["producer_type"]}["enterprise"] == (
        "Doanh nghiệp (DN)"
    )
    # The day after a certificate expires its product is not found, with nothing changed.
    assert catalogue["shan"].pk in _ids(CatalogFilters(q="che ta xua"))
    after = catalogue["shan"].valid_until + datetime.timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *args: after)
    assert catalogue["shan"].pk not in _ids(CatalogFilters(q="che ta xua"))


def test_with_no_seconds_set_nothing_is_kept(catalogue, settings, django_assert_num_queries):
    settings.CATALOG_CACHE_SECONDS = 0
    search_page(CatalogFilters(q="lang biang"), page=1, per_page=24)
    with django_assert_num_queries(5):  # the match, the page, two facets' labels, producers
        search_page(CatalogFilters(q="lang biang"), page=1, per_page=24)
