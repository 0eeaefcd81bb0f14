"""Task lists as spreadsheets: CSV and Excel (XLSX) import and export, as MS Project users
write them.

One row per task, one header row naming the columns (case-insensitive, common aliases accepted;
see :data:`COLUMN_ALIASES`). Recognised columns:

* ``ID`` — the number predecessors refer to; it becomes the task's uid. Without an ID column a
  task's uid is its position below the header (first row below the header = 1; blank rows count,
  like MS Project's blank rows, so the numbers match what the user sees).
* ``Outline Level`` or else ``WBS`` (``1.2.3`` = level 3) — a row followed by deeper rows is a
  summary task; levels may deepen one step at a time. A row with neither takes the previous row's
  level (as a row inserted in MS Project does), so without either column the list is flat. Level 0
  is accepted on the first row only (MS Project's project summary task).
* ``Name``, ``Duration``, ``Predecessors``, ``Constraint Type``, ``Constraint Date``,
  ``% Complete``, ``Actual Start``, ``Actual Finish``, ``Milestone``, ``Deadline``, ``Task Mode``.
* ``Start``/``Finish`` are kept on the task but, as the engine's model says, only manually
  scheduled tasks use them: they do *not* pin an automatically scheduled task (MS Project would
  add a constraint; use ``Constraint Type``/``Constraint Date`` to pin a task instead).
* A task list must name its tasks: a file without a ``Name`` column (or an alias) is refused
  with the columns expected. ``Title`` counts as the name only beside another of the columns
  above, since every project log, and many other tables, has a Title too.
* ``Notes`` are returned per uid in :attr:`TaskListImport.notes`; other columns are ignored and
  listed in :attr:`TaskListImport.ignored_columns`.

Units: durations and lags are whole minutes of *working* time, converted with ``minutes_per_day``
(default 480), ``minutes_per_week`` (2400) and ``minutes_per_month`` (default 20 days, MS Project's
"days per month"); elapsed units (``ed``, ``ew``...) are calendar minutes (1 ed = 1440, 1 emo =
30 ed) and set the ``elapsed``/``lag_elapsed`` flag. A number without a unit is days (MS Project's
default duration unit). Values are rounded to the nearest minute.

Dates: ISO 8601 (``2024-05-06``, ``2024-05-06 08:00``) always; ``06/05/2024`` is day-first unless
``day_first=False``; a leading weekday (``Mon 06/05/24``) and ``NA`` (MS Project's empty date) are
accepted. A date without a time gets ``day_start`` (08:00) for start-like fields and ``day_end``
(17:00) for finish-like ones, as MS Project's default start and end times do.

Import is all-or-nothing: every problem found is reported as a :class:`RowError` (row numbers are
spreadsheet rows, the header included), and a result with errors carries no tasks or links.
Problems with the file as a whole (not CSV/XLSX, too large, no header) raise
:class:`~steerco.engine.interop.mspdi.PlanFileError`. Reading and writing the file itself
(encodings, separators, limits, zip bombs, formula escaping) is :mod:`.spreadsheets`' job; this
module gives the cells their task-list meaning. Dependency loops are *not* checked here:
scheduling the plan raises :class:`~steerco.engine.scheduling.cpm.ScheduleCycleError` naming the
loop, and so does a task linked to its own summary task.

Export → import round-trips every Task and Link field a task list carries; not carried: task
calendars, resource spans, remaining durations, baselines. ``summary`` and ``outline_level`` are
rebuilt from ``parent_uid`` (the outline), and XLSX drops control characters Excel cannot hold.

Cost: openpyxl is pure Python, so reading an XLSX takes roughly a second per few thousand rows
(tens of seconds near :data:`MAX_ROWS`); callers should import large files in a background job.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from steerco.engine.interop.mspdi import PlanFileError
from steerco.engine.interop.spreadsheets import (
    DEFAULT_WIDTH,
    HEADING_SEARCH_ROWS,
    MAX_BYTES,
    MAX_ROWS,
    XLSX_CONTENT_TYPE,
    Column,
    Row,
    Sheet,
    SpreadsheetError,
    Worksheet,
    plain_number,
    read_sheet,
    restore_formula_text,
    write_csv,
    write_xlsx,
)
from steerco.engine.scheduling.model import (
    ConstraintType,
    Link,
    LinkType,
    Plan,
    Schedule,
    Task,
)

#: Errors collected before the report stops (one last entry says how many more there were).
MAX_ERRORS = 1000
#: Largest ID and duration accepted (fits the database's 32-bit integers).
MAX_INT = 2**31 - 1

# Column keys and the header names that mean them (compared lower-case, spaces collapsed).
COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    "id": ("id", "row", "#", "no", "no.", "task id", "task no", "task number", "number"),
    "wbs": ("wbs", "wbs code", "outline number", "wbs number"),
    "outline_level": ("outline level", "level", "indent", "indent level"),
    "name": ("name", "task name", "task", "title", "activity", "activity name"),
    "duration": ("duration", "dur", "dur."),
    "predecessors": ("predecessors", "predecessor", "preds", "depends on", "dependencies"),
    "start": ("start", "start date", "scheduled start"),
    "finish": ("finish", "finish date", "end", "end date", "scheduled finish"),
    "constraint_type": ("constraint type", "constraint"),
    "constraint_date": ("constraint date",),
    "percent_complete": ("% complete", "percent complete", "% done", "pct complete", "progress"),
    "actual_start": ("actual start", "actual start date"),
    "actual_finish": ("actual finish", "actual finish date", "actual end"),
    "milestone": ("milestone",),
    "deadline": ("deadline",),
    "task_mode": ("task mode", "mode", "manual", "manually scheduled"),
    "notes": ("notes", "note", "comments", "comment"),
}
_ALIAS_TO_KEY = {alias: key for key, aliases in COLUMN_ALIASES.items() for alias in aliases}

#: Header names written on export, in column order.
EXPORT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("id", "ID"),
    ("wbs", "WBS"),
    ("outline_level", "Outline Level"),
    ("name", "Name"),
    ("duration", "Duration"),
    ("predecessors", "Predecessors"),
    ("start", "Start"),
    ("finish", "Finish"),
    ("constraint_type", "Constraint Type"),
    ("constraint_date", "Constraint Date"),
    ("percent_complete", "% Complete"),
    ("actual_start", "Actual Start"),
    ("actual_finish", "Actual Finish"),
    ("milestone", "Milestone"),
    ("deadline", "Deadline"),
    ("task_mode", "Task Mode"),
    ("notes", "Notes"),
)
_HEADER_OF = dict(EXPORT_COLUMNS)

CONSTRAINT_NAMES = {
    ConstraintType.ASAP: "As Soon As Possible",
    ConstraintType.ALAP: "As Late As Possible",
    ConstraintType.MSO: "Must Start On",
    ConstraintType.MFO: "Must Finish On",
    ConstraintType.SNET: "Start No Earlier Than",
    ConstraintType.SNLT: "Start No Later Than",
    ConstraintType.FNET: "Finish No Earlier Than",
    ConstraintType.FNLT: "Finish No Later Than",
}
_CONSTRAINT_BY_TEXT = {
    **{name.lower(): kind for kind, name in CONSTRAINT_NAMES.items()},
    **{kind.name.lower(): kind for kind in ConstraintType},
}
_FINISH_CONSTRAINTS = frozenset({ConstraintType.MFO, ConstraintType.FNET, ConstraintType.FNLT})

_YES = frozenset({"yes", "y", "true", "1", "x"})
_NO = frozenset({"no", "n", "false", "0"})
_EMPTY_DATES = frozenset({"", "na", "n/a", "nd"})


class NotationError(ValueError):
    """A duration, lag or predecessor list is not written in MS Project's notation."""


