"""Reading one cell's value as the provinces write it. Pure: each parser returns the value
or raises `BadValue` with a message for the person who fixes the file."""

from __future__ import annotations

import datetime
import re

from .columns import fold_header
from .table import Problem, _

EXCEL_EPOCH = datetime.date(1899, 12, 30)
# The numbers a date column's cell is read as an Excel serial date from: 4 October 1954 to
# 10 January 2119 (smaller or larger numbers are no dates a register holds).
EXCEL_SERIALS = range(20001, 80000)


class BadValue(Problem, ValueError):
    """A cell whose value cannot be read as what its column holds."""


def text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


_STARS_WORDS = {"ba": 3, "bon": 4, "tu": 4, "nam": 5}


def stars(value) -> int:
    """3, "3", "3 sao", "4*", "★★★★", "5 sao (quốc gia)", "hạng 4 sao" → the class 3–5."""
    raw = text(value)
    if not raw:
        raise BadValue(_("The star class is empty."))
    if set(raw) <= {"★", "☆", "*", " "} and raw.count("★") + raw.count("*"):
        n = raw.count("★") + raw.count("*")
    else:
        folded = fold_header(raw)
        digits = re.findall(r"\d+", folded)
        if digits:
            number = digits[0].lstrip("0") or "0"
            # int() refuses over 4,300 digits; a number that long is no class anyway (0).
            n = int(number) if len(number) <= 9 else 0
        else:
            words = [_STARS_WORDS[w] for w in folded.split() if w in _STARS_WORDS]
            if not words:
                raise BadValue(_("“%(value)s” is not a star class (3, 4 or 5)."), value=raw)
            n = words[0]
    if n not in (3, 4, 5):
        if n in (1, 2):
            raise BadValue(
                _("%(n)s stars is not a recognition: only 3, 4 and 5 stars are recognised."), n=n
            )
        raise BadValue(_("“%(value)s” is not a star class (3, 4 or 5)."), value=raw)
    return n


_DATE_IN_TEXT = re.compile(r"(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})")
_WORDS_DATE = re.compile(r"ngay\s+(\d{1,2})\s+thang\s+(\d{1,2})\s+nam\s+(\d{4})")


def date(value) -> datetime.date:
    """A date as Excel stores it, "16/09/2024", "16-9-2024", "2024-09-16", or "ngày 16 tháng
    9 năm 2024". Day first, as in Vietnam: "03/04/2024" is 3 April."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, (int, float)) and EXCEL_SERIALS[0] - 1 < value < EXCEL_SERIALS[-1] + 1:
        return EXCEL_EPOCH + datetime.timedelta(days=int(value))
    raw = text(value)
    if not raw:
        raise BadValue(_("The date is empty."))
    found = _ISO.match(raw)
    if found:
        year, month, day = (int(g) for g in found.groups())
    else:
        found = _DATE_IN_TEXT.search(raw) or _WORDS_DATE.search(fold_header(raw))
        if not found:
            raise BadValue(_("“%(value)s” is not a date (write it as 16/09/2024)."), value=raw)
        day, month, year = (int(g) for g in found.groups())
    try:
        return datetime.date(year, month, day)
    except ValueError:
        raise BadValue(_("“%(value)s” is not a real date."), value=raw) from None


def date_in(value) -> datetime.date | None:
    """The date written inside a text ("1234/QĐ-UBND ngày 16/9/2024"), if there is one."""
    raw = text(value)
    found = _DATE_IN_TEXT.search(raw) or _WORDS_DATE.search(fold_header(raw))
    if not found:
        return None
    day, month, year = (int(g) for g in found.groups())
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


_NUMBER = re.compile(r"\d+\s*/\s*[0-9A-Za-zĐđ\-/ .]+")


def decision_number(value) -> str:
    """ "Quyết định số 1234/QĐ-UBND ngày 16/9/2024" → "1234/QĐ-UBND"; spacing tidied."""
    raw = text(value)
    if not raw:
        raise BadValue(_("The decision number is empty."))
    raw = re.split(r"\s+ng[aà]y\b", raw, flags=re.IGNORECASE)[0]
    raw = re.sub(r"^((quy[eế]t\s+đ[iị]nh|q[đd])\s+)?(s[oố]\s*:?\s*)?", "", raw, flags=re.IGNORECASE)
    raw = re.sub(r"\s*/\s*", "/", raw).strip(" ,;.")
    raw = re.sub(r"\s*-\s*", "-", raw)
    if not re.match(r"^\d+(/\S+)?$", raw.replace(" ", "")) or len(raw) > 60:
        raise BadValue(
            _("“%(value)s” is not a decision number (like 1234/QĐ-UBND)."), value=text(value)
        )
    return raw.upper().replace("QD", "QĐ")


def tax_code(value) -> str:
    """Digits and the branch dash only: "0100 233 488" → "0100233488". The producer model
    checks the check digit."""
    raw = text(value)
    return re.sub(r"[\s.]", "", raw)


def score(value):
    raw = text(value).replace(",", ".")
    if not raw:
        return None
    try:
        points = float(raw)
    except ValueError:
        raise BadValue(_("“%(value)s” is not a score."), value=text(value)) from None
    if not 0 <= points <= 100:
        raise BadValue(_("A score lies between 0 and 100, not %(value)s."), value=text(value))
    return round(points, 2)


_TYPES = [  # (folded words the type or the name starts with, type)
    (("hop tac xa", "htx", "lien hiep hop tac xa"), "cooperative"),
    (("to hop tac", "tht", "to hop tac san xuat"), "cooperative_group"),
    (("cong ty", "doanh nghiep", "cty", "tong cong ty", "dntn", "doanh nghiep tu nhan"),
     "enterprise"),
    (("ho kinh doanh", "hkd", "co so", "ho san xuat", "ho gia dinh"), "household"),
]  # fmt: skip


def producer_type(value, name: str = "") -> str:
    """The type written in its column, or read from the name ("HTX …", "Công ty …")."""
    for source in (text(value), name):
        folded = fold_header(source)
        for starts, kind in _TYPES:
            if any(folded == s or folded.startswith(s + " ") for s in starts):
                return kind
    if text(value):
        raise BadValue(
            _(
                "“%(value)s” is not a type of producer (cooperative, cooperative group, "
                "enterprise, household business)."
            ),
            value=text(value),
        )
    raise BadValue(
        _("The producer's type is not given and its name does not say it: add a type column.")
    )
