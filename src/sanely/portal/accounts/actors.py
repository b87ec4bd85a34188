"""
Who is acting, read from the request: the signed-in person with all their memberships on a page,
or the token's one membership (or the session) in the API.
"""

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from sanely.portal.core.clock import now

from .selectors import Actor
from .services import token_authenticate


def page_actor(request: HttpRequest) -> Actor:
    """The signed-in person with all their memberships, read once per request."""
    actor: Actor | None = getattr(request, "_sanely_actor", None)
    if actor is None:
        actor = Actor.for_session(request.user)  # type: ignore[arg-type]
        request._sanely_actor = actor  # type: ignore[attr-defined]
    return actor


class TokenAuth(HttpBearer):
    """`Authorization: Bearer sanely_pat_…`: a personal access token acting in one membership."""

    def authenticate(self, request: HttpRequest, token: str) -> Actor | None:
        api_token = token_authenticate(secret=token, now=now())
        return Actor.for_token(api_token) if api_token else None


class SignedInSession(SessionAuth):
    """The browser's session, with Django's CSRF check on every unsafe method."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Actor | None:
        user = request.user
        if user.is_authenticated and user.is_active:
            return Actor.for_session(user)
        return None


def actor_of(request: HttpRequest) -> Actor:
    """The Actor that authentication put on the request."""
    actor: Actor = request.auth  # type: ignore[attr-defined]
    return actor
