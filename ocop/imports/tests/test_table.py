"""Reading a province's spreadsheet into a `Table` (ocop/imports/table.py), and the pure
helpers around it: cell parsers (values.py) and the column guess (columns.py). Every file
is built here, in memory; nothing touches the database."""

import csv
import datetime
import io
import re
import sys
import unicodedata
import zipfile

import pytest
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from ocop.imports import table as table_module
from ocop.imports import values
from ocop.imports.columns import HEADER_WORDS, fold_header, guess_mapping, missing_fields
from ocop.imports.table import MAX_ROWS, OLE_SIGNATURE, ZIP_SIGNATURE, FileProblem, Table
from ocop.imports.table import read_table as read

HEADER = ["STT", "Tên sản phẩm", "Chủ thể", "Hạng sao"]


def csv_bytes(rows) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


def xlsx_bytes(rows, edit=None, title="Danh sách") -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    if edit:
        edit(book, sheet)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def rezip(content: bytes, replace: dict) -> bytes:
    """The archive with some entries replaced or added."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as src, zipfile.ZipFile(out, "w") as dst:
        for name in src.namelist():
            dst.writestr(name, replace.pop(name, None) or src.read(name))
        for name, data in replace.items():
            dst.writestr(name, data)
    return out.getvalue()


def cp1258(text: str) -> bytes:
    """Vietnamese as old Windows tools save it: base letters (ê, ơ, ă…) precomposed, the
    five tone marks as combining characters (cp1258 has no precomposed "ế")."""
    tones = "\u0300\u0301\u0303\u0309\u0323"
    parts = []
    for char in text:
        split = unicodedata.normalize("NFD", char)
        base = unicodedata.normalize("NFC", "".join(c for c in split if c not in tones))
        parts.append(base + "".join(c for c in split if c in tones))
    return "".join(parts).encode("cp1258")


@pytest.fixture(autouse=True)
def english():
    """Messages are asserted in English; the project's default language is Vietnamese."""
    with translation.override("en"):
        yield


def problem(content: bytes, name: str, **kwargs) -> FileProblem:
    with pytest.raises(FileProblem) as caught:
        read(content, name, **kwargs)
    return caught.value


# --- Files that are read ---------------------------------------------------------------


def test_csv_with_bom():
    rows = [HEADER, ["1", "Chè", "HTX Tà Xùa", "4"], ["2", "Mận", "HTX Mộc Châu", "3"]]
    table = read(csv_bytes(rows), "danh-sach.csv")
    assert table.headers == HEADER  # no "\ufeff" glued to "STT"
    assert (table.rows, table.row_numbers, table.header_row) == (rows[1:], [2, 3], 1)
    assert table.cell(1, 2) == "C3"


ADDRESS = "Xã Tà Xùa, huyện Bắc Yên"


@pytest.mark.parametrize(
    "content",
    [
        f'Tên sản phẩm,Địa chỉ\r\nChè Shan Tuyết,"{ADDRESS}"\r\n'.encode("utf-8-sig"),
        f"Tên sản phẩm;Địa chỉ\r\nChè Shan Tuyết;{ADDRESS}\r\n".encode(),
        cp1258(f'Tên sản phẩm,Địa chỉ\r\nChè Shan Tuyết,"{ADDRESS}"\r\n'),
    ],
    ids=["utf-8 with BOM", "semicolons", "cp1258"],
)
def test_csv_encodings_and_delimiters(content):
    table = read(content, "danh-sach.csv")
    nfc = [unicodedata.normalize("NFC", v) for v in [*table.headers, *table.rows[0]]]
    assert nfc == ["Tên sản phẩm", "Địa chỉ", "Chè Shan Tuyết", ADDRESS]


def test_csv_blank_rows_skipped_short_rows_padded_long_rows_cut():
    rows = [["A", "B", "C"], ["1"], [], ["", " ", ""], ["2", "x", "y", "extra"]]
    table = read(csv_bytes(rows), "a.csv")
    assert table.rows == [["1", None, None], ["2", "x", "y"]]
    assert table.row_numbers == [2, 5]


def test_xlsx_under_a_title_and_a_blank_row():
    def merge_title(book, sheet):
        sheet.merge_cells("A1:D1")  # a merged title is fine: only the header row matters

    title = "DANH SÁCH SẢN PHẨM OCOP TỈNH SƠN LA NĂM 2024"
    rows = [[title], [], HEADER, [1, "Chè", "HTX Tà Xùa", 4], [], [2, "Mận", "HTX Mộc Châu"]]
    content = xlsx_bytes(rows, merge_title)
    table = read(content, "danh-sach.xlsx", header_words=HEADER_WORDS)
    assert (table.sheet, table.header_row, table.headers) == ("Danh sách", 3, HEADER)
    assert table.rows == [[1, "Chè", "HTX Tà Xùa", 4], [2, "Mận", "HTX Mộc Châu", None]]
    assert table.row_numbers == [4, 6]
    assert (table.cell(0, 1), table.cell(1, 3)) == ("B4", "D6")
    assert table.notes == []
    # Without the header words the merged title is taken for the header, and refused.
    assert problem(content, "danh-sach.xlsx").cell == "A1:D1"


