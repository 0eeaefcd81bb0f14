"""Critical path method: forward and backward passes, float, critical path.

How times are represented. Each date is converted once to a *key* on the project calendar's
working timeline: ``key = 2 * position + form``, where ``position`` is the count of working
minutes before the date (see :mod:`calendar`) and ``form`` is 1 for a start-like date (the next
working minute, Monday 08:00) and 0 for a finish-like date (the end of the previous working
interval, Friday 17:00). Keys order exactly as the datetimes they stand for, so the passes are
integer ``max``/``min`` and additions, and the key keeps the distinction MS Project shows between
"finishes Friday 17:00" and "finishes Monday 08:00" (an SF or FF link can produce the latter).

MS Project rules followed (checked against the MSPDI files in ``shared/data``):

* A task with work starts at the next working minute after its driving date; a milestone stays
  exactly at its driving date (a milestone after a task finishing Friday 17:00 is at Friday 17:00).
* Adding positive working time lands at the end of an interval (a finish); subtracting lands at
  the start of one (a start).
* Lags are working time of the successor's task calendar, or of the project calendar when the
  successor has none (resource calendars never apply to lags); elapsed lags are calendar time;
  percent lags are that share of the predecessor's duration.
* Late dates of tasks with work are moved back to the end of the previous working interval;
  total slack = min(late start − early start, late finish − early finish) in working minutes of
  the project calendar; free slack is the smallest gap to a successor's dates, at most total
  slack; critical = total slack ≤ the critical slack limit (0 by default).
* Summary tasks span their children: early/late start = min of children, finish = max.
  A link into a summary constrains every task inside it; a link out of it uses the summary's
  rolled-up dates.
* Constraints: SNET/FNET push forward. SNLT/FNLT/MSO/MFO and deadlines cap the late dates (giving
  negative float in a conflict); with ``honor_constraints`` they also fix the early dates against
  the links, otherwise links win.
* Progress: completed tasks keep their actual dates and are never critical; started tasks keep
  their actual start and schedule the remaining duration from the status date at the earliest;
  unstarted tasks start no earlier than the status date. Manual tasks keep their dates.
"""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace

import numpy as np

from steerco.engine.scheduling.calendar import Form, WorkingCalendar
from steerco.engine.scheduling.model import (
    ConstraintType,
    Link,
    LinkType,
    Plan,
    Schedule,
    ScheduledTask,
    Task,
)

_FF, _FS, _SF, _SS = (
    LinkType.FF.value,
    LinkType.FS.value,
    LinkType.SF.value,
    LinkType.SS.value,
)
_NEG = -(1 << 62)
_POS = 1 << 62


class ScheduleError(ValueError):
    """The plan cannot be scheduled; the message says why in the user's terms."""


class ScheduleCycleError(ScheduleError):
    """The dependencies form a loop. ``cycle`` lists the task uids of the loop in order."""

    def __init__(self, message: str, cycle: list[int]) -> None:
        super().__init__(message)
        self.cycle = cycle


# ------------------------------------------------------------------------------ key arithmetic
def _add(key: int, minutes: int) -> int:
    """Key ``minutes`` of working time after ``key`` (before, if negative); see module doc."""
    if minutes > 0:
        return ((key >> 1) + minutes) << 1
    if minutes < 0:
        return (((key >> 1) + minutes) << 1) | 1
    return key


def _sub(key: int, minutes: int) -> int:
    """Key ``minutes`` of working time before ``key``: a start when it lands on a boundary."""
    if minutes > 0:
        return (((key >> 1) - minutes) << 1) | 1
    if minutes < 0:
        return ((key >> 1) - minutes) << 1
    return key


