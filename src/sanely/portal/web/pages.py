"""Helpers that every page view shares: the error summary, the actor, the guard and form pages."""

from functools import wraps
from typing import Any

from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from sanely.portal.core.errors import ApplicationError, NotFound, RuleRefused

from . import views


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


def page_guard(view: Any) -> Any:
    """
    Show NotFound from any selector as the standard page, and any other refusal the page did
    not handle itself (a role that may not, a step not yet possible) as a page with its own
    message, its status and the way on, never as a server error.
    """

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        try:
            return view(request, *args, **kwargs)
        except NotFound:
            return views.not_found(request)
        except ApplicationError as refused:  # forbidden too: its message says who may
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
