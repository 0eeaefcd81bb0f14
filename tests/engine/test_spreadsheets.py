"""The one spreadsheet reader and writer: encodings, separators, limits, the zip-bomb guard,
formula escaping and XLSX round trips. No database.

References: the OWASP "CSV Injection" page (cells starting with = + - @ tab or carriage
return are run as formulas; prefix them with an apostrophe); Apache POI's ZipSecureFile
(the 100:1 inflation ratio and 1,000-entry limits); Excel's "Unicode Text" (UTF-16 LE with
a BOM, tab-separated) and plain "CSV" (Windows-1252 on Western Windows) save formats.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from decimal import Decimal

import openpyxl
import pytest

from steerco.engine.interop import spreadsheets
from steerco.engine.interop.spreadsheets import (
    Column,
    Row,
    SpreadsheetError,
    Worksheet,
    check_xlsx_archive,
    csv_cell,
    decode_text,
    detect_separator,
    read_sheet,
    restore_formula_text,
    write_csv,
    write_xlsx,
)


def _workbook(rows, title="Sheet") -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --------------------------------------------------------------------------- decoding
def test_utf8_with_a_byte_order_mark_is_read_without_it():
    assert decode_text("\ufeffName,Café\n".encode()) == "Name,Café\n"


@pytest.mark.parametrize(
    ("bom", "encoding"), [(b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")]
)
def test_utf16_with_a_byte_order_mark_is_read_in_either_byte_order(bom, encoding):
    data = bom + "Name\tDurée\nÉté\t1d\n".encode(encoding)
    sheet = read_sheet(data, name="tasks.txt")
    assert sheet.heading == Row(1, ("Name", "Durée"))
    assert sheet.rows == [Row(2, ("Été", "1d"))]


def test_bytes_that_claim_utf16_but_are_not_are_refused():
    with pytest.raises(SpreadsheetError, match="says it is UTF-16"):
        decode_text(b"\xff\xfeA\x00\x00\xd8")  # a lone high surrogate


def test_windows_1252_from_an_older_excel_is_read():
    assert decode_text("Café – 5 €\n".encode("cp1252")) == "Café – 5 €\n"


def test_latin1_text_reads_the_same_as_windows_1252():
    # Latin-1 and Windows-1252 differ only in 0x80–0x9F, which Latin-1 text does not use.
    assert decode_text("Titre,Probabilité\nRisque été\n".encode("latin-1")) == (
        "Titre,Probabilité\nRisque été\n"
    )


def test_bytes_no_encoding_decodes_are_refused_with_the_encodings_named():
    # 0x81 0x8D 0x8F 0x90 0x9D are undefined in Windows-1252 and invalid UTF-8.
    with pytest.raises(SpreadsheetError, match="not text in UTF-8, UTF-16 or Windows-1252"):
        decode_text(b"\x81\x8d\x8f\x90\x9d" * 4)


def test_binary_data_is_refused():
    with pytest.raises(SpreadsheetError, match="binary data"):
        read_sheet(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", name="photo.csv")


# --------------------------------------------------------------------------- separators
@pytest.mark.parametrize("separator", [",", ";", "\t"])
def test_separator_is_judged_on_the_heading_row_after_blank_lines(separator):
    other = "," if separator != "," else ";"
    text = (
        f"\n  \n{separator * 3}\n"  # blank lines, one as Excel writes an empty row
        f"Name{separator}Duration{separator}Notes\n"
        f"A{separator}1d{separator}x{other}y{other}z{other}w\n"  # more of the other below
    )
    assert detect_separator(text) == separator


def test_a_title_line_of_one_cell_above_the_heading_is_skipped():
    assert detect_separator("Office move\n\nName;Duration\nA;1d\n") == ";"


def test_known_headings_decide_between_separators():
    line = "Name;Cost, EUR, incl. VAT\n"
    assert detect_separator(line) == ","  # most cells
    known = {"name", "cost, eur, incl. vat"}
    assert detect_separator(line, is_heading=lambda text: text.lower() in known) == ";"


def test_without_any_separator_the_file_is_one_comma_column():
    assert detect_separator("Name\nA\nB\n") == ","


def test_rows_keep_the_numbers_the_spreadsheet_shows():
    sheet = read_sheet(b"\n\nName,Duration\n\nA,1d\nB,2d\n", name="tasks.csv")
    assert sheet.heading == Row(3, ("Name", "Duration"))
    assert sheet.rows == [Row(5, ("A", "1d")), Row(6, ("B", "2d"))]


def test_the_caller_chooses_the_heading_row_among_the_first_rows():
    sheet = read_sheet(
        b"Office move,\nName,Duration\nA,1d\n",
        name="csv",
        is_heading_row=lambda cells: "Name" in cells,
    )
    assert (sheet.heading.number, sheet.first.number) == (2, 1)
    assert sheet.rows == [Row(3, ("A", "1d"))]


def test_a_file_of_blank_lines_and_separators_is_empty():
    with pytest.raises(SpreadsheetError, match="The file is empty"):
        read_sheet(b"\n\n ;\n,,\n", name="blank.csv")


# --------------------------------------------------------------------------- limits
def test_files_over_the_byte_limit_are_refused_naming_it():
    with pytest.raises(SpreadsheetError, match="larger than the limit of 10 MB"):
        read_sheet(b"Name\n" + b"x" * spreadsheets.MAX_BYTES, name="big.csv")
    with pytest.raises(SpreadsheetError, match="limit of 20 bytes"):
        read_sheet(b"Name\n" + b"x" * 20, name="big.csv", max_bytes=20)


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_rows_over_a_tighter_limit_are_refused_and_blank_rows_do_not_count(file_format):
    rows = [["Name"], ["A"], [None], ["B"], [None], ["C"]]
    if file_format == "csv":
        data = "\n".join(row[0] or "" for row in rows).encode()
    else:
        data = _workbook(rows)
    assert len(read_sheet(data, name=file_format, max_rows=3).rows) == 3
    with pytest.raises(SpreadsheetError, match="more than 2 rows"):
        read_sheet(data, name=file_format, max_rows=2)


def test_limits_cannot_be_loosened():
    with pytest.raises(ValueError, match="tightened"):
        read_sheet(b"Name\nA\n", max_rows=spreadsheets.MAX_ROWS + 1)


def test_a_sheet_formatted_far_below_its_data_is_refused(monkeypatch):
    monkeypatch.setattr(spreadsheets, "MAX_BLANK_ROWS", 5)
    with pytest.raises(SpreadsheetError, match="more than 5 empty rows"):
        read_sheet(b"Name\nA\n" + b"\n" * 6, name="csv")


# --------------------------------------------------------------------------- zip bombs
def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def test_a_zip_bomb_is_refused_before_openpyxl_opens_it(monkeypatch):
    # 20 MB of one character deflates about 1,000 to 1: a small upload, a huge sheet.
    bomb = _zip({"[Content_Types].xml": b"<Types/>", "xl/worksheets/sheet1.xml": b" " * 20_000_000})
    assert len(bomb) < 100_000

    def never(*args, **kwargs):
        raise AssertionError("openpyxl must not open a zip bomb")

    monkeypatch.setattr(openpyxl, "load_workbook", never)
    with pytest.raises(SpreadsheetError, match="zip bomb"):
        read_sheet(bomb, name="tasks.xlsx")


def test_a_workbook_of_too_many_parts_is_refused():
    archive = _zip({f"xl/media/image{n}.png": b"x" for n in range(1_001)})
    with pytest.raises(SpreadsheetError, match="1,001 parts; the limit is 1,000"):
        check_xlsx_archive(archive)


def test_a_workbook_unpacking_past_the_total_limit_is_refused():
    data = _workbook([["Name"], ["A"]])
    with pytest.raises(SpreadsheetError, match=r"unpacks to .* the limit is 1,000 bytes"):
        check_xlsx_archive(data, max_uncompressed_bytes=1_000)


def test_a_real_workbook_passes_the_guard():
    check_xlsx_archive(_workbook([["Name"]] + [["Same task"]] * 20_000))


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "plan.xls", "old-style Excel"),
        (b"Name\nA\n", "plan.xlsx", "not an Excel workbook"),
        (b"PK\x03\x04 broken", "plan.csv", "not a valid Excel workbook"),
    ],
)
def test_what_is_not_a_readable_workbook_is_refused_by_content(data, name, message):
    with pytest.raises(SpreadsheetError, match=message):
        read_sheet(data, name=name)


def test_a_workbook_uploaded_with_a_csv_name_is_read_as_a_workbook():
    sheet = read_sheet(_workbook([["Name"], ["A"]]), name="tasks.csv")
    assert (sheet.format, sheet.rows) == ("xlsx", [Row(2, ("A",))])


# --------------------------------------------------------------------------- formulas
@pytest.mark.parametrize("prefix", ["=", "+", "-", "@", "\t", "\r"])
def test_each_dangerous_prefix_is_neutralised_in_csv_and_restored_on_import(prefix):
    text = f'{prefix}HYPERLINK("http://evil.example")'
    written = csv_cell(text)
    assert written == "'" + text
    assert restore_formula_text(written) == text
    [_, row] = csv.reader(io.StringIO(write_csv(["Title"], [[text]]).decode("utf-8-sig")))
    assert row == ["'" + text]


@pytest.mark.parametrize(
    ("value", "text"), [(-5, "-5"), (-2.5, "-2.5"), (Decimal("-3.10"), "-3.10"), (2.0, "2")]
)
def test_numbers_stay_numbers_even_negative_ones(value, text):
    assert csv_cell(value) == text


def test_harmless_text_is_left_alone():
    assert csv_cell("Plan – phase 1") == "Plan – phase 1"
    assert restore_formula_text("'quoted'") == "'quoted'"


def test_csv_has_a_byte_order_mark_for_excel_and_crlf_line_ends():
    data = write_csv(["Name", "Due"], [["Café", dt.date(2026, 3, 1)], [None, None]])
    assert data == "\ufeffName,Due\r\nCafé,2026-03-01\r\n,\r\n".encode()


# --------------------------------------------------------------------------- XLSX
def test_xlsx_round_trip_keeps_types_and_neutralises_formulas():
    rows = [
        ["=1+1 is two", -5, 2.5, dt.date(2026, 3, 1), dt.datetime(2026, 3, 1, 9, 30), None],
        ["Bell\x07 rings", 0, Decimal("1000.50"), None, None, True],
    ]
    columns = [Column("Title", width=40, wrap=True), *(Column(h) for h in "BCDEF")]
    data = write_xlsx([Worksheet("Risks: all", columns, rows)], title="Export")

    sheet = read_sheet(data, name="export.xlsx")
    assert (sheet.title, sheet.heading) == (
        "Risks  all",
        Row(1, ("Title", "B", "C", "D", "E", "F")),
    )
    assert sheet.rows == [
        Row(2, ("=1+1 is two", -5, 2.5, dt.date(2026, 3, 1), dt.datetime(2026, 3, 1, 9, 30))),
        Row(3, ("Bell rings", 0, 1000.5, None, None, True)),
    ]
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    written = workbook.active
    assert written["A2"].data_type == "s" and written["A2"].quotePrefix  # text, not a formula
    assert written["B2"].data_type == "n"  # a negative number stays a number
    assert written["A1"].font.bold and written.freeze_panes == "A2"
    assert written.auto_filter.ref == "A1:F3"
    assert written.column_dimensions["A"].width == 40 and written["A2"].alignment.wrap_text
    assert (workbook.properties.title, workbook.properties.creator) == ("Export", "SteerCo")


def test_a_worksheet_named_by_the_caller_is_preferred():
    workbook = openpyxl.Workbook()
    workbook.active.append(["Read me"])
    workbook.create_sheet("Actions").append(["Title"])
    workbook["Actions"].append(["Chase"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    sheet = read_sheet(buffer.getvalue(), name="all.xlsx", sheet_names=["actions"])
    assert (sheet.title, sheet.rows) == ("Actions", [Row(2, ("Chase",))])


def test_percentages_read_as_shown():
    workbook = openpyxl.Workbook()
    workbook.active.append(["Done"])
    workbook.active.append([0.5])
    workbook.active["A2"].number_format = "0%"
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert read_sheet(buffer.getvalue(), name="xlsx").rows == [Row(2, ("50%",))]


# --------------------------------------------------------------------------- cost of a read
# Issue 14: a small XLSX of 1,000,001 rows was read for 22 s before it was refused, a workbook
# with the wrong heading was read to its end before the heading error, and the log import read
# 50,000 rows past its limit of 1,000.
def _rezip(data: bytes, change) -> bytes:
    """``data`` with each worksheet part's XML passed through ``change``."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = {entry.filename: archive.read(entry) for entry in archive.infolist()}
    return _zip(
        {
            name: change(content) if name.startswith("xl/worksheets/sheet") else content
            for name, content in parts.items()
        }
    )