@contextmanager
def _without_cyclic_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector: the passes allocate hundreds of thousands of small
    objects and nothing cyclic, and each automatic collection would rescan the whole plan."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class _Network:
    """The plan compiled to index-based lists; built once and reused by :class:`Scheduler`."""

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        tasks = plan.tasks
        n = len(tasks)
        self.n = n
        self.index_of = {task.uid: i for i, task in enumerate(tasks)}
        if len(self.index_of) != n:
            raise ScheduleError("Two tasks share the same uid.")
        children: list[list[int]] = [[] for _ in range(n)]
        parent = [-1] * n
        for i, task in enumerate(tasks):
            if task.parent_uid is not None:
                p = self.index_of.get(task.parent_uid)
                if p is None:
                    raise ScheduleError(f"Task '{task.name}' has an unknown parent.")
                parent[i] = p
                children[p].append(i)
        self.children = children
        self.parent = parent
        # A summary node with children is split: its head (index n + k) takes incoming links
        # and passes their floors down; the task index itself is the tail that rolls up.
        self.head = list(range(n))
        self.head_owner: list[int] = []
        for i in range(n):
            if children[i]:
                self.head[i] = n + len(self.head_owner)
                self.head_owner.append(i)
        self.node_count = n + len(self.head_owner)
        self.link_in: list[list[tuple[int, int, int]]] = [[] for _ in range(self.node_count)]
        self.link_out: list[list[tuple[int, int, int]]] = [[] for _ in range(self.node_count)]
        self.links = plan.links
        for k, link in enumerate(plan.links):
            p = self.index_of.get(link.predecessor_uid)
            s = self.index_of.get(link.successor_uid)
            if p is None or s is None:
                raise ScheduleError(
                    f"A dependency refers to an unknown task "
                    f"({link.predecessor_uid} → {link.successor_uid})."
                )
            if p == s:
                raise ScheduleCycleError(
                    f"Task '{tasks[p].name}' depends on itself.", [tasks[p].uid]
                )
            head_s = self.head[s]
            self.link_in[head_s].append((p, link.type.value, k))
            self.link_out[p].append((head_s, link.type.value, k))
        self.order = self._topological_order()

    def node_task(self, node: int) -> int:
        return node if node < self.n else self.head_owner[node - self.n]

    def _successor_nodes(self) -> list[list[int]]:
        succ: list[list[int]] = [[] for _ in range(self.node_count)]
        for node in range(self.node_count):
            for s, _type, _k in self.link_out[node]:
                succ[node].append(s)
        for i in range(self.n):
            p = self.parent[i]
            if p >= 0:
                succ[self.head[p]].append(self.head[i])  # parent head before child
                succ[i].append(p)  # child tail before parent tail
        return succ

    def _topological_order(self) -> list[int]:
        """Kahn's algorithm, taking ready nodes in index order so the result is deterministic."""
        succ = self._successor_nodes()
        indegree = [0] * self.node_count
        for targets in succ:
            for s in targets:
                indegree[s] += 1
        ready = [node for node in range(self.node_count) if indegree[node] == 0]
        ready.reverse()
        order: list[int] = []
        while ready:
            node = ready.pop()
            order.append(node)
            for s in succ[node]:
                indegree[s] -= 1
                if indegree[s] == 0:
                    ready.append(s)
        if len(order) < self.node_count:
            self._raise_cycle(succ, indegree)
        self.successors = succ
        return order

    def _raise_cycle(self, succ: list[list[int]], indegree: list[int]) -> None:
        remaining = {node for node in range(self.node_count) if indegree[node] > 0}
        # Every remaining node has a remaining predecessor, so walking backwards must loop.
        preds: dict[int, list[int]] = {node: [] for node in remaining}
        for node in remaining:
            for s in succ[node]:
                if s in remaining:
                    preds[s].append(node)
        start = min(remaining)
        seen: dict[int, int] = {}
        walk: list[int] = []
        node = start
        while node not in seen:
            seen[node] = len(walk)
            walk.append(node)
            node = min(preds[node])
        loop = list(reversed(walk[seen[node] :]))  # in dependency direction
        first = loop.index(min(loop, key=self.node_task))  # start at the earliest task in the plan
        loop = loop[first:] + loop[:first]
        uids: list[int] = []
        for node in loop:
            uid = self.plan.tasks[self.node_task(node)].uid
            if not uids or uids[-1] != uid:
                uids.append(uid)
        if len(uids) > 1 and uids[0] == uids[-1]:
            uids.pop()
        names = [self.plan.tasks[self.index_of[uid]].name or f"#{uid}" for uid in uids]
        if len(names) == 1:
            message = f"Task '{names[0]}' depends on itself through its summary task."
        else:
            message = f"Task '{names[0]}' depends on itself through " + " → ".join(
                f"'{name}'" for name in names[1:]
            )
        raise ScheduleCycleError(message, uids)


