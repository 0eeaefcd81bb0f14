"""What the capacity engine is given: people with their working time, and demand on them.

Units and conventions, for every class here:

- hours are hours of work (floats); weekly hours are hours in a standard week;
- a date range ``start``–``finish`` is inclusive at both ends (as a task's dates are);
- shares (part-time, availability, win probability, leave day fraction) lie in 0–1;
- weekdays are numbered as :meth:`datetime.date.weekday` does: Monday 0 … Sunday 6.

The classes are small frozen dataclasses so that a selector can build them from rows
without computing anything; :func:`~steerco.engine.capacity.model.build_capacity` checks them
and turns them into arrays.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

MONDAY_TO_FRIDAY: tuple[int, ...] = (0, 1, 2, 3, 4)


class Status(StrEnum):
    """How sure demand is. Soft demand (a bid, a proposal) carries a win probability."""

    CONFIRMED = "confirmed"
    TENTATIVE = "tentative"
    SOFT = "soft"


class Unit(StrEnum):
    """What an allocation's ``amount`` measures.

    - ``TOTAL_HOURS``: hours over the whole range, spread evenly over its working days;
    - ``HOURS_PER_WEEK``: hours in each ISO week (Monday–Sunday) of the range; a week the range
      covers only in part gets the share of that week's working days it covers;
    - ``HOURS_PER_MONTH``: the same for calendar months;
    - ``FTE``: full-time equivalents on each working day of the range: 0.5 FTE is half of a
      full-time day (the person's ``weekly_hours`` over their working weekdays, before
      part-time; for a role, the organisation's full-time day), so a public holiday carries
      none. In the feasibility check it may be worked anywhere in its ISO week.
    """

    TOTAL_HOURS = "total_hours"
    HOURS_PER_WEEK = "hours_per_week"
    HOURS_PER_MONTH = "hours_per_month"
    FTE = "fte"


@dataclass(frozen=True)
class Leave:
    """Absence from ``start`` to ``finish`` inclusive; ``day_fraction`` of each working day
    (1.0 a whole day, 0.5 half a day). Overlapping leave adds up, to at most a whole day."""

    start: dt.date
    finish: dt.date
    day_fraction: float = 1.0


@dataclass(frozen=True)
class Person:
    """A person's working time.

    Capacity on a day, in hours = ``weekly_hours`` / number of ``working_weekdays``
    × ``part_time`` × ``availability``, on a working weekday inside the employment
    (``employment_start``–``employment_end``, inclusive, None = open) that is not one of
    ``holidays``, reduced by leave; 0 on every other day. ``availability`` is the share of
    working time left for project work once meetings and support are taken out
    (40 h × 80 % = 32 h). ``holidays`` are public holidays the caller worked out (people in
    one country share them; the engine works out each distinct calendar once).

    ``roles``: the first is the person's primary role, under which the role view counts them.
    ``skills``: skill name → proficiency 1–5.
    """

    id: int
    name: str
    team: str = ""
    roles: tuple[str, ...] = ()
    skills: Mapping[str, int] = field(default_factory=dict)
    weekly_hours: float = 40.0
    working_weekdays: tuple[int, ...] = MONDAY_TO_FRIDAY
    part_time: float = 1.0
    availability: float = 1.0
    employment_start: dt.date | None = None
    employment_end: dt.date | None = None
    leave: tuple[Leave, ...] = ()
    holidays: frozenset[dt.date] = frozenset()


@dataclass(frozen=True)
class Allocation:
    """Project demand on a named person (``person_id``) or an unnamed role (``role``, an
    open request); exactly one of the two is given.

    ``amount`` is measured in ``unit`` over ``start``–``finish`` (inclusive). Demand is spread
    over the working days of the person (their working weekdays inside the range that are not
    public holidays; leave does not move it, so a booking over someone's leave shows as a
    conflict); an unnamed role's demand over the organisation's working week (see
    :func:`~steerco.engine.capacity.model.build_capacity`). In the feasibility check, hours
    booked per week or month may be worked anywhere in their week or month, total hours
    anywhere in the range.

    ``probability`` (0–1) weights soft and tentative demand in the weighted view (40 h at
    50 % counts as 20 h); confirmed demand has probability 1.
    """

    id: int
    project_id: int
    start: dt.date
    finish: dt.date
    amount: float
    unit: Unit = Unit.TOTAL_HOURS
    status: Status = Status.CONFIRMED
    probability: float = 1.0
    person_id: int | None = None
    role: str | None = None

    @property
    def label(self) -> str:
        return f"Allocation {self.id} (project {self.project_id})"


@dataclass(frozen=True)
class TaskAssignment:
    """A person's work on a plan task: ``work_hours`` between the task's ``start`` and
    ``finish`` (inclusive), spread evenly over the person's working days there and, in the
    feasibility check, workable anywhere between them. Always confirmed demand."""

    id: int
    project_id: int
    person_id: int
    start: dt.date
    finish: dt.date
    work_hours: float

    @property
    def label(self) -> str:
        return f"Task assignment {self.id} (project {self.project_id})"


@dataclass(frozen=True)
class DemandView:
    """Which demand counts: confirmed always; tentative and soft when included. ``weighted``
    multiplies tentative and soft hours by their probability."""

    include_tentative: bool = True
    include_soft: bool = True
    weighted: bool = False


CONFIRMED_ONLY = DemandView(include_tentative=False, include_soft=False)
