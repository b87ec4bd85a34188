"""JSON API for organisations, members and tokens: parse, call one service or selector, answer."""

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import StrictInt, field_validator
from pydantic_core import PydanticCustomError

from sanely.portal.accounts.actors import actor_of
from sanely.portal.core.clock import now
from sanely.portal.web.apis import ERRORS, CursorPagination, InputSchema

from . import selectors, services
from .models import ApiToken, Membership, Organisation, User
from .views import password_set_link

router = Router(tags=["organisations and people"])


class OrganisationOut(Schema):
    id: int
    name: str
    kind: str
    nation: str
    identifier_scheme: str
    identifier: str
    address: str
    postcode: str
    contact_email: str
    website: str
    is_sme: bool
    is_vcse: bool
    created_at: datetime


class OrganisationPatch(InputSchema):
    """The details to change; a field left out stays as it is (null is not a value: send "")."""

    name: str | None = Field(None, min_length=1, max_length=200)
    nation: str | None = Field(None, max_length=20)
    identifier_scheme: str | None = Field(None, max_length=20)
    identifier: str | None = Field(None, max_length=40)
    address: str | None = Field(None, max_length=1000)
    postcode: str | None = Field(None, max_length=10)
    contact_email: str | None = Field(None, max_length=254)
    website: str | None = Field(None, max_length=200)
    is_sme: bool | None = None
    is_vcse: bool | None = None

    @field_validator("*", mode="before")
    @classmethod
    def _not_null(cls, value: Any) -> Any:
        # Only a field that was sent is validated: a left-out field keeps its None.
        if value is None:
            raise PydanticCustomError(
                "null", 'Send a value, or leave the field out (for none, "").'
            )
        return value


class MembershipOut(Schema):
    id: int
    organisation_id: int
    role: str
    email: str = Field(..., alias="user.email")
    full_name: str = Field(..., alias="user.full_name")
    created_at: datetime


class MemberIn(InputSchema):
    email: str = Field(..., max_length=254)
    full_name: str = Field("", max_length=200)
    role: str


class MeOut(Schema):
    id: int
    email: str
    full_name: str
    memberships: list[MembershipOut]


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    organisation_id: int = Field(..., alias="membership.organisation_id")
    role: str = Field(..., alias="membership.role")
    created_at: datetime
    expires_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class TokenIn(InputSchema):
    organisation_id: int
    name: str = Field(..., max_length=100)
    days: StrictInt = Field(
        90,
        description="days until it expires: 1 to SANELY_TOKEN_MAX_DAYS (366), and no later"
        " than the token that makes it",
    )


class TokenCreatedOut(TokenOut):
    secret: str = Field(..., description="Shown once; keep it safe. Only its hash is stored.")


@router.get("/me", response={200: MeOut, **ERRORS})
def me(request: HttpRequest) -> dict[str, object]:
    actor = actor_of(request)
    user: User = actor.user
    return {
        "id": user.pk,
        "email": user.email,
        "full_name": user.full_name,
        "memberships": list(actor.memberships),
    }


@router.get("/organisations", response={200: list[OrganisationOut], **ERRORS})
@paginate(CursorPagination)
def organisation_list(request: HttpRequest):  # type: ignore[no-untyped-def]
    return selectors.organisation_list_for(actor=actor_of(request))


@router.get("/organisations/{organisation_id}", response={200: OrganisationOut, **ERRORS})
def organisation_detail(request: HttpRequest, organisation_id: int) -> Organisation:
    organisation, _ = selectors.access_organisation(
        actor=actor_of(request), organisation_id=organisation_id
    )
    return organisation


@router.patch("/organisations/{organisation_id}", response={200: OrganisationOut, **ERRORS})
def organisation_update(
    request: HttpRequest, organisation_id: int, body: OrganisationPatch
) -> Organisation:
    return services.organisation_update(
        actor=actor_of(request),
        organisation_id=organisation_id,
        changes=body.model_dump(exclude_unset=True),
        now=now(),
    )


@router.get(
    "/organisations/{organisation_id}/members", response={200: list[MembershipOut], **ERRORS}
)
@paginate(CursorPagination)
def member_list(request: HttpRequest, organisation_id: int):  # type: ignore[no-untyped-def]
    organisation, _ = selectors.access_organisation(
        actor=actor_of(request), organisation_id=organisation_id
    )
    return selectors.membership_list(organisation=organisation)


@router.post("/organisations/{organisation_id}/members", response={201: MembershipOut, **ERRORS})
def member_add(request: HttpRequest, organisation_id: int, body: MemberIn) -> Status:
    membership = services.member_invite(
        actor=actor_of(request),
        organisation_id=organisation_id,
        email=body.email,
        full_name=body.full_name,
        role=body.role,
        now=now(),
        reset_link=lambda user: password_set_link(request, user),
    )
    return Status(201, membership)


@router.delete(
    "/organisations/{organisation_id}/members/{membership_id}", response={204: None, **ERRORS}
)
def member_remove(request: HttpRequest, organisation_id: int, membership_id: int) -> Status:
    actor = actor_of(request)
    membership: Membership = selectors.access_membership(
        actor=actor, organisation_id=organisation_id, membership_id=membership_id, admin=True
    )
    services.membership_remove(actor=actor, membership=membership, now=now())
    return Status(204, None)


@router.get("/tokens", response={200: list[TokenOut], **ERRORS})
@paginate(CursorPagination)
def token_list(request: HttpRequest):  # type: ignore[no-untyped-def]
    return selectors.token_list_for(user=actor_of(request).user)


@router.post("/tokens", response={201: TokenCreatedOut, **ERRORS})
def token_create(request: HttpRequest, body: TokenIn) -> Status:
    token, secret = services.token_create(
        actor=actor_of(request),
        organisation_id=body.organisation_id,
        name=body.name,
        days=body.days,
        now=now(),
    )
    token.secret = secret  # type: ignore[attr-defined]
    return Status(201, token)


@router.delete("/tokens/{token_id}", response={200: TokenOut, **ERRORS})
def token_revoke(request: HttpRequest, token_id: int) -> ApiToken:
    actor = actor_of(request)
    token = selectors.access_token(actor=actor, token_id=token_id)
    return services.token_revoke(actor=actor, token=token, now=now())