def test_only_the_first_sheet_is_read_and_a_note_says_so():
    def second_sheet(book, sheet):
        book.create_sheet("Trang 2").append(["Khác", "Nữa"])

    table = read(xlsx_bytes([HEADER, [1, "Chè", "HTX", 4]], second_sheet), "a.xlsx")
    assert table.headers == HEADER
    assert len(table.notes) == 1 and "Danh sách" in table.notes[0]


# --- Files that are refused ------------------------------------------------------------


def _zip_of_text() -> bytes:
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("readme.txt", "hello")
    return archive.getvalue()


@pytest.mark.parametrize(
    "build, name, says",
    [
        (lambda: b"", "a.xlsx", "The file is empty."),
        (lambda: OLE_SIGNATURE + b"\x00" * 512, "a.xlsx", "encrypted with a password"),
        (lambda: OLE_SIGNATURE + b"\x00" * 512, "a.xls", "old Excel file (.xls)"),
        (_zip_of_text, "a.xlsx", "a zip archive, not an Excel workbook"),
        (lambda: xlsx_bytes([HEADER])[:300], "a.xlsx", "not a readable Excel workbook"),
        (lambda: b"A,B\r\n1,2\r\n", "a.xlsx", "not a readable Excel workbook"),
        (lambda: b"\x89PNG\r\n\x1a\n\x00\x00" + bytes(range(256)), "a.csv", "neither"),
        (
            lambda: rezip(xlsx_bytes([HEADER]), {"xl/vbaProject.bin": b"\x00" * 64}),
            "a.xlsm",
            "holds macros",
        ),
    ],
    ids=["empty", "encrypted", "xls", "zip", "truncated", "text", "binary", "macros"],
)
def test_file_refused(build, name, says):
    error = problem(build(), name)
    assert says in error.text() and error.cell == ""


def test_formula_cell_is_named():
    def formula(book, sheet):
        sheet["C3"] = "=A3+B3"

    error = problem(xlsx_bytes([["A", "B", "C"], [1, 2, 3], [4, 5]], formula), "a.xlsx")
    assert error.cell == "C3" and error.params == {"cell": "C3"}
    assert "Cell C3 holds a formula" in error.text()


def test_merged_cells_in_the_header_row():
    def merge(book, sheet):
        sheet.merge_cells("A1:B1")

    error = problem(xlsx_bytes([["Tên", "", "Chủ thể"], ["Chè", "", "HTX"]], merge), "a.xlsx")
    assert error.cell == "A1:B1" and "(A1:B1)" in error.text()


def test_two_columns_with_the_same_heading():
    error = problem(csv_bytes([["STT", "Tên", "Tên "], ["1", "a", "b"]]), "a.csv")
    assert error.params == {"heading": "Tên", "a": "B", "b": "C"}
    assert error.text() == "Two columns are headed “Tên” (B and C): give each its own."


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_row_limit_lowered(monkeypatch, kind):
    monkeypatch.setattr(table_module, "MAX_ROWS", 50)
    build = csv_bytes if kind == "csv" else xlsx_bytes
    name = f"a.{kind}"
    assert len(read(build([["A"], *[[str(i)] for i in range(50)]]), name).rows) == 50
    for count in (51, 200):  # just over the limit, and far over it (refused early)
        error = problem(build([["A"], *[[str(i)] for i in range(count)]]), name)
        assert error.params == {"max": 50} and "more than 50 rows" in error.text()


@pytest.mark.parametrize("count", [MAX_ROWS, MAX_ROWS + 1, 100_001])
def test_real_row_limit(count):
    content = ("Tên\r\n" + "x\r\n" * count).encode()
    if count <= MAX_ROWS:
        assert len(read(content, "a.csv").rows) == count
    else:
        assert problem(content, "a.csv").params == {"max": MAX_ROWS}


def test_one_megabyte_csv_cell_is_named():
    error = problem(csv_bytes([["A", "B"], ["x", "y" * 1_000_000]]), "a.csv")
    assert error.cell == "B2" and "B2" in error.text()


