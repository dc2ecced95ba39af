"""Stamp serials and GS1 Digital Link addresses. Pure functions, no Django.

Serials are random, not sequential: 13 characters of Crockford's base32 alphabet (digits and
upper-case letters without I, L, O and U, so a serial typed from the label cannot confuse
1/I/L or 0/O) carry 65 bits from the operating system's CSPRNG. Every character is in
GS1's character set 82, so the serial is a valid AI (21) value.

Digital Link URIs (GS1 Digital Link 1.x, the standard TCVN 12850:2019 points to) are built
and parsed with `biip`, which checks the GTIN check digit and the AI formats:
`/01/{GTIN-14}/10/{lot}/21/{serial}`. A product without a GTIN gets the platform's own path
`/tem/{serial}` ("tem" is Vietnamese for stamp), resolved the same way.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from urllib.parse import quote

from biip import ParseError
from biip.gs1_digital_link_uris import GS1DigitalLinkURI
from biip.gs1_messages import GS1Message

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base32
SERIAL_LENGTH = 13  # 13 × 5 = 65 random bits
SERIAL_BITS = SERIAL_LENGTH * 5
PLATFORM_PREFIX = "/tem/"
# What a person may type for a Crockford character: lower case, and the look-alikes.
_TYPED = str.maketrans({"I": "1", "L": "1", "O": "0"})


class InvalidCode(ValueError):
    """A serial or a Digital Link address that is not well formed."""


def serial_new() -> str:
    """A fresh random serial (65 bits from `secrets`)."""
    n = secrets.randbits(SERIAL_BITS)
    chars = []
    for _ in range(SERIAL_LENGTH):
        n, r = divmod(n, 32)
        chars.append(ALPHABET[r])
    return "".join(chars)


def serials_new(count: int) -> list[str]:
    """`count` fresh serials, distinct among themselves."""
    out: set[str] = set()
    while len(out) < count:
        out.update(serial_new() for _ in range(count - len(out)))
    return list(out)


def serial_normalise(typed: str) -> str:
    """What a person typed ('abcd-efgh-jkmn-p', with I/L/O for 1/0) as the stored serial.
    Raises InvalidCode when it cannot be a serial."""
    serial = (typed or "").strip().upper().replace("-", "").replace(" ", "").translate(_TYPED)
    if len(serial) != SERIAL_LENGTH or any(c not in ALPHABET for c in serial):
        raise InvalidCode("not a stamp serial")
    return serial


def serial_display(serial: str) -> str:
    """The serial in groups for reading aloud and typing: 'ABCD-EFGH-JKMNP'."""
    return f"{serial[:4]}-{serial[4:8]}-{serial[8:]}"


LOT_CHARACTERS = frozenset(
    "!\"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz"
)  # GS1 AI encodable character set 82
LOT_MAX = 20


def lot_problem(lot: str) -> str | None:
    """Why `lot` cannot be a GS1 batch/lot number (AI 10), or None."""
    if not lot or len(lot) > LOT_MAX:
        return "length"
    if any(c not in LOT_CHARACTERS for c in lot):
        return "characters"
    return None


def gtin14(gtin: str) -> str:
    """A GTIN-8/12/13/14 padded to the 14 digits the Digital Link path carries."""
    return gtin.zfill(14)


def stamp_path(*, gtin: str | None, lot: str, serial: str) -> str:
    """The path of a stamp's Digital Link (without the platform's domain)."""
    if not gtin:
        return f"{PLATFORM_PREFIX}{serial}"
    try:
        message = GS1Message.parse(_element_string(gtin, lot, serial))
    except ParseError as exc:
        raise InvalidCode(str(exc)) from None
    for element in message.element_strings:
        if element.gtin_error:
            raise InvalidCode(element.gtin_error)
    if [e.value for e in message.element_strings] != [gtin14(gtin), lot, serial]:
        raise InvalidCode("the lot or the serial has characters GS1 does not allow")
    uri = GS1DigitalLinkURI.from_element_strings(message.element_strings).as_canonical_uri()
    return uri.removeprefix("https://id.gs1.org")


GS = "\x1d"  # ends a variable-length element string (FNC1 in a barcode)


def _element_string(gtin: str, lot: str, serial: str | None = None) -> str:
    """The GS1 element string (01)…(10)…[(21)…], unbracketed: brackets may be lot text."""
    value = f"01{gtin14(gtin)}10{lot}"
    return value + (f"{GS}21{serial}" if serial is not None else "")


def batch_path(*, gtin: str | None, lot: str, batch_id: int) -> str:
    """The path naming a batch as a class of goods (EPCIS epcClass): the GTIN with its lot as
    a Digital Link when the product has a GTIN, otherwise the platform's own."""
    if not gtin:
        return f"/lo/{batch_id}"
    try:
        message = GS1Message.parse(_element_string(gtin, lot))
    except ParseError as exc:
        raise InvalidCode(str(exc)) from None
    uri = GS1DigitalLinkURI.from_element_strings(message.element_strings).as_canonical_uri()
    return uri.removeprefix("https://id.gs1.org")


def stamp_uri(*, base_url: str, gtin: str | None, lot: str, serial: str) -> str:
    return base_url.rstrip("/") + stamp_path(gtin=gtin, lot=lot, serial=serial)


@dataclass(frozen=True)
class StampAddress:
    """What a scanned address names: the serial, and the GTIN and lot it claims."""

    serial: str
    gtin: str | None = None  # 14 digits, check digit verified
    lot: str | None = None


def _quote(text: str, safe: str) -> str:
    try:
        return quote(text, safe=safe)
    except UnicodeEncodeError:  # a lone surrogate: no URL can carry it
        raise InvalidCode("not a stamp address") from None


def address_parse(path: str) -> StampAddress:
    """Parse a scanned path ('/01/…/10/…/21/…' or '/tem/…'). Raises InvalidCode."""
    if path.startswith(PLATFORM_PREFIX):
        return StampAddress(serial=serial_normalise(path[len(PLATFORM_PREFIX) :].strip("/")))
    try:
        uri = GS1DigitalLinkURI.parse("https://id.gs1.org" + _quote(path, safe="/%"))
    except ParseError as exc:
        raise InvalidCode(str(exc)) from None
    values = {es.ai.ai: es for es in uri.element_strings}
    if "01" not in values or "21" not in values:
        raise InvalidCode("a stamp address names a GTIN and a serial")
    gtin = values["01"]
    if gtin.gtin_error:
        raise InvalidCode(gtin.gtin_error)
    lot = values.get("10")
    return StampAddress(
        serial=serial_normalise(values["21"].value),
        gtin=gtin.value,
        lot=lot.value if lot else None,
    )


def address_from_parts(*, gtin: str, lot: str | None, serial: str) -> StampAddress:
    """The address named by the parts of a matched URL path (already percent-decoded)."""
    path = f"/01/{_quote(gtin, safe='')}"
    if lot is not None:
        path += f"/10/{_quote(lot, safe='')}"
    return address_parse(f"{path}/21/{_quote(serial, safe='')}")
