"""Reading Microsoft Project .mpp files through MPXJ in a child process (steerco.plans.mpp).

No .mpp sample is in shared/data, so the Java path is proven end to end with an MSPDI file saved
by Microsoft Project (shared/data/mspdi, from MPXJ's own test data; see its README): MPXJ's
UniversalProjectReader reads MSPDI as well as .mpp, and what comes back through MSPDIWriter
must hold the same tasks, durations and links as the original read directly.

These tests need the optional mpxj and JPype1 packages and Java 11+; without them they skip
with the reason, or fail under STEERCO_REQUIRE_ALL=1 (as CI sets it).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from steerco.engine.interop.mspdi import read_mspdi
from steerco.plans import mpp
from steerco.plans.mpp import MppError, mpp_support, mpp_to_mspdi
from steerco.testing import skip_or_fail

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "mspdi"
SAMPLE = SHARED / "task-links-project2010-mspdi.xml"


@pytest.fixture
def reader_available():
    support = mpp_support()
    if not support.available:
        skip_or_fail(support.reason)
    return support


@pytest.fixture
def no_java(monkeypatch, tmp_path):
    """A machine without Java: no JAVA_HOME, and a PATH holding nothing."""
    monkeypatch.delenv("JAVA_HOME", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))


def network(data: bytes):
    """Task names and durations by UID, and links, as read_mspdi sees them."""
    plan = read_mspdi(data).plan
    tasks = {t.uid: (t.name, t.duration_minutes, t.elapsed) for t in plan.tasks}
    links = {
        (k.predecessor_uid, k.successor_uid, k.type, k.lag_minutes, k.lag_percent, k.lag_elapsed)
        for k in plan.links
    }
    return tasks, links


def test_reader_is_available_where_java_and_mpxj_are_installed(reader_available):
    assert reader_available.available
    assert "MPXJ" in reader_available.reason and "Java" in reader_available.reason


def test_plan_through_mpxj_keeps_task_names_durations_and_links(reader_available):
    """Reference: task-links-project2010-mspdi.xml, 17 tasks and 8 links of every type with lags,
    saved by Microsoft Project 2010 (MPXJ test data)."""
    # given a plan saved by Microsoft Project
    original = SAMPLE.read_bytes()
    # when MPXJ reads it and writes it back as MSPDI
    converted = mpp_to_mspdi(original)
    # then our reader finds the same tasks, durations and links in both
    tasks, links = network(converted)
    want_tasks, want_links = network(original)
    assert len(want_tasks) == 17 and len(want_links) == 8
    assert tasks == want_tasks
    assert links == want_links


def test_garbage_bytes_are_refused_with_a_sentence_not_a_traceback(reader_available):
    with pytest.raises(MppError) as refused:
        mpp_to_mspdi(b"\xd0\xcf\x11\xe0 these bytes are no project plan " * 50)
    message = str(refused.value)
    assert "could not be read as a Microsoft Project plan" in message
    assert "Save As › XML" in message
    assert "Traceback" not in message and "org.mpxj" not in message


def test_conversion_slower_than_the_timeout_is_stopped(reader_available):
    with pytest.raises(MppError, match=r"longer than 0\.2 seconds"):
        mpp_to_mspdi(SAMPLE.read_bytes(), timeout_s=0.2)


def test_refused_file_leaves_no_temporary_files(reader_available, monkeypatch, tmp_path):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    with pytest.raises(MppError):
        mpp_to_mspdi(b"not a plan")
    assert list(tmp_path.iterdir()) == []


def test_without_java_the_reader_is_unavailable_and_says_why(no_java):
    support = mpp_support()
    assert not support.available
    assert "needs a Java runtime (Java 11 or newer); none was found" in support.reason
    assert "File › Save As › XML" in support.reason


def test_without_java_conversion_raises_the_same_reason(no_java):
    with pytest.raises(MppError, match="needs a Java runtime"):
        mpp_to_mspdi(SAMPLE.read_bytes())


def test_java_home_that_holds_no_java_is_named(monkeypatch, tmp_path):
    monkeypatch.setenv("JAVA_HOME", str(tmp_path))
    support = mpp_support()
    assert not support.available
    assert f"JAVA_HOME ({tmp_path}) is not a Java installation" in support.reason


def test_java_older_than_11_is_named(monkeypatch, tmp_path):
    (tmp_path / "bin").mkdir()
    (tmp_path / "bin" / "java").touch()
    (tmp_path / "release").write_text('JAVA_VERSION="1.8.0_392"\n')
    monkeypatch.setenv("JAVA_HOME", str(tmp_path))
    assert "needs Java 11 or newer" in mpp_support().reason
    assert "is Java 8" in mpp_support().reason


def test_file_above_the_size_limit_is_refused_before_java_starts(monkeypatch):
    monkeypatch.setattr(mpp, "MAX_BYTES", 1024)
    with pytest.raises(MppError, match="read up to"):
        mpp_to_mspdi(b"x" * 1025)


def test_empty_file_is_refused():
    with pytest.raises(MppError, match="empty"):
        mpp_to_mspdi(b"")


def test_mpxj_reads_our_export_whole(reader_available):
    """Another tool reads back what we write: MPXJ's MSPDI reader (the one most tools that
    take Project files use) gets the resources, assignments and baselines of our export,
    and its own MSPDI writer gives them back to us unchanged."""
    import datetime as dt

    from steerco.engine.interop.mspdi import Assignment, Resource, TaskBaseline, write_mspdi
    from steerco.engine.scheduling import Link, Plan, Task, WorkingCalendar, schedule_plan

    calendar = WorkingCalendar(name="Standard", country="GB")
    plan = Plan(
        tasks=[Task(1, "Design", 960), Task(2, "Build", 2400)],
        links=[Link(1, 2)],
        start=dt.datetime(2026, 5, 4, 8),
        calendar=calendar,
    )
    schedule = schedule_plan(plan)
    saved = {
        1: [TaskBaseline(0, dt.datetime(2026, 5, 4, 8), dt.datetime(2026, 5, 5, 17), 960)],
        2: [
            TaskBaseline(0, dt.datetime(2026, 5, 6, 8), dt.datetime(2026, 5, 12, 17), 2400),
            TaskBaseline(3, dt.datetime(2026, 5, 7, 8), dt.datetime(2026, 5, 13, 17), 2400),
        ],
    }
    ours = write_mspdi(
        plan,
        schedule,
        resources=[Resource(1, "Ana Lima", email="ana@example.org"), Resource(2, "Ben Ode")],
        assignments=[
            Assignment(1, 1, 1, units=1.0, work_minutes=960),
            Assignment(2, 2, 1, units=0.5, work_minutes=1200),
            Assignment(3, 2, 2, units=1.0, work_minutes=2400),
        ],
        baselines=saved,
    )

    again = read_mspdi(mpp_to_mspdi(ours, timeout_s=120))

    names = {r.uid: r.name for r in again.resources if r.name}
    assert names == {1: "Ana Lima", 2: "Ben Ode"}
    assert {r.email for r in again.resources if r.uid == 1} == {"ana@example.org"}
    assert sorted(
        (a.task_uid, names[a.resource_uid], a.units, a.work_minutes) for a in again.assignments
    ) == [(1, "Ana Lima", 1.0, 960), (2, "Ana Lima", 0.5, 1200), (2, "Ben Ode", 1.0, 2400)]
    for uid, entries in saved.items():
        read = {(b.number, b.start, b.finish, b.duration_minutes) for b in again.baselines[uid]}
        assert {(b.number, b.start, b.finish, b.duration_minutes) for b in entries} <= read
    assert schedule_plan(again.plan).tasks[2].finish == schedule.tasks[2].finish
