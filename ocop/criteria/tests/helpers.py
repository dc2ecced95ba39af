"""Small builders for score sheets, derived from the data files."""

from functools import cache

from ocop.criteria.files import load_specs
from ocop.criteria.scoring import CriteriaSetSpec


@cache
def specs() -> dict[str, CriteriaSetSpec]:
    return load_specs()


def best_sheet(spec: CriteriaSetSpec) -> dict[str, str]:
    """Every criterion answered with its highest-scoring option."""
    return {c.code: max(c.options, key=lambda o: o.points).code for c in spec.criteria()}


def worst_sheet(spec: CriteriaSetSpec) -> dict[str, str]:
    """Every criterion answered with its lowest-scoring option."""
    return {c.code: min(c.options, key=lambda o: o.points).code for c in spec.criteria()}


def sheet(base: dict[str, str], **changes: str) -> dict[str, str]:
    """`base` with some answers changed: sheet(best, A1_2="b") sets A1.2 to b."""
    return {**base, **{k.replace("_", "."): v for k, v in changes.items()}}
