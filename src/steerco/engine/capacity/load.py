"""Capacity against demand per person, role, team or skill, per reporting period.

:func:`load_table` sums the model's day-by-day hours into the horizon's periods (ISO weeks or
calendar months) for each group:

- ``PERSON``: one row per person, in input order (key: person id);
- ``ROLE``: people under their primary role (their first; ``""`` for none), plus the demand
  on unnamed roles — open requests — under the role they ask for (key: role name);
- ``TEAM``: people under their team (key: team name; unnamed demand has no team);
- ``SKILL``: every person who has the skill at ``min_skill_level`` or above, so one person
  counts under each of their skills (key: skill name; unnamed demand has no skills).

Load % is demand ÷ capacity × 100; its band (:class:`LoadBand`) is under 50 %, 50–80 %,
80–100 % (100 % included) or over 100 %. A cell with no capacity but some demand is over;
one with neither has no band.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property

import numpy as np

from steerco.engine.capacity.errors import CapacityError
from steerco.engine.capacity.inputs import DemandView, Status
from steerco.engine.capacity.model import STATUS_CODES, CapacityModel
from steerco.engine.capacity.periods import Period


class GroupBy(StrEnum):
    PERSON = "person"
    ROLE = "role"
    TEAM = "team"
    SKILL = "skill"


class LoadBand(StrEnum):
    UNDER_50 = "under 50%"
    FROM_50_TO_80 = "50–80%"
    FROM_80_TO_100 = "80–100%"
    OVER_100 = "over 100%"


def load_band(capacity: float, demand: float) -> LoadBand | None:
    """The band of ``demand`` hours against ``capacity`` hours; None when both are 0."""
    if capacity <= 0:
        return LoadBand.OVER_100 if demand > 0 else None
    percent = demand / capacity * 100
    if percent < 50:
        return LoadBand.UNDER_50
    if percent < 80:
        return LoadBand.FROM_50_TO_80
    if percent <= 100:
        return LoadBand.FROM_80_TO_100
    return LoadBand.OVER_100


@dataclass(frozen=True)
class ProjectHours:
    """A project's share of a cell's demand, in hours (weighted when the view is)."""

    project_id: int
    hours: float


@dataclass(frozen=True)
class DemandHours:
    """One allocation's or task assignment's hours in a cell (weighted when the view is);
    ``kind`` is "allocation" or "task assignment"."""

    kind: str
    item_id: int
    project_id: int
    status: Status
    hours: float


@dataclass(frozen=True)
class LoadCell:
    """One group in one period, in hours. ``demand`` follows the table's view."""

    key: object
    period: Period
    capacity: float
    confirmed: float
    tentative: float
    soft: float
    tentative_weighted: float
    soft_weighted: float
    demand: float

    @property
    def load_percent(self) -> float | None:
        """Demand ÷ capacity × 100; None without capacity."""
        return self.demand / self.capacity * 100 if self.capacity > 0 else None

    @property
    def free_hours(self) -> float:
        return max(self.capacity - self.demand, 0.0)

    @property
    def band(self) -> LoadBand | None:
        return load_band(self.capacity, self.demand)