def _streamed(rows) -> bytes:
    """A workbook written as SteerCo's exports are (write-only): it declares no size."""
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("Tasks")
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _never_opened(monkeypatch):
    def never(*args, **kwargs):
        raise AssertionError("openpyxl must not open this workbook")

    monkeypatch.setattr(openpyxl, "load_workbook", never)


def test_a_sheet_declaring_a_million_rows_is_refused_before_it_is_opened(monkeypatch):
    declared = _rezip(
        _workbook([["Name"], ["A"]]),
        lambda xml: xml.replace(b'<dimension ref="A1:A2"', b'<dimension ref="A1:C1000001"'),
    )
    assert len(declared) < 10_000
    _never_opened(monkeypatch)
    with pytest.raises(SpreadsheetError) as refused:
        read_sheet(declared, name="tasks.xlsx", max_rows=1_000)
    assert refused.value.message == (
        "A sheet of the workbook has 1,000,001 rows; at most 1,000 rows of data (and 50,000 "
        "empty rows) can be imported. Split it into smaller files, or keep only the sheet you "
        "are importing and delete the empty rows below its data."
    )


def test_a_sheet_declaring_no_size_is_measured_by_its_rows_before_it_is_opened(monkeypatch):
    monkeypatch.setattr(spreadsheets, "MAX_BLANK_ROWS", 10)
    data = _streamed([["Name"]] + [[f"T{n}"] for n in range(200)])
    assert b"<dimension" not in _rezip(data, lambda xml: xml)
    _never_opened(monkeypatch)
    with pytest.raises(SpreadsheetError, match="has more than 40 rows; at most 10 rows of data"):
        read_sheet(data, name="tasks.xlsx", max_rows=10)


