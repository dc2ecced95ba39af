import datetime

from django.http import Http404
from ninja import Query, Router, Schema
from ninja.pagination import paginate

from ocop.pagination import DbInt, DbText, Pagination

from . import selectors
from .models import Producer

router = Router(tags=["producers"])


class ProducerOut(Schema):
    id: int
    legal_name: str
    producer_type: str
    tax_code: str | None
    status: str
    commune_code: int
    commune: str
    province_code: int
    province: str
    representative_name: str
    phone: str
    email: str
    website: str
    registration_number: str
    registration_date: datetime.date | None
    member_count: int | None
    worker_count: int | None
    female_worker_count: int | None
    ethnic_minority_worker_count: int | None

    @staticmethod
    def resolve_commune_code(obj: Producer) -> int:
        return obj.commune_id

    @staticmethod
    def resolve_commune(obj: Producer) -> str:
        return obj.commune.name

    @staticmethod
    def resolve_province_code(obj: Producer) -> int:
        return obj.commune.province_id

    @staticmethod
    def resolve_province(obj: Producer) -> str:
        return obj.commune.province.name


class ProducerQuery(Schema):
    q: DbText = ""
    status: DbText = ""
    producer_type: DbText = ""
    province: DbInt | None = None
    commune: DbInt | None = None


@router.get("/", response=list[ProducerOut])
@paginate(Pagination)
def producer_list(request, query: Query[ProducerQuery]):
    """Producers the caller may see, filtered; paginated with ?page=."""
    return selectors.producer_list(
        user=request.auth, filters=selectors.ProducerFilters(**query.dict())
    )


@router.get("/{producer_id}", response=ProducerOut)
def producer_detail(request, producer_id: DbInt):
    try:
        return selectors.producer_get(user=request.auth, pk=producer_id)
    except Producer.DoesNotExist:
        raise Http404 from None
