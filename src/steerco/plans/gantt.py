"""A Gantt chart of a scheduled plan, drawn on the server as SVG.

Two forms of one drawing: ``render_gantt``, one standalone SVG with its label column and its
stylesheet inside (exports, files), and ``render_gantt_parts``, the date scale and the rows
as two SVGs sharing one x scale, for the plan page's split view, where the grid names the
rows and the page links the same stylesheet (``static/plans/gantt.css``). Plain Python with
no Django import, so it is tested without a database (no JavaScript, no CDN).
Drawn by hand rather than with Vega-Altair: a Gantt chart needs per-row shapes (brackets,
diamonds, baseline bars) and routed dependency arrows that a grammar-of-graphics chart does
not express, and thousands of rows must render in milliseconds.

Geometry. Time runs left to right at ``px_per_day`` pixels a calendar day (set by the zoom).
A moment's x is the left edge of its day plus the share of that day's *working* time already
worked, on the task's calendar (or the plan's): with the standard calendar Monday 08:00 is the
left edge of Monday, Friday 17:00 the right edge of Friday and 12:00 (or 13:00, after lunch)
the middle. So a task's ``start`` and ``finish``, inclusive working days, fill their day columns
exactly, and a half-day task fills half a column. Days without working time (and
elapsed-time moments outside working hours) fall back to clock time.

Rows follow the plan's task order; ``GanttOptions.visible_uids`` hides the rows of collapsed
summaries (and the dependency arrows that touch them). The work is O(tasks + links + days).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal
from xml.sax.saxutils import escape

from steerco.engine.scheduling import LinkType, Plan, Schedule, ScheduledTask, Task
from steerco.engine.scheduling.calendar import WorkingCalendar

Zoom = Literal["day", "week", "month"]

#: Pixels per calendar day at each zoom.
PX_PER_DAY: dict[str, float] = {"day": 24.0, "week": 8.0, "month": 2.5}

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_LINK_NAMES = {
    LinkType.FS: "finish-to-start",
    LinkType.SS: "start-to-start",
    LinkType.FF: "finish-to-finish",
    LinkType.SF: "start-to-finish",
}
#: Which bar edge a link leaves (+1 right, -1 left) and which edge it enters.
_LINK_EDGES = {
    LinkType.FS: (1, -1),
    LinkType.SS: (-1, -1),
    LinkType.FF: (1, 1),
    LinkType.SF: (-1, 1),
}
_FOOTER_LINE = 16
_INDENT = 14
_STUB = 6.0  # length of an arrow's first and last horizontal segment
#: Room on both sides of the time axis for arrows that turn beyond the first or last bar.
_GUTTER = 3 * _STUB
_CHAR_WIDTH = 6.5  # a generous estimate of one character at 11px, to skip labels that won't fit
#: Characters XML 1.0 forbids even when escaped (control characters other than tab/newline/CR).
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_ID_PREFIX = re.compile(r"[A-Za-z][A-Za-z0-9_-]*\Z")


@dataclass(frozen=True, slots=True)
class GanttOptions:
    """How to draw the chart.

    ``today`` draws a line at the start of that day; ``status_date`` (default: the plan's) at
    that moment, or at the end of the day when given as a date. Either is drawn only when it
    falls inside the chart's date range. ``baseline`` maps task uid to (start, finish), as
    datetimes or as dates (a start date from the day's beginning, a finish date to its end).
    ``visible_uids`` (None = all) lists the rows to draw. ``tier_height`` is the height of
    each of the date scale's two tiers. ``id_prefix`` keeps the ids of the
    chart's markers and clip paths unique when several charts share one page.
    """

    zoom: Zoom = "week"
    row_height: int = 24
    label_width: int = 240
    tier_height: int = 18
    today: dt.date | None = None
    status_date: dt.datetime | dt.date | None = None
    baseline: Mapping[int, tuple[dt.date, dt.date]] | None = None
    show_critical: bool = True
    visible_uids: Collection[int] | None = None
    title: str | None = None
    id_prefix: str = "gantt"

    @property
    def px_per_day(self) -> float:
        return PX_PER_DAY[self.zoom]


class GanttError(ValueError):
    """The options cannot be drawn (unknown zoom, rows too small, unusable id prefix)."""


# ------------------------------------------------------------------------------ small helpers
def _n(value: float) -> str:
    """A coordinate with at most two decimals and no trailing zeros (deterministic output)."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _text(value: str) -> str:
    """Escape user text for an XML text node."""
    return escape(_XML_INVALID.sub("", value))


def _date_text(day: dt.date) -> str:
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def _moment_text(moment: dt.date) -> str:
    if isinstance(moment, dt.datetime):
        return f"{_date_text(moment)} {moment.hour:02d}:{moment.minute:02d}"
    return _date_text(moment)


def _days_text(minutes: int, minutes_per_day: int) -> str:
    return f"{_n(minutes / (minutes_per_day or 480))} d"


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def _month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _next_month(day: dt.date) -> dt.date:
    return dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)


def _fits(label: str, width: float) -> bool:
    return len(label) * _CHAR_WIDTH + 4 <= width


#: The chart's stylesheet: the page links it, and a standalone chart carries it inside.
_STYLESHEET = Path(__file__).with_name("static") / "plans" / "gantt.css"


@functools.cache
def gantt_stylesheet() -> str:
    """The rules of ``static/plans/gantt.css``, without its comment, for a standalone chart."""
    text = _STYLESHEET.read_text(encoding="utf-8")
    return "\n" + re.sub(r"/\*.*?\*/\n?", "", text, flags=re.DOTALL).lstrip("\n")


# ------------------------------------------------------------------------------ time → x
class _TimeScale:
    """Maps moments to x, caching each (calendar, day)'s working intervals."""

    def __init__(self, origin: dt.date, days: int, x0: float, px_per_day: float) -> None:
        self.origin = origin
        self.days = days
        self.x0 = x0
        self.ppd = px_per_day
        self._cache: dict[tuple[int, dt.date], tuple[tuple[int, int], ...]] = {}
        self._fractions: dict[tuple[int, dt.datetime], float] = {}

    @property
    def end(self) -> dt.date:
        """The first day after the chart."""
        return self.origin + dt.timedelta(days=self.days)

    def day_left(self, day: dt.date) -> float:
        return self.x0 + (day - self.origin).days * self.ppd

    def _intervals(self, calendar: WorkingCalendar, day: dt.date) -> tuple[tuple[int, int], ...]:
        key = (id(calendar), day)
        found = self._cache.get(key)
        if found is None:
            found = self._cache[key] = calendar.intervals_on(day)
        return found

    def day_fraction(self, moment: dt.datetime, calendar: WorkingCalendar) -> float:
        """Share of ``moment``'s day already worked (clock time on a day without work)."""
        key = (id(calendar), moment)
        found = self._fractions.get(key)
        if found is None:
            found = self._fractions[key] = self._day_fraction(moment, calendar)
        return found

    def _day_fraction(self, moment: dt.datetime, calendar: WorkingCalendar) -> float:
        minute = moment.hour * 60 + moment.minute + moment.second / 60
        intervals = self._intervals(calendar, moment.date())
        if not intervals:
            return minute / 1440
        if minute <= intervals[0][0]:
            return 0.0
        if minute >= intervals[-1][1]:
            return 1.0
        total = worked = 0
        for start, end in intervals:
            total += end - start
            if minute > start:
                worked += min(minute, end) - start
        return worked / total

    def x(self, moment: dt.date, calendar: WorkingCalendar, *, finish: bool = False) -> float:
        """x of a datetime, or of a date's beginning (its end when ``finish``)."""
        if isinstance(moment, dt.datetime):
            fraction = self.day_fraction(moment, calendar)
            return self.day_left(moment.date()) + fraction * self.ppd
        return self.day_left(moment) + (self.ppd if finish else 0.0)


def _chart_range(dates: list[dt.date], zoom: str) -> tuple[dt.date, dt.date]:
    """First day and the day after the last, widened to whole weeks (months at month zoom)."""
    first, last = min(dates), max(dates)
    if zoom == "month":
        return _month_start(first), _next_month(last)
    return _monday(first), _monday(last) + dt.timedelta(days=7)


def _span(
    tasks: list[Task], plan: Plan, schedule: Schedule, options: GanttOptions
) -> tuple[dt.date, dt.date]:
    """The chart's first day and the day after its last, for the rows ``tasks``."""
    baseline = options.baseline or {}
    dates: list[dt.date] = []
    for task in tasks:
        found = schedule.tasks.get(task.uid)
        if found is not None:
            dates += (found.start.date(), found.finish.date())
        if task.uid in baseline:
            dates += (_as_date(d) for d in baseline[task.uid])
    if not dates:
        dates = [schedule.start.date() if schedule.tasks else plan.start.date()]
    return _chart_range(dates, options.zoom)


def chart_span(plan: Plan, schedule: Schedule, *, options: GanttOptions) -> tuple[dt.date, dt.date]:
    """The first day of the chart ``render_gantt_parts`` draws and the day after its last:
    when a save leaves it unchanged, the other rows' shapes stay where they are."""
    visible = None if options.visible_uids is None else frozenset(options.visible_uids)
    tasks = [t for t in plan.tasks if visible is None or t.uid in visible]
    return _span(tasks, plan, schedule, options)


# ------------------------------------------------------------------------------ the drawing
@dataclass(frozen=True, slots=True)
class _Band:
    """Vertical places inside a row (offsets from the row's top): the bar and the baseline."""

    bar_top: float
    bar_h: float
    base_top: float = 0.0
    base_h: float = 0.0

    @classmethod
    def within(cls, row_h: float, *, with_baseline: bool) -> _Band:
        if with_baseline:  # the bar in the upper part of the row, a thin baseline bar below
            return cls(0.14 * row_h, 0.46 * row_h, 0.68 * row_h, 0.16 * row_h)
        return cls(0.2 * row_h, 0.6 * row_h)


@dataclass(slots=True)
class _Row:
    task: Task
    scheduled: ScheduledTask | None
    top: float
    centre: float
    left: float = 0.0  # where links attach: bar edges (diamond tips for milestones)
    right: float = 0.0
    critical: bool = False


@dataclass(frozen=True, slots=True)
class GanttParts:
    """The chart as two SVGs sharing one x scale, for a page that lays them out itself:
    ``header``, the two-tier date scale, to sit in a frozen header, and ``body``, the rows'
    bars, links and date lines, exactly ``row_height`` a row with nothing above or below, so
    row *i* lines up with row *i* of a grid beside it. Neither has a label column (the grid
    beside it names the tasks) nor a ``<style>``: the page links ``plans/gantt.css``.

    ``origin``, ``px_per_day`` and ``x0`` map dates to x (also on both SVGs as ``data-``
    attributes, for the page's script): the left edge of day ``d`` is
    ``x0 + (d - origin).days * px_per_day``.
    """

    header: str
    body: str
    width: float
    header_height: float
    body_height: float
    origin: dt.date
    px_per_day: float
    x0: float


class _Layout:
    """Everything both drawings share: the rows shown, the time scale, the date lines and
    each row's shapes (which also fix where dependency arrows attach)."""

    def __init__(
        self,
        plan: Plan,
        schedule: Schedule,
        options: GanttOptions,
        *,
        label_width: int,
        body_top: float,
    ) -> None:
        _check(options)
        self.plan, self.schedule, self.options = plan, schedule, options
        self.prefix = options.id_prefix
        self.row_h = row_h = float(options.row_height)
        visible = None if options.visible_uids is None else frozenset(options.visible_uids)
        self.tasks = tasks = [t for t in plan.tasks if visible is None or t.uid in visible]
        baseline = options.baseline or {}
        status_date = options.status_date if options.status_date is not None else plan.status_date
        origin, end = _span(tasks, plan, schedule, options)
        ppd = options.px_per_day
        self.scale = scale = _TimeScale(origin, (end - origin).days, label_width + _GUTTER, ppd)

        self.lines = lines = []  # (css class, x, label) of the today and status-date lines
        today = None if options.today is None else _as_date(options.today)
        if today is not None and origin <= today < end:
            lines.append(("today", scale.day_left(today), f"Today {_date_text(today)}"))
        if status_date is not None and origin <= _as_date(status_date) < end:
            x = scale.x(status_date, plan.calendar, finish=True)
            lines.append(("status", x, f"Status date {_moment_text(status_date)}"))

        self.body_top = body_top
        self.body_h = len(tasks) * row_h
        self.width = label_width + scale.days * ppd + 2 * _GUTTER
        band = _Band.within(row_h, with_baseline=bool(baseline))
        self.rows: dict[int, _Row] = {}
        self.bars: dict[int, str] = {}  # task uid: its shapes, in row order
        for index, task in enumerate(tasks):
            top = body_top + index * row_h
            scheduled = schedule.tasks.get(task.uid)
            row = _Row(task, scheduled, top, top + band.bar_top + band.bar_h / 2)
            self.rows[task.uid] = row
            if scheduled is None:
                continue
            row.critical = options.show_critical and scheduled.critical
            self.bars[task.uid] = _task_shapes(
                row, scheduled, plan, scale, band, baseline.get(task.uid)
            )

    def data_attributes(self) -> str:
        scale = self.scale
        return (
            f'data-zoom="{self.options.zoom}" data-px-per-day="{_n(scale.ppd)}" '
            f'data-origin="{scale.origin.isoformat()}" data-x0="{_n(scale.x0)}"'
        )

    def description(self) -> str:
        """The chart's ``<desc>`` element (id ``<prefix>-desc``)."""
        text = _description(self.tasks, self.schedule, self.lines, self.options)
        return f'<desc id="{self.prefix}-desc">{_text(text)}</desc>'

    def title_and_description(self) -> list[str]:
        plan, prefix = self.plan, self.prefix
        title = self.options.title or (f"Gantt chart: {plan.name}" if plan.name else "Gantt chart")
        return [f'<title id="{prefix}-title">{_text(title)}</title>', self.description()]

    def stripes(self) -> list[str]:
        return [
            f'<rect class="stripe" x="0" y="{_n(self.body_top + i * self.row_h)}" '
            f'width="{_n(self.width)}" height="{_n(self.row_h)}"/>'
            for i in range(1, len(self.tasks), 2)
        ]

    def nonworking(self) -> list[str]:
        if self.options.zoom != "day":
            return []
        return _nonworking(self.scale, self.plan.calendar, self.body_top, self.body_h)

    def drawn_links(self, touching: Collection[int] | None = None) -> list[str]:
        """The arrows between rows that are drawn (both ends shown and scheduled); with
        ``touching``, only those that leave or enter one of those task uids."""
        rows = self.rows
        out = []
        for link in self.plan.links:
            if touching is not None and (
                link.predecessor_uid not in touching and link.successor_uid not in touching
            ):
                continue
            pred, succ = rows.get(link.predecessor_uid), rows.get(link.successor_uid)
            if pred is None or succ is None or pred.scheduled is None or succ.scheduled is None:
                continue
            out.append(_link_path(link, pred, succ, self.row_h, self.prefix))
        return out

    def links_and_bars(self) -> list[str]:
        return [
            '<g class="links">',
            *self.drawn_links(),
            "</g>",
            '<g class="tasks">',
            *self.bars.values(),
            "</g>",
        ]

    def date_lines(self) -> list[str]:
        top, bottom = self.body_top, self.body_top + self.body_h
        return [
            f'<line class="{kind}" x1="{_n(x)}" y1="{_n(top)}" x2="{_n(x)}" '
            f'y2="{_n(bottom)}"><title>{_text(label)}</title></line>'
            for kind, x, label in self.lines
        ]


def render_gantt(plan: Plan, schedule: Schedule, *, options: GanttOptions) -> str:
    """The Gantt chart of ``plan`` as scheduled in ``schedule``: a standalone ``<svg>`` string
    with its label column, date scale, footer and stylesheet (for exports and files).

    Rows are the plan's tasks in order (only ``options.visible_uids`` when given); a task the
    schedule lacks keeps its row and label but has no bar. Same input, same string.
    """
    body_top = float(2 * options.tier_height)
    layout = _Layout(plan, schedule, options, label_width=options.label_width, body_top=body_top)
    prefix, tasks, lines = layout.prefix, layout.tasks, layout.lines
    row_h, body_h, width = layout.row_h, layout.body_h, layout.width
    height = body_top + body_h + _FOOTER_LINE * len(lines)
    out: list[str] = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="gantt" role="img" '
        f'width="{_n(width)}" height="{_n(height)}" viewBox="0 0 {_n(width)} {_n(height)}" '
        f'aria-labelledby="{prefix}-title {prefix}-desc" {layout.data_attributes()}>',
        *layout.title_and_description(),
        f"<style>{gantt_stylesheet()}</style>",
        _defs(prefix, labels=(options.label_width, body_top, body_h)),
        f'<rect class="bg" x="0" y="0" width="{_n(width)}" height="{_n(height)}"/>',
    ]
    out += layout.stripes()
    out += layout.nonworking()
    out += _scale_tiers(layout.scale, options.zoom, options.tier_height, width)
    out += _body_grid(layout.scale, options.zoom, body_top, body_h, width)
    out += layout.links_and_bars()
    out += layout.date_lines()
    for number, (kind, x, label) in enumerate(lines):
        y = body_top + body_h + _FOOTER_LINE * (number + 1) - 4
        anchor, tx = ("end", x - 3) if x + len(label) * _CHAR_WIDTH > width else ("start", x + 3)
        out.append(
            f'<text class="{kind}" x="{_n(tx)}" y="{_n(y)}" text-anchor="{anchor}">'
            f"{_text(label)}</text>"
        )

    out.append(f'<g class="labels" clip-path="url(#{prefix}-labels)">')
    for index, task in enumerate(tasks):
        y = body_top + index * row_h + row_h / 2
        indent = 6 + max(task.outline_level - 1, 0) * _INDENT
        kind = "label summary" if task.summary else "label"
        out.append(
            f'<text class="{kind}" x="{_n(indent)}" y="{_n(y)}" dy="0.35em" '
            f'data-uid="{task.uid}">{_text(task.name)}</text>'
        )
    out.append("</g>")
    x0 = float(options.label_width)
    out.append(
        f'<line class="divider" x1="{_n(x0)}" y1="0" x2="{_n(x0)}" y2="{_n(body_top + body_h)}"/>'
    )
    out.append("</svg>")
    return "\n".join(out)


