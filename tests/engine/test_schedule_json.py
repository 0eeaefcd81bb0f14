"""The schedule's JSON as the command line writes it and the API answers it, and the status
date both read (``status_date_from_text``)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import json

import pytest

from steerco.engine.interop.schedule_json import (
    StatusDateError,
    schedule_as_json,
    status_date_from_text,
    write_schedule_json,
)
from steerco.engine.scheduling import Link, Plan, Task, WorkingCalendar, schedule_plan


def _written(plan: Plan, schedule) -> dict:
    out = io.StringIO()
    write_schedule_json(plan, schedule, out)
    return json.loads(out.getvalue())


def _outline_plan() -> Plan:
    names = ['Say "go"', "Back\\slash", "Zürich\nline two", "Tab\there", "\u2028 odd"]
    tasks = [Task(uid=10, name="Summary", summary=True, wbs="1")]
    tasks += [
        Task(uid=uid, name=name, duration_minutes=480 * uid, parent_uid=10, wbs=f"1.{uid}")
        for uid, name in enumerate(names, start=1)
    ]
    tasks.append(Task(uid=9, name="Done", milestone=True, parent_uid=10))
    links = [Link(1, 2), Link(2, 3), Link(1, 4), Link(4, 9)]
    return Plan(tasks=tasks, links=links, start=dt.datetime(2027, 1, 4, 8))


def test_the_written_json_is_the_same_value_as_the_api_answers():
    plan = _outline_plan()
    schedule = schedule_plan(plan)
    assert any(not result.critical for result in schedule.tasks.values())
    assert _written(plan, schedule) == schedule_as_json(plan, schedule)


def test_the_written_json_follows_the_plan_order_whatever_the_schedule_order():
    plan = _outline_plan()
    schedule = schedule_plan(plan)
    reordered = dataclasses.replace(schedule, tasks=dict(reversed(schedule.tasks.items())))
    written = _written(plan, reordered)
    assert [task["uid"] for task in written["tasks"]] == [task.uid for task in plan.tasks]
    assert written == schedule_as_json(plan, schedule)


def test_the_written_json_has_a_task_a_line():
    plan = _outline_plan()
    out = io.StringIO()
    write_schedule_json(plan, schedule_plan(plan), out)
    lines = out.getvalue().splitlines()
    assert len(lines) == len(plan.tasks) + 5  # {, project, tasks: [, the tasks, ], }
    assert json.loads(lines[4].rstrip(","))["name"] == 'Say "go"'


def test_the_engine_columns_hold_each_tasks_result_in_plan_order():
    # write_schedule_json reads these rather than a ScheduledTask per task.
    schedule = schedule_plan(_outline_plan())
    columns = schedule.tasks.columns()
    results = list(schedule.tasks.values())
    assert set(columns) == {field.name for field in dataclasses.fields(results[0])} - {"uid"}
    for name, column in columns.items():
        assert column == [getattr(result, name) for result in results]


def test_a_plan_without_tasks_is_written_as_an_empty_list():
    plan = Plan(tasks=[], links=[], start=dt.datetime(2027, 1, 4, 8))
    schedule = schedule_plan(plan)
    assert _written(plan, schedule) == schedule_as_json(plan, schedule)
    assert _written(plan, schedule)["tasks"] == []


def test_a_date_alone_is_the_end_of_that_working_day():
    assert status_date_from_text("2027-01-06", WorkingCalendar()) == dt.datetime(2027, 1, 6, 17)


def test_a_date_alone_on_a_weekend_is_the_end_of_the_friday_before():
    assert status_date_from_text("2027-01-09", WorkingCalendar()) == dt.datetime(2027, 1, 8, 17)


def test_a_date_and_time_is_taken_as_it_is_with_any_offset_kept_for_the_caller():
    calendar = WorkingCalendar()
    assert status_date_from_text("2027-01-06T12:30", calendar) == dt.datetime(2027, 1, 6, 12, 30)
    assert status_date_from_text("2027-01-06T12:30+01:00", calendar).utcoffset() == dt.timedelta(
        hours=1
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("next tuesday", "'next tuesday' is not an ISO date or date and time."),
        ("9999-12-31", "'9999-12-31' is outside the dates that can be scheduled."),
    ],
)
def test_an_unusable_status_date_says_why(text, message):
    with pytest.raises(StatusDateError) as caught:
        status_date_from_text(text, WorkingCalendar())
    assert str(caught.value) == message


def test_a_status_date_on_a_calendar_without_working_time_says_so():
    idle = WorkingCalendar(name="Idle", week={d: () for d in range(7)})
    with pytest.raises(StatusDateError) as caught:
        status_date_from_text("2027-01-06", idle)
    assert str(caught.value) == (
        "'2027-01-06' cannot end a working day: calendar 'Idle' has no working time."
    )
