"""Reading administrative units."""

from django.db.models import QuerySet

from .models import Commune, LegacyCommune, Province


def province_list() -> QuerySet[Province]:
    return Province.objects.order_by("name")


def commune_list(*, province_code: int) -> QuerySet[Commune]:
    return Commune.objects.filter(province_id=province_code).order_by("name")


def legacy_commune_successors(*, legacy_code: int) -> list[tuple[Commune, bool]]:
    """The current communes a legacy commune went into, with whether it was split."""
    legacy = LegacyCommune.objects.get(code=legacy_code)
    return [
        (s.commune, s.is_partial)
        for s in legacy.successions.select_related("commune__province").order_by("commune_id")
    ]


def units_loaded() -> bool:
    return Province.objects.exists()
