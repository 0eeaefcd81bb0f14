"""A project's plan: its calendar, WBS tasks, dependencies and baselines.

The rows here are the *inputs* of a schedule; computed dates (early/late start, float,
critical) come from ``steerco.engine.scheduling`` on demand through ``adapters.py``, so
they are never stale. Dates are local wall-clock datetimes of the project (naive), as
Microsoft Project and its files treat them; durations and lags are minutes of working
time of the task's calendar unless marked elapsed.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from steerco.core.fields import LocalDateTimeField
from steerco.core.versioning import VersionedModel


def default_week() -> dict:
    """Monday–Friday 08:00–12:00 and 13:00–17:00 in minutes after midnight; weekend off."""
    day = [[480, 720], [780, 1020]]
    return {"0": day, "1": day, "2": day, "3": day, "4": day, "5": [], "6": []}


def _validate_week(value) -> None:
    if not isinstance(value, dict) or set(value) - {str(d) for d in range(7)}:
        raise ValidationError(_("A working week names weekdays 0 (Monday) to 6 (Sunday)."))
    for intervals in value.values():
        _validate_intervals(intervals)


def _validate_intervals(intervals) -> None:
    previous_end = 0
    for pair in intervals or []:
        if not (isinstance(pair, list | tuple) and len(pair) == 2):
            raise ValidationError(_("Working times are pairs of [from, to] minutes."))
        start, end = pair
        if not (0 <= start < end <= 1440) or start < previous_end:
            raise ValidationError(
                _("Working times must lie within one day, in order, without overlapping.")
            )
        previous_end = end


class PlanImport(models.Model):
    """A large plan import under way, done, or given up, and the file it reads.

    A large import writes the new plan beside the old one, a few hundred rows per
    transaction, each row marked with its ``PlanImport`` (``staged_import``) and so left out
    of every query of the plan (``LivePlanRows``). One short transaction then switches:
    the old rows are marked with a second ``PlanImport`` in state ``RETIRED`` and the new
    rows unmarked, so other users wait for at most that switch, never for the whole import;
    and the import is all or nothing: until the switch, the old plan is the plan, and a
    failed import's rows are removed. Retired rows are then deleted a batch at a time.

    The file is kept beside it (``PlanImportFile``), so a worker that restarts loses
    nothing: the import can be started again from it.
    """

    class State(models.TextChoices):
        STAGING = "staging", _("Being written")
        SWITCHED = "switched", _("Imported")
        FAILED = "failed", _("Failed")
        RETIRED = "retired", _("Replaced plan being removed")

    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="plan_imports"
    )
    started_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    filename = models.CharField(max_length=255, blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.STAGING)
    message = models.TextField(blank=True)
    tasks = models.PositiveIntegerField(default=0)
    progress = models.PositiveSmallIntegerField(default=0)
    # The background job writing it (a jobs.Job's id: the jobs app sits above this one).
    job_id = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Import of {self.filename or 'a plan'} ({self.get_state_display()})"


class PlanImportFile(models.Model):
    """The file a large import reads, kept until the import ends. A row of its own, not a
    column of ``PlanImport``: the import's row is updated as it goes (progress, state), and
    SQLite rewrites a whole row on every UPDATE, file included (a fifth of a second for
    40 MB, each time); nor does reading an import's state load the file."""

    plan_import = models.OneToOneField(
        PlanImport, on_delete=models.CASCADE, primary_key=True, related_name="file"
    )
    data = models.BinaryField()

    def __str__(self) -> str:
        return f"File of {self.plan_import_id}"


#: History rows of these states' rows are not (yet, or any more) part of the plan's story.
UNSEEN_IMPORT_STATES = (PlanImport.State.STAGING, PlanImport.State.FAILED)


class LivePlanRows(models.Manager):
    """The rows of the plan as it stands: not those a large import is still writing, nor
    those it has replaced and is removing (see ``PlanImport``). The plain ``all_rows``
    manager, and Django's base manager behind relations and deletes, see every row."""

    def get_queryset(self):
        return super().get_queryset().filter(staged_import__isnull=True)


class EveryPlanRow(models.Manager):
    """Every row, those of imports under way included: what an import itself reads."""


