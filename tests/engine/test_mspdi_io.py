"""Reading and writing Microsoft Project XML: safety, round trips and schema element order."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

import pytest

from steerco.engine.interop import mspdi
from steerco.engine.interop.mspdi import (
    MAX_BYTES,
    Assignment,
    PlanFileError,
    Resource,
    TaskBaseline,
    parse_duration_minutes,
    read_mspdi,
    write_mspdi,
)
from steerco.engine.interop.plan_json import read_plan_json
from steerco.engine.interop.schedule_json import schedule_as_json
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
from steerco.engine.scheduling import synthetic as networks

FILES = [
    "legacy_sample.xml",
    "mspdirelations.xml",
    "mspdiresource.xml",
    "task-baselines-project2019-mspdi.xml",
    "task-links-project2003-mspdi.xml",
    "task-links-project2010-mspdi.xml",
]


# --------------------------------------------------------------------------- hostile input
BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<Project xmlns="http://schemas.microsoft.com/project"><Name>&lol3;</Name></Project>"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<Project xmlns="http://schemas.microsoft.com/project"><Name>&xxe;</Name></Project>"""


def test_billion_laughs_is_refused():
    with pytest.raises(PlanFileError, match="DTD or entities"):
        read_mspdi(BILLION_LAUGHS)


def test_external_entity_is_refused():
    with pytest.raises(PlanFileError):
        read_mspdi(EXTERNAL_ENTITY)


def test_malformed_xml_is_a_plan_file_error():
    with pytest.raises(PlanFileError, match="not well-formed"):
        read_mspdi(b"<Project><Tasks>")


def test_oversized_input_is_refused_before_parsing():
    with pytest.raises(PlanFileError, match="limit"):
        read_mspdi(b" " * (MAX_BYTES + 1))


def test_xml_that_is_not_a_project_is_refused():
    with pytest.raises(PlanFileError, match="not a Microsoft Project file"):
        read_mspdi(b"<html/>")


def test_bad_values_are_reported_with_the_element_name():
    xml = (
        b'<Project xmlns="http://schemas.microsoft.com/project"><StartDate>2024-05-06T08:00:00'
        b"</StartDate><Tasks><Task><UID>1</UID><Duration>eight hours</Duration></Task></Tasks>"
        b"</Project>"
    )
    with pytest.raises(PlanFileError, match="duration"):
        read_mspdi(xml)


# --------------------------------------------------------------------------- parsing details
def test_iso_durations_as_ms_project_writes_them():
    assert parse_duration_minutes("PT8H0M0S") == 480
    assert parse_duration_minutes("PT57H8M24S") == 3428
    assert parse_duration_minutes("P1DT2H") == 1560
    assert parse_duration_minutes("-PT4H0M0S") == -240


def test_link_lag_in_tenths_of_minutes_and_types(shared):
    """mspdirelations.xml: Task 3 is SS after Task 2 with LinkLag 4800 (= 1 day)."""
    project = read_mspdi(shared.file("mspdi", "mspdirelations.xml").read_bytes())
    by_successor = {link.successor_uid: link for link in project.plan.links}
    assert by_successor[3].type is LinkType.SS
    assert by_successor[3].lag_minutes == 480
    assert by_successor[4].type is LinkType.FF
    assert by_successor[5].type is LinkType.SF


def test_outline_gives_parents_and_summaries(shared):
    project = read_mspdi(shared.file("mspdi", "legacy_sample.xml").read_bytes())
    tasks = {task.uid: task for task in project.plan.tasks}
    assert tasks[9].parent_uid == 19
    assert tasks[19].summary and tasks[19].parent_uid == 0


def test_resources_and_assignments_are_read(shared):
    project = read_mspdi(shared.file("mspdi", "mspdiresource.xml").read_bytes())
    names = {resource.name for resource in project.resources}
    assert {"Wade Golden", "Jon Iles", "Brian Leach", "Concrete"} <= names
    assert any(a.task_uid == 2 and a.work_minutes == 24 * 60 for a in project.assignments)


def test_baselines_are_read(shared):
    project = read_mspdi(shared.file("mspdi", "task-baselines-project2019-mspdi.xml").read_bytes())
    assert any(project.baselines.values())
    numbers = {b.number for items in project.baselines.values() for b in items}
    assert numbers <= set(range(11))