def render_gantt_parts(plan: Plan, schedule: Schedule, *, options: GanttOptions) -> GanttParts:
    """The chart split for the plan page's split view (see ``GanttParts``); the options'
    ``label_width`` is not used, since the grid beside the chart names the rows."""
    layout = _Layout(plan, schedule, options, label_width=0, body_top=0.0)
    prefix, width, body_h = layout.prefix, layout.width, layout.body_h
    header_h = float(2 * options.tier_height)
    data = layout.data_attributes()
    span = f"{_date_text(layout.scale.origin)} to {_date_text(layout.scale.end)}"
    header = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="gantt gantt-head" role="img" '
        f'width="{_n(width)}" height="{_n(header_h)}" '
        f'viewBox="0 0 {_n(width)} {_n(header_h)}" aria-labelledby="{prefix}-scale" {data}>',
        f'<title id="{prefix}-scale">{_text(f"Timescale from {span}")}</title>',
        *_scale_tiers(layout.scale, options.zoom, options.tier_height, width),
    ]
    for kind, x, label in layout.lines:  # where the date lines below start, marked on the scale
        header.append(
            f'<path class="{kind}-flag" d="M{_n(x - 5)},{_n(header_h - 7)} '
            f'H{_n(x + 5)} L{_n(x)},{_n(header_h)} Z"><title>{_text(label)}</title></path>'
        )
    header.append("</svg>")
    body = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="gantt gantt-body" role="img" '
        f'width="{_n(width)}" height="{_n(body_h)}" viewBox="0 0 {_n(width)} {_n(body_h)}" '
        f'aria-labelledby="{prefix}-title {prefix}-desc" {data}>',
        *layout.title_and_description(),
        _defs(prefix),
        f'<rect class="bg" x="0" y="0" width="{_n(width)}" height="{_n(body_h)}"/>',
        *layout.stripes(),
        *layout.nonworking(),
        *_body_grid(layout.scale, options.zoom, 0.0, body_h, width, rule=False),
        *layout.links_and_bars(),
        *layout.date_lines(),
        "</svg>",
    ]
    return GanttParts(
        header="\n".join(header),
        body="\n".join(body),
        width=width,
        header_height=header_h,
        body_height=body_h,
        origin=layout.scale.origin,
        px_per_day=layout.scale.ppd,
        x0=layout.scale.x0,
    )


