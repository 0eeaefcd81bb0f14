"""SteerCo's JSON plan format: read, write, round trip and clear errors."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from steerco.engine.interop.mspdi import PlanFileError
from steerco.engine.interop.plan_json import read_plan_json, write_plan_json
from steerco.engine.scheduling import (
    CalendarException,
    ConstraintType,
    Link,
    LinkType,
    Plan,
    Task,
    WorkingCalendar,
    schedule_plan,
)
from steerco.engine.scheduling.calendar import WorkWeek

EXAMPLE = {
    "format": "steerco-plan",
    "version": 1,
    "name": "Office move",
    "start": "2027-01-04T08:00:00",
    "calendar": {"name": "Standard", "country": "GB"},
    "tasks": [
        {"uid": 1, "name": "Design", "duration_minutes": 2400},
        {"uid": 2, "name": "Build", "duration_minutes": 960},
    ],
    "links": [{"predecessor": 1, "successor": 2, "type": "FS", "lag_minutes": 480}],
}


def test_reads_a_minimal_plan_and_schedules_it():
    """Mon 4 Jan 2027 + 5 days = Fri 17:00; +1 day lag = Mon 11th 17:00; Build starts Tue."""
    plan = read_plan_json(json.dumps(EXAMPLE))
    result = schedule_plan(plan)
    assert result.tasks[2].start == dt.datetime(2027, 1, 12, 8)
    assert plan.calendar.country == "GB"


def test_round_trip_keeps_every_field():
    base = WorkingCalendar(
        name="Company",
        exceptions=[CalendarException(dt.date(2027, 1, 6), dt.date(2027, 1, 6), name="Off")],
    )
    late = WorkingCalendar(
        name="Late shift",
        week={0: ((720, 1320),)},
        base=base,
        work_weeks=[WorkWeek(dt.date(2027, 1, 11), dt.date(2027, 1, 22), {0: ((600, 1200),)})],
    )
    plan = Plan(
        tasks=[
            Task(1, "Phase", summary=True, wbs="1"),
            Task(
                2,
                "Design",
                2400,
                parent_uid=1,
                constraint=ConstraintType.SNET,
                constraint_date=dt.datetime(2027, 1, 5, 8),
                calendar=late,
            ),
            Task(3, "Sign-off", 0, milestone=True, deadline=dt.datetime(2027, 2, 1, 17)),
            Task(
                4,
                "Started",
                960,
                actual_start=dt.datetime(2027, 1, 4, 8),
                percent_complete=50.0,
                remaining_duration_minutes=480,
            ),
        ],
        links=[Link(2, 3, LinkType.FF, -240), Link(1, 4, LinkType.SS, 0, lag_percent=10.0)],
        start=dt.datetime(2027, 1, 4, 8),
        calendar=base,
        status_date=dt.datetime(2027, 1, 8, 17),
        honor_constraints=False,
        name="Everything",
    )
    again = read_plan_json(write_plan_json(plan))
    assert write_plan_json(again) == write_plan_json(plan)
    assert schedule_plan(again) == schedule_plan(plan)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("not json", "not valid JSON"),
        ('{"format": "other"}', "not a SteerCo plan"),
        ('{"format": "steerco-plan", "tasks": []}', "no 'start'"),
        ('{"format": "steerco-plan", "start": "soon"}', "ISO 8601"),
        ('{"format": "steerco-plan", "start": "2027-01-04T08:00", "tasks": [{}]}', "uid"),
    ],
)
def test_bad_files_give_readable_errors(text, message):
    with pytest.raises(PlanFileError, match=message):
        read_plan_json(text)


@pytest.mark.parametrize(
    ("field", "value"),
    [("duration_minutes", "long"), ("duration_minutes", 10**30), ("uid", "one")],
)
def test_impossible_task_values_are_refused(field, value):
    bad = json.loads(json.dumps(EXAMPLE))
    bad["tasks"][0][field] = value
    with pytest.raises(PlanFileError):
        read_plan_json(json.dumps(bad))
