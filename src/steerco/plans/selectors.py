"""Reads of a project's plan: the computed schedule, milestones and baseline variances,
and the plan's history. Plain dataclasses, so pages, the API and status reports share them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext as _

from steerco.accounts.rules import visible_projects
from steerco.core.history import HistorySource
from steerco.engine.scheduling import Schedule, ScheduledTask, ScheduleError, schedule_plan
from steerco.engine.scheduling.baselines import Baselines
from steerco.engine.scheduling.baselines import BaselineTask as EngineBaselineTask
from steerco.engine.scheduling.progress import summary_percent_complete

from .adapters import PlanInputs, default_plan_start, plan_inputs
from .models import (
    UNSEEN_IMPORT_STATES,
    Baseline,
    BaselineTask,
    OutlinePreference,
    ProjectPlan,
    Task,
    TaskLink,
    WorkCalendar,
)


@dataclass(frozen=True)
class TaskRowView:
    """One row of the plan grid: the stored task with its computed dates."""

    task: Task
    summary: bool
    result: ScheduledTask | None
    predecessors: list[TaskLink]
    #: The task's own % complete, or for a summary the roll-up of the tasks below it.
    percent_complete: float


@dataclass
class PlanView:
    settings: ProjectPlan
    inputs: PlanInputs
    schedule: Schedule | None
    error: str | None
    rows: list[TaskRowView]

    @property
    def start(self) -> dt.datetime | None:
        return self.schedule.start if self.schedule else None

    @property
    def finish(self) -> dt.datetime | None:
        return self.schedule.finish if self.schedule else None


def plan_settings_get(*, project) -> ProjectPlan:
    settings = ProjectPlan.objects.filter(project=project).first()
    if settings is None:
        # Unsaved defaults: reading a plan must not write to the database.
        settings = ProjectPlan(project=project, start=default_plan_start(project))
    return settings


def plan_view(*, project) -> PlanView:
    """The plan with its computed schedule; a plan that cannot be scheduled reports why."""
    settings = plan_settings_get(project=project)
    inputs = plan_inputs(project, settings)
    schedule = None
    error = None
    try:
        schedule = schedule_plan(inputs.plan)
    except ScheduleError as problem:
        error = str(problem)
    links_by_successor: dict[int, list[TaskLink]] = {}
    for link in inputs.links:
        links_by_successor.setdefault(link.successor_id, []).append(link)
    parents = {row.parent_id for row in inputs.rows if row.parent_id}
    rolled = summary_percent_complete(inputs.plan)
    rows = [
        TaskRowView(
            task=row,
            summary=row.pk in parents,
            result=schedule.tasks.get(row.uid) if schedule else None,
            predecessors=links_by_successor.get(row.pk, []),
            percent_complete=rolled.get(row.uid, float(row.percent_complete)),
        )
        for row in inputs.rows
    ]
    return PlanView(settings=settings, inputs=inputs, schedule=schedule, error=error, rows=rows)


def outline_collapsed(*, user, project) -> frozenset[int]:
    """The ids of the summary tasks ``user`` keeps collapsed in ``project``'s plan."""
    found = (
        OutlinePreference.objects.filter(user=user, project=project)
        .values_list("collapsed", flat=True)
        .first()
    )
    return frozenset(pk for pk in found or () if isinstance(pk, int))


def baseline_list(*, project):
    return Baseline.objects.filter(project=project).select_related("saved_by").order_by("number")


def baseline_engine(*, project, inputs: PlanInputs) -> Baselines:
    """Saved baselines of the project in the engine's form (for variances)."""
    baselines = Baselines(calendar=inputs.plan.calendar)
    for baseline in Baseline.objects.filter(project=project).prefetch_related("tasks"):
        # Variances need both dates; entries imported with one field only are shown as saved.
        baselines.saved[baseline.number] = {
            row.task_uid: EngineBaselineTask(
                row.start, row.finish, row.duration_minutes if row.duration_minutes else 0
            )
            for row in baseline.tasks.all()
            if row.start is not None and row.finish is not None
        }
    return baselines


