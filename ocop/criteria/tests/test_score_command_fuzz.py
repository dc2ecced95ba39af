"""`manage.py ocop_score` on whatever answers it is given (on stdin or in a file): a sheet of
known answers prints the engine's result, anything else stops with one line and exit
status 2 (CommandError), never a traceback."""

import io
import json
import sys

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from ocop.criteria.scoring import number, score
from ocop.criteria.services import criteria_load

from .helpers import specs

EXAMPLES = settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
FRESH = "qd148-food-fresh-produce"
SPEC = specs()[FRESH]
OPTIONS = {c.code: [o.code for o in c.options] for c in SPEC.criteria()}

odd_text = st.one_of(
    st.text(max_size=20),
    st.sampled_from(["", " ", "\x00", "a\x00", "A", "a ", "ａ", "a\nb", "x" * 100_000]),
)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | odd_text,
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(odd_text, children, max_size=3)
    ),
    max_leaves=10,
)
codes = st.sampled_from(sorted(OPTIONS))
valid_sheets = st.lists(codes, unique=True).flatmap(
    lambda cs: st.fixed_dictionaries({c: st.sampled_from(OPTIONS[c]) for c in cs})
)
sheets = st.one_of(
    valid_sheets,
    st.builds(
        lambda good, bad: {**good, **bad},
        valid_sheets,
        st.dictionaries(codes | odd_text, json_values, min_size=1, max_size=3),
    ),
    json_values,
)


@pytest.fixture
def loaded(db):
    criteria_load()


def run(*args, stdin: str | None = None) -> str:
    out = io.StringIO()
    old, sys.stdin = sys.stdin, io.StringIO(stdin or "")
    try:
        call_command("ocop_score", *args, stdout=out)
    finally:
        sys.stdin = old
    return out.getvalue()


def outcome(*args, stdin: str | None = None) -> dict | None:
    """The printed result, or None when the command stopped on the input as it must."""
    try:
        printed = run(*args, stdin=stdin)
    except CommandError as exc:
        event("refused")
        assert exc.returncode == 2
        message = str(exc)
        assert message.strip() and "\n" not in message and "\r" not in message
        return None
    event("scored")
    return json.loads(printed)


def known(answers) -> bool:
    return isinstance(answers, dict) and all(
        isinstance(v, str) and k in OPTIONS and v in OPTIONS[k] for k, v in answers.items()
    )


@EXAMPLES
@given(answers=sheets, criteria_set=st.just(FRESH) | odd_text.filter(lambda t: "\x00" not in t))
def test_any_json_answers_print_a_result_or_one_line(loaded, answers, criteria_set):
    text = json.dumps(answers, ensure_ascii=False)
    # "--criteria-set=…" so that a value beginning with "-" is not taken for an option.
    result = outcome(f"--criteria-set={criteria_set}", "--answers", "-", stdin=text)
    if result is None:
        assert criteria_set != FRESH or not known(answers)
        return
    assert criteria_set == FRESH and known(answers)
    assert result["total"] == number(score(SPEC, answers).total)
    assert result["complete"] == (len(answers) == len(OPTIONS))


def parsed(text: str):
    """The answers as JSON reads them, or None."""
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        return None


deep = st.integers(10, 100_000).map(lambda n: "[" * n + "]" * n)


@EXAMPLES
@given(
    text=st.one_of(
        st.text(),
        sheets.map(lambda answers: json.dumps(answers, ensure_ascii=False)),
        deep,
        deep.map(lambda nested: '{"A1.1": ' + nested + "}"),
        st.integers(4_000, 10_000).map(lambda n: '{"A1.1": ' + "1" * n + "}"),  # int() limit
        st.sampled_from(
            ["NaN", "Infinity", '{"A1.1": NaN}', '{"A1.1": "a", "A1.1": 1}', "\ufeff{}"]
        ),
    )
)
def test_any_text_on_stdin_prints_a_result_or_one_line(loaded, text):
    result = outcome("--criteria-set", FRESH, "--answers", "-", stdin=text)
    assert (result is not None) == known(parsed(text))


files = st.one_of(
    st.binary(max_size=200),
    st.text().map(lambda t: t.encode("utf-8", "surrogatepass")),  # lone surrogates: not UTF-8
    sheets.map(lambda answers: json.dumps(answers, ensure_ascii=False).encode()),
    st.builds(lambda a, junk: json.dumps(a).encode() + junk, valid_sheets, st.binary(min_size=1)),
)


@EXAMPLES
@given(content=files)
def test_any_answers_file_prints_a_result_or_one_line(loaded, tmp_path, content):
    path = tmp_path / "answers.json"
    path.write_bytes(content)
    result = outcome("--criteria-set", FRESH, "--answers", str(path))
    try:
        answers = parsed(content.decode("utf-8"))
    except UnicodeDecodeError:
        answers = None
    assert (result is not None) == known(answers)
