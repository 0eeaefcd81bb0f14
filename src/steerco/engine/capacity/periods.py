"""The reporting periods: ISO weeks or calendar months, and the day grid beneath them.

A :class:`Horizon` covers whole periods: asked for 10 March to 20 April by month, its
periods run from 1 March to 30 April. Its day grid (``start``–``end``) reaches a little
further, to whole ISO weeks and whole calendar months at both ends, so that hours booked per
week or per month can be counted against their whole week or month. Every array of the
engine has one column per day of the grid (day 0 = ``Horizon.start``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

import numpy as np

from steerco.engine.capacity.errors import CapacityError


class Interval(StrEnum):
    WEEK = "week"
    MONTH = "month"


@dataclass(frozen=True)
class Period:
    """One ISO week (Monday–Sunday) or calendar month: ``start`` inclusive, ``end``
    exclusive; ``label`` is ``2027-W03`` or ``2027-03``."""

    index: int
    start: dt.date
    end: dt.date
    label: str

    @property
    def last(self) -> dt.date:
        """The period's last day (inclusive)."""
        return self.end - dt.timedelta(days=1)


def _week_start(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def _month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _next_month(day: dt.date) -> dt.date:
    return dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)


def _periods(first: dt.date, last: dt.date, interval: Interval) -> tuple[Period, ...]:
    periods = []
    if interval is Interval.WEEK:
        start = _week_start(first)
        while start <= last:
            end = start + dt.timedelta(days=7)
            year, week, _ = start.isocalendar()
            periods.append(Period(len(periods), start, end, f"{year}-W{week:02d}"))
            start = end
    else:
        start = _month_start(first)
        while start <= last:
            end = _next_month(start)
            periods.append(Period(len(periods), start, end, f"{start:%Y-%m}"))
            start = end
    return tuple(periods)


@dataclass(frozen=True)
class Horizon:
    """The days and periods a computation covers.

    Build it with :meth:`covering`. ``periods`` are the reporting periods; ``start``
    (inclusive) and ``end`` (exclusive) bound the day grid, which covers the periods and the
    whole ISO weeks and calendar months they touch.
    """

    start: dt.date
    end: dt.date
    interval: Interval
    periods: tuple[Period, ...]

    @classmethod
    def covering(
        cls, first: dt.date, last: dt.date, interval: Interval | str = Interval.WEEK
    ) -> Horizon:
        """The whole weeks or months that contain ``first`` to ``last`` (inclusive)."""
        try:
            interval = Interval(interval)
        except ValueError:
            raise CapacityError(f"Interval '{interval}' is not one of: week, month.") from None
        if last < first:
            raise CapacityError(
                f"The range ends ({last.isoformat()}) before it starts ({first.isoformat()})."
            )
        periods = _periods(first, last, interval)
        start = min(_week_start(first), _month_start(first))
        last_week_end = _week_start(last) + dt.timedelta(days=7)
        end = max(last_week_end, _next_month(last))
        return cls(start, end, interval, periods)

    @property
    def days(self) -> int:
        return (self.end - self.start).days

    def day_index(self, day: dt.date) -> int:
        """Column of ``day`` (may lie outside 0..days-1 for a day outside the horizon)."""
        return (day - self.start).days

    def period_bounds(self) -> tuple[np.ndarray, np.ndarray]:
        """Grid columns at which each period starts (inclusive) and ends (exclusive)."""
        starts = np.array([self.day_index(p.start) for p in self.periods], dtype=np.int64)
        ends = np.array([self.day_index(p.end) for p in self.periods], dtype=np.int64)
        return starts, ends

    def period_of_day(self) -> np.ndarray:
        """For each day of the grid, the index of its period, or -1 outside the periods."""
        result = np.full(self.days, -1, dtype=np.int64)
        for period in self.periods:
            result[self.day_index(period.start) : self.day_index(period.end)] = period.index
        return result

    def weeks(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The ISO weeks touching the grid: for each day its week number (from 0), and each
        week's whole first day and end (exclusive) as ``datetime64[D]``, even where the week
        runs past the grid."""
        offset = self.start.weekday()
        number = (np.arange(self.days) + offset) // 7
        first = np.datetime64(_week_start(self.start), "D")
        starts = first + 7 * np.arange(number[-1] + 1)
        return number, starts, starts + 7

    def months(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The calendar months touching the grid, as :meth:`weeks` gives the weeks."""
        numbers: list[int] = []
        starts = []
        day = self.start
        while day < self.end:
            following = _next_month(day)
            numbers.extend([len(starts)] * (min(following, self.end) - day).days)
            starts.append(_month_start(day))
            day = following
        start_array = np.array(starts, dtype="datetime64[D]")
        end_array = np.array([_next_month(s) for s in starts], dtype="datetime64[D]")
        return np.array(numbers, dtype=np.int64), start_array, end_array

    def period_containing(self, day: dt.date) -> Period | None:
        for period in self.periods:
            if period.start <= day < period.end:
                return period
        return None
