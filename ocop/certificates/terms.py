"""Certificate terms and numbers, free of Django.

- The validity of a certificate per period (data/terms.yaml; 36 months under Decisions
  148/QĐ-TTg and 1489/QĐ-TTg, ../shared/reference/ocop_rules.md "Certificates").
- The expiry date: the issue date plus the term in calendar months, the same day of the
  month, or the month's last day when that month is shorter (31 Jan + 1 month = 28/29 Feb).
- The register number "<area>-<year>-<sequence>".
- The expiry reminder milestones, in months before the expiry date.
"""

from __future__ import annotations

import calendar
import datetime
import functools
from dataclasses import dataclass
from pathlib import Path

import yaml

DATA = Path(__file__).parent / "data" / "terms.yaml"


@dataclass(frozen=True)
class TermPeriod:
    code: str
    name: str
    starts: datetime.date
    ends: datetime.date | None
    validity_months: int

    def covers(self, day: datetime.date) -> bool:
        return self.starts <= day and (self.ends is None or day <= self.ends)


@dataclass(frozen=True)
class NumberFormat:
    format: str
    central_area: str


@functools.cache
def _load() -> tuple[tuple[TermPeriod, ...], NumberFormat, tuple[int, ...]]:
    raw = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    periods = tuple(
        TermPeriod(
            code=p["code"],
            name=p["name"],
            starts=p["starts"],
            ends=p.get("ends"),
            validity_months=int(p["validity_months"]),
        )
        for p in raw["periods"]
    )
    number = NumberFormat(
        format=raw["number"]["format"], central_area=str(raw["number"]["central_area"])
    )
    reminders = tuple(
        sorted({int(m) for m in raw.get("reminders", {}).get("months_before", [])}, reverse=True)
    )
    return periods, number, reminders


def periods() -> tuple[TermPeriod, ...]:
    return _load()[0]


def period_for(day: datetime.date) -> TermPeriod:
    """The terms in force on `day`; LookupError when the data has none for it."""
    for period in periods():
        if period.covers(day):
            return period
    raise LookupError(day)


def add_months(day: datetime.date, months: int) -> datetime.date:
    """`day` plus `months` calendar months, clamped to the end of a shorter month."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def expiry_for(issued_on: datetime.date) -> datetime.date:
    """The last day a certificate issued on `issued_on` is valid (it expires after it)."""
    return add_months(issued_on, period_for(issued_on).validity_months)


def number_area(province_code: int | None) -> str:
    """ "68" for Lâm Đồng, "01" for Hà Nội, "TW" for the central level."""
    if province_code is None:
        return _load()[1].central_area
    return f"{province_code:02d}"


def format_number(*, area: str, year: int, sequence: int) -> str:
    return _load()[1].format.format(area=area, year=year, sequence=sequence)


def reminder_months() -> tuple[int, ...]:
    """The reminder milestones, largest first: (6, 3, 1)."""
    return _load()[2]
