"""The caller and their API tokens over HTTP (/api/v1/me, /api/v1/tokens)."""

from datetime import datetime, timedelta

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from steerco.core.api import InputSchema, ObjectId, PageNumbers, bearer_token_of, responses

from . import selectors, services
from .password_check import PASSWORD_CHECK_VALID, password_checked_recently
from .rules import PROJECT_SCOPED, P, has_perm, organisation_roles, person_of

router = Router(tags=["accounts"])


class PersonRef(Schema):
    id: int
    name: str


class MeOut(Schema):
    id: int
    username: str
    email: str
    full_name: str
    person: PersonRef | None = Field(None, description="The person record of this login.")
    organisation_roles: list[str]
    permissions: list[str] = Field(
        ..., description="Organisation-wide permissions; project ones depend on membership."
    )


class TokenOut(Schema):
    id: int
    name: str
    hint: str = Field(..., description="The token's first characters, to recognise it.")
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None
    expires_at: datetime | None = Field(..., description="When it stops working; null: never.")
    read_only: bool = Field(..., description="It may only read (GET, HEAD, OPTIONS).")
    active: bool = Field(..., description="Neither revoked nor expired.")

    @staticmethod
    def resolve_active(obj) -> bool:
        return obj.is_active


class TokenCreatedOut(TokenOut):
    token: str = Field(..., description="The token itself: shown this once, never again.")


class TokenCreateIn(InputSchema):
    name: str = Field(..., description="What the token is for, e.g. 'reporting script'.")
    expires_in_days: int | None = Field(
        365, ge=1, le=3650, description="Days until it stops working (default a year); null: never."
    )
    read_only: bool = Field(False, description="Allow only reads (GET, HEAD, OPTIONS).")


class BrowserRequired(HttpError):
    code = "browser_required"


class PasswordCheckRequired(HttpError):
    code = "password_check_required"


def _check_may_manage_tokens(request, *, revoking=None) -> None:
    """Only the browser session, with a recent password check, creates or revokes tokens.

    So a leaked token cannot make itself a successor or revoke the owner's others, and
    its revocation ends it. A token may still revoke itself: that only ever takes access
    away.
    """
    used = bearer_token_of(request)
    page = reverse("accounts:tokens")
    if used is not None:
        if revoking is not None and revoking.pk == used.pk:
            return
        raise BrowserRequired(
            403,
            _(
                "An API token cannot create or revoke tokens, so that a leaked token ends "
                "when it is revoked. Do this in the browser: %(page)s (your name › API "
                "tokens), after confirming your password."
            )
            % {"page": page},
        )
    if not password_checked_recently(request):
        raise PasswordCheckRequired(
            403,
            _(
                "Confirm your password first: creating or revoking tokens needs a password "
                "check in the last %(minutes)d minutes. Confirm it in the browser on %(page)s."
            )
            % {"minutes": PASSWORD_CHECK_VALID // timedelta(minutes=1), "page": page},
        )


@router.get("me", response=responses({200: MeOut}), summary="Who am I")
def me_get(request):
    user = request.auth
    person = person_of(user)
    return {
        "id": user.pk,
        "username": user.get_username(),
        "email": user.email,
        "full_name": user.get_full_name() or (person.name if person else ""),
        "person": person,
        "organisation_roles": sorted(organisation_roles(user)),
        "permissions": sorted(p.value for p in P if p not in PROJECT_SCOPED and has_perm(user, p)),
    }


@router.get("tokens", response=responses({200: list[TokenOut]}, 400), summary="List my API tokens")
@paginate(PageNumbers)
def token_list(request):
    """Your own tokens, newest first, revoked ones included; never the secret."""
    return selectors.token_list(user=request.auth)


@router.post(
    "tokens",
    response=responses({201: TokenCreatedOut}, 400, 403, 422),
    summary="Create an API token",
)
def token_create(request, payload: TokenCreateIn):
    """Only from a browser session with a password check in the last 10 minutes (403
    otherwise, and always for a token)."""
    _check_may_manage_tokens(request)
    days = payload.expires_in_days
    token, raw = services.token_create(
        user=request.auth,
        name=payload.name,
        expires_in=None if days is None else timedelta(days=days),
        read_only=payload.read_only,
    )
    shown = TokenOut.from_orm(token).model_dump()
    return Status(201, TokenCreatedOut.model_construct(**shown, token=raw))


@router.delete(
    "tokens/{token_id}",
    response=responses({204: None}, 400, 403, 404),
    summary="Revoke one of my API tokens",
)
def token_revoke(request, token_id: ObjectId):
    """Revoking twice is harmless; someone else's token is not found. Like creating, it
    needs the browser with a recent password check; a token may only revoke itself."""
    token = selectors.token_list(user=request.auth).filter(pk=token_id).first()
    if token is None:
        raise Http404(_("No such token."))
    _check_may_manage_tokens(request, revoking=token)
    services.token_revoke(token=token)
    return Status(204, None)
