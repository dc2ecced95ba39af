"""Whatever a province's spreadsheet holds in a cell (text, a number, a date, nothing), each
cell parser returns a value of its kind or raises BadValue with a message, never another
exception; and the values it accepts read back as themselves."""

import datetime
import math

from hypothesis import given, settings
from hypothesis import strategies as st

from ocop.imports import values

EXAMPLES = settings(max_examples=300, deadline=None)

digits = st.text("0123456789", min_size=1, max_size=6)
# Text shaped like what the columns hold, so that the parsers' deeper branches are reached.
cell_like = st.lists(
    st.one_of(
        digits,
        st.sampled_from(["/", "-", ".", " ", ",", "*", "★", "☆", "sao", "hạng", "ngày", "tháng"])
        | st.sampled_from(["năm", "Quyết định", "số", "QĐ-UBND", "HTX", "Công ty", "ba", "bốn"]),
        st.sampled_from(["٣", "३", "૪", "²", "½", "Ⅳ", "\x00", "\u200b", "\ufeff", "ǅ", "ß"]),
        st.text(max_size=4),
    ),
    max_size=10,
).map("".join)
cells = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=-(10**300), max_value=10**300),
    st.floats(),  # nan and ±inf too
    st.text(),
    cell_like,
    st.text("0123456789", min_size=4000, max_size=5000),  # past int()'s 4,300 digits
    st.datetimes(),
    st.dates(),
    st.times(),
)
PARSERS = [
    values.text,
    values.stars,
    values.date,
    values.date_in,
    values.decision_number,
    values.tax_code,
    values.score,
    values.producer_type,
]


def parsed(parser, value, *args):
    """The parser's value, or None for a BadValue (whose message must render)."""
    try:
        return parser(value, *args)
    except values.BadValue as exc:
        assert exc.text().strip()
        return None


@EXAMPLES
@given(parser=st.sampled_from(PARSERS), value=cells)
def test_any_cell_gives_a_value_or_bad_value(parser, value):
    parsed(parser, value)


@EXAMPLES
@given(value=cells, name=st.text() | cell_like)
def test_any_type_and_name_give_a_type_or_bad_value(value, name):
    kind = parsed(values.producer_type, value, name)
    assert kind in (None, "cooperative", "cooperative_group", "enterprise", "household")


@EXAMPLES
@given(value=cells)
def test_an_accepted_star_class_is_3_4_or_5(value):
    assert parsed(values.stars, value) in (None, 3, 4, 5)


@EXAMPLES
@given(value=cells)
def test_an_accepted_score_is_a_number_from_0_to_100(value):
    score = parsed(values.score, value)
    if score is not None:
        assert isinstance(score, (int, float)) and not math.isnan(score)
        assert 0 <= score <= 100


@EXAMPLES
@given(value=cells)
def test_an_accepted_date_is_a_date(value):
    for parser in (values.date, values.date_in):
        day = parsed(parser, value)
        assert day is None or (type(day) is datetime.date)


@EXAMPLES
@given(value=cells)
def test_text_is_one_line_without_outer_spaces(value):
    text = values.text(value)
    assert text == " ".join(text.split())
    assert values.text(text) == text


@EXAMPLES
@given(value=cells)
def test_a_tax_code_keeps_no_spaces_or_dots(value):
    code = values.tax_code(value)
    assert not any(c.isspace() or c == "." for c in code)


# --- Round trips -------------------------------------------------------------------------------


@EXAMPLES
@given(day=st.dates(min_value=datetime.date(1000, 1, 1)), form=st.integers(0, 5))
def test_a_date_as_the_provinces_write_it_reads_back(day, form):
    written = [
        day,
        datetime.datetime.combine(day, datetime.time(13, 30)),
        f"{day.day:02d}/{day.month:02d}/{day.year}",
        f"{day.day}-{day.month}-{day.year}",
        day.isoformat(),
        f"ngày {day.day} tháng {day.month} năm {day.year}",
    ][form]
    assert values.date(written) == day
    if isinstance(written, str) and form != 4:
        assert values.date_in(f"1234/QĐ-UBND {written}") == day


@EXAMPLES
@given(
    day=st.dates(
        min_value=values.EXCEL_EPOCH + datetime.timedelta(days=values.EXCEL_SERIALS[0]),
        max_value=values.EXCEL_EPOCH + datetime.timedelta(days=values.EXCEL_SERIALS[-1]),
    )
)
def test_an_excel_serial_date_reads_back(day):
    serial = (day - values.EXCEL_EPOCH).days
    assert values.date(serial) == values.date(float(serial)) == day


@EXAMPLES
@given(n=st.sampled_from([3, 4, 5]), form=st.integers(0, 5))
def test_a_star_class_as_the_provinces_write_it_reads_back(n, form):
    written = [n, float(n), str(n), f"{n} sao", "★" * n, f"hạng {n} sao (cấp tỉnh)"][form]
    assert values.stars(written) == n


@EXAMPLES
@given(points=st.decimals(min_value=0, max_value=100, places=2), comma=st.booleans())
def test_a_score_reads_back(points, comma):
    written = str(points).replace(".", ",") if comma else str(points)
    assert values.score(written) == float(points)


@EXAMPLES
@given(number=st.integers(1, 99999), suffix=st.sampled_from(["QĐ-UBND", "QĐ-SNN", "QĐ-CT"]))
def test_a_decision_number_reads_back(number, suffix):
    number_text = f"{number}/{suffix}"
    assert values.decision_number(number_text) == number_text
    assert values.decision_number(f"Quyết định số {number_text} ngày 16/9/2024") == number_text
    assert values.decision_number(values.decision_number(number_text)) == number_text