@dataclass(frozen=True, slots=True)
class GanttRowShapes:
    """Some rows of ``render_gantt_parts``'s body, for a page that replaces them in place
    after a save: ``bars`` (task uid: its ``<g class="task" data-uid=…>`` group) and
    ``links`` (the ``<polyline class="link">`` arrows touching those tasks), drawn exactly
    as the whole chart draws them, provided ``span`` (the chart's first day and the day
    after its last) is the span of the chart on the page. ``description`` is the chart's
    ``<desc>``, whose counts and dates may change with any row.
    """

    span: tuple[dt.date, dt.date]
    bars: dict[int, str]
    links: list[str]
    description: str


def gantt_row_shapes(
    plan: Plan, schedule: Schedule, *, options: GanttOptions, uids: Collection[int]
) -> GanttRowShapes:
    """The shapes of the rows ``uids`` (and the arrows touching them) as ``render_gantt_parts``
    with the same arguments draws them."""
    layout = _Layout(plan, schedule, options, label_width=0, body_top=0.0)
    wanted = frozenset(uids)
    return GanttRowShapes(
        span=(layout.scale.origin, layout.scale.end),
        bars={uid: bar for uid, bar in layout.bars.items() if uid in wanted},
        links=layout.drawn_links(wanted),
        description=layout.description(),
    )


