"""Baselines: up to eleven saved copies (0–10) of a schedule's dates, and variances against them.

Variances are in working minutes of the plan calendar, positive = later / longer than baseline,
as MS Project's StartVariance / FinishVariance / DurationVariance fields.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from steerco.engine.scheduling.calendar import WorkingCalendar
from steerco.engine.scheduling.model import Schedule

BASELINE_NUMBERS = range(11)


@dataclass(frozen=True, slots=True)
class BaselineTask:
    """A task's saved dates; None where that baseline value was never set."""

    start: dt.datetime | None
    finish: dt.datetime | None
    duration_minutes: int | None


@dataclass(frozen=True, slots=True)
class TaskVariance:
    """Current minus baseline, in working minutes (positive: later or longer); None where the
    baseline has no value to compare with."""

    uid: int
    start_minutes: int | None
    finish_minutes: int | None
    duration_minutes: int | None


def _check(number: int) -> None:
    if number not in BASELINE_NUMBERS:
        raise ValueError(f"Baseline number must be 0 to 10, not {number}.")


@dataclass
class Baselines:
    """The saved baselines of one plan, keyed by number 0–10 then task uid."""

    calendar: WorkingCalendar
    saved: dict[int, dict[int, BaselineTask]] = field(default_factory=dict)

    def save(self, schedule: Schedule, number: int = 0) -> None:
        """Save (or overwrite) baseline ``number`` from ``schedule``'s start/finish dates."""
        _check(number)
        between = self.calendar.working_minutes_between
        self.saved[number] = {
            t.uid: BaselineTask(t.start, t.finish, between(t.start, t.finish))
            for t in schedule.tasks.values()
        }

    def record(self, number: int, uid: int, task: BaselineTask) -> None:
        """Set one task's values in baseline ``number`` (e.g. read from a file)."""
        _check(number)
        self.saved.setdefault(number, {})[uid] = task

    def variances(self, schedule: Schedule, number: int = 0) -> dict[int, TaskVariance]:
        """Variances of every task present both in ``schedule`` and in baseline ``number``."""
        if number not in self.saved:
            raise KeyError(f"Baseline {number} has not been saved.")
        between = self.calendar.working_minutes_between
        result = {}
        for uid, base in self.saved[number].items():
            if uid not in schedule.tasks:
                continue
            current = schedule.tasks[uid]
            duration = between(current.start, current.finish)
            result[uid] = TaskVariance(
                uid=uid,
                start_minutes=None if base.start is None else between(base.start, current.start),
                finish_minutes=(
                    None if base.finish is None else between(base.finish, current.finish)
                ),
                duration_minutes=(
                    None if base.duration_minutes is None else duration - base.duration_minutes
                ),
            )
        return result
