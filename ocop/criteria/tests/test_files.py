"""Checking the data files: every shipped file is valid, and broken files say what is wrong."""

from pathlib import Path

import pytest

from ocop.criteria.files import (
    DATA_DIR,
    CriteriaFileError,
    load_all,
    load_decision,
    parse_criteria_set,
)

DECISION = """\
decision: "999/QĐ-TTg"
decision_date: 2030-01-01
title: "Test decision"
source: "tests"
bands:
  - {stars: 3, min_points: 50}
  - {stars: 4, min_points: 70}
  - {stars: 5, min_points: 90}
unranked_below: 50
branches:
  - code: "food"
    name_vi: "Thực phẩm"
    name_en: "Food"
    groups:
      - code: "tea"
        name_vi: "Chè"
        criteria_set: "t-tea"
"""

SET = """\
code: "t-tea"
decision: "999/QĐ-TTg"
product_group: "tea"
name_vi: "Bộ tiêu chí chè"
parts:
  - code: "A"
    name_vi: "Phần A"
    max_points: 40
    criteria:
      - code: "A1.1"
        name_vi: "Nguồn gốc"
        options:
          - {code: "a", label_vi: "Thấp", points: 10}
          - {code: "b", label_vi: "Cao", points: 40, required_for_stars: 4}
  - code: "B"
    name_vi: "Phần B"
    max_points: 25
    criteria:
      - code: "B1.1"
        name_vi: "Thị trường"
        options:
          - {code: "a", label_vi: "Có", points: 25}
  - code: "C"
    name_vi: "Phần C"
    max_points: 35
    criteria:
      - code: "C1.1"
        name_vi: "Chất lượng"
        options:
          - {code: "a", label_vi: "Có", points: 35}
"""


def write(folder: Path, decision: str = DECISION, criteria_set: str = SET) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "_decision.yaml").write_text(decision, encoding="utf-8")
    (folder / "t-tea.yaml").write_text(criteria_set, encoding="utf-8")
    return folder


def problems_of(callable_, *args) -> tuple[str, str]:
    with pytest.raises(CriteriaFileError) as info:
        callable_(*args)
    return info.value.path, str(info.value)


def test_every_shipped_file_is_valid():
    decisions = {d.code: d for d in load_all(DATA_DIR)}
    assert len(decisions["qd148-2023"].sets) == 22
    assert len(decisions["qd1048-2019"].sets) == 1
    for decision in decisions.values():
        for spec in decision.sets.values():
            assert spec.max_points == 100
            assert [b.stars for b in spec.bands] == [1, 2, 3, 4, 5]


def test_a_valid_tiny_folder(tmp_path):
    data = load_decision(write(tmp_path / "qd999"))
    spec = data.sets["t-tea"]
    assert [p.max_points for p in spec.parts] == [40, 25, 35]
    assert data.unranked_below == 50
    assert spec.requirements[0].criterion == "A1.1"


def test_parts_not_adding_up_to_100(tmp_path):
    folder = write(tmp_path / "qd999", criteria_set=SET.replace("points: 35", "points: 30"))
    path, message = problems_of(load_decision, folder)
    assert path.endswith("t-tea.yaml")
    # both part C's maximum and its only option drop to 30: the part is consistent, the set not
    assert "set t-tea: parts' max_points add up to 95, not 100" in message


def test_a_part_maximum_that_its_criteria_do_not_reach(tmp_path):
    folder = write(tmp_path / "qd999", criteria_set=SET.replace("max_points: 40", "max_points: 45"))
    path, message = problems_of(load_decision, folder)
    assert "t-tea.yaml" in message
    assert "part A: max_points is 45 but its criteria's best options add up to 40 (line 6)" in (
        message
    )


def test_a_duplicate_criterion_code_names_the_code_and_the_line(tmp_path):
    folder = write(tmp_path / "qd999", criteria_set=SET.replace('"B1.1"', '"A1.1"'))
    path, message = problems_of(parse_criteria_set, folder / "t-tea.yaml")
    assert path.endswith("t-tea.yaml")
    assert "duplicate criterion code 'A1.1' (line 19)" in message


def test_required_for_stars_out_of_range(tmp_path):
    folder = write(
        tmp_path / "qd999",
        criteria_set=SET.replace("required_for_stars: 4", "required_for_stars: 6"),
    )
    path, message = problems_of(parse_criteria_set, folder / "t-tea.yaml")
    assert path.endswith("t-tea.yaml")
    assert (
        "criterion A1.1 option b: required_for_stars must be 3, 4 or 5, not 6 (line 14)" in message
    )


def test_unordered_bands(tmp_path):
    broken = DECISION.replace("{stars: 4, min_points: 70}", "{stars: 4, min_points: 95}")
    path, message = problems_of(load_decision, write(tmp_path / "qd999", decision=broken))
    assert path.endswith("_decision.yaml")
    assert "band 5 (90) follows band 4 (95)" in message


def test_a_group_pointing_at_a_missing_set(tmp_path):
    broken = DECISION.replace('criteria_set: "t-tea"', 'criteria_set: "t-coffee"')
    path, message = problems_of(load_decision, write(tmp_path / "qd999", decision=broken))
    assert path.endswith("_decision.yaml")
    assert "group tea: criteria set 't-coffee' has no file" in message
    assert "criteria set 't-tea' belongs to no group" in message


def test_all_problems_of_a_file_come_together(tmp_path):
    broken = SET.replace("required_for_stars: 4", "required_for_stars: 6").replace(
        '"B1.1"', '"A1.1"'
    )
    _, message = problems_of(
        parse_criteria_set, write(tmp_path / "x", criteria_set=broken) / "t-tea.yaml"
    )
    assert "required_for_stars" in message and "duplicate criterion code" in message


def test_invalid_yaml(tmp_path):
    path, message = problems_of(
        parse_criteria_set, write(tmp_path / "x", criteria_set="code: [unclosed\n") / "t-tea.yaml"
    )
    assert path.endswith("t-tea.yaml") and "not valid YAML" in message