def _check(options: GanttOptions) -> None:
    if options.zoom not in PX_PER_DAY:
        raise GanttError(f"Zoom must be one of {', '.join(PX_PER_DAY)}, not {options.zoom!r}.")
    if options.row_height < 8:
        raise GanttError(f"Rows must be at least 8 pixels high, not {options.row_height}.")
    if options.tier_height < 12:
        raise GanttError(
            f"The date scale's tiers must be at least 12 pixels high, not {options.tier_height}."
        )
    if options.label_width < 0:
        raise GanttError(f"The label column cannot be {options.label_width} pixels wide.")
    if not _ID_PREFIX.match(options.id_prefix):
        raise GanttError(
            f"The id prefix {options.id_prefix!r} must be a letter then letters, digits, - or _."
        )


def _as_date(value: dt.date) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def _description(
    tasks: list[Task],
    schedule: Schedule,
    lines: list[tuple[str, float, str]],
    options: GanttOptions,
) -> str:
    if not tasks:
        return "The plan has no tasks to show."
    shown = [schedule.tasks[t.uid] for t in tasks if t.uid in schedule.tasks]
    parts = [f"{len(tasks)} task{'' if len(tasks) == 1 else 's'}"]
    if shown:
        first = min(s.start for s in shown)
        last = max(s.finish for s in shown)
        parts[0] += f" from {_date_text(first)} to {_date_text(last)}"
    if options.show_critical:
        count = sum(1 for s in shown if s.critical)
        parts.append(
            f"{count} critical, drawn in red with a dark outline and marked critical in their "
            "hover text"
        )
    parts.append("arrows show dependencies")
    if options.baseline:
        parts.append("thin grey bars under the tasks show the baseline")
    parts += [label for _, _, label in lines]
    return "; ".join(parts) + "."


