from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from ocop.accounts.permissions import Action, memberships, scope_q
from ocop.geo.models import Commune, Province

from .models import PlanLevel, PlanStatus, ProgrammePlan


def plan_visible(*, user) -> QuerySet[ProgrammePlan]:
    """Plans of the reader's area, and the national plan that every officer follows."""
    q = scope_q(user, Action.DASHBOARD_VIEW, province="province_id", commune="commune_id")
    if q is None:
        return ProgrammePlan.objects.none()
    if q != Q():  # (an empty Q is the nation's reach: every plan)
        # A commune's officers follow their province's plan too.
        communes = [m.commune_id for m in memberships(user) if m.commune_id]
        provinces = Commune.objects.filter(pk__in=communes).values("province_id")
        q = q | Q(level=PlanLevel.PROVINCE, province_id__in=provinces) | Q(level=PlanLevel.NATION)
    return (
        ProgrammePlan.objects.filter(q)
        .select_related("province", "commune__province")
        .prefetch_related("targets")
    )


@dataclass(frozen=True)
class ProvincePlan:
    province: Province
    plan: ProgrammePlan | None  # its approved plan covering the year, if any


def provinces_with_plans(*, year: int | None = None) -> list[ProvincePlan]:
    """For the national view: which provinces have an approved plan for the year."""
    year = year or timezone.localdate().year
    plans = {
        p.province_id: p
        for p in ProgrammePlan.objects.filter(
            level=PlanLevel.PROVINCE,
            status=PlanStatus.APPROVED,
            start_year__lte=year,
            end_year__gte=year,
        ).order_by("decision_date")
    }
    return [ProvincePlan(p, plans.get(p.pk)) for p in Province.objects.order_by("name")]


def course_visible(*, user) -> QuerySet:
    """Courses of the reader's area (officers), or of their producer's province (producers)."""
    from .models import TrainingCourse

    q = scope_q(user, Action.DASHBOARD_VIEW, province="province_id", commune="commune_id")
    provinces = [m.province_id for m in memberships(user) if m.province_id]
    communes = [m.commune_id for m in memberships(user) if m.commune_id]
    producers = [m.producer_id for m in memberships(user) if m.producer_id]
    if producers:
        from ocop.producers.models import Producer

        provinces += list(
            Producer.objects.filter(pk__in=producers).values_list("commune__province_id", flat=True)
        )
    extra = Q(province_id__in=provinces) | Q(
        province_id__in=Commune.objects.filter(pk__in=communes).values("province_id"),
        commune__isnull=True,
    )
    if q is None:
        q = extra
    elif q != Q():  # an empty Q is the nation's reach: every course
        q = q | extra
    return TrainingCourse.objects.filter(q).select_related("province", "commune")


def guidance_library(*, province=None, topic: str = "", query: str = "") -> QuerySet:
    """The published guidance documents, newest first: with a province, its own and its
    communes' documents and the national ones (what a producer there needs to read)."""
    from ocop.search.text import fold

    from .models import GuidanceDocument

    qs = GuidanceDocument.objects.filter(published=True)
    if province is not None:
        qs = qs.filter(Q(province=province) | Q(province__isnull=True))
    if topic:
        qs = qs.filter(topic=topic)
    for word in fold(query).split()[:8]:
        qs = qs.filter(folded__contains=word)
    return qs.select_related("province", "commune__province", "course")


def guidance_readable(*, user, guidance) -> bool:
    """Published documents are everyone's; the others are for the area's officers and for
    those who see the course they were handed out at."""
    from .services import may_manage

    if guidance.published:
        return True
    if not user.is_authenticated:
        return False
    if may_manage(user, province=guidance.province, commune=guidance.commune):
        return True
    return (
        guidance.course_id is not None
        and course_visible(user=user).filter(pk=guidance.course_id).exists()
    )


def guidance_files(guidances) -> dict:
    """Each guidance document's file (its newest), in one query, by the document's id."""
    from django.contrib.contenttypes.models import ContentType

    from ocop.documents.models import Document

    from .models import GuidanceDocument

    ids = [str(g.pk) for g in guidances]
    files = {}
    for document in Document.objects.filter(
        owner_type=ContentType.objects.get_for_model(GuidanceDocument), owner_id__in=ids
    ).order_by("uploaded_at", "id"):
        files[int(document.owner_id)] = document
    return files
