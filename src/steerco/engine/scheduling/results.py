"""Schedule results: per-task dates built on demand, and driving predecessors."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import fields as dataclass_fields

from steerco.engine.scheduling.errors import ScheduleError
from steerco.engine.scheduling.model import LinkType, Schedule, ScheduledTask

#: Which computed date an exact-datetime override replaces.
FIELDS = ("es", "ef", "ls", "lf")


class ScheduledTasks(Mapping):
    """Per-task results keyed by uid, in plan order.

    The dates are kept as working-time keys and turned into datetimes for all tasks at once on
    first access (one vectorised conversion), so callers that only need slack, the critical
    path or the project span never pay for 400,000 datetime objects.
    """

    def __init__(self, uids, calendar, keys, overrides, alap, slack) -> None:
        """``keys``: early start, early finish, late start, late finish arrays; ``slack``: the
        lists of the fields after them in :class:`ScheduledTask` (total and free slack,
        critical, start and finish slack), in that order."""
        self._uids = uids
        self._calendar = calendar
        self._keys = keys
        self._overrides = overrides
        self._alap = alap
        self._slack = tuple(slack)
        self._position: dict[int, int] | None = None
        self._columns: tuple[list, ...] | None = None

    def _materialise(self) -> tuple[list, ...]:
        if self._columns is None:
            columns = [
                self._calendar.datetimes_for_forms(keys >> 1, (keys & 1).astype(bool))
                for keys in self._keys
            ]
            for (i, which), moment in self._overrides.items():
                columns[FIELDS.index(which)][i] = moment
            early_start, early_finish, late_start, late_finish = columns
            start, finish = list(early_start), list(early_finish)
            for i in self._alap:
                start[i], finish[i] = late_start[i], late_finish[i]
            self._columns = (start, finish, *columns, *self._slack)
            self._position = dict(zip(self._uids, range(len(self._uids)), strict=True))
        return self._columns

    def __getitem__(self, uid: int) -> ScheduledTask:
        columns = self._materialise()
        i = self._position[uid]
        return ScheduledTask(uid, *(column[i] for column in columns))

    def values(self) -> list[ScheduledTask]:  # type: ignore[override]
        """Every task's result in plan order (a list, built in one sweep)."""
        return list(map(ScheduledTask, self._uids, *self._materialise()))

    def columns(self) -> dict[str, list]:
        """Each field of :class:`ScheduledTask` after ``uid``, by name: every task's value in
        plan order (new lists). Writers of every task's dates read these rather than
        100,000 ScheduledTask objects made for them."""
        names = [field.name for field in dataclass_fields(ScheduledTask)[1:]]
        return dict(zip(names, map(list, self._materialise()), strict=True))

    def items(self) -> list[tuple[int, ScheduledTask]]:  # type: ignore[override]
        return list(zip(self._uids, self.values(), strict=True))

    def __iter__(self) -> Iterator[int]:
        return iter(self._uids)

    def __len__(self) -> int:
        return len(self._uids)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, ScheduledTasks):
            return self._uids == other._uids and self._materialise() == other._materialise()
        return Mapping.__eq__(self, other)

    def __repr__(self) -> str:
        return f"ScheduledTasks({len(self)} tasks)"


def driving_predecessors(schedule: Schedule, uid: int) -> list[int]:
    """Uids of the predecessors whose link sets the early dates of task ``uid``, in link order.

    A link drives when its relationship slack is zero: the successor's start (FS/SS) or finish
    (FF/SF) is no later than the predecessor's date moved by the lag.
    """
    plan = schedule.plan
    if plan is None:
        raise ScheduleError("This schedule does not carry its plan.")
    by_uid = {task.uid: task for task in plan.tasks}
    result = schedule.tasks[uid]
    calendar = plan.calendar
    drivers = []
    for link in plan.links:
        if link.successor_uid != uid:
            continue
        pred = schedule.tasks[link.predecessor_uid]
        base = pred.early_finish if link.type in (LinkType.FS, LinkType.FF) else pred.early_start
        lag = link.lag_minutes
        if link.lag_percent is not None:
            lag = round(by_uid[link.predecessor_uid].duration_minutes * link.lag_percent / 100)
        if link.lag_elapsed:
            moved_position = calendar.position(base + dt.timedelta(minutes=lag))
        else:
            moved_position = calendar.position(base) + lag
        own = result.early_start if link.type in (LinkType.FS, LinkType.SS) else result.early_finish
        if calendar.position(own) <= moved_position:
            drivers.append(link.predecessor_uid)
    return drivers
