"""Importing a plan file into a plan by task UID (ADR 16): the "update" mode of an import.

Tasks the file and the plan share (same UID) are updated field by field, tasks new to the
plan are added, and the plan's tasks the file does not hold are kept, or deleted when the
importer asks for it. The dependencies and assignments of the file's tasks (their
predecessors, their resources) follow the file; those of the kept tasks stay. Calendars
are matched by name and left as they are; a calendar the plan lacks is added. Baselines
are handled as in a replace: those the file carries replace the plan's only where they
differ, under the same protection; the others are kept.

All in one transaction, each written row with its history row in the import's change set
("Imported from plan.xml"): a row the file leaves as it is gets none, so importing a file
exported from the plan changes nothing and records nothing.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from steerco.core.history import ChangeSet, change_set

from .models import ProjectPlan, Task, TaskAssignment, TaskLink, WorkCalendar
from .services import outline_numbers, outlook_refresh
from .transfer import (
    UPDATE,
    ImportReport,
    PreparedImport,
    _assignments,
    _resource_calendar,
    _save_calendars,
    replace_baselines,
    task_values,
)

#: Rows per UPDATE statement when many tasks change, and keys per ``IN (...)`` list (SQLite
#: takes at most 32,766 values in one statement).
UPDATE_BATCH = 500
KEYS_PER_QUERY = 5_000
#: The link fields the file sets.
LINK_FIELDS = ("type", "lag_minutes", "lag_percent", "lag_elapsed")


def plan_update_by_uid(*, actor, project, prepared: PreparedImport) -> ImportReport:
    """Update ``project``'s plan from the file of ``prepared`` by task UID (see the module).

    Call after ``transfer.import_prepare`` (mode UPDATE), which checked the file, the
    permission and the protected baselines; all or nothing.
    """
    plan, extras = prepared.plan, prepared.extras
    result = ImportReport(format=prepared.fmt, mode=UPDATE, tasks=len(plan.tasks))
    with transaction.atomic(), change_set(actor=actor, reason=prepared.reason) as changes:
        settings = ProjectPlan.objects.select_for_update().get(project=project)
        existing = {
            row.uid: row
            for row in Task.objects.select_for_update().filter(project=project).order_by("position")
        }
        in_file = {task.uid: task for task in plan.tasks}
        calendar_rows = _calendars(project, prepared)
        result.calendars = len({row.pk for row in calendar_rows.values()})
        _update_settings(settings, prepared, calendar_rows, actor)
        missing = [row for row in existing.values() if row.uid not in in_file]
        deleted = missing if prepared.delete_missing else []
        kept = [] if prepared.delete_missing else missing
        uid_of_pk = {row.pk: row.uid for row in existing.values()}
        # The file's tasks in its order, then the kept ones in theirs (under their parent).
        numbers = outline_numbers(
            [
                (task.uid, task.parent_uid if task.parent_uid in in_file else None)
                for task in plan.tasks
            ]
            + [(row.uid, uid_of_pk.get(row.parent_id)) for row in kept]
        )
        parent_uid = {uid: None for uid in numbers}
        parent_uid.update(
            {task.uid: task.parent_uid for task in plan.tasks if task.parent_uid in in_file}
        )
        parent_uid.update({row.uid: uid_of_pk.get(row.parent_id) for row in kept})
        calendar_ids = {key: row.pk for key, row in calendar_rows.items()}
        notes = extras.get("notes") or {}
        wanted = {}
        for task in plan.tasks:
            values = task_values(task, numbers[task.uid], calendar_ids)
            if task.uid in notes:
                values["notes"] = notes[task.uid]
            wanted[task.uid] = values
        for row in kept:
            position, level, wbs = numbers[row.uid]
            wanted[row.uid] = {"position": position, "outline_level": level, "wbs": wbs}
        rows = _write_tasks(project, existing, wanted, parent_uid, in_file, changes, result)
        result.kept = len(kept)
        _write_links(project, plan, rows, in_file, changes, result)
        if deleted:
            _delete_tasks(deleted, changes)
            result.deleted = len(deleted)
        if extras.get("mspdi"):
            _write_assignments(
                project, extras["mspdi"], rows, in_file, calendar_rows, result, changes
            )
        written, kept_baselines = replace_baselines(
            actor=actor,
            project=project,
            prepared=prepared,
            names={uid: row.name for uid, row in rows.items() if uid in numbers},
            changes=changes,
        )
        result.baselines, result.baselines_kept = len(written), kept_baselines
        outlook_refresh(project=project)
    return result


def _calendars(project, prepared: PreparedImport) -> dict[int, WorkCalendar]:
    """The file's calendars as the project's rows (id(engine calendar) → row): matched by
    name among the project's and the organisation's calendars, added where none matches."""
    if prepared.keeps_calendars:
        return {}
    known: dict[str, WorkCalendar] = {}
    # The project's own calendars first, so one of theirs wins over a same-named base.
    for row in WorkCalendar.objects.filter(Q(project=project) | Q(project__isnull=True)).order_by(
        "project_id"
    ):
        if row.project_id is not None or row.name not in known:
            known[row.name] = row
    project_file = prepared.extras.get("mspdi")
    resource_calendars = (
        [
            calendar
            for resource in project_file.resources
            if (calendar := _resource_calendar(project_file, resource)) is not None
        ]
        if project_file
        else []
    )
    return _save_calendars(project, prepared.plan, resource_calendars, staged=None, known=known)


def _update_settings(settings: ProjectPlan, prepared, calendar_rows, actor) -> None:
    """The file's project start, status date and scheduling options, where they differ."""
    if prepared.keeps_calendars:
        return
    plan = prepared.plan
    values = {
        "start": plan.start,
        "status_date": plan.status_date,
        "minutes_per_day": plan.minutes_per_day,
        "honor_constraints": plan.honor_constraints,
    }
    if settings.calendar_id is None:
        values["calendar"] = calendar_rows.get(id(plan.calendar))
    changed = {name: value for name, value in values.items() if getattr(settings, name) != value}
    if changed:
        for name, value in changed.items():
            setattr(settings, name, value)
        settings.version += 1
        settings._history_user = actor
        settings.save()


