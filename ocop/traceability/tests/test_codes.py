import collections
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum import ean

from ocop.traceability import codes


def test_serials_are_13_crockford_characters_with_65_random_bits():
    serial = codes.serial_new()
    assert len(serial) == codes.SERIAL_LENGTH == 13
    assert set(serial) <= set(codes.ALPHABET)
    assert codes.SERIAL_BITS >= 64
    assert not set("ILOU") & set(codes.ALPHABET)


def test_serials_are_unique_and_show_no_sequence():
    serials = codes.serials_new(50_000)
    assert len(set(serials)) == 50_000
    # Consecutive serials share no more positions than chance (1 in 32 per position).
    same = sum(
        sum(a == b for a, b in zip(x, y, strict=True))
        for x, y in zip(serials, serials[1:], strict=False)
    )
    expected = (len(serials) - 1) * codes.SERIAL_LENGTH / 32
    assert abs(same - expected) < 6 * math.sqrt(expected)
    # Every position uses the alphabet evenly (chi-square, 31 degrees of freedom).
    for position in range(codes.SERIAL_LENGTH - 1):  # the last one carries the 65th bit only
        counts = collections.Counter(s[position] for s in serials)
        expected_each = len(serials) / 32
        chi2 = sum((counts[c] - expected_each) ** 2 / expected_each for c in codes.ALPHABET)
        assert chi2 < 80, (position, chi2)  # p < 1e-5 for 31 degrees of freedom
    # Sorted serials are not runs of neighbours: the numeric gaps are large.
    values = sorted(int("".join(str(codes.ALPHABET.index(c)) for c in s[:6])) for s in serials)
    assert sum(b - a == 1 for a, b in zip(values, values[1:], strict=False)) < 50


@pytest.mark.parametrize(
    ("typed", "serial"),
    [
        ("TBY3V95YRTANC", "TBY3V95YRTANC"),
        ("tby3-v95y-rtanc", "TBY3V95YRTANC"),
        (" TBY3 V95Y RTANC ", "TBY3V95YRTANC"),
        ("TBY3V95YRTANO", "TBY3V95YRTAN0"),  # O typed for 0
        ("TBY3V95YRTANl", "TBY3V95YRTAN1"),  # l typed for 1
    ],
)
def test_typed_serials_are_normalised(typed, serial):
    assert codes.serial_normalise(typed) == serial


@pytest.mark.parametrize("typed", ["", "TBY3V95YRTAN", "TBY3V95YRTANCX", "TBY3V95YRTAN#", "U" * 13])
def test_not_a_serial(typed):
    with pytest.raises(codes.InvalidCode):
        codes.serial_normalise(typed)


def test_serial_display_groups():
    assert codes.serial_display("TBY3V95YRTANC") == "TBY3-V95Y-RTANC"


def test_digital_link_path_of_a_gtin_product():
    path = codes.stamp_path(gtin="8934563138165", lot="L2026/01", serial="TBY3V95YRTANC")
    assert path == "/01/08934563138165/10/L2026%2F01/21/TBY3V95YRTANC"


def test_platform_path_without_gtin():
    assert codes.stamp_path(gtin=None, lot="L1", serial="TBY3V95YRTANC") == "/tem/TBY3V95YRTANC"
    assert codes.address_parse("/tem/tby3v95yrtanc") == codes.StampAddress("TBY3V95YRTANC")


def test_check_digit_is_validated_by_biip():
    with pytest.raises(codes.InvalidCode, match="check digit"):
        codes.stamp_path(gtin="8934563138166", lot="L1", serial="TBY3V95YRTANC")
    with pytest.raises(codes.InvalidCode, match="check digit"):
        codes.address_parse("/01/08934563138166/21/TBY3V95YRTANC")


@pytest.mark.parametrize(
    "path",
    ["/foo/bar", "/01/08934563138165", "/01/08934563138165/10/L1", "/01/08934563138165/21/SHORT"],
)
def test_not_a_stamp_address(path):
    with pytest.raises(codes.InvalidCode):
        codes.address_parse(path)


@pytest.mark.parametrize(
    ("lot", "problem"),
    [("L2026-11A", None), ("A/B.C_1", None), ("", "length"), ("X" * 21, "length")]
    + [("L 1", "characters"), ("Lô1", "characters"), ("L#1", "characters")],
)
def test_lot_numbers_use_gs1_characters(lot, problem):
    assert codes.lot_problem(lot) == problem


LOT_CHARACTERS = sorted(codes.LOT_CHARACTERS)
gtins = st.integers(min_value=10**11, max_value=10**13 - 1).map(
    lambda n: f"{n:013d}"[:12] + ean.calc_check_digit(f"{n:013d}"[:12])
)
lots = st.text(alphabet=LOT_CHARACTERS, min_size=1, max_size=20)


@given(gtin=gtins, lot=lots)
def test_digital_link_round_trip(gtin, lot):
    serial = codes.serial_new()
    path = codes.stamp_path(gtin=gtin, lot=lot, serial=serial)
    assert path.startswith("/01/")
    assert codes.address_parse(path) == codes.StampAddress(
        serial=serial, gtin=gtin.zfill(14), lot=lot
    )


def test_batch_class_path():
    assert codes.batch_path(gtin="8934563138165", lot="L1", batch_id=7) == (
        "/01/08934563138165/10/L1"
    )
    assert codes.batch_path(gtin=None, lot="L1", batch_id=7) == "/lo/7"
