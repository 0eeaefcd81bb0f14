"""Capacity against demand: people's working hours, the demand on them, and whether it fits.

Pure Python and numpy. The caller builds :class:`Person`, :class:`Allocation` and
:class:`TaskAssignment` values and a :class:`Horizon`, calls :func:`build_capacity` once,
then asks the model:

- :func:`load_table` — capacity, demand (confirmed, tentative, soft; raw and weighted), load %
  and band per person, role, team or skill per ISO week or calendar month, and which projects
  and which allocations and task assignments make up a cell;
- :func:`check_feasibility` — hours that no placement fits (earliest deadline first), per
  person and period and per demand item, beside the naive even-spread over-allocation;
- :func:`free_people` — who has a skill and free time between two dates.

All figures are hours; date ranges of inputs are inclusive at both ends.
"""

from steerco.engine.capacity.errors import CapacityError
from steerco.engine.capacity.feasibility import Feasibility, Shortfall, check_feasibility
from steerco.engine.capacity.inputs import (
    CONFIRMED_ONLY,
    MONDAY_TO_FRIDAY,
    Allocation,
    DemandView,
    Leave,
    Person,
    Status,
    TaskAssignment,
    Unit,
)
from steerco.engine.capacity.load import (
    DemandHours,
    GroupBy,
    LoadBand,
    LoadCell,
    LoadTable,
    ProjectHours,
    load_band,
    load_table,
)
from steerco.engine.capacity.model import CapacityModel, build_capacity
from steerco.engine.capacity.periods import Horizon, Interval, Period
from steerco.engine.capacity.search import FreePerson, free_people

__all__ = [
    "CONFIRMED_ONLY",
    "MONDAY_TO_FRIDAY",
    "Allocation",
    "CapacityError",
    "CapacityModel",
    "DemandHours",
    "DemandView",
    "Feasibility",
    "FreePerson",
    "GroupBy",
    "Horizon",
    "Interval",
    "Leave",
    "LoadBand",
    "LoadCell",
    "LoadTable",
    "Period",
    "Person",
    "ProjectHours",
    "Shortfall",
    "Status",
    "TaskAssignment",
    "Unit",
    "build_capacity",
    "check_feasibility",
    "free_people",
    "load_band",
    "load_table",
]