def _defs(prefix: str, *, labels: tuple[float, float, float] | None = None) -> str:
    """Arrowhead markers, and with ``labels`` (width, top, height) the label column's clip."""
    marker = (
        '<marker id="{id}" viewBox="0 0 8 8" refX="8" refY="4" markerWidth="6" '
        'markerHeight="6" orient="auto"><path class="{cls}" d="M0,0 L8,4 L0,8 z"/></marker>'
    )
    clip = ""
    if labels is not None:
        label_width, body_top, body_h = labels
        clip = (
            f'<clipPath id="{prefix}-labels"><rect x="0" y="{_n(body_top)}" '
            f'width="{_n(max(label_width - 4, 0))}" height="{_n(body_h)}"/></clipPath>'
        )
    return (
        "<defs>"
        + marker.format(id=f"{prefix}-arrow", cls="arrowhead")
        + marker.format(id=f"{prefix}-arrow-critical", cls="arrowhead critical")
        + clip
        + "</defs>"
    )


def _nonworking(
    scale: _TimeScale, calendar: WorkingCalendar, body_top: float, body_h: float
) -> list[str]:
    """Shading of the days without working time (weekends, holidays), one rect per run."""
    out = []
    run_start: dt.date | None = None
    day = scale.origin
    for _ in range(scale.days + 1):
        working = day >= scale.end or calendar.is_working_day(day)
        if not working and run_start is None:
            run_start = day
        elif working and run_start is not None:
            x = scale.day_left(run_start)
            out.append(
                f'<rect class="nonworking" x="{_n(x)}" y="{_n(body_top)}" '
                f'width="{_n(scale.day_left(day) - x)}" height="{_n(body_h)}"/>'
            )
            run_start = None
        day += dt.timedelta(days=1)
    return out


