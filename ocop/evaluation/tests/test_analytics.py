"""Council and member analytics against figures worked out by hand.

Three members, A, B and C, score four closed dossiers (allowed spread 10 points):

    dossier  A    B    C    council score  edge        self-assessment  self − council
    1        80   84   82   82.00          —           90 (v2; v1 70)   +8.00
    2        50   62   44   52.00          3★ (50+2)   49               −3.00
    3        70   71   72   71.00          4★ (70+1)   —                —
    4        60   100  99   86.33          —           80               −6.33

Dossier 2's spread (18) is flagged: B and C, at its ends, are outliers. Dossier 4's spread
(40) is flagged: A and B at its ends, and C, 12.67 points above the mean, are outliers.
A trial round, an open dossier and a dossier of another council must not count.
"""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from conftest import LAM_DONG, make_user
from ocop.criteria.models import CriteriaSet, ProductGroup
from ocop.criteria.scoring import Band
from ocop.criteria.services import criteria_load
from ocop.dossiers.models import Dossier, DossierVersion
from ocop.dossiers.tests.conftest import SET_CODE, make_product
from ocop.evaluation.analytics import council_analytics, edge_just_passed, member_analytics
from ocop.evaluation.models import (
    Assignment,
    AssignmentStatus,
    Council,
    CouncilSeat,
    CouncilSession,
    EvaluationRound,
    Level,
    SeatRole,
)

D = Decimal


@pytest.fixture
def product(world):
    criteria_load()
    group = ProductGroup.objects.get(code="fresh-produce", branch__decision__code="qd148-2023")
    return make_product(world.producer_a, group, "Cà phê Arabica Cầu Đất")


@pytest.fixture
def council(world):
    return Council.objects.get(name="Hội đồng tỉnh Lâm Đồng")


@pytest.fixture
def seats(council):
    return {
        key: CouncilSeat.objects.create(
            council=council, user=make_user(name), role=role, expertise="Nông nghiệp"
        )
        for key, name, role in (
            ("A", "member_a", SeatRole.CHAIR),
            ("B", "member_b", SeatRole.MEMBER),
            ("C", "member_c", SeatRole.MEMBER),
        )
    }


def session_on(council, day, *, trial=False, allowed=10):
    rnd = EvaluationRound.objects.create(
        name="Đợt thử" if trial else "Đợt 2025",
        level=Level.PROVINCE,
        province_id=LAM_DONG,
        period="qd1489-2025",
        opens_on=datetime.date(2025, 9, 1),
        trial=trial,
    )
    return CouncilSession.objects.create(
        round=rnd,
        council=council,
        date=day,
        quorum=D("0.75"),
        allowed_spread=D(allowed),
    )


def result(session, product, seats, totals, score, *, self_totals=(), status="closed"):
    """A dossier with its submitted versions' self-assessment totals, closed at `score`."""
    dossier = Dossier.objects.create(
        product=product, criteria_set=CriteriaSet.objects.get(code=SET_CODE), year=2025
    )
    for number, total in enumerate(self_totals, start=1):
        DossierVersion.objects.create(
            dossier=dossier, number=number, snapshot={}, self_score={"total": total}
        )
    return Assignment.objects.create(
        session=session,
        dossier=dossier,
        status=status,
        score=D(score),
        stars=3,
        result_sheets={
            str(seats[k].pk): {"answers": {}, "total": t, "member": k}
            for k, t in zip("ABC", totals, strict=True)
        },
        closed_at=timezone.now() if status == AssignmentStatus.CLOSED else None,
    )


@pytest.fixture
def history(council, seats, product):
    october = session_on(council, datetime.date(2025, 10, 7))
    november = session_on(council, datetime.date(2025, 11, 20))
    result(october, product, seats, ["80", "84", "82"], "82.00", self_totals=[70, 90])
    result(october, product, seats, ["50", "62", "44"], "52.00", self_totals=["49"])
    result(october, product, seats, ["70", "71", "72"], "71.00")
    result(november, product, seats, ["60", "100", "99"], "86.33", self_totals=[80])
    # None of these count.
    trial = session_on(council, datetime.date(2025, 10, 8), trial=True)
    result(trial, product, seats, ["10", "90", "50"], "50.00", self_totals=[100])
    result(november, product, seats, ["1", "2", "3"], "2.00", status=AssignmentStatus.DISCUSSION)
    other = Council.objects.create(
        name="Hội đồng thành phố Hà Nội",
        level=Level.PROVINCE,
        province_id=1,
        term_start="2025-07-06",
    )
    result(session_on(other, datetime.date(2025, 10, 7)), product, seats, ["0", "0", "0"], "0")


