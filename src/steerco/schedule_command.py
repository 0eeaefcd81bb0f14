"""``steerco schedule FILE``: schedule a plan file with the engine alone and print the result.

Reads Microsoft Project XML (MSPDI) or SteerCo's JSON plan format, detected by content.
Exit codes: 0 success, 2 unreadable file or unschedulable plan (message on stderr).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

from steerco.engine.interop.mspdi import PlanFileError, read_mspdi
from steerco.engine.interop.plan_json import read_plan_json
from steerco.engine.scheduling import Plan, Schedule, ScheduleError, schedule_plan
from steerco.engine.scheduling.calendar import CalendarError


def load_plan(data: bytes) -> Plan:
    """Detect the format of ``data`` (XML or JSON) and read it into a Plan."""
    head = data.lstrip()[:1]
    if head == b"<" or data.startswith(b"\xef\xbb\xbf<"):
        project = read_mspdi(data)
        if not project.schedule_from_start:
            print(
                "steerco schedule: note: the file schedules from its finish date; "
                "SteerCo schedules forward from the start date.",
                file=sys.stderr,
            )
        return project.plan
    if head in (b"{", b"\xef"):
        return read_plan_json(data.decode("utf-8-sig"))
    raise PlanFileError("The file is neither Microsoft Project XML nor a SteerCo JSON plan.")


def schedule_as_json(plan: Plan, schedule: Schedule) -> dict:
    """The JSON shape of ``steerco schedule --format json`` and the schedule API."""
    return {
        "project": {
            "start": schedule.start.isoformat(),
            "finish": schedule.finish.isoformat(),
        },
        "tasks": [
            {
                "uid": task.uid,
                "name": task.name,
                "wbs": task.wbs,
                "summary": task.summary,
                "milestone": task.milestone,
                "start": r.start.isoformat(),
                "finish": r.finish.isoformat(),
                "early_start": r.early_start.isoformat(),
                "early_finish": r.early_finish.isoformat(),
                "late_start": r.late_start.isoformat(),
                "late_finish": r.late_finish.isoformat(),
                "total_slack_minutes": r.total_slack_minutes,
                "free_slack_minutes": r.free_slack_minutes,
                "critical": r.critical,
            }
            for task in plan.tasks
            for r in (schedule.tasks[task.uid],)
        ],
    }


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
        plan = load_plan(data)
        if args.status_date:
            try:
                status = dt.datetime.fromisoformat(args.status_date)
            except ValueError as error:
                raise PlanFileError(f"--status-date {args.status_date!r} is not a date.") from error
            if len(args.status_date) <= 10:  # a date alone: end of that working day
                status = plan.calendar.previous_working_time(status + dt.timedelta(days=1))
            plan.status_date = status.replace(tzinfo=None)
        schedule = schedule_plan(plan)
    except (PlanFileError, ScheduleError, CalendarError, ValueError, OverflowError) as error:
        # ValueError/OverflowError: dates pushed past what a calendar can represent.
        print(f"steerco schedule: {args.file}: {error}", file=sys.stderr)
        return 2
    if args.format == "json":
        print(json.dumps(schedule_as_json(plan, schedule), indent=2))
    else:
        print(_table(plan, schedule))
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main(sys.argv[1:]))
