from __future__ import annotations

from datetime import timedelta

from django import forms
from django.contrib.auth import authenticate
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


class RevokeTokensChoice(forms.Form):
    """The offer, on every form that sets a new password, to end every API token too.

    Ticked by default: someone changing a password they fear is known should not also
    have to remember the tokens a thief could have made with it.
    """

    revoke_tokens = forms.BooleanField(
        label=_("Also revoke all my API tokens"),
        required=False,
        initial=True,
        help_text=_(
            "Recommended if someone else may have known your password. Scripts using your "
            "tokens stop working until you give them new ones."
        ),
    )


class PasswordForm(PlainLabels, PasswordChangeForm, RevokeTokensChoice):
    pass


class PasswordResetRequestForm(PlainLabels, PasswordResetForm):
    """Ask for a reset link by e-mail address; the answer never says whether it is known."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].label = _("E-mail address")


class NewPasswordForm(PlainLabels, SetPasswordForm, RevokeTokensChoice):
    pass


class PasswordConfirmForm(PlainLabels, forms.Form):
    """Type your password again before a sensitive change (see ``password_check``).

    Checked through ``authenticate`` so wrong guesses count towards the login throttle:
    someone holding a stolen session cannot try passwords here without limit.
    """

    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True}),
    )

    def __init__(self, request, *args, **kwargs):
        self.request = request
        super().__init__(*args, **kwargs)

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        user = self.request.user
        checked = authenticate(self.request, username=user.get_username(), password=password)
        if checked is None or checked.pk != user.pk:
            raise forms.ValidationError(
                _("That password is not correct."), code="password_incorrect"
            )
        return password


class TokenCreateForm(PlainLabels, forms.Form):
    NEVER = "never"
    EXPIRY_CHOICES = [
        ("30", _("30 days")),
        ("90", _("90 days")),
        ("365", _("1 year")),
        (NEVER, _("No expiry")),
    ]

    name = forms.CharField(
        label=_("Token name"),
        max_length=100,
        help_text=_("Say what will use it, e.g. “Reporting script on build server”."),
    )
    expiry = forms.ChoiceField(
        label=_("Expires after"),
        choices=EXPIRY_CHOICES,
        initial="365",
        required=False,
        help_text=_("After that it stops working and you create a new one."),
    )
    read_only = forms.BooleanField(
        label=_("Read-only"),
        required=False,
        help_text=_("It may only read; any change it tries is refused."),
    )

    def expires_in(self) -> timedelta | None:
        """The lifetime chosen: a year when none was sent, None for no expiry."""
        choice = self.cleaned_data.get("expiry") or "365"
        return None if choice == self.NEVER else timedelta(days=int(choice))
