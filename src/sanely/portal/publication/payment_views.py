"""
The authority's page of the Act's payment notices and contract copies: the payments compliance
notice (s.69, reg 38) for a reporting period with what it still lacks, the payments over £30,000
(s.70) for a quarter, and the contracts over £5m whose copy is due (s.53(3)), each with its due
day; and the page where the finance director's approval of a compliance notice is recorded.
"""

from datetime import date, timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from sanely.portal.accounts.actors import page_actor
from sanely.portal.accounts.models import Organisation, OrganisationKind
from sanely.portal.accounts.selectors import access_organisation
from sanely.portal.core.clock import now
from sanely.portal.core.errors import ApplicationError, NotFound
from sanely.portal.web.pages import form_page, page_guard

from . import payments
from .forms import PaymentsApprovalForm


def _day(text: str | None) -> date:
    try:
        return date.fromisoformat(text) if text else timezone.localdate()
    except ValueError:
        return timezone.localdate()


def _authority(organisation: Organisation) -> Organisation:
    if organisation.kind != OrganisationKind.AUTHORITY:
        raise NotFound("No such authority.")
    return organisation


@login_required
@page_guard
@require_GET
def payment_notices(request: HttpRequest, organisation_id: int) -> HttpResponse:
    organisation, membership = access_organisation(
        actor=page_actor(request), organisation_id=organisation_id
    )
    _authority(organisation)
    on = _day(request.GET.get("on"))
    today = timezone.localdate()
    commenced = payments.payments_compliance_from(organisation)
    period = payments.reporting_period(on, commenced)
    compliance = payments.payments_compliance(organisation, period) if period else None
    approval = payments.payments_approval(compliance, organisation) if compliance else None
    duties = payments.duties(organisation)
    earlier = (period.first if period else on) - timedelta(days=1)
    quarter = payments.quarter(on)
    return render(
        request,
        "publication/payments.html",
        {
            "organisation": organisation,
            "commenced": commenced,
            "compliance": compliance,
            "approval": approval,
            "missing": payments.compliance_missing(compliance, approval) if compliance else [],
            "may_approve": bool(
                compliance
                and payments.may_record_approval(membership)
                and today > compliance.period.last
            ),
            "quarter": quarter,
            "significant_from": payments.SIGNIFICANT_PAYMENTS_FROM,
            "significant": payments.significant_payments(organisation, quarter),
            "copies": payments.contract_copies(organisation),
            "duties": duties,
            "previous": (
                earlier.isoformat() if payments.reporting_period(earlier, commenced) else None
            ),
            "today": today,
        },
    )


@login_required
@page_guard
@require_http_methods(["GET", "POST"])
def payments_approve(request: HttpRequest, organisation_id: int) -> HttpResponse:
    actor = page_actor(request)
    organisation, _ = payments.approval_recorder(actor=actor, organisation_id=organisation_id)
    period = payments.reporting_period(
        _day(request.GET.get("period")), payments.payments_compliance_from(organisation)
    )
    if period is None:
        raise NotFound("No such reporting period.")
    compliance = payments.payments_compliance(organisation, period)
    page: dict[str, Any] = {
        "organisation": organisation,
        "compliance": compliance,
        "approval": payments.payments_approval(compliance, organisation),
    }
    if request.method == "GET":
        return form_page(
            request, "publication/payments_approve.html", form=PaymentsApprovalForm(), **page
        )
    form = PaymentsApprovalForm(request.POST)
    if not form.is_valid():
        return form_page(request, "publication/payments_approve.html", form=form, **page)
    data = form.cleaned_data
    try:
        payments.payments_approve(
            actor=actor,
            organisation_id=organisation.pk,
            period_first=period.first,
            approver_name=data["approver_name"],
            approver_job_title=data["approver_job_title"],
            enquiry_contact=data["enquiry_contact"],
            confirmed=data["confirmed"],
            now=now(),
        )
    except ApplicationError as refused:
        return form_page(
            request, "publication/payments_approve.html", form=form, error=refused, **page
        )
    messages.success(request, "Approval recorded: the notice can be published.")
    url = reverse("publication:payments", kwargs={"organisation_id": organisation.pk})
    return redirect(f"{url}?on={period.first.isoformat()}")
