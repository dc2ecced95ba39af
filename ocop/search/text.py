"""Text folding for search as Vietnamese people type: without diacritics, 'd' for 'đ'."""

import unicodedata

_D = str.maketrans({"đ": "d", "Đ": "d"})


def fold(text: str) -> str:
    """'Chè Shan Tuyết Tà Xùa' → 'che shan tuyet ta xua'; spaces collapsed."""
    decomposed = unicodedata.normalize("NFD", (text or "").translate(_D))
    stripped = "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
    return " ".join(stripped.lower().split())
