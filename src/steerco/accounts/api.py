"""The caller and their API tokens over HTTP (/api/v1/me, /api/v1/tokens)."""

from datetime import datetime

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from steerco.core.api import InputSchema, ObjectId, PageNumbers, responses

from . import selectors, services
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
    active: bool

    @staticmethod
    def resolve_active(obj) -> bool:
        return obj.is_active


class TokenCreatedOut(TokenOut):
    token: str = Field(..., description="The token itself: shown this once, never again.")


class TokenCreateIn(InputSchema):
    name: str = Field(..., description="What the token is for, e.g. 'reporting script'.")


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
    "tokens", response=responses({201: TokenCreatedOut}, 400, 422), summary="Create an API token"
)
def token_create(request, payload: TokenCreateIn):
    token, raw = services.token_create(user=request.auth, name=payload.name)
    shown = TokenOut.from_orm(token).model_dump()
    return Status(201, TokenCreatedOut.model_construct(**shown, token=raw))


@router.delete(
    "tokens/{token_id}",
    response=responses({204: None}, 400, 404),
    summary="Revoke one of my API tokens",
)
def token_revoke(request, token_id: ObjectId):
    """Revoking twice is harmless; someone else's token is not found."""
    token = selectors.token_list(user=request.auth).filter(pk=token_id).first()
    if token is None:
        raise Http404(_("No such token."))
    services.token_revoke(token=token)
    return Status(204, None)
