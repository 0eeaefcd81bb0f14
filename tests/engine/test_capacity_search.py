"""The skills search: "who has Python at level 3 or more and at least 50 % free in March?"

March 2027 has 23 weekdays, so a full-time person has 184 h in it.
"""

from __future__ import annotations

import datetime as dt

import pytest

from steerco.engine.capacity import (
    CONFIRMED_ONLY,
    Allocation,
    CapacityError,
    DemandView,
    Horizon,
    Person,
    Status,
    build_capacity,
    free_people,
)

MARCH_1 = dt.date(2027, 3, 1)
MARCH_31 = dt.date(2027, 3, 31)


def busy(id: int, person_id: int, hours: float, **fields) -> Allocation:
    return Allocation(
        id=id,
        project_id=1,
        person_id=person_id,
        start=MARCH_1,
        finish=MARCH_31,
        amount=hours,
        **fields,
    )


def model():
    people = [
        Person(id=1, name="Ann", skills={"Python": 4}),  # 40 % booked: 60 % free
        Person(id=2, name="Bob", skills={"Python": 2}),  # free, but level 2
        Person(id=3, name="Cai", skills={"Python": 3}),  # 60 % booked: 40 % free
        Person(id=4, name="Dee", skills={"Python": 5, "SQL": 3}),  # all free
        Person(id=5, name="Eve", skills={"SQL": 5}),  # no Python
        Person(id=6, name="Fay", skills={"Python": 5}, employment_end=dt.date(2027, 2, 26)),
    ]
    allocations = [
        busy(1, 1, 0.4 * 184),
        busy(2, 3, 0.6 * 184),
        busy(3, 4, 184, status=Status.SOFT, probability=0.25),
    ]
    horizon = Horizon.covering(MARCH_1, MARCH_31, "month")
    return build_capacity(people, allocations, horizon=horizon)


def test_python_at_level_three_and_half_free_in_march():
    found = free_people(
        model(),
        skill="Python",
        min_level=3,
        first=MARCH_1,
        last=MARCH_31,
        min_free_share=0.5,
        view=CONFIRMED_ONLY,
    )
    assert [(f.name, f.skill_level) for f in found] == [("Dee", 5), ("Ann", 4)]
    dee, ann = found
    assert dee.free_share == pytest.approx(1)
    assert ann.capacity == pytest.approx(184)
    assert ann.free_hours == pytest.approx(0.6 * 184)
    assert ann.free_share == pytest.approx(0.6)


def test_soft_demand_counts_as_the_view_says():
    # Dee is fully booked on soft demand at 25 %: no one free in the raw view, 75 % weighted.
    arguments = {"skill": "Python", "min_level": 5, "first": MARCH_1, "last": MARCH_31}
    raw = free_people(model(), min_free_share=0.5, view=DemandView(), **arguments)
    assert raw == ()
    weighted = free_people(model(), view=DemandView(weighted=True), **arguments)
    assert [(f.name, pytest.approx(f.free_share)) for f in weighted] == [("Dee", 0.75)]


def test_without_a_skill_everyone_with_capacity_is_listed():
    found = free_people(model(), first=MARCH_1, last=MARCH_31, view=CONFIRMED_ONLY)
    assert [f.name for f in found] == ["Bob", "Dee", "Eve", "Ann", "Cai"]


def test_a_search_outside_the_computed_dates_is_refused():
    with pytest.raises(CapacityError, match="outside the computed dates"):
        free_people(model(), first=MARCH_1, last=dt.date(2027, 6, 30))
    with pytest.raises(CapacityError, match=r"ends .* before it starts"):
        free_people(model(), first=MARCH_31, last=MARCH_1)
