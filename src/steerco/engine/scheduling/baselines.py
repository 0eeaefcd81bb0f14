"""Baselines: up to eleven saved copies (0–10) of a schedule's dates, and variances against them.

Variances are in working minutes of the plan calendar, positive = later / longer than baseline.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from steerco.engine.scheduling.calendar import WorkingCalendar
from steerco.engine.scheduling.model import Schedule

BASELINE_NUMBERS = range(11)


@dataclass(frozen=True, slots=True)
class BaselineTask:
    start: dt.datetime
    finish: dt.datetime
    duration_minutes: int


@dataclass(frozen=True, slots=True)
class TaskVariance:
    """Current minus baseline, in working minutes (positive: later or longer)."""

    uid: int
    start_minutes: int
    finish_minutes: int
    duration_minutes: int


@dataclass
class Baselines:
    """The saved baselines of one plan, keyed by number 0–10 then task uid."""

    calendar: WorkingCalendar
    saved: dict[int, dict[int, BaselineTask]] = field(default_factory=dict)

    def save(self, schedule: Schedule, number: int = 0) -> None:
        """Save (or overwrite) baseline ``number`` from ``schedule``'s start/finish dates."""
        if number not in BASELINE_NUMBERS:
            raise ValueError(f"Baseline number must be 0 to 10, not {number}.")
        between = self.calendar.working_minutes_between
        self.saved[number] = {
            uid: BaselineTask(t.start, t.finish, between(t.start, t.finish))
            for uid, t in schedule.tasks.items()
        }

    def variances(self, schedule: Schedule, number: int = 0) -> dict[int, TaskVariance]:
        """Variances of every task present both in ``schedule`` and in baseline ``number``."""
        if number not in self.saved:
            raise KeyError(f"Baseline {number} has not been saved.")
        between = self.calendar.working_minutes_between
        result = {}
        for uid, base in self.saved[number].items():
            current = schedule.tasks.get(uid)
            if current is None:
                continue
            duration = between(current.start, current.finish)
            result[uid] = TaskVariance(
                uid=uid,
                start_minutes=between(base.start, current.start),
                finish_minutes=between(base.finish, current.finish),
                duration_minutes=duration - base.duration_minutes,
            )
        return result
