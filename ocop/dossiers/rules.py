"""The dossier's own rules, free of Django: what a dossier needs, what is missing, and what
changed between two submitted versions.

A dossier is a set of *items*, each under a stable key:
- ``doc:<code>`` for a required document (see data/required_documents.yaml);
- ``crit:<criterion code>`` for the self-assessment answer to one criterion.
A submitted version freezes every item as plain data (a *snapshot*), so versions can be
compared and shown long after the files or answers changed.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import yaml

from ocop.criteria.scoring import CriteriaSetSpec

DATA = Path(__file__).parent / "data" / "required_documents.yaml"


@dataclass(frozen=True)
class DocumentRequirement:
    code: str
    name_vi: str
    name_en: str
    branches: frozenset[str] | None  # None: every branch

    @property
    def key(self) -> str:
        return f"doc:{self.code}"

    def applies_to(self, branch: str) -> bool:
        return self.branches is None or branch in self.branches


@functools.cache
def document_requirements() -> tuple[DocumentRequirement, ...]:
    raw = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    return tuple(
        DocumentRequirement(
            code=d["code"],
            name_vi=d["name_vi"],
            name_en=d.get("name_en", ""),
            branches=frozenset(d["branches"]) if d.get("branches") else None,
        )
        for d in raw["documents"]
    )


def requirements_for(branch: str) -> list[DocumentRequirement]:
    return [r for r in document_requirements() if r.applies_to(branch)]


def criterion_key(code: str) -> str:
    return f"crit:{code}"


@dataclass(frozen=True)
class ItemState:
    """What the completeness check needs to know about one item."""

    option: str = ""  # chosen option code (criteria items)
    explanation: str = ""
    evidence_count: int = 0  # files and links
    needs_review: bool = False  # carried over from an earlier dossier, not yet looked at


@dataclass(frozen=True)
class Missing:
    key: str
    reason: str  # "document", "answer", "evidence", "review"


def missing_items(
    *, spec: CriteriaSetSpec, branch: str, items: dict[str, ItemState]
) -> list[Missing]:
    """Everything that stops the dossier from being submitted, in page order.

    Rules: every required document of the branch has at least one file or link; every
    criterion is answered; an answer worth points carries evidence (a file or a link) and a
    short explanation; nothing carried over from an earlier dossier is left unreviewed.
    """
    missing: list[Missing] = []
    for req in requirements_for(branch):
        state = items.get(req.key, ItemState())
        if state.evidence_count == 0:
            missing.append(Missing(req.key, "document"))
        elif state.needs_review:
            missing.append(Missing(req.key, "review"))
    for part in spec.parts:
        for criterion in part.criteria:
            key = criterion_key(criterion.code)
            state = items.get(key, ItemState())
            if not state.option:
                missing.append(Missing(key, "answer"))
                continue
            points = next((o.points for o in criterion.options if o.code == state.option), None)
            if points and (state.evidence_count == 0 or not state.explanation.strip()):
                missing.append(Missing(key, "evidence"))
            elif state.needs_review:
                missing.append(Missing(key, "review"))
    return missing


@dataclass(frozen=True)
class ItemChange:
    key: str
    kind: str  # "added", "removed", "changed"
    fields: tuple[str, ...]  # which parts of the item changed
    before: dict | None
    after: dict | None


def snapshot_diff(before: dict[str, dict], after: dict[str, dict]) -> list[ItemChange]:
    """Item by item, what changed from one version's snapshot to the next (keys sorted)."""
    changes = []
    for key in sorted(set(before) | set(after)):
        old, new = before.get(key), after.get(key)
        if old == new:
            continue
        if old is None:
            changes.append(ItemChange(key, "added", tuple(sorted(new)), None, new))
        elif new is None:
            changes.append(ItemChange(key, "removed", tuple(sorted(old)), old, None))
        else:
            fields = tuple(sorted(f for f in set(old) | set(new) if old.get(f) != new.get(f)))
            changes.append(ItemChange(key, "changed", fields, old, new))
    return changes
