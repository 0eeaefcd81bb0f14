"""HTTP API conventions shared by every endpoint (see INTERFACES.md).

* Authentication: ``Authorization: Bearer <token>`` or the browser session (with CSRF).
* Errors: ``{"detail", "code", "fields"}`` with 400/401/403/404/409/422, never a 500 for
  bad input.
* Lists: ``?page=&page_size=`` (default 50, max 500) answering ``{"items", "count"}``.
* Versions: an update names the ``version`` it read; a stale one answers 409 with the
  current object, serialised by the schema registered for its model.

Endpoints raise ordinary exceptions (Http404, PermissionDenied, DomainError,
VersionConflict, django.core.exceptions.ValidationError); this module turns them into
answers, once, for all of them.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest
from ninja import Field, NinjaAPI, Schema
from ninja.errors import AuthenticationError, AuthorizationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.pagination import PaginationBase
from ninja.security import HttpBearer
from ninja.security import django_auth as session_auth

from .exceptions import DomainError, VersionConflict

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 500


class ErrorOut(Schema):
    detail: str
    code: str
    fields: dict[str, list[str]] = {}


class BearerToken(HttpBearer):
    """Personal API tokens (see accounts.ApiToken)."""

    def authenticate(self, request: HttpRequest, token: str):
        from steerco.accounts.services import token_authenticate

        user = token_authenticate(token)
        if user is not None:
            request.user = user
        return user


API_AUTH = [BearerToken(), session_auth]


class PageNumbers(PaginationBase):
    """``?page=`` (from 1) and ``?page_size=`` (1–500, default 50)."""

    class Input(Schema):
        page: int = Field(1, ge=1, description="Page number, from 1.")
        page_size: int = Field(
            DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description="Items per page (max 500)."
        )

    class Output(Schema):
        items: list[Any]
        count: int

    def paginate_queryset(self, queryset, pagination: Input, request: HttpRequest, **params):
        offset = (pagination.page - 1) * pagination.page_size
        return {
            "items": list(queryset[offset : offset + pagination.page_size]),
            "count": self._items_count(queryset),
        }


# model class -> callable(instance) -> JSON-able dict, used for 409 answers
_CURRENT_OBJECT_SERIALISERS: dict[type, Any] = {}


def register_conflict_schema(model: type, schema: type[Schema]) -> None:
    """Declare how to show the current ``model`` object in a 409 answer."""
    _CURRENT_OBJECT_SERIALISERS[model] = lambda obj: schema.from_orm(obj).model_dump(mode="json")


def error_body(detail: str, code: str, fields: dict | None = None) -> dict:
    return {"detail": detail, "code": code, "fields": fields or {}}


_LOCATION_PREFIXES = ("body", "query", "path", "payload")


def _pydantic_fields(errors: list[dict]) -> dict[str, list[str]]:
    fields: dict[str, list[str]] = {}
    for error in errors:
        location = [
            str(part)
            for part in error.get("loc", ())
            if part not in ("body", "query", "path", "payload")
        ]
        key = ".".join(location) or "__all__"
        fields.setdefault(key, []).append(error.get("msg", "Invalid value."))
    return fields


def install_error_handlers(api: NinjaAPI) -> None:
    def respond(request, status: int, body: dict):
        return api.create_response(request, body, status=status)

    @api.exception_handler(NinjaValidationError)
    def malformed(request, exc: NinjaValidationError):
        fields = _pydantic_fields(exc.errors)
        summary = "; ".join(f"{k}: {', '.join(v)}" for k, v in fields.items())
        return respond(
            request, 400, error_body(f"The request is malformed: {summary}", "malformed", fields)
        )

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request, exc):
        return respond(
            request,
            401,
            error_body(
                "Authentication required: send 'Authorization: Bearer <token>' or log in.",
                "not_authenticated",
            ),
        )

    @api.exception_handler(AuthorizationError)
    def forbidden_ninja(request, exc):
        return respond(request, 403, error_body("You are not allowed to do this.", "forbidden"))

    @api.exception_handler(PermissionDenied)
    def forbidden(request, exc):
        message = str(exc) or "You are not allowed to do this."
        return respond(request, 403, error_body(message, "forbidden"))

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return respond(request, 404, error_body(str(exc) or "Not found.", "not_found"))

    @api.exception_handler(VersionConflict)
    def conflict(request, exc: VersionConflict):
        body = error_body(exc.message, exc.code)
        serialise = _CURRENT_OBJECT_SERIALISERS.get(type(exc.current))
        if exc.current is None:
            return respond(request, 404, error_body("It has been deleted.", "not_found"))
        if serialise is not None:
            body["current"] = serialise(exc.current)
        return respond(request, 409, body)

    @api.exception_handler(DomainError)
    def rule_broken(request, exc: DomainError):
        return respond(request, 422, error_body(exc.message, exc.code, exc.fields))

    @api.exception_handler(DjangoValidationError)
    def invalid(request, exc: DjangoValidationError):
        if hasattr(exc, "error_dict"):
            fields = {k: [str(m) for m in v] for k, v in exc.message_dict.items()}
        else:
            fields = {"__all__": [str(m) for m in exc.messages]}
        summary = "; ".join(f"{', '.join(v)}" for v in fields.values())
        return respond(request, 422, error_body(summary, "invalid", fields))

    @api.exception_handler(HttpError)
    def http_error(request, exc: HttpError):
        codes = {
            400: "malformed",
            401: "not_authenticated",
            403: "forbidden",
            404: "not_found",
            409: "conflict",
            413: "too_large",
            422: "invalid",
            429: "throttled",
        }
        return respond(
            request, exc.status_code, error_body(str(exc), codes.get(exc.status_code, "error"))
        )
