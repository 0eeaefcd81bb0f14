"""Writes to a project's plan. Each keeps the plan schedulable: a change that would
create a dependency loop is refused with the loop named, and nothing is saved.

Permissions: ``P.PLAN_CHANGE`` for structure and dates; a team member may update
progress of their own tasks (``accounts.rules.may_update_progress``).

Every write that can move a date leaves the project's stored outlook (``PlanOutlook``)
as the plan now schedules: most through ``_check_schedulable``, which computes the
schedule anyway; the others call ``outlook_refresh``.

History: every write records who made it. A write of several rows (adding, deleting,
indenting, outdenting or moving a task renumbers the rows below; setting a task's
predecessors) runs in one ``core.history.change_set``, so the project's history shows it
as one change.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, fields

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from steerco.accounts.rules import P, check_project, has_perm, may_update_progress
from steerco.core.exceptions import DomainError, ObjectGone, VersionConflict
from steerco.core.history import ChangeSet, change_set
from steerco.core.versioning import locked_at_version, versioned_delete, versioned_update
from steerco.engine.scheduling import ScheduleCycleError, ScheduleError, schedule_plan
from steerco.engine.scheduling.assignment_notation import (
    AssignmentNotationError,
    ResourceEntry,
    parse_resources,
)
from steerco.engine.scheduling.resources import fixed_units_work
from steerco.resources.selectors import people_named

from .adapters import Unschedulable, default_plan_start, engine_plan, plan_inputs
from .models import (
    Baseline,
    BaselineTask,
    OutlinePreference,
    PlanOutlook,
    ProjectPlan,
    Task,
    TaskAssignment,
    TaskLink,
)
from .selectors import (
    APPROVED_BASELINE,
    OutlookFigures,
    ProjectOutlook,
    ScheduledPlan,
    assigned_person_ids,
    outlook_figures,
    outlook_of,
    plan_scheduled,
    plan_settings_get,
)

#: Told the plan each time a write schedules it (``ScheduledPlan``), in the write's
#: transaction: the last one told is the plan as the write left it, for a page to draw
#: without scheduling it again (``selectors.plan_view(computed=...)``).
OnScheduled = Callable[[ScheduledPlan], None]

TASK_FIELDS = (
    "name",
    "duration_minutes",
    "elapsed",
    "milestone",
    "manual",
    "manual_start",
    "manual_finish",
    "constraint_type",
    "constraint_date",
    "deadline",
    "calendar",
    "percent_complete",
    "actual_start",
    "actual_finish",
    "remaining_duration_minutes",
    "notes",
)
PROGRESS_FIELDS = {
    "percent_complete",
    "actual_start",
    "actual_finish",
    "remaining_duration_minutes",
}
PLAN_FIELDS = (
    "start",
    "calendar",
    "status_date",
    "minutes_per_day",
    "minutes_per_week",
    "honor_constraints",
)


def plan_settings(project, *, actor=None) -> ProjectPlan:
    """The project's plan settings, created with defaults on first use (by ``actor``, as
    the history says; pass them whenever a person's write causes it)."""
    settings = ProjectPlan.objects.filter(project=project).first()
    if settings is not None:
        return settings
    settings = ProjectPlan(project=project, start=default_plan_start(project))
    settings._history_user = actor
    try:
        with transaction.atomic():
            settings.save()
    except IntegrityError:  # created meanwhile by a concurrent first use
        return ProjectPlan.objects.get(project=project)
    return settings


def _schedule_or_refuse(plan):
    """Schedule ``plan``, or refuse with the engine's reason (a loop also marks the field)."""
    try:
        return schedule_plan(plan)
    except ScheduleCycleError as error:
        raise Unschedulable(error, fields={"predecessors": [str(error)]}) from None
    except ScheduleError as error:
        raise Unschedulable(error) from None


def _check_schedulable(project, on_scheduled: OnScheduled | None = None) -> ScheduledPlan:
    """Raise DomainError if the plan as it now stands in this transaction cannot be
    scheduled; otherwise store the outlook of the schedule just computed, and return it
    (telling ``on_scheduled`` too)."""
    settings = plan_settings(project)
    inputs = plan_inputs(project, settings)
    schedule = _schedule_or_refuse(inputs.plan)
    _store_outlook(
        project, outlook_figures(project=project, plan=inputs.plan, schedule=schedule, error=None)
    )
    scheduled = ScheduledPlan(settings, inputs, schedule, None)
    if on_scheduled is not None:
        on_scheduled(scheduled)
    return scheduled


