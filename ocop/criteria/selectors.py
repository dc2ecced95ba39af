"""Reading criteria sets: for the pages, the commands and the scoring engine."""

import functools

from django.db import DatabaseError
from django.db.models import Prefetch, QuerySet

from . import files
from .models import CriteriaPart, CriteriaSet, Criterion, Decision, ProductBranch, ProductGroup
from .scoring import Band, CriteriaSetSpec, CriterionSpec, OptionSpec, PartSpec


def criteria_set_list() -> QuerySet[CriteriaSet]:
    return CriteriaSet.objects.select_related("decision", "product_group").order_by(
        "-decision__decision_date", "product_group__branch__position", "product_group__position"
    )


def decision_list() -> QuerySet[Decision]:
    """Decisions, newest first, with their branches, groups and the groups' criteria sets."""
    groups = ProductGroup.objects.prefetch_related(
        Prefetch("criteria_sets", queryset=CriteriaSet.objects.order_by("code"))
    )
    branches = ProductBranch.objects.prefetch_related(Prefetch("groups", queryset=groups))
    return Decision.objects.prefetch_related(
        Prefetch("branches", queryset=branches), "bands"
    ).order_by("-decision_date", "code")


def criteria_set_detail(*, code: str) -> CriteriaSet:
    """One set with its parts, criteria and options prefetched (raises DoesNotExist)."""
    criteria = Criterion.objects.prefetch_related("options")
    parts = CriteriaPart.objects.prefetch_related(Prefetch("criteria", queryset=criteria))
    return (
        CriteriaSet.objects.select_related("decision", "product_group__branch")
        .prefetch_related(Prefetch("parts", queryset=parts), "decision__bands")
        .get(code=code)
    )


# Specs built from the database, per process, by set and by its decision's data digest: a
# set only changes when `load_criteria` loads changed files, which gives a new digest (the
# admin shows criteria read-only). Building one costs ~25 ms and a scoring page needs it up to
# three times. Sets without a digest (not loaded from files) are built every time.
_specs: dict[tuple[int, str], CriteriaSetSpec] = {}


def criteria_set_spec(*, code: str) -> CriteriaSetSpec:
    """The pure scoring spec of a loaded set (raises CriteriaSet.DoesNotExist)."""
    pk, digest = CriteriaSet.objects.values_list("pk", "decision__data_digest").get(code=code)
    if digest and (pk, digest) in _specs:
        return _specs[(pk, digest)]
    spec = _spec_build(code=code)
    if digest:
        _specs[(pk, digest)] = spec
    return spec


def criteria_spec_forget() -> None:
    """Build the specs anew (a forced reload may rewrite sets under an unchanged digest)."""
    _specs.clear()


def _spec_build(*, code: str) -> CriteriaSetSpec:
    cs = criteria_set_detail(code=code)
    decision = cs.decision
    return CriteriaSetSpec(
        code=cs.code,
        decision=decision.number,
        product_group=cs.product_group.code,
        name=cs.name_vi,
        name_en=cs.name_en,
        source=cs.source,
        notes=cs.notes,
        bands=tuple(
            Band(stars=b.stars, min_points=b.min_points)
            for b in sorted(decision.bands.all(), key=lambda b: b.min_points)
        ),
        unranked_below=decision.unranked_below,
        parts=tuple(
            PartSpec(
                code=p.code,
                name=p.name_vi,
                name_en=p.name_en,
                max_points=p.max_points,
                criteria=tuple(
                    CriterionSpec(
                        code=c.code,
                        name=c.name_vi,
                        name_en=c.name_en,
                        group=c.group_vi,
                        options=tuple(
                            OptionSpec(
                                code=o.code,
                                label=o.label_vi,
                                points=o.points,
                                required_for_stars=o.required_for_stars,
                            )
                            for o in c.options.all()
                        ),
                    )
                    for c in p.criteria.all()
                ),
            )
            for p in cs.parts.all()
        ),
    )


# The data files are read once per process when the database has no sets loaded.
_file_specs = functools.cache(files.load_specs)


def _db_has_sets() -> bool:
    try:
        return CriteriaSet.objects.exists()
    except DatabaseError:  # not migrated yet
        return False


def criteria_set_spec_list() -> list[CriteriaSetSpec]:
    """Every loaded set; read from the data files when the database has none loaded yet."""
    if _db_has_sets():
        codes = criteria_set_list().values_list("code", flat=True)
        return [criteria_set_spec(code=code) for code in codes]
    return list(_file_specs().values())


def criteria_set_spec_find(*, code: str) -> CriteriaSetSpec | None:
    """The set `code` from the database, or from the data files when none is loaded yet."""
    if _db_has_sets():
        try:
            return criteria_set_spec(code=code)
        except CriteriaSet.DoesNotExist:
            return None
    return _file_specs().get(code)


def product_group_current() -> QuerySet[ProductGroup]:
    """The product groups of the newest decision: what new ideas and products choose from."""
    newest = Decision.objects.order_by("-decision_date", "-pk").first()
    return (
        ProductGroup.objects.filter(branch__decision=newest)
        .select_related("branch")
        .order_by("branch__position", "position")
    )
