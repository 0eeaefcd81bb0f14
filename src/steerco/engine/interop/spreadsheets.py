"""Spreadsheets in and out: the one place that reads and writes CSV and Excel (XLSX) files.

Every import and export of a table (plan task lists, project logs, project lists, the risk
register; timesheets and actuals next) goes through here, so they accept the same files,
refuse the same files with the same words and write files that are safe to open.

Reading (:func:`read_sheet`):

* **Format.** A file starting with the zip signature is an XLSX workbook whatever its name; an
  old binary Excel file (``.xls``) is refused with a hint; a name ending ``.xlsx``/``.xlsm`` on
  anything else is refused; everything else is CSV text.
* **Text** (:func:`decode_text`): UTF-8 with or without a byte-order mark, UTF-16 with a BOM
  (Excel's "Unicode Text"), else Windows-1252 (Excel's "CSV" on Western Windows). Text holding
  NUL characters is binary and refused.
* **Separator** (:func:`detect_separator`): comma, semicolon (Excel in much of Europe) or tab,
  judged on the heading row alone (see there).
* **Limits**: at most :data:`MAX_BYTES` bytes and :data:`MAX_ROWS` rows holding a value below
  the heading (callers may pass tighter limits); cells right of :data:`MAX_COLUMNS` are ignored.
* **Zip bombs** (:func:`check_xlsx_archive`): an XLSX is a zip, so before openpyxl opens it the
  archive's entry count, total unpacked size and per-entry packing ratio are checked.
* **Sheet sizes** (:func:`check_xlsx_rows`): before openpyxl opens a workbook, each sheet's
  declared size (its ``<dimension>``), or failing that its count of rows, is checked against
  the row limit. openpyxl parses a sheet without a declared size to its end merely to open it,
  so a sheet of a million short rows (a few hundred kilobytes zipped) is refused up front.
* **The heading first**: the caller's ``check_heading`` judges the heading row as soon as it
  is found, so a file with the wrong columns is refused before its rows are read; reading
  stops at the first row over the limit.
* **Rows** keep the number the spreadsheet program shows (the file's first row is 1), and blank
  rows are dropped but still counted in the numbering.

Writing (:func:`write_csv`, :func:`write_xlsx`): CSV as UTF-8 with a BOM (so Excel detects the
encoding), XLSX with a bold, frozen, filterable heading row and column widths. Text that a
spreadsheet would run as a formula is neutralised in both (:func:`neutralise_formula`), while
numbers stay numbers.

Every problem with a file raises :class:`SpreadsheetError`, whose message a user can act on.
No Django here: callers translate the error into their own exception types.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
import zipfile
import zlib
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, NamedTuple

#: Largest file read, in bytes (10 MiB).
MAX_BYTES = 10 * 1024 * 1024
#: Rows holding a value below the heading row, at most (callers may pass fewer).
MAX_ROWS = 100_000
#: Blank rows tolerated in a sheet: a workbook formatted far below its data holds thousands,
#: each of which openpyxl must still parse, so beyond this the file is refused, not read.
MAX_BLANK_ROWS = 50_000
#: Columns read from each row; cells further right are ignored.
MAX_COLUMNS = 256
#: Rows searched for the heading row (a title or notes may sit above it).
HEADING_SEARCH_ROWS = 20
#: Bytes all parts of an XLSX archive may unpack to together (256 MiB).
MAX_XLSX_UNCOMPRESSED_BYTES = 256 * 1024 * 1024
#: Parts an XLSX archive may hold; a real workbook has tens (Apache POI's default is 1,000).
MAX_XLSX_ENTRIES = 1_000
#: How many times its packed size one part may unpack to once it is over
#: :data:`XLSX_RATIO_GRACE_BYTES`; worksheets pack 10–50×, zip bombs near 1,000× (the limit
#: is Apache POI's).
MAX_XLSX_RATIO = 100
#: Parts smaller than this (unpacked bytes) are not ratio-checked: tiny parts pack wildly.
XLSX_RATIO_GRACE_BYTES = 1024 * 1024
#: How far into a worksheet its ``<dimension>`` is looked for: it comes before the rows,
#: after a few short elements (sheet properties, views).
XLSX_HEAD_BYTES = 64 * 1024
#: The fewest bytes a row takes in a worksheet (``<row/>``): parts too small to hold more
#: rows than a read accepts are not scanned.
_MIN_ROW_BYTES = 6
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\b[^>]*?\bref="[A-Za-z$]*(\d+)(?::[A-Za-z$]*(\d+))?"')
_ROW_TAG = re.compile(rb"<(?:\w+:)?row[\s/>]")

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

#: The separators a CSV file may use, in order of preference when the heading row is ambiguous.
SEPARATORS = (",", ";", "\t")
#: A text cell starting with one of these is run as a formula by spreadsheet programs (OWASP:
#: "CSV injection"), so exports neutralise it.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

_ZIP_SIGNATURE = b"PK\x03\x04"
_OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls and other pre-2007 Office files
_UTF8_BOM = b"\xef\xbb\xbf"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_MIB = 1024 * 1024
#: Characters Excel cannot hold in a cell (control characters other than tab, LF, CR).
_ILLEGAL_XLSX = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


class SpreadsheetError(ValueError):
    """A file cannot be read as a spreadsheet; ``message`` says why and what to do."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# --------------------------------------------------------------------------- reading: checks
