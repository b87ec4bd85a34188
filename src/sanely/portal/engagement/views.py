"""
Pages for the engagement record: the readable record, and for commissioners and procurement
leads the pages that add an event, what was shared, a change to the design, and the UK2.
"""

from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from sanely.portal.accounts.actors import page_actor
from sanely.portal.accounts.selectors import Actor
from sanely.portal.core.clock import now
from sanely.portal.core.errors import ApplicationError
from sanely.portal.web.pages import form_page, page_guard

from . import selectors, services
from .forms import ChangeForm, EventForm, NoticeForm, SharedForm


@login_required
@page_guard
@require_GET
def record(request: HttpRequest, procurement_id: int) -> HttpResponse:
    """The record: events and who took part, what everyone was given, changes, the UK2."""
    actor = page_actor(request)
    procurement, _ = selectors.access_engagement(actor=actor, procurement_id=procurement_id)
    return render(
        request,
        "engagement/record.html",
        {
            "procurement": procurement,
            "record": selectors.engagement_record(procurement=procurement),
            "can_write": selectors.may_record(actor, procurement),
        },
    )


def _write_page(
    request: HttpRequest,
    procurement_id: int,
    template: str,
    make_form: Callable[[Any, list[tuple[int, str]]], Form],
    write: Callable[..., object],
    arguments: Callable[[Form], dict[str, Any]] = lambda form: dict(form.cleaned_data),
) -> HttpResponse:
    """A page that adds one thing to the record, then returns to it."""
    actor: Actor = page_actor(request)
    procurement, _ = selectors.access_engagement(
        actor=actor, procurement_id=procurement_id, write=True
    )
    events = [(e.pk, e.title) for e in procurement.engagement_events.all()]
    form = make_form(request.POST if request.method == "POST" else None, events)
    error: ApplicationError | None = None
    if request.method == "POST" and form.is_valid():
        try:
            write(actor=actor, procurement_id=procurement_id, now=now(), **arguments(form))
            return redirect("engagement:record", procurement_id=procurement_id)
        except ApplicationError as refused:
            error = refused
    return form_page(request, template, form=form, error=error, procurement=procurement)


@login_required
@page_guard
@require_http_methods(["GET", "POST"])
def event_new(request: HttpRequest, procurement_id: int) -> HttpResponse:
    return _write_page(
        request,
        procurement_id,
        "engagement/event_new.html",
        lambda data, _: EventForm(data),
        services.engagement_event_record,
        lambda form: form.arguments(),  # type: ignore[attr-defined]
    )


@login_required
@page_guard
@require_http_methods(["GET", "POST"])
def shared_new(request: HttpRequest, procurement_id: int) -> HttpResponse:
    return _write_page(
        request,
        procurement_id,
        "engagement/shared_new.html",
        lambda data, events: SharedForm(data, events=events),
        services.shared_item_record,
    )


@login_required
@page_guard
@require_http_methods(["GET", "POST"])
def change_new(request: HttpRequest, procurement_id: int) -> HttpResponse:
    return _write_page(
        request,
        procurement_id,
        "engagement/change_new.html",
        lambda data, events: ChangeForm(data, events=events),
        services.design_change_record,
    )


@login_required
@page_guard
@require_http_methods(["GET", "POST"])
def notice_new(request: HttpRequest, procurement_id: int) -> HttpResponse:
    return _write_page(
        request,
        procurement_id,
        "engagement/notice_new.html",
        lambda data, _: NoticeForm(data),
        services.engagement_notice_publish,
    )