# --------------------------------------------------------------------------- durations
class Duration(NamedTuple):
    """A parsed duration: ``minutes`` of working time, or calendar minutes when ``elapsed``."""

    minutes: int
    elapsed: bool = False
    estimated: bool = False


# Unit words MS Project accepts (and their plurals) → unit key.
_UNIT_WORDS = {
    "m": "minute",
    "min": "minute",
    "mins": "minute",
    "minute": "minute",
    "minutes": "minute",
    "h": "hour",
    "hr": "hour",
    "hrs": "hour",
    "hour": "hour",
    "hours": "hour",
    "d": "day",
    "dy": "day",
    "dys": "day",
    "day": "day",
    "days": "day",
    "w": "week",
    "wk": "week",
    "wks": "week",
    "week": "week",
    "weeks": "week",
    "mo": "month",
    "mon": "month",
    "mons": "month",
    "month": "month",
    "months": "month",
}
_ELAPSED_MINUTES = {
    "minute": 1,
    "hour": 60,
    "day": 1440,
    "week": 7 * 1440,
    "month": 30 * 1440,
}
_AMOUNT = r"(?P<number>\d+(?:[.,]\d*)?|[.,]\d+)\s*(?P<unit>[a-z]*)\.?"
_DURATION_RE = re.compile(rf"^(?P<sign>[+-])?\s*{_AMOUNT}\s*(?P<estimated>\?)?$", re.IGNORECASE)


def _unit_minutes(
    unit: str, *, minutes_per_day: int, minutes_per_week: int, minutes_per_month: int | None
) -> tuple[int, bool] | None:
    """Minutes in one ``unit`` (MS Project abbreviation) and whether it is elapsed time."""
    unit = unit.lower()
    if unit == "":
        return minutes_per_day, False
    if unit in _UNIT_WORDS:
        key = _UNIT_WORDS[unit]
        working = {
            "minute": 1,
            "hour": 60,
            "day": minutes_per_day,
            "week": minutes_per_week,
            "month": minutes_per_month if minutes_per_month is not None else 20 * minutes_per_day,
        }
        return working[key], False
    if unit.startswith("e") and unit[1:] in _UNIT_WORDS:
        return _ELAPSED_MINUTES[_UNIT_WORDS[unit[1:]]], True
    return None


def _amount(number: str) -> float:
    return float(number.replace(",", "."))


def parse_duration(
    text: str,
    *,
    minutes_per_day: int = 480,
    minutes_per_week: int = 2400,
    minutes_per_month: int | None = None,
) -> Duration:
    """Parse a duration as typed in MS Project: ``5d``, ``5 days``, ``2w``, ``3h``, ``30 mins``,
    ``1.5d``, ``0d``, ``3ed``/``2ew`` (elapsed), ``5d?`` (estimated; the ``?`` is kept as a flag).

    Returns working minutes (``minutes_per_day`` per day, ``minutes_per_week`` per week, months
    default to 20 days) or, for elapsed units, calendar minutes. A bare number is days. Negative
    values are returned as parsed (``-5d`` → -2400); callers decide whether they are allowed.
    Raises :class:`NotationError` for anything else.
    """
    match = _DURATION_RE.match(text.strip())
    if not match:
        raise NotationError(
            f"'{text}' is not a duration; write it like 5d, 2w, 3h, 30m, 1.5d or 3ed."
        )
    size = _unit_minutes(
        match["unit"],
        minutes_per_day=minutes_per_day,
        minutes_per_week=minutes_per_week,
        minutes_per_month=minutes_per_month,
    )
    if size is None:
        raise NotationError(
            f"'{text}' has an unknown unit '{match['unit']}'; use m, h, d, w or mo "
            "(e.g. ed for elapsed days)."
        )
    minutes_per_unit, elapsed = size
    value = _amount(match["number"]) * minutes_per_unit
    if not math.isfinite(value) or value > MAX_INT:
        raise NotationError(f"'{text}' is too long a duration.")
    minutes = round(value)
    if value > 0 and minutes == 0:
        raise NotationError(f"'{text}' is less than a minute.")
    if match["sign"] == "-":
        minutes = -minutes
    return Duration(minutes, elapsed, bool(match["estimated"]))