def _size_words(limit: int) -> str:
    if limit % _MIB == 0:
        return f"{limit // _MIB} MB ({limit:,} bytes)"
    return f"{limit:,} bytes"


def check_size(data: bytes, *, max_bytes: int = MAX_BYTES) -> None:
    """Refuse ``data`` longer than ``max_bytes`` bytes, before any parsing."""
    if len(data) > max_bytes:
        raise SpreadsheetError(
            f"The file is {len(data):,} bytes, larger than the limit of {_size_words(max_bytes)}; "
            "split it into smaller files."
        )


def sheet_format(data: bytes, name: str = "") -> str:
    """``"xlsx"`` or ``"csv"`` for ``data`` uploaded as ``name`` (a file name, or just
    ``"csv"``/``"xlsx"``): the content decides, the name only when the content cannot."""
    name = name.strip().lower()
    if data.startswith(_OLE_SIGNATURE) or name.endswith(".xls") or name == "xls":
        raise SpreadsheetError(
            "This is an old-style Excel file (.xls); save it as an Excel Workbook (.xlsx)."
        )
    if data.startswith(_ZIP_SIGNATURE):
        return "xlsx"
    if name.endswith((".xlsx", ".xlsm")) or name in ("xlsx", "xlsm"):
        raise SpreadsheetError(
            "The file is not an Excel workbook (.xlsx); save it from Excel as 'Excel Workbook' "
            "or as CSV."
        )
    return "csv"


def check_xlsx_archive(
    data: bytes,
    *,
    max_uncompressed_bytes: int | None = None,
    max_entries: int | None = None,
    max_ratio: float | None = None,
) -> None:
    """Refuse an XLSX archive that would unpack to too much (a "zip bomb"), before openpyxl
    opens it: more than ``max_entries`` parts, more than ``max_uncompressed_bytes`` bytes in
    all, or one part over :data:`XLSX_RATIO_GRACE_BYTES` unpacking to more than ``max_ratio``
    times its packed size. Limits default to the module's ``MAX_XLSX_*`` values.

    The sizes checked are those the archive declares; Python's zipfile never unpacks a part
    past its declared size (it stops, then fails the CRC check), so a lying header cannot
    get round this.
    """
    limit = max_uncompressed_bytes
    if limit is None:  # read when called, so a test may lower the module's limit
        limit = MAX_XLSX_UNCOMPRESSED_BYTES
    most_entries = MAX_XLSX_ENTRIES if max_entries is None else max_entries
    ratio_limit = MAX_XLSX_RATIO if max_ratio is None else max_ratio
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError) as error:
        raise SpreadsheetError(
            "The file is not a valid Excel workbook (.xlsx); save it again from Excel as "
            "'Excel Workbook' or as CSV."
        ) from error
    if len(entries) > most_entries:
        raise SpreadsheetError(
            f"The workbook holds {len(entries):,} parts; the limit is {most_entries:,}. "
            "Save the sheet alone as a new workbook or as CSV."
        )
    total = sum(entry.file_size for entry in entries)
    if total > limit:
        raise SpreadsheetError(
            f"The workbook unpacks to {total:,} bytes; the limit is {limit:,} bytes. "
            "Keep only the sheet you are importing in it, or save it as CSV."
        )
    for entry in entries:
        if entry.file_size > XLSX_RATIO_GRACE_BYTES and entry.file_size > ratio_limit * max(
            entry.compress_size, 1
        ):
            raise SpreadsheetError(
                f"Part '{entry.filename[:80]}' of the workbook unpacks to "
                f"{entry.file_size // max(entry.compress_size, 1):,} times its packed size "
                f"(the limit is {ratio_limit:,}), as a zip bomb does; save the workbook again "
                "from Excel or as CSV."
            )


