"""Capacity and demand per person, role, team and skill, per ISO week and calendar month.

Every expected figure is worked by hand from the calendar of March 2027, which starts on a
Monday: weeks W09 (1–7 March) to W13 (29 March–4 April); March has 23 weekdays, April 22
(1 April is a Thursday).
"""

from __future__ import annotations

import datetime as dt

import pytest

from steerco.engine.capacity import (
    CONFIRMED_ONLY,
    Allocation,
    DemandHours,
    DemandView,
    GroupBy,
    Horizon,
    Leave,
    LoadBand,
    Person,
    ProjectHours,
    Status,
    TaskAssignment,
    Unit,
    build_capacity,
    check_feasibility,
    load_band,
    load_table,
)

MARCH = dt.date(2027, 3, 1)  # a Monday


def day(n: int) -> dt.date:
    """``n`` days after Monday 1 March 2027 (0 = that Monday)."""
    return MARCH + dt.timedelta(days=n)


def week_of_march(people, allocations=(), assignments=(), **options):
    horizon = Horizon.covering(day(0), day(6), "week")
    return build_capacity(people, allocations, assignments, horizon=horizon, **options)


def allocation(id: int = 1, *, start=None, finish=None, amount=40.0, **fields) -> Allocation:
    fields.setdefault("project_id", 100)
    fields.setdefault("person_id", 1)
    return Allocation(
        id=id, start=start or day(0), finish=finish or day(4), amount=amount, **fields
    )


def one_cell(model, group_by=GroupBy.PERSON, key=1, view=None):
    return load_table(model, group_by, view).cell(key, 0)


# --- capacity -----------------------------------------------------------------------------


def test_full_time_week_is_forty_hours():
    model = week_of_march([Person(id=1, name="Ann")])
    assert one_cell(model).capacity == pytest.approx(40)


def test_part_time_and_availability_multiply_the_working_day():
    # 40 h over 5 days = 8 h/day; × 50 % part time × 80 % availability = 3.2 h/day.
    ann = Person(id=1, name="Ann", part_time=0.5, availability=0.8)
    assert one_cell(week_of_march([ann])).capacity == pytest.approx(16)


def test_availability_factor_of_the_issue_gives_32_hours():
    ann = Person(id=1, name="Ann", availability=0.8)
    assert one_cell(week_of_march([ann])).capacity == pytest.approx(32)


def test_four_day_week_spreads_the_weekly_hours_over_its_days():
    # 32 h over Monday–Thursday: Friday has no capacity.
    ann = Person(id=1, name="Ann", weekly_hours=32, working_weekdays=(0, 1, 2, 3))
    model = week_of_march([ann])
    assert model.capacity[0, 3] == pytest.approx(8)
    assert model.capacity[0, 4] == 0
    assert one_cell(model).capacity == pytest.approx(32)


def test_whole_and_part_day_leave_and_a_holiday_take_capacity_away():
    # Tuesday off, Wednesday half a day off, Friday a public holiday: 40 − 8 − 4 − 8 = 20.
    ann = Person(
        id=1,
        name="Ann",
        leave=(Leave(day(1), day(1)), Leave(day(2), day(2), day_fraction=0.5)),
        holidays=frozenset({day(4)}),
    )
    assert one_cell(week_of_march([ann])).capacity == pytest.approx(20)


def test_each_person_keeps_their_own_calendar_when_calendars_are_shared():
    friday = frozenset({day(4)})
    people = [
        Person(id=1, name="Ann", holidays=friday),
        Person(id=2, name="Bob", holidays={day(4)}),  # the same holidays, another set
        Person(id=3, name="Cai", holidays=frozenset({day(3)})),
        Person(id=4, name="Dee", holidays=friday, working_weekdays=(0, 1, 2, 3, 4, 5)),
    ]
    model = week_of_march(people)
    expected = [
        [8, 8, 8, 8, 0, 0, 0],
        [8, 8, 8, 8, 0, 0, 0],
        [8, 8, 8, 0, 8, 0, 0],
        [40 / 6] * 4 + [0, 40 / 6, 0],
    ]
    for row, days in enumerate(expected):
        assert list(model.capacity[row, :7]) == pytest.approx(days)


