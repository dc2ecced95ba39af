"""The public catalogue over JSON (open data): recognised products with public fields only,
the same search and filters as the pages, and the facet counts."""

import datetime

from django.http import Http404
from ninja import Query, Router, Schema

from ocop.pagination import DbInt, DbText

from . import selectors
from .forms import SearchForm
from .models import Listing

router = Router(tags=["catalog"])


PAGE_SIZE = 50


class ListingOut(Schema):
    product_id: int
    name: str
    url: str
    producer_id: int
    producer: str
    producer_type: str
    product_group: str
    commune: str
    province: str
    province_code: int
    stars: int
    certificate_number: str
    certificate_valid_until: datetime.date
    recognised_on: datetime.date
    photo: str | None

    @staticmethod
    def resolve_url(obj: Listing) -> str:
        return obj.get_absolute_url()

    @staticmethod
    def resolve_producer(obj: Listing) -> str:
        return obj.producer.legal_name

    @staticmethod
    def resolve_product_group(obj: Listing) -> str:
        return obj.product_group.name_vi

    @staticmethod
    def resolve_commune(obj: Listing) -> str:
        return obj.commune.name

    @staticmethod
    def resolve_province(obj: Listing) -> str:
        return obj.province.name

    @staticmethod
    def resolve_province_code(obj: Listing) -> int:
        return obj.province_id

    @staticmethod
    def resolve_certificate_number(obj: Listing) -> str:
        return obj.certificate.number

    @staticmethod
    def resolve_certificate_valid_until(obj: Listing) -> datetime.date:
        return obj.valid_until

    @staticmethod
    def resolve_photo(obj: Listing) -> str | None:
        return obj.photo.get_public_url() if obj.photo_id else None


class SearchQuery(Schema):
    q: DbText = ""
    province: DbInt | None = None
    commune: DbInt | None = None
    group: DbInt | None = None
    stars: DbInt | None = None
    producer_type: DbText = ""
    sort: DbText = "relevance"  # relevance, stars, newest


class FacetOut(Schema):
    value: int | str
    label: str
    count: int


def _filters(query: SearchQuery) -> selectors.CatalogFilters:
    form = SearchForm({k: v for k, v in query.dict().items() if v not in (None, "")})
    return form.filters()


class ListingPage(Schema):
    items: list[ListingOut]
    count: int


@router.get("/products", response=ListingPage)
def product_list(request, query: Query[SearchQuery], page: DbInt = 1):
    """Recognised products, searched, filtered and ranked like the catalogue page; 50 a page
    (`?page=`)."""
    found = selectors.search_page(_filters(query), page=page, per_page=PAGE_SIZE)
    return {"items": list(found.page.object_list), "count": found.page.paginator.count}


@router.get("/products/{product_id}", response=ListingOut)
def product_detail(request, product_id: DbInt):
    listing = selectors.listing_get(product_id=product_id)
    if listing is None:
        raise Http404
    return listing


@router.get("/facets", response=dict[str, list[FacetOut]])
def facet_counts(request, query: Query[SearchQuery]):
    """How many recognised products each province, star class, group and producer type has,
    under the same query and filters."""
    return {
        name: [{"value": v.value, "label": v.label, "count": v.count} for v in values]
        for name, values in selectors.facets(_filters(query)).items()
    }