def test_resources_assignments_and_baselines_read_back_as_written():
    calendar = WorkingCalendar(name="Standard")
    night = WorkingCalendar(name="Night", week={0: ((22 * 60, 1440),)}, base=calendar)
    plan = Plan(
        tasks=[Task(1, "Design", 960), Task(2, "Build", 2400)],
        links=[Link(1, 2)],
        start=dt.datetime(2024, 5, 6, 8),
        calendar=calendar,
    )
    first = TaskBaseline(0, dt.datetime(2024, 5, 6, 8), dt.datetime(2024, 5, 7, 17), 960)
    later = TaskBaseline(10, dt.datetime(2024, 5, 8, 8), dt.datetime(2024, 5, 14, 17), 2400, 2400)
    resources = [
        Resource(1, "Ana Lima", email="ana@example.org"),
        Resource(2, "Night crew", max_units=2.0, calendar=night),
    ]
    assignments = [
        Assignment(1, 1, 1, units=0.5, work_minutes=480, baselines=[first]),
        Assignment(2, 2, 2, units=1.25, work_minutes=3000, work_contour=8),
        Assignment(3, 2, 1, units=1.0, work_minutes=2401),
    ]
    written = write_mspdi(
        plan,
        schedule_plan(plan),
        resources=resources,
        assignments=assignments,
        baselines={1: [first], 2: [later, first]},
    )
    again = read_mspdi(written)
    by_uid = {resource.uid: resource for resource in again.resources}
    assert by_uid[0].name == ""  # the unnamed resource 0 Project writes in every file
    assert (by_uid[1].name, by_uid[1].email, by_uid[1].max_units) == (
        "Ana Lima",
        "ana@example.org",
        1.0,
    )
    assert (by_uid[2].name, by_uid[2].max_units) == ("Night crew", 2.0)
    crew_calendar = again.calendars[by_uid[2].calendar_uid]
    assert crew_calendar.name == "Night crew" and crew_calendar.base.name == "Night"
    assert crew_calendar.intervals_on(dt.date(2024, 5, 13)) == ((22 * 60, 1440),)
    assert again.calendars[by_uid[1].calendar_uid].base is again.plan.calendar
    assert [
        (a.uid, a.task_uid, a.resource_uid, a.units, a.work_minutes, a.work_contour)
        for a in again.assignments
    ] == [(1, 1, 1, 0.5, 480, 0), (2, 2, 2, 1.25, 3000, 8), (3, 2, 1, 1.0, 2401, 0)]
    # An assignment's baseline has no duration in the schema: its dates are kept.
    assert [(b.number, b.start, b.finish) for b in again.assignments[0].baselines] == [
        (0, first.start, first.finish)
    ]
    # Written in number order, as Project writes them.
    assert again.baselines == {1: [first], 2: [first, later]}


def test_a_countrys_public_holidays_are_written_as_exceptions_and_schedule_the_same():
    """MSPDI has no countries: without the holidays, the file would plan work on them."""
    calendar = WorkingCalendar(
        name="UK working week",
        country="GB",
        exceptions=[CalendarException(dt.date(2024, 12, 26), dt.date(2024, 12, 26), ((480, 720),))],
    )
    plan = Plan(
        tasks=[Task(1, "Over Christmas", 480 * 30)],
        start=dt.datetime(2024, 12, 2, 8),
        calendar=calendar,
    )
    schedule = schedule_plan(plan)
    again = read_mspdi(write_mspdi(plan, schedule)).plan
    assert again.calendar.country is None
    assert again.calendar.intervals_on(dt.date(2024, 12, 25)) == ()  # Christmas Day
    assert again.calendar.intervals_on(dt.date(2024, 12, 26)) == ((480, 720),)  # ours wins
    assert again.calendar.intervals_on(dt.date(2029, 12, 25)) == ()
    assert schedule_plan(again).tasks[1] == schedule.tasks[1]


def test_2003_style_calendar_exceptions_are_read():
    """Before 2007, an exception is a WeekDay with DayType 0 and a TimePeriod."""
    xml = b"""<Project xmlns="http://schemas.microsoft.com/project">
    <StartDate>2024-05-03T08:00:00</StartDate><CalendarUID>1</CalendarUID>
    <Calendars><Calendar><UID>1</UID><Name>Standard</Name><IsBaseCalendar>1</IsBaseCalendar>
    <WeekDays>
    <WeekDay><DayType>2</DayType><DayWorking>1</DayWorking><WorkingTimes><WorkingTime>
      <FromTime>08:00:00</FromTime><ToTime>16:00:00</ToTime></WorkingTime></WorkingTimes></WeekDay>
    <WeekDay><DayType>6</DayType><DayWorking>1</DayWorking><WorkingTimes><WorkingTime>
      <FromTime>08:00:00</FromTime><ToTime>16:00:00</ToTime></WorkingTime></WorkingTimes></WeekDay>
    <WeekDay><DayType>0</DayType><DayWorking>0</DayWorking><TimePeriod>
      <FromDate>2024-05-06T00:00:00</FromDate><ToDate>2024-05-06T23:59:00</ToDate></TimePeriod>
    </WeekDay></WeekDays></Calendar></Calendars></Project>"""
    calendar = read_mspdi(xml).plan.calendar
    assert calendar.intervals_on(dt.date(2024, 5, 3)) == ((480, 960),)  # Friday
    assert calendar.intervals_on(dt.date(2024, 5, 6)) == ()  # the exception (a Monday)
    assert calendar.intervals_on(dt.date(2024, 5, 13)) == ((480, 960),)