def test_overlapping_leave_never_takes_more_than_the_day():
    ann = Person(id=1, name="Ann", leave=(Leave(day(0), day(1)), Leave(day(1), day(1), 0.5)))
    assert one_cell(week_of_march([ann])).capacity == pytest.approx(24)


def test_no_capacity_before_employment_starts_or_after_it_ends():
    starts_wednesday = Person(id=1, name="Ann", employment_start=day(2))
    leaves_tuesday = Person(id=2, name="Bob", employment_end=day(1))
    model = week_of_march([starts_wednesday, leaves_tuesday])
    table = load_table(model)
    assert table.cell(1, 0).capacity == pytest.approx(24)
    assert table.cell(2, 0).capacity == pytest.approx(16)


def test_month_and_week_periods_of_march():
    ann = Person(id=1, name="Ann")
    by_month = build_capacity([ann], horizon=Horizon.covering(day(0), day(30), "month"))
    by_week = build_capacity([ann], horizon=Horizon.covering(day(0), day(30), "week"))
    months = load_table(by_month)
    weeks = load_table(by_week)
    assert [p.label for p in months.periods] == ["2027-03"]
    assert months.cell(1, 0).capacity == pytest.approx(23 * 8)
    assert [p.label for p in weeks.periods] == [
        "2027-W09",
        "2027-W10",
        "2027-W11",
        "2027-W12",
        "2027-W13",
    ]
    # W13 runs to Sunday 4 April: Monday 29 March to Friday 2 April.
    assert list(weeks.capacity[0]) == pytest.approx([40] * 5)
    assert weeks.periods[-1].start == day(28)
    assert weeks.periods[-1].last == dt.date(2027, 4, 4)


def test_a_date_finds_its_period():
    horizon = Horizon.covering(day(2), day(30), "week")
    assert horizon.periods[0].start == day(0)  # whole weeks: from Monday 1 March
    assert horizon.period_containing(day(9)).label == "2027-W10"
    assert horizon.period_containing(dt.date(2027, 4, 4)).label == "2027-W13"
    assert horizon.period_containing(dt.date(2027, 4, 5)) is None


# --- demand by unit -----------------------------------------------------------------------


def test_total_hours_spread_over_working_days_skipping_a_holiday():
    # 30 h from Monday 1 to Wednesday 10 March, Friday 5 a holiday: 7 working days,
    # 4 in the first week and 3 in the second.
    ann = Person(id=1, name="Ann", holidays=frozenset({day(4)}))
    horizon = Horizon.covering(day(0), day(13), "week")
    model = build_capacity(
        [ann], [allocation(start=day(0), finish=day(9), amount=30)], horizon=horizon
    )
    table = load_table(model)
    assert list(table.confirmed[0]) == pytest.approx([30 * 4 / 7, 30 * 3 / 7])


def test_hours_per_week_count_the_share_of_a_part_week():
    # 10 h a week from Wednesday 3 to Friday 12 March: 3 of 5 days of W09 (6 h), all of W10.
    ann = Person(id=1, name="Ann")
    weekly = Horizon.covering(day(0), day(13), "week")
    monthly = Horizon.covering(day(0), day(30), "month")
    booking = allocation(start=day(2), finish=day(11), amount=10, unit=Unit.HOURS_PER_WEEK)
    assert list(load_table(build_capacity([ann], [booking], horizon=weekly)).confirmed[0]) == (
        pytest.approx([6, 10])
    )
    assert load_table(build_capacity([ann], [booking], horizon=monthly)).confirmed[0, 0] == (
        pytest.approx(16)
    )


def test_hours_per_week_fall_on_the_weeks_working_days_around_a_holiday():
    # A full week booked at 20 h with Friday a holiday: still 20 h, 5 h on each of 4 days.
    ann = Person(id=1, name="Ann", holidays=frozenset({day(4)}))
    booking = allocation(amount=20, unit=Unit.HOURS_PER_WEEK, finish=day(6))
    model = week_of_march([ann], [booking])
    assert one_cell(model).confirmed == pytest.approx(20)
    assert model.daily_demand[(Status.CONFIRMED, False)][0, 0] == pytest.approx(5)


