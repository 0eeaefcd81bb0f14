"""Import and export of whole plans: Microsoft Project XML (MSPDI), SteerCo JSON, and the
CSV/XLSX task list.

An import replaces the project's plan (tasks, dependencies, project calendars and, from
MSPDI, the baselines the file carries; the project's other baselines stay) in one
transaction: either the whole file is taken and the result can be scheduled, or nothing
changes and the caller gets every problem found. The import is one change set in the
history ("Imported from plan.xml"): every row it deletes or creates is recorded with the
importer, written in bulk so a 10,000-task file stays quick.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings as django_settings
from django.db import transaction
from django.utils.translation import gettext as _

from steerco.accounts.rules import P, check_project
from steerco.core.exceptions import DomainError
from steerco.core.history import ChangeSet, change_set
from steerco.engine.interop.mspdi import PlanFileError, read_mspdi, write_mspdi
from steerco.engine.interop.plan_json import read_plan_json, write_plan_json
from steerco.engine.interop.tasklist import read_task_list, write_task_list
from steerco.engine.scheduling import Plan, ScheduleError, WorkingCalendar, schedule_plan

from .adapters import plan_inputs
from .models import (
    Baseline,
    BaselineTask,
    CalendarException,
    Task,
    TaskAssignment,
    TaskLink,
    WorkCalendar,
)
from .mpp import MppError, mpp_support, mpp_to_mspdi
from .services import outline_numbers, plan_settings


def import_limit() -> int:
    """The largest plan file taken, in bytes: the limit the upload middleware applies to
    the import addresses (``STEERCO_PLAN_UPLOAD_MAX_BYTES``), so the two never disagree."""
    return django_settings.STEERCO_PLAN_UPLOAD_MAX_BYTES


def too_large_message() -> str:
    return _("The file is larger than %(n)g MB.") % {"n": import_limit() / (1024 * 1024)}


FORMATS = {
    "mspdi": ("application/xml", "xml"),
    "json": ("application/json", "json"),
    "csv": ("text/csv", "csv"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
}


@dataclass
class RowProblem:
    row: int
    column: str
    message: str


class PlanImportError(DomainError):
    """The file was refused; ``problems`` lists each row-level problem when there are any."""

    code = "import_refused"

    def __init__(self, message: str, problems: list[RowProblem] | None = None):
        super().__init__(message)
        self.problems = problems or []


@dataclass
class ImportReport:
    format: str
    tasks: int = 0
    links: int = 0
    calendars: int = 0
    baselines: int = 0
    notes: list[str] = field(default_factory=list)


def detect_format(data: bytes, filename: str = "") -> str:
    name = filename.lower()
    head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n")
    if name.endswith(".mpp") or data[:8] == OLE_SIGNATURE:
        return "mpp"
    if name.endswith(".xlsx") or data[:2] == b"PK":
        return "xlsx"
    if name.endswith(".xml") or head.startswith(b"<"):
        return "mspdi"
    if name.endswith(".json") or head.startswith(b"{"):
        return "json"
    if name.endswith(".csv") or name.endswith(".txt"):
        return "csv"
    return "csv"


#: Microsoft Project's .mpp files are OLE compound documents, which start with these bytes.
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
#: A web request must not wait minutes for the Java reader (gunicorn's timeout is 30 s).
MPP_TIMEOUT_S = 25


def _mpp_as_mspdi(data: bytes) -> bytes:
    """Convert a .mpp file with the optional MPXJ reader, or explain why it cannot be read."""
    support = mpp_support()
    if not support.available:
        raise PlanImportError(support.reason)
    try:
        return mpp_to_mspdi(data, timeout_s=MPP_TIMEOUT_S)
    except MppError as error:
        raise PlanImportError(str(error)) from None


def _read(data: bytes, fmt: str, settings) -> tuple[Plan, dict]:
    """Parse ``data`` into an engine Plan plus extras (baselines, notes) or raise
    PlanImportError. A task list has no project start or calendar: the plan's are kept."""
    extras: dict = {}
    if fmt == "mpp":
        data, fmt = _mpp_as_mspdi(data), "mspdi"
        extras["converted_from"] = "mpp"
    try:
        if fmt == "mspdi":
            project_file = read_mspdi(data)
            extras["baselines"] = project_file.baselines
            extras["mspdi"] = project_file
            return project_file.plan, extras
        if fmt == "json":
            return read_plan_json(data.decode("utf-8-sig")), extras
        result = read_task_list(
            data, filename_or_format=fmt, minutes_per_day=settings.minutes_per_day
        )
        if result.errors:
            problems = [RowProblem(e.row, e.column, e.message) for e in result.errors]
            raise PlanImportError(
                _("%(n)d problem(s) in the file; nothing was imported.") % {"n": len(problems)},
                problems,
            )
        extras["notes"] = result.notes
        return result.to_plan(start=settings.start), extras
    except PlanFileError as error:
        raise PlanImportError(str(error)) from None
    except UnicodeDecodeError:
        raise PlanImportError(_("The file is not UTF-8 text.")) from None


