"""Writes for accounts: API tokens and role assignments."""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.utils import timezone

from steerco.core.exceptions import CredentialsRefused, DomainError

from .models import ApiToken, OrganisationRole

# Writing last_used_at on every request would turn every API read into a write.
_LAST_USED_RESOLUTION = timedelta(minutes=1)


DEFAULT_TOKEN_LIFETIME = timedelta(days=365)
# Long enough for any script, short enough that the date arithmetic cannot overflow.
_LONGEST_TOKEN_LIFETIME = timedelta(days=3650)


def token_create(
    *,
    user,
    name: str,
    expires_in: timedelta | None = DEFAULT_TOKEN_LIFETIME,
    read_only: bool = False,
) -> tuple[ApiToken, str]:
    """Create a token and return it with its raw value, which is never stored.

    ``expires_in`` None makes a token that never expires. Callers decide who may create
    one: pages and the API only for a browser session with a recent password check
    (``accounts.password_check``), the command line for whoever runs it.
    """
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
    if expires_in is not None and not timedelta(days=1) <= expires_in <= _LONGEST_TOKEN_LIFETIME:
        message = "A token lasts between 1 day and 10 years, or never expires."
        raise DomainError(message, fields={"expires_in_days": [message]})
    raw = ApiToken.PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name,
        digest=ApiToken.digest_of(raw),
        hint=raw[:8],
        expires_at=None if expires_in is None else timezone.now() + expires_in,
        read_only=read_only,
    )
    return token, raw


def token_revoke(*, token: ApiToken) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def token_revoke_all(*, user) -> int:
    """Revoke every token of ``user`` not yet revoked (expired ones too); how many."""
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


class TokenExpired(CredentialsRefused):
    def __init__(self, token: ApiToken) -> None:
        when = timezone.localtime(token.expires_at)
        super().__init__(
            f"This API token expired on {when:%Y-%m-%d %H:%M} ({when.tzname()}). Create a "
            "new one in the browser, under your name › API tokens.",
            code="token_expired",
        )


def token_check(raw: str) -> ApiToken | None:
    """The active token with this raw value, its user loaded, or None.

    An expired token raises ``TokenExpired``, so the caller can say why it no longer
    works rather than only that it does not.
    """
    if not raw or not raw.startswith(ApiToken.PREFIX) or len(raw) > 200:
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=ApiToken.digest_of(raw), revoked_at__isnull=True)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    if token.is_expired:
        raise TokenExpired(token)
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > _LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token


def token_authenticate(raw: str):
    """The active user owning this raw token, or None (also when it has expired)."""
    try:
        token = token_check(raw)
    except TokenExpired:
        return None
    return token.user if token is not None else None


def organisation_role_grant(*, user, role: str) -> OrganisationRole:
    if role not in OrganisationRole.Role.values:
        raise DomainError(f"Unknown organisation role '{role}'.")
    grant, _ = OrganisationRole.objects.get_or_create(user=user, role=role)
    return grant