def _write_tasks(
    project, existing, wanted, parent_uid, in_file, changes: ChangeSet, result
) -> dict:
    """Add the new tasks (parents first) and update the others where a value differs
    (a kept task only where its place in the outline moved); return every task by uid."""
    rows = dict(existing)
    new = [uid for uid in wanted if uid not in existing]

    def depth(uid: int) -> int:
        level = 0
        while (uid := parent_uid.get(uid)) is not None:
            level += 1
        return level

    for level in sorted({depth(uid) for uid in new}):
        batch = []
        for uid in new:
            if depth(uid) == level:
                parent = parent_uid.get(uid)
                batch.append(
                    Task(
                        project=project,
                        parent_id=rows[parent].pk if parent is not None else None,
                        **wanted[uid],
                    )
                )
        for row in changes.bulk_create(Task, batch):
            rows[row.uid] = row
    result.added = len(new)
    updated, fields = [], set()
    for uid, values in wanted.items():
        if uid not in existing:
            continue
        row = existing[uid]
        parent = parent_uid.get(uid)
        values = {**values, "parent_id": rows[parent].pk if parent is not None else None}
        changed = {name for name, value in values.items() if getattr(row, name) != value}
        if changed:
            for name in changed:
                setattr(row, name, values[name])
            row.version += 1
            fields |= changed | {"version"}
            updated.append(row)
    for start in range(0, len(updated), UPDATE_BATCH):
        batch = updated[start : start + UPDATE_BATCH]
        Task.objects.bulk_update(batch, sorted(fields))
        changes.record_updates(Task, batch)
    # A kept task renumbered is still a kept task, not one the file updated.
    result.updated = sum(1 for row in updated if row.uid in in_file)
    return rows