def _save_calendars(
    project, plan: Plan, extra: Iterable[WorkingCalendar] = ()
) -> dict[int, WorkCalendar]:
    """Store the plan's calendars as project calendars; returns id(engine calendar) → row."""
    rows: dict[int, WorkCalendar] = {}

    def save(calendar: WorkingCalendar) -> WorkCalendar:
        if id(calendar) in rows:
            return rows[id(calendar)]
        base = save(calendar.base) if calendar.base is not None else None
        row = WorkCalendar.objects.create(
            project=project,
            name=calendar.name or "Calendar",
            base=base,
            week={str(day): [list(pair) for pair in iv] for day, iv in calendar.week.items()},
            country=calendar.country or "",
            subdivision=calendar.subdivision or "",
            source_uid=calendar.uid,
        )
        CalendarException.objects.bulk_create(
            [
                CalendarException(
                    calendar=row,
                    name=e.name[:100],
                    start=e.start,
                    finish=e.finish,
                    intervals=[list(pair) for pair in e.intervals],
                    recurring_yearly=e.recurring_yearly,
                )
                for e in calendar.exceptions
            ]
        )
        rows[id(calendar)] = row
        return row

    save(plan.calendar)
    for task in plan.tasks:
        if task.calendar is not None:
            save(task.calendar)
    for calendar in extra:
        save(calendar)
    return rows


def plan_import(*, actor, project, data: bytes, filename: str = "") -> ImportReport:
    """Replace the project's plan with the file's. All or nothing."""
    check_project(actor, project, P.PLAN_CHANGE)
    if len(data) > import_limit():
        raise PlanImportError(too_large_message())
    if not data.strip():
        raise PlanImportError(_("The file is empty."))
    fmt = detect_format(data, filename)
    settings = plan_settings(project, actor=actor)
    plan, extras = _read(data, fmt, settings)
    keeps_calendars = fmt in ("csv", "xlsx")
    if not plan.tasks:
        raise PlanImportError(_("The file holds no tasks."))
    try:
        schedule_plan(plan)
    except ScheduleError as error:
        raise PlanImportError(str(error)) from None
    file_baselines = _baselines_by_number(extras.get("baselines") or {})
    report = ImportReport(format=fmt)
    reason = f"Imported from {filename or 'a ' + fmt.upper() + ' file'}"
    with transaction.atomic(), change_set(actor=actor, reason=reason) as changes:
        # Dependents first: the audited rows go without Django's per-row cascade.
        TaskAssignment.objects.filter(task__project=project).delete()
        # Only the baselines the file brings are replaced: a baseline's tasks are kept by
        # task UID (as Microsoft Project keeps them), not by row, so the others still
        # compare every task of the new plan that has the same UID.
        replaced = Baseline.objects.filter(project=project, number__in=file_baselines)
        BaselineTask.objects.filter(baseline__in=replaced).delete()
        changes.delete(replaced)
        changes.delete(TaskLink.objects.filter(project=project))
        changes.delete(Task.objects.filter(project=project))
        calendar_rows: dict[int, WorkCalendar] = {}
        if not keeps_calendars:
            settings.calendar = None
            settings.save(update_fields=["calendar"])
            WorkCalendar.objects.filter(project=project).delete()
            project_file = extras.get("mspdi")
            resource_calendars = (
                [
                    project_file.calendars[r.calendar_uid]
                    for r in project_file.resources
                    if r.calendar_uid in project_file.calendars
                ]
                if project_file
                else []
            )
            calendar_rows = _save_calendars(project, plan, resource_calendars)
        report.calendars = len(calendar_rows)
        notes = extras.get("notes") or {}
        in_file = {task.uid for task in plan.tasks}
        numbers = outline_numbers(
            [
                (task.uid, task.parent_uid if task.parent_uid in in_file else None)
                for task in plan.tasks
            ]
        )
        task_rows = [
            Task(
                project=project,
                uid=task.uid,
                position=numbers[task.uid][0],
                outline_level=numbers[task.uid][1],
                wbs=numbers[task.uid][2],
                name=(task.name or f"Task {task.uid}")[:255],
                duration_minutes=max(0, task.duration_minutes),
                elapsed=task.elapsed,
                milestone=task.milestone,
                manual=task.manual,
                manual_start=task.start if task.manual else None,
                manual_finish=task.finish if task.manual else None,
                constraint_type=task.constraint.value,
                constraint_date=task.constraint_date,
                deadline=task.deadline,
                calendar=calendar_rows.get(id(task.calendar)) if task.calendar else None,
                percent_complete=round(task.percent_complete, 2),
                actual_start=task.actual_start,
                actual_finish=task.actual_finish,
                remaining_duration_minutes=task.remaining_duration_minutes,
                notes=notes.get(task.uid, ""),
            )
            for task in plan.tasks
        ]
        _create_in_outline_levels(task_rows, plan, changes)
        by_uid = {row.uid: row for row in task_rows}
        changes.bulk_create(
            TaskLink,
            [
                TaskLink(
                    project=project,
                    predecessor=by_uid[link.predecessor_uid],
                    successor=by_uid[link.successor_uid],
                    type=link.type.value,
                    lag_minutes=link.lag_minutes,
                    lag_percent=link.lag_percent,
                    lag_elapsed=link.lag_elapsed,
                )
                for link in plan.links
            ],
            batch_size=500,
        )
        if extras.get("mspdi"):
            report.notes += _save_assignments(extras["mspdi"], by_uid, calendar_rows)
        report.tasks = len(task_rows)
        report.links = len(plan.links)
        if not keeps_calendars:
            settings.start = plan.start
            settings.status_date = plan.status_date
            settings.minutes_per_day = plan.minutes_per_day
            settings.honor_constraints = plan.honor_constraints
            settings.calendar = calendar_rows.get(id(plan.calendar))
        settings.version += 1
        settings._history_user = actor
        settings.save()
        # The rows were numbered in outline order above, so nothing is left to renumber.
        for number, entries in file_baselines.items():
            baseline = Baseline.objects.create(
                project=project,
                number=number,
                name=f"Baseline {number} (imported)",
                saved_by=actor,
            )
            BaselineTask.objects.bulk_create(
                [
                    BaselineTask(
                        baseline=baseline,
                        task_uid=uid,
                        name=by_uid[uid].name,
                        start=entry.start,
                        finish=entry.finish,
                        duration_minutes=entry.duration_minutes,
                    )
                    for uid, entry in entries
                    if uid in by_uid
                ],
                batch_size=500,
            )
            report.baselines += 1
    return report