def format_duration(minutes: int, *, elapsed: bool = False, minutes_per_day: int = 480) -> str:
    """MS Project notation for ``minutes`` (working, or calendar when ``elapsed``).

    Days when the value is a whole or two-decimal number of days (``5d``, ``1.5d``), else whole
    hours (``3h``), else minutes (``45m``); elapsed values get an ``e`` (``2ed``). Parsing the
    result with the same ``minutes_per_day`` gives ``minutes`` back exactly.
    """
    sign = "-" if minutes < 0 else ""
    minutes = abs(int(minutes))
    prefix = "e" if elapsed else ""
    day = 1440 if elapsed else minutes_per_day
    if day > 0 and (minutes * 100) % day == 0:
        return f"{sign}{plain_number(minutes / day)}{prefix}d"
    if minutes % 60 == 0:
        return f"{sign}{minutes // 60}{prefix}h"
    return f"{sign}{minutes}{prefix}m"


# --------------------------------------------------------------------------- predecessors
@dataclass(frozen=True, slots=True)
class Predecessor:
    """One entry of a Predecessors cell: ``task_id`` with link type and lag.

    ``lag_minutes`` is working minutes (calendar minutes when ``lag_elapsed``); when
    ``lag_percent`` is set the lag is that share of the predecessor's duration instead, as in
    :class:`~steerco.engine.scheduling.model.Link`.
    """

    task_id: int
    type: LinkType = LinkType.FS
    lag_minutes: int = 0
    lag_percent: float | None = None
    lag_elapsed: bool = False

    def link(self, successor_uid: int, *, uid_of: Mapping[int, int] | None = None) -> Link:
        """The engine link into ``successor_uid``; ``uid_of`` maps displayed IDs to uids."""
        predecessor_uid = uid_of[self.task_id] if uid_of is not None else self.task_id
        return Link(
            predecessor_uid=predecessor_uid,
            successor_uid=successor_uid,
            type=self.type,
            lag_minutes=self.lag_minutes,
            lag_percent=self.lag_percent,
            lag_elapsed=self.lag_elapsed,
        )


_PREDECESSOR_RE = re.compile(
    r"^(?P<id>\d+)\s*(?P<type>FS|SS|FF|SF)?\s*"
    r"(?:(?P<sign>[+-])\s*(?:(?P<percent>\d+(?:\.\d*)?|\.\d+)\s*%|"
    r"(?P<number>\d+(?:\.\d*)?|\.\d+)\s*(?P<unit>[a-z]*)\.?))?$",
    re.IGNORECASE,
)


def parse_predecessors(
    text: str,
    *,
    minutes_per_day: int = 480,
    minutes_per_week: int = 2400,
    minutes_per_month: int | None = None,
) -> list[Predecessor]:
    """Parse a Predecessors cell as MS Project writes it.

    Entries are separated by ``,`` or ``;`` (spaces tolerated): ``3``, ``3FS``, ``3FS+2d``,
    ``5SS``, ``7FF-1d``, ``4SF+50%``, ``3FS+2ed`` (elapsed lag). A missing type is FS; a lag
    without a unit is days. Lags are working minutes (``minutes_per_day`` per day) unless
    elapsed. Raises :class:`NotationError` naming every malformed entry, or an ID listed twice.
    """
    result: list[Predecessor] = []
    bad: list[str] = []
    seen: set[int] = set()
    twice: list[str] = []
    for piece in re.split(r"[,;]", text):
        entry = piece.strip()
        if not entry:
            continue
        match = _PREDECESSOR_RE.match(entry)
        if not match or len(match["id"]) > 10:
            bad.append(entry)
            continue
        task_id = int(match["id"])
        lag_minutes, lag_percent, lag_elapsed = 0, None, False
        sign = -1 if match["sign"] == "-" else 1
        if match["percent"] is not None:
            lag_percent = sign * float(match["percent"])
            if lag_percent == 0:
                lag_percent = 0.0  # no negative zero
        elif match["number"] is not None:
            try:
                duration = parse_duration(
                    f"{match['number']}{match['unit']}",
                    minutes_per_day=minutes_per_day,
                    minutes_per_week=minutes_per_week,
                    minutes_per_month=minutes_per_month,
                )
            except NotationError:
                bad.append(entry)
                continue
            lag_minutes, lag_elapsed = sign * duration.minutes, duration.elapsed
        if task_id in seen:
            twice.append(str(task_id))
        seen.add(task_id)
        link_type = LinkType[match["type"].upper()] if match["type"] else LinkType.FS
        result.append(Predecessor(task_id, link_type, lag_minutes, lag_percent, lag_elapsed))
    problems = []
    if bad:
        quoted = ", ".join(f"'{entry}'" for entry in bad)
        problems.append(
            f"{quoted} {'is' if len(bad) == 1 else 'are'} not written like 3, 3FS, 3FS+2d, "
            "5SS, 7FF-1d or 4SF+50%"
        )
    if twice:
        problems.append(f"task {', '.join(twice)} is listed more than once")
    if problems:
        raise NotationError("; ".join(problems) + ".")
    return result


