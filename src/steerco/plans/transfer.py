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

import datetime as dt
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import repeat
from operator import itemgetter

from django.conf import settings as django_settings
from django.core.exceptions import PermissionDenied
from django.db import DEFAULT_DB_ALIAS, connection, connections, models, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from steerco.accounts.rules import P, check_project, has_perm
from steerco.core.background import job_desk
from steerco.core.exceptions import DomainError
from steerco.core.history import ChangeSet, change_set
from steerco.engine.interop.mspdi import PlanFileError, read_mspdi, write_mspdi
from steerco.engine.interop.plan_json import read_plan_json, write_plan_json
from steerco.engine.interop.tasklist import read_task_list, write_task_list
from steerco.engine.scheduling import Plan, ScheduleError, WorkingCalendar, schedule_plan
from steerco.resources.models import Person

from .adapters import plan_file_parts, plan_inputs
from .models import (
    Baseline,
    BaselineTask,
    CalendarException,
    PlanImport,
    PlanImportFile,
    ProjectPlan,
    Task,
    TaskAssignment,
    TaskLink,
    WorkCalendar,
)
from .mpp import MppError, mpp_support, mpp_to_mspdi
from .selectors import plan_settings_get
from .services import outline_numbers, outlook_refresh, plan_settings


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

    def __init__(
        self,
        message: str,
        problems: list[RowProblem] | None = None,
        *,
        fields: dict[str, list[str]] | None = None,
    ):
        super().__init__(message, fields=fields)
        self.problems = problems or []


#: How a file goes into a project that already has a plan (ADR 16).
REPLACE = "replace"
UPDATE = "update"
IMPORT_MODES = {
    REPLACE: _lazy(
        "Replace the plan: the file's tasks, dependencies and calendars take the place of "
        "the current ones. Baselines the file does not carry are kept."
    ),
    UPDATE: _lazy(
        "Update tasks by UID: tasks with the same UID are updated, new ones added, the "
        "others kept. Dependencies and assignments of the file's tasks follow the file."
    ),
}


def check_mode(mode: str) -> str:
    """``mode`` if it is one of IMPORT_MODES, else PlanImportError naming them."""
    if mode not in IMPORT_MODES:
        message = _("Unknown import mode '%(mode)s': choose %(modes)s.") % {
            "mode": mode,
            "modes": _(" or ").join(IMPORT_MODES),
        }
        raise PlanImportError(message, fields={"mode": [message]})
    return mode