class LoadTable:
    """Groups × periods of hours. Arrays are ``len(keys)`` × ``len(periods)``:

    ``capacity``; ``confirmed``, ``tentative``, ``soft`` (raw hours);
    ``tentative_weighted``, ``soft_weighted`` (× probability); ``demand`` (as ``view`` asks);
    ``load_percent`` (NaN without capacity or demand, inf with demand but no capacity);
    ``free_hours`` (capacity − demand, at least 0, the under-use); ``bands``.
    """

    def __init__(
        self,
        *,
        model: CapacityModel,
        group_by: GroupBy,
        view: DemandView,
        keys: tuple,
        members: list[np.ndarray],
        arrays: dict[str, np.ndarray],
    ) -> None:
        self.model = model
        self.group_by = group_by
        self.view = view
        self.keys = keys
        self.periods = model.horizon.periods
        self._members = members
        self._index = {key: k for k, key in enumerate(keys)}
        self.capacity = arrays["capacity"]
        self.confirmed = arrays["confirmed"]
        self.tentative = arrays["tentative"]
        self.soft = arrays["soft"]
        self.tentative_weighted = arrays["tentative_weighted"]
        self.soft_weighted = arrays["soft_weighted"]
        demand = self.confirmed.copy()
        if view.include_tentative:
            demand += self.tentative_weighted if view.weighted else self.tentative
        if view.include_soft:
            demand += self.soft_weighted if view.weighted else self.soft
        self.demand = demand

    @cached_property
    def load_percent(self) -> np.ndarray:
        with np.errstate(divide="ignore", invalid="ignore"):
            return self.demand / self.capacity * 100

    @cached_property
    def free_hours(self) -> np.ndarray:
        return np.maximum(self.capacity - self.demand, 0.0)

    @cached_property
    def bands(self) -> np.ndarray:
        """The :class:`LoadBand` (or None) of every cell, as :func:`load_band` gives it; an
        object array for colouring a heatmap without a call per cell."""
        has_capacity = self.capacity > 0
        with np.errstate(divide="ignore", invalid="ignore"):
            percent = np.where(has_capacity, self.demand / self.capacity * 100, 0.0)
        conditions = [
            ~has_capacity & (self.demand > 0),
            ~has_capacity,
            percent < 50,
            percent < 80,
            percent <= 100,
        ]
        choices = [
            LoadBand.OVER_100,
            None,
            LoadBand.UNDER_50,
            LoadBand.FROM_50_TO_80,
            LoadBand.FROM_80_TO_100,
        ]
        bands = np.empty(self.capacity.shape, dtype=object)
        bands[...] = LoadBand.OVER_100
        for condition, choice in zip(reversed(conditions), reversed(choices), strict=True):
            bands[condition] = choice
        return bands

    def band(self, key: object, period: int) -> LoadBand | None:
        k = self._row_of(key)
        return load_band(self.capacity[k, period], self.demand[k, period])

    def _row_of(self, key: object) -> int:
        try:
            return self._index[key]
        except KeyError:
            raise CapacityError(f"No {self.group_by.value} '{key}' in this table.") from None

    def cell(self, key: object, period: int) -> LoadCell:
        """The figures of ``key`` in period number ``period``."""
        k = self._row_of(key)
        return LoadCell(
            key=key,
            period=self.periods[period],
            capacity=float(self.capacity[k, period]),
            confirmed=float(self.confirmed[k, period]),
            tentative=float(self.tentative[k, period]),
            soft=float(self.soft[k, period]),
            tentative_weighted=float(self.tentative_weighted[k, period]),
            soft_weighted=float(self.soft_weighted[k, period]),
            demand=float(self.demand[k, period]),
        )

    def projects(self, key: object, period: int) -> tuple[ProjectHours, ...]:
        """The projects whose demand (as the view counts it) makes up the cell, most hours
        first; the click-through behind a heatmap cell or a peak."""
        index, hours = self._cell_items(key, period)
        found, where = np.unique(self.model.items.project[index], return_inverse=True)
        totals = np.bincount(where, weights=hours, minlength=len(found))
        order = sorted(range(len(found)), key=lambda i: (-totals[i], found[i]))
        return tuple(ProjectHours(int(found[i]), float(totals[i])) for i in order)

    def demand_items(self, key: object, period: int) -> tuple[DemandHours, ...]:
        """The allocations and task assignments behind the cell, most hours first."""
        index, hours = self._cell_items(key, period)
        items = self.model.items
        status_of_code = {code: status for status, code in STATUS_CODES.items()}
        found = [
            DemandHours(
                kind="task assignment" if items.is_task[i] else "allocation",
                item_id=int(items.ids[i]),
                project_id=int(items.project[i]),
                status=status_of_code[int(items.status[i])],
                hours=float(h),
            )
            for i, h in zip(index, hours, strict=True)
        ]
        found.sort(key=lambda d: (-d.hours, d.kind, d.item_id))
        return tuple(found)

    def _cell_items(self, key: object, period: int) -> tuple[np.ndarray, np.ndarray]:
        """Indexes of the items with hours in the cell (as the view counts them), and those
        hours."""
        rows = self._members[self._row_of(key)]
        items = self.model.items
        chosen = np.flatnonzero(np.isin(items.row, rows) & self._counted_statuses(items.status))
        hours = self.model.item_period_hours[chosen, period]
        if self.view.weighted:
            hours = hours * items.probability[chosen]
        keep = hours > 0
        return chosen[keep], hours[keep]

    def _counted_statuses(self, status: np.ndarray) -> np.ndarray:
        counted = status == STATUS_CODES[Status.CONFIRMED]
        if self.view.include_tentative:
            counted |= status == STATUS_CODES[Status.TENTATIVE]
        if self.view.include_soft:
            counted |= status == STATUS_CODES[Status.SOFT]
        return counted