def test_2007_style_exceptions_element_is_read():
    xml = b"""<Project xmlns="http://schemas.microsoft.com/project">
    <StartDate>2024-05-03T08:00:00</StartDate><CalendarUID>1</CalendarUID>
    <Calendars><Calendar><UID>1</UID><Name>Standard</Name><IsBaseCalendar>1</IsBaseCalendar>
    <WeekDays><WeekDay><DayType>2</DayType><DayWorking>1</DayWorking><WorkingTimes><WorkingTime>
      <FromTime>08:00:00</FromTime><ToTime>12:00:00</ToTime></WorkingTime></WorkingTimes>
    </WeekDay></WeekDays>
    <Exceptions><Exception><EnteredByOccurrences>0</EnteredByOccurrences><TimePeriod>
      <FromDate>2024-05-06T00:00:00</FromDate><ToDate>2024-05-06T23:59:00</ToDate></TimePeriod>
      <Occurrences>1</Occurrences><Name>Bank holiday</Name><Type>1</Type>
      <DayWorking>0</DayWorking></Exception></Exceptions></Calendar></Calendars></Project>"""
    calendar = read_mspdi(xml).plan.calendar
    assert calendar.intervals_on(dt.date(2024, 5, 6)) == ()
    assert calendar.intervals_on(dt.date(2024, 5, 13)) == ((480, 720),)


# --------------------------------------------------------------------------- round trips
def _task_fields(task: Task) -> tuple:
    calendar = task.calendar.name if task.calendar is not None else None
    return (
        task.uid,
        task.name,
        task.duration_minutes,
        task.parent_uid,
        task.summary,
        task.milestone,
        task.manual,
        task.constraint,
        task.constraint_date,
        task.deadline,
        calendar,
        task.elapsed,
        task.percent_complete,
        task.actual_start,
        task.actual_finish,
        task.remaining_duration_minutes,
    )


def _link_fields(link: Link) -> tuple:
    return (
        link.predecessor_uid,
        link.successor_uid,
        link.type,
        link.lag_minutes,
        link.lag_percent,
        link.lag_elapsed,
    )


@pytest.mark.parametrize("file_name", FILES)
def test_export_then_import_keeps_the_plan(shared, file_name):
    original = read_mspdi(shared.file("mspdi", file_name).read_bytes()).plan
    again = read_mspdi(write_mspdi(original, schedule_plan(original))).plan
    assert [_task_fields(t) for t in again.tasks] == [_task_fields(t) for t in original.tasks]
    assert [_link_fields(k) for k in again.links] == [_link_fields(k) for k in original.links]
    assert (again.start, again.minutes_per_day, again.honor_constraints) == (
        original.start,
        original.minutes_per_day,
        original.honor_constraints,
    )


@pytest.mark.parametrize("file_name", FILES)
def test_export_then_import_schedules_the_same(shared, file_name):
    original = read_mspdi(shared.file("mspdi", file_name).read_bytes()).plan
    first = schedule_plan(original)
    again = read_mspdi(write_mspdi(original, first))
    second = schedule_plan(again.plan)
    for task in original.tasks:
        assert second.tasks[task.uid] == first.tasks[task.uid]
        assert again.ms_project[task.uid].early_start == first.tasks[task.uid].early_start


def test_round_trip_of_a_built_plan_with_calendars_and_constraints():
    base = WorkingCalendar(
        name="Company",
        exceptions=[
            CalendarException(dt.date(2024, 5, 27), dt.date(2024, 5, 27), name="Bank holiday"),
            CalendarException(
                dt.date(2024, 8, 5), dt.date(2024, 8, 9), ((540, 780),), name="Summer hours"
            ),
        ],
    )
    night = WorkingCalendar(name="Night", week={0: ((22 * 60, 1440),)}, base=base)
    plan = Plan(
        tasks=[
            Task(1, "Phase", summary=True),
            Task(
                2,
                "Design",
                960,
                parent_uid=1,
                constraint=ConstraintType.SNET,
                constraint_date=dt.datetime(2024, 5, 7, 8),
            ),
            Task(
                3, "Build", 2400, parent_uid=1, calendar=night, deadline=dt.datetime(2024, 6, 3, 17)
            ),
            Task(4, "Done", 0, milestone=True, elapsed=True),
        ],
        links=[
            Link(2, 3, LinkType.SS, 240),
            Link(1, 4, LinkType.FS, 0, lag_percent=50.0),
            Link(2, 4, LinkType.FF, 1440, lag_elapsed=True),
        ],
        start=dt.datetime(2024, 5, 6, 8),
        calendar=base,
        status_date=dt.datetime(2024, 5, 10, 17),
        honor_constraints=False,
        name="Round trip",
    )
    again = read_mspdi(write_mspdi(plan)).plan
    assert [_task_fields(t) for t in again.tasks] == [_task_fields(t) for t in plan.tasks]
    assert [_link_fields(k) for k in again.links] == [_link_fields(k) for k in plan.links]
    assert again.status_date == plan.status_date and again.name == "Round trip"
    for day in (dt.date(2024, 5, 27), dt.date(2024, 8, 6), dt.date(2024, 5, 28)):
        assert again.calendar.intervals_on(day) == plan.calendar.intervals_on(day)
    night_again = again.tasks[2].calendar
    assert night_again.intervals_on(dt.date(2024, 5, 13)) == ((22 * 60, 1440),)
    assert schedule_plan(again) == schedule_plan(plan)


