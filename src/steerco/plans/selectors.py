"""Reads of a project's plan: the computed schedule, milestones and baseline variances,
and the plan's history. Plain dataclasses, so pages, the API and status reports share them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from django.conf import settings as django_settings
from django.db import models
from django.db.models import Max
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from steerco.accounts.rules import visible_projects
from steerco.core.formats import day_text, whole_percent, working_days_text
from steerco.core.history import HistorySource
from steerco.engine.scheduling import Plan, Schedule, ScheduledTask, ScheduleError, schedule_plan
from steerco.engine.scheduling.baselines import Baselines
from steerco.engine.scheduling.baselines import BaselineTask as EngineBaselineTask
from steerco.engine.scheduling.outlook import ScheduleRag, SlipTolerance, schedule_rag
from steerco.engine.scheduling.progress import plan_percent_complete, summary_percent_complete

from .adapters import PlanInputs, default_plan_start, plan_inputs
from .display import days_text
from .models import (
    UNSEEN_IMPORT_STATES,
    Baseline,
    BaselineTask,
    OutlinePreference,
    ProjectPlan,
    Task,
    TaskAssignment,
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


@dataclass(frozen=True)
class ScheduledPlan:
    """A plan as loaded and scheduled at one moment: what a write that had to schedule the
    plan anyway hands on, so the page drawn after it need not load and schedule it again."""

    settings: ProjectPlan
    inputs: PlanInputs
    schedule: Schedule | None
    error: str | None


def plan_scheduled(*, project, settings: ProjectPlan | None = None) -> ScheduledPlan:
    """Load ``project``'s plan and schedule it; a plan that cannot be scheduled says why."""
    settings = settings if settings is not None else plan_settings_get(project=project)
    inputs = plan_inputs(project, settings)
    try:
        return ScheduledPlan(settings, inputs, schedule_plan(inputs.plan), None)
    except ScheduleError as problem:
        return ScheduledPlan(settings, inputs, None, str(problem))


def plan_view(*, project, computed: ScheduledPlan | None = None) -> PlanView:
    """The plan with its computed schedule; a plan that cannot be scheduled reports why.

    ``computed``: the plan as a write just scheduled it, in the same transaction and with
    nothing written since, to draw it without loading and scheduling it again."""
    if computed is None:
        computed = plan_scheduled(project=project)
    settings, inputs, schedule, error = (
        computed.settings,
        computed.inputs,
        computed.schedule,
        computed.error,
    )
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
    """Unfinished tasks ``person`` is assigned to (their task assignments, ADR 17) in
    projects ``user`` may see, soonest first.

    Each project's plan is scheduled once (a fixed number of queries per project).
    """
    projects = (
        visible_projects(user)
        .filter(
            tasks__assignments__person=person,
            tasks__assignments__staged_import__isnull=True,
            tasks__percent_complete__lt=100,
        )
        .distinct()
    )
    found: list[AssignedTask] = []
    for project in projects:
        view = plan_view(project=project)
        assigned = {
            task_id
            for task_id, assignments in view.inputs.assignments.items()
            if any(assignment.person_id == person.pk for assignment in assignments)
        }
        for row in view.rows:
            task = row.task
            if task.pk not in assigned or task.percent_complete >= 100 or row.summary:
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


def assigned_person_ids(*, task: Task) -> set[int]:
    """The people assigned to ``task`` (its assignments that name a person)."""
    return set(
        TaskAssignment.objects.filter(task=task, person__isnull=False).values_list(
            "person_id", flat=True
        )
    )


def task_choices(project) -> list[tuple[int, str]]:
    """(id, "WBS name") of every task of ``project`` in outline order, for pickers."""
    return [
        (pk, f"{wbs} {name}".strip())
        for pk, wbs, name in Task.objects.filter(project=project)
        .order_by("position")
        .values_list("pk", "wbs", "name")
    ]


