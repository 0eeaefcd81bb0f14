"""Project lists as spreadsheets: plain rows in, file bytes out.

``project_rows`` turns projects into plain rows; ``projects_xlsx`` and ``projects_csv``
turn rows into bytes without touching the database, so the same builders serve a
background export, a download button or a test. Both take an optional ``on_row(done,
total)`` callback so a caller can report progress.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import astuple, dataclass
from datetime import UTC, date, datetime

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"

RowCallback = Callable[[int, int], None]


@dataclass(frozen=True)
class ProjectRow:
    code: str
    name: str
    status: str
    health: str
    portfolio: str
    manager: str
    sponsor: str
    planned_start: date | None
    planned_finish: date | None
    closed_on: date | None
    description: str


def column_titles() -> list[str]:
    return [
        _("Code"),
        _("Name"),
        _("Status"),
        _("Health"),
        _("Portfolio"),
        _("Manager"),
        _("Sponsor"),
        _("Planned start"),
        _("Planned finish"),
        _("Closed on"),
        _("Description"),
    ]


# Column widths in characters; a column without one gets the default.
_WIDTHS = [14, 40, 12, 14, 28, 22, 22, 14, 14, 14, 80]
_DEFAULT_WIDTH = 16


def project_rows(projects: Iterable) -> list[ProjectRow]:
    """Plain rows from Project objects (select_related portfolio, manager, sponsor)."""
    return [
        ProjectRow(
            code=p.code,
            name=p.name,
            status=str(p.get_status_display()),
            health=str(p.get_health_display()),
            portfolio=p.portfolio.name if p.portfolio_id else "",
            manager=p.manager.name if p.manager_id else "",
            sponsor=p.sponsor.name if p.sponsor_id else "",
            planned_start=p.planned_start,
            planned_finish=p.planned_finish,
            closed_on=p.closed_on,
            description=p.description,
        )
        for p in projects
    ]


# A cell starting with one of these is run as a formula by spreadsheet programs, so a
# project named "=HYPERLINK(...)" could act on whoever opens the export (OWASP: CSV
# injection). Such text is written as text, never as a formula.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _csv_safe(value) -> str:
    if value is None:
        return ""
    if isinstance(value, date | datetime):
        return value.isoformat()
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def _xlsx_safe(value):
    # Control characters (pasted from other tools) make openpyxl refuse the whole file.
    return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value


def projects_csv(rows: Sequence[ProjectRow], *, on_row: RowCallback | None = None) -> bytes:
    """UTF-8 CSV with a byte-order mark, so Excel opens accented names correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(column_titles())
    total = len(rows)
    for done, row in enumerate(rows, start=1):
        writer.writerow([_csv_safe(value) for value in astuple(row)])
        if on_row:
            on_row(done, total)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def projects_xlsx(
    rows: Sequence[ProjectRow],
    *,
    on_row: RowCallback | None = None,
    title: str = "",
    generated_at: datetime | None = None,
) -> bytes:
    """An Excel workbook: one "Projects" sheet with a header row, filters and real dates."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Projects")[:31]
    header = column_titles()
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    total = len(rows)
    for done, row in enumerate(rows, start=1):
        sheet.append([_xlsx_safe(value) for value in astuple(row)])
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str) and cell.data_type == "f":
                # openpyxl stores "=..." strings as formulas; keep them as text.
                cell.data_type = "s"
            elif isinstance(cell.value, date):
                cell.number_format = "yyyy-mm-dd"
        if on_row:
            on_row(done, total)
    for index in range(1, len(header) + 1):
        width = _WIDTHS[index - 1] if index <= len(_WIDTHS) else _DEFAULT_WIDTH
        sheet.column_dimensions[get_column_letter(index)].width = width
    for cell in sheet[get_column_letter(len(header))][1:]:
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    properties = workbook.properties
    properties.title = title or _("Projects")
    properties.creator = "SteerCo"
    if generated_at is not None:
        # openpyxl writes document dates as naive UTC.
        if generated_at.tzinfo is not None:
            generated_at = generated_at.astimezone(UTC)
        properties.created = generated_at.replace(tzinfo=None)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
