"""Our schedule against Microsoft Project's own computed values in MSPDI files.

The files (from the MPXJ project's test data, see shared/data/README.md) were saved by MS Project
with Start/Finish, EarlyStart/EarlyFinish, LateStart/LateFinish, TotalSlack, FreeSlack and
Critical. For every auto-scheduled task we parse the inputs, schedule, and compare every value.

General rules of comparison (not exceptions):
* MS Project keeps seconds (a contoured task finishes 09:08:24); the engine works in whole
  minutes, so datetimes are compared to the minute and slack to the nearest minute.
* A value missing from the file is not compared (legacy_sample1.xml was saved without slack or
  early/late dates, so its Critical flags were never computed by MS Project and are not compared
  either).
"""

from __future__ import annotations

import datetime as dt

import defusedxml.ElementTree as SafeET
import pytest

from steerco.engine.interop.mspdi import MsProjectValues, read_mspdi
from steerco.engine.scheduling import schedule_plan

FILES = [
    "legacy_sample.xml",
    "legacy_sample1.xml",
    "mspdirelations.xml",
    "mspdiresource.xml",
    "mspditimephased.xml",
    "task-baselines-project2019-mspdi.xml",
    "task-durations-project2019-mspdi.xml",
    "task-links-project2003-mspdi.xml",
    "task-links-project2010-mspdi.xml",
]

FIELDS = (
    "start",
    "finish",
    "early_start",
    "early_finish",
    "late_start",
    "late_finish",
    "total_slack_minutes",
    "free_slack_minutes",
    "critical",
)

#: (file, task uid or "*") -> {field: the MS Project rule we do not model}
_CONTOURED = (
    "its assignment has WorkContour 8 ('contoured': timephased work edited by hand), so MS "
    "Project's finish follows the edited work, not the task's Duration; the engine schedules "
    "flat work"
)
_TIMEPHASED_LATE = (
    "late dates in this file are not bounded by the project finish (Task 1 late finish "
    "2008-12-11 17:00 while the project finishes 2009-01-02 11:00): MS Project derived them "
    "from the assignments' timephased (contoured, split, part-complete) work per resource, "
    "which the engine does not model"
)
EXCEPTIONS: dict[tuple[str, int | str], dict[str, str]] = {
    ("mspditimephased.xml", "*"): {
        "late_start": _TIMEPHASED_LATE,
        "late_finish": _TIMEPHASED_LATE,
        "total_slack_minutes": _TIMEPHASED_LATE,
        "free_slack_minutes": _TIMEPHASED_LATE,
    },
    **{
        ("mspditimephased.xml", uid): {"finish": _CONTOURED, "early_finish": _CONTOURED}
        for uid in (5, 6, 13, 14, 21, 22, 29, 30, 37, 38)
    },
}


def _to_minute(value):
    if isinstance(value, dt.datetime):
        return value.replace(second=0, microsecond=0)
    if isinstance(value, float):
        return round(value)
    return value


def _expected_exception(file_name: str, uid: int, field: str) -> str | None:
    for key in ((file_name, uid), (file_name, "*")):
        reason = EXCEPTIONS.get(key, {}).get(field)
        if reason:
            return reason
    return None


def _compare(shared, file_name: str) -> tuple[list[str], int]:
    project = read_mspdi(shared.file("mspdi", file_name).read_bytes())
    schedule = schedule_plan(project.plan)
    mismatches: list[str] = []
    compared = 0
    for task in project.plan.tasks:
        if task.manual:
            continue
        ours = schedule.tasks[task.uid]
        theirs: MsProjectValues = project.ms_project[task.uid]
        for field in FIELDS:
            expected = getattr(theirs, field)
            if expected is None:
                continue
            if field == "critical" and theirs.total_slack_minutes is None:
                continue
            if _expected_exception(file_name, task.uid, field):
                continue
            compared += 1
            actual = getattr(ours, field)
            if _to_minute(actual) != _to_minute(expected):
                mismatches.append(
                    f"uid {task.uid} {task.name!r} {field}: ours {actual}, MS Project {expected}"
                )
    return mismatches, compared


