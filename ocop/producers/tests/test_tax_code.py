import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from ocop.producers.models import validate_tax_code
from ocop.producers.tax_code import InvalidTaxCode, format_tax_code, normalize_tax_code


@pytest.mark.parametrize(
    ("raw", "compact"),
    [
        ("0100233488", "0100233488"),
        (" 0100233488 ", "0100233488"),
        ("0314409058-002", "0314409058002"),
        ("0314409058 - 002", "0314409058002"),
        ("0314409058002", "0314409058002"),
        ("01.00.233.488", "0100233488"),
    ],
)
def test_valid_codes_are_stored_compact(raw, compact):
    assert normalize_tax_code(raw) == compact


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("", "length"),
        ("12345", "length"),
        ("01002334881", "length"),  # 11 digits
        ("010023348800", "length"),  # 12 digits
        ("0100233480", "checksum"),  # last digit off by one
        ("0100233487", "checksum"),
        ("01002334A8", "format"),
        ("0100000000", "component"),  # the sequence cannot be zeros
        ("0314409058-000", "component"),  # nor the branch
    ],
)
def test_invalid_codes_name_the_reason(raw, reason):
    with pytest.raises(InvalidTaxCode) as exc:
        normalize_tax_code(raw)
    assert exc.value.reason == reason


def test_branch_is_shown_with_a_dash():
    assert format_tax_code("0314409058002") == "0314409058-002"
    assert format_tax_code("0100233488") == "0100233488"
    assert format_tax_code("") == ""


def test_model_validator_gives_a_clear_message():
    with pytest.raises(ValidationError) as exc:
        validate_tax_code("0100233480")
    assert exc.value.code == "tax_code_checksum"
    with translation.override("en"):
        assert "check digit" in exc.value.messages[0]
    with translation.override("vi"):
        assert "Chữ số kiểm tra" in exc.value.messages[0]
    validate_tax_code("0100233488")