def outline_numbers(items: list[tuple[int, int | None]]) -> dict[int, tuple[int, int, str]]:
    """Position, outline level and WBS code of each row, from (key, parent key) pairs in
    sibling order: {key: (position, level, "1.2.3")}. A parent key that is not among the
    keys makes its row a top-level row."""
    keys = {key for key, _parent in items}
    children: dict[int | None, list[int]] = {}
    for key, parent in items:
        children.setdefault(parent if parent in keys else None, []).append(key)
    numbers: dict[int, tuple[int, int, str]] = {}

    def walk(parent, level: int, prefix: str) -> None:
        for index, key in enumerate(children.get(parent, []), start=1):
            code = f"{prefix}{index}"
            numbers[key] = (len(numbers) + 1, level, code)
            walk(key, level + 1, code + ".")

    walk(None, 1, "")
    return numbers


def _renumber(
    project,
    changes: ChangeSet,
    *,
    parents: dict[int, int | None] | None = None,
    order: dict[int, float] | None = None,
    adding: Task | None = None,
) -> None:
    """Recompute position, outline level and WBS codes from the parent/sibling order.

    ``parents`` ({task id: new parent id}) and ``order`` ({task id: sort key used instead
    of its position}) are the structural edit being made: they are written here with the
    numbering they cause, so every row that changes gets one UPDATE and one history row in
    ``changes``. ``adding`` is a new, unsaved task that goes before the row now at its
    ``position``: it is numbered, then saved, so its history starts with its numbers.
    """
    parents = parents or {}
    order = order or {}
    rows = list(Task.objects.filter(project=project))
    stored = {row.pk: (row.parent_id, row.position, row.outline_level, row.wbs) for row in rows}
    for row in rows:
        if row.pk in parents:
            row.parent_id = parents[row.pk]
    new_key = 0  # primary keys start at 1
    if adding is not None:
        rows.append(adding)
        order[new_key] = adding.position - 0.5

    def key_of(row: Task) -> int:
        return new_key if row is adding else row.pk

    rows.sort(key=lambda row: (order.get(key_of(row), row.position), key_of(row)))
    numbers = outline_numbers([(key_of(row), row.parent_id) for row in rows])
    changed = []
    for row in rows:
        row.position, row.outline_level, row.wbs = numbers[key_of(row)]
        if row is not adding and (
            (row.parent_id, row.position, row.outline_level, row.wbs) != stored[row.pk]
        ):
            changed.append(row)
    if adding is not None:
        adding.save()
    # One small UPDATE per changed row: Django's bulk_update builds CASE expressions whose
    # cost grows with rows × fields and was the slowest step of every structural edit.
    for row in changed:
        Task.objects.filter(pk=row.pk).update(
            parent_id=row.parent_id,
            position=row.position,
            outline_level=row.outline_level,
            wbs=row.wbs,
        )
    changes.record_updates(Task, changed, batch_size=1000)


def _subtree_end(project, task: Task) -> int:
    """Position of the last row of ``task``'s subtree (outline order)."""
    rows = Task.objects.filter(project=project, position__gt=task.position).order_by("position")
    last = task.position
    for row in rows.only("position", "outline_level"):
        if row.outline_level <= task.outline_level:
            break
        last = row.position
    return last


def task_create(
    *,
    actor,
    project,
    name: str,
    duration_minutes: int | None = None,
    after: Task | None = None,
    parent: Task | None = None,
    **fields,
) -> Task:
    """Add a task after ``after`` (as its sibling) or as the last child of ``parent``.

    Without either, the task goes at the end of the plan at the top level. Without a
    duration it lasts one day (480 minutes), or nothing if it is a milestone.
    """
    check_project(actor, project, P.PLAN_CHANGE)
    unknown = set(fields) - set(TASK_FIELDS)
    if unknown:
        raise DomainError(_("Unknown task fields: %s") % ", ".join(sorted(unknown)))
    for anchor in (after, parent):
        if anchor is not None and anchor.project_id != project.pk:
            raise DomainError(_("That task belongs to another project."))
    reason = f"Added task '{(name or '').strip()}'"
    with transaction.atomic(), change_set(actor=actor, reason=reason) as changes:
        plan_settings(project, actor=actor)
        next_uid = (Task.objects.filter(project=project).aggregate(m=Max("uid"))["m"] or 0) + 1
        if after is not None:
            parent_id = after.parent_id
            position = _subtree_end(project, after) + 1
        elif parent is not None:
            parent_id = parent.pk
            position = _subtree_end(project, parent) + 1
        else:
            parent_id = None
            position = (
                Task.objects.filter(project=project).aggregate(m=Max("position"))["m"] or 0
            ) + 1
        if duration_minutes is None:
            duration_minutes = 0 if fields.get("milestone") else 480
        task = Task(
            project=project,
            uid=next_uid,
            parent_id=parent_id,
            position=position,
            name=(name or "").strip(),
            duration_minutes=duration_minutes,
            **fields,
        )
        task.full_clean(exclude=["wbs"])
        task._history_user = actor
        _renumber(project, changes, adding=task)
        # A new task has no dependencies yet, but its dates, constraint or duration may
        # still put the plan beyond what can be scheduled.
        _check_schedulable(project)
        task.refresh_from_db()
    return task


