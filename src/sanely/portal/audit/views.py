"""The audit trail page: auditors and procurement leads browse and filter it."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from sanely.portal.accounts.actors import page_actor
from sanely.portal.core.errors import ApplicationError
from sanely.portal.web.apis import cursor_decode, cursor_encode
from sanely.portal.web.pages import errors_context, page_guard

from .forms import AuditFilterForm
from .selectors import AuditFilter, audit_event_list

PAGE_SIZE = 50


@require_GET
@login_required
@page_guard
def events(request: HttpRequest) -> HttpResponse:
    actor = page_actor(request)
    form = AuditFilterForm(request.GET or None)
    filters = AuditFilter()
    if form.is_valid():
        filters = AuditFilter(**{k: v for k, v in form.cleaned_data.items() if v not in (None, "")})
    rows = audit_event_list(actor=actor, filters=filters)
    try:
        after = cursor_decode(request.GET["after"]) if request.GET.get("after") else 0
    except ApplicationError as error:
        return render(
            request,
            "audit/events.html",
            {"form": form, "events": [], **errors_context(error=error)},
            status=400,
        )
    page = list(rows.filter(pk__gt=after)[: PAGE_SIZE + 1])
    next_cursor = cursor_encode(page[PAGE_SIZE - 1].pk) if len(page) > PAGE_SIZE else None
    query = request.GET.copy()
    query.pop("after", None)
    return render(
        request,
        "audit/events.html",
        {
            "form": form,
            "events": page[:PAGE_SIZE],
            "next_cursor": next_cursor,
            "query": query.urlencode(),
            **errors_context(form=form),
        },
        status=400 if form.errors else 200,
    )
