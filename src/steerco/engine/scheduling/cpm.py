"""Critical path method: forward and backward passes, float, critical path.

How times are represented. Each date is converted once to an integer *key* on the project
calendar's working timeline (see :mod:`keys`), so the passes are integer max/min/add. Tasks on a
calendar of their own (or elapsed, or worked by resources on their calendars) are computed in
exact datetimes instead, since a key cannot hold a time inside the project calendar's gaps
(a night shift at 23:00).

Speed. The network is cut into topological *waves* (see :mod:`network`); in a wide wave the
ordinary tasks are computed with whole-array numpy operations and only tasks with something
special (constraints, progress, own calendar, manual dates, summaries) go through per-task
Python. 100,000 tasks schedule in well under a second.

MS Project rules followed (checked against the MSPDI files in ``shared/data``):

* A task with work starts at the next working minute after its driving date; a milestone stays
  exactly at its driving date (a milestone after a task finishing Friday 17:00 is at Friday 17:00).
* Adding positive working time lands at the end of an interval (a finish); subtracting lands at
  the start of one (a start).
* Lags are working time of the successor's task calendar, or of the project calendar when the
  successor has none (resource calendars never apply to lags); elapsed lags are calendar time;
  percent lags are that share of the predecessor's duration.
* Late dates of tasks with work are moved back to the end of the previous working interval.
* Slack is in working minutes of the task's calendar (its own, else the project calendar):
  start slack = late start − early start, finish slack = late finish − early finish, total
  slack = the smaller (finish slack alone once started, 0 once complete); a task held at an
  honoured MSO/MFO/SNLT/FNLT date against its links counts its finish slack from the finish
  the links would give, so it shows the conflict (start slack 0, total slack negative).
  Free slack = the smallest gap from the task's dates, moved by each link's lag, to its
  successors' early dates (total slack when it has none), never negative and not capped by
  total slack. Critical = total slack ≤ the critical slack limit (0 by default).
* Summary tasks span their children: early/late start = min of children, finish = max.
  A link into a summary constrains every task inside it; a link out of it uses the summary's
  rolled-up dates.
* Constraints: SNET/FNET push forward. SNLT/FNLT/MSO/MFO and deadlines cap the late dates (giving
  negative float in a conflict); with ``honor_constraints`` they also fix the early dates against
  the links, otherwise links win. ALAP tasks are placed at their late dates.
* The project start holds back only tasks that nothing else places: an SNET, FNET, MSO or MFO
  date before it moves the task before it (ASAP tasks never move earlier), and the schedule's
  start is then the earliest task start.
* Progress: completed tasks keep their actual dates, have no slack and are never critical;
  started tasks keep their actual start and schedule the remaining duration from the status date
  at the earliest (total slack is then late finish − early finish); unstarted tasks start no
  earlier than the status date. Manual tasks keep their dates.

Failure. A plan that cannot be scheduled raises :class:`ScheduleError` and nothing else (see
:mod:`errors`): a calendar error or a date past the year 9999 met on the way is turned into one,
naming the task being computed or, for a date past a calendar's horizon, the first task to
cross it.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from steerco.engine.collector import collector_paused
from steerco.engine.scheduling.calendar import (
    CalendarError,
    CalendarHorizonError,
    Form,
    WorkingCalendar,
)
from steerco.engine.scheduling.errors import ScheduleCycleError, ScheduleError, unschedulable
from steerco.engine.scheduling.inputs import Inputs
from steerco.engine.scheduling.keys import add, add_array, sub, sub_array
from steerco.engine.scheduling.model import (
    ConstraintType,
    Link,
    LinkType,
    Plan,
    Schedule,
    Task,
)
from steerco.engine.scheduling.network import Network
from steerco.engine.scheduling.results import FIELDS, ScheduledTasks, driving_predecessors

_FF, _FS, _SF, _SS = LinkType.FF.value, LinkType.FS.value, LinkType.SF.value, LinkType.SS.value
_NEG = -(1 << 60)
_POS = 1 << 60
_ASAP = ConstraintType.ASAP
#: Waves with fewer ordinary tasks than this are computed task by task (numpy calls cost more).
VECTOR_MIN = 24
#: Constraints whose date places a task: the project start does not hold it back.
_PLACING = frozenset(
    (ConstraintType.SNET, ConstraintType.FNET, ConstraintType.MSO, ConstraintType.MFO)
)
#: Constraints that, honoured, keep a task at its date against its links.
_OVERRIDING = frozenset(
    (ConstraintType.MSO, ConstraintType.MFO, ConstraintType.SNLT, ConstraintType.FNLT)
)


def _placed_by_constraint(task: Task) -> bool:
    """True when a dated SNET, FNET, MSO or MFO constraint places the task.

    MS Project starts a task at the project start only when nothing else places it: such a
    constraint dated before the project start moves the task before it (the project's start
    is then the earliest task start). ASAP tasks are never moved earlier.
    """
    return task.constraint_date is not None and task.constraint in _PLACING


def _overrides_links(task: Task) -> bool:
    return task.constraint_date is not None and task.constraint in _OVERRIDING


def _later(moment: dt.datetime | None, other: dt.datetime) -> dt.datetime:
    """The later of two datetimes, ``moment`` None meaning "no floor yet"."""
    return other if moment is None else max(moment, other)


class Scheduler:
    """Schedules a plan and keeps what it compiled, so re-scheduling after an edit is cheap.

    Edit through :meth:`update_task` / :meth:`update_link` and call :meth:`schedule` again:
    only the edited rows are re-read. After editing ``plan`` directly, call :meth:`refresh`
    (fields changed) or :meth:`rebuild` (tasks or links added or removed, outline changed).
    """

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        with collector_paused():
            self.network = Network(plan)
            self.inputs = Inputs(plan, self.network)

    def rebuild(self) -> None:
        with collector_paused():
            self.network = Network(self.plan)
            self.inputs = Inputs(self.plan, self.network)

    def refresh(self) -> None:
        with collector_paused():
            self.inputs = Inputs(self.plan, self.network)

    def update_task(self, uid: int, **changes) -> None:
        """Change fields of task ``uid`` (e.g. ``duration_minutes=960``) for the next run."""
        i = self.network.index_of[uid]
        task = self.plan.tasks[i]
        for name, value in changes.items():
            if name in ("uid", "parent_uid"):
                raise ValueError(f"Changing '{name}' changes the network: use rebuild().")
            setattr(task, name, value)
        self.inputs.refresh_task(i)

    def update_link(self, index: int, **changes) -> None:
        """Change fields of ``plan.links[index]`` (type, lag) for the next run."""
        link = self.plan.links[index]
        for name, value in changes.items():
            if name in ("predecessor_uid", "successor_uid"):
                raise ValueError(f"Changing '{name}' changes the network: use rebuild().")
            setattr(link, name, value)
        self.inputs.refresh_link(index)

    def schedule(self) -> Schedule:
        run = _Pass(self.plan, self.network, self.inputs)
        with collector_paused():
            try:
                return run.run()
            except (CalendarError, OverflowError) as error:
                raise unschedulable(error, task=run.task_at_fault()) from error


def schedule_plan(plan: Plan) -> Schedule:
    """Schedule ``plan`` (see the module docstring for the rules).

    Raises ScheduleError (ScheduleCycleError for a dependency loop) for a plan that cannot be
    scheduled, with a message for the user.
    """
    return Scheduler(plan).schedule()


class _Pass:
    """One scheduling run: forward pass, backward pass, slack, results."""

    def __init__(self, plan: Plan, network: Network, inputs: Inputs) -> None:
        self.plan = plan
        self.net = network
        self.cal = plan.calendar
        self.tasks = plan.tasks
        # Exact datetimes of tasks worked in datetimes: (task index, "es"/"ef"/"ls"/"lf").
        self.exact: dict[tuple[int, str], dt.datetime] = {}
        self.duration = inputs.duration
        self.special_tasks = inputs.special_tasks
        self.slow = inputs.slow
        self.link_type = inputs.link_type
        self.lag = inputs.lag
        self.odd_links = inputs.odd_links
        self.special_forward = inputs.special_forward
        self.special_backward = inputs.special_backward
        self.finish_based = inputs.finish_based
        self.start_target = inputs.start_target
        #: Index of the task whose dates are being computed one by one (None in whole-array
        #: work), so that a date beyond the calendar can be blamed on the task.
        self.at: int | None = None

    # --------------------------------------------------------------- conversions
    def key_of(self, moment: dt.datetime) -> int:
        position = self.cal.position(moment)
        starts_here = moment >= self.cal.datetime_at(position, Form.START)
        return (position << 1) | int(starts_here)

    def start_key(self, moment: dt.datetime) -> int:
        return (self.cal.position(moment) << 1) | 1

    def datetime_of(self, key: int) -> dt.datetime:
        key = int(key)
        return self.cal.datetime_at(key >> 1, Form.START if key & 1 else Form.FINISH)

    # --------------------------------------------------------------- per task rules
    def _task_calendar(self, task: Task) -> WorkingCalendar | None:
        if task.calendar is not None and task.calendar is not self.cal:
            return task.calendar
        return None

    def _lag(self, link: Link) -> int:
        if link.lag_percent is not None:
            pred = self.tasks[self.net.index_of[link.predecessor_uid]]
            return round(pred.duration_minutes * link.lag_percent / 100)
        return link.lag_minutes

    def _lag_shift(self, key: int, k: int, sign: int) -> int:
        """``key`` moved by link ``k``'s lag (``sign`` −1 for the backward pass)."""
        link = self.plan.links[k]
        successor = self.tasks[int(self.net.link_succ_task[k])]
        minutes = sign * self._lag(link)
        calendar = self._task_calendar(successor)
        if not link.lag_elapsed and calendar is None:
            return add(key, minutes) if sign > 0 else sub(key, -minutes)
        if minutes == 0:
            return key
        moment = self.datetime_of(key)
        if link.lag_elapsed:
            return self.key_of(moment + dt.timedelta(minutes=minutes))
        return self.key_of(calendar.add_working_minutes(moment, minutes))

    def _remaining(self, task: Task) -> int:
        if task.remaining_duration_minutes is not None:
            return task.remaining_duration_minutes
        return round(task.duration_minutes * (1 - task.percent_complete / 100))

    # --------------------------------------------------------------- exact (datetime) work
    def _work_forward(self, task: Task, moment: dt.datetime, minutes: int):
        """Exact (begin, end) of ``minutes`` of the task's work starting at ``moment``."""
        if task.resource_spans and minutes == task.duration_minutes:
            begins, ends = [], []
            for span in task.resource_spans:
                begins.append(span.calendar.next_working_time(moment))
                ends.append(span.calendar.add_working_minutes(begins[-1], span.duration_minutes))
            return min(begins), max(ends)
        if task.elapsed:
            return moment, moment + dt.timedelta(minutes=minutes)
        if minutes <= 0:
            return moment, moment
        calendar = self._task_calendar(task) or self.cal
        begin = calendar.next_working_time(moment)
        return begin, calendar.add_working_minutes(begin, minutes)

    def _work_backward(self, task: Task, moment: dt.datetime, minutes: int):
        """Exact (begin, end) of ``minutes`` of the task's work ending at ``moment``."""
        if task.resource_spans and minutes == task.duration_minutes:
            begins, ends = [], []
            for span in task.resource_spans:
                ends.append(span.calendar.previous_working_time(moment))
                begins.append(span.calendar.add_working_minutes(ends[-1], -span.duration_minutes))
            return min(begins), max(ends)
        if task.elapsed:
            return moment - dt.timedelta(minutes=minutes), moment
        if minutes <= 0:
            return moment, moment
        calendar = self._task_calendar(task) or self.cal
        end = calendar.previous_working_time(moment)
        return calendar.add_working_minutes(end, -minutes), end

    def _span_forward(self, i: int, task: Task, start: int, minutes: int, store: str = "e"):
        """Start and finish keys of ``minutes`` of work from key ``start``; tasks worked in
        datetimes keep them in ``self.exact`` under ``store`` + "s"/"f"."""
        if not self.slow[i]:
            if minutes > 0:
                start |= 1
            return start, add(start, minutes)
        begin, end = self._work_forward(task, self.datetime_of(start), minutes)
        self.exact[(i, store + "s")], self.exact[(i, store + "f")] = begin, end
        return self.key_of(begin), self.key_of(end)

    def _span_backward(self, i: int, task: Task, finish: int, minutes: int, store: str = "l"):
        """Start and finish keys of ``minutes`` of work ending at key ``finish``."""
        if not self.slow[i]:
            if minutes > 0:
                finish &= ~1
            return sub(finish, minutes), finish
        begin, end = self._work_backward(task, self.datetime_of(finish), minutes)
        self.exact[(i, store + "s")], self.exact[(i, store + "f")] = begin, end
        return self.key_of(begin), self.key_of(end)

    def _moment(self, node: int, which: str, keys: np.ndarray) -> dt.datetime:
        """Exact datetime of a computed date: ``which`` is "es", "ef", "ls" or "lf"."""
        exact = self.exact.get((node, which)) if node < self.net.n else None
        return exact if exact is not None else self.datetime_of(keys[node])

    def _shift_moment(self, moment: dt.datetime, k: int, sign: int) -> dt.datetime:
        link = self.plan.links[k]
        minutes = sign * self._lag(link)
        if minutes == 0:
            return moment
        if link.lag_elapsed:
            return moment + dt.timedelta(minutes=minutes)
        successor = self.tasks[int(self.net.link_succ_task[k])]
        calendar = self._task_calendar(successor) or self.cal
        return calendar.add_working_minutes(moment, minutes)

    # --------------------------------------------------------------- forward pass
    def forward(self) -> None:
        net = self.net
        size = net.node_count
        self.ES = np.zeros(size, dtype=np.int64)
        self.EF = np.zeros(size, dtype=np.int64)
        # Floors a summary head passes to its children; the extra slot is "no parent".
        self.head_start = np.full(size + 1, _NEG, dtype=np.int64)
        self.head_finish = np.full(size + 1, _NEG, dtype=np.int64)
        self.project_start = self.start_key(self.plan.start)
        # Early finish (key) each task held at an honoured constraint date against its links
        # would have had if the links won; it measures the conflict as negative finish slack.
        self.logic_finish: dict[int, int] = {}
        status = self.plan.status_date
        self.status_key = self.start_key(status) if status is not None else _NEG
        start_floor = np.full(size, _NEG, dtype=np.int64)
        finish_floor = np.full(size, _NEG, dtype=np.int64)
        ES, EF = self.ES, self.EF
        for w in range(len(net.waves)):
            leaves = net.wave_leaves[w]
            for head in net.wave_heads[w]:
                self._forward_head(head)
            if leaves.size >= VECTOR_MIN:
                lo, hi = net.forward_bounds[w], net.forward_bounds[w + 1]
                if hi > lo:
                    chosen = net.forward_links[lo:hi]
                    preds = net.link_pred[chosen]
                    base = np.where(self.finish_based[chosen], EF[preds], ES[preds])
                    candidate = add_array(base, self.lag[chosen])
                    to_start = self.start_target[chosen]
                    targets = net.link_succ[chosen]
                    np.maximum.at(start_floor, targets[to_start], candidate[to_start])
                    np.maximum.at(finish_floor, targets[~to_start], candidate[~to_start])
                odd = self.special_forward[leaves]
                simple = leaves[~odd]
                self._forward_simple(simple, start_floor[simple], finish_floor[simple])
                for node in leaves[odd].tolist():
                    self._forward_leaf(node)
            else:
                for node in leaves.tolist():
                    self._forward_leaf(node)
            for tail in net.wave_tails[w]:
                children = net.children[tail]
                ES[tail] = ES[children].min()
                EF[tail] = EF[children].max()
        self.at = None

    def _forward_simple(self, nodes, link_start, link_finish) -> None:
        """Early dates of ordinary tasks (no constraint, progress or calendar of their own)."""
        net = self.net
        start = np.maximum(link_start, max(self.project_start, self.status_key))
        start = np.maximum(start, self.head_start[net.parent_head[nodes]])
        finish_floor = np.maximum(link_finish, self.head_finish[net.parent_head[nodes]])
        minutes = self.duration[nodes]
        working = minutes > 0
        start = np.where(working, start | 1, start)
        finish = np.where(working, ((start >> 1) + minutes) << 1, start)
        late = finish < finish_floor
        if late.any():
            moved = np.where(working, (((finish_floor >> 1) - minutes) << 1) | 1, finish_floor)
            start = np.where(late, moved, start)
            finish = np.where(late, finish_floor, finish)
        self.ES[nodes] = start
        self.EF[nodes] = finish

    def _gather_forward(self, node: int) -> tuple[int, int]:
        """Start and finish floors (keys) from the links into ``node``."""
        net = self.net
        start_floor = finish_floor = _NEG
        for k in net.links_into(node).tolist():
            p = int(net.link_pred[k])
            kind = int(self.link_type[k])
            base = int(self.EF[p] if (kind in (_FS, _FF)) else self.ES[p])
            if self.odd_links[k]:
                candidate = self._lag_shift(base, k, 1)
            else:
                candidate = add(base, int(self.lag[k]))
            if kind in (_FS, _SS):
                start_floor = max(start_floor, candidate)
            else:
                finish_floor = max(finish_floor, candidate)
        return start_floor, finish_floor

    def _forward_head(self, head: int) -> None:
        net = self.net
        i = self.at = int(net.head_owner[head - net.n])
        start_floor, finish_floor = self._gather_forward(head)
        parent_head = int(net.parent_head[i])
        start_floor = max(start_floor, int(self.head_start[parent_head]))
        finish_floor = max(finish_floor, int(self.head_finish[parent_head]))
        task = self.tasks[i]
        if task.constraint is ConstraintType.SNET and task.constraint_date is not None:
            start_floor = max(start_floor, self.start_key(task.constraint_date))
        self.head_start[head], self.head_finish[head] = start_floor, finish_floor

    def _forward_leaf(self, node: int) -> None:
        """Early dates of one task, whatever it carries (the general rules)."""
        self.at = node
        task = self.tasks[node]
        ES, EF = self.ES, self.EF
        if task.manual and task.start is not None and task.finish is not None:
            ES[node], EF[node] = self.key_of(task.start), self.key_of(task.finish)
            self.exact[(node, "es")], self.exact[(node, "ef")] = task.start, task.finish
            return
        if task.actual_finish is not None and task.actual_start is not None:
            ES[node] = self.key_of(task.actual_start)
            EF[node] = self.key_of(task.actual_finish)
            self.exact[(node, "es")] = self.exact[(node, "ls")] = task.actual_start
            self.exact[(node, "ef")] = self.exact[(node, "lf")] = task.actual_finish
            return
        if task.actual_start is not None:
            self._forward_started(node, task, task.duration_minutes)
            return
        parent_head = int(self.net.parent_head[node])
        # Floors from the enclosing summaries and the status date; the project start joins
        # them only for a task that no dated constraint places (see _placed_by_constraint).
        start_floor = max(int(self.head_start[parent_head]), self.status_key)
        finish_floor = int(self.head_finish[parent_head])
        if self.slow[node]:
            self._forward_slow(node, task, start_floor, finish_floor)
            return
        link_start, link_finish = self._gather_forward(node)
        start_floor = max(start_floor, link_start)
        finish_floor = max(finish_floor, link_finish)
        floor = start_floor if _placed_by_constraint(task) else max(start_floor, self.project_start)
        honor = self.plan.honor_constraints
        ES[node], EF[node] = self._early_span(node, task, floor, finish_floor, honor)
        if honor and _overrides_links(task):
            _, logic_finish = self._early_span(node, task, start_floor, finish_floor, False)
            if logic_finish > EF[node]:
                self.logic_finish[node] = logic_finish

    def _early_span(
        self, node: int, task: Task, start_floor: int, finish_floor: int, honor: bool
    ) -> tuple[int, int]:
        """Early start and finish keys of a task worked in keys, from its floors and its
        constraint (``honor``: MS Project's "tasks will always honor their constraint dates")."""
        minutes = task.duration_minutes
        constraint, date = task.constraint, task.constraint_date
        if constraint is not _ASAP and date is not None:
            start_floor, finish_floor = self._forward_constraint(
                task, start_floor, finish_floor, honor
            )
        start, finish = self._span_forward(node, task, start_floor, minutes)
        if finish < finish_floor:
            start, _ = self._span_backward(node, task, finish_floor, minutes)
            finish = finish_floor
        if honor and date is not None:
            if constraint is ConstraintType.SNLT:
                cap = self.start_key(date)
                if start > cap:
                    start, finish = self._span_forward(node, task, cap, minutes)
            elif constraint is ConstraintType.FNLT:
                cap = self.key_of(date)
                if finish > cap:
                    start, finish = self._span_backward(node, task, cap, minutes, "e")
        return start, finish

    def _forward_started(self, node: int, task: Task, minutes: int) -> None:
        """A started task keeps its actual start; the rest follows the status date."""
        start = self.key_of(task.actual_start)
        remaining = self._remaining(task)
        done = max(0, minutes - remaining)
        _, resume = self._span_forward(node, task, start, done, "x")
        if self.plan.status_date is not None and resume < self.status_key:
            _, finish = self._span_forward(node, task, self.status_key, remaining, "x")
        elif task.resource_spans and done + remaining == minutes:
            # Work in progress on resource calendars continues as planned.
            _, finish = self._span_forward(node, task, start, minutes, "x")
        else:
            _, finish = self._span_forward(node, task, resume, remaining, "x")
        if self.slow[node]:
            self.exact[(node, "ef")] = self.exact[(node, "xf")]
        self.ES[node], self.EF[node] = start, finish
        self.exact[(node, "es")] = self.exact[(node, "ls")] = task.actual_start

    def _forward_constraint(self, task, start_floor, finish_floor, honor):
        constraint, date = task.constraint, task.constraint_date
        if constraint is ConstraintType.SNET:
            start_floor = max(start_floor, self.start_key(date))
        elif constraint is ConstraintType.FNET:
            finish_floor = max(finish_floor, self.key_of(date))
        elif constraint is ConstraintType.MSO:
            key = self.start_key(date)
            start_floor = key if honor else max(start_floor, key)
        elif constraint is ConstraintType.MFO:
            if honor:
                start_floor, finish_floor = _NEG, self.key_of(date)
            else:
                finish_floor = max(finish_floor, self.key_of(date))
        return start_floor, finish_floor

    def _forward_slow(self, node: int, task: Task, start_floor: int, finish_floor: int) -> None:
        """Early dates of a task worked in exact datetimes (its own calendar, elapsed, spans);
        the floors are keys as in :meth:`_forward_leaf` (without the project start)."""
        net = self.net
        start = self._floor_moment(start_floor)
        finish = self._floor_moment(finish_floor)
        for k in net.links_into(node).tolist():
            p = int(net.link_pred[k])
            kind = int(self.link_type[k])
            if kind in (_FS, _FF):
                base = self._moment(p, "ef", self.EF)
            else:
                base = self._moment(p, "es", self.ES)
            candidate = self._shift_moment(base, k, 1)
            if kind in (_FS, _SS):
                start = _later(start, candidate)
            else:
                finish = _later(finish, candidate)
        floor = start
        if not _placed_by_constraint(task):
            floor = _later(floor, self.datetime_of(self.project_start))
        honor = self.plan.honor_constraints
        begin, end = self._early_moments(task, floor, finish, honor)
        if honor and _overrides_links(task) and (start is not None or finish is not None):
            _, logic_end = self._early_moments(task, start, finish, False)
            if logic_end > end:
                self.exact[(node, "cf")] = logic_end
                self.logic_finish[node] = self.key_of(logic_end)
        self.exact[(node, "es")], self.exact[(node, "ef")] = begin, end
        self.ES[node], self.EF[node] = self.key_of(begin), self.key_of(end)

    def _floor_moment(self, key: int) -> dt.datetime | None:
        """The datetime of a floor key; None for "no floor"."""
        return self.datetime_of(key) if key > _NEG else None

    def _early_moments(
        self, task: Task, start: dt.datetime | None, finish: dt.datetime | None, honor: bool
    ) -> tuple[dt.datetime, dt.datetime]:
        """Exact early (begin, end) of a task worked in datetimes from its floors (datetimes,
        None for none) and its constraint; the datetime twin of :meth:`_early_span`."""
        constraint, date = task.constraint, task.constraint_date
        if date is not None:
            if constraint is ConstraintType.SNET:
                start = _later(start, date)
            elif constraint is ConstraintType.FNET:
                finish = _later(finish, date)
            elif constraint is ConstraintType.MSO:
                start = date if honor else _later(start, date)
            elif constraint is ConstraintType.MFO:
                if honor:
                    start, finish = None, date
                else:
                    finish = _later(finish, date)
        minutes = task.duration_minutes
        if start is None:
            # Only a finish floor: the task ends there (FNET or MFO before anything else).
            begin, end = self._work_backward(task, finish, minutes)
        else:
            begin, end = self._work_forward(task, start, minutes)
            if finish is not None and end < finish:
                begin, _ = self._work_backward(task, finish, minutes)
                end = finish
        if honor and date is not None and constraint is ConstraintType.SNLT and begin > date:
            begin, end = self._work_forward(task, date, minutes)
        if honor and date is not None and constraint is ConstraintType.FNLT and end > date:
            begin, end = self._work_backward(task, date, minutes)
        return begin, end

    # --------------------------------------------------------------- backward pass
    def backward(self) -> None:
        net = self.net
        n, size = net.n, net.node_count
        self.LS = np.zeros(size, dtype=np.int64)
        self.LF = np.zeros(size, dtype=np.int64)
        # Caps a summary passes down to its children; the extra slot is "no parent".
        self.tail_start = np.full(n + 1, _POS, dtype=np.int64)
        self.tail_finish = np.full(n + 1, _POS, dtype=np.int64)
        finish_key = int(self.EF[:n].max()) if n else self.project_start
        finishes = [m for (_, which), m in self.exact.items() if which == "ef"]
        # The first conversion of a date worked out in keys alone: a plan running past the
        # calendar's horizon fails here.
        self.project_finish_moment = max(
            [self._datetime_or_blame(finish_key, late=False), *finishes]
        )
        self.finish_key = finish_key
        start_cap = np.full(size, _POS, dtype=np.int64)
        finish_cap = np.full(size, _POS, dtype=np.int64)
        LS, LF = self.LS, self.LF
        for w in reversed(range(len(net.waves))):
            leaves = net.wave_leaves[w]
            for tail in net.wave_tails[w]:
                self._backward_tail(tail)
            if leaves.size >= VECTOR_MIN:
                lo, hi = net.backward_bounds[w], net.backward_bounds[w + 1]
                if hi > lo:
                    chosen = net.backward_links[lo:hi]
                    succs = net.link_succ[chosen]
                    base = np.where(self.start_target[chosen], LS[succs], LF[succs])
                    candidate = sub_array(base, self.lag[chosen])
                    on_finish = self.finish_based[chosen]
                    sources = net.link_pred[chosen]
                    np.minimum.at(finish_cap, sources[on_finish], candidate[on_finish])
                    np.minimum.at(start_cap, sources[~on_finish], candidate[~on_finish])
                odd = self.special_backward[leaves]
                simple = leaves[~odd]
                self._backward_simple(simple, start_cap[simple], finish_cap[simple])
                for node in leaves[odd].tolist():
                    self._backward_leaf(node)
            else:
                for node in leaves.tolist():
                    self._backward_leaf(node)
            for head in net.wave_heads[w]:
                i = int(net.head_owner[head - n])
                children = net.children[i]
                LS[i] = LS[head] = LS[children].min()
                LF[i] = LF[head] = LF[children].max()
        self.at = None

    def _backward_simple(self, nodes, link_start_cap, link_finish_cap) -> None:
        net = self.net
        parents = net.parent_tail[nodes]
        finish_cap = np.minimum(link_finish_cap, self.finish_key)
        finish_cap = np.minimum(finish_cap, self.tail_finish[parents])
        start_cap = np.minimum(link_start_cap, self.tail_start[parents])
        minutes = self.duration[nodes]
        working = minutes > 0
        finish = np.where(working, finish_cap & ~1, finish_cap)
        start = np.where(working, (((finish >> 1) - minutes) << 1) | 1, finish)
        early = start > start_cap
        if early.any():
            moved = np.where(working, start_cap | 1, start_cap)
            moved_finish = np.where(working, ((moved >> 1) + minutes) << 1, moved)
            start = np.where(early, np.minimum(moved, start_cap), start)
            finish = np.where(early, moved_finish, finish)
        self.LS[nodes] = start
        self.LF[nodes] = finish

    def _gather_backward(self, node: int) -> tuple[int, int]:
        """Late-start and late-finish caps (keys) from the links out of ``node``."""
        net = self.net
        start_cap = finish_cap = _POS
        for k in net.links_out_of(node).tolist():
            s = int(net.link_succ[k])
            kind = int(self.link_type[k])
            base = int(self.LS[s] if (kind in (_FS, _SS)) else self.LF[s])
            if self.odd_links[k]:
                candidate = self._lag_shift(base, k, -1)
            else:
                candidate = sub(base, int(self.lag[k]))
            if kind in (_FS, _FF):
                finish_cap = min(finish_cap, candidate)
            else:
                start_cap = min(start_cap, candidate)
        return start_cap, finish_cap

    def _backward_tail(self, i: int) -> None:
        self.at = i
        start_cap, finish_cap = self._gather_backward(i)
        parent = int(self.net.parent_tail[i])
        start_cap = min(start_cap, int(self.tail_start[parent]))
        finish_cap = min(finish_cap, int(self.tail_finish[parent]))
        task = self.tasks[i]
        if task.deadline is not None:
            finish_cap = min(finish_cap, self.key_of(task.deadline))
        self.tail_start[i], self.tail_finish[i] = start_cap, finish_cap

    def _backward_leaf(self, node: int) -> None:
        """Late dates of one task, whatever it carries (the general rules)."""
        self.at = node
        task = self.tasks[node]
        LS, LF = self.LS, self.LF
        if task.actual_finish is not None and task.actual_start is not None:
            LS[node], LF[node] = self.ES[node], self.EF[node]
            return
        parent = int(self.net.parent_tail[node])
        if self.slow[node] and task.actual_start is None:
            self._backward_slow(
                node, task, int(self.tail_start[parent]), int(self.tail_finish[parent])
            )
            return
        start_cap, finish_cap = self._gather_backward(node)
        start_cap = min(start_cap, int(self.tail_start[parent]))
        finish_cap = min(finish_cap, int(self.tail_finish[parent]), self.finish_key)
        constraint, date = task.constraint, task.constraint_date
        if date is not None and constraint in (ConstraintType.MSO, ConstraintType.SNLT):
            start_cap = min(start_cap, self.start_key(date))
        elif date is not None and constraint in (ConstraintType.MFO, ConstraintType.FNLT):
            finish_cap = min(finish_cap, self.key_of(date))
        if task.deadline is not None:
            finish_cap = min(finish_cap, self.key_of(task.deadline))
        minutes = task.duration_minutes
        if task.actual_start is not None:
            remaining = self._remaining(task)
            if minutes > 0 and remaining > 0:
                finish_cap &= ~1
            if start_cap < _POS:
                _, from_start = self._span_forward(node, task, start_cap, remaining, "x")
                finish_cap = min(finish_cap, from_start)
            LS[node], LF[node] = self.ES[node], finish_cap
            return
        start, finish = self._span_backward(node, task, finish_cap, minutes)
        if start > start_cap:
            start, finish = self._span_forward(node, task, start_cap, minutes, "l")
            start = min(start, start_cap)
        LS[node], LF[node] = start, finish

    def _backward_slow(self, node: int, task: Task, start_cap: int, finish_cap: int) -> None:
        """Late dates of a task worked in exact datetimes."""
        net = self.net
        latest_start = self.datetime_of(start_cap) if start_cap < _POS else dt.datetime.max
        latest_finish = self.project_finish_moment
        if finish_cap < _POS:
            latest_finish = min(latest_finish, self.datetime_of(finish_cap))
        for k in net.links_out_of(node).tolist():
            s = int(net.link_succ[k])
            kind = int(self.link_type[k])
            if kind in (_FS, _SS):
                base = self._moment(s, "ls", self.LS)
            else:
                base = self._moment(s, "lf", self.LF)
            candidate = self._shift_moment(base, k, -1)
            if kind in (_FS, _FF):
                latest_finish = min(latest_finish, candidate)
            else:
                latest_start = min(latest_start, candidate)
        constraint, date = task.constraint, task.constraint_date
        if date is not None and constraint in (ConstraintType.MSO, ConstraintType.SNLT):
            latest_start = min(latest_start, date)
        elif date is not None and constraint in (ConstraintType.MFO, ConstraintType.FNLT):
            latest_finish = min(latest_finish, date)
        if task.deadline is not None:
            latest_finish = min(latest_finish, task.deadline)
        minutes = task.duration_minutes
        begin, end = self._work_backward(task, latest_finish, minutes)
        if begin > latest_start:
            begin, end = self._work_forward(task, latest_start, minutes)
        self.exact[(node, "ls")], self.exact[(node, "lf")] = begin, end
        self.LS[node], self.LF[node] = self.key_of(begin), self.key_of(end)

    # --------------------------------------------------------------- slack and results
    def run(self) -> Schedule:
        self.forward()
        self.backward()
        return self.results()

    def results(self) -> Schedule:
        net, tasks = self.net, self.tasks
        n = net.n
        es, ef, ls, lf = self.ES[:n], self.EF[:n], self.LS[:n], self.LF[:n]
        if n:
            # The dates are turned into datetimes only when first read; reaching the earliest
            # and the latest now makes a date beyond the calendar fail in schedule_plan.
            self._datetime_or_blame(min(int(es.min()), int(ls.min())), late=True)
            self._datetime_or_blame(max(int(ef.max()), int(lf.max())), late=True)
        started = np.zeros(n, dtype=bool)
        finished = np.zeros(n, dtype=bool)
        alap = []
        for i in self.special_tasks:
            task = tasks[i]
            started[i] = task.actual_start is not None
            finished[i] = started[i] and task.actual_finish is not None
            # A summary spans its children even when marked ALAP.
            if (
                task.constraint is ConstraintType.ALAP
                and not started[i]
                and not net.has_children[i]
            ):
                alap.append(i)
        start_slack, finish_slack = self._start_and_finish_slack()
        start_slack[finished] = finish_slack[finished] = 0
        total = np.minimum(start_slack, finish_slack)
        # A started task can no longer move its start: only its finish can slip.
        total = np.where(started, finish_slack, total)
        total = np.where(finished, 0, total)
        free = self._free_slack(total, finished)
        critical = (total <= self.plan.critical_slack_limit_minutes) & ~finished
        overrides = {key: moment for key, moment in self.exact.items() if key[1] in FIELDS}
        project_start, project_finish = self._project_span(es, ef, overrides)
        negative = np.flatnonzero(total < 0).tolist()
        warnings = [
            f"Task '{tasks[i].name or tasks[i].uid}' has negative float of "
            f"{-int(total[i])} working minutes: a constraint, deadline or actual date cannot "
            f"be met."
            for i in negative
        ]
        leaves = np.flatnonzero(critical & ~net.has_children)
        path_order = np.lexsort((leaves, ef[leaves], es[leaves]))
        uids = net.uids.tolist()
        return Schedule(
            start=project_start,
            finish=project_finish,
            tasks=ScheduledTasks(
                uids,
                self.cal,
                (es, ef, ls, lf),
                overrides,
                alap,
                (
                    total.tolist(),
                    free.tolist(),
                    critical.tolist(),
                    start_slack.tolist(),
                    finish_slack.tolist(),
                ),
            ),
            critical_path=[uids[i] for i in leaves[path_order].tolist()],
            warnings=warnings,
            plan=self.plan,
        )

    def _datetime_or_blame(self, key: int, *, late: bool) -> dt.datetime:
        """The datetime of ``key``. Beyond the calendar's horizon, first blame the task that
        crosses the horizon first, comparing the early dates (and with ``late``, the late
        dates too, once the backward pass has computed them)."""
        try:
            return self.datetime_of(key)
        except CalendarHorizonError as error:
            if error.position is not None:
                self.at = self._first_across(error.position, before=error.before, late=late)
            raise

    def _first_across(self, position: int, *, before: bool, late: bool) -> int | None:
        """Forward, the earliest-starting task finishing at or past working ``position``;
        backward, the latest-finishing task starting at or before it (None if none). A
        summary only spans its children, so one of them is named rather than the summary."""
        n = self.net.n
        if before:
            starts = np.minimum(self.ES[:n], self.LS[:n]) if late else self.ES[:n]
            beyond = (starts >> 1) <= position
        else:
            finishes = np.maximum(self.EF[:n], self.LF[:n]) if late else self.EF[:n]
            beyond = (finishes >> 1) >= position
        leaves = beyond & ~self.net.has_children
        across = np.flatnonzero(leaves if leaves.any() else beyond)
        if not across.size:
            return None
        order = -(self.EF[across] >> 1) if before else self.ES[across] >> 1
        return int(across[np.argmin(order)])

    def task_at_fault(self) -> str | None:
        """Name of the task a failure is blamed on (see :attr:`at`), if any."""
        if self.at is None:
            return None
        task = self.tasks[self.at]
        return task.name or str(task.uid)

    def _project_span(self, es, ef, overrides) -> tuple[dt.datetime, dt.datetime]:
        """Earliest early start and latest early finish, exact datetimes taking precedence."""
        if not len(es):
            return self.plan.start, self.plan.start
        spans = []
        for field, keys, pick in (("es", es, np.min), ("ef", ef, np.max)):
            rows = [i for i, which in overrides if which == field]
            moments = [overrides[(i, field)] for i in rows]
            keyed = np.ones(len(keys), dtype=bool)
            keyed[rows] = False
            if keyed.any():
                moments.append(self.datetime_of(pick(keys[keyed])))
            spans.append(moments)
        starts, finishes = spans
        return min(starts), max(finishes)

    def _start_and_finish_slack(self) -> tuple[np.ndarray, np.ndarray]:
        """Start slack (late start − early start) and finish slack (late finish − early finish)
        of every task, in working minutes of the task's calendar: its own calendar when it has
        one, else the project calendar (also for elapsed tasks and tasks worked by resources on
        their calendars, whose dates are measured on it).

        A task held at an honoured MSO, MFO, SNLT or FNLT date against its links has its finish
        slack measured from the finish its links would give it (``logic_finish``), so the
        conflict shows on the task itself: start slack 0, finish slack and total slack negative.
        """
        n = self.net.n
        es, ef, ls, lf = self.ES[:n], self.EF[:n], self.LS[:n], self.LF[:n]
        early_finish = ef.copy()
        for i, key in self.logic_finish.items():
            early_finish[i] = key
        start_slack = (ls >> 1) - (es >> 1)
        finish_slack = (lf >> 1) - (early_finish >> 1)
        for i in self.special_tasks:
            calendar = self._task_calendar(self.tasks[i])
            if calendar is None:
                continue
            early_start = self._moment(i, "es", self.ES)
            logic_finish = self.exact.get((i, "cf")) or self._moment(i, "ef", self.EF)
            late_start = self._moment(i, "ls", self.LS)
            late_finish = self._moment(i, "lf", self.LF)
            start_slack[i] = calendar.working_minutes_between(early_start, late_start)
            finish_slack[i] = calendar.working_minutes_between(logic_finish, late_finish)
        return start_slack, finish_slack

    def _free_slack(self, total: np.ndarray, finished: np.ndarray) -> np.ndarray:
        """Free slack: how far each task's early dates can slip without delaying any
        successor's early dates, through each link's type and lag; the task's total slack when
        it has no successors (MS Project's rule). In working minutes of the task's calendar.

        Never negative (a successor held at a constraint date before the task finishes leaves
        it 0) and not capped by total slack: a task on a chain with negative total slack can
        have 0 free slack. Completed tasks have none.
        """
        net = self.net
        n = net.n
        ES, EF = self.ES, self.EF
        free = np.full(n, _POS, dtype=np.int64)
        if len(self.lag):
            preds = net.link_pred
            succ_tasks = net.link_succ_task
            base = np.where(self.finish_based, EF[preds], ES[preds])
            candidate = add_array(base, self.lag)
            for k in np.flatnonzero(self.odd_links).tolist():
                candidate[k] = self._lag_shift(int(base[k]), k, 1)
            target = np.where(self.start_target, ES[succ_tasks], EF[succ_tasks])
            gap = (target >> 1) - (candidate >> 1)
            own_calendar = np.zeros(n, dtype=bool)
            for i in self.special_tasks:
                own_calendar[i] = self._task_calendar(self.tasks[i]) is not None
            for k in np.flatnonzero(own_calendar[preds]).tolist():
                gap[k] = self._gap_on_own_calendar(k)
            np.minimum.at(free, preds, gap)
        free = np.where(free == _POS, total, free)
        return np.where(finished, 0, np.maximum(free, 0))

    def _gap_on_own_calendar(self, k: int) -> int:
        """Link ``k``'s free slack, in working minutes of its predecessor's own calendar."""
        net = self.net
        p, s = int(net.link_pred[k]), int(net.link_succ_task[k])
        if self.finish_based[k]:
            base = self._moment(p, "ef", self.EF)
        else:
            base = self._moment(p, "es", self.ES)
        if self.start_target[k]:
            target = self._moment(s, "es", self.ES)
        else:
            target = self._moment(s, "ef", self.EF)
        calendar = self._task_calendar(self.tasks[p])
        return calendar.working_minutes_between(self._shift_moment(base, k, 1), target)


__all__ = [
    "ScheduleCycleError",
    "ScheduleError",
    "Scheduler",
    "driving_predecessors",
    "schedule_plan",
]
