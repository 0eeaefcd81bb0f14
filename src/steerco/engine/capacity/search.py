"""Who is free: the skills search ("Python at level 3 or more, at least 50 % free in March")."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from steerco.engine.capacity.errors import CapacityError
from steerco.engine.capacity.inputs import DemandView
from steerco.engine.capacity.model import CapacityModel


@dataclass(frozen=True)
class FreePerson:
    """A person's free time between two dates, in hours; ``free_share`` is free ÷ capacity
    (0–1; demand above capacity counts as no free time)."""

    person_id: int
    name: str
    skill_level: int | None
    capacity: float
    demand: float
    free_hours: float
    free_share: float


def free_people(
    model: CapacityModel,
    *,
    first: dt.date,
    last: dt.date,
    skill: str | None = None,
    min_level: int = 1,
    min_free_share: float = 0.0,
    view: DemandView | None = None,
) -> tuple[FreePerson, ...]:
    """People with ``skill`` at ``min_level`` or above (anyone when ``skill`` is None) whose
    free share of capacity from ``first`` to ``last`` (inclusive) is at least
    ``min_free_share``; most free first. People without capacity then are left out.
    The dates must lie in the model's horizon."""
    view = view or DemandView()
    horizon = model.horizon
    if last < first:
        raise CapacityError(f"The search ends ({last}) before it starts ({first}).")
    if first < horizon.start or last >= horizon.end:
        raise CapacityError(
            f"The search from {first} to {last} reaches outside the computed dates "
            f"({horizon.start} to {horizon.end - dt.timedelta(days=1)})."
        )
    if not 0 <= min_free_share <= 1:
        raise CapacityError(f"A free share of {min_free_share} is not between 0 and 1.")
    lo, hi = horizon.day_index(first), horizon.day_index(last) + 1
    people = len(model.people)
    capacity = model.capacity[:, lo:hi].sum(axis=1)
    demand = model.demand(view)[:people, lo:hi].sum(axis=1)
    free = np.maximum(capacity - demand, 0.0)
    found = []
    for row, person in enumerate(model.people):
        level = person.skills.get(skill) if skill is not None else None
        if skill is not None and (level is None or level < min_level):
            continue
        if capacity[row] <= 0:
            continue
        share = float(free[row] / capacity[row])
        if share + 1e-9 < min_free_share:
            continue
        found.append(
            FreePerson(
                person_id=person.id,
                name=person.name,
                skill_level=level,
                capacity=float(capacity[row]),
                demand=float(demand[row]),
                free_hours=float(free[row]),
                free_share=share,
            )
        )
    found.sort(key=lambda f: (-f.free_share, f.name, f.person_id))
    return tuple(found)
