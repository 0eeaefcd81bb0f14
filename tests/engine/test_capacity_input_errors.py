"""Input the capacity engine cannot use is refused with a CapacityError naming the item."""

from __future__ import annotations

import datetime as dt

import pytest

from steerco.engine.capacity import (
    Allocation,
    CapacityError,
    GroupBy,
    Horizon,
    Leave,
    Person,
    Status,
    TaskAssignment,
    Unit,
    build_capacity,
    load_table,
)

MONDAY = dt.date(2027, 3, 1)
FRIDAY = dt.date(2027, 3, 5)
HORIZON = Horizon.covering(MONDAY, FRIDAY, "week")
ANN = Person(id=1, name="Ann", employment_start=MONDAY, employment_end=dt.date(2027, 12, 31))


def booking(**fields) -> Allocation:
    values = {
        "id": 7,
        "project_id": 3,
        "start": MONDAY,
        "finish": FRIDAY,
        "amount": 10.0,
        "person_id": 1,
    }
    values.update(fields)
    return Allocation(**values)


def refused(match: str, people=(ANN,), allocations=(), assignments=()):
    with pytest.raises(CapacityError, match=match):
        build_capacity(list(people), allocations, assignments, horizon=HORIZON)


def test_negative_hours_are_refused():
    refused(r"Allocation 7 \(project 3\) asks for -5", allocations=[booking(amount=-5)])


def test_an_allocation_ending_before_it_starts_is_refused():
    refused(
        r"Allocation 7 \(project 3\) ends \(2027-02-26\) before it starts \(2027-03-01\)",
        allocations=[booking(finish=dt.date(2027, 2, 26))],
    )


def test_an_allocation_outside_the_employment_is_refused():
    refused(
        r"Allocation 7 .* outside the employment of 'Ann' \(2027-03-01 to 2027-12-31\)",
        allocations=[booking(start=dt.date(2027, 2, 22))],
    )


def test_a_task_assignment_outside_the_employment_is_refused():
    late = TaskAssignment(
        id=9,
        project_id=4,
        person_id=1,
        start=dt.date(2027, 12, 20),
        finish=dt.date(2028, 1, 7),
        work_hours=16,
    )
    refused(r"Task assignment 9 \(project 4\) .* outside the employment", assignments=[late])


@pytest.mark.parametrize("probability", [-0.1, 1.5])
def test_a_probability_outside_0_to_1_is_refused(probability):
    refused(
        r"Allocation 7 \(project 3\): win probability",
        allocations=[booking(status=Status.SOFT, probability=probability)],
    )


def test_confirmed_demand_with_a_probability_below_1_is_refused():
    refused(
        "Allocation 7 .* confirmed but has a win probability of 0.5",
        allocations=[booking(probability=0.5)],
    )


def test_an_allocation_must_name_a_person_or_a_role_but_not_both():
    refused("either a person or a role", allocations=[booking(role="Tester")])
    refused("either a person or a role", allocations=[booking(person_id=None)])


def test_a_role_without_a_name_is_refused():
    refused("Allocation 7 .* role without a name", allocations=[booking(person_id=None, role=" ")])


def test_an_unknown_person_is_refused():
    refused("names person 99, who is unknown", allocations=[booking(person_id=99)])


def test_total_hours_with_no_working_day_to_go_on_are_kept_as_demand_with_no_capacity():
    # Not refused: a page must still show the rest, and the hours are not dropped either;
    # they overload the weekend (the allocation form refuses such a range when typed).
    weekend = booking(start=dt.date(2027, 3, 6), finish=dt.date(2027, 3, 7))
    model = build_capacity([ANN], [weekend], horizon=HORIZON)
    cell = load_table(model).cell(1, 0)
    assert (cell.demand, cell.capacity) == (10, 40)


def test_an_unknown_unit_is_refused():
    refused("Allocation 7", allocations=[booking(unit="per fortnight")])


def test_hours_per_week_on_a_weekend_are_simply_nothing():
    # A rate, not an amount: nothing is lost when the range holds no working day.
    weekend = booking(
        start=dt.date(2027, 3, 6), finish=dt.date(2027, 3, 7), unit=Unit.HOURS_PER_WEEK
    )
    model = build_capacity([ANN], [weekend], horizon=HORIZON)
    assert load_table(model).cell(1, 0).demand == 0


@pytest.mark.parametrize(
    ("person", "match"),
    [
        (Person(id=2, name="Bob", part_time=1.2), r"Person 'Bob' \(id 2\): part-time share"),
        (Person(id=2, name="Bob", availability=-0.1), "Person 'Bob' .*: availability"),
        (Person(id=2, name="Bob", weekly_hours=-1), "Person 'Bob' .* -1 weekly hours"),
        (Person(id=2, name="Bob", working_weekdays=()), "Person 'Bob' .* no working weekdays"),
        (Person(id=2, name="Bob", working_weekdays=(0, 7)), "Person 'Bob' .* weekdays"),
        (Person(id=2, name="Bob", skills={"Python": 6}), "skill 'Python' has level 6"),
        (
            Person(id=2, name="Bob", leave=(Leave(FRIDAY, MONDAY),)),
            "Person 'Bob' .* leave ends",
        ),
        (
            Person(id=2, name="Bob", leave=(Leave(MONDAY, MONDAY, day_fraction=0),)),
            "Person 'Bob' .* 0 of a day",
        ),
        (
            Person(id=2, name="Bob", employment_start=FRIDAY, employment_end=MONDAY),
            "Person 'Bob' .* employment ends",
        ),
    ],
)
def test_bad_people_are_refused(person, match):
    refused(match, people=[ANN, person])


def test_two_people_with_one_id_are_refused():
    refused("Two persons have the id 1", people=[ANN, Person(id=1, name="Bob")])


def test_a_horizon_ending_before_it_starts_is_refused():
    with pytest.raises(CapacityError, match=r"ends .* before it starts"):
        Horizon.covering(FRIDAY, MONDAY, "week")


def test_an_unknown_interval_or_grouping_is_refused():
    with pytest.raises(CapacityError, match="Interval 'day'"):
        Horizon.covering(MONDAY, FRIDAY, "day")
    model = build_capacity([ANN], horizon=HORIZON)
    with pytest.raises(CapacityError, match="Cannot group by 'country'"):
        load_table(model, "country")
    with pytest.raises(CapacityError, match="No role 'Pilot'"):
        load_table(model, GroupBy.ROLE).cell("Pilot", 0)