def test_long_xlsx_cell_is_named():
    # Beyond Excel's 32,767 characters; openpyxl writes it (cut to 32,767 on the way).
    error = problem(xlsx_bytes([["A", "B"], ["x", "y" * 40_000]]), "a.xlsx")
    assert error.cell == "B2" and "B2" in error.text()
    assert error.params["n"] > table_module.MAX_CELL_CHARS


def _damaged_deflate(content: bytes, entry: str) -> bytes:
    """The workbook with the compressed bytes of one entry overwritten."""
    with zipfile.ZipFile(io.BytesIO(content)) as zipped:
        offset = zipped.getinfo(entry).header_offset
    data = bytearray(content)
    start = offset + 30 + int.from_bytes(data[offset + 26 : offset + 28], "little")
    start += int.from_bytes(data[offset + 28 : offset + 30], "little")
    data[start : start + 4] = b"\xff" * 4  # an invalid deflate block type
    return bytes(data)


@pytest.mark.parametrize("damage", ["broken xml", "damaged deflate", "no worksheet"])
def test_damaged_workbook_is_a_file_problem(damage):
    good = xlsx_bytes([HEADER])
    if damage == "broken xml":
        content = rezip(good, {"xl/workbook.xml": b"<workbook"})
    elif damage == "damaged deflate":
        content = _damaged_deflate(good, "xl/worksheets/sheet1.xml")
    else:
        with zipfile.ZipFile(io.BytesIO(good)) as zipped:
            workbook = zipped.read("xl/workbook.xml").decode()
        workbook = re.sub("<sheets>.*</sheets>", "<sheets/>", workbook)
        content = rezip(good, {"xl/workbook.xml": workbook.encode()})
    problem(content, "a.xlsx")


@pytest.mark.parametrize(
    "row",
    [["'Chè Tà Xùa'", "HTX Tà Xùa"], ["Chè Tà Xùa", 'Loại "đặc biệt"']],
)
def test_csv_quotes_survive(row):
    assert read(csv_bytes([["Tên sản phẩm", "Ghi chú"], row]), "a.csv").rows == [row]


# --- Messages ----------------------------------------------------------------------------


def test_text_follows_the_active_language():
    error = problem(b"", "a.csv")
    assert error.text() == "The file is empty."
    with translation.override("vi"):
        assert error.text() == "Tệp không có nội dung."


def test_long_csv_cell_is_named_in_english_with_params(monkeypatch):
    error = problem(csv_bytes([["A", "B"], ["x", "y" * 6_000]]), "a.csv")
    assert error.cell == "B2"
    expected = "Cell B2 holds 6000 characters: at most 5000 are read."
    assert error.params == {"cell": "B2", "n": 6000, "max": 5000}
    assert error.text() == expected
    monkeypatch.setitem(sys.modules, "django.utils.translation", None)  # no Django at all
    assert error.text() == expected
    assert str(error) == expected


# --- Properties --------------------------------------------------------------------------

any_content = st.one_of(
    st.binary(max_size=2_000),
    st.binary(max_size=500).map(lambda b: ZIP_SIGNATURE + b),
    st.binary(max_size=500).map(lambda b: OLE_SIGNATURE + b),
    st.text(max_size=500).map(lambda t: t.encode("utf-8", "surrogatepass")),
)


@settings(max_examples=200, deadline=None)
@given(any_content, st.sampled_from(["a.csv", "a.xlsx", "a.xls", "a"]))
def test_any_bytes_give_a_table_or_a_file_problem(content, name):
    try:
        assert isinstance(read(content, name), Table)
    except FileProblem as error:
        assert error.text()


# Quotes are left out (see test_csv_quotes_survive), and so are ";" and tab: in a file of
# one column they make the delimiter truly ambiguous.
cell_text = st.text(
    st.characters(exclude_categories=("Cs",), exclude_characters="\x00\"';\t"), max_size=12
)


@st.composite
def sheets(draw):
    width = draw(st.integers(1, 6))
    heading = cell_text.filter(str.strip)
    header = draw(st.lists(heading, min_size=width, max_size=width, unique_by=str.strip))
    rows = draw(st.lists(st.lists(cell_text, min_size=width, max_size=width), max_size=8))
    return header, rows


@settings(max_examples=200, deadline=None)
@given(sheets())
def test_csv_rows_round_trip(sheet):
    header, rows = sheet
    table = read(csv_bytes([header, *rows]), "a.csv")

    def nfc(value: str) -> str:  # the reader composes text (NFC), as typed
        return unicodedata.normalize("NFC", value).strip()

    assert table.headers == [nfc(h) for h in header]
    kept = [row for row in rows if any(v.strip() for v in row)]
    assert [[(v or "").strip() for v in row] for row in table.rows] == [
        [nfc(v) for v in row] for row in kept
    ]


