"""HTTP API conventions shared by every endpoint (see INTERFACES.md).

* Authentication: ``Authorization: Bearer <token>`` or the browser session (with CSRF).
* Errors: ``{"detail", "code", "fields"}`` with 400/401/403/404/409/422, never a 500 for
  bad input.
* Lists: ``?page=&page_size=`` (default 50, max 500) answering ``{"items", "count"}``.
* Versions: an update names the ``version`` it read; a stale one answers 409 with the
  current object, serialised by the schema registered for its model.

Endpoints raise ordinary exceptions (Http404, PermissionDenied, DomainError,
VersionConflict, django.core.exceptions.ValidationError); this module turns them into
answers, once, for all of them:

===========================================  ======  ======================
raised                                       status  code
===========================================  ======  ======================
unparsable JSON, wrong types, unknown field  400     malformed
no, bad or revoked credentials               401     not_authenticated
CredentialsRefused (e.g. an expired token)   401     (its code: token_expired)
session request without its CSRF token       403     csrf_failed
a read-only token on a write method          403     read_only_token
PermissionDenied                             403     forbidden
Http404 (unknown, or not visible)            404     not_found
ObjectGone (deleted since it was read)       404     not_found
VersionConflict (+ ``current`` object)       409     version_conflict
Clash (+ ``conflicting``: what it clashes)   409     (its code: booking_clash)
IntegrityError (a concurrent write won)      409     conflict
DomainError / model ValidationError          422     (its code) / invalid
ProtectedError (still referred to)           422     in_use
===========================================  ======  ======================

Ids are positive 64-bit integers; anything else in an id's place is malformed (400)
rather than "not found", because it cannot name an object at all.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import wraps
from typing import Annotated, Any

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError, IntegrityError
from django.db.models import ProtectedError, RestrictedError
from django.http import Http404, HttpRequest, JsonResponse
from django.views.decorators.http import require_safe
from ninja import Field, NinjaAPI, Schema
from ninja.errors import AuthenticationError, AuthorizationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.openapi.views import openapi_view
from ninja.pagination import PaginationBase
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf
from pydantic import BaseModel, ConfigDict, model_validator

from .exceptions import Clash, CredentialsRefused, DomainError, ObjectGone, VersionConflict

logger = logging.getLogger(__name__)

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 500
# Integer primary keys are 64-bit; a larger number cannot name anything, and SQLite
# would refuse to bind it, so it is rejected as malformed before any query runs.
MAX_ID = 2**63 - 1

ObjectId = Annotated[int, Field(ge=1, le=MAX_ID)]
"""An object's integer ``id``, in a path or as a reference in a body."""

Version = Annotated[
    int,
    Field(
        ge=1,
        le=MAX_ID,
        description="The version you read; a stale one answers 409 with the current object.",
    ),
]


def _contains_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_contains_nul(v) for v in value.values())
    if isinstance(value, list | tuple):
        return any(_contains_nul(v) for v in value)
    return False


class InputSchema(Schema):
    """Base of request bodies: unknown fields and NUL characters are malformed.

    A misspelt field silently ignored would look like a successful save. NUL characters
    are refused here because PostgreSQL cannot store them while SQLite can, and the same
    request must get the same answer on both.
    """

    model_config = ConfigDict(extra="forbid")

    @model_validator(mode="before")
    @classmethod
    def _refuse_nul_characters(cls, data: Any) -> Any:
        if isinstance(data, dict) and _contains_nul(data):
            raise ValueError("Text may not contain NUL (\\x00) characters.")
        return data


class ErrorOut(Schema):
    detail: str
    code: str
    fields: dict[str, list[str]] = {}


class ConflictOut(ErrorOut):
    current: dict[str, Any] | None = Field(
        None, description="The object as it is now, to review before trying again."
    )
    conflicting: dict[str, Any] | None = Field(
        None, description="What a clash met, such as the booking already holding a room."
    )


class CsrfFailed(HttpError):
    code = "csrf_failed"

    def __init__(self) -> None:
        super().__init__(
            403,
            "CSRF check failed: a browser session must send the CSRF token "
            "(X-CSRFToken header); API clients should use a Bearer token instead.",
        )


class ReadOnlyToken(HttpError):
    code = "read_only_token"

    def __init__(self) -> None:
        super().__init__(
            403,
            "This API token is read-only: it may only read (GET, HEAD, OPTIONS). To make "
            "changes, create a token without the read-only scope in the browser, under "
            "your name › API tokens.",
        )


# What a read-only token may do: read, and ask what it may do.
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class BearerToken(HttpBearer):
    """Personal API tokens, checked by the function the API root passes in.

    The check lives in ``accounts`` (tokens are its model); ``config`` hands it over, so
    this module, below every domain app, imports none of them. It answers the token, an
    object with ``user`` and ``read_only``, or None; it raises ``CredentialsRefused`` for
    a token it knows but no longer accepts. The read-only scope is enforced here, once,
    for every endpoint.
    """

    def __init__(self, authenticate_token: Callable[[str], Any]) -> None:
        super().__init__()
        self._authenticate_token = authenticate_token

    def authenticate(self, request: HttpRequest, token: str):
        grant = self._authenticate_token(token.strip())
        if grant is None:
            return None
        if grant.read_only and request.method not in READ_METHODS:
            raise ReadOnlyToken()
        request.user = grant.user
        request.auth_token = grant
        return grant.user


