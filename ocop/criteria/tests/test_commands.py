"""The command-line contract: ocop_criteria list/export and ocop_score."""

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from ocop.criteria.services import criteria_load

from .helpers import best_sheet, sheet, specs

ROOT = Path(__file__).resolve().parents[3]
FRESH = "qd148-food-fresh-produce"


@pytest.fixture
def loaded(db):
    criteria_load()


def run(*args, stdin: str | None = None) -> str:
    out = io.StringIO()
    if stdin is None:
        call_command(*args, stdout=out)
    else:
        old, sys.stdin = sys.stdin, io.StringIO(stdin)
        try:
            call_command(*args, stdout=out)
        finally:
            sys.stdin = old
    return out.getvalue()


def test_list(loaded):
    lines = run("ocop_criteria", "list").splitlines()
    assert len(lines) == 23
    assert f"{FRESH}\t148/QĐ-TTg\tfresh-produce\t100" in lines


def test_list_reads_the_files_when_nothing_is_loaded(db):
    lines = run("ocop_criteria", "list").splitlines()
    assert len(lines) == 23


def test_export(loaded):
    data = json.loads(run("ocop_criteria", "export", FRESH))
    assert (data["code"], data["decision"], data["product_group"]) == (
        FRESH,
        "148/QĐ-TTg",
        "fresh-produce",
    )
    assert data["bands"][-1] == {"stars": 5, "min_points": 90}
    assert [(p["code"], p["max_points"]) for p in data["parts"]] == [
        ("A", 40),
        ("B", 25),
        ("C", 35),
    ]
    a12 = data["parts"][0]["criteria"][1]
    assert a12["code"] == "A1.2"
    assert a12["options"][2] == {
        "code": "c",
        "label": a12["options"][2]["label"],
        "points": 3,
        "required_for_stars": 5,
    }
    assert a12["options"][0]["required_for_stars"] is None
    assert isinstance(a12["options"][0]["points"], int)


def test_score_from_a_file(loaded, tmp_path):
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps(sheet(best_sheet(specs()[FRESH]), A1_2="b")))
    data = json.loads(run("ocop_score", "--criteria-set", FRESH, "--answers", str(answers)))
    assert data["criteria_set"] == FRESH
    assert data["total"] == 99
    assert data["parts"] == {"A": 39, "B": 25, "C": 35}
    assert (data["band_stars"], data["stars"]) == (5, 4)
    assert data["unmet_requirements"] == [{"criterion": "A1.2", "required_for_stars": 5}]
    assert data["complete"] is True
    assert data["explanation"][-1].startswith("Result: 4 stars")


def test_score_from_stdin_with_missing_criteria(loaded):
    data = json.loads(
        run("ocop_score", "--criteria-set", FRESH, "--answers", "-", stdin='{"A1.1": "c"}')
    )
    assert data["total"] == 5
    assert data["complete"] is False
    assert data["stars"] == 1


@pytest.mark.parametrize(
    ("criteria_set", "stdin", "message"),
    [
        (FRESH, "{not json", "answers are not valid JSON"),
        (FRESH, '["A1.1"]', "answers must be a JSON object"),
        ("qd148-no-such-set", "{}", "unknown criteria set 'qd148-no-such-set'"),
        (FRESH, '{"Z1.1": "a"}', "unknown criterion 'Z1.1'"),
        (FRESH, '{"A1.1": "z"}', "unknown option 'z' for criterion 'A1.1'"),
    ],
)
def test_score_bad_input_exits_with_status_2(loaded, criteria_set, stdin, message):
    with pytest.raises(CommandError, match=message) as info:
        run("ocop_score", "--criteria-set", criteria_set, "--answers", "-", stdin=stdin)
    assert info.value.returncode == 2


def test_score_unreadable_file(loaded, tmp_path):
    with pytest.raises(CommandError, match="cannot read answers") as info:
        run("ocop_score", "--criteria-set", FRESH, "--answers", str(tmp_path / "none.json"))
    assert info.value.returncode == 2


def test_export_unknown_set(loaded):
    with pytest.raises(CommandError, match="unknown criteria set 'nope'") as info:
        run("ocop_criteria", "export", "nope")
    assert info.value.returncode == 2


def test_bad_json_on_stdin_prints_one_line_and_no_traceback(tmp_path):
    # A database that was never migrated: the command reads the data files instead.
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}"}
    result = subprocess.run(
        [sys.executable, "manage.py", "ocop_score", "--criteria-set", FRESH, "--answers", "-"],
        input="{oops",
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().count("\n") == 0
    assert "answers are not valid JSON" in result.stderr
    assert result.stdout == ""
