"""Login identifiers: an email address or a Vietnamese phone number. Pure functions."""

import re

_PHONE_CHARS = re.compile(r"[\s.\-()]")
# Ten digits starting with 0 (mobile 03/05/07/08/09, landline 02x), once +84/84 is folded.
_PHONE = re.compile(r"^0[235789]\d{8}$")


class InvalidPhone(ValueError):
    pass


def normalize_phone(raw: str) -> str:
    """'+84 912 345 678' → '0912345678'. Raises InvalidPhone when it is not a VN number."""
    phone = _PHONE_CHARS.sub("", raw or "")
    if phone.startswith("+84"):
        phone = "0" + phone[3:]
    elif phone.startswith("84") and len(phone) == 11:
        phone = "0" + phone[2:]
    if not _PHONE.match(phone):
        raise InvalidPhone(raw)
    return phone


def normalize_email(raw: str) -> str:
    return (raw or "").strip().lower()


def split_identifier(raw: str) -> tuple[str, str]:
    """('email', value) or ('phone', value) for what a person typed in the login box."""
    raw = (raw or "").strip()
    if "@" in raw:
        return "email", normalize_email(raw)
    return "phone", normalize_phone(raw)