def bearer_token_of(request: HttpRequest):
    """The token that authenticated this API request, or None for the browser session."""
    return getattr(request, "auth_token", None)


_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


class SessionAuth(APIKeyCookie):
    """The browser's login session; unsafe methods must carry the CSRF token.

    Ninja's stock session auth checks CSRF before it knows whether there is a session at
    all, which turns "no credentials" and "bad token" into 403s. Here CSRF is checked only
    for a request that really is authenticated by its session, and a request carrying an
    ``Authorization`` header is judged by that header alone, so a wrong token is a 401
    even in a browser that is also logged in.
    """

    param_name = settings.SESSION_COOKIE_NAME

    def __call__(self, request: HttpRequest):
        if "Authorization" in request.headers:
            return None
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not user.is_active:
            return None
        if request.method not in _SAFE_METHODS and check_csrf(request) is not None:
            raise CsrfFailed()
        return user

    def authenticate(self, request: HttpRequest, key: str | None):  # pragma: no cover
        # Not reached: __call__ above does the whole job; required by the base class.
        return None


session_auth = SessionAuth()


def api_auth(authenticate_token: Callable[[str], Any]) -> list:
    """The API's authenticators in the order they are tried: a Bearer token, then the session.

    ``authenticate_token(raw)`` answers the active token (``user``, ``read_only``) or
    None, and raises ``CredentialsRefused`` for one it knows but no longer accepts.
    """
    return [BearerToken(authenticate_token), session_auth]


def not_authenticated(refused: CredentialsRefused | None = None) -> JsonResponse:
    """The 401 answer: the API's error shape and the challenge naming the Bearer scheme.

    With ``refused``, the credentials were recognised but not accepted: the answer says
    why, and the challenge marks the token invalid (RFC 6750, section 3.1).
    """
    if refused is None:
        body = error_body(
            "Authentication required: send 'Authorization: Bearer <token>' or log in.",
            "not_authenticated",
        )
        challenge = 'Bearer realm="steerco"'
    else:
        body = error_body(refused.message, refused.code)
        challenge = 'Bearer realm="steerco", error="invalid_token"'
    response = JsonResponse(body, status=401, content_type="application/json; charset=utf-8")
    response["WWW-Authenticate"] = challenge
    return response


def docs_access(auth: list):
    """The ``docs_decorator`` of the API: who may read its OpenAPI document and docs page.

    The same credentials as every endpoint: a client generator or API tester reads
    ``openapi.json`` with its Bearer token, a browser with its session. Without any, the
    document answers 401 like an endpoint would; the interactive docs page, which only a
    browser opens, sends the visitor to the login page instead. Both are reads (405
    otherwise).
    """

    def decorate(view):
        # Ninja passes its views as partials of these functions; the docs page is the HTML one.
        is_docs_page = getattr(view, "func", None) is openapi_view

        @wraps(view)
        def guarded(request: HttpRequest, *args, **kwargs):
            for authenticator in auth:
                try:
                    user = authenticator(request)
                except CredentialsRefused as refused:
                    return not_authenticated(refused)
                if user:
                    request.user = user
                    return view(request, *args, **kwargs)
            if is_docs_page and "Authorization" not in request.headers:
                return redirect_to_login(request.get_full_path())
            return not_authenticated()

        return require_safe(guarded)

    return decorate


class PageNumbers(PaginationBase):
    """``?page=`` (from 1) and ``?page_size=`` (1–500, default 50).

    Every list endpoint paginates through here, so here is where a list refuses a query
    parameter it does not know (400 malformed, naming it, as an unknown body field is):
    a misspelt filter ignored would silently list everything.
    """

    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_ID, description="Page number, from 1.")
        page_size: int = Field(
            DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description="Items per page (max 500)."
        )

    class Output(Schema):
        items: list[Any]
        count: int

    def paginate_queryset(self, queryset, pagination: Input, request: HttpRequest, **params):
        _refuse_unknown_query_parameters(request, params)
        offset = (pagination.page - 1) * pagination.page_size
        count = self._items_count(queryset)
        # Past the end the answer is an empty page, without asking the database for it.
        items = [] if offset >= count else list(queryset[offset : offset + pagination.page_size])
        return {"items": items, "count": count}


