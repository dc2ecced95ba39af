"""GTIN barcodes (mã vạch), checked with python-stdnum's `ean` module.

A GTIN is 8, 12, 13 or 14 digits, the last a check digit (GS1 modulo 10). Vietnamese
products mostly carry a GTIN-13 beginning 893. Stored compact, as the producer typed it
(without spaces or dashes, not padded to 14). Pure functions, no Django.
"""

from stdnum import ean, exceptions


class InvalidGtin(ValueError):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def normalize_gtin(raw: str) -> str:
    """'893 4563 13816 5' → '8934563138165'. Raises InvalidGtin with the reason."""
    try:
        return ean.validate(raw or "")
    # InvalidLength is a kind of InvalidFormat in stdnum: the narrower reasons come first.
    except exceptions.InvalidLength:
        raise InvalidGtin("length") from None
    except exceptions.InvalidChecksum:
        raise InvalidGtin("checksum") from None
    except exceptions.ValidationError:
        raise InvalidGtin("format") from None
