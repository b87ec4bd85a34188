"""The service navigation: the one place that knows every app a person may reach."""

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

from sanely.portal.accounts.actors import page_actor
from sanely.portal.accounts.models import OrganisationKind
from sanely.portal.audit.selectors import audit_trail_readable
from sanely.portal.pilots.selectors import authorities_of
from sanely.portal.procurements.selectors import procurements_readable


def navigation(request: HttpRequest) -> list[dict[str, Any]]:
    """The service navigation: what this person can reach, decided by the apps' selectors."""
    items = [
        ("Home", reverse("home")),
        ("Opportunities", reverse("tenders:opportunities")),
        ("Open data", reverse("publication:search")),
    ]
    # An error page for a request refused before sign-in was read (a host not allowed) has
    # no user: it gets the navigation of someone signed out.
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        actor = page_actor(request)
        if procurements_readable(actor):
            items.append(("Procurements", reverse("procurements:list")))
            items.append(("Partnerships", reverse("partnerships:dashboard")))
        if authorities_of(actor, write=False):
            items.append(("Pilot evidence", reverse("pilots:list")))
        items.append(("API tokens", reverse("accounts:tokens")))
        # The second factor is offered to people of an authority (accounts.two_factor); read
        # from the memberships the actor already holds, not with a query on every page.
        if any(m.organisation.kind == OrganisationKind.AUTHORITY for m in actor.memberships):
            items.append(("Two-step sign-in", reverse("accounts:second_factor")))
        if audit_trail_readable(actor=actor):
            items.append(("Audit trail", reverse("audit:events")))
        items.append(("Sign out", reverse("accounts:logout_confirm")))
    else:
        items.append(("Deadline calculator", reverse("deadlines")))
        items.append(("Sign in", reverse("accounts:login")))
    return [{"text": text, "href": href, "active": request.path == href} for text, href in items]


def header_name(request: HttpRequest, page_organisation: Any = None) -> str:
    """
    Whose service the header names: the organisation whose page it is where the page says so,
    else the authority of a person who works for one (the service's name for a supplier's
    people or someone in several authorities), else the authority the deployment is
    configured for.
    """
    if page_organisation:
        return str(page_organisation.name)
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        authorities = {
            m.organisation.name
            for m in page_actor(request).memberships
            if m.organisation.kind == OrganisationKind.AUTHORITY
        }
        return authorities.pop() if len(authorities) == 1 else settings.SERVICE_NAME
    return settings.AUTHORITY_NAME or "sanely"
