"""Forms of the plan pages. They turn MS Project notation (``3d``, ``3FS+2d, 5SS``, ``SNET``)
into model values; business rules (loops, permissions, versions) stay in the services.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from steerco.core.forms import PlainLabels
from steerco.engine.interop.tasklist import NotationError, parse_duration, parse_predecessors

from .display import whole_percent_text
from .models import Task
from .transfer import IMPORT_MODES, REPLACE, UPDATE

#: The abbreviations MS Project users type in the Constraint column, by model value.
CONSTRAINT_CODES = {
    Task.Constraint.ASAP: "ASAP",
    Task.Constraint.ALAP: "ALAP",
    Task.Constraint.MSO: "MSO",
    Task.Constraint.MFO: "MFO",
    Task.Constraint.SNET: "SNET",
    Task.Constraint.SNLT: "SNLT",
    Task.Constraint.FNET: "FNET",
    Task.Constraint.FNLT: "FNLT",
}
DATED_CONSTRAINTS = {
    c for c in Task.Constraint if c not in (Task.Constraint.ASAP, Task.Constraint.ALAP)
}
#: Constraints on a finish take the end of the working day, the rest its beginning,
#: as MS Project does when only a date is typed.
FINISH_CONSTRAINTS = {Task.Constraint.MFO, Task.Constraint.FNET, Task.Constraint.FNLT}
DAY_START = dt.time(8, 0)
DAY_END = dt.time(17, 0)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        # The browser's date picker sends and expects ISO dates whatever the locale.
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def parse_constraint(text: str) -> int:
    """A constraint typed as its abbreviation (SNET) or its name (Start no earlier than)."""
    wanted = " ".join(text.split()).lower()
    if not wanted:
        return Task.Constraint.ASAP
    for value, code in CONSTRAINT_CODES.items():
        if wanted in (code.lower(), str(value.label).lower()):
            return value
    raise forms.ValidationError(
        _("'%(text)s' is not a constraint; use ASAP, ALAP, MSO, MFO, SNET, SNLT, FNET or FNLT."),
        params={"text": text},
    )


class PercentField(forms.DecimalField):
    """A percentage as typed in the grid: "58", "58%" or "57.5 %"."""

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().removesuffix("%").strip()
        return super().to_python(value)


class TaskProgressForm(PlainLabels, forms.Form):
    """What a team member may change on a task assigned to them.

    ``current_percent`` is the task's stored % complete. The grid shows it in whole percent,
    so a row sent back with that text unchanged keeps the stored value (57.86 shown as "58%"
    stays 57.86) rather than being rounded by a save of another cell.
    """

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    percent_complete = PercentField(
        label=_("% complete"), min_value=0, max_value=100, decimal_places=2, required=False
    )

    def __init__(self, *args, current_percent=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.current_percent = current_percent

    def clean_percent_complete(self):
        typed = str(self.data.get(self.add_prefix("percent_complete"), "")).strip()
        if self.current_percent is not None and typed == whole_percent_text(self.current_percent):
            return self.current_percent
        return self.cleaned_data["percent_complete"] or 0


class TaskRowForm(TaskProgressForm):
    """One row of the plan grid as typed: notation is parsed here, against the plan's rows.

    ``positions`` maps the row numbers the user sees (MS Project's ID column) to tasks, so
    "3FS+2d" names the task on row 3.
    """

    name = forms.CharField(label=_("Name"), max_length=255)
    duration = forms.CharField(label=_("Duration"), max_length=40, required=False)
    resources = forms.CharField(label=_("Resources"), max_length=2000, required=False)
    predecessors = forms.CharField(label=_("Predecessors"), max_length=2000, required=False)
    constraint = forms.CharField(label=_("Constraint"), max_length=40, required=False)
    constraint_date = forms.DateField(label=_("Constraint date"), required=False)

    def __init__(self, *args, task: Task, positions: dict[int, Task], minutes_per_day: int, **kw):
        super().__init__(*args, current_percent=task.percent_complete, **kw)
        self.task = task
        self.positions = positions
        self.minutes_per_day = minutes_per_day or 480

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("A task needs a name."))
        return name

    def clean_duration(self):
        text = self.cleaned_data["duration"].strip()
        if not text:
            return None  # unchanged: summary rows show a rolled-up duration
        try:
            parsed = parse_duration(text, minutes_per_day=self.minutes_per_day)
        except NotationError as error:
            raise forms.ValidationError(str(error)) from None
        if parsed.minutes < 0:
            raise forms.ValidationError(_("A duration cannot be negative."))
        return parsed

    def clean_predecessors(self):
        text = self.cleaned_data["predecessors"]
        try:
            entries = parse_predecessors(text, minutes_per_day=self.minutes_per_day)
        except NotationError as error:
            raise forms.ValidationError(str(error)) from None
        unknown = [str(e.task_id) for e in entries if e.task_id not in self.positions]
        if unknown:
            raise forms.ValidationError(
                _("There is no row %(ids)s in this plan.") % {"ids": ", ".join(unknown)}
            )
        if any(self.positions[e.task_id].pk == self.task.pk for e in entries):
            raise forms.ValidationError(_("A task cannot be its own predecessor."))
        return [(self.positions[e.task_id], e) for e in entries]

    def clean_constraint(self):
        return parse_constraint(self.cleaned_data["constraint"])

    def clean(self):
        data = super().clean()
        kind = data.get("constraint")
        if kind in DATED_CONSTRAINTS and not data.get("constraint_date"):
            self.add_error("constraint_date", _("This constraint needs a date."))
        return data

    def task_changes(self) -> dict:
        """Model fields whose typed value differs from the stored one."""
        data = self.cleaned_data
        task = self.task
        wanted = {"name": data["name"], "percent_complete": data["percent_complete"]}
        duration = data.get("duration")
        if duration is not None:
            wanted["duration_minutes"] = duration.minutes
            wanted["elapsed"] = duration.elapsed
        kind = data["constraint"]
        wanted["constraint_type"] = kind
        wanted["constraint_date"] = self._constraint_moment(kind, data.get("constraint_date"))
        return {name: value for name, value in wanted.items() if getattr(task, name) != value}

    def _constraint_moment(self, kind: int, day: dt.date | None) -> dt.datetime | None:
        if kind not in DATED_CONSTRAINTS or day is None:
            return None
        current = self.task.constraint_date
        if current is not None and current.date() == day:
            return current  # keep a time set elsewhere (an imported file, the API)
        return dt.datetime.combine(day, DAY_END if kind in FINISH_CONSTRAINTS else DAY_START)


class RowActionForm(forms.Form):
    """The grid toolbar: an action on the selected row."""

    ACTIONS = ("add", "add_child", "indent", "outdent", "up", "down", "delete")

    action = forms.ChoiceField(choices=[(a, a) for a in ACTIONS])
    task = forms.IntegerField(required=False)
    # The version of the selected row the page showed: a delete is refused if the task
    # has been saved since. Absent (an older page), the task as it is now is meant.
    version = forms.IntegerField(required=False, min_value=1)
    new_name = forms.CharField(max_length=255, required=False)
    confirmed = forms.BooleanField(required=False)


class OutlineToggleForm(forms.Form):
    """The grid's collapse and expand buttons: each sends one field, named for what it does
    (``collapse`` or ``expand`` with a task id, or ``expand=all``)."""

    collapse = forms.IntegerField(required=False, min_value=1)
    expand = forms.CharField(required=False, max_length=20)

    def clean(self):
        data = super().clean()
        collapse, expand = data.get("collapse"), (data.get("expand") or "").strip()
        if (collapse is None) == (not expand):
            raise forms.ValidationError(_("Say which summary task to collapse or expand."))
        if collapse is not None:
            data["task_id"], data["collapsed"] = collapse, True
        elif expand == "all":
            data["task_id"], data["collapsed"] = None, False
        elif expand.isdigit() and int(expand) > 0:
            data["task_id"], data["collapsed"] = int(expand), False
        else:
            raise forms.ValidationError(_("Expand takes a task id or 'all'."))
        return data


class ChartOptionsForm(PlainLabels, forms.Form):
    zoom = forms.ChoiceField(
        label=_("Zoom"),
        required=False,
        choices=[("day", _("Days")), ("week", _("Weeks")), ("month", _("Months"))],
    )
    critical = forms.ChoiceField(
        label=_("Critical path"),
        required=False,
        choices=[("show", _("Show")), ("hide", _("Hide"))],
    )
    baseline = forms.TypedChoiceField(
        label=_("Compare with baseline"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, data=None, *, baselines=(), default_zoom="week", **kwargs):
        # Bound with the defaults filled in, so the selects show the options in use.
        data = {
            "zoom": default_zoom,
            "critical": "show",
            **{k: v for k, v in (data or {}).items() if v},
        }
        super().__init__(data, **kwargs)
        self.default_zoom = default_zoom
        self.fields["baseline"].choices = [("", _("None"))] + [
            (b.number, f"{b.number} — {b}") for b in baselines
        ]

    def options(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        return {
            "zoom": data.get("zoom") or self.default_zoom,
            "show_critical": (data.get("critical") or "show") == "show",
            "baseline": data.get("baseline"),
        }


class PlanSettingsForm(PlainLabels, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    start = forms.DateField(label=_("Project start"), widget=DateInput)
    status_date = forms.DateField(
        label=_("Status date"),
        required=False,
        widget=DateInput,
        help_text=_("Work not done by the end of this day is scheduled after it."),
    )
    honor_constraints = forms.BooleanField(
        label=_("Honour constraint dates over dependencies"), required=False
    )
    minutes_per_day = forms.IntegerField(
        label=_("Working minutes per day"),
        min_value=1,
        max_value=1440,
        help_text=_("How many minutes a duration of 1d stands for (480 = 8 hours)."),
    )

    def changes(self, settings) -> dict:
        data = self.cleaned_data
        start = settings.start
        if start is None or start.date() != data["start"]:
            start = dt.datetime.combine(data["start"], DAY_START)
        status = settings.status_date
        if data["status_date"] is None:
            status = None
        elif status is None or status.date() != data["status_date"]:
            status = dt.datetime.combine(data["status_date"], DAY_END)
        wanted = {
            "start": start,
            "status_date": status,
            "honor_constraints": data["honor_constraints"],
            "minutes_per_day": data["minutes_per_day"],
        }
        return {k: v for k, v in wanted.items() if getattr(settings, k) != v}


def settings_initial(settings) -> dict:
    return {
        "version": settings.version,
        "start": settings.start.date() if settings.start else None,
        "status_date": settings.status_date.date() if settings.status_date else None,
        "honor_constraints": settings.honor_constraints,
        "minutes_per_day": settings.minutes_per_day,
    }


class BaselineSaveForm(PlainLabels, forms.Form):
    number = forms.TypedChoiceField(
        label=_("Baseline number"), coerce=int, choices=[(n, str(n)) for n in range(11)]
    )
    name = forms.CharField(label=_("Name"), max_length=100, required=False)
    overwrite = forms.BooleanField(
        label=_("Overwrite the baseline already saved under this number"), required=False
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        required=False,
        help_text=_("Required to overwrite a protected baseline; kept in its history."),
    )

    def __init__(self, *args, saved: dict[int, object], **kwargs):
        super().__init__(*args, **kwargs)
        self.saved = saved

    def clean(self):
        data = super().clean()
        number = data.get("number")
        # The page lists each saved baseline with a hidden ``version_<number>``: the version
        # the person saw, which the save checks (none: they saw the number free).
        try:
            data["expected_version"] = int(self.data.get(f"version_{number}", ""))
        except ValueError:
            data["expected_version"] = None
        if number in self.saved and not data.get("overwrite"):
            self.add_error(
                "overwrite",
                _("Baseline %(n)s is already saved (%(name)s). Tick this box to replace it.")
                % {"n": number, "name": self.saved[number]},
            )
        return data


class PlanImportForm(PlainLabels, forms.Form):
    """The file, and, when the project already has a plan, how the file goes into it."""

    file = forms.FileField(
        label=_("Plan file"),
        help_text=_("Microsoft Project XML (.xml), SteerCo JSON (.json), CSV or Excel (.xlsx)."),
    )
    mode = forms.ChoiceField(
        label=_("The project already has a plan"),
        choices=list(IMPORT_MODES.items()),
        widget=forms.RadioSelect,
    )
    delete_missing = forms.BooleanField(
        label=_("Delete tasks not in the file"),
        required=False,
        help_text=_("Only when updating by UID: without it, the plan's other tasks are kept."),
    )

    def __init__(self, *args, has_plan: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not has_plan:
            # Nothing to replace or update: the file becomes the plan.
            del self.fields["mode"]
            del self.fields["delete_missing"]

    def clean(self):
        data = super().clean()
        data.setdefault("mode", REPLACE)
        if data.get("delete_missing") and data.get("mode") != UPDATE:
            self.add_error(
                "delete_missing", _("Tasks not in the file are deleted only when updating.")
            )
        return data