# --------------------------------------------------------------------------- element order
def _child_orders(root: ET.Element) -> dict[str, list[list[str]]]:
    """For each element name, the sequences of child names seen under it."""
    orders: dict[str, list[list[str]]] = {}
    for element in root.iter():
        names = [child.tag.rsplit("}", 1)[-1] for child in element]
        if names:
            orders.setdefault(element.tag.rsplit("}", 1)[-1], []).append(names)
    return orders


def _precedence(sequences: list[list[str]]) -> set[tuple[str, str]]:
    pairs = set()
    for names in sequences:
        firsts: dict[str, int] = {}
        for position, name in enumerate(names):
            firsts.setdefault(name, position)
        for a, pa in firsts.items():
            for b, pb in firsts.items():
                if pa < pb:
                    pairs.add((a, b))
    return pairs


def test_exported_element_order_follows_ms_project_files(shared):
    """MSPDI's schema is a sequence: wherever MS Project's own files put element A before B
    (under the same parent), our export must never put B before A."""
    seen: dict[str, set[tuple[str, str]]] = {}
    for file_name in FILES:
        root = ET.fromstring(shared.file("mspdi", file_name).read_bytes())
        for parent, sequences in _child_orders(root).items():
            seen.setdefault(parent, set()).update(_precedence(sequences))
    plan = read_mspdi(shared.file("mspdi", "task-links-project2010-mspdi.xml").read_bytes()).plan
    plan.status_date = dt.datetime(2014, 10, 20, 17)
    plan.tasks[1].deadline = dt.datetime(2014, 10, 31, 17)
    plan.tasks[1].actual_start = dt.datetime(2014, 10, 17, 8)
    plan.tasks[1].remaining_duration_minutes = 240
    plan.calendar.exceptions.append(CalendarException(dt.date(2014, 12, 25), dt.date(2014, 12, 25)))
    ours = _child_orders(ET.fromstring(_export_with_everything(plan)))
    assert {"Resource", "Assignment", "Baseline"} <= set(ours)
    checked = 0
    for parent, sequences in ours.items():
        for a, b in _precedence(sequences):
            assert (b, a) not in seen.get(parent, set()), f"<{parent}>: {a} written before {b}"
            checked += (a, b) in seen.get(parent, set())
    assert checked > 80


def test_every_element_we_write_is_one_ms_project_writes_there(shared):
    """Each element of ours appears under the same parent in a file Project saved."""
    known: dict[str, set[str]] = {}
    for file_name in FILES:
        root = ET.fromstring(shared.file("mspdi", file_name).read_bytes())
        for parent, sequences in _child_orders(root).items():
            known.setdefault(parent, set()).update(name for names in sequences for name in names)
    plan = read_mspdi(shared.file("mspdi", "task-links-project2010-mspdi.xml").read_bytes()).plan
    for parent, sequences in _child_orders(ET.fromstring(_export_with_everything(plan))).items():
        written = {name for names in sequences for name in names}
        assert written <= known[parent], (parent, written - known[parent])


def _export_with_everything(plan: Plan) -> bytes:
    """``plan`` exported with a resource on its own calendar, assignments and baselines."""
    night = WorkingCalendar(name="Night", week={0: ((22 * 60, 1440),)}, base=plan.calendar)
    leaves = [task for task in plan.tasks if not task.summary][:2]
    schedule = schedule_plan(plan)
    resources = [
        Resource(1, "Ana", email="ana@example.org"),
        Resource(2, "Ben", max_units=0.5, calendar=night),
    ]
    saved = TaskBaseline(
        1, dt.datetime(2014, 10, 1, 8), dt.datetime(2014, 10, 2, 17), 960, work_minutes=960
    )
    assignments = [
        Assignment(
            number,
            task.uid,
            number,
            units=0.5,
            work_minutes=240,
            start=schedule.tasks[task.uid].start,
            finish=schedule.tasks[task.uid].finish,
            baselines=[saved],
        )
        for number, task in enumerate(leaves, start=1)
    ]
    baselines = {task.uid: [saved] for task in leaves}
    return write_mspdi(
        plan, schedule, resources=resources, assignments=assignments, baselines=baselines
    )


def test_exported_order_matches_the_documented_constants():
    """The writer follows the element orders it documents (mspdi.*_ORDER)."""
    from steerco.engine.interop import mspdi

    plan = Plan(
        tasks=[
            Task(
                1,
                "A",
                480,
                deadline=dt.datetime(2024, 5, 9, 17),
                constraint=ConstraintType.SNET,
                constraint_date=dt.datetime(2024, 5, 6, 8),
            )
        ],
        start=dt.datetime(2024, 5, 6, 8),
        status_date=dt.datetime(2024, 5, 7, 17),
    )
    plan.tasks.append(Task(2, "B", 480))
    plan.links.append(Link(1, 2))
    root = ET.fromstring(_export_with_everything(plan))
    expected = {
        "Project": mspdi.PROJECT_ORDER,
        "Task": mspdi.TASK_ORDER,
        "PredecessorLink": mspdi.LINK_ORDER,
        "Calendar": mspdi.CALENDAR_ORDER,
        "Resource": mspdi.RESOURCE_ORDER,
        "Assignment": mspdi.ASSIGNMENT_ORDER,
        "Baseline": mspdi.BASELINE_ORDER,
    }
    written = _child_orders(root)
    assert set(expected) <= set(written)
    for parent, sequences in written.items():
        if parent in expected:
            for names in sequences:
                positions = [expected[parent].index(name) for name in names]
                assert positions == sorted(positions), (parent, names)


