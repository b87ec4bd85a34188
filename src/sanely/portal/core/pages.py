"""Helpers that every page view shares: the error summary and the navigation."""

from functools import wraps
from typing import Any

from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from sanely.portal.accounts.selectors import Actor

from .errors import ApplicationError, RuleRefused


def errors_context(
    *, form: Form | None = None, error: ApplicationError | None = None
) -> dict[str, Any]:
    """
    The shape base.html shows: a summary linking to each field, and a message per field.
    A field the form does not show is reported in the summary without a link.
    """
    fields: dict[str, str] = {}
    summary: list[dict[str, str]] = []
    problems: dict[str, list[str]] = {}
    if form is not None:
        problems.update(
            {name: [str(m) for m in messages] for name, messages in form.errors.items()}
        )
    if error is not None:
        detail = error.detail if isinstance(error.detail, dict) else {}
        if isinstance(error, RuleRefused):
            problems["__all__"] = [error.with_rule]
        elif not detail:
            problems["__all__"] = [error.message]
        problems.update({name: [str(m) for m in messages] for name, messages in detail.items()})
    for name, messages in problems.items():
        shown = form is not None and name in form.fields
        if shown:
            fields[name] = messages[0]
        for message in messages:
            summary.append({"text": message, "href": f"#{name}"} if shown else {"text": message})
    return {"errors": {"summary": summary, "fields": fields}} if summary else {}


def page_actor(request: HttpRequest) -> Actor:
    """The signed-in person with all their memberships, read once per request."""
    actor: Actor | None = getattr(request, "_sanely_actor", None)
    if actor is None:
        actor = Actor.for_session(request.user)  # type: ignore[arg-type]
        request._sanely_actor = actor  # type: ignore[attr-defined]
    return actor


def navigation(request: HttpRequest) -> list[dict[str, Any]]:
    """The service navigation: what this person can reach, decided by the apps' selectors."""
    from sanely.portal.audit.selectors import audit_trail_readable
    from sanely.portal.pilots.selectors import authorities_of
    from sanely.portal.procurements.selectors import procurements_readable

    items = [("Home", reverse("home")), ("Opportunities", reverse("tenders:opportunities"))]
    user = request.user
    if user.is_authenticated:
        actor = Actor.for_session(user)
        if procurements_readable(actor):
            items.append(("Procurements", reverse("procurements:list")))
        if authorities_of(actor, write=False):
            items.append(("Pilot evidence", reverse("pilots:list")))
        items.append(("API tokens", reverse("accounts:tokens")))
        if audit_trail_readable(actor=actor):
            items.append(("Audit trail", reverse("audit:events")))
        items.append(("Sign out", reverse("accounts:logout_confirm")))
    else:
        items.append(("Deadline calculator", reverse("deadlines")))
        items.append(("Sign in", reverse("accounts:login")))
    return [{"text": text, "href": href, "active": request.path == href} for text, href in items]


def page_guard(view: Any) -> Any:
    """
    Show NotFound and PermissionDenied from any selector as the standard error pages, and any
    other refusal the page did not handle itself (a step not yet possible) as a page with its
    message and status, never as a server error.
    """
    from . import views
    from .errors import ApplicationError, NotFound, PermissionDenied

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        try:
            return view(request, *args, **kwargs)
        except NotFound:
            return views.not_found(request)
        except PermissionDenied:
            return views.forbidden(request)
        except ApplicationError as refused:
            return views.refused(request, refused)

    return wrapper


def form_page(
    request: HttpRequest,
    template: str,
    *,
    form: Form,
    error: ApplicationError | None = None,
    **context: Any,
) -> HttpResponse:
    """
    Render a page that holds a form: 200 when it is fresh, 400 when the form has problems,
    or the service error's own status, with the error summary filled in either way.
    """
    status = error.status if error else (400 if form.errors else 200)
    body = {**context, "form": form, **errors_context(form=form, error=error)}
    return render(request, template, body, status=status)
