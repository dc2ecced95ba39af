"""Reading a province's spreadsheet (.xlsx or .csv) into a plain table, or saying clearly
why it cannot be read. Pure: no Django, no database.

What is refused, with a sentence a person can act on: files of another type, encrypted
workbooks (and the old .xls format, which shares their container), cells holding formulas
(their stored values may be stale), merged cells in the header row, more rows than
`MAX_ROWS`, a cell longer than `MAX_CELL_CHARS`, and files without a header row.
"""

from __future__ import annotations

import csv
import datetime
import io
import unicodedata
import zipfile
from dataclasses import dataclass, field

MAX_ROWS = 50_000
MAX_CELL_CHARS = 5_000
MAX_COLUMNS = 60
HEADER_SEARCH_ROWS = 10  # the header may sit under a title or two
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # encrypted .xlsx, or old .xls
ZIP_SIGNATURE = b"PK\x03\x04"


def _(message: str) -> str:
    """Marks a message for translation (makemessages finds it); `text()` translates it."""
    return message


def translated(message: str, params: dict) -> str:
    """The message in the active language when Django is there, else in English."""
    try:
        from django.utils.translation import gettext

        message = gettext(message)
    except Exception:  # noqa: BLE001 (no Django settings: plain English)
        pass
    return message % params if params else message


class Problem(Exception):
    """Something a person must fix: a message marked for translation and its parameters;
    `text()` gives it in the active language."""

    def __init__(self, message: str, **params):
        super().__init__(message % params if params else message)
        self.message, self.params = message, params

    def text(self) -> str:
        return translated(self.message, self.params)


class FileProblem(Problem):
    """The file as a whole cannot be imported (`cell`: where, when a cell is the cause)."""

    def __init__(self, message: str, cell: str = "", **params):
        super().__init__(message, **({"cell": cell, **params} if cell else params))
        self.cell = cell


@dataclass
class Table:
    headers: list[str]
    rows: list[list]  # the values of each data row, as long as `headers`
    row_numbers: list[int]  # each data row's number in the file (1-based, as Excel shows)
    sheet: str = ""
    header_row: int = 1
    notes: list[str] = field(default_factory=list)

    def cell(self, row_index: int, column: int) -> str:
        """The Excel-style reference of a cell: "C12"."""
        return f"{column_letter(column)}{self.row_numbers[row_index]}"


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def read_table(content: bytes, name: str, *, header_words=()) -> Table:
    """The table in `content` (its first sheet for a workbook). `header_words`: folded
    words that start a header row's cells (two at least), to find it under a title."""
    if not content:
        raise FileProblem(_("The file is empty."))
    if content.startswith(OLE_SIGNATURE):
        raise FileProblem(
            _(
                "This file is encrypted with a password, or is an old Excel file (.xls): "
                "open it in Excel, remove the password and save it as .xlsx."
            )
        )
    if content.startswith(ZIP_SIGNATURE):
        return _read_xlsx(content, header_words)
    if name.lower().endswith((".xlsx", ".xlsm", ".xls")):
        raise FileProblem(_("This file is not a readable Excel workbook (.xlsx)."))
    if b"\x00" in content[:4096]:
        raise FileProblem(_("This is neither an Excel workbook (.xlsx) nor a CSV text file."))
    return _read_csv(content, header_words)