RECURRING = b"""<Project xmlns="http://schemas.microsoft.com/project">
<StartDate>2007-01-01T08:00:00</StartDate><CalendarUID>1</CalendarUID>
<Calendars><Calendar><UID>1</UID><Name>Standard</Name><IsBaseCalendar>1</IsBaseCalendar>
<WeekDays>%(weekdays)s</WeekDays>
<Exceptions>
 <Exception><EnteredByOccurrences>0</EnteredByOccurrences><TimePeriod>
  <FromDate>2007-01-01T00:00:00</FromDate><ToDate>2007-12-28T23:59:00</ToDate></TimePeriod>
  <Occurrences>104</Occurrences><Name>Team Meeting</Name><Type>6</Type><Period>1</Period>
  <DaysOfWeek>20</DaysOfWeek><DayWorking>1</DayWorking><WorkingTimes>
  <WorkingTime><FromTime>08:00:00</FromTime><ToTime>12:00:00</ToTime></WorkingTime>
  </WorkingTimes></Exception>
 <Exception><EnteredByOccurrences>0</EnteredByOccurrences><TimePeriod>
  <FromDate>2007-01-01T00:00:00</FromDate><ToDate>2009-12-31T23:59:00</ToDate></TimePeriod>
  <Name>Christmas</Name><Type>2</Type><Month>11</Month><MonthDay>25</MonthDay>
  <DayWorking>0</DayWorking></Exception>
 <Exception><EnteredByOccurrences>0</EnteredByOccurrences><TimePeriod>
  <FromDate>2007-01-01T00:00:00</FromDate><ToDate>2007-12-31T23:59:00</ToDate></TimePeriod>
  <Name>Last Friday off</Name><Type>5</Type><Period>1</Period><MonthItem>8</MonthItem>
  <MonthPosition>4</MonthPosition><DayWorking>0</DayWorking></Exception>
</Exceptions>
<WorkWeeks><WorkWeek><TimePeriod><FromDate>2007-07-02T00:00:00</FromDate>
  <ToDate>2007-08-31T23:59:00</ToDate></TimePeriod><Name>Summer</Name><WeekDays>
  <WeekDay><DayType>6</DayType><DayWorking>1</DayWorking><WorkingTimes><WorkingTime>
  <FromTime>08:00:00</FromTime><ToTime>12:00:00</ToTime></WorkingTime></WorkingTimes></WeekDay>
  </WeekDays></WorkWeek></WorkWeeks>
</Calendar></Calendars></Project>"""

_STANDARD_WEEKDAYS = b"".join(
    b"<WeekDay><DayType>%d</DayType><DayWorking>1</DayWorking><WorkingTimes><WorkingTime>"
    b"<FromTime>08:00:00</FromTime><ToTime>12:00:00</ToTime></WorkingTime><WorkingTime>"
    b"<FromTime>13:00:00</FromTime><ToTime>17:00:00</ToTime></WorkingTime></WorkingTimes>"
    b"</WeekDay>" % day
    for day in range(2, 7)
) + b"".join(
    b"<WeekDay><DayType>%d</DayType><DayWorking>0</DayWorking></WeekDay>" % day for day in (1, 7)
)


def test_recurring_exceptions_and_work_weeks_are_expanded():
    """Schema codes: Type 6 weekly with DaysOfWeek 20 = Tuesday + Thursday (the schema
    documentation's own example); Type 2 yearly on Month 11 (December) day 25; Type 5 monthly
    by position, MonthItem 8 = Friday, MonthPosition 4 = last; a summer work week of half-day
    Fridays."""
    calendar = read_mspdi(RECURRING % {b"weekdays": _STANDARD_WEEKDAYS}).plan.calendar
    morning = ((480, 720),)
    assert calendar.intervals_on(dt.date(2007, 3, 6)) == morning  # a Tuesday
    assert calendar.intervals_on(dt.date(2007, 3, 8)) == morning  # a Thursday
    assert calendar.intervals_on(dt.date(2007, 3, 7)) == ((480, 720), (780, 1020))
    assert calendar.intervals_on(dt.date(2009, 12, 25)) == ()
    assert calendar.intervals_on(dt.date(2007, 3, 30)) == ()  # last Friday of March
    assert calendar.intervals_on(dt.date(2007, 3, 23)) == ((480, 720), (780, 1020))
    assert calendar.intervals_on(dt.date(2007, 7, 13)) == morning  # a summer Friday
    again = read_mspdi(write_mspdi(read_mspdi(RECURRING % {b"weekdays": _STANDARD_WEEKDAYS}).plan))
    for day in (dt.date(2007, 3, 6), dt.date(2009, 12, 25), dt.date(2007, 7, 13)):
        assert again.plan.calendar.intervals_on(day) == calendar.intervals_on(day)


