"""``steerco schedule FILE``: schedule a plan file with the engine alone and print the result.

Reads Microsoft Project XML (MSPDI) or SteerCo's JSON plan format, detected by content.
Exit codes: 0 success, 2 unreadable file or unschedulable plan (message on stderr).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from steerco.engine.collector import collector_paused
from steerco.engine.interop.mspdi import PlanFileError
from steerco.engine.interop.plan_file import read_plan_file
from steerco.engine.interop.schedule_json import (
    StatusDateError,
    status_date_from_text,
    write_schedule_json,
)
from steerco.engine.scheduling import Plan, Schedule, ScheduleError, schedule_plan


def _table(plan: Plan, schedule: Schedule) -> str:
    days = plan.minutes_per_day
    rows = [("UID", "WBS", "Name", "Start", "Finish", "Total slack (d)", "Critical")]
    for task in plan.tasks:
        r = schedule.tasks[task.uid]
        rows.append(
            (
                str(task.uid),
                task.wbs,
                ("  " * max(task.outline_level - 1, 0)) + task.name,
                r.start.strftime("%Y-%m-%d %H:%M"),
                r.finish.strftime("%Y-%m-%d %H:%M"),
                f"{r.total_slack_minutes / days:g}",
                "yes" if r.critical else "",
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = [
        "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
        for row in rows
    ]
    lines.append(f"Project: {schedule.start:%Y-%m-%d %H:%M} to {schedule.finish:%Y-%m-%d %H:%M}")
    lines.extend(f"Warning: {warning}" for warning in schedule.warnings)
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    """Run ``steerco schedule`` with ``argv`` (without the program name); return the exit code:
    0 printed a schedule, 2 the file or arguments could not be used (message on stderr)."""
    # One run over a 100,000-task plan makes millions of objects that live until it ends
    # and no garbage cycles: the collector would walk them again and again (a tenth of the
    # command's time).
    with collector_paused():
        return _run(argv)


def _run(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="steerco schedule",
        description="Schedule a plan file and print the result.",
    )
    parser.add_argument("file", help="Microsoft Project XML or SteerCo JSON plan")
    parser.add_argument("--format", choices=("table", "json"), default="table")
    parser.add_argument("--status-date", help="status date, YYYY-MM-DD or ISO datetime")
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:  # argparse has printed its message
        return int(exit_.code or 0)
    try:
        data = Path(args.file).read_bytes()
    except OSError as error:
        print(
            f"steerco schedule: cannot read {args.file}: {error.strerror}",
            file=sys.stderr,
        )
        return 2
    try:
        plan_file = read_plan_file(data)
        plan = plan_file.plan
        for note in plan_file.notes:
            print(f"steerco schedule: note: {note}", file=sys.stderr)
        if args.status_date:
            status = status_date_from_text(args.status_date, plan.calendar)
            # Plan dates are wall-clock times: an offset is dropped, as plan files drop it.
            plan.status_date = status.replace(tzinfo=None)
        schedule = schedule_plan(plan)
    except StatusDateError as error:
        print(f"steerco schedule: {args.file}: --status-date {error}", file=sys.stderr)
        return 2
    except (PlanFileError, ScheduleError, UnicodeDecodeError) as error:
        # The readers raise PlanFileError for any fault in a file (a JSON plan that is not
        # UTF-8 fails before its reader); the engine raises ScheduleError for any plan it
        # cannot schedule.
        print(f"steerco schedule: {args.file}: {error}", file=sys.stderr)
        return 2
    if args.format == "json":
        write_schedule_json(plan, schedule, sys.stdout)
    else:
        print(_table(plan, schedule))
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main(sys.argv[1:]))
