"""
Reads for the accounts app, and the one place that decides who may see or change an
organisation, its people and its tokens (the `access_*` functions).

An object the actor may not see is reported exactly as one that does not exist, so no
answer reveals what other organisations hold.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db.models import QuerySet

from sanely.portal.core.errors import NotFound, PermissionDenied

from .models import ApiToken, Membership, Organisation, User


@dataclass(frozen=True)
class Actor:
    """
    Who is acting: a signed-in person with all their memberships, or an API token that
    carries exactly one of them.
    """

    user: User
    memberships: tuple[Membership, ...]
    token: ApiToken | None = None  # the token acting, when it is one

    @classmethod
    def for_session(cls, user: User) -> "Actor":
        return cls(user, tuple(Membership.objects.filter(user=user).select_related("organisation")))

    @classmethod
    def for_token(cls, token: ApiToken) -> "Actor":
        return cls(token.membership.user, (token.membership,), token)

    def in_organisation(self, organisation_id: int) -> list[Membership]:
        return [m for m in self.memberships if m.organisation_id == organisation_id]

    @property
    def organisation_ids(self) -> set[int]:
        return {m.organisation_id for m in self.memberships}


def _membership_for(memberships: Iterable[Membership], *, write: bool, admin: bool) -> Membership:
    candidates = list(memberships)
    if write:
        candidates = [m for m in candidates if m.can_write]
    if admin:
        candidates = [m for m in candidates if m.is_admin]
    if not candidates:
        raise PermissionDenied(
            "Your role does not allow this. Ask your organisation's procurement lead or"
            " supplier admin."
        )
    return candidates[0]


def access_organisation(
    *, actor: Actor, organisation_id: int, write: bool = False, admin: bool = False
) -> tuple[Organisation, Membership]:
    """The organisation and the membership through which the actor may act on it."""
    memberships = actor.in_organisation(organisation_id)
    if not memberships:
        raise NotFound("No such organisation.")
    membership = _membership_for(memberships, write=write, admin=admin)
    return membership.organisation, membership


def access_membership(
    *, actor: Actor, organisation_id: int, membership_id: int, admin: bool = False
) -> Membership:
    """A membership of an organisation the actor belongs to."""
    access_organisation(actor=actor, organisation_id=organisation_id, write=admin, admin=admin)
    membership = (
        Membership.objects.select_related("user", "organisation")
        .filter(pk=membership_id, organisation_id=organisation_id)
        .first()
    )
    if membership is None:
        raise NotFound("No such member.")
    return membership


def access_token(*, actor: Actor, token_id: int) -> ApiToken:
    """One of the actor's own tokens; nobody else's tokens are visible, admins' included."""
    token = ApiToken.objects.filter(pk=token_id, membership__user=actor.user).first()
    if token is None:
        raise NotFound("No such token.")
    return token


def organisation_list_for(*, actor: Actor) -> QuerySet[Organisation]:
    return Organisation.objects.filter(pk__in=actor.organisation_ids).order_by("pk")


def membership_list(*, organisation: Organisation) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(organisation=organisation).select_related("user").order_by("pk")
    )


def email_addresses(organisation: Organisation) -> list[str]:
    """The addresses of everyone in an organisation, each once, sorted: who a letter reaches."""
    return sorted(
        Membership.objects.filter(organisation=organisation)
        .values_list("user__email", flat=True)
        .distinct()
    )


def token_list_for(*, user: User) -> QuerySet[ApiToken]:
    return (
        ApiToken.objects.filter(membership__user=user)
        .select_related("membership__organisation")
        .order_by("pk")
    )


def token_is_usable(token: ApiToken, *, now: datetime) -> bool:
    if token.revoked_at is not None:
        return False
    return token.expires_at is None or token.expires_at > now