# --------------------------------------------------------------------------- out-of-range values
def _two_tasks(*, duration: str = "PT8H0M0S", lag: int = 0, lag_format: int = 7) -> bytes:
    return (
        '<Project xmlns="http://schemas.microsoft.com/project">'
        "<StartDate>2027-01-04T08:00:00</StartDate><Tasks>"
        "<Task><UID>1</UID><ID>1</ID><Name>Design</Name>"
        f"<Duration>{duration}</Duration></Task>"
        "<Task><UID>2</UID><ID>2</ID><Name>Build</Name><Duration>PT8H0M0S</Duration>"
        "<PredecessorLink><PredecessorUID>1</PredecessorUID><Type>1</Type>"
        f"<LinkLag>{lag}</LinkLag><LagFormat>{lag_format}</LagFormat></PredecessorLink>"
        "</Task></Tasks></Project>"
    ).encode()


@pytest.mark.parametrize("element", ["Duration", "RemainingDuration"])
def test_a_negative_duration_is_refused_naming_the_task(element):
    # Issue 14: the reader turned a negative duration into 0 (or scheduled a task that
    # finishes before it starts); the task list import already refuses one.
    xml = _two_tasks().replace(
        b"<Duration>PT8H0M0S</Duration></Task>",
        f"<{element}>-PT16H0M0S</{element}></Task>".encode()
        if element == "Duration"
        else f"<Duration>PT8H0M0S</Duration><{element}>-PT16H0M0S</{element}></Task>".encode(),
        1,
    )
    with pytest.raises(PlanFileError) as refused:
        read_mspdi(xml)
    assert str(refused.value) == (
        f"Task 1 'Design' has a negative {element} (-PT16H0M0S); a duration is 0 or more."
    )


def test_leads_as_long_as_project_accepts_are_read():
    # 66 years either way (Project's longest duration) in tenths of a minute.
    longest = 66 * 365 * 1440 * 10
    for lag in (-longest, -4800, longest):
        (link,) = read_mspdi(_two_tasks(lag=lag)).plan.links
        assert link.lag_minutes == lag // 10


@pytest.mark.parametrize("lag", [-1_000_000_000, 66 * 365 * 1440 * 10 + 10])
def test_a_lag_beyond_what_project_accepts_is_refused_naming_the_link(lag):
    # Issue 14: a lag of -100,000,000 minutes was accepted, and `steerco schedule` printed a
    # task that finishes before it starts.
    with pytest.raises(PlanFileError) as refused:
        read_mspdi(_two_tasks(lag=lag))
    assert str(refused.value) == (
        f"The link from task 1 to task 2 has a lag of {lag // 10:,} minutes; Microsoft "
        "Project accepts leads and lags of at most 34,689,600 minutes (66 years)."
    )


# --------------------------------------------------------------------------- links to missing tasks
def test_a_link_to_a_task_not_in_the_file_is_refused_naming_both_tasks():
    # Issue 9: the reader dropped such a link without a word, and the successor was scheduled
    # as if it had no predecessor.
    xml = _two_tasks().replace(b"<PredecessorUID>1<", b"<PredecessorUID>7<")
    with pytest.raises(PlanFileError) as refused:
        read_mspdi(xml)
    assert str(refused.value) == (
        "Task 2 'Build' has a predecessor link to task 7, which is not in the file "
        "(or is a blank row)."
    )


def test_a_link_to_a_blank_row_is_refused_too():
    # A blank row (IsNull) is skipped as Microsoft Project skips it, so its UID names no task.
    xml = _two_tasks().replace(b"<Name>Design</Name>", b"<Name>Design</Name><IsNull>1</IsNull>")
    with pytest.raises(PlanFileError, match="Task 2 'Build' has a predecessor link to task 1,"):
        read_mspdi(xml)


def test_links_between_tasks_in_the_file_are_all_kept():
    xml = _two_tasks()
    assert [(link.predecessor_uid, link.successor_uid) for link in read_mspdi(xml).plan.links] == [
        (1, 2)
    ]


# --------------------------------------------------------------------------- one pass per element
def test_the_first_of_two_same_named_elements_is_the_one_read():
    # Each task's children are read once into a map by name; the first one counts, as it
    # did when each value was looked up by scanning the children.
    xml = _two_tasks().replace(b"<Name>Design</Name>", b"<Name>Design</Name><Name>Other</Name>")
    assert read_mspdi(xml).plan.tasks[0].name == "Design"


def test_elements_in_another_namespace_or_none_are_read_by_their_local_name():
    xml = _two_tasks().replace(b' xmlns="http://schemas.microsoft.com/project"', b"")
    assert [task.name for task in read_mspdi(xml).plan.tasks] == ["Design", "Build"]
    prefixed = (
        _two_tasks()
        .replace(b' xmlns="http://schemas.microsoft.com/project"', b' xmlns:p="urn:x"')
        .replace(b"<", b"<p:")
        .replace(b"<p:/", b"</p:")
    )
    assert [task.name for task in read_mspdi(prefixed).plan.tasks] == ["Design", "Build"]


