"""Vietnamese tax codes (mã số thuế), checked with python-stdnum's `vn.mst`.

A tax code is 10 digits (the tenth a check digit) or 13 for a branch (the parent's ten plus
a three-digit branch number, usually written after a dash). Stored compact, shown with the
dash. Pure functions, no Django.
"""

from stdnum import exceptions
from stdnum.vn import mst


class InvalidTaxCode(ValueError):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def normalize_tax_code(raw: str) -> str:
    """'0314409058 - 002' → '0314409058002'. Raises InvalidTaxCode with the reason."""
    try:
        return mst.validate(raw or "")
    except exceptions.InvalidLength:
        raise InvalidTaxCode("length") from None
    except exceptions.InvalidChecksum:
        raise InvalidTaxCode("checksum") from None
    except exceptions.InvalidComponent:
        raise InvalidTaxCode("component") from None
    except exceptions.ValidationError:
        raise InvalidTaxCode("format") from None


def format_tax_code(compact: str) -> str:
    return mst.format(compact) if compact else ""
