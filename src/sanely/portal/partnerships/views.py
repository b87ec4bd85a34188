"""Pages: the partnership of one procurement, and one partner's agreed plan."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from sanely.portal.accounts.actors import page_actor
from sanely.portal.web.pages import page_guard

from . import selectors


@require_GET
@login_required
@page_guard
def partnership(request: HttpRequest, procurement_id: int) -> HttpResponse:
    found, contracts = selectors.access_partnership(
        actor=page_actor(request), procurement_id=procurement_id
    )
    return render(
        request, "partnerships/partnership.html", {"partnership": found, "contracts": contracts}
    )


@require_GET
@login_required
@page_guard
def plan(request: HttpRequest, contract_id: int) -> HttpResponse:
    agreed = selectors.access_plan(actor=page_actor(request), contract_id=contract_id)
    return render(request, "partnerships/plan.html", {"plan": agreed})