def _sheet_rows(archive: zipfile.ZipFile, entry: zipfile.ZipInfo, most: int) -> tuple[int, bool]:
    """The rows of one worksheet part, and whether that is its declared size: the last row
    of its ``<dimension>`` when it has one, else its row elements counted as the part is
    unpacked, a megabyte at a time, stopping once there are more than ``most``."""
    with archive.open(entry) as part:
        head = part.read(XLSX_HEAD_BYTES)
        rows_start = head.find(b"sheetData")
        declared = _DIMENSION.search(head, 0, rows_start if rows_start >= 0 else len(head))
        if declared is not None:
            return int(declared.group(2) or declared.group(1)), True
        if entry.file_size <= most * _MIN_ROW_BYTES:
            return 0, False  # too small to hold more rows than that
        count, pending, chunk = 0, b"", head
        while chunk:
            buffer = pending + chunk
            cut = buffer.rfind(b"<")  # a tag may be cut in two at the chunk's end
            if cut < 0:
                cut = len(buffer)
            count += len(_ROW_TAG.findall(buffer, 0, cut))
            if count > most:
                break
            pending, chunk = buffer[cut:], part.read(_MIB)
        count += len(_ROW_TAG.findall(pending))
        return count, False


def check_xlsx_rows(data: bytes, *, max_rows: int = MAX_ROWS) -> None:
    """Refuse a workbook with a sheet longer than a read allowing ``max_rows`` rows of data
    could accept (those, the rows above the heading and :data:`MAX_BLANK_ROWS` empty rows),
    before openpyxl opens it: opening a sheet that declares no size parses it to the end.

    A sheet's size is its ``<dimension>`` where it declares one, else its rows counted
    (cheaply: the unpacked XML is searched, not parsed). Every worksheet counts, since
    openpyxl opens them all. A dimension that understates the rows is caught while reading.
    """
    most = max_rows + MAX_BLANK_ROWS + HEADING_SEARCH_ROWS
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for entry in archive.infolist():
                if not entry.filename.endswith(".xml"):
                    continue
                rows, declared = _sheet_rows(archive, entry, most)
                if rows <= most:
                    continue
                size = f"{rows:,} rows" if declared else f"more than {most:,} rows"
                raise SpreadsheetError(
                    f"A sheet of the workbook has {size}; at most {max_rows:,} rows of data "
                    f"(and {MAX_BLANK_ROWS:,} empty rows) can be imported. Split it into "
                    "smaller files, or keep only the sheet you are importing and delete the "
                    "empty rows below its data."
                )
    except SpreadsheetError:
        raise
    except (zipfile.BadZipFile, zlib.error, ValueError, OSError, EOFError) as error:
        raise SpreadsheetError(
            "The file is not a valid Excel workbook (.xlsx); save it again from Excel as "
            "'Excel Workbook' or as CSV."
        ) from error


# --------------------------------------------------------------------------- reading: text
def decode_text(data: bytes) -> str:
    """The text of a CSV file's ``data``: UTF-16 when it starts with a UTF-16 byte-order mark,
    else UTF-8 (a UTF-8 BOM is dropped), else Windows-1252 (what Excel's plain "CSV" writes on
    Western Windows; Latin-1 text reads the same except in 0x80–0x9F, which Latin-1 files
    do not use for text). Raises :class:`SpreadsheetError` for bytes none of these decode
    and for text holding NUL characters, which no CSV file contains.
    """
    if data.startswith(_UTF16_BOMS):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as error:
            raise SpreadsheetError("The file says it is UTF-16 text but is not.") from error
    else:
        if data.startswith(_UTF8_BOM):
            data = data[len(_UTF8_BOM) :]
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            try:
                text = data.decode("cp1252")
            except UnicodeDecodeError as error:
                raise SpreadsheetError(
                    "The file is not text in UTF-8, UTF-16 or Windows-1252; save it as "
                    "'CSV UTF-8 (comma delimited)' or as an Excel workbook (.xlsx)."
                ) from error
    if "\x00" in text:
        raise SpreadsheetError(
            "The file contains binary data, so it is not a spreadsheet we can read: save it "
            "as CSV or as an Excel workbook (.xlsx)."
        )
    return text


