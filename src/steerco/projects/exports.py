"""Project lists as spreadsheets: plain rows in, file bytes out.

``project_rows`` turns projects (with their schedule outlooks, when an app above gives
them: ``core.project_pages``) into plain rows; ``projects_xlsx`` and ``projects_csv``
turn rows into bytes without touching the database, so the same builders serve a
background export, a download button or a test. Both take an optional ``on_row(done,
total)`` callback so a caller can report progress. The files are written by
``engine.interop.spreadsheets``, as every other table is.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import astuple, dataclass
from datetime import UTC, date, datetime
from typing import Any

from django.utils.translation import gettext as _

from steerco.engine.interop import spreadsheets
from steerco.engine.interop.spreadsheets import CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE

__all__ = [
    "CSV_CONTENT_TYPE",
    "XLSX_CONTENT_TYPE",
    "ProjectRow",
    "column_titles",
    "project_rows",
    "projects_csv",
    "projects_xlsx",
]

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
    forecast_finish: date | None
    days_late_baseline: int | None  # working days against baseline 0 (negative: early)
    days_late_planned: int | None  # working days against the planned finish
    schedule_rag: str
    schedule_reason: str
    closed_on: date | None
    description: str


def column_titles() -> list[str]:
    return [
        _("Code"),
        _("Name"),
        _("Status"),
        _("Manager's RAG"),
        _("Portfolio"),
        _("Manager"),
        _("Sponsor"),
        _("Planned start"),
        _("Planned finish"),
        _("Forecast finish"),
        _("Working days late against baseline 0"),
        _("Working days late against the planned finish"),
        _("Schedule RAG"),
        _("Schedule RAG reason"),
        _("Closed on"),
        _("Description"),
    ]


# Column widths in characters, in column order.
_WIDTHS = [14, 40, 12, 14, 28, 22, 22, 14, 14, 14, 14, 14, 14, 60, 14, 80]


def project_rows(projects: Iterable, outlooks: dict | None = None) -> list[ProjectRow]:
    """Plain rows from Project objects (select_related portfolio, manager, sponsor) and
    their schedule outlooks by project id (``core.project_pages.schedule_outlooks``)."""
    outlooks = outlooks or {}
    rows = []
    for p in projects:
        outlook = outlooks.get(p.pk)
        rows.append(
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
                forecast_finish=outlook.forecast_finish if outlook else None,
                days_late_baseline=outlook.baseline.days_late if outlook else None,
                days_late_planned=outlook.planned.days_late if outlook else None,
                schedule_rag=outlook.rag_label if outlook else "",
                schedule_reason=outlook.rag_reason if outlook else "",
                closed_on=p.closed_on,
                description=p.description,
            )
        )
    return rows


def _values(rows: Sequence[ProjectRow], on_row: RowCallback | None) -> Iterator[tuple[Any, ...]]:
    """Each row's values in column order, reporting progress as the writer takes them."""
    total = len(rows)
    for done, row in enumerate(rows, start=1):
        yield astuple(row)
        if on_row:
            on_row(done, total)


def projects_csv(rows: Sequence[ProjectRow], *, on_row: RowCallback | None = None) -> bytes:
    """UTF-8 CSV with a byte-order mark, so Excel opens accented names correctly."""
    return spreadsheets.write_csv(column_titles(), _values(rows, on_row))


def projects_xlsx(
    rows: Sequence[ProjectRow],
    *,
    on_row: RowCallback | None = None,
    title: str = "",
    generated_at: datetime | None = None,
) -> bytes:
    """An Excel workbook: one "Projects" sheet with a header row, filters and real dates."""
    titles = column_titles()
    columns = [
        # The description, last, is long text: wrapped.
        spreadsheets.Column(heading, width=width, wrap=index == len(titles) - 1)
        for index, (heading, width) in enumerate(zip(titles, _WIDTHS, strict=True))
    ]
    created = None
    if generated_at is not None:
        # openpyxl writes document dates as naive UTC.
        if generated_at.tzinfo is not None:
            generated_at = generated_at.astimezone(UTC)
        created = generated_at.replace(tzinfo=None)
    sheet = spreadsheets.Worksheet(_("Projects"), columns, _values(rows, on_row))
    return spreadsheets.write_xlsx([sheet], title=title or _("Projects"), created=created)