def _refuse_unknown_query_parameters(request: HttpRequest, params: dict[str, Any]) -> None:
    """Raise a 400 naming each query parameter the endpoint did not declare.

    ``params`` are the endpoint's arguments as Ninja parsed them: a scalar filter is known
    by its argument's name, a ``Query[Schema]`` of filters by the schema's fields (path
    parameters are among them too, harmlessly: they never come in the query string). An
    endpoint renaming a scalar with ``alias=`` would need its alias here; none does.
    """
    known = set(PageNumbers.Input.model_fields)
    for name, value in params.items():
        if isinstance(value, BaseModel):
            known |= {field.alias or key for key, field in type(value).model_fields.items()}
        else:
            known.add(name)
    unknown = sorted(set(request.GET) - known)
    if unknown:
        match = getattr(request, "resolver_match", None)
        in_path = set(match.kwargs) if match is not None else set()
        expected = ", ".join(sorted(known - in_path))
        raise NinjaValidationError(
            [
                {
                    "loc": ("query", name),
                    "msg": f"Unknown query parameter; this list takes: {expected}.",
                    "type": "extra_forbidden",
                }
                for name in unknown
            ]
        )


def responses(success: dict[int, Any], *errors: int) -> dict[int, Any]:
    """An operation's ``response=`` map: its success schema plus the error answers it gives.

    401 is always included (every operation needs credentials); 409 is shown with the
    current object.
    """
    answers: dict[int, Any] = dict(success)
    for status in (401, *errors):
        answers[status] = ConflictOut if status == 409 else ErrorOut
    return answers


# model class -> callable(instance) -> JSON-able dict, used for 409 answers
_CURRENT_OBJECT_SERIALISERS: dict[type, Any] = {}


def register_conflict_schema(model: type, schema: type[Schema]) -> None:
    """Declare how to show the current ``model`` object in a 409 answer."""
    _CURRENT_OBJECT_SERIALISERS[model] = lambda obj: schema.from_orm(obj).model_dump(mode="json")


def error_body(detail: str, code: str, fields: dict | None = None) -> dict:
    return {"detail": detail, "code": code, "fields": fields or {}}


# Parts of a validation error's location that say where, not what.
_LOCATION_PREFIXES = frozenset({"body", "query", "path", "payload", "ninja_pagination"})


def _pydantic_fields(errors: list[dict]) -> dict[str, list[str]]:
    fields: dict[str, list[str]] = {}
    for error in errors:
        location = [str(part) for part in error.get("loc", ()) if part not in _LOCATION_PREFIXES]
        key = ".".join(location) or "__all__"
        message = error.get("msg", "Invalid value.")
        if key == "__all__" and error.get("type") == "missing":
            message = "A JSON object body is required."
        fields.setdefault(key, []).append(message)
    return fields


_HTTP_ERROR_CODES = {
    400: "malformed",
    401: "not_authenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    422: "invalid",
    429: "throttled",
}


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
        return not_authenticated()

    @api.exception_handler(CredentialsRefused)
    def credentials_refused(request, exc: CredentialsRefused):
        return not_authenticated(exc)

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

    @api.exception_handler(ObjectGone)
    def gone(request, exc: ObjectGone):
        return respond(request, 404, error_body(exc.message, exc.code))

    @api.exception_handler(VersionConflict)
    def conflict(request, exc: VersionConflict):
        if exc.current is None:
            return respond(request, 404, error_body("It has been deleted.", "not_found"))
        body = error_body(exc.message, exc.code)
        serialise = _CURRENT_OBJECT_SERIALISERS.get(type(exc.current))
        if serialise is not None:
            body["current"] = serialise(exc.current)
        return respond(request, 409, body)

    @api.exception_handler(Clash)
    def clash(request, exc: Clash):
        body = error_body(exc.message, exc.code)
        body["conflicting"] = exc.details
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

    @api.exception_handler(ProtectedError)
    @api.exception_handler(RestrictedError)
    def in_use(request, exc):
        names = sorted({type(obj)._meta.verbose_name for obj in exc.args[1]})
        return respond(
            request,
            422,
            error_body(
                "It is still referred to by other records ({}); remove those first.".format(
                    ", ".join(str(n) for n in names)
                ),
                "in_use",
            ),
        )

    @api.exception_handler(DataError)
    def unstorable(request, exc):
        # e.g. a NUL character in a search term on PostgreSQL: bad input, not a crash.
        return respond(
            request,
            400,
            error_body("The request contains a value the database cannot store.", "malformed"),
        )

    @api.exception_handler(IntegrityError)
    def integrity(request, exc):
        # Validation runs before every save, so this is a concurrent write that got in
        # first (e.g. two clients creating the same code at once): a conflict to retry.
        return respond(
            request,
            409,
            error_body(
                "Someone else saved a conflicting change at the same moment; reload and try again.",
                "conflict",
            ),
        )

    @api.exception_handler(HttpError)
    def http_error(request, exc: HttpError):
        code = getattr(exc, "code", None) or _HTTP_ERROR_CODES.get(exc.status_code, "error")
        detail = str(exc)
        if exc.status_code == 400 and detail.startswith("Cannot parse request body"):
            detail = "The request body is not valid JSON."
        return respond(request, exc.status_code, error_body(detail, code))

    @api.exception_handler(Exception)
    def unexpected(request, exc: Exception):
        # A bug, not bad input: log it in full and still answer in the API's error shape.
        logger.exception("Unhandled error in %s %s", request.method, request.path)
        return respond(
            request,
            500,
            error_body("Something went wrong on our side; it has been logged.", "server_error"),
        )
