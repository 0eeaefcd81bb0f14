"""Overbooked means no feasible placement exists.

Every piece of a person's demand is *work that may be done anywhere in its window*: hours
booked per week (or FTE) anywhere in their ISO week, per month anywhere in their month, total
hours and task work anywhere between their start and finish. Whether it all fits the person's
day-by-day capacity is a transportation problem (pieces → days, each piece joined to the days
of one interval). For intervals, filling each day with the piece whose window closes first —
earliest deadline first — places as many hours as any placement can (Glover's rule for convex
bipartite graphs, which carries over to divisible hours by splitting them into units). What
is left when a piece's window closes cannot be placed: that is the overbooking.

Beside it :func:`check_feasibility` gives the naive figure: spread every item evenly over
its working days and add up, day by day, the hours above capacity. The naive figure is never
below the true one, and is often above it (16 h anywhere Mon–Thu plus 16 h anywhere Wed–Thu
on an 8 h day: the even spread overloads Wednesday and Thursday by 4 h each, yet the work
fits).

Only the horizon's periods are checked: a window running past them is cut at their edge and
counts only the hours its even spread puts inside them.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from steerco.engine.capacity.errors import CapacityError
from steerco.engine.capacity.inputs import CONFIRMED_ONLY, DemandView, Status
from steerco.engine.capacity.model import (
    STATUS_CODES,
    WINDOW_MONTH,
    WINDOW_WEEK,
    CapacityModel,
)

#: Hours below this count as nothing (sums of floats leave crumbs).
TOLERANCE = 1e-6


@dataclass(frozen=True)
class Shortfall:
    """Hours of one demand item that cannot be placed, by the period of its window's last
    day. ``kind`` is "allocation" or "task assignment"."""

    kind: str
    item_id: int
    project_id: int
    person_id: int
    period: int
    hours: float


@dataclass(frozen=True)
class Feasibility:
    """Per person (rows in the model's order) × period, in hours:

    - ``unplaced``: hours that no placement fits, by the period in which their window closes;
    - ``naive_over``: hours above capacity when every item is spread evenly (the figure a
      heatmap's over-allocation shows);

    and ``shortfalls``, the demand items that are short.
    """

    person_ids: tuple[int, ...]
    unplaced: np.ndarray
    naive_over: np.ndarray
    shortfalls: tuple[Shortfall, ...]

    @cached_property
    def _rows(self) -> dict[int, int]:
        return {person_id: row for row, person_id in enumerate(self.person_ids)}

    def _row(self, person_id: int) -> int:
        try:
            return self._rows[person_id]
        except KeyError:
            raise CapacityError(f"Person {person_id} is not in this check.") from None

    def unplaced_hours(self, person_id: int) -> float:
        """All the hours of ``person_id``'s demand that cannot be placed."""
        return float(self.unplaced[self._row(person_id)].sum())

    def naive_over_hours(self, person_id: int) -> float:
        return float(self.naive_over[self._row(person_id)].sum())

    def overbooked(self) -> tuple[int, ...]:
        """Ids of the people with work that cannot be placed."""
        rows = np.flatnonzero(self.unplaced.sum(axis=1) > TOLERANCE)
        return tuple(self.person_ids[row] for row in rows)


def check_feasibility(model: CapacityModel, view: DemandView = CONFIRMED_ONLY) -> Feasibility:
    """Fit each person's demand (the statuses ``view`` includes, raw hours) into their
    capacity; see the module's docstring. Unnamed role demand is not checked: it has no one's
    capacity to fit into yet."""
    horizon = model.horizon
    people = len(model.people)
    starts, ends = horizon.period_bounds()
    span_lo, span_hi = int(starts[0]), int(ends[-1])
    period_of_day = horizon.period_of_day()

    raw = DemandView(view.include_tentative, view.include_soft, weighted=False)
    demand = model.demand(raw)[:people, span_lo:span_hi]
    capacity = model.capacity[:, span_lo:span_hi]
    over = np.maximum(demand - capacity, 0.0)
    cumulative_over = np.concatenate([np.zeros((people, 1)), over.cumsum(axis=1)], axis=1)
    naive = cumulative_over[:, ends - span_lo] - cumulative_over[:, starts - span_lo]

    unplaced = np.zeros_like(naive)
    shortfalls: dict[tuple[int, int], float] = {}
    # An even spread within capacity on every day is itself a placement: only people with an
    # overloaded day need the search.
    suspects = np.flatnonzero(naive.sum(axis=1) > TOLERANCE)
    if len(suspects):
        pieces = _pieces(model, view, span_lo, span_hi, suspects)
        cumulative_capacity = np.concatenate(
            [np.zeros((people, 1)), model.capacity.cumsum(axis=1)], axis=1
        )
        for person, (lo, hi, hours, item) in pieces.items():
            left = _earliest_deadline_first(lo, hi, hours, cumulative_capacity[person])
            for k in np.flatnonzero(left > TOLERANCE):
                period = int(period_of_day[hi[k] - 1])
                unplaced[person, period] += left[k]
                key = (int(item[k]), period)
                shortfalls[key] = shortfalls.get(key, 0.0) + float(left[k])
    return Feasibility(
        person_ids=tuple(p.id for p in model.people),
        unplaced=unplaced,
        naive_over=naive,
        shortfalls=tuple(
            _shortfall(model, item, period, hours)
            for (item, period), hours in sorted(shortfalls.items())
        ),
    )


def _shortfall(model: CapacityModel, item: int, period: int, hours: float) -> Shortfall:
    items = model.items
    return Shortfall(
        kind="task assignment" if items.is_task[item] else "allocation",
        item_id=int(items.ids[item]),
        project_id=int(items.project[item]),
        person_id=model.people[int(items.row[item])].id,
        period=period,
        hours=hours,
    )


def _pieces(
    model: CapacityModel, view: DemandView, span_lo: int, span_hi: int, people: np.ndarray
) -> dict[int, tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]]:
    """The windows of the chosen people's demand: for each person, arrays of window start
    and end (grid columns, end exclusive), hours, and the item each piece comes from."""
    items = model.items
    counted = items.status == STATUS_CODES[Status.CONFIRMED]
    if view.include_tentative:
        counted |= items.status == STATUS_CODES[Status.TENTATIVE]
    if view.include_soft:
        counted |= items.status == STATUS_CODES[Status.SOFT]
    lo = np.maximum(items.lo, span_lo)
    hi = np.minimum(items.hi, span_hi)
    chosen = np.flatnonzero(counted & np.isin(items.row, people) & (hi > lo))

    # Booked per week (and FTE) fits in its week, per month in its month: cut those items
    # at week or month boundaries; total hours and task work keep one window.
    week_number, _, _ = model.horizon.weeks()
    month_number, _, _ = model.horizon.months()
    per_week = items.window[chosen] == WINDOW_WEEK
    per_month = items.window[chosen] == WINDOW_MONTH
    boundaries_week = np.flatnonzero(np.diff(week_number)) + 1
    boundaries_month = np.flatnonzero(np.diff(month_number)) + 1
    piece_item, piece_lo, piece_hi = [], [], []
    for cut, boundaries in (
        (~per_week & ~per_month, np.zeros(0, dtype=np.int64)),
        (per_week, boundaries_week),
        (per_month, boundaries_month),
    ):
        which = chosen[cut]
        owner, starts, ends = _split_at(boundaries, lo[which], hi[which])
        piece_item.append(which[owner])
        piece_lo.append(starts)
        piece_hi.append(ends)
    item = np.concatenate(piece_item)
    piece_lo_all = np.concatenate(piece_lo)
    piece_hi_all = np.concatenate(piece_hi)
    hours = model.item_hours(item, piece_lo_all, piece_hi_all)
    person = items.row[item]
    order = np.lexsort((piece_lo_all, person))
    person, item = person[order], item[order]
    piece_lo_all, piece_hi_all, hours = piece_lo_all[order], piece_hi_all[order], hours[order]
    split = np.flatnonzero(np.diff(person)) + 1
    result = {}
    for part in np.split(np.arange(len(person)), split):
        if len(part):
            result[int(person[part[0]])] = (
                piece_lo_all[part],
                piece_hi_all[part],
                hours[part],
                item[part],
            )
    return result


def _split_at(
    boundaries: np.ndarray, lo: np.ndarray, hi: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Cut windows ``lo``–``hi`` (columns, ``hi`` exclusive) at the sorted ``boundaries``
    strictly inside them. Returns, for each piece, the window it came from and its own
    ``lo`` and ``hi``, pieces of one window next to each other in order."""
    first = np.searchsorted(boundaries, lo, side="right")  # first boundary after lo
    last = np.searchsorted(boundaries, hi, side="left")  # first boundary at or after hi
    count = last - first + 1
    owner = np.repeat(np.arange(len(lo)), count)
    step = np.arange(len(owner)) - np.repeat(np.cumsum(count) - count, count)
    cut = np.repeat(first, count) + step  # boundary closing the piece (or none: len)
    padded = np.concatenate([boundaries, [np.iinfo(np.int64).max]])
    starts = np.where(step == 0, lo[owner], padded[np.maximum(cut - 1, 0)])
    ends = np.minimum(padded[np.minimum(cut, len(boundaries))], hi[owner])
    return owner, starts, ends


def _earliest_deadline_first(
    lo: np.ndarray, hi: np.ndarray, hours: np.ndarray, cumulative_capacity: np.ndarray
) -> np.ndarray:
    """Hours of each piece left unplaced when days are filled earliest deadline first.

    ``lo``/``hi``: each piece's window (columns, ``hi`` exclusive), sorted by ``lo``;
    ``cumulative_capacity[d]``: capacity of the days before column ``d``. Between two
    consecutive window edges no piece opens or closes, so such a stretch is poured in one go.
    """
    left = hours.astype(float)
    edges = np.unique(np.concatenate([lo, hi]))
    lo_list, hi_list = lo.tolist(), hi.tolist()
    capacity_at = cumulative_capacity[edges].tolist()
    edge_list = edges.tolist()
    open_pieces: list[tuple[int, int]] = []  # (deadline, piece) heap
    remaining = left.tolist()
    following = 0
    count = len(lo_list)
    for e in range(len(edge_list) - 1):
        now = edge_list[e]
        while following < count and lo_list[following] <= now:
            if remaining[following] > 0:
                heapq.heappush(open_pieces, (hi_list[following], following))
            following += 1
        while open_pieces and open_pieces[0][0] <= now:
            heapq.heappop(open_pieces)  # window closed: what is left stays unplaced
        free = capacity_at[e + 1] - capacity_at[e]
        while free > TOLERANCE and open_pieces:
            piece = open_pieces[0][1]
            poured = min(free, remaining[piece])
            remaining[piece] -= poured
            free -= poured
            if remaining[piece] <= TOLERANCE:
                remaining[piece] = 0.0
                heapq.heappop(open_pieces)
    return np.array(remaining)
