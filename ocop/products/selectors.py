"""Reading products, always through the reader's scope."""

from dataclasses import dataclass

from django.db.models import QuerySet

from ocop.accounts.permissions import Action, scope_q
from ocop.criteria.models import Decision, ProductGroup
from ocop.documents.models import IMAGE_KINDS, Document
from ocop.documents.selectors import document_list
from ocop.ideas.models import IdeaStatus, ProductIdea
from ocop.plans.models import BusinessPlan
from ocop.search.text import fold

from .models import Product

PRODUCT_SCOPE = {
    "province": "producer__commune__province_id",
    "commune": "producer__commune_id",
    "producer": "producer_id",
}


@dataclass(frozen=True)
class ProductFilters:
    q: str = ""
    producer: int | None = None
    product_group: int | None = None


def product_visible(*, user, action: Action = Action.PRODUCT_VIEW) -> QuerySet[Product]:
    """The products on which `user` may perform `action` (none when the role has no reach)."""
    q = scope_q(user, action, **PRODUCT_SCOPE)
    if q is None:
        return Product.objects.none()
    return Product.objects.filter(q)


def product_list(*, user, filters: ProductFilters | None = None) -> QuerySet[Product]:
    filters = filters or ProductFilters()
    qs = product_visible(user=user).select_related(
        "producer__commune__province", "product_group__branch"
    )
    for word in fold(filters.q).split():
        qs = qs.filter(search_text__contains=word)
    if filters.producer:
        qs = qs.filter(producer_id=filters.producer)
    if filters.product_group:
        qs = qs.filter(product_group_id=filters.product_group)
    return qs.order_by("name", "id")


def product_get(*, user, pk: int) -> Product:
    """The product, or Product.DoesNotExist when it is not visible to `user`."""
    return (
        product_visible(user=user)
        .select_related("producer__commune__province", "product_group__branch", "idea", "plan")
        .get(pk=pk)
    )


def product_page_load(products: list[Product]) -> list[Product]:
    """For a page of products shown with their photos and criteria set: both read for the
    whole page in two queries (as `photos_loaded` and `criteria_set_loaded`), not per row."""
    from collections import defaultdict

    from django.contrib.contenttypes.models import ContentType

    from ocop.criteria.models import CriteriaSet

    photos = defaultdict(list)
    for document in Document.objects.filter(
        owner_type=ContentType.objects.get_for_model(Product),
        owner_id__in=[str(p.pk) for p in products],
        kind__in=IMAGE_KINDS,
    ).order_by("uploaded_at", "pk"):
        photos[document.owner_id].append(document)
    newest = {}
    for criteria_set in (
        CriteriaSet.objects.filter(product_group__in={p.product_group_id for p in products})
        .select_related("decision")
        .order_by("-decision__decision_date", "-pk")
    ):
        newest.setdefault(criteria_set.product_group_id, criteria_set)
    for product in products:
        product.photos_loaded = photos.get(str(product.pk), [])
        product.criteria_set_loaded = newest.get(product.product_group_id)
    return products


def product_photos(*, product: Product) -> QuerySet[Document]:
    """The product's photos: its documents of an image kind, oldest first."""
    return document_list(owner=product).filter(kind__in=IMAGE_KINDS).order_by("uploaded_at", "pk")


def product_group_choices(*, current: ProductGroup | None = None) -> QuerySet[ProductGroup]:
    """The groups of the newest decision (plus the product's current group, if older)."""
    newest = Decision.objects.order_by("-decision_date", "-pk").first()
    qs = ProductGroup.objects.select_related("branch")
    if newest is None:
        return qs.none()
    pks = set(qs.filter(branch__decision=newest).values_list("pk", flat=True))
    if current is not None:
        pks.add(current.pk)
    return qs.filter(pk__in=pks).order_by("branch__position", "position")


def product_idea_choices(*, producers) -> QuerySet[ProductIdea]:
    """Accepted ideas of `producers` (a queryset or list): what a product may come from."""
    return ProductIdea.objects.filter(
        producer__in=producers, status=IdeaStatus.ACCEPTED
    ).select_related("producer")


def product_plan_choices(*, producers) -> QuerySet[BusinessPlan]:
    return BusinessPlan.objects.filter(
        idea__producer__in=producers, idea__status=IdeaStatus.ACCEPTED
    ).select_related("idea__producer")