def _save_assignments(project_file, task_by_uid: dict, calendar_rows: dict) -> list[str]:
    """Store the file's work-resource assignments; people are matched by name."""
    from steerco.resources.models import Person

    people = {p.name.casefold(): p for p in Person.objects.filter(active=True)}
    resources = {r.uid: r for r in project_file.resources if r.type == 1}
    rows = []
    unmatched: set[str] = set()
    for assignment in project_file.assignments:
        resource = resources.get(assignment.resource_uid)
        task = task_by_uid.get(assignment.task_uid)
        if resource is None or task is None:
            continue
        name = resource.name or f"Resource {resource.uid}"
        person = people.get(name.casefold())
        if person is None:
            unmatched.add(name)
        engine_calendar = project_file.calendars.get(resource.calendar_uid)
        rows.append(
            TaskAssignment(
                task=task,
                resource_name=name[:200],
                person=person,
                calendar=calendar_rows.get(id(engine_calendar)) if engine_calendar else None,
                units=round(assignment.units, 3),
                work_minutes=max(0, assignment.work_minutes),
                contoured=bool(assignment.work_contour),
            )
        )
    TaskAssignment.objects.bulk_create(rows, batch_size=500)
    if not unmatched:
        return []
    return [
        _("Resources kept by name only (no person with that name): %s")
        % ", ".join(sorted(unmatched))
    ]


def _create_in_outline_levels(rows: list[Task], plan: Plan, changes: ChangeSet) -> None:
    """Insert tasks a level at a time so each row's parent already has a primary key."""
    by_uid = {row.uid: row for row in rows}
    parent_of = {task.uid: task.parent_uid for task in plan.tasks}
    depth: dict[int, int] = {}

    def depth_of(uid: int) -> int:
        if uid not in depth:
            parent = parent_of.get(uid)
            depth[uid] = 0 if parent is None or parent not in by_uid else depth_of(parent) + 1
        return depth[uid]

    levels: dict[int, list[Task]] = {}
    for row in rows:
        levels.setdefault(depth_of(row.uid), []).append(row)
    for level in sorted(levels):
        for row in levels[level]:
            parent = parent_of.get(row.uid)
            row.parent = by_uid.get(parent)
        changes.bulk_create(Task, levels[level], batch_size=500)


def _baselines_by_number(per_task: dict) -> dict[int, list]:
    """MSPDI keeps baselines per task; regroup them as {number: [(task uid, entry)]}."""
    grouped: dict[int, list] = {}
    for uid, entries in per_task.items():
        for entry in entries:
            has_values = entry.start or entry.finish or entry.duration_minutes is not None
            if has_values and 0 <= entry.number <= 10:
                grouped.setdefault(entry.number, []).append((uid, entry))
    return grouped


def plan_export(*, actor, project, fmt: str) -> tuple[bytes, str, str]:
    """The plan as a file: (content, content type, file name)."""
    check_project(actor, project, P.PROJECT_VIEW)
    if fmt not in FORMATS:
        raise DomainError(_("Unknown export format '%s'.") % fmt)
    from .selectors import plan_settings_get

    inputs = plan_inputs(project, plan_settings_get(project=project))
    try:
        schedule = schedule_plan(inputs.plan)
    except ScheduleError:
        schedule = None  # the file still carries the inputs; the dates come when it is fixed
    if fmt == "mspdi":
        content = write_mspdi(inputs.plan, schedule)
    elif fmt == "json":
        content = write_plan_json(inputs.plan).encode()
    else:
        content = write_task_list(
            inputs.plan, schedule=schedule, format=fmt, minutes_per_day=inputs.plan.minutes_per_day
        )
    content_type, extension = FORMATS[fmt]
    return content, content_type, f"{project.code.lower()}-plan.{extension}"