def plan_history_sources(*, project_id: int) -> list[HistorySource]:
    """The plan's part of the project's history: tasks, dependencies, assignments, plan
    settings, baselines and project calendars. Contributed to it in apps.py.

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

    def assignment_subject(record) -> str:
        task = task_names.get(record.task_id, f"#{record.task_id}")
        return f"Assignment of {record.resource_name} to {task}"

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
        HistorySource(
            TaskAssignment.history.filter(task__project_id=project_id)
            .exclude(staged_import__state__in=UNSEEN_IMPORT_STATES)
            .select_related(people),
            subject_of=assignment_subject,
            ignored=staging,
        ),
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


#: The approved baseline: what milestones and the project's finish are measured against.
APPROVED_BASELINE = 0

# Constraints that pin a date, which a plan honouring constraints keeps even when the
# links would move the task past it (its predecessors then carry the negative slack).
_PINNING = frozenset(
    {Task.Constraint.MSO, Task.Constraint.MFO, Task.Constraint.SNLT, Task.Constraint.FNLT}
)


class MilestoneState:
    ON_TRACK = "on_track"
    LATE = "late"
    AT_RISK = "at_risk"
    DONE = "done"
    UNSCHEDULED = "unscheduled"

    LABELS = {
        ON_TRACK: gettext_lazy("On track"),
        LATE: gettext_lazy("Late"),
        AT_RISK: gettext_lazy("At risk"),
        DONE: gettext_lazy("Done"),
        UNSCHEDULED: gettext_lazy("Not scheduled"),
    }


@dataclass(frozen=True)
class MilestoneStatus:
    """A milestone's forecast, its slip from a baseline, its state and why.

    ``days_late`` counts working days of the milestone's calendar from its baseline date
    to its forecast (negative: ahead). ``reasons`` say why it is at risk (empty when it is
    not); ``reason`` explains the state, as pages show it beside the state's ``label``;
    ``sentence`` is both in one ("Late against baseline 0 by 10 working days.").
    """

    task: Task
    finish: dt.datetime | None  # None when the plan cannot be scheduled
    baseline_number: int | None  # the baseline compared with; None when it is not saved
    baseline_finish: dt.datetime | None
    days_late: int | None
    variance_minutes: int | None  # working minutes later than the baseline (negative: earlier)
    total_float_minutes: int | None
    state: str
    reasons: list[str]
    reason: str

    @property
    def at_risk(self) -> bool:
        return self.state == MilestoneState.AT_RISK

    @property
    def label(self) -> str:
        return str(MilestoneState.LABELS[self.state])

    @property
    def sentence(self) -> str:
        if self.state == MilestoneState.LATE:
            return self.reason  # "Late against baseline 0 by …" says it already
        return f"{self.label}: {self.reason[:1].lower()}{self.reason[1:]}"


def _baseline_phrase(number: int | None, in_baseline: bool, days_late: int | None) -> str:
    """The milestone against the baseline, as a phrase: "late against baseline 0 by 3
    working days", "on its baseline 0 date", "no baseline to compare with". A milestone
    that is not in the baseline (added since, or saved without a finish) says so."""
    if number is None:
        return _("no baseline to compare with")
    if not in_baseline:
        return _("not in baseline %(n)s") % {"n": number}
    if days_late > 0:
        return _("late against baseline %(n)s by %(days)s") % {
            "n": number,
            "days": working_days_text(days_late),
        }
    if days_late < 0:
        return _("%(days)s ahead of baseline %(n)s") % {
            "n": number,
            "days": working_days_text(-days_late),
        }
    return _("on its baseline %(n)s date") % {"n": number}


def _unconstrained_finishes(view: PlanView) -> dict[int, dt.datetime]:
    """Where the links alone would put each task, when that can differ from the schedule.

    A plan that honours constraints keeps a "must finish on" milestone on its date even
    when its predecessors finish later: the milestone shows no negative slack, its
    predecessors do. Scheduling once more without honouring constraints tells how far the
    milestone would really move; only plans where this can matter pay for it.
    """
    plan = view.inputs.plan
    if view.schedule is None or not plan.honor_constraints:
        return {}
    pinned = any(row.task.milestone and row.task.constraint_type in _PINNING for row in view.rows)
    strained = any(row.result and row.result.total_slack_minutes < 0 for row in view.rows)
    if not (pinned and strained):
        return {}
    try:
        free = schedule_plan(replace(plan, honor_constraints=False))
    except ScheduleError:
        return {}
    return {uid: task.finish for uid, task in free.tasks.items()}


def milestone_statuses(
    *, project, baseline_number: int | None = APPROVED_BASELINE, view: PlanView | None = None
) -> list[MilestoneStatus]:
    """Every milestone in outline order, with its state and the reason for it.

    - **Done**: 100 % complete or finished (an actual finish).
    - **At risk**: forecast after its deadline, its predecessors cannot meet the date a
      constraint pins it to, or negative total slack (a date it depends on cannot be met).
    - **Late**: forecast later than its date in baseline ``baseline_number``, by whole
      working days of the milestone's calendar (its own, else the project's).
    - **On track**: none of these.

    Compared with baseline ``baseline_number`` (by default baseline 0, the approved one)
    when it is saved; without it each status says there is no baseline to compare with.
    """
    view = view or plan_view(project=project)
    baseline = None
    if baseline_number is not None:
        baseline = Baseline.objects.filter(project=project, number=baseline_number).first()
    saved = dict(baseline.tasks.values_list("task_uid", "finish")) if baseline else {}
    number = baseline.number if baseline else None
    per_day = view.settings.minutes_per_day or 480
    project_calendar = view.inputs.plan.calendar
    unconstrained = _unconstrained_finishes(view)
    statuses = []
    for item in view.rows:
        task, result = item.task, item.result
        if not task.milestone:
            continue
        calendar = view.inputs.calendars.get(task.calendar_id) or project_calendar
        base = saved.get(task.uid)
        days_late = (
            calendar.working_days_between(base.date(), result.finish.date())
            if base and result
            else None
        )
        compared = _baseline_phrase(number, days_late is not None, days_late)
        reasons: list[str] = []
        done = task.percent_complete >= 100 or task.actual_finish is not None
        if result is None:
            state = MilestoneState.UNSCHEDULED
            reason = _("The plan cannot be scheduled.")
        elif done:
            state = MilestoneState.DONE
            reason = _("Reached on %(day)s, %(compared)s.") % {
                "day": day_text(result.finish),
                "compared": compared,
            }
        else:
            reasons = _risks_of(task, result, calendar, unconstrained.get(task.uid), per_day)
            if reasons:
                state = MilestoneState.AT_RISK
                reason = "{}. {}.".format(capfirst("; ".join(reasons)), capfirst(compared))
            else:
                late = days_late is not None and days_late > 0
                state = MilestoneState.LATE if late else MilestoneState.ON_TRACK
                reason = f"{capfirst(compared)}."
        statuses.append(
            MilestoneStatus(
                task=task,
                finish=result.finish if result else None,
                baseline_number=number,
                baseline_finish=base,
                days_late=days_late,
                variance_minutes=(
                    project_calendar.working_minutes_between(base, result.finish)
                    if base and result
                    else None
                ),
                total_float_minutes=result.total_slack_minutes if result else None,
                state=state,
                reasons=reasons,
                reason=reason,
            )
        )
    return statuses


def _risks_of(
    task: Task, result: ScheduledTask, calendar, unconstrained: dt.datetime | None, per_day: int
) -> list[str]:
    """Why an unfinished milestone is at risk, in words; empty when it is not."""
    reasons = []
    if task.deadline is not None and result.finish > task.deadline:
        days = calendar.working_days_between(task.deadline.date(), result.finish.date())
        reasons.append(
            _("forecast %(days)s after its deadline of %(day)s")
            % {"days": working_days_text(days), "day": day_text(task.deadline)}
            if days
            else _("forecast later in the day than its deadline of %(day)s")
            % {"day": day_text(task.deadline)}
        )
    if unconstrained is not None and unconstrained > result.finish:
        days = calendar.working_days_between(result.finish.date(), unconstrained.date())
        reasons.append(
            _("its predecessors would move it %(days)s past its “%(constraint)s” date")
            % {
                "days": working_days_text(max(days, 1)),
                "constraint": task.get_constraint_type_display().lower(),
            }
        )
    if not reasons and result.total_slack_minutes < 0:
        reasons.append(
            _("negative total slack of %(slack)s: a date it depends on cannot be met")
            % {"slack": days_text(result.total_slack_minutes, per_day)}
        )
    return reasons


# --- the project's outlook: how far along, when it will finish, how late ------------------


@dataclass(frozen=True)
class OutlookFigures:
    """The numbers of a project's outlook, as computed from its plan (and as stored in a
    ``PlanOutlook``); ``ProjectOutlook`` puts them in words."""

    tasks: int
    error: str
    percent_complete: int | None
    forecast_finish: dt.date | None
    baseline_finish: dt.date | None  # of baseline 0
    baseline_days_late: int | None
    planned_finish: dt.date | None  # the project's planned finish, as typed in
    planned_days_late: int | None


def approved_finish(*, project) -> dt.date | None:
    """The finish of baseline 0, if saved: its project finish, or for a baseline imported
    without one, the latest finish among its tasks."""
    baseline = Baseline.objects.filter(project=project, number=APPROVED_BASELINE).first()
    if baseline is None:
        return None
    finish = baseline.project_finish or baseline.tasks.aggregate(last=Max("finish"))["last"]
    return finish.date() if finish else None


def outlook_figures(
    *, project, plan: Plan, schedule: Schedule | None, error: str | None
) -> OutlookFigures:
    """The outlook's numbers from a plan already scheduled (``schedule`` None with the
    ``error`` that prevented it). Slips are whole working days of the project calendar."""
    calendar = plan.calendar
    forecast = schedule.finish.date() if schedule is not None and plan.tasks else None
    baseline_finish = approved_finish(project=project)
    planned_finish = project.planned_finish

    def late(against: dt.date | None) -> int | None:
        if against is None or forecast is None:
            return None
        return calendar.working_days_between(against, forecast)

    return OutlookFigures(
        tasks=len(plan.tasks),
        error=error or "",
        percent_complete=whole_percent(plan_percent_complete(plan)) if plan.tasks else None,
        forecast_finish=forecast,
        baseline_finish=baseline_finish,
        baseline_days_late=late(baseline_finish),
        planned_finish=planned_finish,
        planned_days_late=late(planned_finish),
    )


@dataclass(frozen=True)
class Slip:
    """A forecast finish against a date the project answers to, in working days."""

    against: str  # what the date is, in a sentence: "baseline 0", "the planned finish"
    date: dt.date | None
    days_late: int | None  # None when there is no date or no forecast to compare
    missing: str  # what to say when there is no date

    @property
    def sentence(self) -> str:
        """ "10 working days late against baseline 0", "On time against the planned finish"."""
        if self.date is None:
            return capfirst(self.missing)
        if self.days_late is None:
            return _("No forecast to compare with %(against)s") % {"against": self.against}
        if self.days_late > 0:
            return _("%(days)s late against %(against)s") % {
                "days": working_days_text(self.days_late),
                "against": self.against,
            }
        if self.days_late < 0:
            return _("%(days)s early against %(against)s") % {
                "days": working_days_text(-self.days_late),
                "against": self.against,
            }
        return _("On time against %(against)s") % {"against": self.against}

    @property
    def short(self) -> str:
        """For tables: "10 d late", "3 d early", "on time", "—"."""
        if self.days_late is None:
            return "—"
        if self.days_late > 0:
            return _("%(n)d d late") % {"n": self.days_late}
        if self.days_late < 0:
            return _("%(n)d d early") % {"n": -self.days_late}
        return _("on time")


class ScheduleRagCode:
    NOT_ASSESSED = "not_assessed"
    LABELS = {
        ScheduleRag.GREEN.value: gettext_lazy("Green"),
        ScheduleRag.AMBER.value: gettext_lazy("Amber"),
        ScheduleRag.RED.value: gettext_lazy("Red"),
        NOT_ASSESSED: gettext_lazy("Not assessed"),
    }


@dataclass(frozen=True)
class ProjectOutlook:
    """Where a project's schedule stands, every figure with its reason in words: how far
    along it is, when it will finish against baseline 0 and against its planned finish,
    its next milestones, and the schedule's RAG with why."""

    project: object
    tasks: int
    error: str
    percent_complete: int | None  # of the whole plan (its project summary), whole percent
    forecast_finish: dt.date | None
    baseline: Slip  # against baseline 0
    planned: Slip  # against the planned finish typed in for the project
    rag: str  # "green", "amber", "red" or "not_assessed"
    rag_reason: str
    milestones: tuple[MilestoneStatus, ...] = ()  # the next unfinished ones, soonest first

    @property
    def rag_label(self) -> str:
        return str(ScheduleRagCode.LABELS[self.rag])

    @property
    def slip(self) -> Slip:
        """The slip the RAG is judged on: against baseline 0, else the planned finish."""
        return self.baseline if self.baseline.days_late is not None else self.planned

    @property
    def has_plan(self) -> bool:
        return self.tasks > 0

    @property
    def tracked(self) -> bool:
        """Whether the forecast means anything: not for a cancelled project."""
        return getattr(self.project, "status", None) != "cancelled"

    @property
    def summary(self) -> str:
        """A table cell's few words: the slip ("10 d late"), or why there is none."""
        if not self.tracked:
            return _("Cancelled")
        if not self.has_plan:
            return _("No plan yet")
        if self.error:
            return _("Cannot be scheduled")
        if self.slip.days_late is None:
            return self.rag_label
        return self.slip.short


