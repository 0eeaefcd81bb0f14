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


# --------------------------------------------------------------------------- hostile files
def _with_task(**fields) -> str:
    plan = json.loads(json.dumps(EXAMPLE))
    plan["tasks"][1].update(fields)
    return json.dumps(plan)


def test_a_plan_nested_200000_deep_is_refused_before_parsing():
    # Issue 14: json.loads recursed into it and the RecursionError answered a 500.
    deep = '{"format": "steerco-plan", "start": "2027-01-04T08:00", "x": ' + "[" * 200_000
    deep += "]" * 200_000 + "}"
    with pytest.raises(PlanFileError) as refused:
        read_plan_json(deep)
    assert str(refused.value) == (
        "The file nests lists and objects more than 32 levels deep; a SteerCo plan nests at most 6."
    )


def test_brackets_inside_text_do_not_count_as_nesting():
    plan = read_plan_json(_with_task(name='[[[[{{{{ "quoted" \\ ' * 10))
    assert plan.tasks[1].name.startswith('[[[[{{{{ "quoted" \\')


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        # Issue 14: a number as the name answered a 500 (TypeError where the plan is saved).
        ({"name": 5}, "Task 2 (uid 2): 'name' should be text, not 5."),
        (
            {"name": "x" * 256},
            "Task 2 (uid 2): 'name' is 256 characters long; at most 255 are allowed.",
        ),
        ({"uid": "2"}, "Task 2: 'uid' should be a whole number, not \"2\"."),
        ({"uid": -1}, "Task 2 (uid -1): 'uid' is -1; it should be between 0 and 2,147,483,647."),
        (
            {"duration_minutes": -480},
            "Task 2 (uid 2): 'duration_minutes' is -480; it should be between 0 and 52,704,000.",
        ),
        ({"milestone": "yes"}, "Task 2 (uid 2): 'milestone' should be true or false, not \"yes\"."),
        (
            {"constraint": "SOON"},
            "Task 2 (uid 2): 'constraint' should be one of ASAP, ALAP, MSO, MFO, SNET, SNLT, "
            'FNET, FNLT, not "SOON".',
        ),
        (
            {"percent_complete": 150},
            "Task 2 (uid 2): 'percent_complete' is 150; it should be between 0 and 100.",
        ),
        ({"start": ["2027"]}, "Task 2 (uid 2): 'start' should be text or null, not a list."),
        (
            {"start": "next week"},
            "Task 2 (uid 2): 'start' should be an ISO 8601 date, not 'next week'.",
        ),
    ],
)
def test_a_task_field_of_the_wrong_type_length_or_range_is_refused_naming_it(fields, message):
    with pytest.raises(PlanFileError) as refused:
        read_plan_json(_with_task(**fields))
    assert str(refused.value) == message


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            {"tasks": "oops"},
            "The plan: 'tasks' should be a list, not \"oops\".",
        ),
        ({"tasks": [7]}, "Task 1 should be an object, not 7."),
        (
            {"links": [{"predecessor": 1, "successor": 2, "type": "XX"}]},
            "Link 1 (from task 1 to task 2): 'type' should be one of FS, SS, FF, SF, not \"XX\".",
        ),
        ({"links": [{"predecessor": 1}]}, "Link 1 has no 'successor'."),
        (
            {"calendar": {"name": "Std", "week": {"mon": [["08:00", "1700"]]}}},
            "The plan's calendar: 'week.mon[0][1]' should look like 08:00, not \"1700\".",
        ),
        (
            {"calendar": {"week": {"mon": [["08:00"]]}}},
            "The plan's calendar: 'week.mon[0]' should hold 2 items, not 1.",
        ),
        (
            {"calendars": [{"name": "Std", "country": "United Kingdom"}]},
            "Calendar 1 ('Std'): 'country' is 14 characters long; at most 8 are allowed.",
        ),
        (
            {"minutes_per_day": 0},
            "The plan: 'minutes_per_day' is 0; it should be between 1 and 1,440.",
        ),
        (
            {"tasks": [{"uid": 1, "name": 1}, {"uid": 2, "name": 2}, {"uid": 3, "name": 3}]},
            "Task 1 (uid 1): 'name' should be text, not 1. (2 more problems after this one)",
        ),
    ],
)
def test_a_plan_field_of_the_wrong_shape_is_refused_naming_it(change, message):
    plan = {**json.loads(json.dumps(EXAMPLE)), "links": [], **change}
    with pytest.raises(PlanFileError) as refused:
        read_plan_json(json.dumps(plan))
    assert str(refused.value) == message


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_numbers_json_does_not_have_are_refused(constant):
    text = _with_task().replace('"duration_minutes": 960', f'"duration_minutes": {constant}')
    with pytest.raises(PlanFileError, match=f"holds {constant}, which is not a number in JSON"):
        read_plan_json(text)


def test_the_schema_is_json_schema_that_accepts_what_steerco_writes():
    # The schema is published as it is (for the API's OpenAPI document), so a standard
    # validator must read it the same way: it accepts every file SteerCo writes and refuses
    # the files refused above.
    import jsonschema

    from steerco.engine.interop.plan_json_schema import PLAN_SCHEMA

    jsonschema.Draft202012Validator.check_schema(PLAN_SCHEMA)
    validator = jsonschema.Draft202012Validator(PLAN_SCHEMA)
    written = json.loads(write_plan_json(read_plan_json(json.dumps(EXAMPLE))))
    for document in (EXAMPLE, written):
        assert list(validator.iter_errors(document)) == []
    for fields in ({"name": 5}, {"uid": -1}, {"constraint": "SOON"}, {"duration_minutes": -1}):
        assert list(validator.iter_errors(json.loads(_with_task(**fields))))
