"""Reading dossiers, always through the reader's scope, and the views the rules need."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet

from ocop.accounts.permissions import Action, scope_q
from ocop.criteria.scoring import CriteriaSetSpec, ScoreResult, score
from ocop.criteria.selectors import criteria_set_spec
from ocop.documents.models import Document

from . import rules
from .models import Dossier, DossierItem, DossierStatus, DossierVersion, ReviewComment

DOSSIER_SCOPE = {
    "province": "product__producer__commune__province_id",
    "commune": "product__producer__commune_id",
    "producer": "product__producer_id",
    "council": "assignments__session__council_id",
}


def dossier_visible(*, user, action: Action = Action.DOSSIER_VIEW) -> QuerySet[Dossier]:
    q = scope_q(user, action, **DOSSIER_SCOPE)
    # distinct(): a dossier on several sessions' agendas would repeat through the join.
    return Dossier.objects.none() if q is None else Dossier.objects.filter(q).distinct()


def dossier_list(*, user, status: str = "") -> QuerySet[Dossier]:
    qs = dossier_visible(user=user).select_related(
        "product__producer__commune__province", "criteria_set"
    )
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-updated_at", "-id")


def dossier_get(*, user, pk: int) -> Dossier:
    return (
        dossier_visible(user=user)
        .select_related(
            "product__producer__commune__province",
            "criteria_set__product_group__branch",
        )
        .get(pk=pk)
    )


def dossier_waiting_count(*, user) -> int:
    return (
        dossier_visible(user=user, action=Action.DOSSIER_REVIEW)
        .filter(status=DossierStatus.SUBMITTED)
        .count()
    )


def dossier_spec(*, dossier: Dossier) -> CriteriaSetSpec:
    return criteria_set_spec(code=dossier.criteria_set.code)


def dossier_branch(*, dossier: Dossier) -> str:
    return dossier.criteria_set.product_group.branch.code


def item_documents(*, item: DossierItem) -> QuerySet[Document]:
    return Document.objects.filter(
        owner_type=ContentType.objects.get_for_model(DossierItem), owner_id=str(item.pk)
    ).order_by("uploaded_at", "id")


def dossier_items(*, dossier: Dossier) -> dict[str, DossierItem]:
    """The dossier's items by key, each with its documents in `item.documents`."""
    items = {i.key: i for i in dossier.items.all()}
    docs = Document.objects.filter(
        owner_type=ContentType.objects.get_for_model(DossierItem),
        owner_id__in=[str(i.pk) for i in items.values()],
    ).order_by("uploaded_at", "id")
    by_owner: dict[str, list[Document]] = {}
    for doc in docs:
        by_owner.setdefault(doc.owner_id, []).append(doc)
    for item in items.values():
        item.documents = by_owner.get(str(item.pk), [])
    return items


def dossier_answers(*, dossier: Dossier) -> dict[str, str]:
    return {
        key.removeprefix("crit:"): option
        for key, option in dossier.items.filter(key__startswith="crit:")
        .exclude(option="")
        .values_list("key", "option")
    }


def dossier_score(*, dossier: Dossier) -> ScoreResult:
    """The self-assessment scored by the engine, as the producer fills it."""
    return score(dossier_spec(dossier=dossier), dossier_answers(dossier=dossier))


def _states(items: dict[str, DossierItem]) -> dict[str, rules.ItemState]:
    return {
        key: rules.ItemState(
            option=item.option,
            explanation=item.explanation,
            evidence_count=len(item.documents) + len(item.links),
            needs_review=item.needs_review,
        )
        for key, item in items.items()
    }


def dossier_missing(*, dossier: Dossier, items=None) -> list[rules.Missing]:
    items = items if items is not None else dossier_items(dossier=dossier)
    return rules.missing_items(
        spec=dossier_spec(dossier=dossier),
        branch=dossier_branch(dossier=dossier),
        items=_states(items),
    )


def dossier_snapshot(*, dossier: Dossier) -> dict[str, dict]:
    """Every item as plain data, to freeze in a version."""
    return {
        key: {
            "option": item.option,
            "explanation": item.explanation,
            "links": list(item.links),
            "files": [
                {"name": d.original_name, "sha256": d.sha256, "size": d.size, "id": d.pk}
                for d in item.documents
            ],
        }
        for key, item in sorted(dossier_items(dossier=dossier).items())
    }


def open_comment_keys(*, dossier: Dossier) -> set[str]:
    return set(
        ReviewComment.objects.filter(dossier=dossier, resolved_in__isnull=True).values_list(
            "item_key", flat=True
        )
    )


def comments_by_key(*, dossier: Dossier) -> dict[str, list[ReviewComment]]:
    result: dict[str, list[ReviewComment]] = {}
    for c in ReviewComment.objects.filter(dossier=dossier).select_related("author"):
        result.setdefault(c.item_key, []).append(c)
    return result


def version_diff(*, dossier: Dossier, number: int) -> list[rules.ItemChange]:
    """What version `number` changed against the one before (everything, for version 1)."""
    versions = {
        v.number: v.snapshot
        for v in DossierVersion.objects.filter(dossier=dossier, number__in=[number - 1, number])
    }
    if number not in versions:
        raise DossierVersion.DoesNotExist
    return rules.snapshot_diff(versions.get(number - 1, {}), versions[number])
