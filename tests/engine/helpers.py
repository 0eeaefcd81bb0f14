"""Small builders for hand-worked scheduling cases on the standard calendar.

Week used throughout: Monday 2024-05-06 .. Friday 2024-05-10, then Monday 2024-05-13.
"""

from __future__ import annotations

import datetime as dt

from steerco.engine.scheduling import Link, LinkType, Plan, Task

DAY = 480  # working minutes in a standard day
MON = dt.date(2024, 5, 6)


def on(day_offset: int, hour: int, minute: int = 0) -> dt.datetime:
    """The datetime ``day_offset`` calendar days after Monday 2024-05-06, at hour:minute."""
    return dt.datetime.combine(MON + dt.timedelta(days=day_offset), dt.time(hour, minute))


def task(uid: int, days: float, name: str | None = None, **fields) -> Task:
    fields.setdefault("duration_minutes", round(days * DAY))
    return Task(uid=uid, name=name or f"T{uid}", **fields)


def link(pred: int, succ: int, kind: str = "FS", lag_days: float = 0, **fields) -> Link:
    fields.setdefault("lag_minutes", round(lag_days * DAY))
    return Link(pred, succ, LinkType[kind], **fields)


def plan(tasks, links=(), **fields) -> Plan:
    return Plan(tasks=list(tasks), links=list(links), start=on(0, 8), **fields)
