import pytest

from ocop.accounts.identifiers import InvalidPhone, normalize_phone, split_identifier


@pytest.mark.parametrize(
    ("raw", "phone"),
    [
        ("0912345678", "0912345678"),
        ("0912 345 678", "0912345678"),
        ("+84 912 345 678", "0912345678"),
        ("84912345678", "0912345678"),
        ("(0263) 382.2000", None),  # 11-digit landlines are written 02xx + 7 digits: 10 digits
    ],
)
def test_phone_numbers_are_normalised(raw, phone):
    if phone is None:
        with pytest.raises(InvalidPhone):
            normalize_phone(raw)
    else:
        assert normalize_phone(raw) == phone


@pytest.mark.parametrize("raw", ["", "12345", "0112345678", "09123456789", "abc", "+1 912 345 678"])
def test_not_a_vietnamese_phone(raw):
    with pytest.raises(InvalidPhone):
        normalize_phone(raw)


def test_identifier_is_email_or_phone():
    assert split_identifier(" Chuthe@Demo.OCOP.vn ") == ("email", "chuthe@demo.ocop.vn")
    assert split_identifier("+84912345678") == ("phone", "0912345678")