def _staged_import_field(*, db_index: bool = True) -> models.ForeignKey:
    return models.ForeignKey(
        PlanImport,
        db_index=db_index,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("Set while a large import writes this row or removes it."),
    )


class WorkCalendar(VersionedModel):
    """Working time to the minute: a normal week, exceptions and optional public holidays.

    A calendar with no project is an organisation-wide base calendar; a project calendar
    may derive from one (weekdays and exceptions it does not define are inherited).
    """

    name = models.CharField(max_length=100)
    project = models.ForeignKey(
        "projects.Project",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="calendars",
    )
    base = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="derived"
    )
    week = models.JSONField(default=default_week, validators=[_validate_week])
    country = models.CharField(
        max_length=8,
        blank=True,
        help_text=_("ISO country code whose public holidays are non-working, e.g. GB."),
    )
    subdivision = models.CharField(max_length=16, blank=True)
    source_uid = models.IntegerField(null=True, blank=True, help_text=_("UID in an imported file."))
    staged_import = _staged_import_field()
    objects = LivePlanRows()
    all_rows = EveryPlanRow()
    history = HistoricalRecords()

    class Meta:
        ordering = ["project_id", "name"]

    def __str__(self) -> str:
        return self.name


class CalendarException(models.Model):
    calendar = models.ForeignKey(WorkCalendar, on_delete=models.CASCADE, related_name="exceptions")
    name = models.CharField(max_length=100, blank=True)
    start = models.DateField()
    finish = models.DateField()
    intervals = models.JSONField(
        default=list,
        blank=True,
        validators=[_validate_intervals],
        help_text=_("Working times on these dates; empty means non-working."),
    )
    recurring_yearly = models.BooleanField(default=False)

    class Meta:
        ordering = ["start"]

    def __str__(self) -> str:
        return self.name or f"{self.start}–{self.finish}"

    def clean(self) -> None:
        if self.finish < self.start:
            raise ValidationError({"finish": _("An exception cannot end before it starts.")})


class ProjectPlan(VersionedModel):
    """Scheduling settings of one project's plan."""

    project = models.OneToOneField(
        "projects.Project", on_delete=models.CASCADE, related_name="plan"
    )
    start = LocalDateTimeField(help_text=_("Project start, local wall-clock time."))
    calendar = models.ForeignKey(
        WorkCalendar, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status_date = LocalDateTimeField(null=True, blank=True)
    minutes_per_day = models.PositiveIntegerField(default=480)
    minutes_per_week = models.PositiveIntegerField(default=2400)
    honor_constraints = models.BooleanField(default=True)
    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"Plan of {self.project}"


class Task(VersionedModel):
    """A WBS element. Summary tasks are those with children; order is the outline order."""

    class Constraint(models.IntegerChoices):
        # Values are Microsoft Project's codes, so files map one to one.
        ASAP = 0, _("As soon as possible")
        ALAP = 1, _("As late as possible")
        MSO = 2, _("Must start on")
        MFO = 3, _("Must finish on")
        SNET = 4, _("Start no earlier than")
        SNLT = 5, _("Start no later than")
        FNET = 6, _("Finish no earlier than")
        FNLT = 7, _("Finish no later than")

    # No index of its own: the (project, position) index serves lookups by project.
    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="tasks", db_index=False
    )
    uid = models.PositiveIntegerField(help_text=_("Stable id within the project (MS Project UID)."))
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    position = models.PositiveIntegerField(help_text=_("Row in outline order, from 1."))
    outline_level = models.PositiveSmallIntegerField(default=1)
    wbs = models.CharField(max_length=50, blank=True)
    name = models.CharField(max_length=255)
    duration_minutes = models.IntegerField(default=480, validators=[MinValueValidator(0)])
    elapsed = models.BooleanField(default=False)
    milestone = models.BooleanField(default=False)
    manual = models.BooleanField(default=False)
    manual_start = LocalDateTimeField(null=True, blank=True)
    manual_finish = LocalDateTimeField(null=True, blank=True)
    constraint_type = models.PositiveSmallIntegerField(
        choices=Constraint.choices, default=Constraint.ASAP
    )
    constraint_date = LocalDateTimeField(null=True, blank=True)
    deadline = LocalDateTimeField(null=True, blank=True)
    calendar = models.ForeignKey(
        WorkCalendar, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    percent_complete = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    actual_start = LocalDateTimeField(null=True, blank=True)
    actual_finish = LocalDateTimeField(null=True, blank=True)
    remaining_duration_minutes = models.IntegerField(
        null=True, blank=True, validators=[MinValueValidator(0)]
    )
    notes = models.TextField(blank=True)
    # No index of its own: the task_uid_unique_in_import index (staged_import, uid)
    # serves it.
    staged_import = _staged_import_field(db_index=False)
    objects = LivePlanRows()
    all_rows = EveryPlanRow()
    history = HistoricalRecords()

    class Meta:
        ordering = ["project_id", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "uid"],
                condition=models.Q(staged_import__isnull=True),
                name="task_uid_unique_in_project",
            ),
            models.UniqueConstraint(
                fields=["staged_import", "uid"], name="task_uid_unique_in_import"
            ),
        ]
        indexes = [models.Index(fields=["project", "position"])]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors = {}
        needs_date = self.constraint_type not in (self.Constraint.ASAP, self.Constraint.ALAP)
        if needs_date and self.constraint_date is None:
            errors["constraint_date"] = _("This constraint needs a date.")
        if self.manual and (self.manual_start is None or self.manual_finish is None):
            errors["manual_start"] = _("A manually scheduled task needs a start and a finish.")
        if self.manual_start and self.manual_finish and self.manual_finish < self.manual_start:
            errors["manual_finish"] = _("The finish cannot be before the start.")
        if self.actual_start and self.actual_finish and self.actual_finish < self.actual_start:
            errors["actual_finish"] = _("The actual finish cannot be before the actual start.")
        if self.actual_finish and self.actual_start is None:
            errors["actual_start"] = _("A finished task needs an actual start.")
        if errors:
            raise ValidationError(errors)