def slip_tolerance() -> SlipTolerance:
    """The schedule RAG's tolerances, from settings (``STEERCO_SCHEDULE_*_DAYS``)."""
    return SlipTolerance(
        green_days=django_settings.STEERCO_SCHEDULE_GREEN_DAYS,
        amber_days=django_settings.STEERCO_SCHEDULE_AMBER_DAYS,
    )


def _schedule_rag(project, figures: OutlookFigures, slip: Slip) -> tuple[str, str]:
    """The schedule's RAG and the sentence that says why (docs/glossary.md)."""
    not_assessed = ScheduleRagCode.NOT_ASSESSED
    if project.is_closed:
        return not_assessed, _("Not assessed: the project is %(status)s.") % {
            "status": project.get_status_display().lower()
        }
    if not figures.tasks:
        return not_assessed, _("Not assessed: the project has no plan yet.")
    if figures.error:
        return not_assessed, _("Not assessed: the plan cannot be scheduled. %(error)s") % {
            "error": figures.error
        }
    if slip.days_late is None:
        return not_assessed, _(
            "Not assessed: there is neither a baseline 0 nor a planned finish to compare "
            "the forecast finish with."
        )
    tolerance = slip_tolerance()
    rag = schedule_rag(slip.days_late, tolerance)
    values = {
        "rag": ScheduleRagCode.LABELS[rag.value],
        "days": working_days_text(abs(slip.days_late)),
        "against": slip.against,
        "green": tolerance.green_days,
        "green_days": working_days_text(tolerance.green_days),
        "amber": tolerance.amber_days,
    }
    if slip.days_late < 0:
        text = _("%(rag)s: forecast finish %(days)s before %(against)s")
    elif slip.days_late == 0:
        text = _("%(rag)s: forecast finish on %(against)s")
    elif rag is ScheduleRag.GREEN:
        text = _(
            "%(rag)s: forecast finish %(days)s after %(against)s, within the tolerance of "
            "%(green_days)s"
        )
    elif rag is ScheduleRag.AMBER:
        text = _("%(rag)s: forecast finish %(days)s after %(against)s (tolerance %(green)s)")
    else:
        text = _("%(rag)s: forecast finish %(days)s after %(against)s (amber up to %(amber)s)")
    return rag.value, text % values


