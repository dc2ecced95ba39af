from django.db.models import QuerySet

from ocop.accounts.permissions import Action, scope_q

from .models import BusinessPlan, PlanStatus

PLAN_SCOPE = {
    "province": "idea__producer__commune__province_id",
    "commune": "idea__producer__commune_id",
    "producer": "idea__producer_id",
}


def plan_visible(*, user, action: Action = Action.PLAN_VIEW) -> QuerySet[BusinessPlan]:
    q = scope_q(user, action, **PLAN_SCOPE)
    return BusinessPlan.objects.none() if q is None else BusinessPlan.objects.filter(q)


def plan_list(*, user, status: str = "") -> QuerySet[BusinessPlan]:
    qs = plan_visible(user=user).select_related("idea__producer__commune__province")
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-updated_at", "-id")


def plan_get(*, user, pk: int) -> BusinessPlan:
    return plan_visible(user=user).select_related("idea__producer__commune__province").get(pk=pk)


def plan_waiting_count(*, user) -> int:
    return (
        plan_visible(user=user, action=Action.PLAN_REVIEW)
        .filter(status=PlanStatus.SUBMITTED)
        .count()
    )