def _format_lag(link: Link | Predecessor, minutes_per_day: int) -> str:
    if link.lag_percent is not None:
        value = link.lag_percent
        sign = "-" if value < 0 else "+"
        return f"{sign}{plain_number(abs(value))}%"
    if link.lag_minutes == 0 and not link.lag_elapsed:
        return ""
    sign = "-" if link.lag_minutes < 0 else "+"
    return sign + format_duration(
        abs(link.lag_minutes), elapsed=link.lag_elapsed, minutes_per_day=minutes_per_day
    )


def format_predecessors(
    links_for_task: Iterable[Link],
    *,
    minutes_per_day: int = 480,
    id_of: Mapping[int, int] | None = None,
) -> str:
    """MS Project notation for the links into one task: ``3, 5SS, 7FF-1d, 4SF+50%, 3FS+2ed``.

    A plain FS link without lag is just the ID. ``id_of`` maps predecessor uids to the IDs the
    user sees (uids are written as they are without it). Lags are working minutes converted with
    ``minutes_per_day``; the text parses back to the same links with :func:`parse_predecessors`.
    """
    entries = []
    for link in links_for_task:
        task_id = id_of[link.predecessor_uid] if id_of is not None else link.predecessor_uid
        lag = _format_lag(link, minutes_per_day)
        kind = "" if link.type is LinkType.FS and not lag else link.type.name
        entries.append(f"{task_id}{kind}{lag}")
    return ", ".join(entries)


# --------------------------------------------------------------------------- import result
@dataclass(frozen=True, slots=True)
class RowError:
    """One problem in an imported file: spreadsheet ``row`` (1-based, header included),
    the ``column`` header as written in the file (empty when about the whole row)."""

    row: int
    column: str
    message: str

    def __str__(self) -> str:
        where = f"Row {self.row}" + (f", {self.column}" if self.column else "")
        return f"{where}: {self.message}"


@dataclass(slots=True)
class TaskListImport:
    """What :func:`read_task_list` found. With any ``errors``, ``tasks`` and ``links`` are empty.

    ``warnings`` are assumptions made (e.g. a blank duration taken as 1 day) that do not stop the
    import. ``notes`` maps task uid to the Notes column's text.
    """

    tasks: list[Task] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    warnings: list[RowError] = field(default_factory=list)
    notes: dict[int, str] = field(default_factory=dict)
    ignored_columns: list[str] = field(default_factory=list)
    minutes_per_day: int = 480

    @property
    def ok(self) -> bool:
        return not self.errors

    def to_plan(self, *, start: dt.datetime, **plan_fields: Any) -> Plan:
        """The imported tasks as a Plan from ``start``; PlanFileError if there were errors."""
        if self.errors:
            raise PlanFileError(
                f"The task list has {len(self.errors)} problem(s); the first is: {self.errors[0]}"
            )
        plan_fields.setdefault("minutes_per_day", self.minutes_per_day)
        return Plan(tasks=list(self.tasks), links=list(self.links), start=start, **plan_fields)


# --------------------------------------------------------------------------- reading files
_MEDIA_TYPES = {
    "text/csv": "csv",
    XLSX_CONTENT_TYPE: "xlsx",
}


def _file_kind(filename_or_format: str) -> str:
    name = filename_or_format.strip().lower()
    if name in _MEDIA_TYPES:
        return _MEDIA_TYPES[name]
    extension = name.rsplit(".", 1)[-1] if "." in name else name
    if extension in ("csv", "txt", "tsv"):
        return "csv"
    if extension in ("xlsx", "xlsm"):
        return "xlsx"
    raise PlanFileError(
        f"'{filename_or_format}' is not a task list format SteerCo reads: save the spreadsheet "
        "as CSV (.csv) or Excel workbook (.xlsx)."
    )


def _is_heading(text: str) -> bool:
    return _normal_header(text) in _ALIAS_TO_KEY


#: Headers that name the task only beside a column of a plan: every SteerCo log, and many
#: other tables, has a Title, so a file whose only task-list column is its Title (a risk log
#: uploaded as the plan, say) is another kind of table, not a list of tasks.
_WEAK_NAME_HEADERS = frozenset({"title"})
#: Columns that make a table with a weak name header a plan; Notes does not (logs have them).
_PLAN_KEYS = frozenset(COLUMN_ALIASES) - {"name", "notes"}


def _names_tasks(cells: Sequence[Any]) -> bool:
    columns = _columns_of(cells)
    if "name" not in columns:
        return False
    if _normal_header(cells[columns["name"]]) in _WEAK_NAME_HEADERS:
        return not _PLAN_KEYS.isdisjoint(columns)
    return True


def _expected_columns() -> str:
    """The headers a task list is recognised by, for the message refusing a file without."""
    names = [alias.title() for alias in COLUMN_ALIASES["name"] if alias not in _WEAK_NAME_HEADERS]
    weak = " or ".join(f"'{alias.title()}'" for alias in sorted(_WEAK_NAME_HEADERS))
    others = [header for key, header in EXPORT_COLUMNS if key not in ("name", "notes")]
    return (
        f"a task list names its tasks in a column headed {_quoted_list(names)} (or {weak} "
        f"beside one of the plan's columns), and may have the columns {_quoted_list(others, 'and')}"
    )


def _quoted_list(words: Sequence[str], joiner: str = "or") -> str:
    quoted = [f"'{word}'" for word in words]
    return ", ".join(quoted[:-1]) + f" {joiner} {quoted[-1]}" if len(quoted) > 1 else quoted[0]


# --------------------------------------------------------------------------- cell values
def _normal_header(value: Any) -> str:
    if value is None:
        return ""
    text = str(value).replace("_", " ").replace("\n", " ").strip().lower()
    return re.sub(r"\s+", " ", text)