@dataclass(frozen=True)
class AssignedTask:
    """An unfinished task assigned to a person, with its scheduled dates."""

    task: Task
    project_id: int
    project_code: str
    start: dt.datetime | None
    finish: dt.datetime | None
    critical: bool


def tasks_assigned_to(*, user, person) -> list[AssignedTask]:
    """Unfinished tasks assigned to ``person`` in projects ``user`` may see, soonest first.

    Each project's plan is scheduled once (a fixed number of queries per project).
    """
    projects = (
        visible_projects(user)
        .filter(tasks__assignee=person, tasks__percent_complete__lt=100)
        .distinct()
    )
    found: list[AssignedTask] = []
    for project in projects:
        view = plan_view(project=project)
        for row in view.rows:
            task = row.task
            if task.assignee_id != person.pk or task.percent_complete >= 100 or row.summary:
                continue
            result = row.result
            found.append(
                AssignedTask(
                    task=task,
                    project_id=project.pk,
                    project_code=project.code,
                    start=result.start if result else None,
                    finish=result.finish if result else None,
                    critical=bool(result and result.critical),
                )
            )
    found.sort(key=lambda item: (item.start or dt.datetime.max, item.project_code))
    return found


def task_choices(project) -> list[tuple[int, str]]:
    """(id, "WBS name") of every task of ``project`` in outline order, for pickers."""
    return [
        (pk, f"{wbs} {name}".strip())
        for pk, wbs, name in Task.objects.filter(project=project)
        .order_by("position")
        .values_list("pk", "wbs", "name")
    ]


def plan_history_sources(*, project_id: int) -> list[HistorySource]:
    """The plan's part of the project's history: tasks, dependencies, plan settings,
    baselines and project calendars. Contributed to it in apps.py.

    A task is named by its WBS code and name when the row was written; a dependency by
    its tasks' latest names, read as plain values in one query.
    """
    people = "history_user__person"
    task_names = dict(
        Task.history.filter(project_id=project_id)
        .order_by("history_date", "history_id")
        .values_list("id", "name")
    )

    def task_subject(record) -> str:
        return f"Task {record.wbs} {record.name}".replace("  ", " ")

    def link_subject(record) -> str:
        before = task_names.get(record.predecessor_id, f"#{record.predecessor_id}")
        after = task_names.get(record.successor_id, f"#{record.successor_id}")
        return f"Dependency {before} → {after}"

    def of(model) -> models.QuerySet:
        return model.history.filter(project_id=project_id).select_related(people)

    def written(model) -> models.QuerySet:
        # Rows a large import is still writing join the story when it switches them in.
        return of(model).exclude(staged_import__state__in=UNSEEN_IMPORT_STATES)

    # Whether a row was being imported is bookkeeping, not a change anyone made.
    staging = ("staged_import",)
    return [
        HistorySource(written(Task), subject_of=task_subject, ignored=staging),
        HistorySource(written(TaskLink), subject_of=link_subject, ignored=staging),
        HistorySource(of(ProjectPlan), subject_of=lambda record: "Plan settings"),
        HistorySource(of(Baseline), subject_of=lambda record: f"Baseline {record.number}"),
        HistorySource(
            written(WorkCalendar),
            subject_of=lambda record: f"Calendar {record.name}",
            ignored=staging,
        ),
    ]


# --- baselines against the schedule, milestones -----------------------------------------


@dataclass(frozen=True)
class TaskVariance:
    """A task's scheduled dates against a baseline's; minutes are working minutes on the
    plan's calendar, positive when the schedule is later (or longer) than the baseline."""

    task: Task
    baseline_start: dt.datetime | None
    baseline_finish: dt.datetime | None
    start: dt.datetime
    finish: dt.datetime
    start_minutes: int
    finish_minutes: int
    duration_minutes: int

    @property
    def late(self) -> bool:
        return self.finish_minutes > 0