def task_update(
    *, actor, task: Task, expected_version: int, on_scheduled: OnScheduled | None = None, **changes
) -> Task:
    """Change a task's fields. Team members may change only the progress of their own tasks.
    ``on_scheduled`` is told the plan as the change leaves it."""
    unknown = set(changes) - set(TASK_FIELDS)
    if unknown:
        raise DomainError(_("Unknown task fields: %s") % ", ".join(sorted(unknown)))
    project = task.project
    if not has_perm(actor, P.PLAN_CHANGE, project):
        own = may_update_progress(
            actor, project, assigned_person_ids=assigned_person_ids(task=task)
        )
        if not own or set(changes) - PROGRESS_FIELDS:
            check_project(actor, project, P.PLAN_CHANGE)  # raises 404 or 403 as usual
    old_duration = task.duration_minutes
    with transaction.atomic():
        versioned_update(
            task,
            expected_version=expected_version,
            changes=changes,
            actor=actor,
            validate_exclude=["wbs"],
        )
        if task.duration_minutes != old_duration:
            _rework_assignments(task, actor=actor)
        _check_schedulable(project, on_scheduled)
    return task


def _rework_assignments(task: Task, *, actor) -> None:
    """After the task's duration changed: each assignment's work is the new duration times
    its units, as Project recomputes a fixed-units task's work (work reshaped by hand,
    ``contoured``, is left as it is)."""
    for assignment in TaskAssignment.objects.filter(task=task, contoured=False):
        work = fixed_units_work(task.duration_minutes, assignment.units)
        if work != assignment.work_minutes:
            assignment.work_minutes = work
            assignment._history_user = actor
            assignment.save(update_fields=["work_minutes"])


def task_resources_set(
    *,
    actor,
    task: Task,
    text: str,
    expected_version: int,
    on_scheduled: OnScheduled | None = None,
) -> list[TaskAssignment]:
    """Make the task's assignments those of the Resource Names ``text`` (``Priya[50%],
    Tom``, MS Project's notation), if the task is still at ``expected_version``.

    Each name is a person of the directory (active, the same name whatever the case;
    contractors without a login included). A name already assigned to this task by name
    alone (an imported file's resource no person matched) stays as it is. Each
    assignment's work is the task's duration times its units, as for Project's fixed-units
    tasks; a person new to the task works on the calendar they follow on the plan's other
    tasks, if any. Assignments not named any more are removed. Everything in one change
    set; nothing is written if any name is refused. Raises DomainError (the field
    ``resources`` says why), VersionConflict or ObjectGone. ``on_scheduled`` is told the
    plan as the change leaves it (nothing when nothing changed).
    """
    try:
        entries = parse_resources(text)
    except AssignmentNotationError as error:
        raise DomainError(str(error), fields={"resources": [str(error)]}) from None
    return task_assignments_set(
        actor=actor,
        task=task,
        entries=entries,
        expected_version=expected_version,
        on_scheduled=on_scheduled,
    )


