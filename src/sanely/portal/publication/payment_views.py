"""
The authority's page of the Act's payment notices and contract copies: the payments compliance
notice's figures (s.69) for a reporting period, the payments over £30,000 (s.70) for a quarter,
and the contracts over £5m whose copy is due (s.53(3)), each with its due day.
"""

from datetime import date, timedelta

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from sanely.portal.accounts.actors import page_actor
from sanely.portal.accounts.models import OrganisationKind
from sanely.portal.accounts.selectors import access_organisation
from sanely.portal.core.errors import NotFound
from sanely.portal.web.pages import page_guard

from . import payments


def _day(text: str | None) -> date:
    try:
        return date.fromisoformat(text) if text else timezone.localdate()
    except ValueError:
        return timezone.localdate()


@login_required
@page_guard
@require_GET
def payment_notices(request: HttpRequest, organisation_id: int) -> HttpResponse:
    organisation, _ = access_organisation(
        actor=page_actor(request), organisation_id=organisation_id
    )
    if organisation.kind != OrganisationKind.AUTHORITY:
        raise NotFound("No such authority.")
    on = _day(request.GET.get("on"))
    period = payments.reporting_period(on)
    quarter = payments.quarter(on)
    return render(
        request,
        "publication/payments.html",
        {
            "organisation": organisation,
            "compliance": payments.payments_compliance(organisation, period),
            "quarter": quarter,
            "significant": payments.significant_payments(organisation, quarter),
            "copies": payments.contract_copies(organisation),
            "duties": payments.duties(organisation),
            "previous": (period.first - timedelta(days=1)).isoformat(),
            "today": timezone.localdate(),
        },
    )