def _lines(text: str) -> Iterator[str]:
    """The lines of ``text`` that hold anything, one at a time, split where the csv module
    splits them (``str.splitlines`` would copy every line first)."""
    return (match.group() for match in re.finditer(r"[^\r\n]+", text))


def _split(line: str, separator: str) -> list[str]:
    try:
        return next(csv.reader([line], delimiter=separator), [])
    except csv.Error:
        return [line]


def detect_separator(text: str, *, is_heading: Callable[[str], bool] | None = None) -> str:
    """The separator of CSV ``text``: ``","``, ``";"`` or ``"\\t"``, judged on the heading row.

    The heading row is the first line that splits into two cells or more under some
    separator: blank lines (empty once spaces and separators are removed, as Excel writes
    ``;;;`` for an empty row) and one-cell lines (a title above the table) are skipped.
    On that line the separator finding the most cells that ``is_heading`` recognises wins,
    then the one giving the most cells; ties go to the earlier of :data:`SEPARATORS`.
    Comma when no line has two cells. Only the lines where a heading row can be are looked
    at: the first :data:`HEADING_SEARCH_ROWS` that hold anything, past at most
    :data:`MAX_BLANK_ROWS` blank ones; a file of a million one-cell lines is not split three
    million times to find no heading.
    """
    blank = filled = 0
    for line in _lines(text):
        if not line.strip(" " + "".join(SEPARATORS)):
            blank += 1
            if blank > MAX_BLANK_ROWS:
                break
            continue
        filled += 1
        if filled > HEADING_SEARCH_ROWS:
            break
        best, best_score = SEPARATORS[0], (-1, -1)
        for separator in SEPARATORS:
            cells = _split(line, separator)
            known = sum(1 for cell in cells if is_heading(cell)) if is_heading else 0
            score = (known, len(cells))
            if score > best_score:
                best, best_score = separator, score
        if best_score[1] >= 2:
            return best
    return SEPARATORS[0]


# --------------------------------------------------------------------------- reading: rows
class Row(NamedTuple):
    """One row of a sheet: its ``number`` as the spreadsheet program shows it (the file's
    first row is 1) and its ``cells``, at most :data:`MAX_COLUMNS`. CSV cells are strings;
    XLSX cells are as :func:`xlsx_cell_value` gives them (None for an empty cell). A row may
    hold fewer cells than the heading: the missing ones are empty."""

    number: int
    cells: tuple[Any, ...]


@dataclass(slots=True)
class Sheet:
    """What :func:`read_sheet` found: the ``heading`` row (None when no row within
    :data:`HEADING_SEARCH_ROWS` passed the caller's test; ``first`` is then the first row
    that held anything, for the message) and the ``rows`` below it that hold a value."""

    format: str
    title: str
    heading: Row | None
    rows: list[Row] = field(default_factory=list)
    first: Row | None = None


def is_blank(value: Any) -> bool:
    """True for an empty cell: None or only whitespace."""
    return value is None or (isinstance(value, str) and not value.strip())


def _is_blank_row(cells: Sequence[Any]) -> bool:
    return all(is_blank(cell) for cell in cells)


def plain_number(value: float) -> str:
    """``value`` with no trailing zeros and no exponent (``1.5``, ``2``, ``33.333333333333336``)."""
    value = float(value)
    if value.is_integer():
        return str(int(value))
    text = repr(value)
    if "e" in text:
        text = f"{value:.12f}".rstrip("0").rstrip(".")
    return text


def xlsx_cell_value(cell: Any) -> Any:
    """An openpyxl cell's value as the user sees it: a number formatted as a percentage is the
    text ``"50%"``; a date-time whose format shows no time is a ``dt.date`` when at midnight
    (Excel has no date type); booleans, numbers, text and date-times are kept as they are."""
    value = cell.value
    if value is None or isinstance(value, str | bool):
        return value  # the common case, decided without reading the cell's style
    number_format = (getattr(cell, "number_format", None) or "").lower()
    if isinstance(value, int | float) and "%" in number_format and math.isfinite(value):
        return f"{plain_number(round(float(value) * 100, 10))}%"
    if isinstance(value, dt.datetime) and "h" not in number_format:
        return value.date() if value.time() == dt.time(0, 0) else value
    return value