def task_assignments_set(
    *,
    actor,
    task: Task,
    entries: list[ResourceEntry],
    expected_version: int,
    on_scheduled: OnScheduled | None = None,
) -> list[TaskAssignment]:
    """``task_resources_set`` for entries already parsed (the API's structured list)."""
    project = task.project
    check_project(actor, project, P.PLAN_CHANGE)
    current = {
        _resource_key(assignment): assignment
        for assignment in TaskAssignment.objects.filter(task=task)
    }
    wanted = _resolve_resources(entries, current)
    if wanted and Task.objects.filter(parent=task).exists():
        message = _(
            "'%(name)s' is a summary task: assign resources to its subtasks, whose work it adds up."
        ) % {"name": task.name}
        raise DomainError(message, fields={"resources": [message]})
    reason = f"Set the resources of task '{task.name}'"
    with transaction.atomic(), change_set(actor=actor, reason=reason):
        locked = locked_at_version(task, expected_version=expected_version)
        changed = False
        for key, assignment in current.items():
            if key not in wanted:
                assignment._history_user = actor
                assignment.delete()
                changed = True
        calendars = _resource_calendars(project, [key for key in wanted if key not in current])
        kept = []
        for key, (name, person, units) in wanted.items():
            work = fixed_units_work(locked.duration_minutes, units)
            assignment = current.get(key)
            if assignment is None:
                assignment = TaskAssignment(
                    task=task,
                    resource_name=name[:200],
                    person=person,
                    calendar_id=calendars.get(key),
                    units=units,
                    work_minutes=work,
                )
            elif assignment.units == units and assignment.resource_name == name[:200]:
                kept.append(assignment)
                continue
            else:
                # The directory may have renamed the person since: the row follows it.
                assignment.resource_name = name[:200]
                assignment.units = units
                if not assignment.contoured:
                    assignment.work_minutes = work
            assignment.full_clean(exclude=["task", "staged_import"])
            assignment._history_user = actor
            assignment.save()
            kept.append(assignment)
            changed = True
        if changed:
            Task.objects.filter(pk=task.pk).update(version=F("version") + 1)
            task.version = locked.version + 1
            _check_schedulable(project, on_scheduled)
        else:
            task.version = locked.version
    return sorted(kept, key=lambda assignment: assignment.resource_name.casefold())


def _resource_key(assignment: TaskAssignment) -> tuple:
    """What makes two assignments of a task the same resource: the person, or for a
    resource known by name alone, its name."""
    if assignment.person_id is not None:
        return ("person", assignment.person_id)
    return ("name", assignment.resource_name.casefold())


def _resolve_resources(entries: list[ResourceEntry], current: dict) -> dict:
    """{resource key: (name, person or None, units)} for ``entries``, each name found in
    the directory; refuses the names nobody has, and those several people share."""
    named_only = {key[1] for key in current if key[0] == "name"}
    people = people_named(entry.name for entry in entries)
    wanted: dict[tuple, tuple] = {}
    unknown, ambiguous = [], []
    for entry in entries:
        key = entry.name.casefold()
        found = people.get(key, [])
        if len(found) == 1:
            person = found[0]
            wanted[("person", person.pk)] = (person.name, person, entry.units)
        elif len(found) > 1:
            ambiguous.append(
                _("%(n)s people are called '%(name)s' in the directory (%(who)s)")
                % {
                    "n": len(found),
                    "name": entry.name,
                    "who": "; ".join(
                        ", ".join(part for part in (p.name, p.team, p.email) if part) for p in found
                    ),
                }
            )
        elif key in named_only:
            wanted[("name", key)] = (entry.name, None, entry.units)
        else:
            unknown.append(entry.name)
    problems = []
    for name in unknown:
        problems.append(
            _(
                "No one called '%(name)s' in the directory. Check the spelling, or add them "
                "on the People page first (a contractor needs no login)."
            )
            % {"name": name}
        )
    for text in ambiguous:
        problems.append(
            text + ". " + _("Rename one of them in the directory so the plan can tell them apart.")
        )
    if problems:
        raise DomainError(" ".join(problems), fields={"resources": problems})
    return wanted


def _resource_calendars(project, keys: list[tuple]) -> dict[tuple, int]:
    """The calendar each of these people follows on the plan's other tasks (a night-shift
    worker's own calendar, from an imported file), by resource key; one query."""
    person_ids = [key[1] for key in keys if key[0] == "person"]
    if not person_ids:
        return {}
    return {
        ("person", person_id): calendar_id
        for person_id, calendar_id in TaskAssignment.objects.filter(
            task__project=project, person_id__in=person_ids, calendar__isnull=False
        ).values_list("person_id", "calendar_id")
    }


def task_delete(*, actor, task: Task, expected_version: int) -> None:
    """Delete a task with its subtasks and their links, if still at ``expected_version``.

    Raises VersionConflict if someone saved the task since, ObjectGone if it is gone.
    """
    project = task.project
    check_project(actor, project, P.PLAN_CHANGE)
    with (
        transaction.atomic(),
        change_set(actor=actor, reason=f"Deleted task '{task.name}'") as changes,
    ):
        versioned_delete(task, expected_version=expected_version, actor=actor)
        _renumber(project, changes)
        outlook_refresh(project=project)


def _siblings(task: Task):
    return Task.objects.filter(project_id=task.project_id, parent_id=task.parent_id).order_by(
        "position"
    )


def task_indent(*, actor, task: Task) -> Task:
    """Make the task a child of the sibling above it (that sibling becomes a summary)."""
    check_project(actor, task.project, P.PLAN_CHANGE)
    above = _siblings(task).filter(position__lt=task.position).last()
    if above is None:
        raise DomainError(_("The first task of a level cannot be indented."))
    reason = f"Indented task '{task.name}'"
    with transaction.atomic(), change_set(actor=actor, reason=reason) as changes:
        _renumber(task.project, changes, parents={task.pk: above.pk})
        _check_schedulable(task.project)
    task.refresh_from_db()
    return task