def test_hours_per_month_split_between_weeks_by_working_days():
    # 46 h a month over March and April: 2 h per March weekday, 46/22 h per April weekday.
    # W13 holds 29–31 March (3 days) and 1–2 April (2 days).
    ann = Person(id=1, name="Ann")
    horizon = Horizon.covering(day(28), day(34), "week")
    booking = allocation(
        start=day(0), finish=dt.date(2027, 4, 30), amount=46, unit=Unit.HOURS_PER_MONTH
    )
    model = build_capacity([ann], [booking], horizon=horizon)
    assert one_cell(model).confirmed == pytest.approx(3 * 2 + 2 * 46 / 22)


def test_fte_is_a_share_of_the_full_time_day_and_nothing_on_a_holiday():
    # 0.5 FTE of a 40-h week is 4 h a day: Monday–Thursday (Friday a holiday) 16 h. A
    # part-timer's FTE counts against the full-time day, not their shorter one.
    ann = Person(id=1, name="Ann", holidays=frozenset({day(4)}))
    bob = Person(id=2, name="Bob", part_time=0.5)
    model = week_of_march(
        [ann, bob],
        [
            allocation(1, amount=0.5, unit=Unit.FTE),
            allocation(2, amount=0.5, unit=Unit.FTE, person_id=2),
        ],
    )
    table = load_table(model)
    assert table.cell(1, 0).confirmed == pytest.approx(16)
    assert table.cell(2, 0).confirmed == pytest.approx(20)
    assert table.cell(2, 0).load_percent == pytest.approx(100)


def test_task_assignment_spreads_its_work_over_the_persons_working_days():
    ann = Person(id=1, name="Ann", working_weekdays=(0, 1, 2, 3), weekly_hours=32)
    work = TaskAssignment(
        id=7, project_id=200, person_id=1, start=day(0), finish=day(6), work_hours=12
    )
    model = week_of_march([ann], assignments=[work])
    daily = model.daily_demand[(Status.CONFIRMED, False)][0, :7]
    assert list(daily) == pytest.approx([3, 3, 3, 3, 0, 0, 0])


def test_work_on_the_persons_days_off_lands_where_they_have_no_capacity():
    # The project's calendar put a two-day task on Thursday and Friday; Ann works Monday to
    # Wednesday. Her 12 h are not lost, nor refused: they are demand she cannot meet.
    ann = Person(id=1, name="Ann", working_weekdays=(0, 1, 2), weekly_hours=24)
    work = TaskAssignment(
        id=7, project_id=200, person_id=1, start=day(3), finish=day(4), work_hours=12
    )
    model = week_of_march([ann], assignments=[work])
    daily = model.daily_demand[(Status.CONFIRMED, False)][0, :7]
    assert list(daily) == pytest.approx([0, 0, 0, 6, 6, 0, 0])
    assert list(model.capacity[0, :7]) == pytest.approx([8, 8, 8, 0, 0, 0, 0])
    feasibility = check_feasibility(model, CONFIRMED_ONLY)
    assert feasibility.unplaced_hours(1) == pytest.approx(12)
    assert feasibility.naive_over_hours(1) == pytest.approx(12)


def test_demand_outside_the_horizon_is_left_out():
    ann = Person(id=1, name="Ann")
    # Two weeks of 40 h in total from 1 to 12 March: the first week holds 20 h.
    booking = allocation(start=day(0), finish=day(11), amount=40)
    assert one_cell(week_of_march([ann], [booking])).confirmed == pytest.approx(20)


# --- statuses, weighting and the view -----------------------------------------------------


def soft_and_tentative_model():
    ann = Person(id=1, name="Ann")
    return week_of_march(
        [ann],
        [
            allocation(1, amount=10),
            allocation(2, amount=40, status=Status.SOFT, probability=0.5),
            allocation(3, amount=20, status=Status.TENTATIVE, probability=0.75),
        ],
    )


def test_soft_demand_at_half_probability_counts_half_in_the_weighted_view():
    cell = one_cell(soft_and_tentative_model(), view=DemandView(weighted=True))
    assert cell.soft == pytest.approx(40)
    assert cell.soft_weighted == pytest.approx(20)
    assert cell.tentative_weighted == pytest.approx(15)
    assert cell.demand == pytest.approx(10 + 20 + 15)