def _too_many_rows(max_rows: int) -> SpreadsheetError:
    return SpreadsheetError(
        f"The file has more than {max_rows:,} rows; split it into smaller files."
    )


def _too_many_blank_rows() -> SpreadsheetError:
    return SpreadsheetError(
        f"The sheet has more than {MAX_BLANK_ROWS:,} empty rows; delete the empty rows "
        "(formatted but unused) below the data, or save it as CSV."
    )


def _collect(
    rows: Iterable[tuple[int, Sequence[Any]]],
    *,
    format: str,
    title: str,
    max_rows: int,
    is_heading_row: Callable[[Sequence[Any]], bool],
    check_heading: Callable[[Row], None] | None = None,
) -> Sheet:
    """Find the heading among the first rows, have ``check_heading`` judge it before any row
    below it is read, then keep the rows below it holding a value, reading at most one row
    past ``max_rows``."""
    sheet = Sheet(format=format, title=title, heading=None)
    blank = 0
    for number, cells in rows:
        if _is_blank_row(cells):
            blank += 1
            if blank > MAX_BLANK_ROWS:
                raise _too_many_blank_rows()
            continue
        row = Row(number, tuple(cells))
        if sheet.heading is None:
            if sheet.first is None:
                sheet.first = row
            if is_heading_row(row.cells):
                sheet.heading = row
                if check_heading is not None:
                    check_heading(row)
                continue
            if number >= HEADING_SEARCH_ROWS:
                break
            continue
        if len(sheet.rows) >= max_rows:
            raise _too_many_rows(max_rows)
        sheet.rows.append(row)
    if sheet.first is None:
        raise SpreadsheetError("The file is empty.")
    return sheet