def _columns_of(cells: Sequence[Any]) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, cell in enumerate(cells):
        key = _ALIAS_TO_KEY.get(_normal_header(cell))
        if key is not None and key not in found:
            found[key] = index
    return found


def _text(value: Any) -> str:
    """A cell as stripped text; numbers without a trailing ``.0``; CSV-injection quote removed."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, float):
        return plain_number(value) if math.isfinite(value) else str(value)
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    return restore_formula_text(str(value).strip())


_WEEKDAY_PREFIX = re.compile(
    r"^(mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)[a-z]*\.?,?\s+", re.IGNORECASE
)
_NUMERIC_DATE = re.compile(
    r"^(?P<a>\d{1,2})[/.\-](?P<b>\d{1,2})[/.\-](?P<year>\d{2}|\d{4})"
    r"(?:[ T]+(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2}))?"
    r"\s*(?P<ampm>[ap]\.?m\.?)?)?$",
    re.IGNORECASE,
)
_WORDY_FORMATS = ("%d %b %Y", "%d %B %Y", "%b %d, %Y", "%B %d, %Y", "%d-%b-%Y", "%d-%b-%y")


def _parse_date(
    value: Any, *, day_first: bool, default_time: dt.time
) -> dt.datetime | None:  # raises ValueError
    """A cell as a naive datetime; None when blank/NA; ``default_time`` when no time is given."""
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None)
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, default_time)
    text = _text(value)
    if text.lower() in _EMPTY_DATES:
        return None
    if isinstance(value, int | float):
        raise ValueError(text)
    text = _WEEKDAY_PREFIX.sub("", text)
    try:
        if re.match(r"^\d{4}-\d{2}-\d{2}$", text):
            return dt.datetime.combine(dt.date.fromisoformat(text), default_time)
        if re.match(r"^\d{4}-\d{2}-\d{2}[ T]\d{1,2}:\d{2}", text):
            return dt.datetime.fromisoformat(text).replace(tzinfo=None)
    except ValueError:
        raise ValueError(text) from None
    match = _NUMERIC_DATE.match(text)
    if match:
        day, month = (match["a"], match["b"]) if day_first else (match["b"], match["a"])
        year = int(match["year"])
        if year < 100:
            year += 2000
        moment = dt.datetime(year, int(month), int(day))  # ValueError when impossible
        if match["hour"] is None:
            return dt.datetime.combine(moment.date(), default_time)
        hour, minute = int(match["hour"]), int(match["minute"])
        ampm = (match["ampm"] or "").lower().replace(".", "")
        if ampm:
            if not 1 <= hour <= 12:
                raise ValueError(text)
            hour = hour % 12 + (12 if ampm == "pm" else 0)
        return moment.replace(hour=hour, minute=minute, second=int(match["second"] or 0))
    for pattern in _WORDY_FORMATS:
        try:
            return dt.datetime.combine(dt.datetime.strptime(text, pattern).date(), default_time)
        except ValueError:
            continue
    raise ValueError(text)


# --------------------------------------------------------------------------- the import
@dataclass(slots=True)
class _Row:
    number: int
    uid: int | None
    level: int | None
    level_column: str
    task: Task
    predecessors: list[Predecessor]
    blank_duration: bool = False
    milestone_given: bool = False


class _Report:
    """Errors and warnings, capped at ``limit`` errors (with a final note counting the rest)."""

    def __init__(self, headers: Mapping[str, str], limit: int) -> None:
        self.headers = headers
        self.limit = limit
        self.errors: list[RowError] = []
        self.warnings: list[RowError] = []
        self.dropped = 0

    def error(self, row: int, key: str, message: str) -> None:
        if len(self.errors) < self.limit:
            self.errors.append(RowError(row, self.headers.get(key, key), message))
        else:
            self.dropped += 1

    def warn(self, row: int, key: str, message: str) -> None:
        if len(self.warnings) < self.limit:
            self.warnings.append(RowError(row, self.headers.get(key, key), message))

    def finished(self) -> list[RowError]:
        """The errors in row order (checks run in passes), then how many were left out."""
        errors = sorted(self.errors, key=lambda error: error.row)
        if self.dropped:
            errors.append(RowError(0, "", f"… and {self.dropped:,} more problems not listed."))
        return errors


def read_task_list(
    data: bytes,
    *,
    filename_or_format: str,
    minutes_per_day: int = 480,
    minutes_per_week: int = 2400,
    minutes_per_month: int | None = None,
    day_first: bool = True,
    day_start: dt.time = dt.time(8, 0),
    day_end: dt.time = dt.time(17, 0),
    max_bytes: int = MAX_BYTES,
    max_rows: int = MAX_ROWS,
    max_errors: int = MAX_ERRORS,
) -> TaskListImport:
    """Read a task list from CSV or XLSX ``data``; see the module docstring for the columns.

    ``filename_or_format`` is the uploaded file's name or just ``"csv"``/``"xlsx"``. Durations and
    lags become working minutes with ``minutes_per_day``/``minutes_per_week``/``minutes_per_month``
    (months default to 20 days). ``day_first`` reads ``06/05/2024`` as 6 May.

    Every row problem is collected as a :class:`RowError` (up to ``max_errors``); if there is any,
    the result has errors and no tasks or links. Raises :class:`PlanFileError` when the file as a
    whole cannot be used: not CSV/XLSX, over ``max_bytes`` or ``max_rows``, unreadable, no header
    row with a task name column, or no task rows. Dependency loops are left to the scheduler.
    """
    if not isinstance(data, bytes | bytearray | memoryview):
        raise PlanFileError("The task list must be given as the uploaded file's bytes.")
    kind = _file_kind(filename_or_format)
    try:
        sheet = read_sheet(
            data,
            name=kind,
            max_bytes=max_bytes,
            max_rows=max_rows,
            is_heading=_is_heading,
            is_heading_row=_names_tasks,
            check_heading=_check_heading,
        )
    except SpreadsheetError as error:
        raise PlanFileError(error.message) from error
    options = _Options(
        minutes_per_day=minutes_per_day,
        minutes_per_week=minutes_per_week,
        minutes_per_month=minutes_per_month,
        day_first=day_first,
        day_start=day_start,
        day_end=day_end,
    )
    return _import_rows(sheet, options, max_errors)


@dataclass(frozen=True, slots=True)
class _Options:
    minutes_per_day: int
    minutes_per_week: int
    minutes_per_month: int | None
    day_first: bool
    day_start: dt.time
    day_end: dt.time

    @property
    def units(self) -> dict[str, Any]:
        return {
            "minutes_per_day": self.minutes_per_day,
            "minutes_per_week": self.minutes_per_week,
            "minutes_per_month": self.minutes_per_month,
        }


def _import_rows(sheet: Sheet, options: _Options, max_errors: int) -> TaskListImport:
    """Read the header's columns, then parse each row below it."""
    if sheet.heading is None:
        first = sheet.first.cells if sheet.first is not None else ()
        found = ", ".join(repr(_text(cell)) for cell in first if _text(cell))[:300]
        raise PlanFileError(
            "No header row with a task name column was found in the first "
            f"{HEADING_SEARCH_ROWS} rows, so this is not a task list: {_expected_columns()} "
            f"(the first row has: {found})."
        )
    header_row, cells = sheet.heading.number, sheet.heading.cells
    columns = _columns_of(cells)
    headers = {key: str(cells[index]).strip() for key, index in columns.items()}
    ignored = [
        str(cell).strip()
        for index, cell in enumerate(cells)
        if _text(cell) and index not in columns.values()
    ]
    report = _Report(headers, max_errors)
    parsed: list[_Row] = []
    notes: dict[int, str] = {}
    for number, items in sheet.rows:
        values = {key: items[i] if i < len(items) else None for key, i in columns.items()}
        if not any(_text(value) for key, value in values.items() if key != "id"):
            continue  # a blank row, or one with only an ID (MS Project's blank task row)
        row = _parse_row(number, number - header_row, values, options, report)
        parsed.append(row)
        note = _text(values.get("notes"))
        if note and row.uid is not None:
            notes[row.uid] = note
    if not parsed:
        raise PlanFileError("The file has a header row but no tasks below it.")
    _build_outline(parsed, options.minutes_per_day, report)
    links = _resolve_links(parsed, report)
    errors = report.finished()
    if errors:
        return TaskListImport(
            errors=errors,
            warnings=report.warnings,
            ignored_columns=ignored,
            minutes_per_day=options.minutes_per_day,
        )
    return TaskListImport(
        tasks=[row.task for row in parsed],
        links=links,
        warnings=report.warnings,
        notes=notes,
        ignored_columns=ignored,
        minutes_per_day=options.minutes_per_day,
    )