def task_outdent(*, actor, task: Task) -> Task:
    """Move the task up one outline level; the siblings below it become its children."""
    check_project(actor, task.project, P.PLAN_CHANGE)
    if task.parent_id is None:
        raise DomainError(_("This task is already at the top level."))
    parent = task.parent
    reason = f"Outdented task '{task.name}'"
    with transaction.atomic(), change_set(actor=actor, reason=reason) as changes:
        below = _siblings(task).filter(position__gt=task.position).values_list("pk", flat=True)
        new_parents = {pk: task.pk for pk in below}
        new_parents[task.pk] = parent.parent_id
        _renumber(task.project, changes, parents=new_parents)
        _check_schedulable(task.project)
    task.refresh_from_db()
    return task


def task_move(*, actor, task: Task, direction: str) -> Task:
    """Swap the task (with its subtree) with the sibling above (``up``) or below (``down``)."""
    check_project(actor, task.project, P.PLAN_CHANGE)
    siblings = list(_siblings(task))
    index = next(i for i, s in enumerate(siblings) if s.pk == task.pk)
    other_index = index - 1 if direction == "up" else index + 1
    if direction not in ("up", "down") or not 0 <= other_index < len(siblings):
        raise DomainError(_("The task cannot move further %s.") % direction)
    siblings[index], siblings[other_index] = siblings[other_index], siblings[index]
    reason = f"Moved task '{task.name}' {direction}"
    with transaction.atomic(), change_set(actor=actor, reason=reason) as changes:
        # The siblings sort in their new order; descendants keep their positions, and the
        # walk in _renumber groups rows by parent, so the subtrees follow their roots.
        base = siblings[0].position
        order = {sibling.pk: base + index for index, sibling in enumerate(siblings)}
        _renumber(task.project, changes, order=order)
        outlook_refresh(project=task.project)
    task.refresh_from_db()
    return task


def link_create(
    *,
    actor,
    project,
    predecessor: Task,
    successor: Task,
    type: int = TaskLink.Type.FS,
    lag_minutes: int = 0,
    lag_percent=None,
    lag_elapsed: bool = False,
    on_scheduled: OnScheduled | None = None,
) -> TaskLink:
    check_project(actor, project, P.PLAN_CHANGE)
    if predecessor.project_id != project.pk or successor.project_id != project.pk:
        raise DomainError(_("Both tasks of a dependency must belong to this project."))
    if predecessor.pk == successor.pk:
        raise DomainError(
            _("Task '%(name)s' cannot depend on itself.") % {"name": successor.name},
            fields={"predecessor": [_("A task cannot depend on itself.")]},
        )
    if TaskLink.objects.filter(predecessor=predecessor, successor=successor).exists():
        raise DomainError(
            _("'%(s)s' already depends on '%(p)s'; change that dependency instead.")
            % {"s": successor.name, "p": predecessor.name}
        )
    with transaction.atomic():
        link = TaskLink(
            project=project,
            predecessor=predecessor,
            successor=successor,
            type=type,
            lag_minutes=lag_minutes,
            lag_percent=lag_percent,
            lag_elapsed=lag_elapsed,
        )
        link.full_clean()
        link._history_user = actor
        link.save()
        _check_schedulable(project, on_scheduled)
    return link


def link_update(
    *,
    actor,
    link: TaskLink,
    expected_version: int,
    on_scheduled: OnScheduled | None = None,
    **changes,
) -> TaskLink:
    check_project(actor, link.project, P.PLAN_CHANGE)
    allowed = {"type", "lag_minutes", "lag_percent", "lag_elapsed"}
    unknown = set(changes) - allowed
    if unknown:
        raise DomainError(_("Unknown dependency fields: %s") % ", ".join(sorted(unknown)))
    with transaction.atomic():
        versioned_update(link, expected_version=expected_version, changes=changes, actor=actor)
        _check_schedulable(link.project, on_scheduled)
    return link


def link_delete(
    *, actor, link: TaskLink, expected_version: int, on_scheduled: OnScheduled | None = None
) -> None:
    """Delete a dependency if still at ``expected_version`` (VersionConflict otherwise)."""
    check_project(actor, link.project, P.PLAN_CHANGE)
    with transaction.atomic():
        versioned_delete(link, expected_version=expected_version, actor=actor)
        outlook_refresh(project=link.project, on_scheduled=on_scheduled)