@dataclass
class ImportReport:
    """What an import did. ``tasks`` are the tasks the file brought; ``added``,
    ``updated``, ``kept`` and ``deleted`` count the plan's tasks (in a replace, every task
    of the old plan is deleted); ``baselines_kept`` are the project's baseline numbers the
    import left as they were."""

    format: str
    mode: str = REPLACE
    tasks: int = 0
    links: int = 0
    calendars: int = 0
    baselines: int = 0
    added: int = 0
    updated: int = 0
    kept: int = 0
    deleted: int = 0
    assignments: int = 0
    baselines_kept: list[int] = field(default_factory=list)
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
    project,
    plan: Plan,
    extra: Iterable[WorkingCalendar] = (),
    *,
    staged: PlanImport | None,
    known: Mapping[str, WorkCalendar] | None = None,
) -> dict[int, WorkCalendar]:
    """Store the plan's calendars as project calendars; returns id(engine calendar) → row.
    A calendar named as one of ``known`` is that one, and is left as it is."""
    rows: dict[int, WorkCalendar] = {}
    known = known or {}

    def save(calendar: WorkingCalendar) -> WorkCalendar:
        if id(calendar) in rows:
            return rows[id(calendar)]
        if calendar.name in known:
            rows[id(calendar)] = known[calendar.name]
            return known[calendar.name]
        base = save(calendar.base) if calendar.base is not None else None
        row = WorkCalendar.objects.create(
            project=project,
            name=calendar.name or "Calendar",
            base=base,
            week={str(day): [list(pair) for pair in iv] for day, iv in calendar.week.items()},
            country=calendar.country or "",
            subdivision=calendar.subdivision or "",
            source_uid=calendar.uid,
            staged_import=staged,
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


#: Files of fewer tasks are written in the request, in one transaction that holds SQLite's
#: write lock throughout. Measured with their links and history (synthetic networks,
#: benchmarks/bench_import_concurrency.py's shape) on the two-core machine under a load
#: average of 8: 500 tasks 2.3 s, 1,000 tasks 6 s, 2,000 tasks 11.5 s; unloaded, about a
#: quarter of that. Larger files become a background job writing in short transactions.
SYNC_IMPORT_MAX_TASKS = 500
#: Rows written (or removed) per transaction by a background import, each with its
#: history row, so other users' writes queue behind one batch instead of behind the whole
#: import. Written by SQL (one INSERT for the rows, one INSERT ... SELECT for their history),
#: a batch holds SQLite's write lock for about 0.15 s (a 100,000-task import on the two-core
#: machine under a load average of 7); a smaller batch would spend more in the pauses below
#: than in writing.
BATCH_ROWS = 5_000
#: On SQLite, the pause after each batch. A writer waiting for the lock sleeps between
#: tries (SQLite's busy handler, up to 100 ms at a time), so an import that took the lock
#: again at once would win every race and keep other users' writes waiting for many
#: batches. PostgreSQL locks rows, not the database: nobody waits there.
SQLITE_PAUSE_SECONDS = 0.1
#: An import still "being written" after this long was abandoned (its worker died); the
#: next import of the project removes what it wrote.
ABANDONED_AFTER = dt.timedelta(hours=6)


@dataclass
class PreparedImport:
    """A file read and checked, ready to be written."""

    fmt: str
    plan: Plan
    extras: dict
    filename: str
    mode: str = REPLACE
    delete_missing: bool = False

    @property
    def file_baselines(self) -> dict[int, list]:
        """The file's baselines as {number: [(task uid, entry)]} (MSPDI only)."""
        return _baselines_by_number(self.extras.get("baselines") or {})

    @property
    def keeps_calendars(self) -> bool:
        return self.fmt in ("csv", "xlsx")

    @property
    def reason(self) -> str:
        return f"Imported from {self.filename or 'a ' + self.fmt.upper() + ' file'}"


def import_prepare(
    *,
    actor,
    project,
    data: bytes,
    filename: str = "",
    mode: str = REPLACE,
    delete_missing: bool = False,
) -> PreparedImport:
    """Read and check the file (size, format, content, that it can be scheduled), or raise
    PlanImportError with every problem found. Writes nothing.

    ``mode`` is REPLACE or UPDATE (by task UID; ``delete_missing`` then deletes the tasks
    the file does not hold). Either way the baselines the file carries that differ from the
    project's are checked against their protection."""
    check_project(actor, project, P.PLAN_CHANGE)
    check_mode(mode)
    if len(data) > import_limit():
        raise PlanImportError(too_large_message())
    if not data.strip():
        raise PlanImportError(_("The file is empty."))
    fmt = detect_format(data, filename)
    settings = plan_settings(project, actor=actor)
    plan, extras = _read(data, fmt, settings)
    if not plan.tasks:
        raise PlanImportError(_("The file holds no tasks."))
    try:
        schedule_plan(plan)
    except ScheduleError as error:
        raise PlanImportError(str(error)) from None
    prepared = PreparedImport(
        fmt=fmt,
        plan=plan,
        extras=extras,
        filename=filename,
        mode=mode,
        delete_missing=delete_missing and mode == UPDATE,
    )
    uids = {task.uid for task in plan.tasks}
    if mode == UPDATE and not delete_missing:
        uids |= set(Task.objects.filter(project=project).values_list("uid", flat=True))
    _check_protected_baselines(
        actor, project, baselines_changed(project, prepared.file_baselines, uids)
    )
    return prepared


def _check_protected_baselines(actor, project, file_baselines: dict[int, list]) -> None:
    """Refuse a file that would replace a protected baseline unless ``actor`` may
    overwrite protected baselines (``P.BASELINE_PROTECTED_OVERWRITE``), as saving one does.

    The import's reason ("Imported from plan.xml") is the reason the history keeps. Pass
    only the baselines the import changes (:func:`baselines_changed`): a file that carries
    a protected baseline as it stands leaves it alone, and is not refused for it.
    """
    if not file_baselines:
        return
    protected = sorted(
        Baseline.objects.filter(
            project=project, number__in=file_baselines, protected=True
        ).values_list("number", flat=True)
    )
    if protected and not has_perm(actor, P.BASELINE_PROTECTED_OVERWRITE, project):
        raise PermissionDenied(
            _(
                "The file carries baseline %(n)s, which is protected in this project: only "
                "the project manager or the PMO may replace it. Remove that baseline from "
                "the file, or ask one of them to import it."
            )
            % {"n": ", ".join(str(number) for number in protected)}
        )


def plan_import(
    *,
    actor,
    project,
    data: bytes,
    filename: str = "",
    prepared: PreparedImport | None = None,
    mode: str = REPLACE,
    delete_missing: bool = False,
) -> ImportReport:
    """Import the file into the project's plan, in this request, in one transaction: all
    or nothing. REPLACE replaces the plan with the file's; UPDATE updates it by task UID
    (see :mod:`steerco.plans.import_update`). Any size works; the pages and the API use
    :func:`plan_import_submit`, which sends files of SYNC_IMPORT_MAX_TASKS tasks or more to
    a background job."""
    if prepared is None:
        prepared = import_prepare(
            actor=actor,
            project=project,
            data=data,
            filename=filename,
            mode=mode,
            delete_missing=delete_missing,
        )
    if prepared.mode == UPDATE:
        return _update(actor=actor, project=project, prepared=prepared)
    with transaction.atomic():
        run = PlanImport.objects.create(project=project, started_by=actor, filename=filename[:255])
        return _write(actor=actor, project=project, prepared=prepared, run=run)


def plan_import_submit(
    *,
    actor,
    project,
    data: bytes,
    filename: str = "",
    mode: str = REPLACE,
    delete_missing: bool = False,
) -> ImportReport | PlanImport:
    """Check the file, then import it now when it is small (the report), or keep it and
    start a background job that imports it (the ``PlanImport``, with its ``job_id``).

    Either way a file with problems is refused here, with every problem, before anything
    is written or queued.
    """
    prepared = import_prepare(
        actor=actor,
        project=project,
        data=data,
        filename=filename,
        mode=mode,
        delete_missing=delete_missing,
    )
    if len(prepared.plan.tasks) < SYNC_IMPORT_MAX_TASKS:
        return plan_import(
            actor=actor, project=project, data=data, prepared=prepared, filename=filename
        )
    with transaction.atomic():
        run = PlanImport.objects.create(project=project, started_by=actor, filename=filename[:255])
        PlanImportFile.objects.create(plan_import=run, data=data)
        job = job_desk().start(
            actor=actor,
            kind="plan_import",
            title=_("Import of %(file)s into %(code)s")
            % {"file": filename or _("a plan"), "code": project.code},
            params={
                "plan_import_id": run.pk,
                "mode": prepared.mode,
                "delete_missing": prepared.delete_missing,
            },
        )
        run.job_id = job.pk
        run.tasks = len(prepared.plan.tasks)
        run.save(update_fields=["job_id", "tasks"])
    return run


def plan_import_run(
    *,
    actor,
    run: PlanImport,
    report: Callable[..., None],
    mode: str = REPLACE,
    delete_missing: bool = False,
) -> ImportReport:
    """Write the kept file of ``run`` beside the plan in short transactions, then switch.

    Reads the file again (the worker may be another machine, or a restart later); on any
    failure the rows written so far are removed and the plan stays as it was. Run again
    for the same ``run`` after its worker was killed part way (no clean-up ran), it first
    removes the rows the earlier attempt wrote, then writes the file again from the start.
    """
    project = run.project
    try:
        _discard_leftovers(project, keep=run)
        _remove_staged(run)
        report(2, _("Reading the file…"))
        data = _kept_file(run)
        if not data:
            raise PlanImportError(_("The file of this import is no longer kept; import it again."))
        # Checks again that the owner may still change the plan when the worker runs.
        prepared = import_prepare(
            actor=actor,
            project=project,
            data=data,
            filename=run.filename,
            mode=mode,
            delete_missing=delete_missing,
        )
        if prepared.mode == UPDATE:
            return _update(actor=actor, project=project, prepared=prepared, run=run)
        return _write(actor=actor, project=project, prepared=prepared, run=run, report=report)
    except BaseException as error:
        _discard(run, str(getattr(error, "message", "")) or type(error).__name__)
        raise


def _kept_file(run: PlanImport) -> bytes:
    """The file kept for ``run``, b"" when there is none. PostgreSQL is asked for it in
    binary: as text, 40 MB of bytea come as 80 MB of hex to decode (half a second more)."""
    table = connection.ops.quote_name(PlanImportFile._meta.db_table)
    column = connection.ops.quote_name(PlanImportFile._meta.pk.column)
    sql = f"SELECT data FROM {table} WHERE {column} = %s"  # noqa: S608 - names quoted, value bound
    if connection.vendor == "postgresql":
        from psycopg import Cursor  # Django's cursors bind on the client: text results only

        connection.ensure_connection()
        with Cursor(connection.connection) as cursor:
            row = cursor.execute(sql, [run.pk], binary=True).fetchone()
    else:
        with connection.cursor() as cursor:
            cursor.execute(sql, [run.pk])
            row = cursor.fetchone()
    return bytes(row[0]) if row else b""


def plan_import_finish_switched(*, run: PlanImport) -> ImportReport:
    """The report of an import whose worker stopped after the switch, run again.

    The plan already is the file's; what is left of the replaced plan is removed now,
    each row with its "deleted" history row, as the stopped worker would have done.
    """
    if run.state != PlanImport.State.SWITCHED:
        raise PlanImportError(_("This import has not switched to the new plan."))
    name = run.filename or _("a plan file")
    with change_set(actor=run.started_by, reason=f"Imported from {name}") as changes:
        for leftover in PlanImport.objects.filter(
            project=run.project, state=PlanImport.State.RETIRED
        ):
            _remove_retired(leftover, changes)
    return ImportReport(
        format=detect_format(b"", run.filename) if run.filename else "",
        tasks=run.tasks,
        notes=[
            _(
                "The worker stopped after switching to the new plan; the replaced plan was "
                "removed when the job ran again."
            )
        ],
    )


@contextmanager
def _batch() -> Iterator[None]:
    """One batch of a large import: its own transaction, then (on SQLite) a pause that
    lets waiting writers in. Inside the caller's transaction (a small import written at
    once) it is a savepoint, and nothing pauses."""
    with transaction.atomic():
        yield
    if connection.vendor == "sqlite" and not connection.in_atomic_block:
        time.sleep(SQLITE_PAUSE_SECONDS)


def _write(
    *,
    actor,
    project,
    prepared: PreparedImport,
    run: PlanImport,
    report: Callable[..., None] | None = None,
) -> ImportReport:
    """Write the plan's rows marked as ``run``'s, then switch them in and remove the old
    ones. Each step is its own transaction, which inside the caller's transaction (the
    synchronous import) is a savepoint of one."""
    plan, extras = prepared.plan, prepared.extras
    result = ImportReport(format=prepared.fmt, deleted=Task.objects.filter(project=project).count())

    def progress(percent: float, message: str) -> None:
        if report is not None:
            report(percent, message)

    with change_set(actor=actor, reason=prepared.reason) as changes:
        calendar_rows: dict[int, WorkCalendar] = {}
        if not prepared.keeps_calendars:
            project_file = extras.get("mspdi")
            resource_calendars = (
                [
                    calendar
                    for r in project_file.resources
                    if (calendar := _resource_calendar(project_file, r)) is not None
                ]
                if project_file
                else []
            )
            with _batch():
                calendar_rows = _save_calendars(project, plan, resource_calendars, staged=run)
        result.calendars = len(calendar_rows)
        notes = extras.get("notes") or {}
        in_file = {task.uid for task in plan.tasks}
        numbers = outline_numbers(
            [
                (task.uid, task.parent_uid if task.parent_uid in in_file else None)
                for task in plan.tasks
            ]
        )
        calendar_ids = {key: row.pk for key, row in calendar_rows.items()}
        marks = {"project_id": project.pk, "staged_import_id": run.pk}
        # Field values rather than Task instances, which took longer to build than the
        # rows take to write; the instances are made once the rows have their keys.
        task_rows = [
            {
                **marks,
                **task_values(task, numbers[task.uid], calendar_ids),
                "notes": notes.get(task.uid, ""),
            }
            for task in plan.tasks
        ]
        total = len(task_rows) + len(plan.links)

        def step(done: int, what: str) -> None:
            progress(5 + 85 * done / total, what)

        _create_in_outline_levels(task_rows, plan, changes, run=run, step=step)
        by_uid = _SavedTasks(task_rows)
        pk_of = {row["uid"]: row["id"] for row in task_rows}
        # Field values, not TaskLink instances: nothing refers to the links, and building
        # 150,000 instances took longer than writing them.
        link_rows = [
            {
                **marks,
                "predecessor_id": pk_of[link.predecessor_uid],
                "successor_id": pk_of[link.successor_uid],
                "type": link.type.value,
                "lag_minutes": link.lag_minutes,
                "lag_percent": link.lag_percent,
                "lag_elapsed": link.lag_elapsed,
            }
            for link in plan.links
        ]
        links_written = _StagedRows(TaskLink, run, changes)
        for start in range(0, len(link_rows), BATCH_ROWS):
            with _batch():
                links_written.insert(link_rows[start : start + BATCH_ROWS])
            step(len(task_rows) + start, _("Writing the dependencies…"))
        if extras.get("mspdi"):
            assignments, assignment_notes = _assignments(extras["mspdi"], by_uid, calendar_rows)
            for assignment in assignments:
                assignment.staged_import = run
            for start in range(0, len(assignments), BATCH_ROWS):
                with _batch():
                    changes.bulk_create(TaskAssignment, assignments[start : start + BATCH_ROWS])
            result.notes += assignment_notes
            result.assignments = len(assignments)
        result.tasks = result.added = len(task_rows)
        result.links = len(plan.links)
        progress(92, _("Switching to the new plan…"))
        retired, written, kept = _switch(
            actor=actor,
            project=project,
            prepared=prepared,
            run=run,
            calendar_rows=calendar_rows,
            by_uid=by_uid,
            changes=changes,
        )
        result.baselines, result.baselines_kept = len(written), kept
        # From the rows as written: reading 100,000 tasks back took seconds.
        outlook_refresh(project=project, written=(task_rows, link_rows))
        progress(95, _("Removing the replaced plan…"))
        _remove_retired(retired, changes)
    return result


def _switch(
    *,
    actor,
    project,
    prepared: PreparedImport,
    run: PlanImport,
    calendar_rows: dict[int, WorkCalendar],
    by_uid: dict[int, Task],
    changes: ChangeSet,
) -> tuple[PlanImport, list[int], list[int]]:
    """The one transaction in which the new plan replaces the old: the old rows are marked
    retired and the new ones unmarked, by a few UPDATEs. Returns the retired rows' mark,
    and the numbers of the baselines written and of those kept."""
    plan = prepared.plan
    with transaction.atomic():
        settings = ProjectPlan.objects.select_for_update().get(project=project)
        run = PlanImport.objects.select_for_update().get(pk=run.pk)
        if run.state != PlanImport.State.STAGING:
            raise PlanImportError(_("This import was stopped before it could finish."))
        retired = PlanImport.objects.create(
            project=project,
            started_by=actor,
            filename=run.filename,
            state=PlanImport.State.RETIRED,
        )
        # Assignments first: the task filter below would otherwise hide which are whose.
        TaskAssignment.objects.filter(task__project=project).update(staged_import=retired)
        TaskLink.objects.filter(project=project).update(staged_import=retired)
        Task.objects.filter(project=project).update(staged_import=retired)
        if not prepared.keeps_calendars:
            settings.calendar = None
            WorkCalendar.objects.filter(project=project).update(staged_import=retired)
        for model in (WorkCalendar, Task, TaskLink, TaskAssignment):
            model.all_rows.filter(staged_import=run).update(staged_import=None)
        # Checked again under the plan's lock: a baseline may have been protected since
        # the file was read (a large import reads it minutes before this switch).
        written, kept = replace_baselines(
            actor=actor,
            project=project,
            prepared=prepared,
            names={task.uid: (task.name or f"Task {task.uid}")[:255] for task in plan.tasks},
            changes=changes,
        )
        if not prepared.keeps_calendars:
            settings.start = plan.start
            settings.status_date = plan.status_date
            settings.minutes_per_day = plan.minutes_per_day
            settings.honor_constraints = plan.honor_constraints
            settings.calendar = calendar_rows.get(id(plan.calendar))
        settings.version += 1
        settings._history_user = actor
        settings.save()
        run.state = PlanImport.State.SWITCHED
        run.tasks = len(by_uid)
        run.finished_at = timezone.now()
        run.save(update_fields=["state", "tasks", "finished_at"])
        # The file is no longer needed; do not keep megabytes per import.
        PlanImportFile.objects.filter(plan_import=run).delete()
    return retired, written, kept


def _remove_retired(retired: PlanImport, changes: ChangeSet | None) -> None:
    """Delete the rows marked ``retired`` a batch per transaction: with a "deleted" history
    row each when ``changes`` is given (rows an import replaced), without when not (rows a
    failed import wrote, whose history goes with them)."""

    def delete(model, keys: list[int]) -> None:
        for start in range(0, len(keys), BATCH_ROWS):
            batch = keys[start : start + BATCH_ROWS]
            with _batch():
                if changes is not None:
                    changes.delete(model.all_rows.filter(pk__in=batch))
                else:
                    _delete_rows(model, batch)

    marked = {"staged_import": retired}
    delete(
        TaskAssignment, list(TaskAssignment.all_rows.filter(**marked).values_list("pk", flat=True))
    )
    delete(TaskLink, list(TaskLink.all_rows.filter(**marked).values_list("pk", flat=True)))
    # Children before their parents, so no batch leaves a row pointing at a deleted one.
    parent_of = dict(Task.all_rows.filter(**marked).values_list("pk", "parent_id"))
    delete(Task, sorted(parent_of, key=lambda pk: -_depth(pk, parent_of)))
    base_of = dict(WorkCalendar.all_rows.filter(**marked).values_list("pk", "base_id"))
    calendars = sorted(base_of, key=lambda pk: -_depth(pk, base_of))
    for start in range(0, len(calendars), BATCH_ROWS):
        with _batch():
            batch = calendars[start : start + BATCH_ROWS]
            CalendarException.objects.filter(calendar_id__in=batch).delete()
    delete(WorkCalendar, calendars)
    if retired.state == PlanImport.State.RETIRED:
        retired.delete()


def _delete_rows(model, keys: list[int]) -> None:
    """DELETE the rows, without Django's collector: no signals (so no history rows), and no
    cascade (the caller deletes dependents first)."""
    table = connection.ops.quote_name(model._meta.db_table)
    key = connection.ops.quote_name(model._meta.pk.column)
    marks = ", ".join(["%s"] * len(keys))
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE {key} IN ({marks})", keys)  # noqa: S608 - names quoted, values bound


def _depth(key: int, parent_of: dict) -> int:
    depth = 0
    seen = {key}
    while (key := parent_of.get(key)) is not None and key in parent_of and key not in seen:
        seen.add(key)
        depth += 1
    return depth


def plan_import_abandon(*, run: PlanImport, message: str) -> None:
    """Fail an import still being written whose job was given up (its worker stopped),
    removing what it wrote; the plan stays as it was. An import that ended is left alone."""
    if run.state == PlanImport.State.STAGING:
        _discard(run, message)


def _discard(run: PlanImport, message: str = "") -> None:
    """Remove what a failed import wrote, and its history rows, and say it failed."""
    PlanImport.objects.filter(pk=run.pk, state=PlanImport.State.STAGING).update(
        state=PlanImport.State.FAILED, finished_at=timezone.now(), message=message
    )
    PlanImportFile.objects.filter(plan_import=run).delete()
    run.refresh_from_db()
    _remove_staged(run)


def _remove_staged(run: PlanImport) -> None:
    """Remove the rows marked as ``run``'s and their history rows, leaving ``run`` itself
    as it is (a run being written keeps its state and its file, to be written again)."""
    _remove_retired(run, changes=None)
    for model in (Task, TaskLink, WorkCalendar):
        model.history.filter(staged_import_id=run.pk).delete()


def _discard_leftovers(project, *, keep: PlanImport | None = None) -> None:
    """Finish what earlier imports of ``project`` left: replaced rows not yet removed (the
    worker stopped during the removal) and imports abandoned while being written, except
    ``keep``, the import being run again (however long it waited for a worker)."""
    for leftover in PlanImport.objects.filter(project=project, state=PlanImport.State.RETIRED):
        _remove_retired(leftover, changes=None)
    abandoned = PlanImport.objects.filter(
        project=project,
        state=PlanImport.State.STAGING,
        created_at__lt=timezone.now() - ABANDONED_AFTER,
    )
    if keep is not None:
        abandoned = abandoned.exclude(pk=keep.pk)
    for leftover in abandoned:
        _discard(leftover)


def _assignments(
    project_file, task_by_uid: dict, calendar_rows: dict
) -> tuple[list[TaskAssignment], list[str]]:
    """The file's work-resource assignments, people matched by e-mail address, else by
    name, and a note naming the resources no person matched."""
    active = list(Person.objects.filter(active=True))
    by_name = {p.name.casefold(): p for p in active}
    by_email = {p.email.casefold(): p for p in active if p.email}
    resources = {r.uid: r for r in project_file.resources if r.type == 1}
    rows = []
    unmatched: set[str] = set()
    for assignment in project_file.assignments:
        resource = resources.get(assignment.resource_uid)
        task = task_by_uid.get(assignment.task_uid)
        if resource is None or task is None:
            continue
        name = resource.name or f"Resource {resource.uid}"
        person = by_email.get(resource.email.casefold()) or by_name.get(name.casefold())
        if person is None:
            unmatched.add(name)
        engine_calendar = _resource_calendar(project_file, resource)
        rows.append(
            TaskAssignment(
                task=task,
                resource_name=name[:200],
                person=person,
                calendar=calendar_rows.get(id(engine_calendar)) if engine_calendar else None,
                units=Decimal(f"{assignment.units:.3f}"),
                work_minutes=max(0, assignment.work_minutes),
                contoured=bool(assignment.work_contour),
            )
        )
    if not unmatched:
        return rows, []
    return rows, [
        _("Resources kept by name only (no person with that name): %s")
        % ", ".join(sorted(unmatched))
    ]


def _resource_calendar(project_file, resource) -> WorkingCalendar | None:
    """The working time ``resource`` follows, None for the project's. Microsoft Project
    gives every resource a calendar of its own derived from a base calendar; one that
    changes nothing is its base, so the import keeps no empty calendar per resource."""
    calendar = project_file.calendars.get(resource.calendar_uid)
    while calendar is not None and calendar.base is not None:
        if calendar.week or calendar.exceptions or calendar.work_weeks:
            break
        calendar = calendar.base
    return None if calendar is project_file.plan.calendar else calendar


def _create_in_outline_levels(
    rows: list[dict],
    plan: Plan,
    changes: ChangeSet,
    *,
    run: PlanImport,
    step: Callable[[int, str], None],
) -> None:
    """Insert the tasks' rows (field values) a level at a time so each row's parent
    already has a primary key, a batch per transaction, each with its history. Each row
    gets its primary key (``id``) and its parent's (``parent_id``)."""
    by_uid = {row["uid"]: row for row in rows}
    parent_of = {task.uid: task.parent_uid for task in plan.tasks}
    depth: dict[int, int] = {}

    def depth_of(uid: int) -> int:
        if uid not in depth:
            parent = parent_of.get(uid)
            depth[uid] = 0 if parent is None or parent not in by_uid else depth_of(parent) + 1
        return depth[uid]

    levels: dict[int, list[dict]] = {}
    for row in rows:
        levels.setdefault(depth_of(row["uid"]), []).append(row)
    written = _StagedRows(Task, run, changes, key="uid")
    done = 0
    for level in sorted(levels):
        for row in levels[level]:
            parent = by_uid.get(parent_of.get(row["uid"]))
            row["parent_id"] = None if parent is None else parent["id"]
        for start in range(0, len(levels[level]), BATCH_ROWS):
            batch = levels[level][start : start + BATCH_ROWS]
            with _batch():
                written.insert(batch)
            done += len(batch)
            message = _("Writing task %(done)d of %(total)d…")
            step(done, message % {"done": done, "total": len(rows)})


class _StagedRows:
    """Writes an import's new rows of one model, a batch at a time, without model saves:
    one INSERT for the batch's rows and one INSERT ... SELECT for their "created" history
    rows. Saving them through the ORM (bulk_create with history) spent a millisecond per
    row building instances and SQL, which for a 100,000-task plan was most of an hour.

    Rows are given as dicts of field values (by attname). Rows of ``run`` get increasing
    keys, and only this writer adds them, so the rows a batch added are those above the
    largest key before it. With ``key`` (a field unique among the import's rows), each
    dict is given its row's primary key, for the rows that refer to it.
    """

    def __init__(self, model, run: PlanImport, changes: ChangeSet, *, key: str = "") -> None:
        self.model = model
        self.run = run
        self.changes = changes
        self.key = key
        self.largest_pk = 0

    def insert(self, rows: list[dict]) -> None:
        """Insert ``rows`` and their history; call it inside the batch's transaction."""
        _insert_rows(self.model, rows)
        added = self.model.all_rows.filter(staged_import=self.run, pk__gt=self.largest_pk)
        self.changes.record_rows(added, history_type="+")
        if self.key:
            by_key = {row[self.key]: row for row in rows}
            pk_name = self.model._meta.pk.attname
            for value, pk in added.values_list(self.key, "pk"):
                by_key[value][pk_name] = pk
        self.largest_pk = added.aggregate(largest=Max("pk"))["largest"] or self.largest_pk


class _SavedTasks(Mapping):
    """The import's tasks by uid, as saved: each made a Task instance when first asked
    for (building all 100,000 took seconds, and most imports ask for a few, or none)."""

    def __init__(self, rows: list[dict]) -> None:
        self._rows = {row["uid"]: row for row in rows}
        self._tasks: dict[int, Task] = {}
        fields = Task._meta.concrete_fields
        self._names = [field.attname for field in fields]
        self._defaults = {field.attname: field.get_default() for field in fields}

    def __getitem__(self, uid: int) -> Task:
        if uid not in self._tasks:
            row = self._rows[uid]
            values = [row.get(name, self._defaults[name]) for name in self._names]
            self._tasks[uid] = Task.from_db(connection.alias, self._names, values)
        return self._tasks[uid]

    def __contains__(self, uid: object) -> bool:
        return uid in self._rows

    def __iter__(self) -> Iterator[int]:
        return iter(self._rows)

    def __len__(self) -> int:
        return len(self._rows)


#: Fields whose Python values the database drivers take as they are (on SQLite and
#: PostgreSQL); the others (dates kept as text, decimals) go through their field's
#: conversion, as a save would.
_TAKEN_AS_THEY_ARE = (
    models.IntegerField,
    models.BooleanField,
    models.CharField,
    models.TextField,
    models.ForeignKey,
)


def _insert_rows(model, rows: list[dict]) -> None:
    """INSERT ``rows`` (field attname → value, the same fields in each; a field left out
    takes its default) with one ``executemany``: no signals, no history and no primary keys
    read back (see :class:`_StagedRows`). Values are converted as a save converts them,
    each distinct value once; no field of these models sets itself on save. The rows are
    turned into columns and back by ``zip``: a loop over each row's fields took longer."""
    if not rows:
        return
    database = connections[DEFAULT_DB_ALIAS]
    fields = [each for each in model._meta.concrete_fields if not each.primary_key]
    given = [each for each in fields if each.attname in rows[0]]
    left_out = [each for each in fields if each.attname not in rows[0]]
    values = map(itemgetter(*(each.attname for each in given)), rows)
    columns: list = list(zip(*values, strict=True)) if len(given) > 1 else [list(values)]
    for index, model_field in enumerate(given):
        if not isinstance(model_field, _TAKEN_AS_THEY_ARE):
            converted = _Converted(model_field, database)
            columns[index] = list(map(converted.__getitem__, columns[index]))
    columns += [repeat(each.get_default(), len(rows)) for each in left_out]
    names = ", ".join(database.ops.quote_name(each.column) for each in [*given, *left_out])
    table = database.ops.quote_name(model._meta.db_table)
    values = list(zip(*columns, strict=True))
    with database.cursor() as cursor:
        if database.vendor == "postgresql":
            # PostgreSQL parses and plans an INSERT per row (a fifth of a millisecond
            # each); COPY takes the rows as a stream, some twenty times quicker.
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in values:
                    copy.write_row(row)
            return
        # SQLite runs one prepared statement for every row: its quickest way.
        marks = ", ".join(["%s"] * len(fields))
        cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", values)  # noqa: S608 - names quoted, values bound


class _Converted(dict):
    """A field's values as the database takes them, each distinct value converted once (an
    import's dates and percentages repeat thousands of times). For fields of hashable
    values (dates, decimals); values equal in Python are converted alike."""

    def __init__(self, field, database) -> None:
        super().__init__()
        self.field = field
        self.database = database

    def __missing__(self, value):
        converted = None if value is None else self.field.get_db_prep_save(value, self.database)
        self[value] = converted
        return converted


def _baselines_by_number(per_task: dict) -> dict[int, list]:
    """MSPDI keeps baselines per task; regroup them as {number: [(task uid, entry)]}."""
    grouped: dict[int, list] = {}
    for uid, entries in per_task.items():
        for entry in entries:
            has_values = entry.start or entry.finish or entry.duration_minutes is not None
            if has_values and 0 <= entry.number <= 10:
                grouped.setdefault(entry.number, []).append((uid, entry))
    return grouped


def task_values(task, number: tuple[int, int, str], calendar_ids: dict[int, int]) -> dict:
    """The Task row's field values (by attname) for the file's ``task``, at ``number``
    (position, outline level, WBS code), in the types the row holds them in."""
    return {
        "uid": task.uid,
        "position": number[0],
        "outline_level": number[1],
        "wbs": number[2],
        "name": (task.name or f"Task {task.uid}")[:255],
        "duration_minutes": max(0, task.duration_minutes),
        "elapsed": task.elapsed,
        "milestone": task.milestone,
        "manual": task.manual,
        "manual_start": task.start if task.manual else None,
        "manual_finish": task.finish if task.manual else None,
        "constraint_type": task.constraint.value,
        "constraint_date": task.constraint_date,
        "deadline": task.deadline,
        "calendar_id": calendar_ids.get(id(task.calendar)) if task.calendar else None,
        "percent_complete": Decimal(f"{task.percent_complete:.2f}"),
        "actual_start": task.actual_start,
        "actual_finish": task.actual_finish,
        "remaining_duration_minutes": task.remaining_duration_minutes,
    }


def baselines_changed(project, file_baselines: dict[int, list], uids: set[int]) -> dict[int, list]:
    """The file's baselines that differ from the project's saved ones of the same number,
    comparing each task's start, finish and duration for the tasks in ``uids``: a file
    exported from this plan and imported again rewrites no baseline."""
    if not file_baselines:
        return {}
    saved: dict[int, set] = {
        number: set()
        for number in Baseline.objects.filter(
            project=project, number__in=file_baselines
        ).values_list("number", flat=True)
    }
    for number, *values in BaselineTask.objects.filter(
        baseline__project=project, baseline__number__in=saved
    ).values_list("baseline__number", "task_uid", "start", "finish", "duration_minutes"):
        if any(value is not None for value in values[1:]):
            saved[number].add(tuple(values))
    changed = {}
    for number, entries in file_baselines.items():
        carried = {
            (uid, entry.start, entry.finish, entry.duration_minutes)
            for uid, entry in entries
            if uid in uids
        }
        if number not in saved or saved[number] != carried:
            changed[number] = entries
    return changed


def replace_baselines(
    *, actor, project, prepared: PreparedImport, names: Mapping[int, str], changes: ChangeSet
) -> tuple[list[int], list[int]]:
    """Replace the project's baselines with those the file carries that differ from them,
    for the tasks of ``names`` (uid → name); the others are kept. Call it holding the plan's
    lock: protection is checked again here. Returns the numbers written and those kept."""
    file_baselines = baselines_changed(project, prepared.file_baselines, set(names))
    # A baseline's tasks are kept by task UID (as Microsoft Project keeps them), not by
    # row, so a kept baseline still compares every task of the new plan with its UID.
    replaced = Baseline.objects.filter(project=project, number__in=file_baselines)
    _check_protected_baselines(actor, project, file_baselines)
    protected = set(replaced.filter(protected=True).values_list("number", flat=True))
    # A protected baseline's "deleted" history row keeps the import as its reason,
    # as an overwrite through the baseline page keeps the reason given there.
    replaced.filter(protected=True).update(reason=prepared.reason)
    BaselineTask.objects.filter(baseline__in=replaced).delete()
    changes.delete(replaced)
    for number, entries in sorted(file_baselines.items()):
        baseline = Baseline.objects.create(
            project=project,
            number=number,
            name=f"Baseline {number} (imported)",
            saved_by=actor,
            # The approved baseline stays protected when whoever may replace it does.
            protected=number in protected,
            reason=prepared.reason if number in protected else "",
        )
        BaselineTask.objects.bulk_create(
            [
                BaselineTask(
                    baseline=baseline,
                    task_uid=uid,
                    name=names[uid],
                    start=entry.start,
                    finish=entry.finish,
                    duration_minutes=entry.duration_minutes,
                )
                for uid, entry in entries
                if uid in names
            ],
            batch_size=BATCH_ROWS,
        )
    kept = sorted(
        set(Baseline.objects.filter(project=project).values_list("number", flat=True))
        - set(file_baselines)
    )
    return sorted(file_baselines), kept


def _update(*, actor, project, prepared: PreparedImport, run: PlanImport | None = None):
    # The update is its own module; it uses this one's helpers, so it is imported here.
    from .import_update import plan_update_by_uid

    result = plan_update_by_uid(actor=actor, project=project, prepared=prepared)
    if run is not None:
        PlanImport.objects.filter(pk=run.pk).update(
            state=PlanImport.State.SWITCHED,
            tasks=len(prepared.plan.tasks),
            finished_at=timezone.now(),
        )
        PlanImportFile.objects.filter(plan_import=run).delete()
    return result


def plan_export(*, actor, project, fmt: str) -> tuple[bytes, str, str]:
    """The plan as a file: (content, content type, file name)."""
    check_project(actor, project, P.PROJECT_VIEW)
    if fmt not in FORMATS:
        raise DomainError(_("Unknown export format '%s'.") % fmt)
    inputs = plan_inputs(project, plan_settings_get(project=project))
    try:
        schedule = schedule_plan(inputs.plan)
    except ScheduleError:
        schedule = None  # the file still carries the inputs; the dates come when it is fixed
    if fmt == "mspdi":
        parts = plan_file_parts(project, inputs, schedule)
        content = write_mspdi(
            inputs.plan,
            schedule,
            resources=parts.resources,
            assignments=parts.assignments,
            baselines=parts.baselines,
        )
    elif fmt == "json":
        content = write_plan_json(inputs.plan).encode()
    else:
        content = write_task_list(
            inputs.plan, schedule=schedule, format=fmt, minutes_per_day=inputs.plan.minutes_per_day
        )
    content_type, extension = FORMATS[fmt]
    return content, content_type, f"{project.code.lower()}-plan.{extension}"
