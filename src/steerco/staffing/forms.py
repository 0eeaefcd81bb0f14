"""Forms of the capacity pages and of allocation editing; rules stay in services."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from steerco.core.forms import PlainLabels
from steerco.resources.models import Leave, Person, Role, Skill

from .models import Allocation

#: The longest range a page computes: two years of weeks, three of months.
MAX_WEEKS = 104
MAX_MONTHS = 36

DEMAND_CHOICES = (
    ("all", _("Confirmed, tentative and soft")),
    ("weighted", _("All, soft and tentative weighted by probability")),
    ("firm", _("Confirmed and tentative")),
    ("confirmed", _("Confirmed only")),
)


def this_monday() -> dt.date:
    today = dt.date.today()
    return today - dt.timedelta(days=today.weekday())


def demand_flags(choice: str) -> dict:
    """The DemandView of a DEMAND_CHOICES value."""
    return {
        "all": {"include_tentative": True, "include_soft": True, "weighted": False},
        "weighted": {"include_tentative": True, "include_soft": True, "weighted": True},
        "firm": {"include_tentative": True, "include_soft": False, "weighted": False},
        "confirmed": {"include_tentative": False, "include_soft": False, "weighted": False},
    }[choice]


class RangeForm(PlainLabels, forms.Form):
    """The dates and the interval a capacity page covers (defaults: 12 weeks from this
    week's Monday)."""

    start = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    finish = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    interval = forms.ChoiceField(
        label=_("By"), required=False, choices=(("week", _("week")), ("month", _("month")))
    )
    demand = forms.ChoiceField(label=_("Demand"), required=False, choices=DEMAND_CHOICES)

    default_weeks = 12
    default_interval = "week"

    def clean(self):
        data = super().clean()
        data["interval"] = data.get("interval") or self.default_interval
        data["demand"] = data.get("demand") or "all"
        start = data.get("start") or this_monday()
        span = (
            dt.timedelta(weeks=self.default_weeks)
            if data["interval"] == "week"
            else dt.timedelta(days=365)
        )
        finish = data.get("finish") or start + span - dt.timedelta(days=1)
        if finish < start:
            raise forms.ValidationError({"finish": _("The range ends before it starts.")})
        limit = MAX_WEEKS * 7 if data["interval"] == "week" else MAX_MONTHS * 31
        if (finish - start).days > limit:
            raise forms.ValidationError(
                {"finish": _("Choose at most two years by week or three years by month.")}
            )
        data["start"], data["finish"] = start, finish
        return data


class HeatmapForm(RangeForm):
    group_by = forms.ChoiceField(
        label=_("Rows"),
        required=False,
        choices=(
            ("person", _("people")),
            ("role", _("roles")),
            ("team", _("teams")),
            ("skill", _("skills")),
        ),
    )
    team = forms.CharField(label=_("Team"), required=False, max_length=100)

    def clean(self):
        data = super().clean()
        data["group_by"] = data.get("group_by") or "person"
        return data


class RoleViewForm(RangeForm):
    default_weeks = 52
    default_interval = "month"


class SkillSearchForm(PlainLabels, forms.Form):
    skill = forms.ModelChoiceField(
        label=_("Skill"), queryset=Skill.objects.all(), required=False, empty_label=_("any skill")
    )
    min_level = forms.IntegerField(
        label=_("Level at least"), min_value=1, max_value=5, initial=3, required=False
    )
    min_free = forms.IntegerField(
        label=_("Free at least (%)"), min_value=0, max_value=100, initial=50, required=False
    )
    start = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    finish = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self):
        data = super().clean()
        start = data.get("start") or this_monday()
        finish = data.get("finish") or start + dt.timedelta(days=27)
        if finish < start:
            raise forms.ValidationError({"finish": _("The range ends before it starts.")})
        if (finish - start).days > MAX_WEEKS * 7:
            raise forms.ValidationError({"finish": _("Search at most two years at a time.")})
        data["start"], data["finish"] = start, finish
        data["min_level"] = data.get("min_level") or 1
        data["min_free"] = data.get("min_free") if data.get("min_free") is not None else 0
        return data


class AllocationForm(PlainLabels, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)
    project = forms.ModelChoiceField(label=_("Project"), queryset=None)
    person = forms.ModelChoiceField(
        label=_("Person"),
        queryset=Person.objects.filter(active=True),
        required=False,
        help_text=_("Leave empty to ask for a role; a resource manager names the person."),
    )
    role = forms.ModelChoiceField(label=_("Role"), queryset=Role.objects.all(), required=False)
    amount = forms.DecimalField(label=_("Amount"), max_digits=9, decimal_places=2)
    unit = forms.ChoiceField(
        label=_("Unit"), choices=Allocation.Unit.choices, initial=Allocation.Unit.HOURS_PER_WEEK
    )
    start = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    finish = forms.DateField(label=_("To"), widget=forms.DateInput(attrs={"type": "date"}))
    status = forms.ChoiceField(label=_("Status"), choices=Allocation.Status.choices)
    probability = forms.DecimalField(
        label=_("Win probability"),
        max_digits=4,
        decimal_places=3,
        initial=1,
        required=False,
        help_text=_("0–1, for soft and tentative demand: 40 h at 0.5 counts as 20 h weighted."),
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, projects, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = projects

    def clean(self):
        data = super().clean()
        if not data.get("person") and not data.get("role"):
            self.add_error(
                "person", _("Name a person, or a role for the resource manager to fill.")
            )
        if data.get("probability") is None:
            data["probability"] = 1
        return data


class VersionForm(PlainLabels, forms.Form):
    """Only the version the page showed: approving, deleting and restoring take no more."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class FillForm(VersionForm):
    person = forms.ModelChoiceField(label=_("Person"), queryset=Person.objects.filter(active=True))


class DecisionForm(VersionForm):
    reason = forms.CharField(label=_("Reason"), required=False, max_length=500)


class LeaveForm(PlainLabels, forms.Form):
    start = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    finish = forms.DateField(label=_("To"), widget=forms.DateInput(attrs={"type": "date"}))
    day_fraction = forms.TypedChoiceField(
        label=_("Each day"),
        coerce=float,
        choices=(("1", _("whole day")), ("0.5", _("half day"))),
        initial="1",
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=Leave.Kind.choices)
    reason = forms.CharField(
        label=_("Reason (private)"),
        required=False,
        max_length=255,
        help_text=_("Seen only by the person, their line manager, resource managers and the PMO."),
    )


class SkillForm(PlainLabels, forms.Form):
    skill = forms.ModelChoiceField(label=_("Skill"), queryset=Skill.objects.all())
    level = forms.IntegerField(label=_("Level (1–5)"), min_value=1, max_value=5)
    assessed_on = forms.DateField(
        label=_("Assessed on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
