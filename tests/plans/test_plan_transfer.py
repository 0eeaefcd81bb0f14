"""Importing and exporting whole plans through the database.

Reference: Microsoft Project's own computed dates saved in the MSPDI files of
shared/data/mspdi (see its README). After a file goes through our database, the schedule
SteerCo computes must still equal what Microsoft Project computed.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from steerco.engine.interop.mspdi import read_mspdi
from steerco.plans.models import Baseline, Task, TaskLink
from steerco.plans.selectors import plan_view
from steerco.plans.transfer import PlanImportError, plan_export, plan_import

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "mspdi"

# mspditimephased.xml is left to tests/engine: its late dates come from timephased,
# hand-contoured work that MS Project keeps per assignment (the engine test explains it).
FILES = [
    "legacy_sample.xml",
    "legacy_sample1.xml",
    "mspdiresource.xml",
    "mspdirelations.xml",
    "task-baselines-project2019-mspdi.xml",
    "task-durations-project2019-mspdi.xml",
    "task-links-project2003-mspdi.xml",
    "task-links-project2010-mspdi.xml",
]


def minute(value):
    return value.replace(second=0, microsecond=0) if isinstance(value, dt.datetime) else value


@pytest.mark.parametrize("name", FILES)
def test_imported_plan_schedules_as_microsoft_project_did(org, name):
    path = SHARED / name
    data = path.read_bytes()
    expected = read_mspdi(data)
    report = plan_import(actor=org.mary, project=org.alpha, data=data, filename=name)
    assert report.tasks == len(expected.plan.tasks)
    view = plan_view(project=org.alpha)
    assert view.error is None
    manual = {t.uid for t in expected.plan.tasks if t.manual}
    compared = 0
    for uid, values in expected.ms_project.items():
        result = view.schedule.tasks[uid]
        if uid in manual:
            assert (minute(result.start), minute(result.finish)) == (
                minute(values.start),
                minute(values.finish),
            ), f"manual task {uid} must keep its dates"
            continue
        for field in ("start", "finish", "early_start", "late_finish"):
            want = getattr(values, field)
            if want is not None:
                assert minute(getattr(result, field)) == minute(want), (uid, field)
                compared += 1
        if values.total_slack_minutes is not None:
            assert result.total_slack_minutes == round(values.total_slack_minutes), uid
    assert compared > 0


def test_baselines_come_with_the_file(org):
    data = (SHARED / "task-baselines-project2019-mspdi.xml").read_bytes()
    report = plan_import(actor=org.mary, project=org.alpha, data=data)
    # The file saves one baseline field per task, across all eleven baselines.
    assert report.baselines == 11
    assert Baseline.objects.filter(project=org.alpha).count() == 11
    saved = Baseline.objects.get(project=org.alpha, number=0).tasks.get(task_uid=12)
    assert saved.duration_minutes == 5280  # <Duration>PT88H0M0S</Duration> in the file


def test_export_then_import_round_trips(org):
    data = (SHARED / "task-links-project2010-mspdi.xml").read_bytes()
    plan_import(actor=org.mary, project=org.alpha, data=data)
    before = plan_view(project=org.alpha)
    exported, content_type, filename = plan_export(actor=org.mary, project=org.alpha, fmt="mspdi")
    assert content_type == "application/xml" and filename == "alpha-plan.xml"
    plan_import(actor=org.mary, project=org.beta, data=exported, filename=filename)
    after = plan_view(project=org.beta)
    assert [(r.task.uid, r.task.name, r.task.wbs) for r in after.rows] == [
        (r.task.uid, r.task.name, r.task.wbs) for r in before.rows
    ]
    assert {
        uid: (t.start, t.finish, t.total_slack_minutes) for uid, t in after.schedule.tasks.items()
    } == {
        uid: (t.start, t.finish, t.total_slack_minutes) for uid, t in before.schedule.tasks.items()
    }


def test_malformed_file_changes_nothing(org):
    data = (SHARED / "mspdirelations.xml").read_bytes()
    plan_import(actor=org.mary, project=org.alpha, data=data)
    count = Task.objects.filter(project=org.alpha).count()
    with pytest.raises(PlanImportError):
        plan_import(actor=org.mary, project=org.alpha, data=b"<Project><Tasks>", filename="x.xml")
    assert Task.objects.filter(project=org.alpha).count() == count


def test_hostile_xml_is_refused(org):
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
        b"<Project>&lol2;</Project>"
    )
    with pytest.raises(PlanImportError):
        plan_import(actor=org.mary, project=org.alpha, data=bomb, filename="bomb.xml")


def test_a_file_with_a_loop_is_refused_naming_it(org):
    plan = (
        b'{"format": "steerco-plan", "version": 1, "name": "Loop", '
        b'"start": "2027-01-04T08:00:00", '
        b'"tasks": [{"uid": 1, "name": "Design", "duration_minutes": 480}, '
        b'{"uid": 2, "name": "Build", "duration_minutes": 480}], '
        b'"links": [{"predecessor": 1, "successor": 2}, {"predecessor": 2, "successor": 1}]}'
    )
    with pytest.raises(PlanImportError, match="Design"):
        plan_import(actor=org.mary, project=org.alpha, data=plan, filename="loop.json")
    assert not TaskLink.objects.filter(project=org.alpha).exists()


def test_viewers_cannot_import(org):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        plan_import(actor=org.tom, project=org.alpha, data=b"x", filename="x.csv")


def test_task_list_import_keeps_the_plan_calendar_and_start(org):
    from steerco.plans.services import plan_settings

    settings = plan_settings(org.alpha)
    csv = (
        b"ID,Name,Duration,Predecessors,Notes\n"
        b"1,Survey site,2d,,Walk the floors\n"
        b"2,Order furniture,3d,1FS+1d,\n"
    )
    report = plan_import(actor=org.mary, project=org.alpha, data=csv, filename="plan.csv")
    assert (report.tasks, report.links) == (2, 1)
    view = plan_view(project=org.alpha)
    first, second = (row.result for row in view.rows)
    assert first.start == settings.start
    # ALPHA starts Monday 2026-01-05: two days (Mon–Tue), a one-day lag (Wed), so Thursday.
    assert first.start == dt.datetime(2026, 1, 5, 8, 0)
    assert second.start == dt.datetime(2026, 1, 8, 8, 0)
    assert Task.objects.get(project=org.alpha, uid=1).notes == "Walk the floors"


def test_task_list_problems_come_back_per_row_and_nothing_changes(org):
    csv = b"ID,Name,Duration,Predecessors\n1,,2d,\n2,Order,three days,7\n"
    with pytest.raises(PlanImportError) as refusal:
        plan_import(actor=org.mary, project=org.alpha, data=csv, filename="plan.csv")
    rows = {(p.row, p.column) for p in refusal.value.problems}
    assert (2, "Name") in rows
    assert (3, "Duration") in rows
    assert (3, "Predecessors") in rows
    assert not Task.objects.filter(project=org.alpha).exists()


def test_a_file_whose_dates_overflow_is_refused_not_a_crash(org):
    plan = (
        b'{"format": "steerco-plan", "version": 1, "name": "Forever", '
        b'"start": "9999-06-01T08:00:00", '
        b'"tasks": [{"uid": 1, "name": "Endless", "duration_minutes": 240000}]}'
    )
    with pytest.raises(PlanImportError, match=r"9999|date"):
        plan_import(actor=org.mary, project=org.alpha, data=plan, filename="forever.json")


def test_night_shift_assignments_are_kept(org):
    """legacy_sample.xml has a task worked by a resource on a 'Night Shift' calendar."""
    from steerco.plans.models import TaskAssignment, WorkCalendar

    data = (SHARED / "legacy_sample.xml").read_bytes()
    plan_import(actor=org.mary, project=org.alpha, data=data, filename="legacy_sample.xml")
    calendars = set(
        TaskAssignment.objects.filter(task__project=org.alpha).values_list(
            "calendar__name", flat=True
        )
    )
    # 'Second Resource' only derives from Night Shift, 'First Resource' from the project's
    # calendar: each assignment follows the calendar whose working time it has.
    assert calendars == {"Night Shift", None}
    names = set(WorkCalendar.objects.filter(project=org.alpha).values_list("name", flat=True))
    assert not names & {"First Resource", "Second Resource"}


def test_mpp_files_go_through_the_java_reader(org):
    """No real .mpp is among the reference files; MPXJ's universal reader also reads MSPDI,
    so an MSPDI file named .mpp proves the path through Java end to end."""
    from steerco.plans.mpp import mpp_support
    from steerco.testing import skip_or_fail

    support = mpp_support()
    if not support.available:
        skip_or_fail(support.reason)
    data = (SHARED / "task-links-project2010-mspdi.xml").read_bytes()
    report = plan_import(actor=org.mary, project=org.alpha, data=data, filename="plan.mpp")
    assert (report.format, report.tasks) == ("mpp", len(read_mspdi(data).plan.tasks))


def test_mpp_without_java_says_why(org, monkeypatch):
    from steerco.plans import transfer
    from steerco.plans.mpp import MppSupport

    reason = "Reading .mpp files needs a Java runtime (Java 11 or newer); none was found."
    monkeypatch.setattr(transfer, "mpp_support", lambda: MppSupport(False, reason))
    with pytest.raises(PlanImportError, match="Java runtime"):
        plan_import(
            actor=org.mary, project=org.alpha, data=b"\xd0\xcf\x11\xe0junk", filename="x.mpp"
        )


@pytest.mark.parametrize("name", FILES)
def test_the_outlook_after_an_import_schedules_the_plan_as_stored(org, name, monkeypatch):
    """The import computes the outlook from the rows it has just written, not read back:
    the engine's plan built from them must be the one the stored rows give."""
    from dataclasses import asdict

    from steerco.plans import transfer
    from steerco.plans.adapters import engine_plan
    from steerco.plans.selectors import plan_settings_get

    given = []

    def keep_written(*, project, written):
        given.append(written)
        return refresh(project=project, written=written)

    refresh = transfer.outlook_refresh
    monkeypatch.setattr(transfer, "outlook_refresh", keep_written)
    plan_import(actor=org.mary, project=org.alpha, data=(SHARED / name).read_bytes())

    (written,) = given
    settings = plan_settings_get(project=org.alpha)
    from_rows = engine_plan(org.alpha, settings, written=written)
    stored = engine_plan(org.alpha, settings)
    assert len(stored.tasks) > 1
    # Calendars compare by identity; their values are compared field by field.
    assert asdict(from_rows) == asdict(stored)
