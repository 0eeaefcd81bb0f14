"""Domain errors raised by services and mapped to form errors or 4xx answers in one place."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """A request that is well formed but breaks a business rule (HTTP 422)."""

    code = "rule_violation"

    def __init__(self, message: str, *, fields: dict[str, list[str]] | None = None):
        super().__init__(message)
        self.message = message
        self.fields = fields or {}


class VersionConflict(DomainError):
    """Someone else saved the object since this client read it (HTTP 409)."""

    code = "version_conflict"

    def __init__(self, current: Any, *, sent_version: int | None = None):
        name = type(current).__name__.lower() if current is not None else "object"
        super().__init__(
            f"This {name} was changed by someone else since you opened it "
            f"(you had version {sent_version}, it is now at version "
            f"{getattr(current, 'version', '?')}). Review the current values and try again."
        )
        self.current = current
        self.sent_version = sent_version


class Clash(DomainError):
    """A request for something another record already holds (HTTP 409), such as a room
    booked at that time. ``details`` names what it clashes with, for clients to show."""

    code = "clash"

    def __init__(self, message: str, *, details: dict[str, Any] | None = None):
        super().__init__(message)
        self.details = details or {}


class ObjectGone(DomainError):
    """The object a client read has been deleted since (HTTP 404).

    Raised by the versioned writes when the row they lock is no longer there, so a page
    can say "deleted by someone else" rather than "not found".
    """

    code = "not_found"

    def __init__(self, model: type | None = None, message: str | None = None):
        name = model._meta.verbose_name if model is not None else "object"
        super().__init__(message or f"This {name} has been deleted by someone else.")
        self.model = model


class CredentialsRefused(Exception):
    """Credentials that are recognised but no longer accepted, e.g. an expired token (401).

    Unlike an unknown token, the owner gets told why, so they know to make a new one.
    """

    def __init__(self, message: str, *, code: str = "not_authenticated"):
        super().__init__(message)
        self.message = message
        self.code = code