def _boundaries(scale: _TimeScale, unit: str) -> list[dt.date]:
    """The starts of the ``unit`` periods overlapping the chart (the first clipped to origin)."""
    if unit == "day":
        return [scale.origin + dt.timedelta(days=i) for i in range(scale.days)]
    if unit == "week":
        return [scale.origin + dt.timedelta(days=i) for i in range(0, scale.days, 7)]
    starts, day = [scale.origin], scale.origin
    while True:
        day = _next_month(day) if unit == "month" else dt.date(day.year + 1, 1, 1)
        if day >= scale.end:
            return starts
        starts.append(day)


def _period_label(day: dt.date, unit: str, tier: str) -> str:
    if unit == "day":
        return str(day.day)
    if unit == "week":
        return f"{day.day} {_MONTHS[day.month - 1]}"
    if unit == "month":
        return _MONTHS[day.month - 1] if tier == "lower" else f"{_MONTHS[day.month - 1]} {day.year}"
    return str(day.year)


_TIERS = {"day": ("month", "day"), "week": ("month", "week"), "month": ("year", "month")}


def _scale_tiers(scale: _TimeScale, zoom: str, tier_h: float, width: float) -> list[str]:
    """The date scale: two tiers of labelled periods, ``tier_h`` high each, from y = 0."""
    upper, lower = _TIERS[zoom]
    out = [f'<rect class="hdr" x="0" y="0" width="{_n(width)}" height="{_n(2 * tier_h)}"/>']
    for tier, unit, y_top in (("upper", upper, 0.0), ("lower", lower, float(tier_h))):
        starts = _boundaries(scale, unit)
        out.append(f'<g class="scale {tier}" data-unit="{unit}">')
        for i, start in enumerate(starts):
            x = scale.day_left(start)
            following = starts[i + 1] if i + 1 < len(starts) else scale.end
            cell = scale.day_left(following) - x
            out.append(
                f'<line class="tick" x1="{_n(x)}" y1="{_n(y_top)}" x2="{_n(x)}" '
                f'y2="{_n(y_top + tier_h)}"/>'
            )
            label = _period_label(start, unit, tier)
            if not _fits(label, cell):
                continue
            if tier == "lower":
                anchor, tx = "middle", x + cell / 2
            else:
                anchor, tx = "start", x + 4
            out.append(
                f'<text class="scale-label" x="{_n(tx)}" y="{_n(y_top + tier_h - 5)}" '
                f'text-anchor="{anchor}" data-date="{start.isoformat()}">{label}</text>'
            )
        end_x = scale.day_left(scale.end)
        out.append(
            f'<line class="tick" x1="{_n(end_x)}" y1="{_n(y_top)}" x2="{_n(end_x)}" '
            f'y2="{_n(y_top + tier_h)}"/>'
        )
        out.append("</g>")
    return out


