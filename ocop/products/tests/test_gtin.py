import pytest
from django.core.exceptions import ValidationError
from stdnum import ean

from ocop.products.gtin import InvalidGtin, normalize_gtin
from ocop.products.models import validate_gtin


def with_check_digit(body: str) -> str:
    return body + ean.calc_check_digit(body)


GTIN13 = with_check_digit("893456313816")  # Vietnam's GS1 prefix is 893
GTIN8 = with_check_digit("8934567")
GTIN12 = with_check_digit("03600029145")
GTIN14 = with_check_digit("1893456313816")


def wrong_check_digit(code: str) -> str:
    return code[:-1] + str((int(code[-1]) + 1) % 10)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (GTIN13, GTIN13),
        (GTIN8, GTIN8),
        (GTIN12, GTIN12),
        (GTIN14, GTIN14),
        (f" {GTIN13[:3]} {GTIN13[3:7]}-{GTIN13[7:]} ", GTIN13),  # spaces and dashes as typed
    ],
)
def test_valid_gtins_are_kept_compact(raw, expected):
    assert normalize_gtin(raw) == expected


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (wrong_check_digit(GTIN13), "checksum"),
        (wrong_check_digit(GTIN8), "checksum"),
        (wrong_check_digit(GTIN14), "checksum"),
        ("8934563", "length"),
        ("1234567890", "length"),
        ("893456313816500", "length"),
        ("893456313816X", "format"),
        ("ABCDEFGHIJKLM", "format"),
        ("", "format"),
    ],
)
def test_invalid_gtins_say_why(raw, reason):
    with pytest.raises(InvalidGtin) as info:
        normalize_gtin(raw)
    assert info.value.reason == reason


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        (wrong_check_digit(GTIN13), "gtin_checksum"),
        ("1234567890", "gtin_length"),
        ("89345631381A5", "gtin_format"),
    ],
)
def test_model_validator_gives_a_coded_error(raw, code):
    with pytest.raises(ValidationError) as info:
        validate_gtin(raw)
    assert info.value.error_list[0].code == code