def _decode(content: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1258", "cp1252"):
        try:
            # Windows-1258 writes tone marks apart: composed again, as typed.
            return unicodedata.normalize("NFC", content.decode(encoding))
        except UnicodeDecodeError:
            continue
    raise FileProblem(_("The CSV file's text could not be read: save it as UTF-8."))


def _read_csv(content: bytes, header_words) -> Table:
    text = _decode(content)
    sample = text[:8192]
    try:  # only the delimiter is guessed: quotes are the standard ones, doubled inside
        delimiter = csv.Sniffer().sniff(sample, delimiters=",;\t").delimiter
    except csv.Error:
        delimiter = ","
    # A cell longer than the limit must reach the check below, which names it.
    previous = csv.field_size_limit(max(64 * 1024 * 1024, len(content) + 1))
    reader = csv.reader(io.StringIO(text), delimiter=delimiter, quotechar='"', doublequote=True)
    raw: list[tuple[int, list]] = []
    try:
        for number, values in enumerate(reader, start=1):
            if len(raw) > MAX_ROWS + HEADER_SEARCH_ROWS:
                raise _too_many()
            raw.append((number, values))
    except csv.Error as exc:
        raise FileProblem(
            _("The CSV file is malformed near line %(line)s."), line=reader.line_num
        ) from exc
    finally:
        csv.field_size_limit(previous)
    return _table(raw, header_words, sheet="")


def _too_many() -> FileProblem:
    return FileProblem(
        _("The file has more than %(max)s rows: split it into several files."), max=MAX_ROWS
    )


def _read_xlsx(content: bytes, header_words) -> Table:
    import openpyxl

    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = set(archive.namelist())
    except zipfile.BadZipFile:
        raise FileProblem(_("This file is not a readable Excel workbook (.xlsx).")) from None
    if "xl/workbook.xml" not in names:
        raise FileProblem(_("This is a zip archive, not an Excel workbook (.xlsx)."))
    if any(n.lower().endswith("vbaproject.bin") for n in names):
        raise FileProblem(_("This workbook holds macros: save it as a plain .xlsx first."))
    try:
        book = openpyxl.load_workbook(io.BytesIO(content), data_only=False, read_only=False)
        raw, sheet = _xlsx_rows(book)
    except FileProblem:
        raise
    except Exception as exc:  # noqa: BLE001 - a damaged part: XML, deflate, no sheet...
        raise FileProblem(
            _("The workbook could not be read (%(error)s)."), error=type(exc).__name__
        ) from None
    table = _table(raw, header_words, sheet=sheet.title)
    for merged in sheet.merged_cells.ranges:
        if merged.min_row <= table.header_row <= merged.max_row:
            raise FileProblem(
                _(
                    "The header row has merged cells (%(cell)s): unmerge them and give each "
                    "column its own heading."
                ),
                cell=merged.coord,
            )
    if len(book.worksheets) > 1:
        note = _("Only the first sheet, “%(sheet)s”, is read.")
        table.notes.append(translated(note, {"sheet": sheet.title}))
    return table


def _xlsx_rows(book):
    sheet = book.worksheets[0]
    if sheet.max_row > MAX_ROWS + HEADER_SEARCH_ROWS:
        raise _too_many()
    if sheet.max_column > MAX_COLUMNS * 4:
        raise FileProblem(
            _("The sheet has %(n)s columns: at most %(max)s."), n=sheet.max_column, max=MAX_COLUMNS
        )
    raw = []
    for number, cells in enumerate(sheet.iter_rows(), start=1):
        values = []
        for cell in cells:
            value = cell.value
            if cell.data_type == "f" or (isinstance(value, str) and value.startswith("=")):
                raise FileProblem(
                    _(
                        "Cell %(cell)s holds a formula: copy the sheet and paste it as values "
                        "only, then import that."
                    ),
                    cell=cell.coordinate,
                )
            values.append(value)
        raw.append((number, values))
    return raw, sheet


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else str(value)
    return str(value).strip()


def _table(raw: list[tuple[int, list]], header_words, *, sheet: str) -> Table:
    from .columns import fold_header

    raw = [(n, v) for n, v in raw if any(_text(x) for x in v)]
    if not raw:
        raise FileProblem(_("The file holds no rows."))
    header_at = 0
    if header_words:
        for i, (_n, values) in enumerate(raw[:HEADER_SEARCH_ROWS]):
            folded = [fold_header(_text(v)) for v in values]
            heading = [
                f for f in folded if any(f == w or f.startswith(w + " ") for w in header_words)
            ]
            if len(heading) >= 2:
                header_at = i
                break
    header_number, header_values = raw[header_at]
    headers = [_text(v) for v in header_values]
    while headers and not headers[-1]:
        headers.pop()
    if len([h for h in headers if h]) < 1:
        raise FileProblem(_("The first row holds no column headings."))
    if len(headers) > MAX_COLUMNS:
        raise FileProblem(
            _("The sheet has %(n)s columns: at most %(max)s."), n=len(headers), max=MAX_COLUMNS
        )
    seen = {}
    for index, heading in enumerate(headers):
        if heading and heading in seen:
            raise FileProblem(
                _("Two columns are headed “%(heading)s” (%(a)s and %(b)s): give each its own."),
                heading=heading,
                a=column_letter(seen[heading]),
                b=column_letter(index),
            )
        seen[heading] = index
    rows, numbers = [], []
    for number, values in raw[header_at + 1 :]:
        values = list(values[: len(headers)]) + [None] * (len(headers) - len(values))
        for column, value in enumerate(values):
            if isinstance(value, str) and len(value) > MAX_CELL_CHARS:
                raise FileProblem(
                    _("Cell %(cell)s holds %(n)s characters: at most %(max)s are read."),
                    cell=f"{column_letter(column)}{number}",
                    n=len(value),
                    max=MAX_CELL_CHARS,
                )
        rows.append(values)
        numbers.append(number)
    if len(rows) > MAX_ROWS:
        raise _too_many()
    return Table(headers, rows, numbers, sheet=sheet, header_row=header_number)