class TaskLink(VersionedModel):
    class Type(models.IntegerChoices):
        # Microsoft Project's codes in MSPDI files.
        FF = 0, "FF"
        FS = 1, "FS"
        SF = 2, "SF"
        SS = 3, "SS"

    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="task_links"
    )
    # No index of its own: the one_link_per_pair index (predecessor, successor) serves it.
    predecessor = models.ForeignKey(
        Task, on_delete=models.CASCADE, related_name="successor_links", db_index=False
    )
    successor = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="predecessor_links")
    type = models.PositiveSmallIntegerField(choices=Type.choices, default=Type.FS)
    lag_minutes = models.IntegerField(default=0, help_text=_("Working minutes; negative = lead."))
    lag_percent = models.DecimalField(
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Lag as a percentage of the predecessor's duration; replaces the minutes."),
    )
    lag_elapsed = models.BooleanField(default=False)
    staged_import = _staged_import_field()
    objects = LivePlanRows()
    all_rows = EveryPlanRow()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("dependency")
        verbose_name_plural = _("dependencies")
        ordering = ["project_id", "successor_id", "predecessor_id"]
        constraints = [
            models.UniqueConstraint(fields=["predecessor", "successor"], name="one_link_per_pair"),
            models.CheckConstraint(
                condition=~models.Q(predecessor=models.F("successor")), name="no_self_link"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.predecessor_id} → {self.successor_id} ({self.get_type_display()})"


class Baseline(VersionedModel):
    """A saved copy of the plan's dates and durations (numbers 0–10, as in MS Project).

    Overwriting one names the ``version`` read, like any edit. Baseline 0 is the approved
    baseline: it may be ``protected``, and then only whoever holds
    ``P.BASELINE_PROTECTED_OVERWRITE`` (the project manager, the PMO) may overwrite or
    delete it, giving a ``reason`` the history keeps.
    """

    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="baselines"
    )
    number = models.PositiveSmallIntegerField(validators=[MaxValueValidator(10)])
    name = models.CharField(max_length=100, blank=True)
    saved_at = models.DateTimeField(auto_now=True)
    saved_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    project_start = LocalDateTimeField(null=True, blank=True)
    project_finish = LocalDateTimeField(null=True, blank=True)
    protected = models.BooleanField(
        _("protected"),
        default=False,
        help_text=_("Only the project manager or the PMO may overwrite or delete it."),
    )
    # Kept on the row rather than only as the history's change reason (100 characters):
    # each history row then carries the whole reason of the change it records.
    reason = models.CharField(_("reason for the change"), max_length=500, blank=True)
    # Saving or deleting a baseline is a change to the plan the project's history shows.
    history = HistoricalRecords(excluded_fields=["saved_at"])

    class Meta:
        ordering = ["project_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["project", "number"], name="one_baseline_per_number")
        ]

    def __str__(self) -> str:
        return self.name or f"Baseline {self.number}"


