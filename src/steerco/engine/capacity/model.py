"""People and demand turned into day-by-day arrays: the base every report reads.

:func:`build_capacity` checks the input (raising :class:`CapacityError` naming the item) and
returns a :class:`CapacityModel`. Arrays have one row per *demand row* — each person in input
order, then each role that has unnamed demand — and one column per day of the horizon's grid.
Hours are floats; a day's hours are the hours worked on that date.

How demand is spread over days (see :class:`~steerco.engine.capacity.inputs.Unit`): on the
*working days* of a calendar — the person's working weekdays that are not public holidays
(for a role: the organisation's working week and holidays). Leave is not a reason to move
demand: it lowers capacity, so a booking over someone's leave shows as a conflict.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from steerco.engine.capacity.errors import CapacityError
from steerco.engine.capacity.inputs import (
    MONDAY_TO_FRIDAY,
    Allocation,
    DemandView,
    Person,
    Status,
    TaskAssignment,
    Unit,
)
from steerco.engine.capacity.periods import Horizon

#: How a demand item's hours fall on days: a constant rate per working day, or an amount
#: per ISO week or per calendar month shared over that week's or month's working days.
SPREAD_DAILY, SPREAD_WEEKLY, SPREAD_MONTHLY = 0, 1, 2
#: Hours whose range holds none of the person's working days (a task the project's calendar
#: schedules on their day off, an allocation made before their working week changed): put
#: on every day of the range, where they have no capacity, so they show as over-allocation.
SPREAD_EVERY_DAY = 3
#: Where an item's hours may be worked in the feasibility check: anywhere in its range, or
#: anywhere in each ISO week or calendar month of it.
WINDOW_RANGE, WINDOW_WEEK, WINDOW_MONTH = 0, 1, 2

STATUS_CODES = {Status.CONFIRMED: 0, Status.TENTATIVE: 1, Status.SOFT: 2}


@dataclass(frozen=True)
class DemandItems:
    """The demand items as parallel arrays (one entry per allocation, then per assignment).

    ``row``: demand row; ``calendar_row``: row of the calendar arrays; ``lo``/``hi``: grid
    columns of the range clipped to the grid (``hi`` exclusive); ``spread``: SPREAD_*;
    ``value``: hours per working day (daily spread) or hours per week / month;
    ``status``: 0 confirmed, 1 tentative, 2 soft; ``probability``: weight in the weighted
    view; ``project``: project id; ``is_task``: a task assignment rather than an allocation;
    ``window``: WINDOW_*.
    """

    ids: np.ndarray
    is_task: np.ndarray
    project: np.ndarray
    row: np.ndarray
    calendar_row: np.ndarray
    lo: np.ndarray
    hi: np.ndarray
    spread: np.ndarray
    value: np.ndarray
    status: np.ndarray
    probability: np.ndarray
    window: np.ndarray

    def __len__(self) -> int:
        return len(self.ids)


@dataclass(frozen=True)
class _Calendar:
    """Working days of each calendar row (people, then the organisation) on the grid."""

    working: np.ndarray  # rows × days, 1.0 on a working day
    per_week: np.ndarray  # rows × days, working / working days in that ISO week
    per_month: np.ndarray  # rows × days, working / working days in that month
    weekmasks: list[str]
    holiday_arrays: list[np.ndarray]
    shared_row: np.ndarray  # for each row, the first row with the same calendar


class CapacityModel:
    """The checked input as arrays, which the reports (:func:`load_table`,
    :func:`check_feasibility`, :func:`free_people`) read.

    - ``people``: the people, in input order (demand rows 0..P-1);
    - ``unnamed_roles``: the roles with unnamed demand, sorted (demand rows P..);
    - ``capacity``: people × days, hours each person can work on each day of the grid;
    - ``daily_demand[(status, weighted)]``: demand rows × days, hours of each status
      (:class:`Status`), raw (``weighted`` False) or weighted by probability;
    - ``items``: the allocations, then the task assignments, as :class:`DemandItems`.
    """

    def __init__(
        self,
        *,
        horizon: Horizon,
        people: tuple[Person, ...],
        unnamed_roles: tuple[str, ...],
        capacity: np.ndarray,
        calendar: _Calendar,
        items: DemandItems,
        allocations: tuple[Allocation, ...],
        assignments: tuple[TaskAssignment, ...],
    ) -> None:
        self.horizon = horizon
        self.people = people
        self.unnamed_roles = unnamed_roles
        self.capacity = capacity
        self.calendar = calendar
        self.items = items
        self.allocations = allocations
        self.assignments = assignments
        self.daily_demand = self._daily_demand()

    @property
    def rows(self) -> int:
        return len(self.people) + len(self.unnamed_roles)

    def _row_calendar(self) -> np.ndarray:
        rows = np.arange(self.rows)
        return np.minimum(rows, len(self.people))

    def _daily_demand(self) -> dict[tuple[Status, bool], np.ndarray]:
        items = self.items
        days = self.horizon.days
        calendar_of_row = self._row_calendar()
        shapes = (
            self.calendar.working[calendar_of_row],
            self.calendar.per_week[calendar_of_row],
            self.calendar.per_month[calendar_of_row],
            np.ones((len(calendar_of_row), days)),
        )
        result = {}
        for status, code in STATUS_CODES.items():
            chosen = items.status == code
            for weighted in (False, True):
                if weighted and status is Status.CONFIRMED:
                    result[(status, True)] = result[(status, False)]
                    continue
                demand = np.zeros((self.rows, days))
                for spread, shape in enumerate(shapes):
                    mask = chosen & (items.spread == spread) & (items.hi > items.lo)
                    if not mask.any():
                        continue
                    value = items.value[mask]
                    if weighted:
                        value = value * items.probability[mask]
                    # A rate switched on at ``lo`` and off at ``hi``, then summed along the days.
                    steps = np.zeros((self.rows, days + 1))
                    np.add.at(steps, (items.row[mask], items.lo[mask]), value)
                    np.add.at(steps, (items.row[mask], items.hi[mask]), -value)
                    demand += np.cumsum(steps[:, :days], axis=1) * shape
                result[(status, weighted)] = demand
        return result

    @cached_property
    def item_period_hours(self) -> np.ndarray:
        """Raw hours of each demand item in each reporting period (items × periods)."""
        starts, ends = self.horizon.period_bounds()
        every_item = np.arange(len(self.items))[:, None]
        return self.item_hours(every_item, starts[None, :], ends[None, :])

    def item_hours(self, item: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
        """Raw hours of items (indexes into ``items``) between grid columns ``lo``
        (inclusive) and ``hi`` (exclusive), as the even spread puts them; the three arrays
        broadcast together."""
        items = self.items
        item, lo, hi = np.broadcast_arrays(item, lo, hi)
        lo = np.maximum(lo, items.lo[item])
        hi = np.maximum(np.minimum(hi, items.hi[item]), lo)
        result = np.zeros(item.shape)
        for spread, shape in enumerate(self.cumulative_shapes):
            mask = items.spread[item] == spread
            if mask.any():
                chosen = item[mask]
                rows = items.calendar_row[chosen]
                result[mask] = items.value[chosen] * (shape[rows, hi[mask]] - shape[rows, lo[mask]])
        return result

    @cached_property
    def cumulative_shapes(self) -> tuple[np.ndarray, ...]:
        """For each SPREAD_*, per calendar row, the running sum over the grid of what one unit
        of ``DemandItems.value`` puts on each day (a leading 0 column): an item's hours from
        column ``a`` to ``b`` are ``value × (shape[row, b] − shape[row, a])``."""

        def cumulative(shape: np.ndarray) -> np.ndarray:
            zeros = np.zeros((shape.shape[0], 1))
            return np.concatenate([zeros, np.cumsum(shape, axis=1)], axis=1)

        calendar = self.calendar
        return (
            cumulative(calendar.working),
            cumulative(calendar.per_week),
            cumulative(calendar.per_month),
            cumulative(np.ones_like(calendar.working)),
        )

    def demand(self, view: DemandView) -> np.ndarray:
        """Hours of demand of every row on every day (rows × days) as ``view`` counts it."""
        total = self.daily_demand[(Status.CONFIRMED, False)].copy()
        if view.include_tentative:
            total += self.daily_demand[(Status.TENTATIVE, view.weighted)]
        if view.include_soft:
            total += self.daily_demand[(Status.SOFT, view.weighted)]
        return total


def build_capacity(
    people: Sequence[Person],
    allocations: Iterable[Allocation] = (),
    assignments: Iterable[TaskAssignment] = (),
    *,
    horizon: Horizon,
    organisation_weekdays: tuple[int, ...] = MONDAY_TO_FRIDAY,
    organisation_holidays: frozenset[dt.date] = frozenset(),
    full_time_weekly_hours: float = 40.0,
) -> CapacityModel:
    """Check the input and lay it out on the days of ``horizon``.

    ``organisation_weekdays`` and ``organisation_holidays`` are the working days over which
    demand on an unnamed role is spread; ``full_time_weekly_hours`` is a full-time week
    there (for a role's FTE). Raises :class:`CapacityError` for the first bad item found.
    """
    people = tuple(people)
    allocations = tuple(allocations)
    assignments = tuple(assignments)
    for person in people:
        _check_person(person)
    _check_unique(people, "person")
    _check_unique(allocations, "allocation")
    _check_unique(assignments, "task assignment")
    if full_time_weekly_hours <= 0:
        raise CapacityError("A full-time week must have more than 0 hours.")
    _check_weekdays(organisation_weekdays, "The organisation's working week")
    by_id = {person.id: person for person in people}
    for allocation in allocations:
        _check_allocation(allocation, by_id)
    for assignment in assignments:
        _check_assignment(assignment, by_id)

    roles = tuple(sorted({a.role for a in allocations if a.person_id is None}))
    calendar = _calendars(people, horizon, organisation_weekdays, organisation_holidays)
    capacity = _capacity(people, horizon, calendar.working[: len(people)])
    items = _items(
        people,
        roles,
        allocations,
        assignments,
        horizon,
        calendar,
        full_time_day=full_time_weekly_hours / len(organisation_weekdays),
    )
    return CapacityModel(
        horizon=horizon,
        people=people,
        unnamed_roles=roles,
        capacity=capacity,
        calendar=calendar,
        items=items,
        allocations=allocations,
        assignments=assignments,
    )


# --- checks -------------------------------------------------------------------------------


def _check_unique(things: tuple, kind: str) -> None:
    seen: set[int] = set()
    for thing in things:
        if thing.id in seen:
            raise CapacityError(f"Two {kind}s have the id {thing.id}.")
        seen.add(thing.id)


def _check_weekdays(weekdays: tuple[int, ...], owner: str) -> None:
    if not weekdays:
        raise CapacityError(f"{owner} has no working weekdays.")
    if any(day not in range(7) for day in weekdays) or len(set(weekdays)) != len(weekdays):
        raise CapacityError(
            f"{owner} lists weekdays {list(weekdays)}; use each of 0 (Monday) to 6 (Sunday) "
            "at most once."
        )


def _check_share(value: float, what: str) -> None:
    if not 0 <= value <= 1:
        raise CapacityError(f"{what} is {value}; it must lie between 0 and 1 (0–100 %).")


def _check_person(person: Person) -> None:
    who = f"Person '{person.name}' (id {person.id})"
    if not person.weekly_hours >= 0:
        raise CapacityError(f"{who} has {person.weekly_hours} weekly hours; use 0 or more.")
    _check_weekdays(tuple(person.working_weekdays), who)
    _check_share(person.part_time, f"{who}: part-time share")
    _check_share(person.availability, f"{who}: availability")
    if (
        person.employment_start is not None
        and person.employment_end is not None
        and person.employment_end < person.employment_start
    ):
        raise CapacityError(
            f"{who}: employment ends ({person.employment_end}) before it starts "
            f"({person.employment_start})."
        )
    for leave in person.leave:
        if leave.finish < leave.start:
            raise CapacityError(
                f"{who}: leave ends ({leave.finish}) before it starts ({leave.start})."
            )
        if not 0 < leave.day_fraction <= 1:
            raise CapacityError(
                f"{who}: leave from {leave.start} covers {leave.day_fraction} of a day; "
                "use more than 0 and at most 1."
            )
    for skill, level in person.skills.items():
        if level not in range(1, 6):
            raise CapacityError(f"{who}: skill '{skill}' has level {level}; levels are 1–5.")


def _check_range(label: str, start: dt.date, finish: dt.date) -> None:
    if finish < start:
        raise CapacityError(f"{label} ends ({finish}) before it starts ({start}).")


def _check_employment(label: str, person: Person, start: dt.date, finish: dt.date) -> None:
    begins, ends = person.employment_start, person.employment_end
    if (begins is not None and start < begins) or (ends is not None and finish > ends):
        employment = f"{begins or 'open'} to {ends or 'open'}"
        raise CapacityError(
            f"{label} runs {start} to {finish}, outside the employment of "
            f"'{person.name}' ({employment})."
        )


def _check_allocation(allocation: Allocation, people: dict[int, Person]) -> None:
    label = allocation.label
    _check_range(label, allocation.start, allocation.finish)
    if not allocation.amount >= 0:
        raise CapacityError(f"{label} asks for {allocation.amount}; use 0 or more.")
    try:
        Unit(allocation.unit)
        status = Status(allocation.status)
    except ValueError as error:
        raise CapacityError(f"{label}: {error}.") from None
    _check_share(allocation.probability, f"{label}: win probability")
    if status is Status.CONFIRMED and allocation.probability != 1:
        raise CapacityError(
            f"{label} is confirmed but has a win probability of {allocation.probability}; "
            "confirmed demand counts in full."
        )
    if (allocation.person_id is None) == (allocation.role is None):
        raise CapacityError(f"{label} must name either a person or a role (not both).")
    if allocation.role is not None and not allocation.role.strip():
        raise CapacityError(f"{label} asks for a role without a name.")
    if allocation.person_id is not None:
        person = people.get(allocation.person_id)
        if person is None:
            raise CapacityError(f"{label} names person {allocation.person_id}, who is unknown.")
        _check_employment(label, person, allocation.start, allocation.finish)


def _check_assignment(assignment: TaskAssignment, people: dict[int, Person]) -> None:
    label = assignment.label
    _check_range(label, assignment.start, assignment.finish)
    if not assignment.work_hours >= 0:
        raise CapacityError(f"{label} has {assignment.work_hours} hours of work; use 0 or more.")
    person = people.get(assignment.person_id)
    if person is None:
        raise CapacityError(f"{label} names person {assignment.person_id}, who is unknown.")
    _check_employment(label, person, assignment.start, assignment.finish)


# --- calendars and capacity ---------------------------------------------------------------


def _weekmask(weekdays: Iterable[int]) -> str:
    chosen = set(weekdays)
    return "".join("1" if day in chosen else "0" for day in range(7))


def _calendars(
    people: tuple[Person, ...],
    horizon: Horizon,
    organisation_weekdays: tuple[int, ...],
    organisation_holidays: frozenset[dt.date],
) -> _Calendar:
    """Working days per calendar row: people, then the organisation's."""
    masks = [_weekmask(p.working_weekdays) for p in people] + [_weekmask(organisation_weekdays)]
    holiday_sets = [frozenset(p.holidays) for p in people] + [frozenset(organisation_holidays)]
    days = horizon.days
    grid = np.datetime64(horizon.start, "D") + np.arange(days)
    weekday = (horizon.start.weekday() + np.arange(days)) % 7
    mask_table = np.array([[c == "1" for c in mask] for mask in masks], dtype=bool)
    working = mask_table[:, weekday]
    week_number, week_starts, week_ends = horizon.weeks()
    month_number, month_starts, month_ends = horizon.months()
    per_week_count = np.zeros((len(masks), len(week_starts)))
    per_month_count = np.zeros((len(masks), len(month_starts)))
    holiday_arrays: list[np.ndarray] = []
    # People of one country share their holidays and usually their week: count each once.
    done: dict[tuple[str, frozenset[dt.date]], int] = {}
    for row, (mask, holidays) in enumerate(zip(masks, holiday_sets, strict=True)):
        key = (mask, holidays)
        if key in done:
            first = done[key]
            working[row] = working[first]
            per_week_count[row] = per_week_count[first]
            per_month_count[row] = per_month_count[first]
            holiday_arrays.append(holiday_arrays[first])
            continue
        done[key] = row
        dates = np.array(sorted(holidays), dtype="datetime64[D]")
        holiday_arrays.append(dates)
        if len(dates):
            working[row] &= ~np.isin(grid, dates)
        per_week_count[row] = np.busday_count(week_starts, week_ends, mask, dates)
        per_month_count[row] = np.busday_count(month_starts, month_ends, mask, dates)
    working = working.astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        per_week = np.where(working > 0, working / per_week_count[:, week_number], 0.0)
        per_month = np.where(working > 0, working / per_month_count[:, month_number], 0.0)
    shared_row = np.array([done[(mask, h)] for mask, h in zip(masks, holiday_sets, strict=True)])
    return _Calendar(working, per_week, per_month, masks, holiday_arrays, shared_row)


def _capacity(people: tuple[Person, ...], horizon: Horizon, working: np.ndarray) -> np.ndarray:
    """Hours each person can work on each day of the grid (people × days)."""
    days = horizon.days
    columns = np.arange(days)
    hours = np.array(
        [p.weekly_hours / len(p.working_weekdays) * p.part_time * p.availability for p in people]
    ).reshape(-1, 1)
    first = np.array(
        [horizon.day_index(p.employment_start) if p.employment_start else -1 for p in people]
    ).reshape(-1, 1)
    after = np.array(
        [horizon.day_index(p.employment_end) + 1 if p.employment_end else days for p in people]
    ).reshape(-1, 1)
    employed = (columns >= first) & (columns < after)
    absent = np.zeros((len(people), days + 1))
    for row, person in enumerate(people):
        for leave in person.leave:
            lo = min(max(horizon.day_index(leave.start), 0), days)
            hi = min(max(horizon.day_index(leave.finish) + 1, 0), days)
            absent[row, lo] += leave.day_fraction
            absent[row, hi] -= leave.day_fraction
    present = 1.0 - np.minimum(np.cumsum(absent[:, :days], axis=1), 1.0)
    return hours * working * employed * present


# --- demand items -------------------------------------------------------------------------


def _items(
    people: tuple[Person, ...],
    roles: tuple[str, ...],
    allocations: tuple[Allocation, ...],
    assignments: tuple[TaskAssignment, ...],
    horizon: Horizon,
    calendar: _Calendar,
    *,
    full_time_day: float,
) -> DemandItems:
    person_row = {person.id: row for row, person in enumerate(people)}
    role_row = {role: len(people) + k for k, role in enumerate(roles)}
    full_day = [p.weekly_hours / len(p.working_weekdays) for p in people] + [full_time_day]
    spread_of_unit = {
        Unit.TOTAL_HOURS: SPREAD_DAILY,
        Unit.FTE: SPREAD_DAILY,
        Unit.HOURS_PER_WEEK: SPREAD_WEEKLY,
        Unit.HOURS_PER_MONTH: SPREAD_MONTHLY,
    }
    window_of_unit = {
        Unit.TOTAL_HOURS: WINDOW_RANGE,
        Unit.FTE: WINDOW_WEEK,
        Unit.HOURS_PER_WEEK: WINDOW_WEEK,
        Unit.HOURS_PER_MONTH: WINDOW_MONTH,
    }
    rows = [
        person_row[a.person_id] if a.person_id is not None else role_row[a.role]
        for a in allocations
    ] + [person_row[t.person_id] for t in assignments]
    units = [Unit(a.unit) for a in allocations]
    amounts = [
        a.amount * full_day[min(row, len(people))] if unit is Unit.FTE else a.amount
        for a, unit, row in zip(allocations, units, rows, strict=False)
    ] + [t.work_hours for t in assignments]
    statuses = [STATUS_CODES[Status(a.status)] for a in allocations]
    offset = len(allocations)
    tasks = len(assignments)

    ids = np.array([a.id for a in allocations] + [t.id for t in assignments], dtype=np.int64)
    project = np.array(
        [a.project_id for a in allocations] + [t.project_id for t in assignments], dtype=np.int64
    )
    row = np.array(rows, dtype=np.int64)
    start = np.array(
        [a.start for a in allocations] + [t.start for t in assignments], dtype="datetime64[D]"
    )
    finish = np.array(
        [a.finish for a in allocations] + [t.finish for t in assignments], dtype="datetime64[D]"
    )
    spread = np.array([spread_of_unit[u] for u in units] + [SPREAD_DAILY] * tasks, dtype=np.int64)
    window = np.array([window_of_unit[u] for u in units] + [WINDOW_RANGE] * tasks, dtype=np.int64)
    is_total = np.array([u is Unit.TOTAL_HOURS for u in units] + [True] * tasks, dtype=bool)
    amount = np.array(amounts, dtype=float)
    status = np.array(statuses + [0] * tasks, dtype=np.int64)
    probability = np.array(
        [a.probability if code else 1.0 for a, code in zip(allocations, statuses, strict=True)]
        + [1.0] * tasks
    )
    is_task = np.zeros(len(ids), dtype=bool)
    is_task[offset:] = True
    calendar_row = np.minimum(row, len(people))

    # Total hours become a rate per working day of the whole range (which may run past the
    # grid), counted once per distinct calendar.
    value = amount.copy()
    shared = calendar.shared_row[calendar_row]
    for cal in np.unique(shared[is_total]):
        chosen = np.flatnonzero(is_total & (shared == cal))
        days = np.busday_count(
            start[chosen],
            finish[chosen] + 1,
            weekmask=calendar.weekmasks[cal],
            holidays=calendar.holiday_arrays[cal],
        )
        value[chosen] = np.where(days > 0, amount[chosen] / np.maximum(days, 1), 0.0)
        nowhere = chosen[days == 0]
        spread[nowhere] = SPREAD_EVERY_DAY
        value[nowhere] = amount[nowhere] / ((finish[nowhere] - start[nowhere]).astype(np.int64) + 1)
    grid_start = np.datetime64(horizon.start, "D")
    lo = np.clip((start - grid_start).astype(np.int64), 0, horizon.days)
    hi = np.clip((finish - grid_start).astype(np.int64) + 1, 0, horizon.days)
    return DemandItems(
        ids=ids,
        is_task=is_task,
        project=project,
        row=row,
        calendar_row=calendar_row,
        lo=lo,
        hi=hi,
        spread=spread,
        value=value,
        status=status,
        probability=probability,
        window=window,
    )
