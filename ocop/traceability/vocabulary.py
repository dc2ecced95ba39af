"""The GS1 CBV 2.0 vocabulary of business steps and dispositions (data/cbv.yaml)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml
from django.utils.translation import get_language

DATA = Path(__file__).parent / "data" / "cbv.yaml"


@cache
def _data() -> dict:
    return yaml.safe_load(DATA.read_text(encoding="utf-8"))


def biz_steps() -> frozenset[str]:
    return frozenset(_data()["biz_steps"])


def dispositions() -> frozenset[str]:
    return frozenset(_data()["dispositions"])


def _label(entry: dict, code: str) -> str:
    lang = "en" if (get_language() or "vi").startswith("en") else "vi"
    return entry.get(lang) or code.replace("_", " ")


def label(kind: str, code: str) -> str:
    """The label of a business step ("biz_steps") or disposition ("dispositions")."""
    entry = _data()[kind].get(code)
    return _label(entry, code) if entry else code


def choices(kind: str) -> list[tuple[str, str]]:
    """The offered entries, as form choices in the current language."""
    return [(c, _label(e, c)) for c, e in _data()[kind].items() if e.get("offered")]