class Scheduler:
    """Schedules a plan; keeps the compiled network so re-scheduling after an edit is cheap.

    Edit tasks or link lags in ``plan`` in place (durations, constraints, progress, lags) and call
    :meth:`schedule` again; call :meth:`rebuild` after adding or removing tasks or links.
    """

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        with _without_cyclic_gc():
            self.network = _Network(plan)

    def rebuild(self) -> None:
        with _without_cyclic_gc():
            self.network = _Network(self.plan)

    def schedule(self) -> Schedule:
        with _without_cyclic_gc():
            return _Pass(self.plan, self.network).run()


def schedule_plan(plan: Plan) -> Schedule:
    """Schedule ``plan`` (see the module docstring for the rules). Raises ScheduleCycleError."""
    return Scheduler(plan).schedule()


class _Pass:
    """One scheduling run: forward pass, backward pass, slack, results."""

    def __init__(self, plan: Plan, network: _Network) -> None:
        self.plan = plan
        self.net = network
        self.cal = plan.calendar
        self.tasks = plan.tasks
        # Exact datetimes of tasks scheduled on their own calendar (keys lose time in gaps).
        self.exact: dict[tuple[int, str], dt.datetime] = {}

    # --------------------------------------------------------------- conversions
    def key_of(self, moment: dt.datetime) -> int:
        position = self.cal.position(moment)
        starts_here = moment >= self.cal.datetime_at(position, Form.START)
        return (position << 1) | int(starts_here)

    def start_key(self, moment: dt.datetime) -> int:
        return (self.cal.position(moment) << 1) | 1

    def datetime_of(self, key: int) -> dt.datetime:
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

    def _lag_shift(self, key: int, link: Link, successor: Task, sign: int) -> int:
        """``key`` moved by the link's lag (``sign`` −1 for the backward pass)."""
        minutes = sign * self._lag(link)
        calendar = self._task_calendar(successor)
        if not link.lag_elapsed and calendar is None:
            return _add(key, minutes) if sign > 0 else _sub(key, -minutes)
        if minutes == 0:
            return key
        moment = self.datetime_of(key)
        if link.lag_elapsed:
            return self.key_of(moment + dt.timedelta(minutes=minutes))
        return self.key_of(calendar.add_working_minutes(moment, minutes))

    def _slow_span(self, task: Task) -> bool:
        return task.elapsed or bool(task.resource_spans) or self._task_calendar(task) is not None

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
        calendar = self._task_calendar(task) or self.cal
        if minutes <= 0:
            return moment, moment
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
        calendar = self._task_calendar(task) or self.cal
        if minutes <= 0:
            return moment, moment
        end = calendar.previous_working_time(moment)
        return calendar.add_working_minutes(end, -minutes), end

    def _span_forward(
        self, i: int, task: Task, start: int, minutes: int, store: str = "e"
    ) -> tuple[int, int]:
        """Start and finish keys of ``minutes`` of work from key ``start``.

        Tasks on another calendar keep their exact datetimes in ``self.exact`` under
        ``store`` + "s"/"f" ("es"/"ef" for early dates, "ls"/"lf" for late dates).
        """
        if not self._slow_span(task):
            if minutes > 0:
                start |= 1
            return start, _add(start, minutes)
        begin, end = self._work_forward(task, self.datetime_of(start), minutes)
        self.exact[(i, store + "s")], self.exact[(i, store + "f")] = begin, end
        return self.key_of(begin), self.key_of(end)

    def _span_backward(
        self, i: int, task: Task, finish: int, minutes: int, store: str = "l"
    ) -> tuple[int, int]:
        """Start and finish keys of ``minutes`` of work ending at key ``finish``."""
        if not self._slow_span(task):
            if minutes > 0:
                finish &= ~1
            return _sub(finish, minutes), finish
        begin, end = self._work_backward(task, self.datetime_of(finish), minutes)
        self.exact[(i, store + "s")], self.exact[(i, store + "f")] = begin, end
        return self.key_of(begin), self.key_of(end)

    def _moment(self, node: int, which: str, keys: list[int]) -> dt.datetime:
        """Exact datetime of a computed date: ``which`` is "es", "ef", "ls" or "lf"."""
        exact = self.exact.get((node, which))
        return exact if exact is not None else self.datetime_of(keys[node])

    def _shift_moment(self, moment: dt.datetime, link: Link, successor: Task, sign: int):
        minutes = sign * self._lag(link)
        if minutes == 0:
            return moment
        if link.lag_elapsed:
            return moment + dt.timedelta(minutes=minutes)
        calendar = self._task_calendar(successor) or self.cal
        return calendar.add_working_minutes(moment, minutes)

    def _forward_slow(self, node, task, s_floor, f_floor, honor, es, ef) -> None:
        """Early dates of a task on its own calendar, worked in exact datetimes."""
        start = self.datetime_of(s_floor)
        finish = self.datetime_of(f_floor) if f_floor > _NEG else dt.datetime.min
        for p, kind, k in self.net.link_in[node]:
            which = "ef" if (kind == _FS or kind == _FF) else "es"
            base = self._moment(p, which, ef if which == "ef" else es)
            candidate = self._shift_moment(base, self.net.links[k], task, 1)
            if kind == _FS or kind == _SS:
                start = max(start, candidate)
            else:
                finish = max(finish, candidate)
        constraint, date = task.constraint, task.constraint_date
        if date is not None:
            if constraint is ConstraintType.SNET:
                start = max(start, date)
            elif constraint is ConstraintType.FNET:
                finish = max(finish, date)
            elif constraint is ConstraintType.MSO:
                start = date if honor else max(start, date)
            elif constraint is ConstraintType.MFO:
                if honor:
                    start, finish = dt.datetime.min, date
                else:
                    finish = max(finish, date)
        minutes = task.duration_minutes
        begin, end = self._work_forward(task, start, minutes)
        if end < finish:
            begin, _ = self._work_backward(task, finish, minutes)
            end = finish
        if honor and date is not None and constraint is ConstraintType.SNLT and begin > date:
            begin, end = self._work_forward(task, date, minutes)
        if honor and date is not None and constraint is ConstraintType.FNLT and end > date:
            begin, end = self._work_backward(task, date, minutes)
        self.exact[(node, "es")], self.exact[(node, "ef")] = begin, end
        es[node], ef[node] = self.key_of(begin), self.key_of(end)

    def _backward_slow(self, node, task, ls_cap, lf_cap, ls, lf, head_ls, head_lf) -> None:
        """Late dates of a task on its own calendar, worked in exact datetimes."""
        n = self.net.n
        latest_start = self.datetime_of(ls_cap) if ls_cap < _POS else dt.datetime.max
        latest_finish = self.project_finish_moment
        if lf_cap < _POS:
            latest_finish = min(latest_finish, self.datetime_of(lf_cap))
        for s, kind, k in self.net.link_out[node]:
            if kind == _FS or kind == _SS:
                base = self.datetime_of(head_ls[s]) if s >= n else self._moment(s, "ls", ls)
            else:
                base = self.datetime_of(head_lf[s]) if s >= n else self._moment(s, "lf", lf)
            successor = self.tasks[self.net.node_task(s)]
            candidate = self._shift_moment(base, self.net.links[k], successor, -1)
            if kind == _FS or kind == _FF:
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
        ls[node], lf[node] = self.key_of(begin), self.key_of(end)

    def _remaining(self, task: Task) -> int:
        if task.remaining_duration_minutes is not None:
            return task.remaining_duration_minutes
        return round(task.duration_minutes * (1 - task.percent_complete / 100))

    # --------------------------------------------------------------- forward pass
    def forward(self) -> None:
        net, tasks = self.net, self.tasks
        n = net.n
        es = [0] * n
        ef = [0] * n
        head_start = [_NEG] * net.node_count
        head_finish = [_NEG] * net.node_count
        project_start = self.start_key(self.plan.start)
        status = self.plan.status_date
        status_key = self.start_key(status) if status is not None else _NEG
        honor = self.plan.honor_constraints
        links = net.links
        head = net.head
        parent = net.parent
        children = net.children
        link_in = net.link_in
        fast = [not self._slow_span(t) for t in tasks]
        plain_lag = [
            None if (lk.lag_elapsed or lk.lag_percent is not None) else lk.lag_minutes
            for lk in links
        ]
        succ_fast_lag = fast
        for node in net.order:
            if node >= n:  # head of a summary: gather floors for everything inside it
                i = net.head_owner[node - n]
                s_floor, f_floor = self._gather(node, i, es, ef, links, plain_lag, succ_fast_lag)
                p = parent[i]
                if p >= 0:
                    s_floor = max(s_floor, head_start[head[p]])
                    f_floor = max(f_floor, head_finish[head[p]])
                task = tasks[i]
                if task.constraint is ConstraintType.SNET and task.constraint_date:
                    s_floor = max(s_floor, self.start_key(task.constraint_date))
                head_start[node], head_finish[node] = s_floor, f_floor
                continue
            task = tasks[node]
            if children[node]:  # tail of a summary: roll up
                es[node] = min(es[c] for c in children[node])
                ef[node] = max(ef[c] for c in children[node])
                continue
            if task.manual and task.start is not None and task.finish is not None:
                es[node], ef[node] = self.key_of(task.start), self.key_of(task.finish)
                continue
            if task.actual_finish is not None and task.actual_start is not None:
                es[node] = self.key_of(task.actual_start)
                ef[node] = self.key_of(task.actual_finish)
                self.exact[(node, "es")] = self.exact[(node, "ls")] = task.actual_start
                self.exact[(node, "ef")] = self.exact[(node, "lf")] = task.actual_finish
                continue
            minutes = task.duration_minutes
            if link_in[node] and fast[node]:
                s_floor, f_floor = self._gather(node, node, es, ef, links, plain_lag, fast)
                s_floor = max(s_floor, project_start)
            else:
                s_floor, f_floor = project_start, _NEG
            p = parent[node]
            if p >= 0:
                s_floor = max(s_floor, head_start[head[p]])
                f_floor = max(f_floor, head_finish[head[p]])
            if task.actual_start is not None:
                start = self.key_of(task.actual_start)
                remaining = self._remaining(task)
                done = max(0, minutes - remaining)
                _, resume = self._span_forward(node, task, start, done, "x")
                if status is not None and resume < status_key:
                    _, finish = self._span_forward(node, task, status_key, remaining, "x")
                elif task.resource_spans and done + remaining == minutes:
                    # Work in progress on resource calendars continues as planned.
                    _, finish = self._span_forward(node, task, start, minutes, "x")
                else:
                    _, finish = self._span_forward(node, task, resume, remaining, "x")
                if not fast[node]:
                    self.exact[(node, "ef")] = self.exact[(node, "xf")]
                es[node], ef[node] = start, finish
                self.exact[(node, "es")] = self.exact[(node, "ls")] = task.actual_start
                continue
            s_floor = max(s_floor, status_key)
            if not fast[node]:
                self._forward_slow(node, task, s_floor, f_floor, honor, es, ef)
                continue
            constraint = task.constraint
            if constraint is not ConstraintType.ASAP and task.constraint_date is not None:
                s_floor, f_floor = self._forward_constraint(task, s_floor, f_floor, honor, minutes)
            start, finish = self._span_forward(node, task, s_floor, minutes)
            if finish < f_floor:
                start, finish = self._span_backward(node, task, f_floor, minutes)
                finish = f_floor
            if honor and constraint in (ConstraintType.SNLT, ConstraintType.FNLT):
                start, finish = self._cap_early(node, task, start, finish, minutes)
            es[node], ef[node] = start, finish
        self.es, self.ef = es, ef
        self.head_start, self.head_finish = head_start, head_finish

    def _gather(self, node, i, es, ef, links, plain_lag, fast) -> tuple[int, int]:
        """Start and finish floors from the links into ``node`` (a leaf or a summary head)."""
        s_floor = f_floor = _NEG
        successor = self.tasks[i]
        successor_fast = fast[i] if i < len(fast) else True
        for p, kind, k in self.net.link_in[node]:
            base = ef[p] if (kind == _FS or kind == _FF) else es[p]
            lag = plain_lag[k]
            if lag is not None and successor_fast:
                if lag > 0:
                    cand = ((base >> 1) + lag) << 1
                elif lag < 0:
                    cand = (((base >> 1) + lag) << 1) | 1
                else:
                    cand = base
            else:
                cand = self._lag_shift(base, links[k], successor, 1)
            if kind == _FS or kind == _SS:
                s_floor = max(s_floor, cand)
            elif cand > f_floor:
                f_floor = cand
        return s_floor, f_floor

    def _forward_constraint(self, task, s_floor, f_floor, honor, minutes):
        constraint, date = task.constraint, task.constraint_date
        if constraint is ConstraintType.SNET:
            s_floor = max(s_floor, self.start_key(date))
        elif constraint is ConstraintType.FNET:
            f_floor = max(f_floor, self.key_of(date))
        elif constraint is ConstraintType.MSO:
            s_floor = self.start_key(date) if honor else max(s_floor, self.start_key(date))
        elif constraint is ConstraintType.MFO:
            if honor:
                s_floor, f_floor = _NEG, self.key_of(date)
            else:
                f_floor = max(f_floor, self.key_of(date))
        return s_floor, f_floor

    def _cap_early(self, node, task, start, finish, minutes):
        date = task.constraint_date
        if task.constraint is ConstraintType.SNLT:
            cap = self.start_key(date)
            if start > cap:
                return self._span_forward(node, task, cap, minutes)
        else:
            cap = self.key_of(date)
            if finish > cap:
                return self._span_backward(node, task, cap, minutes, "e")
        return start, finish

    # --------------------------------------------------------------- backward pass
    def backward(self) -> None:
        net, tasks = self.net, self.tasks
        n = net.n
        es, ef = self.es, self.ef
        ls = [0] * n
        lf = [0] * n
        tail_start = [_POS] * n  # late-start cap passed down from a summary's successors
        tail_finish = [_POS] * n
        head_ls = [0] * net.node_count
        head_lf = [0] * net.node_count
        finish_key = max(ef) if n else self.start_key(self.plan.start)
        finishes = [m for (_, which), m in self.exact.items() if which == "ef"]
        self.project_finish_moment = max([self.datetime_of(finish_key), *finishes])
        self.project_finish = finish_key
        links = net.links
        fast = [not self._slow_span(t) for t in tasks]
        plain_lag = [
            None if (lk.lag_elapsed or lk.lag_percent is not None) else lk.lag_minutes
            for lk in links
        ]
        children = net.children
        parent = net.parent
        link_out = net.link_out
        for node in reversed(net.order):
            if node >= n:  # summary head, after its children: roll up late dates
                i = net.head_owner[node - n]
                ls[i] = min(ls[c] for c in children[i])
                lf[i] = max(lf[c] for c in children[i])
                head_ls[node], head_lf[node] = ls[i], lf[i]
                continue
            task = tasks[node]
            ls_cap = _POS
            lf_cap = _POS
            slow_leaf = not fast[node] and not children[node]
            for s, kind, k in () if slow_leaf else link_out[node]:
                if s >= n:
                    s_ls, s_lf = head_ls[s], head_lf[s]
                else:
                    s_ls, s_lf = ls[s], lf[s]
                base = s_ls if (kind == _FS or kind == _SS) else s_lf
                lag = plain_lag[k]
                succ_index = net.node_task(s)
                if lag is not None and fast[succ_index]:
                    if lag > 0:
                        cand = (((base >> 1) - lag) << 1) | 1
                    elif lag < 0:
                        cand = ((base >> 1) - lag) << 1
                    else:
                        cand = base
                else:
                    cand = self._lag_shift(base, links[k], tasks[succ_index], -1)
                if kind == _FS or kind == _FF:
                    lf_cap = min(lf_cap, cand)
                elif cand < ls_cap:
                    ls_cap = cand
            p = parent[node]
            if p >= 0:
                ls_cap = min(ls_cap, tail_start[p])
                lf_cap = min(lf_cap, tail_finish[p])
            if children[node]:  # summary tail: pass caps down to its children
                if task.deadline is not None:
                    lf_cap = min(lf_cap, self.key_of(task.deadline))
                tail_start[node], tail_finish[node] = ls_cap, lf_cap
                continue
            if task.actual_finish is not None and task.actual_start is not None:
                ls[node], lf[node] = es[node], ef[node]
                continue
            if slow_leaf and task.actual_start is None:
                self._backward_slow(node, task, ls_cap, lf_cap, ls, lf, head_ls, head_lf)
                continue
            minutes = task.duration_minutes
            lf_cap = min(lf_cap, finish_key)
            constraint = task.constraint
            date = task.constraint_date
            if date is not None and constraint in (
                ConstraintType.MSO,
                ConstraintType.SNLT,
            ):
                ls_cap = min(ls_cap, self.start_key(date))
            elif date is not None and constraint in (
                ConstraintType.MFO,
                ConstraintType.FNLT,
            ):
                lf_cap = min(lf_cap, self.key_of(date))
            if task.deadline is not None:
                lf_cap = min(lf_cap, self.key_of(task.deadline))
            if task.actual_start is not None:
                remaining = self._remaining(task)
                if minutes > 0 and remaining > 0:
                    lf_cap &= ~1
                if ls_cap < _POS:
                    _, from_start = self._span_forward(node, task, ls_cap, remaining, "x")
                    lf_cap = min(lf_cap, from_start)
                ls[node], lf[node] = es[node], lf_cap
                continue
            start, finish = self._span_backward(node, task, lf_cap, minutes)
            if start > ls_cap:
                start, finish = self._span_forward(node, task, ls_cap, minutes, "l")
                start = min(start, ls_cap)
            ls[node], lf[node] = start, finish
        self.ls, self.lf = ls, lf

    # --------------------------------------------------------------- slack and results
    def run(self) -> Schedule:
        self.forward()
        self.backward()
        return self.results()

    def results(self) -> Schedule:
        net, tasks = self.net, self.tasks
        n = net.n
        es = np.asarray(self.es, dtype=np.int64)
        ef = np.asarray(self.ef, dtype=np.int64)
        ls = np.asarray(self.ls, dtype=np.int64)
        lf = np.asarray(self.lf, dtype=np.int64)
        started = np.fromiter((t.actual_start is not None for t in tasks), dtype=bool, count=n)
        finished = np.fromiter(
            (t.actual_finish is not None and t.actual_start is not None for t in tasks),
            dtype=bool,
            count=n,
        )
        finish_slack = (lf >> 1) - (ef >> 1)
        total = np.minimum((ls >> 1) - (es >> 1), finish_slack)
        total = np.where(started, finish_slack, total)
        total = np.where(finished, 0, total)
        free = self._free_slack(es, ef, total)
        critical = (total <= self.plan.critical_slack_limit_minutes) & ~finished
        # Early dates in the form they were computed; late dates likewise.
        dates = []
        for keys in (es, ef, ls, lf):
            starts = self.cal.datetimes_at(keys >> 1, Form.START)
            finishes = self.cal.datetimes_at(keys >> 1, Form.FINISH)
            forms = (keys & 1).tolist()
            dates.append([a if f else b for a, b, f in zip(starts, finishes, forms, strict=True)])
        fields = ("es", "ef", "ls", "lf")
        for (i, which), moment in self.exact.items():
            if which in fields:  # "xs"/"xf" are scratch values of in-progress tasks
                dates[fields.index(which)][i] = moment
        e_start, e_finish, l_start, l_finish = dates
        total_list = total.tolist()
        free_list = free.tolist()
        critical_list = critical.tolist()
        result: dict[int, ScheduledTask] = {}
        for i, task in enumerate(tasks):
            start, finish = e_start[i], e_finish[i]
            if task.constraint is ConstraintType.ALAP and not task.summary and not started[i]:
                start, finish = l_start[i], l_finish[i]
            result[task.uid] = ScheduledTask(
                task.uid,
                start,
                finish,
                e_start[i],
                e_finish[i],
                l_start[i],
                l_finish[i],
                total_list[i],
                free_list[i],
                critical_list[i],
            )
        if n:
            project_start = self.datetime_of(int(es.min()))
            project_finish = self.project_finish_moment
        else:
            project_start = project_finish = self.plan.start
        warnings = [
            f"Task '{tasks[i].name}' has negative float of {-total_list[i]} working minutes: "
            f"a constraint, deadline or actual date cannot be met."
            for i in range(n)
            if total_list[i] < 0
        ]
        return Schedule(
            start=project_start,
            finish=project_finish,
            tasks=result,
            critical_path=self._critical_path(critical_list),
            warnings=warnings,
            plan=self.plan,
        )

    def _free_slack(self, es: np.ndarray, ef: np.ndarray, total: np.ndarray) -> np.ndarray:
        net = self.net
        n = net.n
        free = total.copy()
        es_list, ef_list = self.es, self.ef
        links = net.links
        tasks = self.tasks
        for i in range(n):
            outgoing = net.link_out[i]
            if not outgoing:
                continue
            best = _POS
            for s, kind, k in outgoing:
                succ = net.node_task(s)
                base = ef_list[i] if (kind == _FS or kind == _FF) else es_list[i]
                cand = self._lag_shift(base, links[k], tasks[succ], 1)
                target = es_list[succ] if (kind == _FS or kind == _SS) else ef_list[succ]
                gap = (target >> 1) - (cand >> 1)
                best = min(best, gap)
            free[i] = min(best, int(total[i]))
        return np.maximum(np.minimum(free, total), np.minimum(total, 0))

    def _critical_path(self, critical: list[bool]) -> list[int]:
        """Uids of critical leaf tasks in early-start order (ties by plan order)."""
        leaves = [i for i in range(self.net.n) if critical[i] and not self.net.children[i]]
        leaves.sort(key=lambda i: (self.es[i], self.ef[i], i))
        return [self.tasks[i].uid for i in leaves]


def driving_predecessors(schedule: Schedule, uid: int) -> list[int]:
    """Uids of the predecessors whose link sets the early dates of task ``uid``, in link order.

    A link drives when its relationship slack is zero: the successor's start (FS/SS) or finish
    (FF/SF) equals the predecessor's date moved by the lag.
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


def with_edits(plan: Plan, uid: int, **changes) -> Plan:
    """A copy of ``plan`` with task ``uid`` changed (fields as keyword arguments)."""
    tasks = [replace(t, **changes) if t.uid == uid else t for t in plan.tasks]
    return replace(plan, tasks=tasks)


__all__ = [
    "ScheduleCycleError",
    "ScheduleError",
    "Scheduler",
    "driving_predecessors",
    "schedule_plan",
    "with_edits",
]
