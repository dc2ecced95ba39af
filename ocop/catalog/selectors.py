"""Reading the public catalogue. Everything here is public: listings carry no private field."""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass
from operator import itemgetter

from django.core.paginator import Paginator
from django.db.models import BooleanField, Count, ExpressionWrapper, Q, QuerySet
from django.utils import timezone

from ocop.caching import Generation
from ocop.producers.models import ProducerType

from . import search
from .models import Inquiry, Listing, TradeEvent

SORTS = ("relevance", "stars", "newest")


def listed(*, today: datetime.date | None = None) -> QuerySet[Listing]:
    """Listings of products recognised today (an expired certificate hides its product)."""
    return Listing.objects.filter(valid_until__gte=today or timezone.localdate())


@dataclass(frozen=True)
class CatalogFilters:
    q: str = ""
    province: int | None = None
    commune: int | None = None
    group: int | None = None
    stars: int | None = None
    producer_type: str = ""
    sort: str = "relevance"


FACETS = {  # facet name → the listing field it counts
    "province": "province",
    "group": "product_group",
    "stars": "stars",
    "producer_type": "producer_type",
}


def _filtered(filters: CatalogFilters, *, without: str | None = None) -> QuerySet[Listing]:
    qs = search.matching(listed(), filters.q)
    for name, field in (*FACETS.items(), ("commune", "commune")):
        value = getattr(filters, name)
        if name != without and value not in (None, ""):
            qs = qs.filter(**{field: value})
    return qs


ORDERS = {
    "stars": ("-stars", "-recognised_on", "id"),
    "newest": ("-recognised_on", "-stars", "id"),
    "relevance": ("-stars", "-recognised_on", "id"),  # without words, the best first
}


def listing_search(filters: CatalogFilters) -> QuerySet[Listing]:
    """The listings matching the query and filters, in the order of `filters.sort` (by
    relevance: see `search_page`, which ranks a query's matches)."""
    qs = _filtered(filters).select_related("producer", "province", "commune", "photo")
    return qs.order_by(*ORDERS.get(filters.sort, ORDERS["relevance"]))


@dataclass(frozen=True)
class FacetValue:
    value: object
    label: str
    count: int
    selected: bool


# The columns a matched listing is judged by in Python: the facets, then the producer and
# the id.
ROW = ["province_id", "product_group_id", "stars", "producer_type", "producer_id", "id"]
PRODUCER, ID = 4, 5


def _match_rows(filters: CatalogFilters) -> list[tuple] | None:
    """The listings matching the query, listed today and in the commune if one is chosen,
    whatever the facet filters, in the order of `filters.sort`: one query serves every facet,
    the count and the order. None when the query has no word."""
    where, params = "catalog_listing.valid_until >= %s", [timezone.localdate()]
    if filters.commune:
        where += " AND catalog_listing.commune_id = %s"
        params.append(filters.commune)
    return search.ranked_rows(filters.q, ROW, where, params, order=filters.sort)


def _kept(rows: list[tuple], filters: CatalogFilters, without: str | None = None) -> list[tuple]:
    """The rows that pass every facet filter chosen, but `without`'s."""
    tests = [
        (i, value)
        for i, name in enumerate(FACETS)
        if name != without and (value := getattr(filters, name)) not in (None, "")
    ]
    if not tests:
        return rows
    if len(tests) == 1:
        ((i, value),) = tests
        return [row for row in rows if row[i] == value]
    return [row for row in rows if all(row[i] == value for i, value in tests)]


def _labels(name: str, values) -> dict:
    from ocop.criteria.models import ProductGroup
    from ocop.geo.models import Province

    if name == "province":
        return dict(Province.objects.filter(pk__in=values).values_list("pk", "name"))
    if name == "group":
        return dict(ProductGroup.objects.filter(pk__in=values).values_list("pk", "name_vi"))
    if name == "stars":
        return {s: f"{s}★" for s in values}
    return {k: str(ProducerType(k).label) for k in values if k in ProducerType.values}


def _facet_values(name: str, counts: dict, filters: CatalogFilters) -> list[FacetValue]:
    labels = _labels(name, counts)
    selected = getattr(filters, name)
    values = [
        FacetValue(value, labels.get(value, str(value)), n, value == selected)
        for value, n in counts.items()
    ]
    if name == "stars":
        values.sort(key=lambda v: -v.value)
    else:
        values.sort(key=lambda v: (-v.count, v.label))
    return values


