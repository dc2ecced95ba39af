import datetime

import pytest

from ocop.certificates import terms

D = datetime.date


@pytest.mark.parametrize(
    ("issued", "expires"),
    [
        (D(2026, 1, 31), D(2029, 1, 31)),  # 36 months keep the day of the month
        (D(2024, 2, 29), D(2027, 2, 28)),  # a leap day falls back to the month's end
        (D(2026, 11, 24), D(2029, 11, 24)),
        (D(2023, 2, 24), D(2026, 2, 24)),  # first day of Decision 148/QĐ-TTg
    ],
)
def test_expiry_is_36_months_later(issued, expires):
    assert terms.expiry_for(issued) == expires


@pytest.mark.parametrize(
    ("day", "months", "result"),
    [
        (D(2026, 1, 31), 1, D(2026, 2, 28)),
        (D(2028, 1, 31), 1, D(2028, 2, 29)),
        (D(2026, 1, 31), 3, D(2026, 4, 30)),
        (D(2026, 12, 15), 1, D(2027, 1, 15)),
        (D(2026, 1, 31), 36, D(2029, 1, 31)),
    ],
)
def test_add_months_clamps_to_the_end_of_the_month(day, months, result):
    assert terms.add_months(day, months) == result


def test_every_period_gives_36_months():
    assert {p.validity_months for p in terms.periods()} == {36}


def test_no_term_before_decision_148():
    with pytest.raises(LookupError):
        terms.expiry_for(D(2022, 6, 1))


def test_number_format():
    assert terms.number_area(68) == "68"
    assert terms.number_area(1) == "01"
    assert terms.number_area(None) == "TW"
    assert terms.format_number(area="68", year=2026, sequence=7) == "68-2026-000007"