def _csv_rows(text: str, separator: str) -> Iterator[tuple[int, list[str]]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
    number = 0
    try:
        for number, cells in enumerate(reader, start=1):
            yield number, cells[:MAX_COLUMNS]
    except csv.Error as error:
        raise SpreadsheetError(f"Row {number + 1} is not valid CSV ({error}).") from error


def _worksheet_rows(worksheet: Any, limit: int | None = None) -> Iterator[tuple[int, list[Any]]]:
    # A sheet written in write-only mode (ours among them) declares no size: then each row is
    # as wide as its last cell, rather than padded to MAX_COLUMNS cells to convert.
    width = min(worksheet.max_column, MAX_COLUMNS) if worksheet.max_column else None
    for number, cells in enumerate(worksheet.iter_rows(min_row=1, max_col=width), start=1):
        if limit is not None and number > limit:
            return
        yield number, [xlsx_cell_value(cell) for cell in cells[:MAX_COLUMNS]]


def _normal_title(title: str) -> str:
    return re.sub(r"\s+", " ", title.replace("_", " ")).strip().casefold()


def _read_xlsx(
    data: bytes,
    *,
    max_rows: int,
    is_heading_row: Callable[[Sequence[Any]], bool],
    sheet_names: Collection[str],
    check_heading: Callable[[Row], None] | None,
) -> Sheet:
    check_xlsx_archive(data)
    check_xlsx_rows(data, max_rows=max_rows)
    import openpyxl  # here, so that CSV-only callers never pay for importing it

    unreadable = "The Excel workbook cannot be read ({}); save it again from Excel, or as CSV."
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many types on malformed parts
        raise SpreadsheetError(unreadable.format(type(error).__name__)) from error
    try:
        worksheets = workbook.worksheets
        if not worksheets:
            raise SpreadsheetError("The workbook has no worksheets.")
        wanted = {_normal_title(name) for name in sheet_names}
        chosen = next((ws for ws in worksheets if _normal_title(ws.title) in wanted), None)
        if chosen is None:
            chosen = next(
                (
                    ws
                    for ws in worksheets
                    if any(
                        not _is_blank_row(cells) and is_heading_row(cells)
                        for _, cells in _worksheet_rows(ws, HEADING_SEARCH_ROWS)
                    )
                ),
                worksheets[0],
            )
        return _collect(
            _worksheet_rows(chosen),
            format="xlsx",
            title=chosen.title,
            max_rows=max_rows,
            is_heading_row=is_heading_row,
            check_heading=check_heading,
        )
    except SpreadsheetError:
        raise
    except Exception as error:
        raise SpreadsheetError(unreadable.format(type(error).__name__)) from error
    finally:
        workbook.close()


def _any_row(cells: Sequence[Any]) -> bool:
    return True


def read_sheet(
    data: bytes,
    *,
    name: str = "",
    max_bytes: int = MAX_BYTES,
    max_rows: int = MAX_ROWS,
    is_heading: Callable[[str], bool] | None = None,
    is_heading_row: Callable[[Sequence[Any]], bool] | None = None,
    check_heading: Callable[[Row], None] | None = None,
    sheet_names: Collection[str] = (),
) -> Sheet:
    """Read an uploaded CSV or XLSX file (``data``, uploaded as ``name``) into a :class:`Sheet`.

    ``max_bytes`` (bytes) and ``max_rows`` (rows holding a value below the heading) may be
    tighter than the defaults, not looser. ``is_heading`` tells whether a cell's text names a
    column the caller knows; it helps choose a CSV file's separator. ``is_heading_row`` picks
    the heading row among the first :data:`HEADING_SEARCH_ROWS` rows holding anything
    (default: the first of them). ``check_heading`` is called with the heading row as soon
    as it is found, before any row below it is read: it raises :class:`SpreadsheetError` to
    refuse a file whose columns are not what the caller expects, so that such a file costs
    no more than its first rows. In a workbook, the first worksheet titled one of
    ``sheet_names`` is read, else the first whose heading row is found, else the first.

    Raises :class:`SpreadsheetError` when the file is too large, not a spreadsheet, not
    decodable, a zip bomb, empty, has too many rows (a workbook's sheets are measured before
    they are opened; reading stops at the first row over ``max_rows``), or when
    ``check_heading`` refuses its heading.
    """
    if not isinstance(data, bytes | bytearray | memoryview):
        raise SpreadsheetError("The spreadsheet must be given as the uploaded file's bytes.")
    if max_bytes > MAX_BYTES or max_rows > MAX_ROWS:
        raise ValueError(f"Limits may be tightened, not loosened: {MAX_BYTES=}, {MAX_ROWS=}.")
    data = bytes(data)
    check_size(data, max_bytes=max_bytes)
    if not data.strip():
        raise SpreadsheetError("The file is empty.")
    heading_row = is_heading_row or _any_row
    if sheet_format(data, name) == "xlsx":
        return _read_xlsx(
            data,
            max_rows=max_rows,
            is_heading_row=heading_row,
            sheet_names=sheet_names,
            check_heading=check_heading,
        )
    text = decode_text(data)
    if not text.strip(" \r\n" + "".join(SEPARATORS)):
        raise SpreadsheetError("The file is empty.")  # only separators: Excel's empty rows
    separator = detect_separator(text, is_heading=is_heading)
    return _collect(
        _csv_rows(text, separator),
        format="csv",
        title="",
        max_rows=max_rows,
        is_heading_row=heading_row,
        check_heading=check_heading,
    )


# --------------------------------------------------------------------------- formulas
def neutralise_formula(text: str) -> str:
    """``text`` with an apostrophe in front when a spreadsheet would run it as a formula
    (it starts with one of :data:`FORMULA_STARTS`), as OWASP advises for CSV files; the
    apostrophe is what Excel itself puts before text typed as ``'=...``."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def restore_formula_text(text: str) -> str:
    """Undo :func:`neutralise_formula` on an imported cell, so an exported file imports back
    to the same text."""
    if len(text) > 1 and text[0] == "'" and text[1] in FORMULA_STARTS:
        return text[1:]
    return text


# --------------------------------------------------------------------------- writing
def format_datetime(moment: dt.datetime) -> str:
    """``YYYY-MM-DD HH:MM``, with ``:SS`` only when the seconds are not zero."""
    return moment.strftime("%Y-%m-%d %H:%M:%S" if moment.second else "%Y-%m-%d %H:%M")


def csv_cell(value: Any) -> str:
    """One value as CSV text: numbers as numbers (floats without a trailing ``.0``, never
    neutralised, even when negative), dates as ISO ``YYYY-MM-DD``, date-times as
    :func:`format_datetime`, None as empty, everything else as neutralised text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return plain_number(value) if math.isfinite(value) else str(value)
    if isinstance(value, int | Decimal):
        return str(value)
    if isinstance(value, dt.datetime):
        return format_datetime(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return neutralise_formula(str(value))


def write_csv(headings: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """A CSV file: UTF-8 with a byte-order mark (so Excel detects the encoding), commas,
    CRLF line ends, the ``headings`` row then one line per row, cells as :func:`csv_cell`.
    ``rows`` is consumed once, in order (a generator may report progress)."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([csv_cell(heading) for heading in headings])
    for row in rows:
        writer.writerow([csv_cell(value) for value in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


#: Column width (characters) when a column names none.
DEFAULT_WIDTH = 16


@dataclass(frozen=True, slots=True)
class Column:
    """A column written to a workbook: its ``heading``, ``width`` in characters, and whether
    its cells ``wrap`` (long text, top-aligned)."""

    heading: str
    width: float = DEFAULT_WIDTH
    wrap: bool = False


@dataclass(slots=True)
class Worksheet:
    """One worksheet to write: its ``title`` (made valid for Excel), ``columns`` and ``rows``
    of values (text, numbers, dates, date-times, booleans or None) in column order."""

    title: str
    columns: Sequence[Column]
    rows: Iterable[Sequence[Any]]


def sheet_title(title: str) -> str:
    """``title`` as Excel accepts a sheet name: none of ``[]:*?/\\``, at most 31 characters."""
    return re.sub(r"[\[\]:*?/\\]", " ", str(title))[:31].strip() or "Sheet"


def write_xlsx(
    worksheets: Sequence[Worksheet],
    *,
    title: str = "",
    created: dt.datetime | None = None,
) -> bytes:
    """An Excel workbook with one sheet per :class:`Worksheet`: a bold heading row that stays
    in view (frozen) and filters, the columns' widths, real numbers and dates (shown
    ``yyyy-mm-dd``, date-times ``yyyy-mm-dd hh:mm``). Text Excel would run as a formula is
    stored as text marked as Excel marks ``'=...`` typed in a cell; control characters Excel
    cannot hold are dropped. ``created`` is a naive UTC time for the document properties.
    """
    import openpyxl
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    bold = Font(bold=True)
    wrapped = Alignment(wrap_text=True, vertical="top")

    def cell_of(sheet: Any, value: Any, *, wrap: bool = False, heading: bool = False) -> Any:
        """The value as written: as it is, or a cell object where it needs a style."""
        if isinstance(value, str):
            value = _ILLEGAL_XLSX.sub("", value)
        formula_like = isinstance(value, str) and value.startswith(FORMULA_STARTS)
        styled = formula_like or wrap or heading or isinstance(value, dt.date)
        if not styled:
            return value
        cell = WriteOnlyCell(sheet, value=value)
        if formula_like:
            # openpyxl would store "=..." as a formula; keep it text, and mark it as Excel
            # marks a typed "'=..." so that editing the cell keeps it text.
            cell.data_type = "s"
            cell.quotePrefix = True
        elif isinstance(value, dt.datetime):
            cell.number_format = "yyyy-mm-dd hh:mm"
        elif isinstance(value, dt.date):
            cell.number_format = "yyyy-mm-dd"
        if wrap:
            cell.alignment = wrapped
        if heading:
            cell.font = bold
        return cell

    # Write-only mode streams rows to the file: a 100,000-row sheet needs no cell objects kept.
    workbook = openpyxl.Workbook(write_only=True)
    for spec in worksheets or [Worksheet("Sheet", [], [])]:
        sheet = workbook.create_sheet(sheet_title(spec.title))
        for index, column in enumerate(spec.columns, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = column.width
        sheet.freeze_panes = "A2"  # before the rows: the sheet's view is written first
        sheet.append([cell_of(sheet, str(column.heading), heading=True) for column in spec.columns])
        wraps = [column.wrap for column in spec.columns]
        count = 0
        for row in spec.rows:
            count += 1
            sheet.append(
                [
                    cell_of(sheet, value, wrap=index < len(wraps) and wraps[index])
                    for index, value in enumerate(row)
                ]
            )
        if spec.columns:
            last = get_column_letter(len(spec.columns))
            sheet.auto_filter.ref = f"A1:{last}{count + 1}"
    properties = workbook.properties
    properties.creator = "SteerCo"
    if title:
        properties.title = title
    if created is not None:
        properties.created = created
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