def task_predecessors_set(
    *,
    actor,
    task: Task,
    predecessors: list[tuple[Task, object]],
    on_scheduled: OnScheduled | None = None,
) -> None:
    """Make the task's predecessors exactly ``predecessors``: (predecessor task, entry)
    pairs, where an entry (a parsed "3FS+2d") has ``type``, ``lag_minutes``,
    ``lag_percent`` and ``lag_elapsed``. Links not wanted are deleted, new ones created,
    changed ones updated; one change set, refused whole if any write is refused.
    ``on_scheduled`` is told the plan after each write (nothing when nothing changed)."""
    project = task.project
    check_project(actor, project, P.PLAN_CHANGE)
    reason = f"Set the predecessors of task '{task.name}'"
    with transaction.atomic(), change_set(actor=actor, reason=reason):
        current = {link.predecessor_id: link for link in TaskLink.objects.filter(successor=task)}
        wanted = {predecessor.pk: (predecessor, entry) for predecessor, entry in predecessors}
        # Removals first, so replacing a link never looks like a loop halfway through.
        for predecessor_id, link in current.items():
            if predecessor_id not in wanted:
                link_delete(
                    actor=actor, link=link, expected_version=link.version, on_scheduled=on_scheduled
                )
        for predecessor_id, (predecessor, entry) in wanted.items():
            values = {
                "type": int(entry.type.value),
                "lag_minutes": entry.lag_minutes,
                "lag_percent": entry.lag_percent,
                "lag_elapsed": entry.lag_elapsed,
            }
            link = current.get(predecessor_id)
            if link is None:
                link_create(
                    actor=actor,
                    project=project,
                    predecessor=predecessor,
                    successor=task,
                    on_scheduled=on_scheduled,
                    **values,
                )
                continue
            stored_percent = float(link.lag_percent) if link.lag_percent is not None else None
            stored = (link.type, link.lag_minutes, stored_percent, link.lag_elapsed)
            if stored != tuple(values.values()):
                link_update(
                    actor=actor,
                    link=link,
                    expected_version=link.version,
                    on_scheduled=on_scheduled,
                    **values,
                )


def plan_update(*, actor, project, expected_version: int, **changes) -> ProjectPlan:
    check_project(actor, project, P.PLAN_CHANGE)
    unknown = set(changes) - set(PLAN_FIELDS)
    if unknown:
        raise DomainError(_("Unknown plan fields: %s") % ", ".join(sorted(unknown)))
    settings = plan_settings(project, actor=actor)
    with transaction.atomic():
        versioned_update(settings, expected_version=expected_version, changes=changes, actor=actor)
        _check_schedulable(project)
    return settings


def baseline_save(
    *,
    actor,
    project,
    number: int = 0,
    name: str = "",
    expected_version: int | None = None,
    protect: bool | None = None,
    reason: str = "",
) -> Baseline:
    """Save baseline ``number`` (0–10) from the current schedule, or overwrite it.

    A number not yet saved is created when ``expected_version`` is None. One already
    saved is overwritten only if ``expected_version`` is its version: otherwise (also
    when the caller believed the number free) VersionConflict carries the stored baseline
    and nothing is written. Concurrent saves of one number therefore serialise: exactly
    one succeeds per version, on the conditional version bump of
    ``core.versioning.versioned_update`` or on the unique number for a first save.

    Protection (``_check_protection``): ``protect`` None keeps a baseline's protection
    and protects a new baseline 0 saved by someone who may overwrite protected ones.
    """
    check_project(actor, project, P.PLAN_CHANGE)
    if not 0 <= int(number) <= 10:
        raise DomainError(_("Baselines are numbered 0 to 10."), fields={"number": [_("0–10")]})
    reason = (reason or "").strip()
    existing = Baseline.objects.filter(project=project, number=number).first()
    if existing is not None and expected_version != existing.version:
        raise _baseline_conflict(existing, expected_version)
    if existing is None and expected_version is not None:
        raise ObjectGone(Baseline)
    protected = _check_protection(
        actor, project, number=number, existing=existing, protect=protect, reason=reason
    )
    inputs = plan_inputs(project, plan_settings(project, actor=actor))
    schedule = _schedule_or_refuse(inputs.plan)
    between = inputs.plan.calendar.working_minutes_between
    values = {
        "name": name or f"Baseline {number}",
        "saved_by": actor,
        # Always a change: an overwrite is a new snapshot even when its dates are the
        # same, so it must bump the version however versioned_update treats no-ops.
        "saved_at": timezone.now(),
        "project_start": schedule.start,
        "project_finish": schedule.finish,
        "protected": protected,
        "reason": reason,
    }
    history_reason = (
        _("Saved baseline %(n)s") if existing is None else _("Overwrote baseline %(n)s")
    ) % {"n": number}
    if reason:
        history_reason = f"{history_reason}: {reason}"
    with transaction.atomic(), change_set(actor=actor, reason=history_reason):
        if existing is None:
            baseline = Baseline(project=project, number=number, **values)
            baseline._history_user = actor
            try:
                with transaction.atomic():
                    baseline.save()
            except IntegrityError:  # saved meanwhile by a concurrent first save
                current = Baseline.objects.filter(project=project, number=number).first()
                raise _baseline_conflict(current, None) from None
        else:
            baseline = versioned_update(
                existing, expected_version=expected_version, changes=values, actor=actor
            )
            baseline.tasks.all().delete()
        names = {row.uid: row.name for row in inputs.rows}
        BaselineTask.objects.bulk_create(
            [
                BaselineTask(
                    baseline=baseline,
                    task_uid=uid,
                    name=names.get(uid, ""),
                    start=result.start,
                    finish=result.finish,
                    duration_minutes=between(result.start, result.finish),
                )
                for uid, result in schedule.tasks.items()
            ],
            batch_size=1000,
        )
        if number == APPROVED_BASELINE:
            figures = outlook_figures(
                project=project, plan=inputs.plan, schedule=schedule, error=None
            )
            _store_outlook(project, figures)
    return baseline