def outlook_of(
    project, figures: OutlookFigures, *, milestones: tuple[MilestoneStatus, ...] = ()
) -> ProjectOutlook:
    """The outlook in words from its figures (computed now, or stored)."""
    baseline = Slip(
        against=_("baseline %(n)s") % {"n": APPROVED_BASELINE},
        date=figures.baseline_finish,
        days_late=figures.baseline_days_late,
        missing=_("no baseline %(n)s saved") % {"n": APPROVED_BASELINE},
    )
    planned = Slip(
        against=_("the planned finish"),
        date=figures.planned_finish,
        days_late=figures.planned_days_late,
        missing=_("no planned finish set"),
    )
    judged_on = baseline if baseline.days_late is not None else planned
    rag, reason = _schedule_rag(project, figures, judged_on)
    return ProjectOutlook(
        project=project,
        tasks=figures.tasks,
        error=figures.error,
        percent_complete=figures.percent_complete,
        forecast_finish=figures.forecast_finish,
        baseline=baseline,
        planned=planned,
        rag=rag,
        rag_reason=reason,
        milestones=milestones,
    )


def project_outlook(
    *, project, view: PlanView | None = None, milestones: int = 3
) -> ProjectOutlook:
    """The project's outlook computed from its plan now, with its next ``milestones``
    unfinished milestones (soonest forecast first) and their statuses against baseline 0.

    Schedules the plan (pass ``view`` when already computed); lists of many projects read
    the stored figures instead (``services.project_outlooks``).
    """
    view = view or plan_view(project=project)
    figures = outlook_figures(
        project=project, plan=view.inputs.plan, schedule=view.schedule, error=view.error
    )
    upcoming = sorted(
        (
            status
            for status in milestone_statuses(project=project, view=view)
            if status.state != MilestoneState.DONE and status.finish is not None
        ),
        key=lambda status: (status.finish, status.task.position),
    )
    return outlook_of(project, figures, milestones=tuple(upcoming[:milestones]))