def _facets(filters: CatalogFilters, rows: list[tuple] | None) -> dict[str, list[FacetValue]]:
    """For each facet, how many results each value would give, counted with every other
    filter applied (so choosing a province still shows the other provinces' counts). With a
    query, counted from its matches' `rows` in Python; without one (up to the whole
    catalogue), grouped by the database."""
    out = {}
    if rows is None:
        for name, field in FACETS.items():  # browsing: the database groups the listings
            grouped = (
                _filtered(filters, without=name)
                .order_by()
                .values(field)
                .annotate(n=Count("id"))
                .values_list(field, "n")
            )
            out[name] = _facet_values(name, dict(grouped), filters)
        return out
    kept = _kept(rows, filters)  # for every facet whose own filter is not chosen
    for i, name in enumerate(FACETS):
        chosen = getattr(filters, name) not in (None, "")
        facet_rows = _kept(rows, filters, without=name) if chosen else kept
        out[name] = _facet_values(name, Counter(map(itemgetter(i), facet_rows)), filters)
    return out


PRODUCERS_SHOWN = 6


@dataclass(frozen=True)
class Matches:
    """What a search finds, as kept in the cache: ids and counts, not the listings (read
    afresh for the page shown)."""

    ids: list[int]  # every matching listing, in order
    facets: dict[str, list[FacetValue]]
    producers: list[int]  # the producers with the most matching products, most first


# A search is worked out once per catalogue generation, day and language (the facets carry
# translated labels) and kept CATALOG_CACHE_SECONDS: any committed change to a listing moves
# the generation on (signals.py), so a certificate revoked or issued shows in the next search.
# A search served from a lagging read replica just after a change can keep the old answer
# for that long; the product page itself always reads the listing afresh.
CATALOGUE = Generation("ocop:catalog")


def catalogue_changed() -> None:
    """The listings have changed (bulk writes, which send no signal, call this)."""
    CATALOGUE.changed()


def matches(filters: CatalogFilters) -> Matches:
    """The listings matching the query and filters, their facets and producers (cached)."""
    from django.utils.translation import get_language

    return _cached(
        ("search", filters, timezone.localdate(), get_language()), lambda: _matches(filters)
    )


def _matches(filters: CatalogFilters) -> Matches:
    """With words, one query on the index reads every match in order (a query matches a part
    of the catalogue) and Python counts and facets them. Without words the database orders
    and groups the listings itself."""
    rows = _match_rows(filters)
    if rows is None:
        ids = list(listing_search(filters).values_list("id", flat=True))
        return Matches(ids, _facets(filters, None), [])
    kept = _kept(rows, filters)
    best = Counter(map(itemgetter(PRODUCER), kept)).most_common(PRODUCERS_SHOWN)
    return Matches([row[ID] for row in kept], _facets(filters, rows), [pk for pk, _n in best])


def facets(filters: CatalogFilters) -> dict[str, list[FacetValue]]:
    return matches(filters).facets


@dataclass(frozen=True)
class SearchPage:
    page: object  # a django.core.paginator.Page of listings
    facets: dict[str, list[FacetValue]]
    producers: list  # the producers whose listed products answer the query, most first


def search_page(filters: CatalogFilters, *, page: object, per_page: int) -> SearchPage:
    """One page of results with the facets and the matching producers (the search box finds
    producers too: a producer's name is part of each of its products' titles). The page's
    listings and the producers are read by id."""
    from ocop.producers.models import Producer

    found = matches(filters)
    shown = Paginator(found.ids, per_page).get_page(page)
    shown.object_list = _shown(list(shown.object_list))
    producers = []
    if found.producers:
        by_pk = Producer.objects.select_related("commune__province").in_bulk(found.producers)
        producers = [by_pk[pk] for pk in found.producers if pk in by_pk]
    return SearchPage(shown, found.facets, producers)


def _cached(parts: tuple, compute):
    """compute()'s result, kept under `parts` and the catalogue's generation."""
    from django.conf import settings

    return CATALOGUE.cached(parts, compute, seconds=settings.CATALOG_CACHE_SECONDS)


