"""The OCOP scoring engine: from one score sheet to a total and a star class.

Pure Python (no Django), so that the page, the API, the commands and the benchmark share it.

Rules implemented (Decisions 148/QĐ-TTg of 2023 and 1048/QĐ-TTg of 2019, as read from the
data files in ``ocop/criteria/data``):

* A sheet answers each criterion with one option; the option's points count. A criterion left
  unanswered counts 0 points and makes the sheet *incomplete* (many criteria print no 0-point
  option, so "unanswered" is not the same as "answered with the lowest option").
* Part score = exact sum of its criteria's points; total = exact sum of the parts. Arithmetic
  is ``Decimal`` throughout, so half points add up exactly. **No rounding is applied to a
  single sheet**: the decisions publish no rounding rule, and the only fractional totals the
  programme produces are council averages, which are out of scope here.
* Bands are half-open: a band holds ``min_points <= total < next band's min_points`` (e.g.
  "from 70 to under 90" is 4 stars, so 89.5 is 4 stars). ``band_stars`` is the highest band
  whose ``min_points`` the total reaches; None when the total is below ``unranked_below`` or
  below the lowest band.
* ``required_for_stars = N`` on an option: to be ranked N stars *or more*, the criterion must
  be answered with that option or one worth at least as many points. An unanswered criterion
  meets no requirement.
* Final stars = the highest class, not above ``band_stars``, whose requirements (every
  requirement with N <= that class) are all met; None when no class qualifies. An unmet
  requirement can only lower the class, never raise it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

ZERO = Decimal(0)


class AnswerError(ValueError):
    """A score sheet names a criterion or an option that the criteria set does not have."""


@dataclass(frozen=True)
class OptionSpec:
    code: str
    label: str
    points: Decimal
    required_for_stars: int | None = None


@dataclass(frozen=True)
class CriterionSpec:
    code: str
    name: str
    options: tuple[OptionSpec, ...]
    name_en: str = ""
    group: str = ""

    @property
    def max_points(self) -> Decimal:
        return max((o.points for o in self.options), default=ZERO)


@dataclass(frozen=True)
class PartSpec:
    code: str
    name: str
    max_points: Decimal
    criteria: tuple[CriterionSpec, ...]
    name_en: str = ""


@dataclass(frozen=True)
class Band:
    stars: int
    min_points: Decimal


@dataclass(frozen=True)
class Requirement:
    """To reach `stars`, `criterion` must score at least `min_points` (option `option`)."""

    criterion: str
    stars: int
    option: str
    min_points: Decimal


@dataclass(frozen=True)
class CriteriaSetSpec:
    code: str
    decision: str
    product_group: str
    parts: tuple[PartSpec, ...]
    bands: tuple[Band, ...]  # ascending by min_points
    unranked_below: Decimal | None = None
    name: str = ""
    name_en: str = ""
    source: str = ""
    notes: str = ""
    # Lookups precomputed once, so that scoring a sheet is a few dict reads per answer.
    _points: dict[str, dict[str, tuple[str, Decimal]]] = field(
        init=False, repr=False, compare=False
    )
    _requirements: tuple[Requirement, ...] = field(init=False, repr=False, compare=False)
    _criterion_codes: frozenset[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        points: dict[str, dict[str, tuple[str, Decimal]]] = {}
        requirements: dict[tuple[str, int], Requirement] = {}
        position: dict[str, int] = {}
        for part in self.parts:
            for criterion in part.criteria:
                points[criterion.code] = {o.code: (part.code, o.points) for o in criterion.options}
                position[criterion.code] = len(position)
                for option in criterion.options:
                    if option.required_for_stars is None:
                        continue
                    key = (criterion.code, option.required_for_stars)
                    # Two marks for the same class: the lower one is the requirement.
                    if key not in requirements or option.points < requirements[key].min_points:
                        requirements[key] = Requirement(
                            criterion.code, option.required_for_stars, option.code, option.points
                        )
        object.__setattr__(self, "_points", points)
        object.__setattr__(
            self,
            "_requirements",
            tuple(sorted(requirements.values(), key=lambda r: (r.stars, position[r.criterion]))),
        )
        object.__setattr__(self, "_criterion_codes", frozenset(points))

    @property
    def max_points(self) -> Decimal:
        return sum((p.max_points for p in self.parts), ZERO)

    @property
    def requirements(self) -> tuple[Requirement, ...]:
        return self._requirements

    def criteria(self) -> list[CriterionSpec]:
        return [c for p in self.parts for c in p.criteria]


@dataclass(frozen=True)
class ScoreResult:
    criteria_set: str
    parts: dict[str, Decimal]
    total: Decimal
    band_stars: int | None
    unmet_requirements: tuple[tuple[str, int], ...]  # (criterion code, required_for_stars)
    stars: int | None
    complete: bool
    missing: tuple[str, ...]  # criteria left unanswered
    explanation: tuple[str, ...]


def _fmt(value: Decimal) -> str:
    """12 for a whole number, 12.5 otherwise (never 12.50 or 1.2E+1)."""
    if value == value.to_integral_value():
        return str(int(value))
    return format(value.normalize(), "f")


def _stars(n: int) -> str:
    return "1 star" if n == 1 else f"{n} stars"


def band_for(spec: CriteriaSetSpec, total: Decimal) -> int | None:
    """The star class of the band that `total` falls in (half-open bands)."""
    if spec.unranked_below is not None and total < spec.unranked_below:
        return None
    stars = None
    for band in spec.bands:
        if total >= band.min_points:
            stars = band.stars
        else:
            break
    return stars


def score(spec: CriteriaSetSpec, answers: dict[str, str]) -> ScoreResult:
    """Score one sheet: `answers` maps criterion code → option code (criteria may be left out).

    Raises AnswerError for a criterion code or an option code that the set does not have.
    """
    lookup = spec._points
    parts = {p.code: ZERO for p in spec.parts}
    chosen: dict[str, Decimal] = {}
    for criterion_code, option_code in answers.items():
        options = lookup.get(criterion_code)
        if options is None:
            raise AnswerError(f"unknown criterion {criterion_code!r} in set {spec.code!r}")
        hit = options.get(option_code) if isinstance(option_code, str) else None
        if hit is None:
            raise AnswerError(
                f"unknown option {option_code!r} for criterion {criterion_code!r} "
                f"in set {spec.code!r} (options: {', '.join(options)})"
            )
        part_code, points = hit
        parts[part_code] += points
        chosen[criterion_code] = points
    total = sum(parts.values(), ZERO)

    explanation = [
        f"Part {code}: {_fmt(points)} of {_fmt(part.max_points)} points"
        for part, (code, points) in zip(spec.parts, parts.items(), strict=True)
    ]
    explanation.append(f"Total: {_fmt(total)} of {_fmt(spec.max_points)} points")

    complete = len(chosen) == len(spec._criterion_codes)
    missing: tuple[str, ...] = ()
    if not complete:
        missing = tuple(c.code for c in spec.criteria() if c.code not in chosen)
        explanation.append(
            f"Incomplete: {len(missing)} criteria unanswered, counted as 0 points: "
            + ", ".join(missing)
        )

    band_stars = band_for(spec, total)
    if band_stars is None:
        if spec.unranked_below is not None and total < spec.unranked_below:
            explanation.append(
                f"Band: a total under {_fmt(spec.unranked_below)} points is not ranked"
            )
        else:
            explanation.append("Band: the total is below the lowest band; not ranked")
    else:
        floor = next(b.min_points for b in spec.bands if b.stars == band_stars)
        explanation.append(f"Band: {_fmt(floor)} points or more gives {_stars(band_stars)}")

    unmet = []
    lowest_unmet = None
    for req in spec._requirements:
        got = chosen.get(req.criterion)
        if got is None or got < req.min_points:
            unmet.append((req.criterion, req.stars))
            if lowest_unmet is None or req.stars < lowest_unmet:
                lowest_unmet = req.stars
            if band_stars is not None and req.stars <= band_stars:
                answered = "unanswered" if got is None else f"answered {_fmt(got)} points"
                explanation.append(
                    f"Requirement for {_stars(req.stars)} not met: criterion {req.criterion} "
                    f"needs option {req.option} ({_fmt(req.min_points)} points) or better; "
                    f"{answered}"
                )

    stars = band_stars
    if band_stars is not None and lowest_unmet is not None and lowest_unmet <= band_stars:
        eligible = [b.stars for b in spec.bands if b.stars < lowest_unmet]
        stars = max(eligible) if eligible else None
    if stars is None:
        explanation.append("Result: not ranked")
    elif stars == band_stars:
        explanation.append(f"Result: {_stars(stars)}")
    else:
        explanation.append(
            f"Result: {_stars(stars)} (lowered from {band_stars} by unmet requirements)"
        )

    return ScoreResult(
        criteria_set=spec.code,
        parts=parts,
        total=total,
        band_stars=band_stars,
        unmet_requirements=tuple(unmet),
        stars=stars,
        complete=complete,
        missing=missing,
        explanation=tuple(explanation),
    )


# --- Plain data for JSON (the contract of `ocop_criteria export` and `ocop_score`) ----------


def number(value: Decimal) -> int | float:
    """A JSON number: an int when whole, else a float (points carry at most 2 decimals)."""
    return int(value) if value == value.to_integral_value() else float(value)


def spec_as_dict(spec: CriteriaSetSpec) -> dict:
    return {
        "code": spec.code,
        "decision": spec.decision,
        "product_group": spec.product_group,
        "bands": [{"stars": b.stars, "min_points": number(b.min_points)} for b in spec.bands],
        "parts": [
            {
                "code": p.code,
                "name": p.name,
                "max_points": number(p.max_points),
                "criteria": [
                    {
                        "code": c.code,
                        "name": c.name,
                        "options": [
                            {
                                "code": o.code,
                                "label": o.label,
                                "points": number(o.points),
                                "required_for_stars": o.required_for_stars,
                            }
                            for o in c.options
                        ],
                    }
                    for c in p.criteria
                ],
            }
            for p in spec.parts
        ],
    }


def result_as_dict(result: ScoreResult) -> dict:
    return {
        "criteria_set": result.criteria_set,
        "total": number(result.total),
        "parts": {code: number(points) for code, points in result.parts.items()},
        "band_stars": result.band_stars,
        "stars": result.stars,
        "unmet_requirements": [
            {"criterion": code, "required_for_stars": stars}
            for code, stars in result.unmet_requirements
        ],
        "complete": result.complete,
        "explanation": list(result.explanation),
    }
