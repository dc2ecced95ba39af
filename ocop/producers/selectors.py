"""Reading producers, always through the reader's scope."""

from dataclasses import dataclass

from django.db.models import QuerySet

from ocop.accounts.permissions import Action, scope_q
from ocop.search.text import fold

from .models import Producer

PRODUCER_SCOPE = {"province": "commune__province_id", "commune": "commune_id", "producer": "pk"}


@dataclass(frozen=True)
class ProducerFilters:
    q: str = ""
    status: str = ""
    producer_type: str = ""
    province: int | None = None
    commune: int | None = None


def producer_visible(*, user, action: Action = Action.PRODUCER_VIEW) -> QuerySet[Producer]:
    """The producers on which `user` may perform `action` (none when the role has no reach)."""
    q = scope_q(user, action, **PRODUCER_SCOPE)
    if q is None:
        return Producer.objects.none()
    return Producer.objects.filter(q)


def producer_list(*, user, filters: ProducerFilters | None = None) -> QuerySet[Producer]:
    filters = filters or ProducerFilters()
    qs = producer_visible(user=user).select_related("commune__province")
    for word in fold(filters.q).split():
        qs = qs.filter(search_text__contains=word)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.producer_type:
        qs = qs.filter(producer_type=filters.producer_type)
    if filters.province:
        qs = qs.filter(commune__province_id=filters.province)
    if filters.commune:
        qs = qs.filter(commune_id=filters.commune)
    return qs.order_by("legal_name", "id")


def producer_get(*, user, pk: int) -> Producer:
    """The producer, or Producer.DoesNotExist when it is not visible to `user`."""
    return producer_visible(user=user).select_related("commune__province").get(pk=pk)


def producer_pending_count(*, user) -> int:
    return (
        producer_visible(user=user, action=Action.PRODUCER_CONFIRM).filter(status="pending").count()
    )
