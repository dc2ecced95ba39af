"""How far a plan has come: each target's count, made from the register today."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from ocop.certificates.models import Certificate, CertificateStatus
from ocop.producers.models import ProducerType

from .models import Metric, ProgrammePlan


def _area_q(plan: ProgrammePlan) -> Q:
    if plan.commune_id:
        return Q(producer__commune_id=plan.commune_id)
    if plan.province_id:
        return Q(producer__commune__province_id=plan.province_id)
    return Q()


def count(plan: ProgrammePlan, metric: str, today: datetime.date | None = None) -> int:
    """Products or producers of the plan's area recognised today (a live certificate)."""
    today = today or timezone.localdate()
    live = Certificate.objects.filter(
        _area_q(plan),
        status=CertificateStatus.VALID,
        superseded_by__isnull=True,
        expires_on__gte=today,
    )
    if metric == Metric.PRODUCTS:
        return live.values("product_id").distinct().count()
    if metric == Metric.PRODUCTS_4:
        return live.filter(stars__gte=4).values("product_id").distinct().count()
    if metric == Metric.PRODUCTS_5:
        return live.filter(stars=5).values("product_id").distinct().count()
    if metric == Metric.PRODUCERS:
        return live.values("producer_id").distinct().count()
    if metric == Metric.COOPERATIVES:
        return (
            live.filter(producer__producer_type=ProducerType.COOPERATIVE)
            .values("producer_id")
            .distinct()
            .count()
        )
    raise ValueError(metric)


@dataclass(frozen=True)
class Progress:
    metric: str
    label: str
    target: int
    reached: int

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.reached / self.target)) if self.target else 100


def plan_progress(plan: ProgrammePlan, today: datetime.date | None = None) -> list[Progress]:
    return [
        Progress(t.metric, t.get_metric_display(), t.value, count(plan, t.metric, today))
        for t in plan.targets.all()
    ]