def test_a_sheet_within_the_limits_is_read_whether_it_declares_its_size_or_not():
    rows = [["Name", "Duration"]] + [[f"T{n}", n] for n in range(1, 31)]
    for data in (_workbook(rows), _streamed(rows)):
        sheet = read_sheet(data, name="tasks.xlsx", max_rows=30)
        assert [row.cells[0] for row in sheet.rows] == [f"T{n}" for n in range(1, 31)]


def test_rows_split_across_unpacked_chunks_are_all_counted(monkeypatch):
    monkeypatch.setattr(spreadsheets, "XLSX_HEAD_BYTES", 7)  # cut tags everywhere
    monkeypatch.setattr(spreadsheets, "_MIB", 13)
    monkeypatch.setattr(spreadsheets, "MAX_BLANK_ROWS", 0)
    data = _streamed([["Name"]] + [[f"T{n}"] for n in range(24)])
    spreadsheets.check_xlsx_rows(data, max_rows=5)  # 25 rows = 5 + 20 above the heading
    data = _streamed([["Name"]] + [[f"T{n}"] for n in range(25)])
    with pytest.raises(SpreadsheetError, match="more than 25 rows"):
        spreadsheets.check_xlsx_rows(data, max_rows=5)


def _refuse_heading(row: Row) -> None:
    raise SpreadsheetError(f"Row {row.number}: not the columns expected ({row.cells[0]}).")


