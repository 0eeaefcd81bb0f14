"""Login, logout, password change and reset, and personal API tokens."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from steerco.core.exceptions import DomainError
from steerco.core.forms import add_service_errors

from .forms import (
    LoginForm,
    NewPasswordForm,
    PasswordConfirmForm,
    PasswordForm,
    PasswordResetRequestForm,
    TokenCreateForm,
)
from .models import ApiToken
from .password_check import (
    PASSWORD_CHECK_VALID,
    password_check_record,
    password_check_valid_until,
    password_checked_recently,
)
from .selectors import token_list
from .services import token_create, token_revoke, token_revoke_all
from .throttle import clear_user_lock, password_reset_allowed


class LoginView(auth_views.LoginView):
    # django-axes hooks into authenticate(); a locked-out attempt never reaches this view's
    # form_valid and is answered with accounts/locked_out.html by the axes middleware.
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        # The password was just typed: that is the check sensitive pages ask for.
        password_check_record(self.request)
        return response


# A logout posted after the session expired should still land on the login page, not on
# a login redirect back to a POST-only URL.
@method_decorator(login_not_required, name="dispatch")
class LogoutView(auth_views.LogoutView):
    pass


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    form_class = PasswordForm
    success_url = reverse_lazy("accounts:password_change_done")

    def form_valid(self, form):
        response = super().form_valid(form)
        password_check_record(self.request)
        _revoke_tokens_if_asked(self.request, form)
        return response


def _revoke_tokens_if_asked(request, form) -> None:
    if not form.cleaned_data.get("revoke_tokens"):
        return
    count = token_revoke_all(user=form.user)
    if count:
        messages.success(
            request,
            ngettext(
                "Your API token is revoked; give your scripts a new one.",
                "Your %(count)d API tokens are revoked; give your scripts new ones.",
                count,
            )
            % {"count": count},
        )


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "accounts/password_change_done.html"


class PasswordResetView(auth_views.PasswordResetView):
    """Send a reset link to the accounts with this e-mail address, through the e-mail backend."""

    template_name = "accounts/password_reset.html"
    form_class = PasswordResetRequestForm
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    @property
    def extra_email_context(self):
        # The link points where people open SteerCo, as in every other e-mail, not at
        # whatever host name the request happened to carry.
        return {"base_url": settings.STEERCO_BASE_URL}

    def form_valid(self, form):
        if not password_reset_allowed(self.request, form.cleaned_data["email"]):
            # The same page as when the mail goes: it must not tell what the limit guards.
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Set a new password from the e-mailed link, end any login lock and sign the user in.

    Signing in here (not through the login form) is what lets a user whose username someone
    else keeps locking get in at once: the link proves who they are.
    """

    template_name = "accounts/password_reset_confirm.html"
    form_class = NewPasswordForm
    post_reset_login = True
    post_reset_login_backend = "django.contrib.auth.backends.ModelBackend"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        clear_user_lock(form.user)
        _revoke_tokens_if_asked(self.request, form)
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


def _safe_next(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def _ask_for_password(request, then: str):
    messages.info(request, _("Confirm your password to create or revoke API tokens."))
    return redirect(f"{reverse('accounts:password_confirm')}?{urlencode({'next': then})}")


@never_cache
@require_http_methods(["GET", "POST"])
def password_confirm(request):
    """Type the password again; sensitive pages (API tokens) accept it for 10 minutes."""
    then = _safe_next(request, reverse("accounts:tokens"))
    if request.method == "POST":
        form = PasswordConfirmForm(request, request.POST)
        if form.is_valid():
            password_check_record(request)
            return redirect(then)
    else:
        form = PasswordConfirmForm(request)
    minutes = PASSWORD_CHECK_VALID // timedelta(minutes=1)
    return render(
        request,
        "accounts/password_confirm.html",
        {"form": form, "next": then, "minutes": minutes},
    )


@never_cache
@require_http_methods(["GET", "POST"])
def tokens(request):
    """List the user's tokens; a POST creates one and shows its raw value this once.

    Creating needs a recent password check (see ``password_check``); without one the page
    offers the check instead of the form.
    """
    created = None
    raw_token = None
    if request.method == "POST" and not password_checked_recently(request):
        return _ask_for_password(request, reverse("accounts:tokens"))
    if request.method == "POST":
        form = TokenCreateForm(request.POST)
        if form.is_valid():
            try:
                created, raw_token = token_create(
                    user=request.user,
                    name=form.cleaned_data["name"],
                    expires_in=form.expires_in(),
                    read_only=form.cleaned_data["read_only"],
                )
            except DomainError as error:
                add_service_errors(form, error)
            else:
                # Rendered, not redirected: the raw value must not travel through the session.
                form = TokenCreateForm()
    else:
        form = TokenCreateForm()
    return render(
        request,
        "accounts/tokens.html",
        {
            "form": form,
            "tokens": token_list(user=request.user),
            "created": created,
            "raw_token": raw_token,
            "checked_until": password_check_valid_until(request),
            "confirm_form": PasswordConfirmForm(request),
        },
    )


@require_POST
def token_revoke_view(request, pk: int):
    # Only the owner's tokens are looked up, so another user's token id is simply unknown.
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    if not password_checked_recently(request):
        return _ask_for_password(request, reverse("accounts:tokens"))
    if token.revoked_at is None:
        token_revoke(token=token)
        messages.success(
            request,
            _("Token “%(name)s” is revoked; programs using it can no longer sign in.")
            % {"name": token.name},
        )
    else:
        messages.info(request, _("Token “%(name)s” was already revoked.") % {"name": token.name})
    return redirect("accounts:tokens")