def _baseline_conflict(current: Baseline | None, sent_version: int | None) -> DomainError:
    """The refusal of a save that did not name the stored baseline's version."""
    if current is None:
        return ObjectGone(Baseline)
    conflict = VersionConflict(current, sent_version=sent_version)
    if sent_version is None:
        conflict.message = _(
            "Baseline %(n)s is already saved (version %(v)s, %(name)s): to overwrite it, "
            "send the version you reviewed."
        ) % {"n": current.number, "v": current.version, "name": current}
    return conflict


def _check_protection(actor, project, *, number, existing, protect, reason) -> bool:
    """Whether the baseline is protected after this save, if ``actor`` may make it so.

    Only baseline 0, the approved baseline, can be protected. Overwriting a protected
    baseline, protecting one or lifting the protection needs
    ``P.BASELINE_PROTECTED_OVERWRITE``; overwriting a protected one also needs a reason.
    """
    may_protect = has_perm(actor, P.BASELINE_PROTECTED_OVERWRITE, project)
    was_protected = existing is not None and existing.protected
    if protect is None:
        protected = was_protected if existing is not None else (number == 0 and may_protect)
    else:
        protected = protect
    if protected and number != 0:
        raise DomainError(
            _("Only baseline 0, the approved baseline, can be protected."),
            fields={"protected": [_("Baseline 0 only.")]},
        )
    if (was_protected or protected != was_protected) and not may_protect:
        if was_protected:
            raise PermissionDenied(
                _(
                    "Baseline %(n)s is protected: only the project manager or the PMO may "
                    "overwrite it."
                )
                % {"n": number}
            )
        raise PermissionDenied(_("Only the project manager or the PMO may protect a baseline."))
    if was_protected and not reason:
        raise DomainError(
            _("Baseline %(n)s is protected: say why you overwrite it.") % {"n": number},
            fields={"reason": [_("A reason is required to overwrite a protected baseline.")]},
        )
    return protected


def baseline_delete(
    *, actor, baseline: Baseline, expected_version: int | None = None, reason: str = ""
) -> None:
    """Delete a baseline, if still at ``expected_version`` when one is given.

    A protected baseline may be deleted only by whoever may overwrite it, with a reason,
    which the "deleted" history row keeps (deleting and saving again would otherwise
    bypass the protection).
    """
    check_project(actor, baseline.project, P.PLAN_CHANGE)
    reason = (reason or "").strip()

    def check_protection(current: Baseline) -> None:
        if not current.protected:
            return
        if not has_perm(actor, P.BASELINE_PROTECTED_OVERWRITE, current.project):
            raise PermissionDenied(
                _("Baseline %(n)s is protected: only the project manager or the PMO may delete it.")
                % {"n": current.number}
            )
        if not reason:
            raise DomainError(
                _("Baseline %(n)s is protected: say why you delete it.") % {"n": current.number},
                fields={"reason": [_("A reason is required to delete a protected baseline.")]},
            )
        # The history's "deleted" row is a copy of the row as it is deleted.
        current.reason = reason

    history_reason = _("Deleted baseline %(n)s") % {"n": baseline.number}
    if reason:
        history_reason = f"{history_reason}: {reason}"
    with transaction.atomic(), change_set(actor=actor, reason=history_reason):
        versioned_delete(
            baseline, expected_version=expected_version, actor=actor, before=check_protection
        )
        if baseline.number == APPROVED_BASELINE:
            outlook_refresh(project=baseline.project)


