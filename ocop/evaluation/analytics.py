"""How a council and its members score, over the closed dossiers of a period.

For the provincial office that runs councils: which members score apart from the others,
how many products pass a star class by a hair, and how far producers' self-assessments sit
from the council's score. Figures only, never a judgement: a member who is often the outlier
may be the only expert in the room.

The reading of the database is one function (`closed_results`); the figures are computed by
pure functions over its plain rows, so they can be checked by hand. Trial (training) rounds
never count. Spreads are population standard deviations (the members who scored are the
whole population, not a sample), and every figure is rounded half up to two decimals.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from statistics import pstdev

from ocop.criteria.scoring import Band
from ocop.criteria.selectors import criteria_set_spec
from ocop.dossiers.models import DossierVersion

from .models import Assignment, AssignmentStatus, Council, CouncilSeat
from .rules import total_spread

TWO_PLACES = Decimal("0.01")
# A product "just over" a band edge: its council score is at most this far above the band's
# minimum, so one member scoring a little lower would have cost it the class.
EDGE_MARGIN = Decimal(2)
# Edges that matter: the classes recognised as OCOP products (3 to 5 stars).
EDGE_FROM_STARS = 3


def _q(value: Decimal | float | None) -> Decimal | None:
    if value is None:
        return None
    return Decimal(str(value)).quantize(TWO_PLACES, ROUND_HALF_UP)


def _mean(values: list[Decimal]) -> Decimal | None:
    return _q(sum(values, Decimal(0)) / len(values)) if values else None


def _stdev(values: list[Decimal]) -> Decimal | None:
    return _q(pstdev(values)) if values else None


def _share(part: int, whole: int) -> Decimal | None:
    return _q(Decimal(part) / Decimal(whole)) if whole else None


def edge_just_passed(
    score: Decimal, bands: tuple[Band, ...], margin: Decimal = EDGE_MARGIN
) -> int | None:
    """The star class whose band `score` enters by at most `margin` points (0 to 2 above the
    band's minimum, both ends included), among the recognised classes; None otherwise."""
    for band in bands:
        if band.stars >= EDGE_FROM_STARS and band.min_points <= score <= band.min_points + margin:
            return band.stars
    return None


@dataclass(frozen=True)
class ClosedResult:
    """One closed dossier's frozen result, as plain data."""

    assignment: int
    dossier: int
    session_date: datetime.date
    score: Decimal
    stars: int | None
    allowed_spread: Decimal
    totals: dict[str, Decimal]  # seat id -> that member's total
    members: dict[str, str]  # seat id -> the member's name as frozen with the result
    self_total: Decimal | None  # the producer's self-assessment, latest submitted version
    edge_stars: int | None  # the class it entered by at most EDGE_MARGIN points

    @property
    def self_minus_council(self) -> Decimal | None:
        return None if self.self_total is None else self.self_total - self.score

    def outliers(self) -> set[str]:
        """Members at the low or high end of a spread wider than allowed, and members more
        than the allowed spread away from the council's score (the members' mean)."""
        spread = total_spread(self.totals, self.allowed_spread)
        far = {m for m, t in self.totals.items() if abs(t - self.score) > self.allowed_spread}
        return set(spread.outliers) | far


@dataclass(frozen=True)
class SelfDifference:
    assignment: int
    dossier: int
    self_total: Decimal
    score: Decimal
    difference: Decimal  # self-assessment minus council score: positive = producer optimistic


@dataclass(frozen=True)
class CouncilFigures:
    council: int
    dossiers: int
    mean_score: Decimal | None  # mean council score
    score_stdev: Decimal | None
    mean_member_total: Decimal | None  # over every member total of every dossier
    member_total_stdev: Decimal | None
    mean_dossier_stdev: Decimal | None  # members' disagreement on a dossier, averaged
    flagged: int  # dossiers whose highest and lowest totals differed by more than allowed
    outliers: int  # (member, dossier) pairs where the member was the outlier
    near_edge: int  # products that entered their star class by at most EDGE_MARGIN points
    near_edge_share: Decimal | None
    near_edge_by_stars: dict[int, int]  # {3: weak 3-star products, 4: ..., 5: ...}
    self_compared: int  # dossiers with a self-assessment total
    self_mean_difference: Decimal | None  # mean of self-assessment minus council score
    self_differences: tuple[SelfDifference, ...]


@dataclass(frozen=True)
class MemberFigures:
    seat: int
    name: str
    dossiers: int
    mean_total: Decimal
    total_stdev: Decimal
    mean_deviation: Decimal  # mean of (member total − council score): + lenient, − strict
    outliers: int
    outlier_share: Decimal


def closed_results(
    *,
    council: Council,
    since: datetime.date | None = None,
    until: datetime.date | None = None,
) -> list[ClosedResult]:
    """The council's closed dossiers with a frozen score, sessions dated `since`..`until`
    (both included), trial rounds left out."""
    qs = Assignment.objects.filter(
        session__council=council,
        session__round__trial=False,
        status=AssignmentStatus.CLOSED,
        score__isnull=False,
    ).select_related("session", "dossier__criteria_set")
    if since:
        qs = qs.filter(session__date__gte=since)
    if until:
        qs = qs.filter(session__date__lte=until)
    assignments = list(qs.order_by("session__date", "id"))

    self_scores: dict[int, dict] = {}
    versions = DossierVersion.objects.filter(
        dossier_id__in={a.dossier_id for a in assignments}
    ).order_by("dossier_id", "number")
    for dossier_id, self_score in versions.values_list("dossier_id", "self_score"):
        self_scores[dossier_id] = self_score or {}  # the last one read is the latest

    bands: dict[str, tuple[Band, ...]] = {}
    rows = []
    for a in assignments:
        code = a.dossier.criteria_set.code
        if code not in bands:
            bands[code] = criteria_set_spec(code=code).bands
        sheets = a.result_sheets or {}
        self_total = self_scores.get(a.dossier_id, {}).get("total")
        rows.append(
            ClosedResult(
                assignment=a.pk,
                dossier=a.dossier_id,
                session_date=a.session.date,
                score=a.score,
                stars=a.stars,
                allowed_spread=a.session.allowed_spread,
                totals={str(m): Decimal(str(s["total"])) for m, s in sheets.items()},
                members={str(m): str(s.get("member", "")) for m, s in sheets.items()},
                self_total=None if self_total is None else Decimal(str(self_total)),
                edge_stars=edge_just_passed(a.score, bands[code]),
            )
        )
    return rows


def council_figures(council_id: int, results: list[ClosedResult]) -> CouncilFigures:
    scores = [r.score for r in results]
    totals = [t for r in results for t in r.totals.values()]
    by_dossier = [pstdev(r.totals.values()) for r in results if r.totals]
    near = [r.edge_stars for r in results if r.edge_stars is not None]
    diffs = tuple(
        SelfDifference(r.assignment, r.dossier, r.self_total, r.score, r.self_minus_council)
        for r in results
        if r.self_total is not None
    )
    return CouncilFigures(
        council=council_id,
        dossiers=len(results),
        mean_score=_mean(scores),
        score_stdev=_stdev(scores),
        mean_member_total=_mean(totals),
        member_total_stdev=_stdev(totals),
        mean_dossier_stdev=_mean(by_dossier),
        flagged=sum(1 for r in results if total_spread(r.totals, r.allowed_spread).flagged),
        outliers=sum(len(r.outliers()) for r in results),
        near_edge=len(near),
        near_edge_share=_share(len(near), len(results)),
        near_edge_by_stars={s: near.count(s) for s in sorted(set(near))},
        self_compared=len(diffs),
        self_mean_difference=_mean([d.difference for d in diffs]),
        self_differences=diffs,
    )


def member_figures(
    results: list[ClosedResult], names: dict[str, str] | None = None
) -> list[MemberFigures]:
    """Per member who scored at least one of `results`, ordered by seat id. `names` maps
    seat id to the name to show; otherwise the name frozen with the result is used."""
    totals: dict[str, list[Decimal]] = defaultdict(list)
    deviations: dict[str, list[Decimal]] = defaultdict(list)
    outliers: dict[str, int] = defaultdict(int)
    frozen_names: dict[str, str] = {}
    for r in results:
        odd = r.outliers()
        for member, total in r.totals.items():
            totals[member].append(total)
            deviations[member].append(total - r.score)
            outliers[member] += member in odd
            frozen_names.setdefault(member, r.members.get(member, ""))
    names = names or {}
    return [
        MemberFigures(
            seat=int(member),
            name=names.get(member) or frozen_names[member],
            dossiers=len(totals[member]),
            mean_total=_mean(totals[member]),
            total_stdev=_stdev(totals[member]),
            mean_deviation=_mean(deviations[member]),
            outliers=outliers[member],
            outlier_share=_share(outliers[member], len(totals[member])),
        )
        for member in sorted(totals, key=int)
    ]


def council_analytics(
    *,
    council: Council,
    since: datetime.date | None = None,
    until: datetime.date | None = None,
) -> CouncilFigures:
    """The council's figures over its closed, non-trial dossiers of the period."""
    return council_figures(council.pk, closed_results(council=council, since=since, until=until))


def member_analytics(
    *,
    council: Council,
    since: datetime.date | None = None,
    until: datetime.date | None = None,
) -> list[MemberFigures]:
    """Each member's figures over the council's closed, non-trial dossiers of the period."""
    results = closed_results(council=council, since=since, until=until)
    seats = CouncilSeat.objects.filter(council=council).select_related("user")
    return member_figures(results, {str(s.pk): s.user.full_name for s in seats})
