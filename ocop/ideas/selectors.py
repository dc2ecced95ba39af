from dataclasses import dataclass

from django.db.models import QuerySet

from ocop.accounts.permissions import Action, scope_q
from ocop.search.text import fold

from .models import IdeaStatus, ProductIdea

IDEA_SCOPE = {
    "province": "producer__commune__province_id",
    "commune": "producer__commune_id",
    "producer": "producer_id",
}


@dataclass(frozen=True)
class IdeaFilters:
    q: str = ""
    status: str = ""
    province: int | None = None
    commune: int | None = None
    year: int | None = None


def idea_visible(*, user, action: Action = Action.IDEA_VIEW) -> QuerySet[ProductIdea]:
    q = scope_q(user, action, **IDEA_SCOPE)
    return ProductIdea.objects.none() if q is None else ProductIdea.objects.filter(q)


def idea_list(*, user, filters: IdeaFilters | None = None) -> QuerySet[ProductIdea]:
    filters = filters or IdeaFilters()
    qs = idea_visible(user=user).select_related(
        "producer__commune__province", "product_group__branch"
    )
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.province:
        qs = qs.filter(producer__commune__province_id=filters.province)
    if filters.commune:
        qs = qs.filter(producer__commune_id=filters.commune)
    if filters.year:
        qs = qs.filter(year=filters.year)
    for word in fold(filters.q).split():
        qs = qs.filter(search_text__contains=word)
    return qs.order_by("-updated_at", "-id")


def idea_get(*, user, pk: int) -> ProductIdea:
    return idea_visible(user=user).select_related("producer__commune__province").get(pk=pk)


def idea_waiting_count(*, user) -> int:
    """Ideas submitted in the user's area that wait for their review."""
    return (
        idea_visible(user=user, action=Action.IDEA_REVIEW)
        .filter(status=IdeaStatus.SUBMITTED)
        .count()
    )
