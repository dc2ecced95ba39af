"""Reading the public catalogue. Everything here is public: listings carry no private field."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, replace

from django.db.models import BooleanField, Count, ExpressionWrapper, Q, QuerySet
from django.utils import timezone

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


def listing_search(filters: CatalogFilters) -> QuerySet[Listing]:
    """The listings matching the query and filters, best first (or by stars, or newest)."""
    qs = _filtered(filters).select_related("producer", "province", "commune", "photo")
    sort = filters.sort if filters.sort in SORTS else "relevance"
    if sort == "relevance" and search.words(filters.q):
        return qs.order_by("-rank", "-stars", "-recognised_on", "id")
    if sort == "newest":
        return qs.order_by("-recognised_on", "-stars", "id")
    return qs.order_by("-stars", "-recognised_on", "id")


@dataclass(frozen=True)
class FacetValue:
    value: object
    label: str
    count: int
    selected: bool


def facets(filters: CatalogFilters) -> dict[str, list[FacetValue]]:
    """For each facet, how many results each value would give, counted with every other
    filter applied (so choosing a province still shows the other provinces' counts)."""
    from ocop.criteria.models import ProductGroup
    from ocop.geo.models import Province

    out = {}
    for name, field in FACETS.items():
        rows = (
            _filtered(filters, without=name)
            .order_by()
            .values(field)
            .annotate(n=Count("id"))
            .values_list(field, "n")
        )
        counts = dict(rows)
        if name == "province":
            labels = dict(Province.objects.filter(pk__in=counts).values_list("pk", "name"))
        elif name == "group":
            labels = dict(ProductGroup.objects.filter(pk__in=counts).values_list("pk", "name_vi"))
        elif name == "stars":
            labels = {s: f"{s}★" for s in counts}
        else:
            labels = {k: str(ProducerType(k).label) for k in counts if k in ProducerType.values}
        selected = getattr(filters, name)
        values = [
            FacetValue(value, labels.get(value, str(value)), n, value == selected)
            for value, n in counts.items()
        ]
        if name == "stars":
            values.sort(key=lambda v: -v.value)
        else:
            values.sort(key=lambda v: (-v.count, v.label))
        out[name] = values
    return out


def producers_matching(filters: CatalogFilters, limit: int = 6) -> list:
    """The producers whose listed products answer the query (the search box finds
    producers too: a producer's name is part of each of its products' titles)."""
    from ocop.producers.models import Producer

    if not search.words(filters.q):
        return []
    ids = list(
        _filtered(replace(filters, sort="relevance"))
        .order_by()
        .values_list("producer_id", flat=True)
        .distinct()[: limit * 4]
    )
    producers = Producer.objects.filter(pk__in=ids).select_related("commune__province")
    return list(producers.annotate(n=Count("listings")).order_by("-n", "legal_name")[:limit])


def featured(limit: int = 8) -> list[Listing]:
    """The home page's showcase: 5★ then 4★ products, with a photo first."""
    return list(
        listed()
        .filter(stars__gte=4)
        .select_related("producer", "province", "photo")
        .alias(has_photo=ExpressionWrapper(Q(photo__isnull=False), output_field=BooleanField()))
        .order_by("-stars", "-has_photo", "-recognised_on", "id")[:limit]
    )


def newest(limit: int = 8) -> list[Listing]:
    return list(
        listed()
        .select_related("producer", "province", "photo")
        .order_by("-recognised_on", "-id")[:limit]
    )


def counts_by_province() -> dict[int, int]:
    return dict(
        listed().order_by().values("province").annotate(n=Count("id")).values_list("province", "n")
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

    row = listed().filter(product_id=product_id).values_list("slug", flat=True).first()
    if row is None:
        return None
    return reverse("catalog:product", kwargs={"slug": row, "pk": product_id})


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
        .select_related("photo", "product_group")
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