def load_table(
    model: CapacityModel,
    group_by: GroupBy | str = GroupBy.PERSON,
    view: DemandView | None = None,
    *,
    min_skill_level: int = 1,
) -> LoadTable:
    """Capacity and demand of each group in each period of the model's horizon."""
    try:
        group_by = GroupBy(group_by)
    except ValueError:
        raise CapacityError(
            f"Cannot group by '{group_by}'; use one of: person, role, team, skill."
        ) from None
    view = view or DemandView()
    keys, members = _groups(model, group_by, min_skill_level)
    starts, ends = model.horizon.period_bounds()

    def per_period(daily: np.ndarray) -> np.ndarray:
        cumulative = np.concatenate([np.zeros((daily.shape[0], 1)), daily.cumsum(axis=1)], 1)
        return cumulative[:, ends] - cumulative[:, starts]

    people = len(model.people)
    row_arrays = {
        "capacity": np.vstack(
            [per_period(model.capacity), np.zeros((model.rows - people, len(starts)))]
        ),
        "confirmed": per_period(model.daily_demand[(Status.CONFIRMED, False)]),
        "tentative": per_period(model.daily_demand[(Status.TENTATIVE, False)]),
        "soft": per_period(model.daily_demand[(Status.SOFT, False)]),
        "tentative_weighted": per_period(model.daily_demand[(Status.TENTATIVE, True)]),
        "soft_weighted": per_period(model.daily_demand[(Status.SOFT, True)]),
    }
    if group_by is GroupBy.PERSON:
        arrays = {name: values[:people] for name, values in row_arrays.items()}
    else:
        group_of = np.repeat(np.arange(len(keys)), [len(m) for m in members])
        row_of = np.concatenate(members) if members else np.zeros(0, dtype=np.int64)
        arrays = {}
        for name, values in row_arrays.items():
            summed = np.zeros((len(keys), len(starts)))
            np.add.at(summed, group_of, values[row_of])
            arrays[name] = summed
    return LoadTable(
        model=model, group_by=group_by, view=view, keys=keys, members=members, arrays=arrays
    )


def _groups(
    model: CapacityModel, group_by: GroupBy, min_skill_level: int
) -> tuple[tuple, list[np.ndarray]]:
    """The group keys and, for each, the demand rows it sums."""
    people = model.people
    if group_by is GroupBy.PERSON:
        return tuple(p.id for p in people), [np.array([row]) for row in range(len(people))]
    rows_of: dict[str, list[int]] = {}
    if group_by is GroupBy.ROLE:
        for row, person in enumerate(people):
            rows_of.setdefault(person.roles[0] if person.roles else "", []).append(row)
        for k, role in enumerate(model.unnamed_roles):
            rows_of.setdefault(role, []).append(len(people) + k)
    elif group_by is GroupBy.TEAM:
        for row, person in enumerate(people):
            rows_of.setdefault(person.team, []).append(row)
    else:
        for row, person in enumerate(people):
            for skill, level in person.skills.items():
                if level >= min_skill_level:
                    rows_of.setdefault(skill, []).append(row)
    keys = tuple(sorted(rows_of))
    return keys, [np.array(rows_of[key], dtype=np.int64) for key in keys]
