from __future__ import annotations

from django import forms
from django.contrib.auth.forms import (
    AuthenticationForm,
    PasswordChangeForm,
    PasswordResetForm,
    SetPasswordForm,
)
from django.utils.translation import gettext_lazy as _

from steerco.core.forms import PlainLabels


class LoginForm(PlainLabels, AuthenticationForm):
    """Django's login form with the labels and autocomplete hints our pages use."""

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = _("Username")
        self.fields["password"].label = _("Password")
        self.fields["password"].widget.attrs["autocomplete"] = "current-password"


class PasswordForm(PlainLabels, PasswordChangeForm):
    pass


class PasswordResetRequestForm(PlainLabels, PasswordResetForm):
    """Ask for a reset link by e-mail address; the answer never says whether it is known."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].label = _("E-mail address")


class NewPasswordForm(PlainLabels, SetPasswordForm):
    pass


class TokenCreateForm(PlainLabels, forms.Form):
    name = forms.CharField(
        label=_("Token name"),
        max_length=100,
        help_text=_("Say what will use it, e.g. “Reporting script on build server”."),
    )