@dataclass(frozen=True)
class BaselineComparison:
    """The schedule against one saved baseline."""

    baseline: Baseline
    variances: list[TaskVariance]  # the latest finish first, then in outline order
    added: list[Task]  # tasks the baseline does not know
    removed: list[BaselineTask]  # baseline entries whose task is gone
    error: str | None  # why the plan cannot be scheduled, if it cannot
    minutes_per_day: int

    @property
    def slipped(self) -> int:
        return sum(1 for variance in self.variances if variance.late)


def baseline_comparison(*, project, baseline: Baseline, view: PlanView | None = None):
    """Each task's variance from ``baseline`` (pass ``view`` when already computed)."""
    view = view or plan_view(project=project)
    saved = {row.task_uid: row for row in baseline.tasks.all()}
    variances: list[TaskVariance] = []
    added: list[Task] = []
    if view.schedule is not None:
        computed = (
            baseline_engine(project=project, inputs=view.inputs).variances(
                view.schedule, baseline.number
            )
            if saved
            else {}
        )
        for item in view.rows:
            task, result = item.task, item.result
            base = saved.get(task.uid)
            if base is None:
                added.append(task)
                continue
            variance = computed.get(task.uid)
            if variance is None or result is None:
                continue
            variances.append(
                TaskVariance(
                    task=task,
                    baseline_start=base.start,
                    baseline_finish=base.finish,
                    start=result.start,
                    finish=result.finish,
                    start_minutes=variance.start_minutes,
                    finish_minutes=variance.finish_minutes,
                    duration_minutes=variance.duration_minutes,
                )
            )
    variances.sort(key=lambda row: (-row.finish_minutes, row.task.position))
    current_uids = {row.uid for row in view.inputs.rows}
    return BaselineComparison(
        baseline=baseline,
        variances=variances,
        added=added,
        removed=[entry for uid, entry in sorted(saved.items()) if uid not in current_uids],
        error=view.error,
        minutes_per_day=view.settings.minutes_per_day or 480,
    )


@dataclass(frozen=True)
class MilestoneStatus:
    """A milestone's scheduled date, its slip from a baseline and why it is at risk."""

    task: Task
    finish: dt.datetime | None  # None when the plan cannot be scheduled
    baseline_finish: dt.datetime | None
    variance_minutes: int | None  # working minutes later than the baseline (negative: earlier)
    total_float_minutes: int | None
    reasons: list[str]  # empty when not at risk

    @property
    def at_risk(self) -> bool:
        return bool(self.reasons)


def milestone_statuses(
    *, project, baseline_number: int | None, view: PlanView | None = None
) -> list[MilestoneStatus]:
    """Every milestone in outline order. At risk: it finishes after its deadline or has
    negative total float. Compared with baseline ``baseline_number`` when it exists."""
    view = view or plan_view(project=project)
    saved = dict(
        BaselineTask.objects.filter(
            baseline__project=project, baseline__number=baseline_number
        ).values_list("task_uid", "finish")
    )
    between = view.inputs.plan.calendar.working_minutes_between
    statuses = []
    for item in view.rows:
        task, result = item.task, item.result
        if not task.milestone:
            continue
        reasons = []
        if result is not None and task.deadline is not None and result.finish > task.deadline:
            reasons.append(_("finishes after its deadline"))
        if result is not None and result.total_slack_minutes < 0:
            reasons.append(_("negative float"))
        base = saved.get(task.uid)
        statuses.append(
            MilestoneStatus(
                task=task,
                finish=result.finish if result else None,
                baseline_finish=base,
                variance_minutes=between(base, result.finish) if base and result else None,
                total_float_minutes=result.total_slack_minutes if result else None,
                reasons=reasons,
            )
        )
    return statuses
