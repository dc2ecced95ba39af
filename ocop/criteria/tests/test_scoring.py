"""Worked examples of the scoring engine on real criteria sets of Decision 148/QĐ-TTg.

Every number below was worked out by hand from the YAML file of the set: the helpers only
build the sheet (best options, lowest options), the asserted totals are not computed.
"""

from decimal import Decimal

import pytest

from ocop.criteria.scoring import (
    AnswerError,
    Band,
    CriteriaSetSpec,
    CriterionSpec,
    OptionSpec,
    PartSpec,
    score,
)

from .helpers import best_sheet, sheet, specs, worst_sheet

FRESH = "qd148-food-fresh-produce"
SPIRITS = "qd148-beverages-white-spirits"
CRAFTS = "qd148-handicrafts"


def parts(result) -> dict[str, int]:
    return {code: int(points) for code, points in result.parts.items()}


@pytest.mark.parametrize("code", [FRESH, SPIRITS, CRAFTS, "qd1048-food-processed-rice-grains"])
def test_all_best_options_give_five_stars(code):
    result = score(specs()[code], best_sheet(specs()[code]))
    assert result.total == 100
    assert (result.band_stars, result.stars) == (5, 5)
    assert result.unmet_requirements == ()
    assert result.complete
    assert result.explanation[-1] == "Result: 5 stars"


@pytest.mark.parametrize(
    ("code", "changes", "total", "expected_parts", "unmet"),
    [
        # A1.2 "Gia tăng giá trị": c (3 points, 5★) → b (2 points)
        (FRESH, {"A1_2": "b"}, 99, {"A": 39, "B": 25, "C": 35}, [("A1.2", 5)]),
        # C7.1: d (5 points, 5★) → c (3 points, marked 4★)
        (SPIRITS, {"C7_1": "c"}, 98, {"A": 40, "B": 25, "C": 33}, [("C7.1", 5)]),
        # C6.2: c (5 points, 5★) → b (3 points)
        (CRAFTS, {"C6_2": "b"}, 98, {"A": 40, "B": 25, "C": 33}, [("C6.2", 5)]),
    ],
)
def test_a_ninety_plus_sheet_is_capped_at_four_stars_by_a_five_star_requirement(
    code, changes, total, expected_parts, unmet
):
    spec = specs()[code]
    result = score(spec, sheet(best_sheet(spec), **changes))
    assert result.total == total
    assert parts(result) == expected_parts
    assert result.band_stars == 5
    assert result.stars == 4
    assert list(result.unmet_requirements) == unmet
    assert "lowered from 5" in result.explanation[-1]


@pytest.mark.parametrize(
    ("code", "changes", "total", "expected_parts", "band", "stars"),
    [
        # 100 - 4 (A1.1 c→a) - 2 (A3.1 c→a) - 2 (A3.3 b→a) - 2 (C6.3 d→b); no marked option
        (
            FRESH,
            {"A1_1": "a", "A3_1": "a", "A3_3": "a", "C6_3": "b"},
            90,
            {"A": 32, "B": 25, "C": 33},
            5,
            5,
        ),
        # A: -4 -2 -2 -1 -1 -1 (A1.1, A3.1, A3.3, A1.6, A3.2, A3.5); B: -4 -4 -5 (B4.2, B4.3,
        # B5.1 to a); C: -3 -3 (C6.3, C6.4 to a). No requirement broken.
        (
            FRESH,
            {
                "A1_1": "a",
                "A3_1": "a",
                "A3_3": "a",
                "A1_6": "a",
                "A3_2": "a",
                "A3_5": "a",
                "B4_2": "a",
                "B4_3": "a",
                "B5_1": "a",
                "C6_3": "a",
                "C6_4": "a",
            },
            70,
            {"A": 29, "B": 12, "C": 29},
            4,
            4,
        ),
        # The 70 sheet, then B4.1 d→a -4, B5.3 c→a -2 (both 5★), C9.2 d→a -3, C12.1 c→a -2,
        # C6.2 e→d -2, C8.1 d→c -2, C10.1 e→c -3 (3★ met, 4★ and 5★ not), C6.1 c→a -2 (4★).
        (
            FRESH,
            {
                "A1_1": "a",
                "A3_1": "a",
                "A3_3": "a",
                "A1_6": "a",
                "A3_2": "a",
                "A3_5": "a",
                "B4_2": "a",
                "B4_3": "a",
                "B5_1": "a",
                "C6_3": "a",
                "C6_4": "a",
                "B4_1": "a",
                "B5_3": "a",
                "C9_2": "a",
                "C12_1": "a",
                "C6_2": "d",
                "C8_1": "c",
                "C10_1": "c",
                "C6_1": "a",
            },
            50,
            {"A": 29, "B": 6, "C": 15},
            3,
            3,
        ),
        # B4.1 d→a -4, C6.3 e→a -5, A3.2 b→a -1; none of them marked
        (SPIRITS, {"B4_1": "a", "C6_3": "a", "A3_2": "a"}, 90, {"A": 39, "B": 21, "C": 30}, 5, 5),
        # C9.1 e→d -2 (5★ unmet); C6.1, C6.2 -3 each; C6.3, C6.4 -5 each; C10.1 -4; B4.1,
        # B4.2 -4 each
        (
            SPIRITS,
            {
                "C9_1": "d",
                "C6_1": "a",
                "C6_2": "a",
                "C6_3": "a",
                "C6_4": "a",
                "C10_1": "a",
                "B4_1": "a",
                "B4_2": "a",
            },
            70,
            {"A": 40, "B": 17, "C": 13},
            4,
            4,
        ),
        # C6.5 c→a -5, C7.1 c→a -4, A3.2 b→a -1
        (CRAFTS, {"C6_5": "a", "C7_1": "a", "A3_2": "a"}, 90, {"A": 39, "B": 25, "C": 26}, 5, 5),
    ],
)
def test_a_sheet_exactly_on_a_band_edge_gets_that_band(
    code, changes, total, expected_parts, band, stars
):
    spec = specs()[code]
    result = score(spec, sheet(best_sheet(spec), **changes))
    assert result.total == total
    assert parts(result) == expected_parts
    assert (result.band_stars, result.stars) == (band, stars)


