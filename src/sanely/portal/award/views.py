"""
Pages: the award of one procurement (the evaluation, the notices sent, the standstill with the
time left, the contracts), sending the notices and concluding the contracts; the procurement
report and its Markdown download; one contract.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from sanely.portal.accounts.actors import page_actor
from sanely.portal.core.clock import now
from sanely.portal.core.errors import ApplicationError
from sanely.portal.procurements.models import Procurement
from sanely.portal.tenders.views import time_left
from sanely.portal.web.pages import form_page, page_guard

from . import selectors, services
from .forms import NotifyForm
from .report import procurement_report, report_markdown, report_sections


def _award_page(
    request: HttpRequest,
    procurement: Procurement,
    form: NotifyForm,
    error: ApplicationError | None = None,
) -> HttpResponse:
    if error is not None and error.status in (403, 404):
        raise error
    overview = selectors.award_overview(procurement)
    standstill_over = overview.standstill is not None and overview.standstill.over(now())
    return form_page(
        request,
        "award/procurement.html",
        form=form,
        error=error,
        overview=overview,
        time_left=_standstill_left(overview.standstill),
        may_act=selectors.may_act(page_actor(request), procurement),
        standstill_over=standstill_over,
    )


def _standstill_left(period: selectors.Standstill | None) -> str:
    if period is None:
        return ""
    at = now()
    return "it has ended" if period.over(at) else time_left(period.ends_at, at)


@login_required
@page_guard
@require_GET
def procurement_award(request: HttpRequest, procurement_id: int) -> HttpResponse:
    procurement, _ = selectors.access_award(
        actor=page_actor(request), procurement_id=procurement_id
    )
    return _award_page(request, procurement, NotifyForm())


@login_required
@page_guard
@require_POST
def notify(request: HttpRequest, procurement_id: int) -> HttpResponse:
    actor = page_actor(request)
    procurement, _ = selectors.access_award(actor=actor, procurement_id=procurement_id)
    form = NotifyForm(request.POST)
    if not form.is_valid():
        return _award_page(request, procurement, form)
    try:
        letters = services.award_notify(
            actor=actor,
            procurement_id=procurement_id,
            justification=form.cleaned_data["justification"],
            now=now(),
        )
    except ApplicationError as refused:
        return _award_page(request, procurement, form, refused)
    messages.success(request, f"{len(letters)} decision notices sent; the standstill has started.")
    return redirect("award:procurement", procurement_id=procurement_id)


@login_required
@page_guard
@require_POST
def conclude(request: HttpRequest, procurement_id: int) -> HttpResponse:
    actor = page_actor(request)
    procurement, _ = selectors.access_award(actor=actor, procurement_id=procurement_id)
    try:
        contracts = services.contracts_conclude(
            actor=actor, procurement_id=procurement_id, now=now()
        )
    except ApplicationError as refused:
        return _award_page(request, procurement, NotifyForm(), refused)
    messages.success(request, f"{len(contracts)} partner contracts concluded.")
    return redirect("award:procurement", procurement_id=procurement_id)


@login_required
@page_guard
@require_GET
def report(request: HttpRequest, procurement_id: int) -> HttpResponse:
    procurement, _ = selectors.access_award(
        actor=page_actor(request), procurement_id=procurement_id
    )
    found = procurement_report(procurement)
    return render(
        request,
        "award/report.html",
        {
            "procurement": procurement,
            "report": found,
            "sections": report_sections(found),
        },
    )


@login_required
@page_guard
@require_GET
def report_download(request: HttpRequest, procurement_id: int) -> HttpResponse:
    procurement, _ = selectors.access_award(
        actor=page_actor(request), procurement_id=procurement_id
    )
    response = HttpResponse(
        report_markdown(procurement_report(procurement)),
        content_type="text/markdown; charset=utf-8",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="procurement-report-{procurement.reference}.md"'
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@page_guard
@require_GET
def contract(request: HttpRequest, contract_id: int) -> HttpResponse:
    found = selectors.access_contract(actor=page_actor(request), contract_id=contract_id)
    return render(request, "award/contract.html", {"contract": found})