def test_a_wrong_heading_is_refused_before_the_rows_below_are_read(monkeypatch):
    # A broken row far below would be reported if the rows were read first.
    csv_data = b"Wrong\nA\n" + b'"unterminated' + b"x" * 200_000 + b"\n"
    with pytest.raises(SpreadsheetError, match=r"^Row 1: not the columns expected \(Wrong\)"):
        read_sheet(csv_data, name="tasks.csv", check_heading=_refuse_heading)

    cells_read = 0
    cell_value = spreadsheets.xlsx_cell_value

    def counted(cell):
        nonlocal cells_read
        cells_read += 1
        return cell_value(cell)

    monkeypatch.setattr(spreadsheets, "xlsx_cell_value", counted)
    workbook = _streamed([["Wrong"]] + [[f"T{n}"] for n in range(5_000)])
    with pytest.raises(SpreadsheetError, match=r"^Row 1: not the columns expected"):
        read_sheet(workbook, name="tasks.xlsx", check_heading=_refuse_heading)
    assert cells_read <= spreadsheets.HEADING_SEARCH_ROWS + 1  # the sheet's choice, the heading


def test_reading_stops_at_the_first_row_over_the_limit(monkeypatch):
    rows_read = 0
    csv_rows = spreadsheets._csv_rows

    def counted(text, separator):
        nonlocal rows_read
        for row in csv_rows(text, separator):
            rows_read += 1
            yield row

    monkeypatch.setattr(spreadsheets, "_csv_rows", counted)
    data = ("Title,Probability,Impact\n" + "".join(f"R{n},3,2\n" for n in range(50_000))).encode()
    with pytest.raises(SpreadsheetError, match="more than 1,000 rows"):
        read_sheet(data, name="risks.csv", max_rows=1_000)
    assert rows_read == 1 + 1_001  # the heading, then one row past the limit


def test_the_separator_is_looked_for_only_where_a_heading_can_be(monkeypatch):
    splits = 0
    split = spreadsheets._split

    def counted(line, separator):
        nonlocal splits
        splits += 1
        return split(line, separator)

    monkeypatch.setattr(spreadsheets, "_split", counted)
    assert detect_separator("title\n" * 1_000_000) == ","
    assert splits == len(spreadsheets.SEPARATORS) * spreadsheets.HEADING_SEARCH_ROWS
    assert detect_separator(";;;\n" * 30 + "a;b\n") == ";"  # blank rows before the heading
