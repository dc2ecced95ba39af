"""The rules of an evaluation session, free of Django.

- Periods and levels (data/levels.yaml): who ranks which star classes, when a product goes
  up to the next level, what the commune pre-assesses.
- A council session: the quorum (default three quarters of members, the chair present); the
  product's score is the arithmetic mean of the eligible members' totals (a member with a
  conflict of interest is excluded); if the highest and lowest totals differ by more than
  the allowed spread (default 10 points) the dossier goes to discussion and the members
  concerned re-score; per-criterion disagreement (max − min and variance) focuses the
  discussion.
- The council result: the band of the mean total; a star requirement counts as met when the
  members' mean points on that criterion reach the required option's points; the class is
  the band's lowered to the highest class whose requirements are all met, and capped at the
  classes the level may grant.
"""

from __future__ import annotations

import datetime
import functools
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from statistics import mean, pvariance

import yaml

from ocop.criteria.scoring import CriteriaSetSpec, band_for

DATA = Path(__file__).parent / "data" / "levels.yaml"
TWO_PLACES = Decimal("0.01")


@dataclass(frozen=True)
class LevelRule:
    level: str
    grants: tuple[int, ...]
    forward_at: Decimal | None = None
    forward_to: str | None = None


@dataclass(frozen=True)
class Period:
    code: str
    name: str
    starts: datetime.date
    ends: datetime.date | None
    commune_pre_assessment: bool
    commune_criteria: tuple[str, ...]
    levels: tuple[LevelRule, ...]

    def level(self, level: str) -> LevelRule | None:
        return next((r for r in self.levels if r.level == level), None)

    def covers(self, day: datetime.date) -> bool:
        return self.starts <= day and (self.ends is None or day <= self.ends)


@dataclass(frozen=True)
class SessionDefaults:
    quorum: Decimal
    allowed_spread: Decimal


@functools.cache
def _load() -> tuple[tuple[Period, ...], SessionDefaults]:
    raw = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    periods = tuple(
        Period(
            code=p["code"],
            name=p["name"],
            starts=p["starts"],
            ends=p.get("ends"),
            commune_pre_assessment=bool(p.get("commune_pre_assessment")),
            commune_criteria=tuple(p.get("commune_criteria") or ()),
            levels=tuple(
                LevelRule(
                    level=lv["level"],
                    grants=tuple(lv["grants"]),
                    forward_at=Decimal(str(lv["forward_at"])) if lv.get("forward_at") else None,
                    forward_to=lv.get("forward_to"),
                )
                for lv in p["levels"]
            ),
        )
        for p in raw["periods"]
    )
    d = raw["session_defaults"]
    return periods, SessionDefaults(Decimal(str(d["quorum"])), Decimal(str(d["allowed_spread"])))


def periods() -> tuple[Period, ...]:
    return _load()[0]


def session_defaults() -> SessionDefaults:
    return _load()[1]


def period_on(day: datetime.date) -> Period:
    """The period whose rules apply on `day` (a round keeps the rules of its date)."""
    for period in periods():
        if period.covers(day):
            return period
    raise LookupError(f"No evaluation period covers {day.isoformat()}")


def period_by_code(code: str) -> Period:
    for period in periods():
        if period.code == code:
            return period
    raise LookupError(code)


def quorum_met(*, members: int, present: int, chair_present: bool, quorum: Decimal) -> bool:
    """At least `quorum` of the council's scoring members present, the chair among them."""
    if members <= 0 or not chair_present:
        return False
    return Decimal(present) >= (Decimal(members) * quorum)


@dataclass(frozen=True)
class Spread:
    lowest: Decimal
    highest: Decimal
    spread: Decimal
    flagged: bool
    outliers: tuple[str, ...]  # members at the low or high end of a flagged spread


def total_spread(totals: dict[str, Decimal], allowed: Decimal) -> Spread:
    """Highest minus lowest total; flagged when more than `allowed`."""
    if not totals:
        return Spread(Decimal(0), Decimal(0), Decimal(0), False, ())
    lo, hi = min(totals.values()), max(totals.values())
    flagged = hi - lo > allowed
    outliers = tuple(sorted(m for m, t in totals.items() if flagged and t in (lo, hi)))
    return Spread(lo, hi, hi - lo, flagged, outliers)


@dataclass(frozen=True)
class CriterionDisagreement:
    criterion: str
    points: dict[str, Decimal]  # member -> points
    spread: Decimal  # max - min
    variance: Decimal


def criterion_disagreement(
    spec: CriteriaSetSpec, sheets: dict[str, dict[str, str]]
) -> list[CriterionDisagreement]:
    """Per criterion, the points each member gave, with max − min and the variance (HotCRP
    style), largest disagreement first."""
    rows = []
    for criterion in spec.criteria():
        options = {o.code: o.points for o in criterion.options}
        points = {m: options.get(a.get(criterion.code, ""), Decimal(0)) for m, a in sheets.items()}
        if not points:
            continue
        values = list(points.values())
        rows.append(
            CriterionDisagreement(
                criterion=criterion.code,
                points=points,
                spread=max(values) - min(values),
                variance=Decimal(str(round(pvariance([float(v) for v in values]), 4))),
            )
        )
    rows.sort(key=lambda r: (-r.spread, -r.variance, r.criterion))
    return rows


@dataclass(frozen=True)
class CouncilResult:
    score: Decimal  # the mean of eligible members' totals, to two decimals
    band_stars: int | None
    stars: int | None  # after requirements and the level's grants
    unmet_requirements: tuple[tuple[str, int], ...]
    members_counted: int
    forward: bool  # goes up to the next level


def council_result(
    *,
    spec: CriteriaSetSpec,
    sheets: dict[str, dict[str, str]],
    totals: dict[str, Decimal],
    level: LevelRule,
) -> CouncilResult:
    """The council's result from the eligible members' sheets and totals."""
    if not totals:
        raise ValueError("A result needs at least one eligible member's sheet.")
    score = (sum(totals.values()) / len(totals)).quantize(TWO_PLACES, ROUND_HALF_UP)
    band = band_for(spec, score)
    unmet = []
    for req in spec.requirements:
        options = next(
            {o.code: o.points for o in c.options}
            for c in spec.criteria()
            if c.code == req.criterion
        )
        member_points = [options.get(a.get(req.criterion, ""), Decimal(0)) for a in sheets.values()]
        if Decimal(str(mean(member_points))) < req.min_points:
            unmet.append((req.criterion, req.stars))
    stars = band
    while stars is not None and any(s <= stars for _c, s in unmet):
        stars = stars - 1 if stars > 1 else None
        if stars is not None and stars < min(b.stars for b in spec.bands):
            stars = None
    if stars is not None and stars > max(level.grants):
        stars = max(level.grants)
    forward = level.forward_at is not None and score >= level.forward_at
    return CouncilResult(
        score=score,
        band_stars=band,
        stars=stars,
        unmet_requirements=tuple(sorted(set(unmet))),
        members_counted=len(totals),
        forward=forward,
    )