def test_raw_view_counts_every_hour():
    assert one_cell(soft_and_tentative_model()).demand == pytest.approx(70)


def test_view_can_leave_out_soft_and_tentative_demand():
    model = soft_and_tentative_model()
    assert one_cell(model, view=CONFIRMED_ONLY).demand == pytest.approx(10)
    without_soft = DemandView(include_soft=False)
    assert one_cell(model, view=without_soft).demand == pytest.approx(30)


def test_load_percent_band_and_free_hours_follow_the_view():
    model = soft_and_tentative_model()
    everything = one_cell(model)
    assert everything.load_percent == pytest.approx(175)
    assert everything.band is LoadBand.OVER_100
    assert everything.free_hours == 0
    confirmed = one_cell(model, view=CONFIRMED_ONLY)
    assert confirmed.band is LoadBand.UNDER_50
    assert confirmed.free_hours == pytest.approx(30)


@pytest.mark.parametrize(
    ("demand", "band"),
    [
        (19.9, LoadBand.UNDER_50),
        (20, LoadBand.FROM_50_TO_80),
        (31.9, LoadBand.FROM_50_TO_80),
        (32, LoadBand.FROM_80_TO_100),
        (40, LoadBand.FROM_80_TO_100),
        (40.1, LoadBand.OVER_100),
    ],
)
def test_load_bands_split_at_50_80_and_100_percent(demand, band):
    assert load_band(40, demand) is band


def test_band_of_every_cell_at_once_matches_the_band_of_each():
    people = [Person(id=n, name=f"P{n}") for n in range(1, 9)]
    hours = [0, 19.9, 20, 31.9, 32, 40, 40.1, 55]
    allocations = [
        allocation(n, amount=amount, person_id=n) for n, amount in enumerate(hours, start=1)
    ]
    people.append(Person(id=9, name="Gone", employment_end=day(-1)))
    table = load_table(week_of_march(people, allocations))
    assert [table.bands[k, 0] for k in range(9)] == [
        LoadBand.UNDER_50,
        LoadBand.UNDER_50,
        LoadBand.FROM_50_TO_80,
        LoadBand.FROM_50_TO_80,
        LoadBand.FROM_80_TO_100,
        LoadBand.FROM_80_TO_100,
        LoadBand.OVER_100,
        LoadBand.OVER_100,
        None,
    ]


def test_demand_without_capacity_is_over_and_nothing_at_all_has_no_band():
    assert load_band(0, 1) is LoadBand.OVER_100
    assert load_band(0, 0) is None


# --- groups -------------------------------------------------------------------------------


def organisation():
    people = [
        Person(id=1, name="Ann", team="Blue", roles=("Developer",), skills={"Python": 4}),
        Person(id=2, name="Bob", team="Blue", roles=("Tester", "Developer"), skills={"SQL": 2}),
        Person(
            id=3,
            name="Cai",
            team="Red",
            roles=("Developer",),
            skills={"Python": 2, "SQL": 5},
            part_time=0.5,
        ),
    ]
    allocations = [
        allocation(1, amount=30, project_id=100, person_id=1),
        allocation(2, amount=10, project_id=200, person_id=2),
        allocation(3, amount=8, project_id=200, person_id=3),
        # An open request for a developer, 20 h in the week.
        allocation(4, amount=20, project_id=300, person_id=None, role="Developer"),
        allocation(5, amount=6, project_id=300, person_id=None, role="Architect"),
    ]
    return week_of_march(people, allocations)


def test_role_view_counts_people_under_their_primary_role_and_adds_open_requests():
    table = load_table(organisation(), GroupBy.ROLE)
    assert table.keys == ("Architect", "Developer", "Tester")
    developer = table.cell("Developer", 0)
    assert developer.capacity == pytest.approx(40 + 20)  # Ann and half-time Cai
    assert developer.demand == pytest.approx(30 + 8 + 20)
    architect = table.cell("Architect", 0)
    assert (architect.capacity, architect.demand) == (0, pytest.approx(6))
    assert architect.band is LoadBand.OVER_100
    assert table.cell("Tester", 0).demand == pytest.approx(10)