def test_a_dtd_is_refused_in_any_encoding_the_parser_reads():
    # The DTD check reads the prolog with the same parser, so an encoding cannot hide one.
    assert b"<!DOCTYPE" in BILLION_LAUGHS
    utf16 = BILLION_LAUGHS.replace(
        b'<?xml version="1.0"?>', b'<?xml version="1.0" encoding="UTF-16"?>'
    )
    with pytest.raises(PlanFileError, match="DTD or entities"):
        read_mspdi(utf16.decode().encode("utf-16"))
    after_a_comment = b"<!-- a plan -->\n" + EXTERNAL_ENTITY.split(b"?>", 1)[1]
    with pytest.raises(PlanFileError, match="DTD or entities"):
        read_mspdi(after_a_comment)


def test_a_utf16_file_without_a_dtd_is_read():
    xml = _two_tasks().decode()
    data = ('<?xml version="1.0" encoding="UTF-16"?>' + xml).encode("utf-16")
    assert [task.name for task in read_mspdi(data).plan.tasks] == ["Design", "Build"]


# --------------------------------------------------------------------------- the benchmark's files
def test_a_synthetic_network_as_mspdi_schedules_as_its_json_plan():
    # benchmarks/bench_mspdi.py times files made by synthetic.mspdi; here a small one is
    # checked against the same network as a JSON plan (which the TaskJuggler tests check).
    network = networks.fs_network(2_500, seed=5)
    project = read_mspdi(networks.mspdi(network))
    plan = project.plan
    summaries = [task for task in plan.tasks if task.summary]
    # one per 1,000-task project and one per 10 tasks inside each
    assert len(summaries) == 3 + 250
    assert len(plan.tasks) == 2_500 + 253
    assert {task.outline_level for task in plan.tasks} == {1, 2, 3}
    assert len(plan.links) == len(network.links) > 1.4 * 2_500
    assert len(plan.calendar.exceptions) == len(network.holidays) > 5
    ours = schedule_as_json(plan, schedule_plan(plan))
    expected = read_plan_json(networks.plan_json(network))
    theirs = schedule_as_json(expected, schedule_plan(expected))
    dates = {task["uid"]: (task["start"], task["finish"]) for task in theirs["tasks"]}
    assert {
        task["uid"]: (task["start"], task["finish"])
        for task in ours["tasks"]
        if task["uid"] <= network.size
    } == dates


def test_a_whole_number_written_as_a_decimal_is_read_and_a_word_is_refused():
    decimal = _two_tasks().replace(b"<PredecessorUID>1<", b"<PredecessorUID>1.0<")
    assert [link.predecessor_uid for link in read_mspdi(decimal).plan.links] == [1]
    word = _two_tasks().replace(b"<PredecessorUID>1<", b"<PredecessorUID>one<")
    with pytest.raises(PlanFileError, match="<PredecessorUID> should be a whole number"):
        read_mspdi(word)


# --------------------------------------------------------------------------- reading by columns
REFERENCE_FILES = [
    *FILES,
    "legacy_sample1.xml",
    "mspditimephased.xml",
    "task-durations-project2019-mspdi.xml",
]


def _read_both_ways(monkeypatch, data: bytes):
    """Read ``data``, holding the column reader's tasks, links, ids, saved values and
    baselines to the row reader's on the same elements; return the project, or None if the
    column reader left the file to the row reader."""
    by_columns = mspdi._read_task_columns
    compared = []

    def both_ways(elements, calendars, project_calendar):
        read = by_columns(elements, calendars, project_calendar)
        assert read == mspdi._read_task_rows(elements, calendars, project_calendar)
        compared.append(read)
        return read

    monkeypatch.setattr(mspdi, "_read_task_columns", both_ways)
    project = read_mspdi(data)
    return project if compared else None


@pytest.mark.parametrize("file_name", REFERENCE_FILES)
def test_the_column_reader_reads_each_reference_file_as_the_row_reader_does(
    shared, monkeypatch, file_name
):
    project = _read_both_ways(monkeypatch, shared.file("mspdi", file_name).read_bytes())
    assert project is not None and project.plan.tasks


def test_the_column_reader_reads_the_benchmark_network_as_the_row_reader_does(monkeypatch):
    project = _read_both_ways(monkeypatch, networks.mspdi(networks.fs_network(2_000, seed=3)))
    assert project is not None and len(project.plan.links) > 2_000


