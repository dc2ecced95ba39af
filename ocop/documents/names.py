"""Display names for uploaded files: what the person called the file, made harmless.

The name is only ever shown and sent back in Content-Disposition; on disk a random name is
used. Still, it must not carry directories, control characters or characters that some
systems refuse, and it must end with an extension that agrees with the real content.
"""

import re
import unicodedata

MAX_LENGTH = 150  # characters, extension included; well under the column's 255
FALLBACK_STEM = "document"

# Characters Windows refuses in file names, and the path separators.
_RESERVED = set('<>:"/\\|?*')
# An extension is a short run of ASCII letters and digits with at least one letter,
# so "Báo cáo v1.2" has none while "scan.JPG" has "jpg".
_EXTENSION = re.compile(r"^[a-z0-9]{0,7}[a-z][a-z0-9]{0,7}$")


def basename(name: str) -> str:
    """The last path component, whether the browser sent "/" or "\\" separators."""
    return re.split(r"[/\\]", name or "")[-1]


def extension_of(name: str) -> str:
    """The lower-case extension of the name's last component, or "" when there is none."""
    stem, dot, extension = basename(name).strip().rpartition(".")
    extension = extension.lower()
    if not dot or not stem.strip(". ") or not _EXTENSION.match(extension):
        return ""
    return extension


def _clean(text: str) -> str:
    text = unicodedata.normalize("NFC", text)
    # Control, format, surrogate, private and unassigned characters go; so do reserved ones.
    kept = (
        " " if c.isspace() else c
        for c in text
        if c.isspace() or (c not in _RESERVED and not unicodedata.category(c).startswith("C"))
    )
    return " ".join("".join(kept).split())


def safe_name(name: str, *, extension: str) -> str:
    """A display name: the base name, cleaned, limited in length, ending in `.extension`.

    `extension` is the one that agrees with the real content; it replaces the name's own
    extension when that one is the same word in another case ("Scan.JPG" → "Scan.jpg") and is
    appended when the name has none ("scan" → "scan.pdf").
    """
    base = basename(name)
    if extension_of(base):
        base = base.rpartition(".")[0]
    stem = _clean(base).strip(". ")
    limit = MAX_LENGTH - len(extension) - 1
    stem = stem[:limit].rstrip(". ") or FALLBACK_STEM
    return f"{stem}.{extension}"
