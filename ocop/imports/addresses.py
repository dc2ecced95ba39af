"""Addresses as the provinces' lists write them, resolved to today's commune.

Before 1 July 2025 an address had three levels ("xã Đạ Sar, huyện Lạc Dương, tỉnh Lâm
Đồng"); since then two ("xã Lạc Dương, tỉnh Lâm Đồng"). Both are read: the legacy commune
is found in its legacy district and province and followed to the commune it went into.
Abbreviations ("TP.", "Tp", "H.", "TX", "TT", "P.") and missing diacritics are accepted.
When a name fits several units, or a legacy commune went into several, the candidates are
returned for a person to choose: nothing is guessed. Pure: the units come in as data
(`UnitIndex.build`).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from .columns import fold_header
from .table import _

# Folded prefixes of each level, longest first so that "thi xa" wins over "xa".
PROVINCE_PREFIXES = ("thanh pho truc thuoc trung uong", "thanh pho", "tinh", "tp", "t")
DISTRICT_PREFIXES = ("thanh pho", "thi xa", "huyen", "quan", "tp", "tx", "h", "q")
COMMUNE_PREFIXES = ("thi tran", "dac khu", "phuong", "xa", "tt", "p", "x")


def core(name: str, prefixes=PROVINCE_PREFIXES + DISTRICT_PREFIXES + COMMUNE_PREFIXES) -> str:
    """ "Thị trấn Lạc Dương" → "lac duong"; "Phường 01" → "1"; "TP. Đà Lạt" → "da lat"."""
    folded = fold_header(name)
    for prefix in sorted(prefixes, key=len, reverse=True):
        if folded.startswith(prefix + " "):
            folded = folded[len(prefix) + 1 :]
            break
    return " ".join(t.lstrip("0") or "0" if t.isdigit() else t for t in folded.split())


def _prefix_of(part: str, prefixes) -> bool:
    folded = fold_header(part)
    return any(folded.startswith(p + " ") for p in prefixes)


@dataclass
class Resolution:
    commune: int | None = None  # today's commune, when there is exactly one
    candidates: list[int] = field(default_factory=list)  # for a person to choose
    legacy: bool = False  # written the pre-2025 way
    street: str = ""
    problem: str = ""  # marked for translation; params in `params`
    params: dict = field(default_factory=dict)


@dataclass
class UnitIndex:
    province_names: dict[int, str]
    communes: dict[int, tuple[str, int]]  # code → (name, province)
    _province: dict[str, list[int]] = field(default_factory=dict)
    _legacy_province: dict[str, list[int]] = field(default_factory=dict)
    _legacy_into: dict[int, set[int]] = field(default_factory=dict)  # legacy → current provinces
    _commune: dict[int, dict[str, list[int]]] = field(default_factory=dict)
    _district: dict[int, dict[str, list[int]]] = field(default_factory=dict)
    _legacy_commune: dict[int, dict[str, list[int]]] = field(default_factory=dict)  # by district
    _legacy_in_province: dict[int, dict[str, list[int]]] = field(default_factory=dict)
    _successors: dict[int, list[int]] = field(default_factory=dict)
    _full: dict[int, str] = field(default_factory=dict)  # legacy code → folded full name

    @classmethod
    def build(cls, *, provinces, communes, legacy_provinces, legacy_districts, legacy_communes):
        """provinces: (code, name); communes: (code, name, province); legacy_provinces:
        (code, name); legacy_districts: (code, name, legacy province); legacy_communes:
        (code, name, district, [today's commune codes])."""
        provinces, communes = list(provinces), list(communes)
        index = cls(
            province_names=dict(provinces),
            communes={code: (name, province) for code, name, province in communes},
        )
        for code, name in provinces:
            index._province.setdefault(core(name, PROVINCE_PREFIXES), []).append(code)
        for code, name in legacy_provinces:
            index._legacy_province.setdefault(core(name, PROVINCE_PREFIXES), []).append(code)
        for code, name, province in communes:
            index._commune.setdefault(province, defaultdict(list))[
                core(name, COMMUNE_PREFIXES)
            ].append(code)
        district_province = {}
        for code, name, province in legacy_districts:
            district_province[code] = province
            index._district.setdefault(province, defaultdict(list))[
                core(name, DISTRICT_PREFIXES)
            ].append(code)
        for code, name, district, successors in legacy_communes:
            key = core(name, COMMUNE_PREFIXES)
            index._legacy_commune.setdefault(district, defaultdict(list))[key].append(code)
            province = district_province[district]
            index._legacy_in_province.setdefault(province, defaultdict(list))[key].append(code)
            index._successors[code] = sorted(successors)
            index._full[code] = fold_header(name)
            for successor in successors:
                index._legacy_into.setdefault(province, set()).add(index.communes[successor][1])
        return index

    # --- the pieces --------------------------------------------------------------------------

    def _current_communes(self, province: int, name: str) -> list[int]:
        names = self._commune.get(province, {})
        key = core(name, COMMUNE_PREFIXES)
        found = names.get(key, [])
        if not found:  # "Phường Lang Biang" for the library's "Phường Lang Biang - Đà Lạt"
            found = [c for k, codes in names.items() if k.startswith(key + " ") for c in codes]
        return found

    def _provinces_named(self, part: str) -> tuple[list[int], list[int]]:
        key = core(part, PROVINCE_PREFIXES)
        return self._province.get(key, []), self._legacy_province.get(key, [])

    def _legacy_named(self, legacy: list[int], name: str) -> list[int]:
        key = core(name, COMMUNE_PREFIXES)
        codes = [c for lp in legacy for c in self._legacy_in_province.get(lp, {}).get(key, [])]
        return self._same_kind(codes, name)

    def _same_kind(self, codes: list[int], name: str) -> list[int]:
        """Of namesakes ("Thị trấn Đạ M'ri", "Xã Đạ M'ri"), the one whose kind is written."""
        if len(codes) < 2:
            return codes
        written = fold_header(name)
        exact = [c for c in codes if self._full.get(c) == written]
        return exact or codes

    def _legacy_successors(self, codes: list[int]) -> list[int]:
        return sorted({s for code in codes for s in self._successors.get(code, [])})

    # --- the whole address -------------------------------------------------------------------

    def resolve(self, text: str, *, province_hint: int | None = None) -> Resolution:
        parts = [p.strip() for p in re.split(r"[,;]", text or "") if p.strip()]
        if not parts:
            return Resolution(problem=_("The address is empty."))
        current, legacy = self._provinces_named(parts[-1])
        if current or legacy:
            parts = parts[:-1]
        elif province_hint is not None:
            current = [province_hint]
            legacy = list({lp for lp, into in self._legacy_into.items() if province_hint in into})
        else:
            return Resolution(
                problem=_("The province of “%(address)s” is not named."), params={"address": text}
            )
        if not parts:
            return Resolution(
                problem=_("The address “%(address)s” names no commune."), params={"address": text}
            )
        # A district before the province: the legacy form.
        if (
            legacy
            and len(parts) >= 2
            and (
                _prefix_of(parts[-1], DISTRICT_PREFIXES)
                or any(
                    core(parts[-1], DISTRICT_PREFIXES) in self._district.get(lp, {})
                    for lp in legacy
                )
            )
        ):
            return self._resolve_legacy(text, parts, legacy)
        if len(parts) == 1 and legacy and _prefix_of(parts[0], DISTRICT_PREFIXES):
            return self._district_only(parts[0], legacy)
        # "Thị trấn" (townships) ended in 2025: such a name is of before, even when a
        # commune of today bears the same name.
        township = _prefix_of(parts[-1], ("thi tran", "tt"))
        found = (
            []
            if township and self._legacy_named(legacy, parts[-1])
            else [c for p in current for c in self._current_communes(p, parts[-1])]
        )
        if len(found) == 1:
            return Resolution(commune=found[0], street=", ".join(parts[:-1]))
        if len(found) > 1:
            return Resolution(
                candidates=found,
                street=", ".join(parts[:-1]),
                problem=_("Several communes are named “%(name)s”: choose one."),
                params={"name": parts[-1]},
            )
        # No such commune today: perhaps a legacy commune written without its district.
        codes = self._legacy_named(legacy, parts[-1])
        if codes:
            return self._successor_of(text, codes, ", ".join(parts[:-1]), parts[-1])
        if len(parts) == 1 and any(
            core(parts[0], DISTRICT_PREFIXES) in self._district.get(lp, {}) for lp in legacy
        ):
            return self._district_only(parts[0], legacy)
        return Resolution(
            problem=_("No commune “%(name)s” in %(province)s, today or before 2025."),
            params={"name": parts[-1], "province": self._label(current, legacy)},
        )

    def _label(self, current, legacy) -> str:
        return ", ".join(self.province_names.get(p, str(p)) for p in current) or "?"

    def _resolve_legacy(self, text: str, parts: list[str], legacy: list[int]) -> Resolution:
        district_part = parts[-1]
        districts = [
            d for lp in legacy for d in self._district.get(lp, {}).get(
                core(district_part, DISTRICT_PREFIXES), []
            )
        ]  # fmt: skip
        if not districts:
            return Resolution(
                legacy=True,
                problem=_("No district “%(name)s” in the province before 2025."),
                params={"name": district_part},
            )
        commune_part = parts[-2]
        codes = self._same_kind(
            [
                c
                for d in districts
                for c in self._legacy_commune.get(d, {}).get(
                    core(commune_part, COMMUNE_PREFIXES), []
                )
            ],
            commune_part,
        )
        if not codes:
            return Resolution(
                legacy=True,
                problem=_("No commune “%(name)s” in %(district)s before 2025."),
                params={"name": commune_part, "district": district_part},
            )
        return self._successor_of(text, codes, ", ".join(parts[:-2]), commune_part)

    def _district_only(self, part: str, legacy: list[int]) -> Resolution:
        """ "huyện Hậu Lộc" alone: the commune is not named; the person chooses among the
        communes the district's communes went into."""
        districts = [
            d for lp in legacy for d in self._district.get(lp, {}).get(
                core(part, DISTRICT_PREFIXES), []
            )
        ]  # fmt: skip
        codes = [
            c for d in districts for cs in self._legacy_commune.get(d, {}).values() for c in cs
        ]
        if not codes:
            return Resolution(
                legacy=True,
                problem=_("No district “%(name)s” in the province before 2025."),
                params={"name": part},
            )
        return Resolution(
            legacy=True,
            candidates=self._legacy_successors(codes),
            problem=_("The address names the district (%(name)s) but not the commune: choose it."),
            params={"name": part},
        )

    def _successor_of(self, text, codes, street, name) -> Resolution:
        successors = self._legacy_successors(codes)
        if len(codes) == 1 and len(successors) == 1:
            return Resolution(commune=successors[0], legacy=True, street=street)
        if not successors:
            return Resolution(
                legacy=True,
                problem=_("The records do not say where “%(name)s” went in 2025."),
                params={"name": name},
            )
        return Resolution(
            legacy=True,
            candidates=successors,
            street=street,
            problem=_("“%(name)s” went into several communes in 2025: choose one."),
            params={"name": name},
        )