def _shown(ids: list[int]) -> list[Listing]:
    """The listings of `ids`, in that order, read afresh with what their cards show."""
    by_id = Listing.objects.select_related("producer", "province", "commune", "photo").in_bulk(ids)
    return [by_id[i] for i in ids if i in by_id]


def featured(limit: int = 8) -> list[Listing]:
    """The home page's showcase: 5★ then 4★ products, with a photo first. The ids are
    chosen on the listing table alone (joined first, the sort carried every column of four
    tables), and kept like a search."""
    today = timezone.localdate()
    ids = _cached(
        ("featured", limit, today),
        lambda: list(
            listed(today=today)
            .filter(stars__gte=4)
            .alias(has_photo=ExpressionWrapper(Q(photo__isnull=False), output_field=BooleanField()))
            .order_by("-stars", "-has_photo", "-recognised_on", "id")
            .values_list("id", flat=True)[:limit]
        ),
    )
    return _shown(ids)


def newest(limit: int = 8) -> list[Listing]:
    today = timezone.localdate()
    ids = _cached(
        ("newest", limit, today),
        lambda: list(
            listed(today=today)
            .order_by("-recognised_on", "-id")
            .values_list("id", flat=True)[:limit]
        ),
    )
    return _shown(ids)


def counts_by_province() -> dict[int, int]:
    today = timezone.localdate()
    return _cached(
        ("by-province", today),
        lambda: dict(
            listed(today=today)
            .order_by()
            .values("province")
            .annotate(n=Count("id"))
            .values_list("province", "n")
        ),
    )


def listing_get(*, product_id: int) -> Listing | None:
    return (
        listed()
        .filter(product_id=product_id)
        .select_related(
            "product", "producer__commune__province", "product_group", "certificate__decision"
        )
        .first()
    )


def listing_url(*, product_id: int) -> str | None:
    """The catalogue address of a product while it is listed (one small query)."""
    from django.urls import reverse

    # One listing per product: no order to sort by (first() would add one, and compile it).
    slugs = list(listed().filter(product_id=product_id).values_list("slug", flat=True)[:1])
    if not slugs:
        return None
    return reverse("catalog:product", kwargs={"slug": slugs[0], "pk": product_id})


def related(listing: Listing, limit: int = 4) -> list[Listing]:
    """Other products of the same group, nearest first (same province), then the producer's."""
    same_group = (
        listed()
        .filter(product_group=listing.product_group)
        .exclude(pk=listing.pk)
        .select_related("producer", "province", "photo")
        .order_by("-stars", "-recognised_on")
    )
    near = list(same_group.filter(province=listing.province)[:limit])
    if len(near) < limit:
        near += list(same_group.exclude(province=listing.province)[: limit - len(near)])
    return near


def producer_listings(*, producer_id: int) -> list[Listing]:
    return list(
        listed()
        .filter(producer_id=producer_id)
        .select_related("photo", "product_group", "producer", "province")
        .order_by("-stars", "name")
    )


def events_upcoming(*, today: datetime.date | None = None) -> QuerySet[TradeEvent]:
    today = today or timezone.localdate()
    return TradeEvent.objects.filter(ends_on__gte=today).select_related("province")


def events_past(*, today: datetime.date | None = None) -> QuerySet[TradeEvent]:
    today = today or timezone.localdate()
    return TradeEvent.objects.filter(ends_on__lt=today).select_related("province")


def inbox(*, producer_ids) -> QuerySet[Inquiry]:
    return Inquiry.objects.filter(producer_id__in=producer_ids).select_related("product")


def inquiry_counts(*, user) -> list[dict]:
    """Per producer of the officer's area: inquiries received, and unread (no contents)."""
    from ocop.accounts.permissions import Action, scope_q

    q = scope_q(
        user,
        Action.PRODUCER_VIEW,
        province="producer__commune__province_id",
        commune="producer__commune_id",
        producer="producer_id",
    )
    if q is None:
        return []
    return list(
        Inquiry.objects.filter(q)
        .values("producer_id", "producer__legal_name")
        .annotate(total=Count("id"), unread=Count("id", filter=Q(read_at__isnull=True)))
        .order_by("-total", "producer__legal_name")
    )
