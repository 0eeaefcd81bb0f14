"""Working calendars and fast working-time arithmetic.

All datetimes here are *local naive* wall-clock datetimes (the project's time zone, as Microsoft
Project treats them). Durations are whole *minutes of working time*.

A calendar lays its working intervals end to end on a "working timeline": the *position* of a
datetime is the number of working minutes before it, counted from an anchor fixed when the
calendar's index is first built. Every datetime inside a non-working gap (Friday 17:00 to Monday
08:00) has the same position, so converting a position back to a datetime needs a choice of
*form*: ``START`` gives the next working minute (Monday 08:00, where a task starts) and ``FINISH``
the end of the previous working interval (Friday 17:00, where a task finishes). These are the
conventions of Microsoft Project.

The index (one row per working interval with its start minute and cumulative working minutes) is
built lazily for a window of days and widened on demand, so each conversion is a binary search:
O(log n) in the number of intervals, never a day-by-day loop.

Widening stops at the calendar's *horizon*: once the window spans a century (or reaches the
first or last date a ``datetime.date`` can hold), a working position beyond it raises
:class:`CalendarHorizonError`, and a calendar on which a century holds no working time at all
raises :class:`NoWorkingTimeError`.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
from dataclasses import dataclass, field
from enum import Enum

import numpy as np

#: Minutes are counted from this instant; MS Project's earliest date is 1984-01-01.
_EPOCH = dt.datetime(1984, 1, 1)
_MINUTES_PER_DAY = 24 * 60
_INITIAL_DAYS_BEFORE = 60
_INITIAL_DAYS_AFTER = 3 * 366
#: The horizon: the index is not widened past this span, so that a plan running centuries on
#: (a typing mistake in a duration) is refused rather than built day by day.
_MAX_SEARCH_DAYS = 100 * 366

Interval = tuple[int, int]
"""A working interval (from, to) in minutes after midnight: from inclusive, to exclusive."""

STANDARD_DAY: tuple[Interval, ...] = ((8 * 60, 12 * 60), (13 * 60, 17 * 60))


class Form(Enum):
    """Which datetime a working-minute position stands for when it falls at a non-working gap."""

    START = "start"  # the next working minute (a task starts there)
    FINISH = "finish"  # the end of the previous working interval (a task finishes there)


class CalendarError(ValueError):
    """A calendar is unusable, for example it has no working time at all."""


class NoWorkingTimeError(CalendarError):
    """The calendar has no working time at all: a century of days holds none."""

    def __init__(self, calendar: str) -> None:
        super().__init__(f"Calendar '{calendar}' has no working time.")
        self.calendar = calendar


class CalendarHorizonError(CalendarError):
    """A working time beyond the calendar's horizon was asked for.

    ``horizon`` is the last date the calendar reaches (with ``before``, the first);
    ``position`` is the working position at that edge, so a scheduler can tell which of its
    dates lie beyond it (None when the calendar found no working time before the edge).
    """

    def __init__(
        self, calendar: str, horizon: dt.date, *, before: bool, position: int | None
    ) -> None:
        edge = "from" if before else "up to"
        super().__init__(
            f"Calendar '{calendar}' reaches only {edge} {horizon.isoformat()}, its horizon."
        )
        self.calendar = calendar
        self.horizon = horizon
        self.before = before
        self.position = position


@dataclass(frozen=True, slots=True)
class CalendarException:
    """Working time that replaces the normal week on the dates ``start``..``finish`` inclusive.

    ``intervals`` empty means the dates are non-working. With ``recurring_yearly`` the exception
    applies every year on the same month and day range (a range may wrap over the new year).
    """

    start: dt.date
    finish: dt.date
    intervals: tuple[Interval, ...] = ()
    recurring_yearly: bool = False
    name: str = ""

    def covers(self, day: dt.date) -> bool:
        if not self.recurring_yearly:
            return self.start <= day <= self.finish
        key = (day.month, day.day)
        first = (self.start.month, self.start.day)
        last = (self.finish.month, self.finish.day)
        if first <= last:
            return first <= key <= last
        return key >= first or key <= last


@dataclass(frozen=True, slots=True)
class WorkWeek:
    """A different normal week for the dates ``start``..``finish`` inclusive (e.g. summer
    hours): ``week`` maps ``date.weekday()`` to intervals; weekdays it omits keep the usual."""

    start: dt.date
    finish: dt.date
    week: dict[int, tuple[Interval, ...]]
    name: str = ""


def _validate_intervals(intervals: tuple[Interval, ...]) -> tuple[Interval, ...]:
    cleaned = tuple(sorted((int(a), int(b)) for a, b in intervals))
    previous_end = 0
    for start, end in cleaned:
        if not 0 <= start < end <= _MINUTES_PER_DAY or start < previous_end:
            raise CalendarError(f"Working times {cleaned} overlap or fall outside one day.")
        previous_end = end
    return cleaned


def _day_plus(day: dt.date, days: int) -> dt.date:
    """``day`` moved by ``days``, stopping at the first or last date a date can hold."""
    try:
        return day + dt.timedelta(days=days)
    except OverflowError:
        return dt.date.max if days > 0 else dt.date.min


def _default_week() -> dict[int, tuple[Interval, ...]]:
    return {weekday: (STANDARD_DAY if weekday < 5 else ()) for weekday in range(7)}


@dataclass(eq=False)
class WorkingCalendar:
    """A working calendar: a normal week, exceptions, optional public holidays and a base.

    ``week`` maps ``date.weekday()`` (0 = Monday) to that day's working intervals in minutes after
    midnight; a weekday missing from ``week`` is inherited from ``base`` (or, without a base, from
    the default Monday–Friday 08:00–12:00, 13:00–17:00). For a day, the first match wins:
    this calendar's exceptions, its public holidays, its work weeks, its week; then the base.
    ``country`` (e.g. ``"GB"``) makes that country's public holidays (from the ``holidays``
    package, computed per year as needed) non-working days; ``subdivision`` selects a region
    where the package knows one.
    """

    name: str = "Standard"
    week: dict[int, tuple[Interval, ...]] = field(default_factory=_default_week)
    exceptions: list[CalendarException] = field(default_factory=list)
    base: WorkingCalendar | None = None
    country: str | None = None
    subdivision: str | None = None
    uid: int | None = None
    work_weeks: list[WorkWeek] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.week = {int(day): _validate_intervals(tuple(iv)) for day, iv in self.week.items()}
        self.work_weeks = [
            WorkWeek(
                w.start,
                w.finish,
                {int(d): _validate_intervals(tuple(iv)) for d, iv in w.week.items()},
                w.name,
            )
            for w in self.work_weeks
        ]
        self.exceptions = [
            CalendarException(
                e.start,
                e.finish,
                _validate_intervals(e.intervals),
                e.recurring_yearly,
                e.name,
            )
            for e in self.exceptions
        ]
        self._reset_index()

    # ----------------------------------------------------------------------------- day rules
    def intervals_on(self, day: dt.date) -> tuple[Interval, ...]:
        """Working intervals of ``day`` (minutes after midnight), after exceptions and holidays."""
        own = self._own_intervals_on(day)
        if own is not None:
            return own
        if self.base is not None:
            return self.base.intervals_on(day)
        return STANDARD_DAY if day.weekday() < 5 else ()

    def _own_intervals_on(self, day: dt.date) -> tuple[Interval, ...] | None:
        for exception in self.exceptions:
            if exception.covers(day):
                return exception.intervals
        if self.country and self._is_public_holiday(day):
            return ()
        weekday = day.weekday()
        for work_week in self.work_weeks:
            if work_week.start <= day <= work_week.finish and weekday in work_week.week:
                return work_week.week[weekday]
        return self.week.get(weekday)

    def _is_public_holiday(self, day: dt.date) -> bool:
        try:
            return day in public_holidays(self.country, self.subdivision, day.year)
        except NotImplementedError as error:
            raise CalendarError(
                f"Calendar '{self.name}': no public holidays are known for country "
                f"{self.country!r} (subdivision {self.subdivision!r})."
            ) from error

    def is_working_day(self, day: dt.date) -> bool:
        """True when ``day`` has any working time."""
        return bool(self.intervals_on(day))

    # ----------------------------------------------------------------------------- the index
    def _reset_index(self) -> None:
        self._first_day: dt.date | None = None
        self._end_day: dt.date | None = None  # exclusive
        self._starts: list[int] = []  # interval start, minutes since the epoch
        self._cums: list[int] = []  # working minutes before the interval (its position)
        self._lengths: list[int] = []
        self._starts_np = np.zeros(0, dtype=np.int64)
        self._cums_np = np.zeros(0, dtype=np.int64)
        self._lengths_np = np.zeros(0, dtype=np.int64)

    def invalidate(self) -> None:
        """Forget the index; call after changing ``week``, ``exceptions`` or the base calendar.

        Positions computed before are not comparable with positions computed after.
        """
        self._reset_index()

    def _day_rows(self, first: dt.date, end: dt.date) -> tuple[list[int], list[int]]:
        starts: list[int] = []
        lengths: list[int] = []
        day = first
        one_day = dt.timedelta(days=1)
        day_minute = (first - _EPOCH.date()).days * _MINUTES_PER_DAY
        while day < end:
            for start, finish in self.intervals_on(day):
                # Intervals running to midnight join the next day's from 00:00: keep them apart;
                # positions are unaffected either way.
                starts.append(day_minute + start)
                lengths.append(finish - start)
            day += one_day
            day_minute += _MINUTES_PER_DAY
        return starts, lengths

    def _ensure_days(self, first: dt.date, end: dt.date) -> None:
        """Make the index cover the days ``first``..``end`` (exclusive) at least."""
        if self._first_day is None:
            first = min(first, _day_plus(end, -1))
            lo = _day_plus(first, -_INITIAL_DAYS_BEFORE)
            hi = max(end, _day_plus(first, _INITIAL_DAYS_AFTER))
            starts, lengths = self._day_rows(lo, hi)
            cums, total = [], 0
            for length in lengths:
                cums.append(total)
                total += length
            self._first_day, self._end_day = lo, hi
            self._starts, self._lengths, self._cums = starts, lengths, cums
            self._refresh_arrays()
            return
        changed = False
        if first < self._first_day:
            span = max((self._end_day - self._first_day).days, (self._first_day - first).days)
            lo = _day_plus(self._first_day, -span)
            starts, lengths = self._day_rows(lo, self._first_day)
            total = -sum(lengths) + (self._cums[0] if self._cums else 0)
            cums = []
            for length in lengths:
                cums.append(total)
                total += length
            self._starts = starts + self._starts
            self._lengths = lengths + self._lengths
            self._cums = cums + self._cums
            self._first_day = lo
            changed = True
        if end > self._end_day:
            span = max((self._end_day - self._first_day).days, (end - self._end_day).days)
            hi = _day_plus(self._end_day, span)
            starts, lengths = self._day_rows(self._end_day, hi)
            total = self._cums[-1] + self._lengths[-1] if self._cums else 0
            for start, length in zip(starts, lengths, strict=True):
                self._starts.append(start)
                self._lengths.append(length)
                self._cums.append(total)
                total += length
            self._end_day = hi
            changed = True
        if changed:
            self._refresh_arrays()

    def _refresh_arrays(self) -> None:
        if not self._starts:
            self._check_has_working_time()
        self._starts_np = np.asarray(self._starts, dtype=np.int64)
        self._cums_np = np.asarray(self._cums, dtype=np.int64)
        self._lengths_np = np.asarray(self._lengths, dtype=np.int64)

    def _check_has_working_time(self) -> None:
        if (self._end_day - self._first_day).days > _MAX_SEARCH_DAYS:
            raise NoWorkingTimeError(self.name)

    def _ensure_position(self, position: int) -> None:
        """Widen the index until ``position`` lies strictly inside it (with one interval spare)."""
        if self._first_day is None:
            self._ensure_days(dt.date.today(), dt.date.today() + dt.timedelta(days=1))
        while not self._cums or position <= self._cums[0]:
            self._widen(backward=True)
        while position >= self._cums[-1] + self._lengths[-1]:
            self._widen(backward=False)

    def _widen(self, *, backward: bool) -> None:
        days = (self._end_day - self._first_day).days
        at_limit = self._first_day == dt.date.min if backward else self._end_day == dt.date.max
        if days > _MAX_SEARCH_DAYS or at_limit:
            if not self._starts:  # a century searched already, in an earlier call
                self._check_has_working_time()
            raise self._horizon_error(backward=backward)
        span = max(366, days)
        if backward:
            self._ensure_days(_day_plus(self._first_day, -span), self._end_day)
        else:
            self._ensure_days(self._first_day, _day_plus(self._end_day, span))

    def _horizon_error(self, *, backward: bool) -> CalendarHorizonError:
        if backward:
            horizon = self._first_day
            position = self._cums[0] if self._cums else None
        else:
            # The window ends before _end_day, except at the last date a date can hold.
            horizon = (
                self._end_day if self._end_day == dt.date.max else _day_plus(self._end_day, -1)
            )
            position = self._cums[-1] + self._lengths[-1] if self._cums else None
        return CalendarHorizonError(self.name, horizon, before=backward, position=position)

    def prepare(self, first: dt.datetime | dt.date, last: dt.datetime | dt.date) -> None:
        """Build the index for the days ``first`` to ``last`` up front (optional, for speed)."""
        first_day = first.date() if isinstance(first, dt.datetime) else first
        last_day = last.date() if isinstance(last, dt.datetime) else last
        self._ensure_days(first_day, last_day + dt.timedelta(days=1))

    # ----------------------------------------------------------------------------- conversions
    def position(self, moment: dt.datetime) -> int:
        """Working minutes before ``moment``, counted from the index anchor (may be negative)."""
        minute = _minutes_since_epoch(moment)
        day = moment.date()
        if self._first_day is None or not (self._first_day < day < self._end_day):
            self._ensure_days(_day_plus(day, -1), _day_plus(day, 2))
        while not self._starts or minute < self._starts[0]:
            self._widen(backward=True)
        i = bisect.bisect_right(self._starts, minute) - 1
        return self._cums[i] + min(minute - self._starts[i], self._lengths[i])

    def datetime_at(self, position: int, form: Form = Form.START) -> dt.datetime:
        """The datetime of working position ``position`` in the given ``form`` (see module doc)."""
        self._ensure_position(position)
        if form is Form.START:
            i = bisect.bisect_right(self._cums, position) - 1
        else:
            i = bisect.bisect_left(self._cums, position) - 1
        minute = self._starts[i] + position - self._cums[i]
        return _EPOCH + dt.timedelta(minutes=minute)

    def datetimes_at(self, positions: np.ndarray, form: Form = Form.START) -> list[dt.datetime]:
        """Vectorised :meth:`datetime_at` for an integer array of positions."""
        if len(positions) == 0:
            return []
        self._ensure_position(int(positions.min()))
        self._ensure_position(int(positions.max()))
        side = "right" if form is Form.START else "left"
        i = np.searchsorted(self._cums_np, positions, side=side) - 1
        minutes = self._starts_np[i] + positions - self._cums_np[i]
        stamps = np.datetime64(_EPOCH, "m") + minutes.astype("timedelta64[m]")
        return stamps.astype("datetime64[us]").astype(object).tolist()

    def datetimes_for_forms(self, positions: np.ndarray, starts: np.ndarray) -> list[dt.datetime]:
        """Vectorised :meth:`datetime_at`, each position with its own form (True = START)."""
        if len(positions) == 0:
            return []
        self._ensure_position(int(positions.min()))
        self._ensure_position(int(positions.max()))
        right = np.searchsorted(self._cums_np, positions, side="right") - 1
        left = np.searchsorted(self._cums_np, positions, side="left") - 1
        i = np.where(starts, right, left)
        minutes = self._starts_np[i] + positions - self._cums_np[i]
        stamps = np.datetime64(_EPOCH, "m") + minutes.astype("timedelta64[m]")
        return stamps.astype("datetime64[us]").astype(object).tolist()

    # ----------------------------------------------------------------------------- arithmetic
    def next_working_time(self, moment: dt.datetime) -> dt.datetime:
        """``moment`` itself if it is working time, else the start of the next working interval."""
        return self.datetime_at(self.position(moment), Form.START)

    def previous_working_time(self, moment: dt.datetime) -> dt.datetime:
        """``moment`` itself if it is working time (or an interval's end), else the end of the
        previous working interval."""
        return self.datetime_at(self.position(moment), Form.FINISH)

    def add_working_minutes(self, moment: dt.datetime, minutes: int) -> dt.datetime:
        """Move ``minutes`` of working time forward (positive) or backward (negative).

        Forward, the count starts at the next working minute and a result at an interval boundary
        is the end of the interval (a finish: Friday 17:00, not Monday 08:00). Backward, a result
        at a boundary is the start of the interval (a start: Monday 08:00). Zero minutes give the
        next working time, as MS Project moves a start.
        """
        target = self.position(moment) + int(minutes)
        return self.datetime_at(target, Form.FINISH if minutes > 0 else Form.START)

    def working_minutes_between(self, first: dt.datetime, second: dt.datetime) -> int:
        """Working minutes from ``first`` to ``second`` (negative if ``second`` is earlier)."""
        return self.position(second) - self.position(first)

    def working_days_between(self, first: dt.date, second: dt.date) -> int:
        """Working days from ``first`` to ``second``: how many working days come after
        ``first`` up to and including ``second`` (negative, counted the other way, when
        ``second`` is earlier).

        This is how late a finish is "in working days": a milestone planned for Friday
        9 January and forecast for Friday 23 January is 10 working days late, the weekends
        and any holiday between them not counted. Days are whole days whatever their
        hours, so a short Friday counts as one day, as people count them.
        """
        if second == first:
            return 0
        sign = 1 if second > first else -1
        low, high = (first, second) if sign > 0 else (second, first)
        day = low + dt.timedelta(days=1)
        count = 0
        while day <= high:
            if self.intervals_on(day):
                count += 1
            day += dt.timedelta(days=1)
        return sign * count


@functools.lru_cache(maxsize=512)
def public_holidays(country: str, subdivision: str | None, year: int) -> frozenset[dt.date]:
    """The public holidays of ``country`` (and ``subdivision``) in ``year``.

    Cached for the process: a calendar is rebuilt for every schedule of a stored plan, and
    asking the ``holidays`` package day by day cost more than the scheduling itself.
    Raises NotImplementedError for a country the package does not know.
    """
    import holidays  # imported here so calendars without a country never pay for it

    return frozenset(holidays.country_holidays(country, subdiv=subdivision, years=year))


def _minutes_since_epoch(moment: dt.datetime) -> int:
    delta = moment - _EPOCH
    return delta.days * _MINUTES_PER_DAY + delta.seconds // 60
