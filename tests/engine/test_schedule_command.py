"""``steerco schedule FILE``: formats, JSON shape, status date and errors."""

from __future__ import annotations

import json

import pytest

from steerco.engine.interop.mspdi import read_mspdi
from steerco.schedule_command import main

from .test_plan_json import EXAMPLE

TASK_KEYS = {
    "uid",
    "name",
    "wbs",
    "summary",
    "milestone",
    "start",
    "finish",
    "early_start",
    "early_finish",
    "late_start",
    "late_finish",
    "total_slack_minutes",
    "free_slack_minutes",
    "critical",
}


def test_json_output_shape_for_mspdi_uses_file_uids(shared, capsys):
    path = shared.file("mspdi", "mspdirelations.xml")
    assert main([str(path), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data) == {"project", "tasks"}
    assert data["project"] == {"start": "2006-09-21T08:00:00", "finish": "2006-09-25T17:00:00"}
    assert all(set(task) == TASK_KEYS for task in data["tasks"])
    uids = [t.uid for t in read_mspdi(path.read_bytes()).plan.tasks]
    assert [task["uid"] for task in data["tasks"]] == uids
    task5 = next(task for task in data["tasks"] if task["uid"] == 5)
    assert task5["finish"] == "2006-09-25T08:00:00"  # MS Project's own value for this SF task
    assert task5["total_slack_minutes"] == 480


def test_table_output_for_a_json_plan(tmp_path, capsys):
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(EXAMPLE))
    assert main([str(path)]) == 0
    out = capsys.readouterr().out
    assert "Design" in out and "Project: 2027-01-04 08:00 to 2027-01-13 17:00" in out


def test_status_date_moves_unstarted_work(tmp_path, capsys):
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(EXAMPLE))
    assert main([str(path), "--format", "json", "--status-date", "2027-01-06"]) == 0
    data = json.loads(capsys.readouterr().out)
    # the status date is the end of Wed 6 Jan, so Design starts Thu 7 Jan
    assert data["tasks"][0]["start"] == "2027-01-07T08:00:00"


def test_bad_file_exits_2_with_a_message_and_no_traceback(tmp_path, capsys):
    path = tmp_path / "hostile.xml"
    path.write_bytes(b'<!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>')
    assert main([str(path)]) == 2
    err = capsys.readouterr().err
    assert "DTD" in err and "Traceback" not in err


def test_missing_file_and_cycles_exit_2(tmp_path, capsys):
    assert main([str(tmp_path / "nope.json")]) == 2
    cyclic = dict(
        EXAMPLE,
        links=[
            {"predecessor": 1, "successor": 2},
            {"predecessor": 2, "successor": 1},
        ],
    )
    path = tmp_path / "cyclic.json"
    path.write_text(json.dumps(cyclic))
    assert main([str(path)]) == 2
    assert "Task 'Design' depends on itself through 'Build'" in capsys.readouterr().err


def test_unknown_content_exits_2(tmp_path, capsys):
    path = tmp_path / "notes.txt"
    path.write_text("hello")
    assert main([str(path)]) == 2
    assert "neither" in capsys.readouterr().err


def test_bad_arguments_return_2_instead_of_exiting(capsys):
    assert main(["plan.json", "--format", "xml"]) == 2
    assert "invalid choice" in capsys.readouterr().err


def test_garbled_mspdi_values_exit_2(shared, tmp_path, capsys):
    """Values MS Project never writes (here an infinite lag and a 25:00 working time)."""
    text = shared.file("mspdi", "mspdirelations.xml").read_text()
    path = tmp_path / "garbled.xml"
    path.write_text(text.replace("<LinkLag>4800</LinkLag>", "<LinkLag>1e400</LinkLag>", 1))
    assert main([str(path)]) == 2
    path.write_text(text.replace("<ToTime>12:00:00</ToTime>", "<ToTime>25:00:00</ToTime>", 1))
    assert main([str(path)]) == 2
    assert "Traceback" not in capsys.readouterr().err


def test_a_plan_past_the_horizon_exits_2_naming_the_horizon_and_the_task(tmp_path, capsys):
    forever = dict(
        EXAMPLE, tasks=[{"uid": 1, "name": "Forever", "duration_minutes": 5 * 10**7}], links=[]
    )
    path = tmp_path / "forever.json"
    path.write_text(json.dumps(forever))
    assert main([str(path)]) == 2
    err = capsys.readouterr().err
    assert "The plan runs past " in err and "task 'Forever' would finish after it" in err
    assert "no working time" not in err


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            '{"format": "steerco-plan", "x": ' + "[" * 200_000 + "]" * 200_000 + "}",
            "more than 32 levels deep",
        ),
        (json.dumps(dict(EXAMPLE, tasks=[{"uid": 1, "name": 5}])), "'name' should be text"),
        (json.dumps(dict(EXAMPLE, tasks=[{"uid": 1, "duration_minutes": -5}])), "is -5"),
    ],
)
def test_a_malformed_json_plan_exits_2_with_one_line_and_no_traceback(
    tmp_path, capsys, text, message
):
    # Issue 14: a plan nested 200,000 deep ended in a RecursionError traceback.
    path = tmp_path / "hostile.json"
    path.write_text(text)
    assert main([str(path)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1 and message in captured.err
    assert captured.err.startswith(f"steerco schedule: {path}: ")


def test_a_link_to_a_task_not_in_the_file_exits_2_naming_both_tasks(shared, tmp_path, capsys):
    # Issue 9: the link was dropped and the task scheduled as if it had no predecessor.
    text = shared.file("mspdi", "mspdirelations.xml").read_text()
    assert "<PredecessorUID>1</PredecessorUID>" in text
    path = tmp_path / "cut.xml"
    path.write_text(
        text.replace("<PredecessorUID>1</PredecessorUID>", "<PredecessorUID>99</PredecessorUID>", 1)
    )
    assert main([str(path), "--format", "json"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == (
        f"steerco schedule: {path}: Task 2 'Task 2' has a predecessor link to task 99, "
        "which is not in the file (or is a blank row).\n"
    )


def test_the_collector_is_paused_for_the_run_only(shared, capsys):
    # The command pauses Python's cyclic garbage collector while it runs (issue 9: a tenth
    # of a 100,000-task run); a caller in the same process gets it back as it had it.
    import gc

    assert gc.isenabled()
    assert main([str(shared.file("mspdi", "mspdirelations.xml")), "--format", "json"]) == 0
    assert gc.isenabled()
    gc.disable()
    try:
        assert main([str(shared.file("mspdi", "mspdirelations.xml"))]) == 0
        assert not gc.isenabled()
    finally:
        gc.enable()
