"""The schedule's RAG: how late a forecast finish may be before it is amber, then red.

Pure rule, so pages, lists, exports and (later) status reports colour a slip alike. The
slip is in working days of the plan's calendar (``WorkingCalendar.working_days_between``)
against the finish the project answers to: its approved baseline (0) when saved, else
its planned finish.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class ScheduleRag(Enum):
    GREEN = "green"
    AMBER = "amber"
    RED = "red"


@dataclass(frozen=True, slots=True)
class SlipTolerance:
    """Working days a forecast finish may be late: green up to ``green_days``, amber up
    to ``amber_days``, red beyond. An early or on-time finish is green."""

    green_days: int = 5
    amber_days: int = 20

    def __post_init__(self) -> None:
        if not 0 <= self.green_days <= self.amber_days:
            raise ValueError(
                f"Schedule tolerances must satisfy 0 ≤ green ({self.green_days}) "
                f"≤ amber ({self.amber_days}) working days."
            )


def schedule_rag(days_late: int, tolerance: SlipTolerance) -> ScheduleRag:
    """The RAG of a finish ``days_late`` working days late (negative: early)."""
    if days_late <= tolerance.green_days:
        return ScheduleRag.GREEN
    if days_late <= tolerance.amber_days:
        return ScheduleRag.AMBER
    return ScheduleRag.RED
