"""The editable fields of a plan's tasks and links, read into arrays for the passes.

Reading 100,000 dataclasses costs more than a whole pass, so a :class:`Scheduler` keeps these
arrays between runs and refreshes only the rows edited through it.
"""

from __future__ import annotations

from operator import attrgetter

import numpy as np

from steerco.engine.scheduling.errors import ScheduleError
from steerco.engine.scheduling.model import ConstraintType, LinkType, Plan, Task
from steerco.engine.scheduling.network import Network

_FS, _FF, _SS = LinkType.FS.value, LinkType.FF.value, LinkType.SS.value
#: A task whose fields all equal these (in this order) is "plain": ASAP, no progress, no
#: manual dates, no own calendar; plain tasks go through the whole-array path.
_PLAIN_TASK = (False, None, ConstraintType.ASAP, None, False, (), None)
_TASK_FIELDS = attrgetter(
    "manual", "actual_start", "constraint", "deadline", "elapsed", "resource_spans", "calendar"
)
_PLAIN_LAG = (None, False)
_LAG_FIELDS = attrgetter("lag_percent", "lag_elapsed")


def works_in_datetimes(task: Task, plan: Plan) -> bool:
    """True when the task's dates cannot be worked on the project calendar's working minutes:
    elapsed duration, a calendar of its own, or resources on their own calendars."""
    own_calendar = task.calendar is not None and task.calendar is not plan.calendar
    return task.elapsed or bool(task.resource_spans) or own_calendar


class Inputs:
    """Arrays of durations, link types and lags, and which tasks and links need the general
    (per-task) rules. Rows are task indices and link indices of the :class:`Network`."""

    def __init__(self, plan: Plan, network: Network) -> None:
        self.plan = plan
        self.net = network
        tasks, links = plan.tasks, plan.links
        n, m = network.n, len(links)
        try:
            self.duration = np.fromiter(map(attrgetter("duration_minutes"), tasks), np.int64, n)
            self.lag = np.fromiter(map(attrgetter("lag_minutes"), links), np.int64, m)
        except (OverflowError, TypeError, ValueError) as error:
            raise ScheduleError(
                f"Durations and lags must be whole minutes below 2**63 ({error})."
            ) from error
        self.special = np.fromiter(map(_PLAIN_TASK.__ne__, map(_TASK_FIELDS, tasks)), bool, n)
        self.slow = np.zeros(n, dtype=bool)
        for i in np.flatnonzero(self.special).tolist():
            self.slow[i] = works_in_datetimes(tasks[i], plan)
        self.link_type = np.fromiter(map(attrgetter("type._value_"), links), np.int64, m)
        self.odd_lag = np.fromiter(map(_PLAIN_LAG.__ne__, map(_LAG_FIELDS, links)), bool, m)
        self._derive()

    def _derive(self) -> None:
        """Recompute the arrays that follow from the per-row ones (whole-array, cheap)."""
        net = self.net
        self.special_tasks = np.flatnonzero(self.special).tolist()
        # Lags that integer key arithmetic cannot do: percent, elapsed, or into a task worked
        # in datetimes (its lag runs on its own calendar).
        self.odd_links = self.odd_lag | self.slow[net.link_succ_task]
        size = net.node_count
        self.special_forward = np.zeros(size + 1, dtype=bool)
        self.special_forward[: net.n] = self.special
        self.special_backward = self.special_forward.copy()
        self.special_forward[net.link_succ[self.odd_links]] = True
        self.special_backward[net.link_pred[self.odd_links]] = True
        self.finish_based = (self.link_type == _FS) | (self.link_type == _FF)
        self.start_target = (self.link_type == _FS) | (self.link_type == _SS)

    def refresh_task(self, i: int) -> None:
        task = self.plan.tasks[i]
        self.duration[i] = task.duration_minutes
        self.special[i] = _TASK_FIELDS(task) != _PLAIN_TASK
        self.slow[i] = bool(self.special[i]) and works_in_datetimes(task, self.plan)
        self._derive()

    def refresh_link(self, k: int) -> None:
        link = self.plan.links[k]
        self.link_type[k] = link.type.value
        self.lag[k] = link.lag_minutes
        self.odd_lag[k] = _LAG_FIELDS(link) != _PLAIN_LAG
        self._derive()