# --- the stored outlook -------------------------------------------------------------------

_FIGURES = tuple(figure.name for figure in fields(OutlookFigures))


def _store_outlook(project, figures: OutlookFigures) -> PlanOutlook:
    """Write the project's outlook figures, whoever wrote them last. One statement that
    inserts or updates, so two requests refreshing the same project cannot collide."""
    row = PlanOutlook(project=project, computed_at=timezone.now(), **asdict(figures))
    PlanOutlook.objects.bulk_create(
        [row],
        update_conflicts=True,
        unique_fields=["project"],
        update_fields=["computed_at", *_FIGURES],
    )
    return row


def outlook_refresh(
    *,
    project,
    on_scheduled: OnScheduled | None = None,
    written: tuple[list[dict], list[dict]] | None = None,
) -> OutlookFigures:
    """Schedule the project's plan as it stands and store its outlook; a plan that cannot
    be scheduled is stored with the reason. Call after a write that changes the plan
    without scheduling it (a delete, a move, a baseline, an import). ``on_scheduled`` is
    told the plan as scheduled. ``written``: the plan's tasks and links as the caller has
    just written them, which are then not read back (``adapters.engine_plan``)."""
    # The unsaved defaults when there is no plan yet (``plan_scheduled``): a list reading
    # outlooks must not create plan settings (and their history) for projects nobody has
    # planned.
    if on_scheduled is None:
        # Only the figures are wanted: the engine's plan alone is quicker to load.
        plan = engine_plan(project, plan_settings_get(project=project), written=written)
        try:
            schedule, error = schedule_plan(plan), None
        except ScheduleError as problem:
            schedule, error = None, str(problem)
    else:
        scheduled = plan_scheduled(project=project)
        on_scheduled(scheduled)
        plan, schedule, error = scheduled.inputs.plan, scheduled.schedule, scheduled.error
    figures = outlook_figures(project=project, plan=plan, schedule=schedule, error=error)
    _store_outlook(project, figures)
    return figures


def _figures_of(row: PlanOutlook) -> OutlookFigures:
    return OutlookFigures(**{name: getattr(row, name) for name in _FIGURES})


def project_outlooks(*, projects) -> dict[int, ProjectOutlook]:
    """The outlook of each of ``projects`` from its stored figures, by project id: what
    the project list, a portfolio and the export show, in one query however many.

    A project whose figures are missing (never computed, or the plan changed by a path
    that could not refresh them), or were counted from another planned finish than the
    project's now (edited on the project's page, which knows nothing of plans), is
    scheduled and stored first, so a list is never wrong for long and never slow twice.
    """
    projects = list(projects)
    stored = {
        row.project_id: row
        for row in PlanOutlook.objects.filter(project__in=[project.pk for project in projects])
    }
    outlooks = {}
    for project in projects:
        row = stored.get(project.pk)
        if row is None or row.planned_finish != project.planned_finish:
            figures = outlook_refresh(project=project)
        else:
            figures = _figures_of(row)
        outlooks[project.pk] = outlook_of(project, figures)
    return outlooks


def outline_collapse_set(*, user, project, task: Task | None, collapsed: bool) -> frozenset[int]:
    """Collapse or expand ``task``'s subtasks in ``user``'s view of ``project``'s plan, or
    with ``task`` None expand every summary; returns the ids now collapsed.

    A view setting of that user alone: any user who may see the plan may change it, and no
    history is written. The row is locked, so two quick clicks in two tabs both count.
    """
    if task is not None and task.project_id != project.pk:
        raise DomainError(_("That task is not in this plan."))
    if collapsed and (task is None or not task.children.exists()):
        raise DomainError(_("Only a summary task has subtasks to hide."))
    with transaction.atomic():
        preference, _created = OutlinePreference.objects.select_for_update().get_or_create(
            user=user, project=project
        )
        wanted = set(preference.collapsed)
        if task is None:
            wanted.clear()
        elif collapsed:
            wanted.add(task.pk)
        else:
            wanted.discard(task.pk)
        # Forget tasks deleted since, and summaries that have lost their subtasks.
        wanted = set(
            Task.objects.filter(project=project, pk__in=wanted, children__isnull=False)
            .distinct()
            .values_list("pk", flat=True)
        )
        preference.collapsed = sorted(wanted)
        preference.save(update_fields=["collapsed", "updated_at"])
    return frozenset(wanted)