def _check_heading(heading: Row) -> None:
    """Refuse a heading naming one column twice, before the rows below it are read."""
    seen: dict[str, str] = {}
    for cell in heading.cells:
        key = _ALIAS_TO_KEY.get(_normal_header(cell))
        if key is None:
            continue
        if key in seen:
            number = heading.number
            raise SpreadsheetError(
                f"Row {number}: columns '{seen[key]}' and '{str(cell).strip()}' both mean the "
                f"task's {key.replace('_', ' ')}; keep one of them."
            )
        seen[key] = str(cell).strip()


def _whole_number(value: Any) -> int:
    """A non-negative whole number from a cell (``3``, ``3.0``, ``"3"``); ValueError otherwise."""
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, float):
        if not value.is_integer():
            raise ValueError(value)
        value = int(value)
    if isinstance(value, int):
        number = value
    else:
        text = _text(value)
        if not re.fullmatch(r"\d{1,10}(\.0*)?", text):
            raise ValueError(text)
        number = int(text.split(".")[0])
    if not 0 <= number <= MAX_INT:
        raise ValueError(value)
    return number


def _parse_row(
    number: int, position: int, values: dict[str, Any], options: _Options, report: _Report
) -> _Row:
    task = Task(uid=position, name=_text(values.get("name")))
    if not task.name:
        report.error(number, "name", "The task has no name.")

    uid: int | None = position
    if "id" in values:
        try:
            uid = _whole_number(values["id"])
        except ValueError:
            shown = _text(values["id"])
            message = (
                f"'{shown}' is not a task ID; use a whole number."
                if shown
                else "No ID; give the task a number no other row uses."
            )
            report.error(number, "id", message)
            uid = None
    task.uid = uid if uid is not None else -number

    # The level: Outline Level, else the WBS code's depth, else (None) the previous row's
    # level, as a row inserted in MS Project takes the level of the row above.
    level: int | None = None
    task.wbs = _text(values.get("wbs"))
    if _text(values.get("outline_level")):
        try:
            level = _whole_number(values["outline_level"])
        except ValueError:
            shown = _text(values["outline_level"])
            report.error(
                number, "outline_level", f"'{shown}' is not an outline level (1, 2, 3...)."
            )
    elif task.wbs:
        level = len([part for part in task.wbs.split(".") if part.strip()]) or 1

    blank_duration = _parse_duration_cell(number, values, task, options, report)
    _parse_dates(number, values, task, options, report)
    _parse_progress(number, values, task, report)
    milestone_given = _parse_flags(number, values, task, report)

    predecessors: list[Predecessor] = []
    text = _text(values.get("predecessors"))
    if text:
        try:
            predecessors = parse_predecessors(text, **options.units)
        except NotationError as error:
            report.error(number, "predecessors", str(error))
    level_column = "outline_level" if _text(values.get("outline_level")) else "wbs"
    return _Row(
        number, uid, level, level_column, task, predecessors, blank_duration, milestone_given
    )