UNUSUAL = b"""<Project xmlns="http://schemas.microsoft.com/project">
<StartDate>2027-01-04T08:00:00</StartDate><CalendarUID>1</CalendarUID>
<Calendars><Calendar><UID>1</UID><Name>Standard</Name></Calendar>
<Calendar><UID>2</UID><Name>Night</Name><BaseCalendarUID>1</BaseCalendarUID></Calendar></Calendars>
<Tasks>
<Task><UID>0</UID><ID>0</ID><Name>  Whole plan </Name><OutlineLevel>0</OutlineLevel>
 <Summary>1</Summary><Critical/></Task>
<Task><Name>no UID: skipped</Name><Duration>PT1H0M0S</Duration></Task>
<Task><UID>3</UID><IsNull>1</IsNull><PredecessorLink><PredecessorUID>99</PredecessorUID>
 </PredecessorLink></Task>
<Task><UID> 4.0 </UID><Name>   </Name><Name>second name</Name><OutlineLevel>1</OutlineLevel>
 <Duration> PT16H30M0S </Duration><DurationFormat>8</DurationFormat><Critical> </Critical>
 <ConstraintType>4</ConstraintType><ConstraintDate>2027-02-01T08:00:00</ConstraintDate>
 <Deadline>2027-03-01T17:00:00</Deadline><CalendarUID>2</CalendarUID>
 <PercentComplete>50</PercentComplete><ActualStart>2027-01-04T08:00:00</ActualStart>
 <RemainingDuration>PT8H0M0S</RemainingDuration><TotalSlack>4800</TotalSlack>
 <FreeSlack>0</FreeSlack><Critical>1</Critical><EarlyStart>2027-01-04T08:00:00</EarlyStart>
 <Baseline><Number>0</Number><Start>2027-01-04T08:00:00</Start><Duration>PT8H0M0S</Duration>
 </Baseline><Baseline><Number>1</Number><Work>PT4H0M0S</Work></Baseline></Task>
<Task><UID>5</UID><ID>7</ID><WBS> 1.2 </WBS><OutlineLevel>2</OutlineLevel><Manual>1</Manual>
 <Start>2027-01-05T08:00:00</Start><Finish>2027-01-05T17:00:00</Finish>
 <Milestone>true</Milestone><CalendarUID>1</CalendarUID><Critical>0</Critical>
 <PredecessorLink><PredecessorUID>4</PredecessorUID><PredecessorUID>0</PredecessorUID>
  <Type>3</Type><LinkLag>500</LinkLag><LagFormat>19</LagFormat></PredecessorLink>
 <PredecessorLink><PredecessorUID>0</PredecessorUID><LinkLag>-14400</LinkLag>
  <LagFormat>4</LagFormat></PredecessorLink>
 <PredecessorLink><PredecessorUID>4</PredecessorUID><Type>0</Type></PredecessorLink></Task>
<Task><UID>6</UID><OutlineLevel>1</OutlineLevel><CalendarUID>-1</CalendarUID>
 <PredecessorLink><PredecessorUID>5.0</PredecessorUID><LinkLag>2.5</LinkLag></PredecessorLink>
</Task>
</Tasks></Project>"""


def test_the_column_reader_reads_unusual_tasks_and_links_as_the_row_reader_does(monkeypatch):
    # Blank rows and rows without a UID, whole numbers written as decimals, blank and doubled
    # elements, saved and blank Critical, percent and elapsed lags, missing link values,
    # baselines, task calendars.
    project = _read_both_ways(monkeypatch, UNUSUAL)
    assert project is not None
    assert [task.uid for task in project.plan.tasks] == [0, 4, 5, 6]
    assert [task.name for task in project.plan.tasks] == ["Whole plan", "", "", ""]
    assert [task.parent_uid for task in project.plan.tasks] == [None, 0, 4, 0]
    assert [project.ms_project[uid].critical for uid in (0, 4, 5, 6)] == [None, False, False, None]
    assert [(link.predecessor_uid, link.type, link.lag_percent) for link in project.plan.links] == [
        (4, LinkType.SS, 50.0),
        (0, LinkType.FS, None),
        (4, LinkType.FF, None),
        (5, LinkType.FS, None),
    ]
    assert [link.lag_elapsed for link in project.plan.links] == [False, True, False, False]
    assert [baseline.number for baseline in project.baselines[4]] == [0, 1]


def test_the_first_bad_value_in_document_order_is_reported_whatever_its_column():
    # The column reader reads every task's UID before any task's Duration; the refusal still
    # names the value the file shows first.
    xml = (
        _two_tasks(duration="eight hours")
        .replace(b"<UID>2</UID>", b"<UID>two</UID>")
        .replace(b"<PredecessorUID>1<", b"<PredecessorUID>one<")
    )
    with pytest.raises(PlanFileError) as refused:
        read_mspdi(xml)
    assert str(refused.value) == "Unreadable duration 'eight hours'."


def test_a_name_in_two_namespaces_is_read_by_its_local_name(monkeypatch):
    xml = _two_tasks().replace(
        b"<Name>Build</Name>", b'<p:Name xmlns:p="urn:x">Build</p:Name><Name>Other</Name>'
    )
    assert _read_both_ways(monkeypatch, xml) is None  # left to the row reader
    assert [task.name for task in read_mspdi(xml).plan.tasks] == ["Design", "Build"]


def test_links_of_one_layout_with_a_doubled_element_read_the_first(monkeypatch):
    # Every link holds the same elements in the same order, so the column reader slices
    # them; the first of the two PredecessorUID elements is still the one read.
    data = networks.mspdi(networks.fs_network(300, seed=4)).replace(
        b"</PredecessorUID>", b"</PredecessorUID><PredecessorUID>0</PredecessorUID>"
    )
    project = _read_both_ways(monkeypatch, data)
    assert project is not None
    assert 0 not in {link.predecessor_uid for link in project.plan.links}