def test_the_thirty_point_edge_of_two_stars():
    spec = specs()[FRESH]
    # lowest options (12 points, see below) + A1.1 +4, A3.3 +2, B5.1 +5, B4.2 +4, C6.3 +3
    changes = {"A1_1": "c", "A3_3": "b", "B5_1": "f", "B4_2": "d", "C6_3": "d"}
    result = score(spec, sheet(worst_sheet(spec), **changes))
    assert result.total == 30
    assert parts(result) == {"A": 15, "B": 10, "C": 5}
    assert (result.band_stars, result.stars) == (2, 2)
    changes["C6_3"] = "c"
    assert score(spec, sheet(worst_sheet(spec), **changes)).band_stars == 1


@pytest.mark.parametrize(
    ("code", "total", "expected_parts"),
    [
        (FRESH, 12, {"A": 9, "B": 1, "C": 2}),
        (SPIRITS, 11, {"A": 9, "B": 1, "C": 1}),
        (CRAFTS, 11, {"A": 8, "B": 1, "C": 2}),
    ],
)
def test_lowest_options_give_a_low_one_star_sheet(code, total, expected_parts):
    spec = specs()[code]
    result = score(spec, worst_sheet(spec))
    assert result.total == total
    assert parts(result) == expected_parts
    assert (result.band_stars, result.stars) == (1, 1)
    assert result.complete
    assert {stars for _, stars in result.unmet_requirements} == {3, 4, 5}


def test_an_unanswered_criterion_counts_zero_and_makes_the_sheet_incomplete():
    spec = specs()[FRESH]
    answers = best_sheet(spec)
    del answers["A1.1"]  # 5 points, and no 0-point option exists for it
    result = score(spec, answers)
    assert result.total == 95
    assert not result.complete
    assert result.missing == ("A1.1",)
    assert (result.band_stars, result.stars) == (5, 5)
    assert any("A1.1" in line and "unanswered" in line for line in result.explanation)


def test_an_unanswered_required_criterion_is_an_unmet_requirement():
    spec = specs()[FRESH]
    answers = best_sheet(spec)
    del answers["A1.2"]  # 3 points, c is required for 5 stars
    result = score(spec, answers)
    assert result.total == 97
    assert result.unmet_requirements == (("A1.2", 5),)
    assert result.stars == 4


def test_an_empty_sheet():
    result = score(specs()[FRESH], {})
    assert result.total == 0
    assert not result.complete
    assert len(result.missing) == 32
    assert result.stars == 1


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ({"Z9.9": "a"}, "unknown criterion 'Z9.9'"),
        ({"A1.1": "z"}, "unknown option 'z' for criterion 'A1.1'"),
    ],
)
def test_unknown_codes_raise_answer_error(answers, message):
    with pytest.raises(AnswerError, match=message):
        score(specs()[FRESH], answers)


def _tiny_spec(unranked_below=None) -> CriteriaSetSpec:
    half = Decimal("0.5")
    options = tuple(OptionSpec(f"o{i}", "", Decimal(i) * half) for i in range(0, 201))
    criterion = CriterionSpec("X1", "x", options)
    return CriteriaSetSpec(
        code="tiny",
        decision="test",
        product_group="g",
        parts=(PartSpec("A", "a", Decimal(100), (criterion,)),),
        bands=(Band(3, Decimal(50)), Band(4, Decimal(70)), Band(5, Decimal(90))),
        unranked_below=unranked_below,
    )


@pytest.mark.parametrize(
    ("points", "stars"),
    [("49.5", None), ("50", 3), ("69.5", 3), ("70", 4), ("89.5", 4), ("90", 5), ("100", 5)],
)
def test_bands_are_half_open_and_half_points_are_exact(points, stars):
    spec = _tiny_spec()
    option = f"o{int(Decimal(points) * 2)}"
    result = score(spec, {"X1": option})
    assert result.total == Decimal(points)
    assert result.band_stars == stars == result.stars


def test_unranked_below():
    spec = _tiny_spec(unranked_below=Decimal(60))
    assert score(spec, {"X1": "o110"}).band_stars is None  # 55 points
    assert score(spec, {"X1": "o120"}).band_stars == 3  # 60 points
    assert "not ranked" in score(spec, {"X1": "o110"}).explanation[-1]