def _parse_duration_cell(
    number: int, values: dict[str, Any], task: Task, options: _Options, report: _Report
) -> bool:
    """Set the task's duration; True when the cell is blank (decided once the outline is known)."""
    text = _text(values.get("duration"))
    if not text:
        return True
    try:
        duration = parse_duration(text, **options.units)
    except NotationError as error:
        report.error(number, "duration", str(error))
        return False
    if duration.minutes < 0:
        report.error(number, "duration", f"'{text}' is negative; a duration is 0 or more.")
        return False
    task.duration_minutes = duration.minutes
    task.elapsed = duration.elapsed
    task.milestone = duration.minutes == 0
    return False


def _parse_dates(
    number: int, values: dict[str, Any], task: Task, options: _Options, report: _Report
) -> None:
    constraint_text = _text(values.get("constraint_type"))
    if constraint_text:
        kind = _CONSTRAINT_BY_TEXT.get(re.sub(r"\s+", " ", constraint_text.lower()))
        if kind is None:
            report.error(
                number,
                "constraint_type",
                f"'{constraint_text}' is not a constraint; use e.g. 'Start No Earlier Than' "
                "or SNET.",
            )
        else:
            task.constraint = kind
    finish_like = task.constraint in _FINISH_CONSTRAINTS
    dates = (
        ("start", False),
        ("finish", True),
        ("constraint_date", finish_like),
        ("actual_start", False),
        ("actual_finish", True),
        ("deadline", True),
    )
    unreadable: set[str] = set()
    for key, is_finish in dates:
        if key not in values:
            continue
        try:
            moment = _parse_date(
                values[key],
                day_first=options.day_first,
                default_time=options.day_end if is_finish else options.day_start,
            )
        except (ValueError, OverflowError):
            order = "DD/MM/YYYY" if options.day_first else "MM/DD/YYYY"
            report.error(
                number,
                key,
                f"'{_text(values[key])}' is not a date; write YYYY-MM-DD or {order}, "
                "optionally with a time HH:MM.",
            )
            unreadable.add(key)
            continue
        setattr(task, key, moment)
    dated = task.constraint not in (ConstraintType.ASAP, ConstraintType.ALAP)
    if dated and task.constraint_date is None and "constraint_date" not in unreadable:
        report.error(
            number,
            "constraint_date" if "constraint_date" in values else "constraint_type",
            f"'{CONSTRAINT_NAMES[task.constraint]}' needs a Constraint Date.",
        )
    if (
        task.actual_start is not None
        and task.actual_finish is not None
        and task.actual_finish < task.actual_start
    ):
        report.error(number, "actual_finish", "The actual finish is before the actual start.")


def _parse_progress(number: int, values: dict[str, Any], task: Task, report: _Report) -> None:
    value = values.get("percent_complete")
    text = _text(value)
    if not text:
        return
    try:
        if isinstance(value, int | float) and not isinstance(value, bool):
            percent = float(value)
        else:
            percent = float(text.rstrip("%").strip().replace(",", "."))
    except ValueError:
        report.error(number, "percent_complete", f"'{text}' is not a percentage.")
        return
    if not (math.isfinite(percent) and 0 <= percent <= 100):
        report.error(number, "percent_complete", f"'{text}' is outside 0–100%.")
        return
    task.percent_complete = percent


def _yes_no(value: Any) -> bool | None:
    text = _text(value).lower()
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise ValueError(text)


def _parse_flags(number: int, values: dict[str, Any], task: Task, report: _Report) -> bool:
    """Set the milestone and manual flags; True when the file says whether it is a milestone."""
    milestone_given = False
    if _text(values.get("milestone")):
        try:
            task.milestone = bool(_yes_no(values["milestone"]))
            milestone_given = True
        except ValueError:
            report.error(number, "milestone", f"'{_text(values['milestone'])}' is not Yes or No.")
    mode = _text(values.get("task_mode")).lower()
    if mode:
        if mode.startswith("manual") or mode in _YES:
            task.manual = True
        elif mode.startswith("auto") or mode in _NO:
            task.manual = False
        else:
            report.error(
                number,
                "task_mode",
                f"'{_text(values['task_mode'])}' is not 'Auto Scheduled' or 'Manually Scheduled'.",
            )
    return milestone_given


def _build_outline(rows: list[_Row], minutes_per_day: int, report: _Report) -> None:
    """Set parents, outline levels and summary flags from the rows' levels, in file order;
    then give blank durations their meaning (rolled up for a summary, else 1 day)."""
    stack: list[_Row] = []
    previous = 0
    for index, row in enumerate(rows):
        level = row.level
        if level is None:  # not given (or unreadable, and reported): the previous row's level
            level = max(previous, 1)
        elif level == 0 and index > 0:
            report.error(
                row.number,
                row.level_column,
                "Only the first row may be at outline level 0 (the project summary task).",
            )
            level = max(previous, 1)
        elif level > previous + 1:
            report.error(
                row.number,
                row.level_column,
                f"The outline jumps from level {previous} to {level}; indent one level at a time.",
            )
            level = previous + 1
        while stack and stack[-1].task.outline_level >= level:
            stack.pop()
        if stack:
            parent = stack[-1]
            row.task.parent_uid = parent.task.uid
            parent.task.summary = True
        row.task.outline_level = level
        stack.append(row)
        previous = level
    for row in rows:
        if row.task.summary:
            if not row.milestone_given:
                row.task.milestone = False
        elif row.blank_duration:
            row.task.duration_minutes = minutes_per_day
            report.warn(row.number, "duration", "No duration; taken as 1 day, as MS Project does.")


