"""Task lists as CSV/XLSX: MS Project's duration and predecessor notation, the per-row error
report, and export → import round trips.

Notation reference: Microsoft Project's Predecessors column ("3FS+2d", "4SF+50%", "3FS+2ed") and
duration entry ("5d", "2ew", "5d?"), as described in Microsoft's support article "Link tasks in a
project" and the duration abbreviations under File > Options > Advanced.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from steerco.engine.interop import spreadsheets, tasklist
from steerco.engine.interop.mspdi import PlanFileError
from steerco.engine.interop.tasklist import (
    Duration,
    NotationError,
    Predecessor,
    RowError,
    format_duration,
    format_predecessors,
    parse_duration,
    parse_predecessors,
    read_task_list,
    write_task_list,
)
from steerco.engine.scheduling import (
    ConstraintType,
    Link,
    LinkType,
    Plan,
    ScheduleCycleError,
    Task,
    schedule_plan,
)

DAY = 480
START = dt.datetime(2024, 5, 6, 8, 0)


def read_csv(text: str, **options) -> tasklist.TaskListImport:
    return read_task_list(text.encode("utf-8"), filename_or_format="tasks.csv", **options)


def cells(result: tasklist.TaskListImport) -> set[tuple[int, str]]:
    return {(error.row, error.column) for error in result.errors}


# --------------------------------------------------------------------------- durations
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("5d", Duration(5 * DAY)),
        ("5 days", Duration(5 * DAY)),
        ("1 day", Duration(DAY)),
        ("5 dys", Duration(5 * DAY)),
        ("2w", Duration(2 * 2400)),
        ("2 wks", Duration(2 * 2400)),
        ("3h", Duration(180)),
        ("3 hrs", Duration(180)),
        ("30m", Duration(30)),
        ("30 mins", Duration(30)),
        ("1.5d", Duration(720)),
        ("1,5d", Duration(720)),
        ("0d", Duration(0)),
        ("1mo", Duration(20 * DAY)),
        ("5", Duration(5 * DAY)),
        ("3ed", Duration(3 * 1440, elapsed=True)),
        ("2ew", Duration(2 * 7 * 1440, elapsed=True)),
        ("4 ehrs", Duration(240, elapsed=True)),
        ("5d?", Duration(5 * DAY, estimated=True)),
        ("5 days?", Duration(5 * DAY, estimated=True)),
        ("  2D  ", Duration(2 * DAY)),
    ],
)
def test_duration_notation_gives_working_minutes(text, expected):
    assert parse_duration(text) == expected


def test_duration_units_follow_minutes_per_day_and_week():
    assert parse_duration("1d", minutes_per_day=420).minutes == 420
    assert parse_duration("1w", minutes_per_week=2100).minutes == 2100
    assert parse_duration("1mo", minutes_per_day=420).minutes == 20 * 420
    assert parse_duration("1ed", minutes_per_day=420).minutes == 1440  # elapsed ignores it


@pytest.mark.parametrize("text", ["five days", "5x", "", "d", "5d??", "1e9d", "5 d d", "?"])
def test_unreadable_duration_raises_notation_error(text):
    with pytest.raises(NotationError):
        parse_duration(text)


def test_absurdly_long_duration_is_refused():
    with pytest.raises(NotationError, match="too long"):
        parse_duration("99999999999d")


@pytest.mark.parametrize(
    ("minutes", "elapsed", "text"),
    [
        (2400, False, "5d"),
        (720, False, "1.5d"),
        (0, False, "0d"),
        (180, False, "3h"),
        (45, False, "45m"),
        (2880, True, "2ed"),
        (90, True, "90em"),
    ],
)
def test_format_duration_writes_ms_project_notation(minutes, elapsed, text):
    assert format_duration(minutes, elapsed=elapsed) == text


@given(
    minutes=st.integers(min_value=0, max_value=10_000_000),
    elapsed=st.booleans(),
    per_day=st.sampled_from([480, 420, 450, 457, 1440]),
)
def test_formatted_duration_parses_back_to_the_same_minutes(minutes, elapsed, per_day):
    text = format_duration(minutes, elapsed=elapsed, minutes_per_day=per_day)
    parsed = parse_duration(text, minutes_per_day=per_day)
    assert (parsed.minutes, parsed.elapsed) == (minutes, elapsed)


# --------------------------------------------------------------------------- predecessors
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3", Predecessor(3)),
        ("3FS", Predecessor(3, LinkType.FS)),
        ("3FS+2d", Predecessor(3, LinkType.FS, 2 * DAY)),
        ("5SS", Predecessor(5, LinkType.SS)),
        ("7FF-1d", Predecessor(7, LinkType.FF, -DAY)),
        ("4SF+50%", Predecessor(4, LinkType.SF, lag_percent=50.0)),
        ("4FS-25%", Predecessor(4, LinkType.FS, lag_percent=-25.0)),
        ("3FS+2ed", Predecessor(3, LinkType.FS, 2 * 1440, lag_elapsed=True)),
        ("3FS+1.5h", Predecessor(3, LinkType.FS, 90)),
        ("3fs+2 days", Predecessor(3, LinkType.FS, 2 * DAY)),
        (" 3 SS + 2d ", Predecessor(3, LinkType.SS, 2 * DAY)),
        ("3+2d", Predecessor(3, LinkType.FS, 2 * DAY)),
        ("3FS+2", Predecessor(3, LinkType.FS, 2 * DAY)),
    ],
)
def test_each_predecessor_notation_maps_to_a_link(text, expected):
    assert parse_predecessors(text) == [expected]


def test_predecessors_are_separated_by_commas_or_semicolons():
    assert parse_predecessors("3, 5SS; 7FF-1d ,4SF+50%;") == [
        Predecessor(3),
        Predecessor(5, LinkType.SS),
        Predecessor(7, LinkType.FF, -DAY),
        Predecessor(4, LinkType.SF, lag_percent=50.0),
    ]


def test_predecessor_lags_follow_minutes_per_day():
    assert parse_predecessors("3FS+1d", minutes_per_day=420) == [Predecessor(3, lag_minutes=420)]


@pytest.mark.parametrize(
    "text", ["3XX", "FS3", "3FS+", "3FS+2q", "abc", "3FS+2d+1d", "3.5", "-3", "3FS 2d"]
)
def test_malformed_predecessor_raises_notation_error(text):
    with pytest.raises(NotationError, match="not written like"):
        parse_predecessors(text)


def test_malformed_predecessors_are_all_named_in_one_message():
    with pytest.raises(NotationError) as raised:
        parse_predecessors("3, x1, 4FS, 5ZZ")
    assert "'x1'" in str(raised.value)
    assert "'5ZZ'" in str(raised.value)


def test_a_task_listed_twice_as_predecessor_is_refused():
    with pytest.raises(NotationError, match="more than once"):
        parse_predecessors("3, 3SS")


def test_format_predecessors_writes_ms_project_notation():
    links = [
        Link(3, 9),
        Link(5, 9, LinkType.SS),
        Link(7, 9, LinkType.FF, lag_minutes=-DAY),
        Link(4, 9, LinkType.SF, lag_percent=50.0),
        Link(2, 9, LinkType.FS, lag_minutes=2 * 1440, lag_elapsed=True),
        Link(1, 9, LinkType.FS, lag_minutes=2 * DAY),
    ]
    assert format_predecessors(links) == "3, 5SS, 7FF-1d, 4SF+50%, 2FS+2ed, 1FS+2d"


def test_format_predecessors_maps_uids_to_displayed_ids():
    assert format_predecessors([Link(100, 200, LinkType.SS)], id_of={100: 4}) == "4SS"


def test_formatted_predecessors_parse_back_to_the_same_links():
    links = [
        Link(3, 9, LinkType.FS, lag_minutes=-90),
        Link(4, 9, LinkType.SF, lag_percent=33.333333333333336),
        Link(5, 9, LinkType.FF, lag_minutes=0, lag_elapsed=True),
        Link(6, 9, LinkType.SS, lag_minutes=0, lag_percent=0.0),
    ]
    text = format_predecessors(links, minutes_per_day=450)
    parsed = parse_predecessors(text, minutes_per_day=450)
    assert [entry.link(9) for entry in parsed] == links


# --------------------------------------------------------------------------- reading
def test_csv_task_list_becomes_tasks_links_and_outline():
    result = read_csv(
        "ID,WBS,Outline Level,Task Name,Duration,Predecessors,% Complete,Notes\n"
        "1,1,1,Design,,,,\n"
        "2,1.1,2,Spec,5d,,50%,Agreed with the client\n"
        "3,1.2,2,Review,2d?,2FS+2d,,\n"
        '4,2,1,Sign-off,0d,"3, 2SS+50%",,\n'
    )
    assert result.ok, result.errors
    design, spec, review, sign_off = result.tasks
    assert design.summary and design.parent_uid is None and not design.milestone
    assert (spec.parent_uid, spec.outline_level, spec.duration_minutes) == (1, 2, 5 * DAY)
    assert spec.percent_complete == 50.0
    assert review.wbs == "1.2" and review.duration_minutes == 2 * DAY
    assert sign_off.milestone and sign_off.duration_minutes == 0
    assert result.links == [
        Link(2, 3, LinkType.FS, lag_minutes=2 * DAY),
        Link(3, 4),
        Link(2, 4, LinkType.SS, lag_percent=50.0),
    ]
    assert result.notes == {2: "Agreed with the client"}


def test_ids_become_uids_and_predecessors_refer_to_ids():
    result = read_csv("ID,Name,Duration,Predecessors\n10,A,1d,\n20,B,1d,10\n30,C,1d,20SS\n")
    assert [task.uid for task in result.tasks] == [10, 20, 30]
    assert result.links == [Link(10, 20), Link(20, 30, LinkType.SS)]


def test_without_id_column_uids_are_positions_below_the_header_counting_blank_rows():
    result = read_csv("Name,Duration,Predecessors\nA,1d,\n,,\nC,1d,1\n")
    assert [task.uid for task in result.tasks] == [1, 3]
    assert result.links == [Link(1, 3)]


def test_outline_can_come_from_wbs_alone():
    result = read_csv("WBS,Name,Duration\n1,Phase,\n1.1,Work,2d\n1.1.1,Detail,1d\n2,Next,1d\n")
    levels = [(task.uid, task.outline_level, task.parent_uid) for task in result.tasks]
    assert levels == [(1, 1, None), (2, 2, 1), (3, 3, 2), (4, 1, None)]
    assert [task.summary for task in result.tasks] == [True, True, False, False]


def test_headers_are_case_insensitive_and_aliases_are_accepted():
    result = read_csv("ROW,task name,DUR,Preds,Level,Progress\n1,A,2d,,1,10\n2,B,1d,1,1,\n")
    assert result.ok, result.errors
    assert [task.name for task in result.tasks] == ["A", "B"]
    assert result.tasks[0].percent_complete == 10.0
    assert result.links == [Link(1, 2)]


def test_unknown_columns_are_ignored_and_listed():
    result = read_csv("Name,Duration,Resource Names,Cost\nA,1d,Ann,100\n")
    assert result.ok
    assert result.ignored_columns == ["Resource Names", "Cost"]


def test_blank_duration_of_a_task_is_one_day_with_a_warning_but_a_summary_rolls_up():
    result = read_csv("Outline Level,Name,Duration\n1,Phase,\n2,Work,\n")
    phase, work = result.tasks
    assert (phase.duration_minutes, work.duration_minutes) == (0, DAY)
    assert [(w.row, w.column) for w in result.warnings] == [(3, "Duration")]


def test_constraints_dates_progress_and_flags_are_read():
    result = read_csv(
        "Name,Duration,Constraint Type,Constraint Date,Actual Start,Actual Finish,"
        "Deadline,Milestone,Task Mode,Start,Finish\n"
        "A,1d,Start No Earlier Than,2024-05-08,2024-05-06 09:30,06/05/2024 17:00,NA,No,"
        "Manually Scheduled,Mon 06/05/24 08:00,2024-05-06\n"
        "B,1d,fnlt,2024-05-10,,,,Yes,Auto Scheduled,,\n"
    )
    assert result.ok, result.errors
    a, b = result.tasks
    assert a.constraint is ConstraintType.SNET
    assert a.constraint_date == dt.datetime(2024, 5, 8, 8, 0)  # start-like: day start
    assert a.actual_start == dt.datetime(2024, 5, 6, 9, 30)
    assert a.actual_finish == dt.datetime(2024, 5, 6, 17, 0)
    assert a.deadline is None
    assert a.manual and not a.milestone
    assert (a.start, a.finish) == (START, dt.datetime(2024, 5, 6, 17, 0))
    assert b.constraint is ConstraintType.FNLT
    assert b.constraint_date == dt.datetime(2024, 5, 10, 17, 0)  # finish-like: day end
    assert b.milestone and not b.manual


def test_month_first_dates_when_asked():
    result = read_csv("Name,Actual Start\nA,05/13/2024 8:00 AM\n", day_first=False)
    assert result.tasks[0].actual_start == dt.datetime(2024, 5, 13, 8, 0)


def test_cycles_are_left_to_the_scheduler_which_names_the_loop():
    """Import accepts a loop; scheduling raises ScheduleCycleError (documented behaviour)."""
    result = read_csv("ID,Name,Duration,Predecessors\n1,A,1d,2\n2,B,1d,1\n")
    assert result.ok
    with pytest.raises(ScheduleCycleError):
        schedule_plan(result.to_plan(start=START))


def test_link_from_a_summary_to_its_own_task_is_left_to_the_scheduler():
    result = read_csv("ID,Outline Level,Name,Duration,Predecessors\n1,1,Phase,,\n2,2,Work,1d,1\n")
    assert result.ok
    with pytest.raises(ScheduleCycleError, match="Phase"):
        schedule_plan(result.to_plan(start=START))


def test_first_row_may_be_the_project_summary_at_level_zero():
    result = read_csv("ID,Outline Level,Name,Duration\n0,0,Project,\n1,1,A,1d\n")
    project, a = result.tasks
    assert project.summary and project.outline_level == 0 and a.parent_uid == 0


def test_row_without_a_level_takes_the_previous_rows_level():
    result = read_csv("Outline Level,Name,Duration\n1,Phase,\n2,Work,1d\n,Inserted,1d\n")
    assert [(task.outline_level, task.parent_uid) for task in result.tasks] == [
        (1, None),
        (2, 1),
        (2, 1),
    ]


def test_outline_jump_read_from_wbs_is_reported_in_the_wbs_column():
    result = read_csv("WBS,Name,Duration\n1,Phase,1d\n1.1.1,Too deep,1d\n")
    assert cells(result) == {(3, "WBS")}


def test_only_the_first_row_may_be_at_level_zero():
    result = read_csv("Outline Level,Name,Duration\n1,A,1d\n0,B,1d\n")
    assert cells(result) == {(3, "Outline Level")}


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("text/csv", b"Name\nA\n"),
        ("CSV", b"Name\nA\n"),
        (
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            None,
        ),
    ],
)
def test_format_may_be_given_as_a_name_extension_or_media_type(name, data):
    data = data or _xlsx([["Name"], ["A"]])
    assert [task.name for task in read_task_list(data, filename_or_format=name).tasks] == ["A"]


def test_header_may_sit_below_a_title_row_and_row_numbers_stay_spreadsheet_rows():
    result = read_csv("Office move task list\n\nName,Duration\nA,1d\nB,soon\n")
    assert [(e.row, e.column) for e in result.errors] == [(5, "Duration")]


# --------------------------------------------------------------------------- error report
def test_every_problem_is_reported_with_its_row_and_column_and_nothing_is_imported():
    text = (
        "ID,Outline Level,Name,Duration,Predecessors,Start,% Complete\n"  # row 1
        "1,1,Good,1d,,,\n"  # row 2
        "2,1,,1d,,,\n"  # row 3: missing name
        "3,1,Bad duration,five,,,\n"  # row 4
        "4,1,Negative,-2d,,,\n"  # row 5
        "5,1,Unknown pred,1d,99,,\n"  # row 6
        "6,1,Self,1d,6,,\n"  # row 7
        "6,1,Duplicate,1d,,,\n"  # row 8
        "8,1,Malformed pred,1d,1XX,,\n"  # row 9
        "9,1,Bad date,1d,,2024-02-30,\n"  # row 10
        "10,1,Too done,1d,,,150\n"  # row 11
        "11,3,Jump,1d,,,\n"  # row 12
    )
    result = read_csv(text)
    assert cells(result) == {
        (3, "Name"),
        (4, "Duration"),
        (5, "Duration"),
        (6, "Predecessors"),
        (7, "Predecessors"),
        (8, "ID"),
        (9, "Predecessors"),
        (10, "Start"),
        (11, "% Complete"),
        (12, "Outline Level"),
    }
    assert [error.row for error in result.errors] == sorted(e.row for e in result.errors)
    assert result.tasks == [] and result.links == [] and not result.ok
    with pytest.raises(PlanFileError, match="problem"):
        result.to_plan(start=START)


def test_error_messages_say_what_to_fix():
    result = read_csv("ID,Name,Duration,Predecessors\n1,A,1d,\n1,B,1d,7\n,C,1d,\n")
    messages = [str(error) for error in result.errors]
    assert "Row 3, ID: ID 1 is already used on row 2." in messages
    assert "Row 3, Predecessors: Predecessor 7 is not the ID of any task in the file." in messages
    assert "Row 4, ID: No ID; give the task a number no other row uses." in messages


def test_one_bad_row_among_good_ones_imports_nothing():
    rows = "".join(f"{n},Task {n},1d,{n - 1 if n > 1 else ''}\n" for n in range(1, 50))
    result = read_csv("ID,Name,Duration,Predecessors\n" + rows + "50,Last,1d,51\n")
    assert [(e.row, e.column) for e in result.errors] == [(51, "Predecessors")]
    assert result.tasks == [] and result.links == []


def test_dated_constraint_without_a_date_is_an_error():
    result = read_csv("Name,Duration,Constraint Type,Constraint Date\nA,1d,Must Start On,NA\n")
    assert cells(result) == {(2, "Constraint Date")}


@pytest.mark.parametrize(
    ("header", "value", "column"),
    [
        ("Constraint Type", "Sometime", "Constraint Type"),
        ("Milestone", "Maybe", "Milestone"),
        ("Task Mode", "Whenever", "Task Mode"),
        ("% Complete", "-1", "% Complete"),
        ("% Complete", "lots", "% Complete"),
        ("Outline Level", "two", "Outline Level"),
        ("ID", "A7", "ID"),
        ("Actual Start", "yesterday", "Actual Start"),
        ("Deadline", "31/13/2024", "Deadline"),
    ],
)
def test_unreadable_cell_is_reported_in_its_column(header, value, column):
    result = read_csv(f"Name,Duration,{header}\nA,1d,{value}\n")
    assert cells(result) == {(2, column)}


def test_actual_finish_before_actual_start_is_an_error():
    result = read_csv("Name,Actual Start,Actual Finish\nA,2024-05-07,2024-05-06\n")
    assert cells(result) == {(2, "Actual Finish")}


def test_error_report_is_capped_with_a_count_of_the_rest():
    rows = "".join(f"T{n},bad\n" for n in range(10))
    result = read_csv("Name,Duration\n" + rows, max_errors=3)
    assert len(result.errors) == 4
    assert result.errors[-1] == RowError(0, "", "… and 7 more problems not listed.")


# --------------------------------------------------------------------------- CSV dialects
def test_csv_with_bom_semicolons_and_decimal_commas():
    text = "\ufeffID;Task Name;Duration;Predecessors\r\n1;Plan;1,5d;\r\n2;Do;2d;1FS+1d\r\n"
    result = read_task_list(text.encode("utf-8"), filename_or_format="csv")
    assert result.ok, result.errors
    assert [task.duration_minutes for task in result.tasks] == [720, 2 * DAY]
    assert result.links == [Link(1, 2, lag_minutes=DAY)]


def test_csv_in_windows_1252_is_read():
    data = "Name;Duration\nCafé opening – phase 1;1d\n".encode("cp1252")
    result = read_task_list(data, filename_or_format="csv")
    assert result.tasks[0].name == "Café opening – phase 1"


def test_excel_unicode_text_utf16_tab_separated_is_read():
    data = "Name\tDuration\tPredecessors\nA\t1d\t\nB\t2d\t1\n".encode("utf-16")
    result = read_task_list(data, filename_or_format="tasks.txt")
    assert result.ok and result.links == [Link(1, 2)]


def test_semicolon_separated_predecessors_inside_a_comma_csv():
    result = read_csv('Name,Duration,Predecessors\nA,1d,\nB,1d,\nC,1d,"1;2SS"\n')
    assert result.links == [Link(1, 3), Link(2, 3, LinkType.SS)]


# --------------------------------------------------------------------------- XLSX
def _xlsx(rows, number_formats=None) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    for coordinate, number_format in (number_formats or {}).items():
        sheet[coordinate].number_format = number_format
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_xlsx_typed_cells_are_understood():
    data = _xlsx(
        [
            ["ID", "Task Name", "Duration", "% Complete", "Actual Start", "Predecessors"],
            [1.0, "A", 5, 0.5, dt.datetime(2024, 5, 6), None],
            [2, "B", "2d", 25, dt.datetime(2024, 5, 7, 9, 0), 1],
        ],
        {"D2": "0%", "E2": "yyyy-mm-dd", "E3": "yyyy-mm-dd hh:mm"},
    )
    result = read_task_list(data, filename_or_format="Plan.XLSX")
    assert result.ok, result.errors
    a, b = result.tasks
    assert (a.uid, a.duration_minutes, a.percent_complete) == (1, 5 * DAY, 50.0)
    assert a.actual_start == START  # a date without time takes the day's start
    assert (b.percent_complete, b.actual_start) == (25.0, dt.datetime(2024, 5, 7, 9, 0))
    assert result.links == [Link(1, 2)]


def test_xlsx_uses_the_first_sheet_with_a_task_name_column():
    workbook = openpyxl.Workbook()
    workbook.active.append(["Read me first"])
    workbook.create_sheet("Tasks").append(["Name", "Duration"])
    workbook["Tasks"].append(["A", "3d"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = read_task_list(buffer.getvalue(), filename_or_format="xlsx")
    assert [task.duration_minutes for task in result.tasks] == [3 * DAY]


def test_xlsx_errors_carry_spreadsheet_rows():
    data = _xlsx([["Name", "Duration"], ["A", "1d"], [None, None], ["B", "x"]])
    result = read_task_list(data, filename_or_format="xlsx")
    assert cells(result) == {(4, "Duration")}


# --------------------------------------------------------------------------- round trips
def full_plan() -> Plan:
    """Every feature a task list carries: outline, milestone, elapsed duration, all link types
    with working, negative, percent and elapsed lags, constraints, progress and manual dates."""
    tasks = [
        Task(uid=1, name="Phase 1", wbs="1", summary=True, duration_minutes=0),
        Task(uid=2, name="Design", wbs="1.1", outline_level=2, parent_uid=1, duration_minutes=720,
             percent_complete=37.5, actual_start=dt.datetime(2024, 5, 6, 8, 0)),
        Task(uid=3, name="Cure concrete", wbs="1.2", outline_level=2, parent_uid=1,
             duration_minutes=3 * 1440, elapsed=True, constraint=ConstraintType.SNET,
             constraint_date=dt.datetime(2024, 5, 8, 8, 0)),
        Task(uid=4, name="=cmd|' /C calc'!A0", wbs="1.3", outline_level=2, parent_uid=1,
             duration_minutes=95, deadline=dt.datetime(2024, 5, 20, 17, 0)),
        Task(uid=5, name="Sign-off", wbs="2", duration_minutes=0, milestone=True,
             constraint=ConstraintType.FNLT, constraint_date=dt.datetime(2024, 5, 31, 17, 0)),
        Task(uid=7, name="Workshop, \"kick-off\"; day 1", wbs="3", duration_minutes=DAY,
             manual=True, start=dt.datetime(2024, 5, 13, 8, 0),
             finish=dt.datetime(2024, 5, 13, 17, 0), percent_complete=100.0,
             actual_start=dt.datetime(2024, 5, 13, 8, 0),
             actual_finish=dt.datetime(2024, 5, 13, 17, 0)),
        Task(uid=9, name="Long lead", wbs="4", duration_minutes=2 * 2400, milestone=True),
    ]  # fmt: skip
    links = [
        Link(2, 3, LinkType.FS, lag_minutes=2 * 1440, lag_elapsed=True),
        Link(2, 4, LinkType.SS, lag_percent=50.0),
        Link(3, 4, LinkType.FF, lag_minutes=-DAY),
        Link(4, 5, LinkType.SF, lag_percent=-25.0),
        Link(1, 5),
        Link(5, 9, LinkType.FS, lag_minutes=90),
    ]
    return Plan(tasks=tasks, links=links, start=START)


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_export_then_import_gives_the_same_tasks_and_links(file_format):
    plan = full_plan()
    notes = {2: "From the kick-off\nsecond line", 4: "@risk"}
    data = write_task_list(plan, format=file_format, notes=notes)
    result = read_task_list(data, filename_or_format=file_format)
    assert result.ok, result.errors
    assert result.tasks == plan.tasks
    assert result.links == plan.links
    assert result.notes == notes


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_export_with_a_schedule_writes_its_dates(file_format):
    plan = full_plan()
    schedule = schedule_plan(plan)
    data = write_task_list(plan, schedule=schedule, format=file_format)
    result = read_task_list(data, filename_or_format=file_format)
    for task in result.tasks:
        computed = schedule.tasks[task.uid]
        assert (task.start, task.finish) == (computed.start, computed.finish)


def test_round_trip_keeps_working_minutes_with_another_minutes_per_day():
    plan = Plan(
        tasks=[
            Task(uid=1, name="A", duration_minutes=450),
            Task(uid=2, name="B", duration_minutes=7),
        ],
        links=[Link(1, 2, lag_minutes=-225)],
        minutes_per_day=450,
    )
    data = write_task_list(plan)
    assert b"1d" in data and b"1FS-0.5d" in data
    result = read_task_list(data, filename_or_format="csv", minutes_per_day=450)
    assert (result.tasks, result.links) == (plan.tasks, plan.links)


def test_exported_csv_matches_ms_project_columns_and_notation():
    data = write_task_list(full_plan())
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert list(rows[0])[:6] == ["ID", "WBS", "Outline Level", "Name", "Duration", "Predecessors"]
    by_id = {row["ID"]: row for row in rows}
    assert by_id["3"]["Duration"] == "3ed" and by_id["3"]["Predecessors"] == "2FS+2ed"
    assert by_id["4"]["Predecessors"] == "2SS+50%, 3FF-1d"
    assert by_id["5"]["Predecessors"] == "4SF-25%, 1"
    assert by_id["5"]["Constraint Type"] == "Finish No Later Than"
    assert by_id["2"]["Outline Level"] == "2" and by_id["2"]["% Complete"] == "37.5"


def test_exported_text_cannot_run_as_a_formula():
    plan = full_plan()
    csv_data = write_task_list(plan).decode("utf-8-sig")
    assert "'=cmd|" in csv_data  # quoted for spreadsheets, unquoted again on import
    workbook = openpyxl.load_workbook(io.BytesIO(write_task_list(plan, format="xlsx")))
    names = [row[3] for row in workbook.active.iter_rows(min_row=2)]
    hostile = next(cell for cell in names if str(cell.value).startswith("=cmd"))
    assert hostile.data_type == "s"


def test_children_are_exported_right_after_their_summary():
    plan = Plan(
        tasks=[
            Task(uid=1, name="Child", parent_uid=2, outline_level=2),
            Task(uid=2, name="Parent", summary=True),
        ]
    )
    result = read_task_list(write_task_list(plan), filename_or_format="csv")
    assert [(task.uid, task.parent_uid) for task in result.tasks] == [(2, None), (1, 2)]


def test_unknown_export_format_is_refused():
    with pytest.raises(ValueError, match="csv"):
        write_task_list(full_plan(), format="pdf")


# --------------------------------------------------------------------------- hostile input
@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"\x00\x01\x02binary\x00", "tasks.csv", "binary"),
        (b"\x81\x8d\x8f\x90\x9d" * 10, "tasks.csv", "not text"),
        (b"PK\x03\x04 not really", "tasks.csv", "Excel workbook"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "tasks.xls", "not a task list"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "tasks.xlsx", "old-style"),
        (b"Name,Duration\nA,1d\n", "tasks.xlsx", "not an Excel workbook"),
        (b"PK\x03\x04garbage" * 20, "tasks.xlsx", "not a valid Excel"),
        (b"Name\nA\n", "plan.mpp", "CSV"),
        (b"", "tasks.csv", "empty"),
        (b"  \n\n", "tasks.csv", "empty"),
        (b"Duration,Cost\n1d,5\n", "tasks.csv", "task name column"),
        (b"Name,Duration\n", "tasks.csv", "no tasks"),
        (b"Name,Task Name\nA,B\n", "tasks.csv", "keep one"),
        (b'Name,Duration\n"A' + b"x" * 200_000 + b'",1d\n', "tasks.csv", "not valid CSV"),
    ],
)
def test_garbage_is_refused_with_a_clear_plan_file_error(data, name, message):
    with pytest.raises(PlanFileError, match=message):
        read_task_list(data, filename_or_format=name)


def test_zip_that_is_not_a_workbook_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    with pytest.raises(PlanFileError, match="cannot be read"):
        read_task_list(buffer.getvalue(), filename_or_format="xlsx")


def test_workbook_that_unpacks_too_large_is_refused(monkeypatch):
    # The zip-bomb limit moved to the shared spreadsheets module (issue 8).
    monkeypatch.setattr(spreadsheets, "MAX_XLSX_UNCOMPRESSED_BYTES", 1000)
    data = _xlsx([["Name", "Duration"], ["A", "1d"]])
    with pytest.raises(PlanFileError, match="unpacks to"):
        read_task_list(data, filename_or_format="xlsx")


def test_file_over_the_size_limit_is_refused_before_parsing():
    with pytest.raises(PlanFileError, match="limit"):
        read_task_list(b"Name\n" + b"A\n" * 100, filename_or_format="csv", max_bytes=50)


def test_default_size_limit_is_ten_megabytes():
    data = b"Name\n" + b"x" * (10 * 1024 * 1024)
    with pytest.raises(PlanFileError, match="10,485,760"):
        read_task_list(data, filename_or_format="csv")


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_too_many_rows_are_refused(file_format):
    rows = [["Name", "Duration"]] + [[f"T{n}", "1d"] for n in range(11)]
    if file_format == "csv":
        data = "\n".join(",".join(row) for row in rows).encode()
    else:
        data = _xlsx(rows)
    with pytest.raises(PlanFileError, match="more than 10 rows"):
        read_task_list(data, filename_or_format=file_format, max_rows=10)


def test_non_bytes_input_is_refused():
    with pytest.raises(PlanFileError, match="bytes"):
        read_task_list("Name\nA\n", filename_or_format="csv")  # type: ignore[arg-type]


@given(st.binary(max_size=400))
def test_random_bytes_never_crash_the_reader(data):
    for name in ("csv", "xlsx"):
        try:
            result = read_task_list(data, filename_or_format=name)
        except PlanFileError:
            continue
        assert result.ok or result.tasks == []


@given(st.text(max_size=300))
def test_random_text_never_crashes_the_csv_reader(text):
    try:
        result = read_csv("Name,Duration,Predecessors,Start,% Complete,Outline Level\n" + text)
    except PlanFileError:
        return
    assert result.ok or (result.tasks == [] and result.links == [])


# --------------------------------------------------------------------------- wrong kind of file
#: The heading of a risk log exported by SteerCo (logs.transfer): its Title is the only column
#: a task list also knows.
RISK_LOG_HEADING = (
    "Ref,Title,Description,Threat or opportunity,Category,Cause,Event,Effect,Owner,Actionee,"
    "Raised by,Raised on,Proximity,Probability,Impact,Response strategy,Status,Review date,"
    "Score before,Score after,Band,Version,Created,Updated,Project"
)


def test_a_risk_log_is_refused_naming_the_columns_a_task_list_needs():
    # Issue 14: a risk log imported into the plan "succeeded" as three tasks, its Title
    # taken for the task name.
    rows = [
        "R-001,Supplier late,,Threat,Supply,,,,Ann,,,2027-01-04,Near,4,3,Reduce,Open,,12,6",
        "R-002,Key person leaves,,Threat,People,,,,Ann,,,2027-01-04,Near,2,4,Reduce,Open,,8,4",
        "R-003,Grant approved,,Opportunity,Money,,,,Bob,,,2027-01-04,Far,3,3,Exploit,Open,,9,9",
    ]
    data = "\n".join([RISK_LOG_HEADING, *rows]).encode()
    with pytest.raises(PlanFileError) as refused:
        read_task_list(data, filename_or_format="risks.csv")
    message = str(refused.value)
    assert "task name column" in message
    for expected in ("'Name'", "'Task Name'", "'Duration'", "'Predecessors'", "'Start'"):
        assert expected in message
    assert "'Ref', 'Title', 'Description'" in message  # what the file has instead


def test_a_title_column_names_tasks_beside_a_plan_column():
    # SharePoint task lists call the name Title; beside a Duration it is a task list.
    result = read_csv("Title,Duration\nDesign,2d\nBuild,3d\n")
    assert [task.name for task in result.tasks] == ["Design", "Build"]


def test_a_name_column_alone_is_still_a_task_list():
    result = read_csv("Name\nDesign\nBuild\n")
    assert [task.name for task in result.tasks] == ["Design", "Build"]


def test_a_heading_naming_a_column_twice_is_refused_before_the_rows_are_read():
    # Issue 14: the heading was judged only once every row had been read.
    data = b'Name,Task Name\n"A' + b"x" * 200_000 + b'",B\n'
    with pytest.raises(PlanFileError, match="Row 1: columns 'Name' and 'Task Name' both mean"):
        read_task_list(data, filename_or_format="tasks.csv")
