"""Forms for the people directory; business rules stay in services."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


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

    def __init__(self, *args, person=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Logins not yet tied to a person, plus this person's own.
        free = Q(person__isnull=True)
        if person is not None and person.user_id:
            free |= Q(pk=person.user_id)
        self.fields["user"].queryset = (
            get_user_model().objects.filter(free, is_active=True).order_by("username")
        )