def _resolve_links(rows: list[_Row], report: _Report) -> list[Link]:
    first_row_of: dict[int, int] = {}
    for row in rows:
        if row.uid is None:
            continue
        if row.uid in first_row_of:
            report.error(
                row.number, "id", f"ID {row.uid} is already used on row {first_row_of[row.uid]}."
            )
        else:
            first_row_of[row.uid] = row.number
    links: list[Link] = []
    for row in rows:
        for predecessor in row.predecessors:
            if predecessor.task_id not in first_row_of:
                report.error(
                    row.number,
                    "predecessors",
                    f"Predecessor {predecessor.task_id} is not the ID of any task in the file.",
                )
            elif predecessor.task_id == row.uid:
                report.error(
                    row.number,
                    "predecessors",
                    f"The task lists itself (ID {row.uid}) as its predecessor.",
                )
            elif row.uid is not None:
                links.append(predecessor.link(row.uid))
    return links


# --------------------------------------------------------------------------- the export
def _outline(plan: Plan) -> list[tuple[Task, int]]:
    """Tasks depth-first (children right after their summary) with their outline level."""
    by_uid = {task.uid: task for task in plan.tasks}
    children: dict[int | None, list[Task]] = {}
    for task in plan.tasks:
        parent = task.parent_uid if task.parent_uid in by_uid else None
        children.setdefault(parent, []).append(task)
    roots = children.get(None, [])
    base = 0 if len(roots) == 1 and roots[0].outline_level == 0 else 1
    ordered: list[tuple[Task, int]] = []
    visited: set[int] = set()

    def visit(task: Task, level: int) -> None:
        stack = [(task, level)]
        while stack:
            current, depth = stack.pop()
            if current.uid in visited:
                continue
            visited.add(current.uid)
            ordered.append((current, depth))
            stack.extend((child, depth + 1) for child in reversed(children.get(current.uid, [])))

    for root in roots:
        visit(root, base)
    for task in plan.tasks:  # tasks in a parent loop: write them flat rather than lose them
        if task.uid not in visited:
            visit(task, 1)
    return ordered


def _export_rows(
    plan: Plan,
    schedule: Schedule | None,
    minutes_per_day: int,
    notes: Mapping[int, str],
) -> Iterator[dict[str, Any]]:
    links_into: dict[int, list[Link]] = {}
    for link in plan.links:
        links_into.setdefault(link.successor_uid, []).append(link)
    for task, level in _outline(plan):
        result = schedule.tasks.get(task.uid) if schedule is not None else None
        constrained = task.constraint is not ConstraintType.ASAP or task.constraint_date
        yield {
            "id": task.uid,
            "wbs": task.wbs,
            "outline_level": level,
            "name": task.name,
            "duration": format_duration(
                task.duration_minutes, elapsed=task.elapsed, minutes_per_day=minutes_per_day
            ),
            "predecessors": format_predecessors(
                links_into.get(task.uid, []), minutes_per_day=minutes_per_day
            ),
            "start": result.start if result is not None else task.start,
            "finish": result.finish if result is not None else task.finish,
            "constraint_type": CONSTRAINT_NAMES[task.constraint] if constrained else "",
            "constraint_date": task.constraint_date,
            "percent_complete": task.percent_complete,
            "actual_start": task.actual_start,
            "actual_finish": task.actual_finish,
            "milestone": "Yes" if task.milestone else "No",
            "deadline": task.deadline,
            "task_mode": "Manually Scheduled" if task.manual else "Auto Scheduled",
            "notes": notes.get(task.uid, ""),
        }


#: Column widths (characters) in exported workbooks; other columns get the default.
_EXPORT_WIDTHS = {
    "name": 40,
    "predecessors": 20,
    "start": 17,
    "finish": 17,
    "constraint_type": 22,
    "constraint_date": 17,
    "actual_start": 17,
    "actual_finish": 17,
    "deadline": 17,
    "task_mode": 20,
    "notes": 50,
}


def write_task_list(
    plan: Plan,
    *,
    schedule: Schedule | None = None,
    format: str = "csv",
    minutes_per_day: int | None = None,
    notes: Mapping[int, str] | None = None,
) -> bytes:
    """Export ``plan`` as a task list (``format`` ``"csv"`` or ``"xlsx"``), columns as
    :data:`EXPORT_COLUMNS`; :func:`read_task_list` reads it back to the same tasks and links.

    Rows are in outline order (each summary followed by its tasks) with ID = task uid, so
    predecessors are written in MS Project notation with uids. Start and Finish are the
    schedule's dates when ``schedule`` is given, else the tasks' own (manual) dates. Durations
    and lags are written with ``minutes_per_day`` (default: the plan's). The files are written
    by :func:`~.spreadsheets.write_csv` and :func:`~.spreadsheets.write_xlsx`: CSV is UTF-8
    with a BOM, text that would run as a formula is neutralised (and restored on import), and
    control characters XLSX cannot hold are dropped from text in XLSX files.
    """
    if format not in ("csv", "xlsx"):
        raise ValueError(f"Unknown task list format {format!r}; use 'csv' or 'xlsx'.")
    per_day = minutes_per_day or plan.minutes_per_day
    rows = (
        [row[key] for key, _ in EXPORT_COLUMNS]
        for row in _export_rows(plan, schedule, per_day, notes or {})
    )
    if format == "csv":
        return write_csv([header for _, header in EXPORT_COLUMNS], rows)
    columns = [
        Column(header, _EXPORT_WIDTHS.get(key, DEFAULT_WIDTH)) for key, header in EXPORT_COLUMNS
    ]
    return write_xlsx([Worksheet("Tasks", columns, rows)])