def _body_grid(
    scale: _TimeScale,
    zoom: str,
    body_top: float,
    body_h: float,
    width: float,
    *,
    rule: bool = True,
) -> list[str]:
    """Vertical grid lines down the rows (weeks at day zoom, else the scale's lower periods),
    after a horizontal ``rule`` under the date scale when both are in one drawing."""
    grid_unit = "week" if zoom == "day" else _TIERS[zoom][1]
    out = []
    if rule:
        out.append(
            f'<line class="tick" x1="{_n(scale.x0 - _GUTTER)}" y1="{_n(body_top)}" '
            f'x2="{_n(width)}" y2="{_n(body_top)}"/>'
        )
    out.append('<g class="grid-lines">')
    for start in [*_boundaries(scale, grid_unit), scale.end]:
        x = scale.day_left(start)
        out.append(
            f'<line class="grid" x1="{_n(x)}" y1="{_n(body_top)}" x2="{_n(x)}" '
            f'y2="{_n(body_top + body_h)}"/>'
        )
    out.append("</g>")
    return out


def _hover_text(task: Task, scheduled: ScheduledTask, plan: Plan, critical: bool) -> str:
    name = task.name or f"Task {task.uid}"
    head = f"{task.wbs} {name}" if task.wbs else name
    if task.milestone or scheduled.start == scheduled.finish:
        parts = [f"{head} (milestone)", _moment_text(scheduled.finish)]
    else:
        kind = " (summary)" if task.summary else ""
        parts = [
            f"{head}{kind}",
            f"start {_moment_text(scheduled.start)}",
            f"finish {_moment_text(scheduled.finish)}",
        ]
    parts.append(f"total float {_days_text(scheduled.total_slack_minutes, plan.minutes_per_day)}")
    if task.percent_complete and not task.summary:
        parts.append(f"{_n(task.percent_complete)}% complete")
    if critical:
        parts.append("critical")
    return "; ".join(parts)


def _task_shapes(
    row: _Row,
    scheduled: ScheduledTask,
    plan: Plan,
    scale: _TimeScale,
    band: _Band,
    baseline: tuple[dt.date, dt.date] | None,
) -> str:
    """One task's group: hover title, baseline, then its bar, diamond or bracket.

    Sets the row's link attachment points as a side effect.
    """
    task = row.task
    calendar = task.calendar or plan.calendar
    crit = " critical" if row.critical else ""
    top = row.top + band.bar_top
    bar_h = band.bar_h
    milestone = not task.summary and (task.milestone or scheduled.start == scheduled.finish)
    kind = "milestone" if milestone else ("summary" if task.summary else "leaf")
    parts = [
        f'<g class="task{crit}" data-kind="{kind}" data-uid="{task.uid}">'
        f"<title>{_text(_hover_text(task, scheduled, plan, row.critical))}</title>"
    ]
    if baseline is not None:
        parts.append(_baseline_shape(baseline, milestone, calendar, scale, row.top, band))
    if milestone:
        x = scale.x(scheduled.finish, calendar)
        r = bar_h * 0.55
        y = row.centre
        row.left, row.right = x - r, x + r
        parts.append(
            f'<polygon class="milestone{crit}" points="{_n(x)},{_n(y - r)} {_n(x + r)},{_n(y)} '
            f'{_n(x)},{_n(y + r)} {_n(x - r)},{_n(y)}"/>'
        )
    else:
        x1 = scale.x(scheduled.start, calendar)
        x2 = max(scale.x(scheduled.finish, calendar), x1 + 1.0)
        row.left, row.right = x1, x2
        if task.summary:
            parts.append(_bracket(x1, x2, top, bar_h, crit))
        else:
            radius = _n(min(3.0, bar_h / 4))
            parts.append(
                f'<rect class="bar{crit}" x="{_n(x1)}" y="{_n(top)}" width="{_n(x2 - x1)}" '
                f'height="{_n(bar_h)}" rx="{radius}" ry="{radius}"/>'
            )
            done = min(max(task.percent_complete, 0.0), 100.0) / 100
            if done > 0:
                inset = bar_h / 4
                parts.append(
                    f'<rect class="progress{crit}" x="{_n(x1)}" y="{_n(top + inset)}" '
                    f'width="{_n((x2 - x1) * done)}" height="{_n(bar_h - 2 * inset)}"/>'
                )
    parts.append("</g>")
    return "".join(parts)