def test_council_figures(council, history):
    figures = council_analytics(council=council)

    assert figures.dossiers == 4
    assert figures.mean_score == D("72.83")  # 291.33 / 4 = 72.8325
    assert figures.mean_member_total == D("72.83")  # 874 / 12
    assert figures.flagged == 2
    assert figures.outliers == 5  # B, C on dossier 2; A, B, C on dossier 4
    assert figures.near_edge == 2
    assert figures.near_edge_share == D("0.50")
    assert figures.near_edge_by_stars == {3: 1, 4: 1}
    assert figures.self_compared == 3
    assert [d.difference for d in figures.self_differences] == [D(8), D(-3), D("-6.33")]
    assert figures.self_mean_difference == D("-0.44")  # −1.33 / 3


def test_council_spreads(council, history):
    figures = council_analytics(council=council)

    # dossier stdevs: √(8/3) = 1.633, √56 = 7.483, √(2/3) = 0.816, √346.89 = 18.625;
    # their mean 7.139
    assert figures.mean_dossier_stdev == D("7.14")
    # scores 82, 52, 71, 86.33 around 72.8325: squared deviations 84.04 + 433.99 + 3.36 +
    # 182.18 = 703.58, over 4 = 175.89, √ = 13.26
    assert figures.score_stdev == D("13.26")
    # the twelve member totals around 72.83: squared deviations add up to 3329.67, over 12
    # = 277.47, √ = 16.66
    assert figures.member_total_stdev == D("16.66")


def test_member_figures(council, seats, history):
    rows = {m.name: m for m in member_analytics(council=council)}

    a, b, c = rows["Member A"], rows["Member B"], rows["Member C"]
    assert (a.dossiers, a.mean_total, a.total_stdev) == (4, D(65), D("11.18"))  # √125
    assert (b.mean_total, c.mean_total) == (D("79.25"), D("74.25"))
    # member total − council score: A −2, −2, −1, −26.33; B +2, +10, 0, +13.67
    assert (a.mean_deviation, b.mean_deviation, c.mean_deviation) == (
        D("-7.83"),
        D("6.42"),
        D("1.42"),
    )
    assert (a.outliers, b.outliers, c.outliers) == (1, 2, 2)
    assert (a.outlier_share, b.outlier_share) == (D("0.25"), D("0.50"))
    assert a.seat == seats["A"].pk


def test_period_bounds_are_the_session_dates(council, history):
    november = council_analytics(council=council, since=datetime.date(2025, 11, 1))
    october = council_analytics(council=council, until=datetime.date(2025, 10, 31))

    assert (november.dossiers, november.mean_score, november.outliers) == (1, D("86.33"), 3)
    assert (october.dossiers, october.near_edge, october.flagged) == (3, 2, 1)
    assert [
        m.dossiers for m in member_analytics(council=council, since=datetime.date(2025, 11, 20))
    ] == [1, 1, 1]


def test_trial_rounds_alone_give_empty_figures(council, seats, product):
    trial = session_on(council, datetime.date(2025, 10, 8), trial=True)
    result(trial, product, seats, ["10", "90", "50"], "50.00", self_totals=[100])

    figures = council_analytics(council=council)

    assert (figures.dossiers, figures.mean_score, figures.near_edge_share) == (0, None, None)
    assert member_analytics(council=council) == []


BANDS = (Band(1, D(0)), Band(2, D(30)), Band(3, D(50)), Band(4, D(70)), Band(5, D(90)))


@pytest.mark.parametrize(
    ("score", "stars"),
    [
        ("49.99", None),
        ("50", 3),
        ("52", 3),
        ("52.01", None),
        ("71.5", 4),
        ("90", 5),
        ("91", 5),
        ("31", None),  # 2 stars is no OCOP class: no edge to pass
    ],
)
def test_edge_just_passed(score, stars):
    assert edge_just_passed(D(score), BANDS) == stars