class BaselineTask(models.Model):
    baseline = models.ForeignKey(Baseline, on_delete=models.CASCADE, related_name="tasks")
    task_uid = models.PositiveIntegerField()
    name = models.CharField(max_length=255)
    # Microsoft Project files may save any one of these alone, so each is optional.
    start = LocalDateTimeField(null=True, blank=True)
    finish = LocalDateTimeField(null=True, blank=True)
    duration_minutes = models.IntegerField(null=True, blank=True)

    class Meta:
        ordering = ["baseline_id", "task_uid"]
        constraints = [
            models.UniqueConstraint(fields=["baseline", "task_uid"], name="baseline_task_unique")
        ]

    def __str__(self) -> str:
        return f"{self.name} (baseline task {self.task_uid})"


class TaskAssignment(models.Model):
    """A work resource assigned to a task: who works on it, at what units, for how much
    work. A task's assignments are its Resource Names (``Priya[50%], Tom``) and whose
    "My work" it is on (ADR 17).

    The resource is a Person from the directory (contractors included: people without a
    login); an imported file's resource no person matches is kept by name alone. A
    resource on its own calendar (a night shift) changes when the task finishes: see
    ``steerco.engine.scheduling.resources``.
    """

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="assignments")
    resource_name = models.CharField(max_length=200)
    person = models.ForeignKey(
        "resources.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    calendar = models.ForeignKey(
        WorkCalendar, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    units = models.DecimalField(
        max_digits=6, decimal_places=3, default=1, validators=[MinValueValidator(0)]
    )
    work_minutes = models.PositiveIntegerField(default=0)
    contoured = models.BooleanField(default=False)
    staged_import = _staged_import_field()
    objects = LivePlanRows()
    all_rows = EveryPlanRow()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["task_id", "resource_name"]

    def __str__(self) -> str:
        return f"{self.resource_name} on {self.task}"


class PlanOutlook(models.Model):
    """A project's schedule figures as last computed from its plan, kept so that lists of
    many projects (the project list, a portfolio, the export) read them instead of
    scheduling every plan on each request.

    Derived data, not a record anyone edits: the plan's services write it after every
    change that can move a date (``services.outlook_refresh``), imports after switching
    the plan in, and a list computes it when it is missing or was computed against
    another planned finish. Dates are local dates of the project; slips are working days
    of the project's calendar (positive: late).
    """

    project = models.OneToOneField(
        "projects.Project", on_delete=models.CASCADE, related_name="plan_outlook"
    )
    computed_at = models.DateTimeField()
    tasks = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True, help_text=_("Why the plan cannot be scheduled."))
    percent_complete = models.PositiveSmallIntegerField(null=True, blank=True)
    forecast_finish = models.DateField(null=True, blank=True)
    baseline_finish = models.DateField(null=True, blank=True, help_text=_("Of baseline 0."))
    baseline_days_late = models.IntegerField(null=True, blank=True)
    planned_finish = models.DateField(
        null=True,
        blank=True,
        help_text=_("The project's planned finish the slip was counted from."),
    )
    planned_days_late = models.IntegerField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Outlook of project {self.project_id}"


class OutlinePreference(models.Model):
    """The summary tasks one user keeps collapsed in one project's plan grid and chart.

    How that person looks at the plan, not part of it: no version, no history, and nobody
    else's view changes. Ids of tasks since deleted are dropped at the next change.
    """

    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="+")
    project = models.ForeignKey("projects.Project", on_delete=models.CASCADE, related_name="+")
    collapsed = models.JSONField(default=list, help_text=_("Ids of the collapsed summary tasks."))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "project"], name="outline_preference_unique_per_user_project"
            )
        ]

    def __str__(self) -> str:
        return f"Outline of {self.project} for {self.user}"
