"""A project log as a spreadsheet: its columns, how values are written, and how a CSV or
Excel file is read back into rows of raw cell values and parsed into field values.

Nothing here reads or writes the database: callers hand in the items to write, and the
people and projects a name or code may refer to (``Directory``). ``logs.imports`` does
the writing side of an import; the views only glue the two together.

The same column headers are written by the export and accepted by the import, so a log
exported, edited in Excel and imported again updates the items it came from.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from steerco.core.exceptions import DomainError
from steerco.engine.risk.scoring import score_band
from steerco.projects.exports import CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE

from .kinds import LogKind
from .models import Action, LogItem, Risk

MAX_BYTES = 5 * 1024 * 1024
# Every row goes through the same services as the pages (validation, history: about a
# dozen queries a row). 1,000 new rows took 19 s on a two-core machine under a load of 12,
# so much larger files would outlast the web server's 30-second request timeout.
MAX_ROWS = 1_000
MAX_COLUMNS = 200
# An .xlsx is a zip: a small upload can unpack to gigabytes ("zip bomb").
MAX_XLSX_UNPACKED_BYTES = 50 * 1024 * 1024
# Rows an Excel sheet may hold beyond the data (formatted but empty) before we give up.
_MAX_SHEET_ROWS = 50_000

FORMATS = {"csv": CSV_CONTENT_TYPE, "xlsx": XLSX_CONTENT_TYPE}

# A cell starting with one of these is run as a formula by spreadsheet programs, so an
# item titled "=HYPERLINK(...)" could act on whoever opens the export (OWASP: CSV
# injection). CSV cells get a leading apostrophe; Excel cells are typed as text.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

_ZIP_SIGNATURE = b"PK\x03\x04"
_OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls and other old Office files


class FileRefused(DomainError):
    """The upload cannot be read as a table of this log; nothing was imported."""

    code = "file_refused"


# --------------------------------------------------------------------------- columns


@dataclass(frozen=True)
class Column:
    """One column of a log's spreadsheet.

    ``key`` is the model field name for fields, or "ref", "version", "project" or a
    computed name. An import sets only editable fields. The other columns are written for
    people to read and accepted when a file that came from an export is imported again:
    computed values are ignored, while workflow fields and the project are checked so an
    edit to them is refused rather than silently dropped (see ``imports``).
    """

    key: str
    header: str
    model_field: models.Field | None = None
    editable: bool = False
    width: int = 16

    @property
    def read_on_import(self) -> bool:
        return self.editable or self.key in {"ref", "version"}

    @property
    def aliases(self) -> set[str]:
        names = {normal_header(self.header), normal_header(self.key)}
        if self.key == "ref":
            names.add("reference")
        return names


def normal_header(value: Any) -> str:
    """Headers compare without case, underscores or extra spaces ("Raised_by " = "raised by")."""
    text = "" if value is None else str(value)
    return re.sub(r"\s+", " ", text.replace("_", " ")).strip().casefold()


def _capitalised(text: str) -> str:
    text = str(text)
    return text[:1].upper() + text[1:]


def _width_for(model_field: models.Field) -> int:
    if isinstance(model_field, models.TextField):
        return 50
    if model_field.name == "title":
        return 40
    if isinstance(model_field, models.ForeignKey):
        return 20
    if isinstance(model_field, models.DateField):
        return 12
    if getattr(model_field, "choices", None):
        return 18
    if isinstance(model_field, models.CharField):
        return 24
    return 12


def _field_column(kind: LogKind, name: str, *, editable: bool) -> Column:
    model_field = kind.model._meta.get_field(name)
    return Column(
        key=name,
        header=_capitalised(model_field.verbose_name),
        model_field=model_field,
        editable=editable,
        width=_width_for(model_field),
    )


def _computed_columns(kind: LogKind) -> list[Column]:
    if kind.model is Risk:
        return [
            Column("score_before", _("Score before"), width=10),
            Column("score_after", _("Score after"), width=10),
            Column("band", _("Band"), width=10),
        ]
    if kind.model is Action:
        return [Column("overdue", _("Overdue"), width=10)]
    return []


def columns_for(kind: LogKind) -> list[Column]:
    """Every column of the export, in order: Ref, editable fields, workflow fields,
    computed values, Version, Created, Updated, Project."""
    columns = [Column("ref", _("Ref"), width=9)]
    columns += [_field_column(kind, name, editable=True) for name in kind.editable_fields]
    columns += [
        _field_column(kind, name, editable=False)
        for name in kind.workflow_fields
        if name not in kind.editable_fields
    ]
    columns += _computed_columns(kind)
    columns += [
        Column("version", _("Version"), width=9),
        Column("created_at", _("Created"), width=17),
        Column("updated_at", _("Updated"), width=17),
        # Refs are per project: R-001 of another project must not update ours.
        Column("project", _("Project"), width=10),
    ]
    return columns


def import_columns(kind: LogKind) -> list[Column]:
    """The columns an import reads (those of the blank template)."""
    return [column for column in columns_for(kind) if column.read_on_import]


# --------------------------------------------------------------------------- export


@dataclass(frozen=True)
class ExportContext:
    """What the values of a row depend on besides the item itself."""

    probability_size: int = 5
    impact_size: int = 5
    today: date = field(default_factory=timezone.localdate)


def _person_or_user_name(obj) -> str:
    if obj is None:
        return ""
    name = getattr(obj, "name", None)
    if name:
        return name
    person = getattr(obj, "person", None)  # a login (change request deciders)
    if person is not None and getattr(person, "name", ""):
        return person.name
    full = obj.get_full_name() if hasattr(obj, "get_full_name") else ""
    return full or obj.get_username()


def _yes_no(flag: bool) -> str:
    return _("Yes") if flag else _("No")


def _field_value(item: LogItem, model_field: models.Field) -> Any:
    if model_field.is_relation:
        related = getattr(item, model_field.name)
        if related is None:
            return None
        if hasattr(related, "code"):  # a project
            return related.code
        return _person_or_user_name(related)
    value = getattr(item, model_field.attname)
    if value is None:
        return None
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _yes_no(value)
    if isinstance(value, datetime):
        return timezone.localtime(value).replace(tzinfo=None, microsecond=0)
    return value


def shown_text(item: LogItem, column: Column) -> str:
    """A field of ``item`` as its export cell reads once imported back (for comparisons)."""
    return clean_text(_field_value(item, column.model_field))


def _band(score: int | None, context: ExportContext) -> str | None:
    if score is None:
        return None
    band = score_band(
        score, probability_size=context.probability_size, impact_size=context.impact_size
    )
    return _capitalised(band.value)


def item_values(columns: Sequence[Column], item: LogItem, context: ExportContext) -> list[Any]:
    """One item as Python values in column order: text, numbers, dates or None."""
    values = []
    for column in columns:
        if column.model_field is not None:
            values.append(_field_value(item, column.model_field))
        elif column.key == "ref":
            values.append(item.ref)
        elif column.key == "version":
            values.append(item.version)
        elif column.key in {"created_at", "updated_at"}:
            moment = getattr(item, column.key)
            values.append(timezone.localtime(moment).replace(tzinfo=None, microsecond=0))
        elif column.key == "project":
            values.append(item.project.code)
        elif column.key in {"score_before", "score_after"}:
            values.append(getattr(item, column.key))
        elif column.key == "band":
            values.append(_band(item.score_before, context))
        elif column.key == "overdue":
            values.append(_yes_no(item.is_overdue(context.today)))
        else:  # pragma: no cover - every computed column is listed above
            raise KeyError(column.key)
    return values


@dataclass
class Sheet:
    title: str
    columns: list[Column]
    rows: list[list[Any]]


def _csv_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        return "'" + value if value.startswith(_FORMULA_STARTS) else value
    return str(value)  # numbers stay numbers, even negative ones


def write_csv(sheet: Sheet) -> bytes:
    """UTF-8 CSV with a byte-order mark, so Excel opens accented names correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([column.header for column in sheet.columns])
    for row in sheet.rows:
        writer.writerow([_csv_text(value) for value in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _fill_sheet(worksheet, sheet: Sheet) -> None:
    worksheet.title = _sheet_title(sheet.title)
    bold = Font(bold=True)
    wrapped = Alignment(wrap_text=True, vertical="top")
    for column_number, column in enumerate(sheet.columns, start=1):
        worksheet.cell(row=1, column=column_number, value=column.header).font = bold
        worksheet.column_dimensions[get_column_letter(column_number)].width = column.width
    long_text = {
        column_number
        for column_number, column in enumerate(sheet.columns, start=1)
        if isinstance(column.model_field, models.TextField)
    }
    # Cells are addressed by number: worksheet.max_row scans every cell, which made a
    # sheet of a thousand rows take seconds.
    for row_number, row in enumerate(sheet.rows, start=2):
        for column_number, value in enumerate(row, start=1):
            if isinstance(value, str):
                value = ILLEGAL_CHARACTERS_RE.sub("", value)
            cell = worksheet.cell(row=row_number, column=column_number, value=value)
            if isinstance(value, str) and (
                cell.data_type == "f" or value.startswith(_FORMULA_STARTS)
            ):
                # openpyxl stores "=..." strings as formulas; keep them as text, and mark them
                # as Excel does for a typed "'=..." so editing the cell keeps it text.
                cell.data_type = "s"
                cell.quotePrefix = True
            elif isinstance(value, datetime):
                cell.number_format = "yyyy-mm-dd hh:mm"
            elif isinstance(value, date):
                cell.number_format = "yyyy-mm-dd"
            if column_number in long_text:
                cell.alignment = wrapped
    worksheet.freeze_panes = "A2"
    last_row = len(sheet.rows) + 1
    worksheet.auto_filter.ref = f"A1:{get_column_letter(len(sheet.columns))}{last_row}"


def _sheet_title(title: str) -> str:
    # Excel refuses these characters in sheet names and names longer than 31.
    return re.sub(r"[\[\]:*?/\\]", " ", _capitalised(title))[:31] or "Sheet"


def write_xlsx(sheets: Sequence[Sheet], *, title: str = "") -> bytes:
    """An Excel workbook with one sheet per ``Sheet``: bold frozen header, filters, widths,
    real dates and numbers."""
    workbook = Workbook()
    first = workbook.active
    for index, sheet in enumerate(sheets):
        worksheet = first if index == 0 else workbook.create_sheet()
        _fill_sheet(worksheet, sheet)
    workbook.properties.creator = "SteerCo"
    if title:
        workbook.properties.title = title
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def write(sheet: Sheet, fmt: str) -> bytes:
    if fmt == "csv":
        return write_csv(sheet)
    if fmt == "xlsx":
        return write_xlsx([sheet], title=sheet.title)
    raise ValueError(f"Unknown format {fmt!r}.")


def _example_value(column: Column, kind: LogKind, example_person: str) -> Any:
    model_field = column.model_field
    if model_field is None:
        return None
    name = model_field.name
    if name == "title":
        return _("Example %(kind)s: replace this row with yours") % {"kind": kind.label}
    if model_field.choices:
        default = model_field.default if model_field.has_default() else None
        values = dict(model_field.flatchoices)
        return str(values.get(default) or next(iter(values.values())))
    if isinstance(model_field, models.ForeignKey):
        related = model_field.related_model._meta.label
        return example_person if related == "resources.Person" and name == "owner" else None
    if isinstance(model_field, models.BooleanField):
        return _("No")
    if name in {"probability", "impact"}:
        return 3
    if name == "raised_on":
        return timezone.localdate()
    if name == "external_party":
        return _("Example supplier")
    if name == "decided_on":
        return timezone.localdate()
    return None


def template_sheet(kind: LogKind, *, example_person: str = "") -> Sheet:
    """The blank import template: the importable columns and one example row."""
    columns = import_columns(kind)
    example = [_example_value(column, kind, example_person) for column in columns]
    return Sheet(title=str(kind.plural), columns=columns, rows=[example])


# --------------------------------------------------------------------------- reading


@dataclass
class SheetRow:
    """One data row of an uploaded file: its row number as the spreadsheet shows it and
    its raw cells keyed by column key (only the columns the file has)."""

    number: int
    values: dict[str, Any]

    @property
    def ref(self) -> str:
        return clean_text(self.values.get("ref"))

    @property
    def title(self) -> str:
        return clean_text(self.values.get("title"))


@dataclass
class Table:
    columns: list[Column]
    rows: list[SheetRow]
    format: str


def read_table(kind: LogKind, data: bytes, filename: str = "") -> Table:
    """Read an uploaded CSV or .xlsx file as rows of ``kind``'s columns.

    Raises FileRefused with a message a user can act on when the file is too big, not a
    spreadsheet, not UTF-8, empty, has no header row, names unknown or repeated columns,
    or has more than ``MAX_ROWS`` rows.
    """
    if len(data) > MAX_BYTES:
        raise FileRefused(
            _("The file is larger than %(mb)d MB; split it into smaller files.")
            % {"mb": MAX_BYTES // (1024 * 1024)}
        )
    if not data.strip(b"\xef\xbb\xbf \t\r\n,;"):
        raise FileRefused(_("The file is empty."))
    fmt = _detect_format(data, filename)
    raw_rows = _xlsx_rows(data, kind) if fmt == "xlsx" else _csv_rows(data, kind)
    return _table(kind, raw_rows, fmt)


def _detect_format(data: bytes, filename: str) -> str:
    name = filename.lower()
    if data.startswith(_OLE_SIGNATURE) or name.endswith(".xls"):
        raise FileRefused(
            _("This is an old-style Excel file (.xls); save it as an Excel Workbook (.xlsx).")
        )
    if data.startswith(_ZIP_SIGNATURE):
        return "xlsx"
    if name.endswith((".xlsx", ".xlsm")):
        raise FileRefused(_("The file is not a valid Excel workbook (.xlsx)."))
    return "csv"


def _decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise FileRefused(
            _("The file is UTF-16 text; save it as 'CSV UTF-8 (comma delimited)' instead.")
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        if _looks_like_text(data):
            raise FileRefused(
                _(
                    "The file is text, but not UTF-8 (perhaps an older Excel's 'CSV'). Save "
                    "it as 'CSV UTF-8 (comma delimited)' or as an Excel workbook (.xlsx)."
                )
            ) from None
        raise FileRefused(
            _(
                "The file is not a spreadsheet we can read: it is neither an Excel workbook "
                "(.xlsx) nor CSV text."
            )
        ) from None
    if "\x00" in text:
        raise FileRefused(_("The file contains binary data; it is not a CSV file."))
    return text


def _looks_like_text(data: bytes) -> bool:
    # Single-byte encodings decode anything; control characters give binaries away.
    sample = data[:4096].decode("latin-1")
    return not any(ch < " " and ch not in "\t\r\n" for ch in sample)


def _header_matches(cells: Sequence[Any], kind: LogKind) -> int:
    known = _aliases(kind)
    return sum(1 for cell in cells if normal_header(cell) in known)


def _delimiter(text: str, kind: LogKind) -> str:
    """Comma, semicolon (Excel in much of Europe) or tab: whichever splits the first line
    into the most known headers."""
    first_line = next((line for line in text.splitlines() if line.strip(" ,;\t")), "")
    best, best_score = ",", (-1, -1)
    for delimiter in (",", ";", "\t"):
        try:
            cells = next(csv.reader([first_line], delimiter=delimiter), [])
        except csv.Error:
            continue
        score = (_header_matches(cells, kind), len(cells))
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _csv_rows(data: bytes, kind: LogKind) -> Iterator[tuple[int, Sequence[Any]]]:
    text = _decode(data)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text, kind))
    number = 0
    try:
        for number, row in enumerate(reader, start=1):
            yield number, row
    except csv.Error as error:
        raise FileRefused(
            _("Row %(row)d is not valid CSV (%(error)s).") % {"row": number + 1, "error": error}
        ) from None


def _check_zip(data: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        raise FileRefused(_("The file is not a valid Excel workbook (.xlsx).")) from None
    if unpacked > MAX_XLSX_UNPACKED_BYTES:
        raise FileRefused(
            _("The workbook is too large once unpacked; keep only this log in it, or use CSV.")
        )


def _cell(value: Any) -> Any:
    # Excel has no date type: a date is a datetime at midnight.
    if isinstance(value, datetime) and value.time() == datetime.min.time():
        return value.date()
    return value


def _xlsx_rows(data: bytes, kind: LogKind) -> Iterator[tuple[int, Sequence[Any]]]:
    _check_zip(data)
    import openpyxl

    unreadable = _("The Excel workbook cannot be read; save it again from Excel, or as CSV.")
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many types on malformed parts
        raise FileRefused(unreadable) from None
    try:
        sheets = workbook.worksheets
        if not sheets:
            raise FileRefused(_("The workbook has no worksheets."))
        # A workbook of every log (the "export all" file) has a sheet named after each.
        wanted = {normal_header(kind.plural), normal_header(kind.slug)}
        sheet = next((s for s in sheets if normal_header(s.title) in wanted), sheets[0])
        for number, row in enumerate(
            sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS), start=1
        ):
            if number > _MAX_SHEET_ROWS:
                raise FileRefused(_too_many_rows())
            yield number, [_cell(value) for value in row]
    except FileRefused:
        raise
    except Exception:
        raise FileRefused(unreadable) from None
    finally:
        workbook.close()


def _too_many_rows() -> str:
    return _("The file has more than %(n)s rows; split it into smaller files.") % {
        "n": f"{MAX_ROWS:,}"
    }


def _aliases(kind: LogKind) -> dict[str, Column]:
    found: dict[str, Column] = {}
    for column in columns_for(kind):
        for alias in column.aliases:
            found.setdefault(alias, column)
    return found


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _table(kind: LogKind, raw_rows: Iterable[tuple[int, Sequence[Any]]], fmt: str) -> Table:
    rows = iter(raw_rows)
    header: Sequence[Any] | None = None
    for _number, cells in rows:
        if not all(_is_blank(cell) for cell in cells):
            header = cells
            break
    if header is None:
        raise FileRefused(_("The file is empty."))
    known = _aliases(kind)
    positions: dict[int, Column] = {}
    unknown: list[str] = []
    seen: dict[str, str] = {}
    for index, cell in enumerate(header[:MAX_COLUMNS]):
        if _is_blank(cell):
            continue
        column = known.get(normal_header(cell))
        if column is None:
            unknown.append(str(cell).strip())
            continue
        if column.key in seen:
            raise FileRefused(
                _("The columns '%(a)s' and '%(b)s' are the same field; keep one of them.")
                % {"a": seen[column.key], "b": str(cell).strip()}
            )
        seen[column.key] = str(cell).strip()
        positions[index] = column
    if not positions:
        raise FileRefused(
            _(
                "The first row must name the columns (for example %(examples)s); "
                "download the template to see them all."
            )
            % {"examples": ", ".join(c.header for c in import_columns(kind)[:3])}
        )
    if unknown:
        raise FileRefused(
            _(
                "Unknown columns: %(unknown)s. Rename or remove them; the columns of "
                "%(plural)s are: %(known)s."
            )
            % {
                "unknown": ", ".join(f"'{name}'" for name in unknown),
                "plural": kind.plural,
                "known": ", ".join(c.header for c in columns_for(kind)),
            }
        )
    table_rows: list[SheetRow] = []
    for number, cells in rows:
        values = {
            column.key: cells[index] if index < len(cells) else None
            for index, column in positions.items()
        }
        extra = [
            index
            for index in range(len(header), min(len(cells), MAX_COLUMNS))
            if not _is_blank(cells[index])
        ] + [
            index
            for index in range(min(len(header), len(cells)))
            if index not in positions and not _is_blank(cells[index])
        ]
        if all(_is_blank(value) for value in values.values()) and not extra:
            continue  # blank lines between or after the data
        if extra:
            raise FileRefused(
                _("Row %(row)d has a value in column %(col)s, which has no heading.")
                % {"row": number, "col": get_column_letter(min(extra) + 1)}
            )
        if len(table_rows) >= MAX_ROWS:
            raise FileRefused(_too_many_rows())
        table_rows.append(SheetRow(number=number, values=values))
    if not table_rows:
        raise FileRefused(_("The file has a heading row but no rows to import."))
    return Table(columns=list(positions.values()), rows=table_rows, format=fmt)


# --------------------------------------------------------------------------- parsing


class CellError(ValueError):
    """A cell's value cannot be understood; the message says why and names the value."""


def clean_text(value: Any) -> str:
    """A cell as text, without the apostrophe our exports put before formula characters."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _yes_no(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    text = str(value).strip()
    if len(text) > 1 and text[0] == "'" and text[1] in "=+-@":
        text = text[1:]
    return text


@dataclass
class Directory:
    """The people and projects names and codes in a file may refer to."""

    people: Sequence[Any] = ()  # resources.Person rows
    projects: Sequence[Any] = ()  # projects.Project rows the importer may see

    def __post_init__(self):
        self._by_name: dict[str, list] = {}
        self._by_email: dict[str, list] = {}
        for person in self.people:
            self._by_name.setdefault(normal_header(person.name), []).append(person)
            if person.email:
                self._by_email.setdefault(person.email.strip().casefold(), []).append(person)
        self._by_code = {project.code.casefold(): project for project in self.projects}

    def person(self, text: str):
        key = text.strip().casefold()
        matches = self._by_email.get(key) if "@" in key else self._by_name.get(normal_header(text))
        if not matches:
            raise CellError(_("No person called '%(value)s'.") % {"value": text})
        if len(matches) > 1:
            active = [person for person in matches if getattr(person, "active", True)]
            if len(active) == 1:
                return active[0]
            raise CellError(
                _("'%(value)s' matches %(n)d people; give their e-mail address instead.")
                % {"value": text, "n": len(matches)}
            )
        return matches[0]

    def project(self, text: str):
        project = self._by_code.get(text.strip().casefold())
        if project is None:
            raise CellError(_("No project with the code '%(value)s'.") % {"value": text})
        return project


_YES = {"yes", "y", "true", "1", "x"}
_NO = {"no", "n", "false", "0"}
_DAY_FIRST = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$")


def parse_date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = clean_text(value)
    match = _ISO_DATE.match(text)
    parts = None
    if match:
        parts = (int(match[1]), int(match[2]), int(match[3]))
    else:
        match = _DAY_FIRST.match(text)
        if match:
            parts = (int(match[3]), int(match[2]), int(match[1]))
    if parts is not None:
        try:
            return date(*parts)
        except ValueError:
            pass
    raise CellError(
        _("'%(value)s' is not a date; write it as YYYY-MM-DD or DD/MM/YYYY.") % {"value": text}
    )


def parse_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = clean_text(value).casefold()
    if text in _YES or text == _("Yes").casefold():
        return True
    if text in _NO or text == _("No").casefold():
        return False
    raise CellError(_("'%(value)s' is not yes or no.") % {"value": clean_text(value)})


_THOUSANDS = re.compile(r"^-?\d{1,3}(,\d{3})+(\.\d+)?$")


def parse_decimal(value: Any) -> Decimal:
    if isinstance(value, bool):
        raise CellError(_("'%(value)s' is not a number.") % {"value": clean_text(value)})
    if isinstance(value, int | Decimal):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    text = clean_text(value)
    compact = re.sub(r"[\s\u00a0\u202f'£$€]", "", text)
    if _THOUSANDS.match(compact):
        compact = compact.replace(",", "")
    elif "," in compact and "." in compact:
        # "1.234,50": the last separator is the decimal one.
        if compact.rfind(",") > compact.rfind("."):
            compact = compact.replace(".", "").replace(",", ".")
        else:
            compact = compact.replace(",", "")
    elif compact.count(",") == 1:
        compact = compact.replace(",", ".")
    try:
        number = Decimal(compact)
    except InvalidOperation:
        raise CellError(_("'%(value)s' is not a number.") % {"value": text}) from None
    if not number.is_finite():
        raise CellError(_("'%(value)s' is not a number.") % {"value": text})
    return number


def parse_whole(value: Any) -> int:
    number = parse_decimal(value)
    if number != number.to_integral_value():
        raise CellError(_("'%(value)s' is not a whole number.") % {"value": clean_text(value)})
    return int(number)


def parse_choice(model_field: models.Field, value: Any) -> str:
    text = clean_text(value)
    wanted = normal_header(text)
    for stored, label in model_field.flatchoices:
        if wanted in {normal_header(stored), normal_header(label)}:
            return stored
    raise CellError(
        _("'%(value)s' is not one of: %(choices)s.")
        % {
            "value": text,
            "choices": ", ".join(str(label) for _stored, label in model_field.flatchoices),
        }
    )


def is_blank(value: Any) -> bool:
    return _is_blank(value) or clean_text(value) == ""


def parse_cell(column: Column, value: Any, directory: Directory) -> Any:
    """The Python value of a non-blank cell for ``column``'s field; raises CellError."""
    model_field = column.model_field
    if model_field is None:
        raise KeyError(column.key)
    if model_field.choices:
        return parse_choice(model_field, value)
    if isinstance(model_field, models.ForeignKey):
        related = model_field.related_model._meta.label
        text = clean_text(value)
        if related == "resources.Person":
            return directory.person(text)
        if related == "projects.Project":
            return directory.project(text)
        raise CellError(_("This column cannot be imported."))
    if isinstance(model_field, models.BooleanField):
        return parse_bool(value)
    if isinstance(model_field, models.DateField):
        return parse_date(value)
    if isinstance(model_field, models.DecimalField):
        return parse_decimal(value)
    if isinstance(model_field, models.IntegerField):
        return parse_whole(value)
    return clean_text(value)