# --- the plan grid's filters and its "slipped vs baseline" columns ----------------------


@dataclass(frozen=True)
class PlanAssignees:
    """Who is assigned to what in a plan: ``by_task`` (task id: person ids) and ``people``
    ((person id, name) of everyone assigned somewhere, by name)."""

    by_task: dict[int, frozenset[int]]
    people: list[tuple[int, str]]


def plan_assignees(*, project) -> PlanAssignees:
    """Each task's assigned people, from its assignments (ADR 17). An assignment to a
    resource matching no person names nobody."""
    found: dict[int, set[int]] = {}
    names: dict[int, str] = {}
    pairs = TaskAssignment.objects.filter(task__project=project, person__isnull=False).values_list(
        "task_id", "person_id", "person__name"
    )
    for task_id, person_id, name in pairs:
        found.setdefault(task_id, set()).add(person_id)
        names[person_id] = name
    return PlanAssignees(
        by_task={task_id: frozenset(people) for task_id, people in found.items()},
        people=sorted(names.items(), key=lambda pair: (pair[1].casefold(), pair[0])),
    )


@dataclass(frozen=True)
class ApprovedDates:
    """A task's dates in the approved baseline (number 0) and how far the schedule has
    moved from them, in working minutes of the plan's calendar (positive: later or
    longer). A variance is None when the baseline lacks that date."""

    start: dt.datetime | None
    finish: dt.datetime | None
    start_minutes: int | None
    finish_minutes: int | None
    duration_minutes: int | None

    @property
    def late(self) -> bool:
        """Finishes later than the approved baseline (Project's "Slipped/late tasks")."""
        return bool(self.finish_minutes and self.finish_minutes > 0)

    @property
    def changed(self) -> bool:
        """Start, finish or duration differ from the approved baseline."""
        return any((self.start_minutes, self.finish_minutes, self.duration_minutes))


def approved_baseline_dates(*, project, view: PlanView) -> dict[int, ApprovedDates] | None:
    """Each task's dates in the approved baseline (task uid: ``ApprovedDates``), or None
    when the project has not saved baseline 0. Tasks added since are absent."""
    baseline = Baseline.objects.filter(project=project, number=APPROVED_BASELINE).first()
    if baseline is None:
        return None
    entries = list(
        BaselineTask.objects.filter(baseline=baseline).values_list(
            "task_uid", "start", "finish", "duration_minutes"
        )
    )
    engine = Baselines(calendar=view.inputs.plan.calendar)
    engine.saved[APPROVED_BASELINE] = {
        uid: EngineBaselineTask(start, finish, duration or 0)
        for uid, start, finish, duration in entries
        if start is not None and finish is not None
    }
    moved = engine.variances(view.schedule, APPROVED_BASELINE) if view.schedule else {}
    out = {}
    for uid, start, finish, _duration in entries:
        variance = moved.get(uid)
        out[uid] = ApprovedDates(
            start=start,
            finish=finish,
            start_minutes=variance.start_minutes if variance else None,
            finish_minutes=variance.finish_minutes if variance else None,
            duration_minutes=variance.duration_minutes if variance else None,
        )
    return out
