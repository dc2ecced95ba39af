from django.db.models import QuerySet

from ocop.accounts.permissions import Action, scope_q
from ocop.geo.models import Province

from .models import ImportJob


def job_visible(*, user) -> QuerySet[ImportJob]:
    """The imports of the provinces the reader may import into."""
    # Only provincial, central and administrator roles hold IMPORT_MANAGE: the commune
    # lookup is never used.
    q = scope_q(user, Action.IMPORT_MANAGE, province="province_id", commune="province_id")
    if q is None:
        return ImportJob.objects.none()
    return ImportJob.objects.filter(q).select_related("province", "created_by")


def provinces_for(*, user) -> QuerySet[Province]:
    from .services import may_import

    return Province.objects.filter(
        pk__in=[p.pk for p in Province.objects.all() if may_import(user, p)]
    ).order_by("name")


def report_page(job: ImportJob, *, outcome: str = "") -> list[dict]:
    rows = job.report or []
    return [r for r in rows if r.get("outcome") == outcome] if outcome else rows


def choices_needed(job: ImportJob) -> list[dict]:
    """The addresses a person must resolve, each once, with its candidates and rows."""
    seen: dict[str, dict] = {}
    for row in job.report or []:
        if row.get("candidates"):
            entry = seen.setdefault(
                row["address"], {"address": row["address"], "candidates": row["candidates"],
                                 "rows": []}
            )  # fmt: skip
            entry["rows"].append(row["row"])
    return list(seen.values())