def _bracket(x1: float, x2: float, top: float, bar_h: float, crit: str) -> str:
    """A summary bar: a thick top bar with a downward point at each end."""
    thick = bar_h * 0.45
    arm = min(bar_h * 0.45, (x2 - x1) / 2)
    bottom = top + bar_h
    d = (
        f"M{_n(x1)},{_n(top)} H{_n(x2)} V{_n(bottom)} L{_n(x2 - arm)},{_n(top + thick)} "
        f"H{_n(x1 + arm)} L{_n(x1)},{_n(bottom)} Z"
    )
    return f'<path class="summary-bar{crit}" d="{d}"/>'


def _baseline_shape(
    dates: tuple[dt.date, dt.date],
    milestone: bool,
    calendar: WorkingCalendar,
    scale: _TimeScale,
    row_top: float,
    band: _Band,
) -> str:
    start, finish = dates
    top, base_h = row_top + band.base_top, band.base_h
    if milestone:
        x = scale.x(finish, calendar, finish=True)
        r = base_h * 0.9
        y = top + base_h / 2
        return (
            f'<polygon class="baseline milestone" points="{_n(x)},{_n(y - r)} '
            f'{_n(x + r)},{_n(y)} {_n(x)},{_n(y + r)} {_n(x - r)},{_n(y)}"/>'
        )
    x1 = scale.x(start, calendar)
    x2 = max(scale.x(finish, calendar, finish=True), x1 + 1.0)
    return (
        f'<rect class="baseline" x="{_n(x1)}" y="{_n(top)}" width="{_n(x2 - x1)}" '
        f'height="{_n(base_h)}"/>'
    )


def _route(
    xa: float, ya: float, leave: int, xb: float, yb: float, enter: int, ym: float
) -> list[tuple[float, float]]:
    """Orthogonal path from an edge (``leave``: +1 right, -1 left) to an edge (``enter``).

    Both ends run horizontally for at least ``_STUB`` pixels, so the arrowhead points into
    the bar; when the bars are too close for one vertical, the path turns at ``ym`` (the
    successor row's edge facing the predecessor) and comes back.
    """
    out_x = xa + leave * _STUB
    in_x = xb + enter * _STUB
    if leave == enter:  # SS, FF: one vertical beyond both edges
        turn = max(out_x, in_x) if leave > 0 else min(out_x, in_x)
        return [(xa, ya), (turn, ya), (turn, yb), (xb, yb)]
    if (in_x - out_x) * leave >= 0:  # FS, SF with room between the edges
        return [(xa, ya), (out_x, ya), (out_x, yb), (xb, yb)]
    return [(xa, ya), (out_x, ya), (out_x, ym), (in_x, ym), (in_x, yb), (xb, yb)]


def _link_path(link, pred: _Row, succ: _Row, row_h: float, prefix: str) -> str:
    leave, enter = _LINK_EDGES[link.type]
    xa = pred.right if leave > 0 else pred.left
    xb = succ.right if enter > 0 else succ.left
    ym = succ.top if succ.top > pred.top else succ.top + row_h
    points = _route(xa, pred.centre, leave, xb, succ.centre, enter, ym)
    critical = pred.critical and succ.critical
    marker = f"{prefix}-arrow-critical" if critical else f"{prefix}-arrow"
    names = f"{pred.task.name or pred.task.uid} → {succ.task.name or succ.task.uid}"
    return (
        f'<polyline class="link{" critical" if critical else ""}" '
        f'data-from="{link.predecessor_uid}" data-to="{link.successor_uid}" '
        f'data-type="{link.type.name}" marker-end="url(#{marker})" '
        f'points="{" ".join(f"{_n(x)},{_n(y)}" for x, y in points)}">'
        f"<title>{_text(f'{names} ({_LINK_NAMES[link.type]})')}</title></polyline>"
    )


__all__ = [
    "PX_PER_DAY",
    "GanttError",
    "GanttOptions",
    "GanttParts",
    "GanttRowShapes",
    "Zoom",
    "chart_span",
    "gantt_row_shapes",
    "gantt_stylesheet",
    "render_gantt",
    "render_gantt_parts",
]
