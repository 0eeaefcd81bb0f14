"""Writes for accounts: API tokens and role assignments."""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.utils import timezone

from steerco.core.exceptions import DomainError

from .models import ApiToken, OrganisationRole

# Writing last_used_at on every request would turn every API read into a write.
_LAST_USED_RESOLUTION = timedelta(minutes=1)


def token_create(*, user, name: str) -> tuple[ApiToken, str]:
    """Create a token and return it with its raw value, which is never stored."""
    name = (name or "").strip()
    if not name:
        raise DomainError(
            "Give the token a name so you can recognise it later.",
            fields={"name": ["This field is required."]},
        )
    if len(name) > 100:
        raise DomainError(
            "Token names are at most 100 characters.", fields={"name": ["At most 100 characters."]}
        )
    raw = ApiToken.PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name, digest=ApiToken.digest_of(raw), hint=raw[:8]
    )
    return token, raw


def token_revoke(*, token: ApiToken) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def token_authenticate(raw: str):
    """The active user owning this raw token, or None."""
    if not raw or not raw.startswith(ApiToken.PREFIX) or len(raw) > 200:
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=ApiToken.digest_of(raw), revoked_at__isnull=True)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > _LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def organisation_role_grant(*, user, role: str) -> OrganisationRole:
    if role not in OrganisationRole.Role.values:
        raise DomainError(f"Unknown organisation role '{role}'.")
    grant, _ = OrganisationRole.objects.get_or_create(user=user, role=role)
    return grant