# --- values.py ---------------------------------------------------------------------------

SEPT_16 = datetime.date(2024, 9, 16)


@pytest.mark.parametrize(
    "parse, value, expected",
    [
        *[(values.stars, v, n) for v, n in [("3", 3), (4.0, 4), ("4 sao", 4), ("★★★", 3)]],
        (values.stars, "5 sao (quốc gia)", 5),
        *[(values.date, v, SEPT_16) for v in [45551, 45551.0, "16/09/2024", "16-9-2024"]],
        *[(values.date, v, SEPT_16) for v in ["2024-09-16", "ngày 16 tháng 9 năm 2024"]],
        (values.date, "03/04/2024", datetime.date(2024, 4, 3)),  # day first
        (values.date_in, "1234/QĐ-UBND ngày 16/9/2024", SEPT_16),
        (values.date_in, "1234/QĐ-UBND", None),
        (values.date_in, "số 1/QĐ ngày 31/02/2024", None),
        (values.decision_number, "Quyết định số 1234/QĐ-UBND ngày 16/9/2024", "1234/QĐ-UBND"),
        (values.decision_number, "Số: 1234 / qd - ubnd", "1234/QĐ-UBND"),
        (values.decision_number, "912", "912"),
        (values.decision_number, 912.0, "912"),
        (values.score, "78,5", 78.5),
        (values.score, 90, 90),
        (values.score, "", None),
    ],
)
def test_value_read(parse, value, expected):
    assert parse(value) == expected


@pytest.mark.parametrize(
    "parse, value, says",
    [
        (values.stars, "2 sao", "2 stars is not a recognition"),
        (values.stars, "abc", "“abc” is not a star class"),
        (values.stars, "", "empty"),
        (values.date, "31/02/2024", "not a real date"),
        (values.date, "hôm qua", "“hôm qua” is not a date"),
        (values.decision_number, "abc", "“abc” is not a decision number"),
        (values.score, 120, "not 120"),
        (values.score, "abc", "not a score"),
    ],
)
def test_value_refused(parse, value, says):
    with pytest.raises(values.BadValue) as caught:
        parse(value)
    assert says in caught.value.text()


@pytest.mark.parametrize(
    "column, name, expected",
    [
        ("Hợp tác xã", "", "cooperative"),
        ("", "HTX Chè Shan Tuyết Tà Xùa", "cooperative"),
        (None, "Công ty TNHH Trà Mộc Châu", "enterprise"),
        ("", "Tổ hợp tác sản xuất mật ong", "cooperative_group"),
        ("", "Hộ kinh doanh Mứt Thu Hà", "household"),
    ],
)
def test_producer_type(column, name, expected):
    assert values.producer_type(column, name) == expected


@pytest.mark.parametrize("column, says", [("", "add a type column"), ("Nhóm bạn", "Nhóm bạn")])
def test_producer_type_unknown(column, says):
    with pytest.raises(values.BadValue) as caught:
        values.producer_type(column, "Nguyễn Văn An")
    assert says in caught.value.text()


# --- columns.py --------------------------------------------------------------------------

HEADINGS = ["STT", "Tên sản phẩm", "Chủ thể", "Mã số thuế", "Địa chỉ", "Hạng sao", "Số QĐ",
            "Ngày quyết định"]  # fmt: skip


def test_fold_header():
    assert fold_header("Tên Chủ thể (*)") == "ten chu the"
    assert [fold_header(h) for h in ("Địa chỉ", "  Số QĐ ", None)] == ["dia chi", "so qd", ""]


def test_guess_mapping():
    mapping = guess_mapping(HEADINGS, "decisions")
    fields = "product_name producer_name tax_code address stars decision_number decision_date"
    assert mapping == {key: i for i, key in enumerate(fields.split(), start=1)}  # none for STT
    assert missing_fields(mapping, "decisions") == ["product_group"]
    del mapping["decision_date"]  # the date may be written in the number's column
    assert missing_fields(mapping, "decisions") == ["product_group"]
    del mapping["decision_number"]
    assert missing_fields(mapping, "decisions")[1:] == ["decision_number", "decision_date"]


def test_remembered_mapping_comes_first():
    headings = ["Đơn vị", "Chủ thể", "Mặt hàng"]
    assert guess_mapping(headings, "products")["producer_name"] == 0
    remembered = {"producer_name": "Chủ thể", "product_name": "Mặt hàng", "email": "Thư"}
    mapping = guess_mapping(headings, "products", remembered)
    assert (mapping["producer_name"], mapping["product_name"]) == (1, 2)
    assert "email" not in mapping  # its remembered heading is not in this file