@pytest.mark.parametrize("file_name", FILES)
def test_schedule_matches_ms_project(shared, file_name: str) -> None:
    """Every auto-scheduled task's dates, slack and critical flag equal MS Project's."""
    mismatches, compared = _compare(shared, file_name)
    assert compared > 0
    assert not mismatches, "\n".join(mismatches)


@pytest.mark.parametrize("file_name", FILES)
def test_manual_tasks_keep_their_dates(shared, file_name: str) -> None:
    """Manually scheduled tasks keep the start and finish saved in the file."""
    project = read_mspdi(shared.file("mspdi", file_name).read_bytes())
    schedule = schedule_plan(project.plan)
    for task in project.plan.tasks:
        if task.manual:
            assert schedule.tasks[task.uid].start == task.start
            assert schedule.tasks[task.uid].finish == task.finish


def test_exceptions_are_still_needed(shared) -> None:
    """Each listed exception must still differ; a stale entry should be removed."""
    for (file_name, uid), fields in EXCEPTIONS.items():
        project = read_mspdi(shared.file("mspdi", file_name).read_bytes())
        schedule = schedule_plan(project.plan)
        uids = [t.uid for t in project.plan.tasks if not t.manual] if uid == "*" else [uid]
        for field in fields:
            differs = any(
                getattr(project.ms_project[u], field) is not None
                and _to_minute(getattr(schedule.tasks[u], field))
                != _to_minute(getattr(project.ms_project[u], field))
                for u in uids
            )
            assert differs, f"{file_name} uid {uid} {field} now matches: drop the exception"


#: Files in which MS Project saved StartSlack and FinishSlack (the others carry only the total).
FILES_WITH_START_AND_FINISH_SLACK = [
    "task-baselines-project2019-mspdi.xml",
    "task-durations-project2019-mspdi.xml",
    "task-links-project2010-mspdi.xml",
]


def _saved_start_and_finish_slack(data: bytes) -> dict[int, tuple[float, float]]:
    """Task uid -> (StartSlack, FinishSlack) in minutes, as MS Project saved them (tenths)."""
    root = SafeET.fromstring(data)
    namespace = {"p": root.tag.partition("}")[0].lstrip("{")}
    saved = {}
    for element in root.iterfind("p:Tasks/p:Task", namespace):
        start = element.findtext("p:StartSlack", namespaces=namespace)
        finish = element.findtext("p:FinishSlack", namespaces=namespace)
        if start is not None and finish is not None:
            uid = int(element.findtext("p:UID", namespaces=namespace))
            saved[uid] = (int(start) / 10, int(finish) / 10)
    return saved


@pytest.mark.parametrize("file_name", FILES_WITH_START_AND_FINISH_SLACK)
def test_start_and_finish_slack_match_ms_project(shared, file_name: str) -> None:
    """Our start and finish slack equal MS Project's for every auto-scheduled task, and our
    total slack is the smaller of the two, as MS Project's is."""
    data = shared.file("mspdi", file_name).read_bytes()
    project = read_mspdi(data)
    schedule = schedule_plan(project.plan)
    saved = _saved_start_and_finish_slack(data)
    compared, mismatches = 0, []
    for task in project.plan.tasks:
        if task.manual or task.uid not in saved:
            continue
        ours = schedule.tasks[task.uid]
        theirs = saved[task.uid]
        compared += 1
        if (ours.start_slack_minutes, ours.finish_slack_minutes) != tuple(map(round, theirs)):
            mismatches.append(
                f"uid {task.uid} {task.name!r}: ours ({ours.start_slack_minutes}, "
                f"{ours.finish_slack_minutes}), MS Project {theirs}"
            )
        assert ours.total_slack_minutes == min(ours.start_slack_minutes, ours.finish_slack_minutes)
    assert compared > 0
    assert not mismatches, "\n".join(mismatches)
