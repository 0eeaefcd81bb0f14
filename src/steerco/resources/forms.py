"""Forms for the people directory; business rules stay in services."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .models import WEEKDAY_NAMES, Person, Role


class PersonFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Name, email or team")}),
    )


class PersonForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)
    name = forms.CharField(label=_("Name"), max_length=200)
    email = forms.EmailField(label=_("Email"), required=False)
    team = forms.CharField(label=_("Team"), max_length=100, required=False)
    job_title = forms.CharField(label=_("Job title"), max_length=100, required=False)
    user = forms.ModelChoiceField(
        label=_("Login"),
        required=False,
        queryset=get_user_model().objects.none(),
        help_text=_("Leave empty for people without a SteerCo login, such as contractors."),
    )
    active = forms.BooleanField(label=_("Active"), required=False, initial=True)
    # --- role, employment and working pattern (capacity: ADR 19) ---
    line_manager = forms.ModelChoiceField(
        label=_("Line manager"), required=False, queryset=Person.objects.filter(active=True)
    )
    primary_role = forms.ModelChoiceField(
        label=_("Role"), required=False, queryset=Role.objects.all()
    )
    employment_type = forms.ChoiceField(
        label=_("Employment"),
        choices=Person.EmploymentType.choices,
        initial="employee",
        required=False,
    )
    employment_start = forms.DateField(
        label=_("Employed from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    employment_end = forms.DateField(
        label=_("Employed until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    weekly_hours = forms.DecimalField(
        label=_("Hours in a full week"),
        min_value=0,
        max_value=168,
        decimal_places=2,
        initial=40,
        required=False,
    )
    working_weekdays = forms.TypedMultipleChoiceField(
        label=_("Working days"),
        coerce=int,
        choices=list(enumerate(WEEKDAY_NAMES)),
        initial=[0, 1, 2, 3, 4],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    part_time_percent = forms.IntegerField(
        label=_("Part time (%)"), min_value=1, max_value=100, initial=100, required=False
    )
    availability_percent = forms.IntegerField(
        label=_("Available for projects (%)"),
        min_value=0,
        max_value=100,
        initial=80,
        required=False,
        help_text=_("What is left for project work after meetings, support and admin."),
    )
    holiday_country = forms.CharField(
        label=_("Public holidays of (country code)"), required=False, max_length=2
    )
    holiday_subdivision = forms.CharField(label=_("Region"), required=False, max_length=10)

    def clean_holiday_country(self) -> str:
        return self.cleaned_data["holiday_country"].strip().upper()

    def clean_holiday_subdivision(self) -> str:
        return self.cleaned_data["holiday_subdivision"].strip().upper()

    def __init__(self, *args, person=None, **kwargs):
        super().__init__(*args, **kwargs)
        if person is not None:
            self.fields["line_manager"].queryset = Person.objects.filter(active=True).exclude(
                pk=person.pk
            )
        # Logins not yet tied to a person, plus this person's own.
        free = Q(person__isnull=True)
        if person is not None and person.user_id:
            free |= Q(pk=person.user_id)
        self.fields["user"].queryset = (
            get_user_model().objects.filter(free, is_active=True).order_by("username")
        )
