"""A project log as a spreadsheet: its columns, how values are written, and how a CSV or
Excel file is read back into rows of raw cell values and parsed into field values.

Nothing here reads or writes the database: callers hand in the items to write, and the
people and projects a name or code may refer to (``Directory``). ``transfer.imports`` does
the writing side of an import; the views only glue the two together.

The same column headers are written by the export and accepted by the import, so a log
exported, edited in Excel and imported again updates the items it came from. The files
themselves (encodings, separators, limits, zip bombs, formula escaping, the workbook's
look) are read and written by ``engine.interop.spreadsheets``, as for every other table.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from steerco.core.exceptions import DomainError
from steerco.engine.interop import spreadsheets
from steerco.engine.interop.spreadsheets import CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE
from steerco.engine.risk.scoring import score_band

from ..kinds import LogKind
from ..models import Action, LogItem, Risk

# The row limit is every spreadsheet's (100,000 rows). Files of more than a few hundred
# rows are imported by a background job (see ``views.transfer``), so the web server's
# request timeout no longer bounds them.
MAX_ROWS = spreadsheets.MAX_ROWS

FORMATS = {"csv": CSV_CONTENT_TYPE, "xlsx": XLSX_CONTENT_TYPE}


def upload_max_bytes() -> int:
    """The largest log spreadsheet an import takes, in bytes: the setting the upload limit
    of the import's address is made of (``core.uploads``), so the two cannot disagree. It
    may lower the shared reader's limit (10 MB), not raise it."""
    return min(settings.STEERCO_SPREADSHEET_UPLOAD_MAX_BYTES, spreadsheets.MAX_BYTES)


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
    # How the reader may see another project a row names (a dependency's): its code, or
    # only that it is one they have no access to.
    project_named: Callable[[Any], str] = field(default=lambda project: project.code)


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
        return _to_the_minute(value)
    return value


def _to_the_minute(moment: datetime) -> datetime:
    # Logs show times to the minute in both formats, so that a time read back from the
    # CSV equals the item's when an import compares them.
    return timezone.localtime(moment).replace(tzinfo=None, second=0, microsecond=0)


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
        if column.model_field is not None and hasattr(
            getattr(item, column.model_field.name, None), "code"
        ):
            values.append(context.project_named(getattr(item, column.model_field.name)))
        elif column.model_field is not None:
            values.append(_field_value(item, column.model_field))
        elif column.key == "ref":
            values.append(item.ref)
        elif column.key == "version":
            values.append(item.version)
        elif column.key in {"created_at", "updated_at"}:
            values.append(_to_the_minute(getattr(item, column.key)))
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


def write_csv(sheet: Sheet) -> bytes:
    """UTF-8 CSV with a byte-order mark, so Excel opens accented names correctly."""
    return spreadsheets.write_csv([column.header for column in sheet.columns], sheet.rows)


def _worksheet(sheet: Sheet) -> spreadsheets.Worksheet:
    columns = [
        spreadsheets.Column(
            column.header,
            width=column.width,
            wrap=isinstance(column.model_field, models.TextField),
        )
        for column in sheet.columns
    ]
    return spreadsheets.Worksheet(_capitalised(sheet.title), columns, sheet.rows)


def write_xlsx(sheets: Sequence[Sheet], *, title: str = "") -> bytes:
    """An Excel workbook with one sheet per ``Sheet``: bold frozen header, filters, widths,
    real dates and numbers."""
    return spreadsheets.write_xlsx([_worksheet(sheet) for sheet in sheets], title=title)


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


def read_table(
    kind: LogKind, data: bytes, filename: str = "", *, max_rows: int = MAX_ROWS
) -> Table:
    """Read an uploaded CSV or .xlsx file as rows of ``kind``'s columns.

    Raises FileRefused with a message a user can act on when the file is too big, not a
    spreadsheet, not text, empty, has no header row, names unknown or repeated columns,
    or has more than ``max_rows`` rows (see ``MAX_ROWS``). A workbook's sheet named after
    the log is read (the "export all" file has one per log), else its first sheet holding
    anything.
    """
    known = _aliases(kind)

    def check_heading(heading: spreadsheets.Row) -> None:
        # Judged as soon as the heading is found: a file with the wrong columns is refused
        # before its rows are read, with the same message as after reading them.
        try:
            _heading_columns(kind, heading.cells)
        except FileRefused as refusal:
            raise spreadsheets.SpreadsheetError(refusal.message) from None

    try:
        sheet = spreadsheets.read_sheet(
            data,
            name=filename,
            max_bytes=upload_max_bytes(),
            max_rows=max_rows,
            is_heading=lambda text: normal_header(text) in known,
            check_heading=check_heading,
            sheet_names=(str(kind.plural), kind.slug),
        )
    except spreadsheets.SpreadsheetError as error:
        raise FileRefused(error.message) from None
    return _table(kind, sheet)


def _aliases(kind: LogKind) -> dict[str, Column]:
    found: dict[str, Column] = {}
    for column in columns_for(kind):
        for alias in column.aliases:
            found.setdefault(alias, column)
    return found


def _heading_columns(kind: LogKind, header: Sequence[Any]) -> dict[int, Column]:
    """The column each cell of the heading row names, by position; refused when a heading
    is unknown or repeated, or when none names a column."""
    known = _aliases(kind)
    positions: dict[int, Column] = {}
    unknown: list[str] = []
    seen: dict[str, str] = {}
    for index, cell in enumerate(header):
        if spreadsheets.is_blank(cell):
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
    return positions


def _table(kind: LogKind, sheet: spreadsheets.Sheet) -> Table:
    """The columns the heading row (the file's first row holding anything) names, and the
    rows below it; refused when a value has no heading."""
    header = sheet.heading.cells if sheet.heading is not None else ()
    positions = _heading_columns(kind, header)
    table_rows: list[SheetRow] = []
    for number, cells in sheet.rows:
        values = {
            column.key: cells[index] if index < len(cells) else None
            for index, column in positions.items()
        }
        extra = [
            index
            for index in range(len(header), len(cells))
            if not spreadsheets.is_blank(cells[index])
        ] + [
            index
            for index in range(min(len(header), len(cells)))
            if index not in positions and not spreadsheets.is_blank(cells[index])
        ]
        if all(spreadsheets.is_blank(value) for value in values.values()) and not extra:
            continue  # blank lines between or after the data
        if extra:
            raise FileRefused(
                _("Row %(row)d has a value in column %(col)s, which has no heading.")
                % {"row": number, "col": get_column_letter(min(extra) + 1)}
            )
        table_rows.append(SheetRow(number=number, values=values))
    if not table_rows:
        raise FileRefused(_("The file has a heading row but no rows to import."))
    return Table(columns=list(positions.values()), rows=table_rows, format=sheet.format)


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
    return spreadsheets.restore_formula_text(str(value).strip())


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
    return spreadsheets.is_blank(value) or clean_text(value) == ""


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
