"""The empty templates officers download: the expected columns, with Vietnamese headings
that the import recognises, an example row and a sheet explaining each column."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

from .columns import FIELDS, KINDS, kind_fields

# The heading each field gets in a template (the provinces' usual wording).
HEADINGS = {
    "producer_name": "Tên chủ thể",
    "producer_type": "Loại hình",
    "tax_code": "Mã số thuế",
    "representative": "Người đại diện",
    "address": "Địa chỉ",
    "commune": "Xã",
    "district": "Huyện",
    "province": "Tỉnh",
    "commune_code": "Mã xã",
    "phone": "Điện thoại",
    "email": "Email",
    "product_name": "Tên sản phẩm",
    "product_group": "Nhóm sản phẩm",
    "stars": "Hạng sao",
    "score": "Điểm",
    "decision_number": "Số quyết định",
    "decision_date": "Ngày quyết định",
    "issuer": "Cơ quan ban hành",
    "certificate_number": "Số giấy chứng nhận",
    "valid_until": "Hiệu lực đến",
}
# Columns a template leaves out: the address in one cell is what provinces keep.
LEFT_OUT = {"commune", "district", "province", "commune_code"}


def template_xlsx(kind: str) -> bytes:
    fields = [f for f in kind_fields(kind) if f not in LEFT_OUT]
    required = set(KINDS[kind]["required"])
    book = Workbook()
    sheet = book.active
    sheet.title = "Danh sách"
    sheet.append([HEADINGS[f] for f in fields])
    sheet.append([FIELDS[f].example for f in fields])
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="E2EFDA")
    for index, key in enumerate(fields, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font = bold
        if key in required:
            cell.fill = fill
        sheet.column_dimensions[cell.column_letter].width = max(14, len(HEADINGS[key]) + 4)
    sheet.freeze_panes = "A2"
    guide = book.create_sheet("Hướng dẫn")
    guide.append([_("Column"), _("Field"), _("Required"), _("Example")])
    for key in fields:
        guide.append(
            [HEADINGS[key], _(FIELDS[key].label), _("yes") if key in required else "",
             FIELDS[key].example]
        )  # fmt: skip
    guide.append([])
    advice = _(
        "Replace the example row with your records. Addresses may be written the way before "
        "2025 (xã, huyện, tỉnh): they are matched to today's communes."
    )
    guide.append([advice])
    for row in guide.iter_rows(min_row=1, max_row=1):
        for cell in row:
            cell.font = bold
    guide.column_dimensions["A"].width = 22
    guide.column_dimensions["B"].width = 40
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
