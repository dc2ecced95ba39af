"""Loading the criteria data files into the database."""

from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from ocop.audit.services import audit_record

from . import selectors
from .files import DATA_DIR, DecisionData, load_all
from .models import (
    CriteriaPart,
    CriteriaSet,
    Criterion,
    CriterionOption,
    Decision,
    ProductBranch,
    ProductGroup,
    StarBand,
)


@dataclass(frozen=True)
class CriteriaLoaded:
    decisions: int
    unchanged: int  # decisions whose files had not changed since the last load
    criteria_sets: int
    criteria: int
    options: int


def _upsert(model, rows: list, *, unique: list[str], update: list[str], scope: dict) -> dict:
    """Insert or update `rows` on `unique`; → {code: pk} of the rows within `scope`."""
    model.objects.bulk_create(
        rows, batch_size=500, update_conflicts=True, unique_fields=unique, update_fields=update
    )
    return dict(model.objects.filter(**scope).values_list("code", "pk"))


def _load_decision(data: DecisionData) -> Decision:
    decision, _ = Decision.objects.update_or_create(
        code=data.code,
        defaults={
            "number": data.decision,
            "decision_date": data.decision_date,
            "title": data.title,
            "source": data.source,
            "rounding": data.rounding,
            "unranked_below": data.unranked_below,
        },
    )
    StarBand.objects.filter(decision=decision).exclude(
        stars__in=[b.stars for b in data.bands]
    ).delete()
    for band in data.bands:
        StarBand.objects.update_or_create(
            decision=decision, stars=band.stars, defaults={"min_points": band.min_points}
        )

    groups: dict[str, ProductGroup] = {}
    for b_pos, branch_data in enumerate(data.branches):
        branch, _ = ProductBranch.objects.update_or_create(
            decision=decision,
            code=branch_data.code,
            defaults={
                "name_vi": branch_data.name_vi,
                "name_en": branch_data.name_en,
                "position": b_pos,
            },
        )
        for g_pos, group_data in enumerate(branch_data.groups):
            # A group keeps its row if the data moves it to another branch.
            group = ProductGroup.objects.filter(
                branch__decision=decision, code=group_data.code
            ).first() or ProductGroup(code=group_data.code)
            group.branch = branch
            group.name_vi = group_data.name_vi
            group.name_en = group_data.name_en
            group.position = g_pos
            group.save()
            groups[group.code] = group

    for spec in data.sets.values():
        criteria_set, _ = CriteriaSet.objects.update_or_create(
            code=spec.code,
            defaults={
                "decision": decision,
                "product_group": groups[spec.product_group],
                "name_vi": spec.name,
                "name_en": spec.name_en,
                "source": spec.source,
                "notes": spec.notes,
                "max_points": spec.max_points,
            },
        )
        parts = _upsert(
            CriteriaPart,
            [
                CriteriaPart(
                    criteria_set=criteria_set,
                    code=p.code,
                    name_vi=p.name,
                    name_en=p.name_en,
                    max_points=p.max_points,
                    position=pos,
                )
                for pos, p in enumerate(spec.parts)
            ],
            unique=["criteria_set", "code"],
            update=["name_vi", "name_en", "max_points", "position"],
            scope={"criteria_set": criteria_set},
        )
        criteria_rows = [
            Criterion(
                criteria_set=criteria_set,
                part_id=parts[part.code],
                code=c.code,
                group_vi=c.group,
                name_vi=c.name,
                name_en=c.name_en,
            )
            for part in spec.parts
            for c in part.criteria
        ]
        for pos, row in enumerate(criteria_rows):
            row.position = pos
        criteria = _upsert(
            Criterion,
            criteria_rows,
            unique=["criteria_set", "code"],
            update=["part", "group_vi", "name_vi", "name_en", "position"],
            scope={"criteria_set": criteria_set},
        )
        option_rows = [
            CriterionOption(
                criterion_id=criteria[c.code],
                code=o.code,
                label_vi=o.label,
                points=o.points,
                required_for_stars=o.required_for_stars,
                position=pos,
            )
            for c in spec.criteria()
            for pos, o in enumerate(c.options)
        ]
        _upsert(
            CriterionOption,
            option_rows,
            unique=["criterion", "code"],
            update=["label_vi", "points", "required_for_stars", "position"],
            scope={"criterion__criteria_set": criteria_set},
        )
        # What the data no longer has goes: a set's content is versioned by its files.
        keep = {(c.code, o.code) for c in spec.criteria() for o in c.options}
        for option in CriterionOption.objects.filter(
            criterion__criteria_set=criteria_set
        ).select_related("criterion"):
            if (option.criterion.code, option.code) not in keep:
                option.delete()
        Criterion.objects.filter(criteria_set=criteria_set).exclude(
            code__in=[c.code for c in spec.criteria()]
        ).delete()
        CriteriaPart.objects.filter(criteria_set=criteria_set).exclude(
            code__in=[p.code for p in spec.parts]
        ).delete()
    return decision


@transaction.atomic
def criteria_load(*, root: Path = DATA_DIR, force: bool = False) -> CriteriaLoaded:
    """Load or refresh every decision folder under `root` (Decisions 148/QĐ-TTg, 1048/QĐ-TTg):
    taxonomy, star bands and criteria sets.

    Idempotent: rows are upserted on their codes. A decision whose files have not changed
    since the last load (same digest) is skipped unless `force`. Every file is read and
    checked first, so a broken file changes nothing (CriteriaFileError).
    """
    decisions = load_all(root)
    unchanged = 0
    for data in decisions:
        existing = Decision.objects.filter(code=data.code).first()
        if existing and existing.data_digest == data.digest and not force:
            unchanged += 1
            continue
        decision = _load_decision(data)
        transaction.on_commit(selectors.criteria_spec_forget)
        decision.data_digest = data.digest
        decision.save(update_fields=["data_digest"])
        audit_record(
            actor=None,
            action="criteria.load",
            target=decision,
            changes={"digest": [existing.data_digest if existing else None, data.digest]},
            note=f"{len(data.sets)} criteria sets loaded from {root / data.code}",
        )
    specs = [s for d in decisions for s in d.sets.values()]
    return CriteriaLoaded(
        decisions=len(decisions),
        unchanged=unchanged,
        criteria_sets=len(specs),
        criteria=sum(len(s.criteria()) for s in specs),
        options=sum(len(c.options) for s in specs for c in s.criteria()),
    )
