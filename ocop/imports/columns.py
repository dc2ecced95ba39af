"""What an import reads: the fields of each kind of file, their usual headings in the
provinces' spreadsheets, and the guess that maps a file's columns to fields. Pure."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from .table import _


def fold_header(text: str) -> str:
    """ "Tên Chủ thể (*)" → "ten chu the": lower case, no diacritics, no punctuation."""
    text = (text or "").replace("đ", "d").replace("Đ", "d")
    text = unicodedata.normalize("NFD", text)
    text = "".join(c for c in text if unicodedata.category(c) != "Mn").lower()
    text = "".join(c if c.isalnum() else " " for c in text)
    return " ".join(text.split())


@dataclass(frozen=True)
class Field:
    key: str
    label: str  # marked for translation
    aliases: tuple[str, ...]  # folded headings that mean this field
    example: str = ""


FIELDS = {
    f.key: f
    for f in [
        Field(
            "producer_name",
            _("Producer (legal name)"),
            (
                "ten chu the",
                "chu the",
                "ten chu the san xuat",
                "don vi",
                "ten don vi",
                "chu the ocop",
                "ten to chuc ca nhan",
                "co so san xuat",
                "ten co so",
            ),
            "Hợp tác xã Chè Shan Tuyết Tà Xùa",
        ),
        Field(
            "producer_type",
            _("Type of producer"),
            ("loai hinh", "loai hinh chu the", "loai hinh to chuc"),
            "Hợp tác xã",
        ),
        Field("tax_code", _("Tax code"), ("ma so thue", "mst", "ma so doanh nghiep"), "0100233488"),
        Field(
            "representative",
            _("Representative"),
            ("nguoi dai dien", "dai dien", "chu co so", "giam doc", "nguoi dai dien phap luat"),
            "Nguyễn Văn An",
        ),
        Field(
            "address",
            _("Address"),
            ("dia chi", "dia chi chu the", "dia chi tru so", "dia chi san xuat", "dia ban"),
            "Xã Tà Xùa, huyện Bắc Yên, tỉnh Sơn La",
        ),
        Field("commune", _("Commune"), ("xa", "xa phuong", "phuong xa", "xa phuong thi tran")),
        Field("district", _("District (before 2025)"), ("huyen", "quan huyen", "huyen thi xa")),
        Field("province", _("Province"), ("tinh", "tinh thanh pho", "tinh thanh")),
        Field("commune_code", _("Commune code"), ("ma xa", "ma don vi hanh chinh")),
        Field("phone", _("Phone"), ("dien thoai", "so dien thoai", "sdt", "dt"), "0212 3555 666"),
        Field("email", _("Email"), ("email", "thu dien tu", "e mail")),
        Field(
            "product_name",
            _("Product"),
            ("ten san pham", "san pham", "ten san pham ocop", "san pham ocop"),
            "Chè Shan Tuyết Tà Xùa",
        ),
        Field(
            "product_group",
            _("Product group"),
            (
                "nhom san pham",
                "phan nhom",
                "nhom",
                "bo san pham",
                "phan nhom san pham",
                "nganh nhom",
                "ma nhom san pham",
            ),
            "Chè tươi, chè chế biến",
        ),
        Field(
            "stars",
            _("Star class"),
            ("hang sao", "so sao", "xep hang", "phan hang", "ket qua phan hang", "hang"),
            "4",
        ),
        Field("score", _("Score"), ("diem", "tong diem", "diem danh gia", "so diem"), "78.5"),
        Field(
            "decision_number",
            _("Decision number"),
            ("so quyet dinh", "quyet dinh", "so qd", "qd cong nhan", "quyet dinh cong nhan"),
            "1234/QĐ-UBND",
        ),
        Field(
            "decision_date",
            _("Decision date"),
            ("ngay quyet dinh", "ngay qd", "ngay cong nhan", "ngay ban hanh", "ngay ky"),
            "16/09/2024",
        ),
        Field(
            "issuer",
            _("Issuing body"),
            ("co quan ban hanh", "co quan cong nhan", "don vi cong nhan", "cap cong nhan"),
            "Ủy ban nhân dân tỉnh Sơn La",
        ),
        Field(
            "certificate_number",
            _("Certificate number"),
            ("so giay chung nhan", "so chung nhan", "giay chung nhan", "so gcn"),
        ),
        Field(
            "valid_until",
            _("Valid until"),
            ("hieu luc den", "ngay het han", "het han", "thoi han", "co gia tri den"),
        ),
    ]
}

# What each kind of file must and may hold.
KINDS = {
    "producers": {
        "label": _("Producers"),
        "required": ("producer_name",),
        "optional": ("producer_type", "tax_code", "representative", "address", "commune",
                     "district", "province", "commune_code", "phone", "email"),
    },
    "products": {
        "label": _("Products"),
        "required": ("producer_name", "product_name", "product_group"),
        "optional": ("producer_type", "tax_code", "representative", "address", "commune",
                     "district", "province", "commune_code", "phone", "email"),
    },
    "decisions": {
        "label": _("Recognition decisions with their products and certificates"),
        "required": ("producer_name", "product_name", "product_group", "stars",
                     "decision_number", "decision_date"),
        "optional": ("producer_type", "tax_code", "representative", "address", "commune",
                     "district", "province", "commune_code", "phone", "email", "score",
                     "issuer", "certificate_number", "valid_until"),
    },
}  # fmt: skip
# The words that start the header row's cells, to tell it from a title above it.
HEADER_WORDS = (
    "ten", "san pham", "chu the", "dia chi", "quyet dinh", "so quyet dinh", "hang sao",
    "ma so thue", "stt", "nhom", *(fold_header(key) for key in FIELDS),
)  # fmt: skip


def kind_fields(kind: str) -> list[str]:
    spec = KINDS[kind]
    return [*spec["required"], *spec["optional"]]


def guess_mapping(headers: list[str], kind: str, remembered: dict | None = None) -> dict:
    """{field: column index} for the file's headings: first the mapping remembered for the
    province (by heading text), then an exact alias, then an alias the heading starts with.
    A column serves one field at most; the order/number column ("STT") serves none."""
    folded = [fold_header(h) for h in headers]
    mapping: dict[str, int] = {}
    used: set[int] = set()
    wanted = kind_fields(kind)
    for key, heading in (remembered or {}).items():
        if key in wanted and heading in headers and headers.index(heading) not in used:
            mapping[key] = headers.index(heading)
            used.add(mapping[key])
    for exact in (True, False):
        for key in wanted:
            if key in mapping:
                continue
            for index, text in enumerate(folded):
                if index in used or not text or text in ("stt", "tt", "so tt"):
                    continue
                names = (*FIELDS[key].aliases, fold_header(key))  # "product_name" too
                hit = any(
                    text == a if exact else (text.startswith(a + " ") or text == a) for a in names
                )
                if hit:
                    mapping[key] = index
                    used.add(index)
                    break
    return mapping


def missing_fields(mapping: dict, kind: str) -> list[str]:
    """The required fields no column gives. The decision's date may stand in the number's
    column ("1234/QĐ-UBND ngày 16/9/2024"), as many lists write it."""
    missing = [key for key in KINDS[kind]["required"] if key not in mapping]
    if "decision_date" in missing and "decision_number" in mapping:
        missing.remove("decision_date")
    return missing