def _write_links(project, plan, rows, in_file, changes: ChangeSet, result) -> None:
    """The predecessors of the file's tasks become the file's: links added, changed where a
    value differs, removed where the file has none; the kept tasks' links stay."""
    pk_of = {uid: row.pk for uid, row in rows.items()}
    uid_of = {row.pk: uid for uid, row in rows.items()}
    wanted = {
        (link.predecessor_uid, link.successor_uid): {
            "type": link.type.value,
            "lag_minutes": link.lag_minutes,
            "lag_percent": link.lag_percent,
            "lag_elapsed": link.lag_elapsed,
        }
        for link in plan.links
    }
    removed, changed = [], []
    for link in TaskLink.objects.select_for_update().filter(project=project):
        key = (uid_of.get(link.predecessor_id), uid_of.get(link.successor_id))
        if key[1] not in in_file:
            continue
        values = wanted.pop(key, None)
        if values is None:
            removed.append(link.pk)
            continue
        if any(_differs(getattr(link, name), value) for name, value in values.items()):
            for name, value in values.items():
                setattr(link, name, value)
            link.version += 1
            changed.append(link)
    for keys in _chunks(removed):
        changes.delete(TaskLink.objects.filter(pk__in=keys))
    for start in range(0, len(changed), UPDATE_BATCH):
        batch = changed[start : start + UPDATE_BATCH]
        TaskLink.objects.bulk_update(batch, [*LINK_FIELDS, "version"])
        changes.record_updates(TaskLink, batch)
    changes.bulk_create(
        TaskLink,
        [
            TaskLink(
                project=project,
                predecessor_id=pk_of[predecessor],
                successor_id=pk_of[successor],
                **values,
            )
            for (predecessor, successor), values in wanted.items()
        ],
        batch_size=UPDATE_BATCH,
    )
    result.links = len(plan.links)


def _differs(stored, value) -> bool:
    if stored is None or value is None:
        return stored is not value
    return float(stored) != float(value) if not isinstance(stored, bool) else stored != value


def _chunks(keys: list[int]) -> list[list[int]]:
    return [keys[start : start + KEYS_PER_QUERY] for start in range(0, len(keys), KEYS_PER_QUERY)]


def _delete_tasks(deleted: list[Task], changes: ChangeSet) -> None:
    """Delete the tasks the file does not hold, with their links and assignments."""
    batches = _chunks([row.pk for row in deleted])
    for keys in batches:
        changes.delete(
            TaskLink.objects.filter(Q(predecessor_id__in=keys) | Q(successor_id__in=keys))
        )
        changes.delete(TaskAssignment.objects.filter(task_id__in=keys))
    for keys in batches:
        changes.delete(Task.objects.filter(pk__in=keys))


def _write_assignments(
    project, project_file, rows, in_file, calendar_rows, result, changes: ChangeSet
) -> None:
    """The file's tasks' assignments become the file's, task by task where they differ,
    each removed and added assignment with its history row."""
    wanted, notes = _assignments(project_file, {uid: rows[uid] for uid in in_file}, calendar_rows)
    result.notes += notes

    def key(assignment: TaskAssignment) -> tuple:
        return (
            assignment.resource_name,
            assignment.person_id,
            assignment.calendar_id,
            float(assignment.units),
            assignment.work_minutes,
            assignment.contoured,
        )

    per_task: dict[int, list[TaskAssignment]] = {}
    for assignment in wanted:
        per_task.setdefault(assignment.task_id, []).append(assignment)
    stored: dict[int, list[TaskAssignment]] = {}
    file_tasks = [rows[uid].pk for uid in in_file]
    # The whole plan's assignments, not an IN list of the file's tasks (too long for SQLite).
    for assignment in TaskAssignment.objects.filter(task__project=project):
        stored.setdefault(assignment.task_id, []).append(assignment)
    replaced, added, changed_tasks = [], [], 0
    for task_id in file_tasks:
        new = per_task.get(task_id, [])
        old = stored.get(task_id, [])
        if sorted(map(key, new)) != sorted(map(key, old)):
            replaced += [assignment.pk for assignment in old]
            added += new
            changed_tasks += 1
    for keys in _chunks(replaced):
        changes.delete(TaskAssignment.objects.filter(pk__in=keys))
    changes.bulk_create(TaskAssignment, added, batch_size=UPDATE_BATCH)
    result.assignments = len(wanted)
    if changed_tasks:
        result.notes.append(
            _("The assignments of %(n)d task(s) now follow the file.") % {"n": changed_tasks}
        )
