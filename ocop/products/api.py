import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate

from ocop.criteria.models import ProductGroup
from ocop.ideas.models import ProductIdea
from ocop.pagination import DbInt, DbText, Pagination
from ocop.plans.models import BusinessPlan
from ocop.producers.models import Producer
from ocop.producers.selectors import producer_visible

from . import selectors, services
from .models import Product

router = Router(tags=["products"])


class PhotoOut(Schema):
    id: int
    url: str
    name: str


class ProductOut(Schema):
    id: int
    name: str
    producer_id: int
    producer: str
    product_group_id: int
    product_group: str
    criteria_set: str | None
    description: str
    story: str
    packaging: str
    gtin: str | None
    shelf_life: str
    raw_material_area: str
    idea_id: int | None
    plan_id: int | None
    photos: list[PhotoOut]
    created_at: datetime.datetime
    updated_at: datetime.datetime

    @staticmethod
    def resolve_producer(obj: Product) -> str:
        return obj.producer.legal_name

    @staticmethod
    def resolve_product_group(obj: Product) -> str:
        return obj.product_group.name_vi

    @staticmethod
    def resolve_criteria_set(obj: Product) -> str | None:
        loaded = getattr(obj, "criteria_set_loaded", False)
        criteria_set = obj.criteria_set if loaded is False else loaded
        return criteria_set.code if criteria_set else None

    @staticmethod
    def resolve_photos(obj: Product) -> list[dict]:
        photos = getattr(obj, "photos_loaded", None)
        if photos is None:
            photos = selectors.product_photos(product=obj)
        return [{"id": d.pk, "url": d.get_absolute_url(), "name": d.original_name} for d in photos]


class ProductPagination(Pagination):
    """A page of products with their photos and criteria sets read for the whole page."""

    def paginate_queryset(self, queryset, pagination, request, **params):
        page = super().paginate_queryset(queryset, pagination, request, **params)
        page[self.items_attribute] = selectors.product_page_load(list(page[self.items_attribute]))
        return page


class ProductFields(Schema):
    """What a person edits; the ids refer to a product group, idea and plan."""

    description: DbText = ""
    story: DbText = ""
    packaging: DbText = ""
    gtin: DbText | None = None
    shelf_life: DbText = ""
    raw_material_area: DbText = ""
    idea_id: DbInt | None = None
    plan_id: DbInt | None = None


class ProductIn(ProductFields):
    producer_id: DbInt
    product_group_id: DbInt
    name: DbText


class ProductPatch(ProductFields):
    name: DbText | None = None
    product_group_id: DbInt | None = None


class ProductQuery(Schema):
    q: DbText = ""
    producer: DbInt | None = None
    product_group: DbInt | None = None


class Error(Schema):
    detail: dict[str, list[str]] | str


_LOOKUPS = {"product_group": ProductGroup, "idea": ProductIdea, "plan": BusinessPlan}


def _lookup(fields: dict) -> dict:
    """The service's data from the request's fields: each `<name>_id` becomes the record it
    names (ValidationError when there is none); a text field sent as null becomes empty."""
    data, errors = {}, {}
    for key, value in fields.items():
        name = key.removesuffix("_id")
        model = _LOOKUPS.get(name)
        if model is None:
            data[key] = "" if value is None and key != "gtin" else value
        elif value is None:
            data[name] = None
        else:
            data[name] = model.objects.filter(pk=value).first()
            if data[name] is None:
                errors[name] = _("Nothing with this id: %(id)s.") % {"id": value}
    if errors:
        raise ValidationError(errors)
    return data


def _validation_response(exc: ValidationError) -> Status:
    if hasattr(exc, "error_dict"):
        return Status(422, {"detail": exc.message_dict})
    return Status(422, {"detail": {"__all__": exc.messages}})


@router.get("/", response=list[ProductOut])
@paginate(ProductPagination)
def product_list(request, query: Query[ProductQuery]):
    """Products the caller may see, filtered; paginated with ?page=."""
    return selectors.product_list(
        user=request.auth, filters=selectors.ProductFilters(**query.dict())
    )


@router.get("/{product_id}", response=ProductOut)
def product_detail(request, product_id: DbInt):
    try:
        return selectors.product_get(user=request.auth, pk=product_id)
    except Product.DoesNotExist:
        raise Http404 from None


@router.post("/", response={201: ProductOut, 403: Error, 404: Error, 422: Error})
def product_create(request, payload: ProductIn):
    """Records a product for a producer the caller acts for."""
    fields = payload.dict()
    try:
        producer = producer_visible(user=request.auth).get(pk=fields.pop("producer_id"))
    except Producer.DoesNotExist:
        raise Http404 from None
    try:
        data = _lookup(fields)
        product = services.product_create(actor=request.auth, producer=producer, data=data)
    except PermissionDenied:
        return Status(403, {"detail": str(_("You may not record products for this producer."))})
    except ValidationError as exc:
        return _validation_response(exc)
    return Status(201, selectors.product_get(user=request.auth, pk=product.pk))


@router.patch("/{product_id}", response={200: ProductOut, 403: Error, 404: Error, 422: Error})
def product_update(request, product_id: DbInt, payload: ProductPatch):
    """Changes the fields sent; the others stay as they are."""
    try:
        product = selectors.product_get(user=request.auth, pk=product_id)
    except Product.DoesNotExist:
        raise Http404 from None
    try:
        data = _lookup(payload.dict(exclude_unset=True))
        services.product_update(actor=request.auth, product=product, data=data)
    except PermissionDenied:
        return Status(403, {"detail": str(_("You may not change this product."))})
    except ValidationError as exc:
        return _validation_response(exc)
    return Status(200, selectors.product_get(user=request.auth, pk=product.pk))