def test_open_requests_follow_the_organisations_week_and_holidays():
    # Friday a holiday: 0.5 FTE of a 36-h week (7.2 h a day) is 3.6 h on each of Monday to
    # Thursday; 20 h in total spread over the four days is 5 h a day.
    requests = [
        allocation(1, amount=0.5, unit=Unit.FTE, person_id=None, role="Tester"),
        allocation(2, amount=20, person_id=None, role="Tester"),
    ]
    model = week_of_march(
        [],
        requests,
        organisation_holidays=frozenset({day(4)}),
        full_time_weekly_hours=36,
    )
    table = load_table(model, GroupBy.ROLE)
    assert table.cell("Tester", 0).demand == pytest.approx(4 * 3.6 + 20)
    daily = model.daily_demand[(Status.CONFIRMED, False)][0, :5]
    assert list(daily) == pytest.approx([3.6 + 5] * 4 + [0])


def test_team_view_sums_the_team_and_leaves_open_requests_out():
    table = load_table(organisation(), GroupBy.TEAM)
    assert table.keys == ("Blue", "Red")
    assert table.cell("Blue", 0).capacity == pytest.approx(80)
    assert table.cell("Blue", 0).demand == pytest.approx(40)
    assert table.cell("Red", 0).demand == pytest.approx(8)


def test_skill_view_counts_everyone_with_the_skill_at_the_level_asked():
    model = organisation()
    any_level = load_table(model, GroupBy.SKILL)
    assert any_level.cell("Python", 0).capacity == pytest.approx(60)  # Ann and Cai
    assert any_level.cell("SQL", 0).capacity == pytest.approx(60)  # Bob and Cai
    level_three = load_table(model, GroupBy.SKILL, min_skill_level=3)
    assert level_three.cell("Python", 0).capacity == pytest.approx(40)  # Ann only
    assert level_three.cell("SQL", 0).demand == pytest.approx(8)  # Cai only


def test_person_view_keeps_the_input_order():
    assert load_table(organisation()).keys == (1, 2, 3)


def test_projects_behind_a_cell_most_hours_first():
    table = load_table(organisation(), GroupBy.ROLE)
    assert table.projects("Developer", 0) == (
        ProjectHours(100, pytest.approx(30)),
        ProjectHours(300, pytest.approx(20)),
        ProjectHours(200, pytest.approx(8)),
    )


def test_allocations_and_task_assignments_behind_a_cell():
    ann = Person(id=1, name="Ann")
    work = TaskAssignment(
        id=7, project_id=200, person_id=1, start=day(0), finish=day(1), work_hours=12
    )
    soft = allocation(3, amount=20, project_id=300, status=Status.SOFT, probability=0.5)
    table = load_table(
        week_of_march([ann], [allocation(1, amount=5), soft], [work]),
        view=DemandView(weighted=True),
    )
    assert table.demand_items(1, 0) == (
        DemandHours("task assignment", 7, 200, Status.CONFIRMED, pytest.approx(12)),
        DemandHours("allocation", 3, 300, Status.SOFT, pytest.approx(10)),
        DemandHours("allocation", 1, 100, Status.CONFIRMED, pytest.approx(5)),
    )


def test_projects_follow_the_view_and_its_weighting():
    model = soft_and_tentative_model()
    weighted = load_table(model, view=DemandView(include_tentative=False, weighted=True))
    assert weighted.projects(1, 0) == (ProjectHours(100, pytest.approx(30)),)
    assert load_table(model, view=CONFIRMED_ONLY).projects(1, 0) == (
        ProjectHours(100, pytest.approx(10)),
    )


def test_projects_of_each_period_are_those_working_in_it():
    ann = Person(id=1, name="Ann")
    horizon = Horizon.covering(day(0), day(13), "week")
    model = build_capacity(
        [ann],
        [
            allocation(1, project_id=100, start=day(0), finish=day(4), amount=8),
            allocation(2, project_id=200, start=day(7), finish=day(11), amount=8),
        ],
        horizon=horizon,
    )
    table = load_table(model)
    assert [p.project_id for p in table.projects(1, 0)] == [100]
    assert [p.project_id for p in table.projects(1, 1)] == [200]
