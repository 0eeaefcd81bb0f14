from __future__ import annotations

import hashlib

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A login. The person behind it (if any) is ``user.person`` in the resources app."""

    class Meta:
        ordering = ["username"]


class OrganisationRole(models.Model):
    """A role held across the whole organisation, as opposed to a role on one project."""

    class Role(models.TextChoices):
        ADMINISTRATOR = "administrator", _("Administrator")
        PMO = "pmo", _("PMO")
        EXECUTIVE = "executive", _("Executive")
        RESOURCE_MANAGER = "resource_manager", _("Resource manager")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="organisation_roles"
    )
    role = models.CharField(max_length=32, choices=Role.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "role"], name="unique_organisation_role")
        ]
        ordering = ["user__username", "role"]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()}"


class ApiToken(models.Model):
    """A personal API token. Only a SHA-256 digest is stored; the token is shown once.

    Tokens are 256-bit random strings, so a fast digest is enough: there is nothing to
    brute-force that a slow password hash would protect.
    """

    PREFIX = "stc_"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100)
    digest = models.CharField(max_length=64, unique=True)
    hint = models.CharField(max_length=12, help_text=_("First characters, to recognise it."))
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    # Null means it never expires: what its owner chose, or a token made before expiry
    # existed (those keep working rather than stopping on a date nobody picked).
    expires_at = models.DateTimeField(null=True, blank=True)
    read_only = models.BooleanField(
        default=False, help_text=_("May only read (GET, HEAD, OPTIONS), never change anything.")
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.hint}…)"

    @property
    def is_expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and not self.is_expired

    @staticmethod
    def digest_of(raw_token: str) -> str:
        return hashlib.sha256(raw_token.encode()).hexdigest()


class PasswordResetRequest(models.Model):
    """A password-reset request that was answered with an e-mail (or would have been, had
    the address been known): what ``throttle.password_reset_allowed`` counts.

    The address typed is kept only as a SHA-256 digest of its lower-case form: the rows
    are counted, never read, and a stranger's mistyped address is nobody's business.
    Rows older than the counting window are deleted as new requests come in.
    """

    email_digest = models.CharField(max_length=64)
    client_address = models.GenericIPAddressField(null=True, blank=True)
    requested_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            models.Index(fields=["email_digest", "requested_at"], name="reset_by_email"),
            models.Index(fields=["client_address", "requested_at"], name="reset_by_address"),
            models.Index(fields=["requested_at"], name="reset_by_time"),
        ]

    def __str__(self) -> str:
        return f"Password reset asked from {self.client_address or 'an unknown address'}"

    @staticmethod
    def digest_of(email: str) -> str:
        return hashlib.sha256(email.strip().casefold().encode()).hexdigest()
