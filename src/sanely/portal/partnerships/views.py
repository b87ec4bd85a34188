"""
Pages: the partnership of one procurement with its gate reviews, one partner's plan with how it
stands (verdicts, projections, instalments), and one gate review; the forms each person may use
on them post to the routes below and come back to the page they were on.
"""

import csv
from collections.abc import Callable
from datetime import date
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from sanely.portal.accounts.actors import page_actor
from sanely.portal.award.models import Contract
from sanely.portal.core.clock import now
from sanely.portal.core.errors import ApplicationError, PermissionDenied, ValidationFailed
from sanely.portal.procurements.engine import rulebook_of, uk_date
from sanely.portal.procurements.selectors import what_next
from sanely.portal.web.pages import errors_context, page_guard
from sanely.procedure import events as lifecycle

from . import progress, selectors, services
from .dashboard import dashboard_for
from .forms import OUTCOME_CHOICES, AcceptanceForm, EvidenceForm, GateOpenForm, ValidationForm
from .models import ClaimStatus, GateReview, Outcome, Rating
from .selectors import May


def _partnership_page(
    request: HttpRequest, procurement_id: int, error: ApplicationError | None = None
) -> HttpResponse:
    actor = page_actor(request)
    found, contracts = selectors.access_partnership(actor=actor, procurement_id=procurement_id)
    manages = selectors.manages_partnership(actor, found)
    phases = selectors.plan_of(contracts[0]).phases
    ahead = what_next(procurement=found.procurement, now=now())
    context = {
        "partnership": found,
        "contracts": contracts,
        "ended": selectors.ended_contract_ids(found),
        "reviews": selectors.gate_reviews_for(actor, found),
        "gate_form": GateOpenForm(phases=[(p.key, p.name) for p in phases]) if manages else None,
        # the gate form is offered only where the rulebook lets a phase end now
        "phase_may_end": lifecycle.END_PHASE in ahead.evaluation.allowed,
        "state_label": ahead.state_label,
        **errors_context(error=error),
    }
    return render(request, "partnerships/partnership.html", context, status=_status(error))


def _status(error: ApplicationError | None) -> int:
    return error.status if error else 200


@require_GET
@login_required
@page_guard
def partnership(request: HttpRequest, procurement_id: int) -> HttpResponse:
    return _partnership_page(request, procurement_id)


def _plan_page(
    request: HttpRequest, contract_id: int, error: ApplicationError | None = None
) -> HttpResponse:
    actor = page_actor(request)
    agreed = selectors.access_plan(actor=actor, contract_id=contract_id)
    contract = agreed.contract
    may = selectors.may_on(actor, contract)
    phases = progress.plan_progress(contract, agreed.phases)
    targets = [
        (t.target.key, f"{p.phase.name}: {t.target.metric}") for p in phases for t in p.targets
    ]
    context = {
        "plan": agreed,
        "phases": phases,
        "ended": selectors.has_ended(contract),
        "may": {m.value for m in may},
        "evidence_form": EvidenceForm(targets=targets),
        "validation_form": ValidationForm(),
        "acceptance_form": AcceptanceForm(subjects=_acceptance_subjects(contract, phases)),
        "result_table": progress.result_table,
        "grounds": rulebook_of(contract.procurement).modification_grounds,
        "changes": list(selectors.changes_of(contract)),
        "claimable": [i for p in phases for i in p.instalments if i.claimable],
        "observations": list(selectors.observations_of(contract)),
        "assessments": list(selectors.assessments_of(contract)),
        "ratings": Rating.choices,
        "termination_notices": list(selectors.termination_notices_of(contract)),
        **errors_context(error=error),
    }
    return render(request, "partnerships/plan.html", context, status=_status(error))


def _acceptance_subjects(
    contract: Contract, phases: list[progress.PhaseProgress]
) -> list[tuple[str, str]]:
    deliverables = [
        (f"instalment:{i.instalment.key}", f"Deliverable: {i.instalment.description}")
        for p in phases
        for i in p.instalments
        if i.instalment.condition == "deliverable"
    ]
    levels = [
        (f"level:{level}", f"Performance level: {level}") for level in contract.performance_levels
    ]
    return deliverables + levels


def _on_plan(
    request: HttpRequest, contract_id: int, may: May, act: Callable[[], object], done: str
) -> HttpResponse:
    """
    Run one form's service: back to the plan with its message, or the plan with the refusal.
    Access is decided before the form is read, so a role that may not use the form hears so
    (as from the API), not what its form lacks.
    """
    try:
        selectors.access_contract(actor=page_actor(request), contract_id=contract_id, may=may)
        act()
    except ApplicationError as refused:
        return _plan_page(request, contract_id, refused)
    messages.success(request, done)
    return redirect("partnerships:plan", contract_id=contract_id)


@require_GET
@login_required
@page_guard
def plan(request: HttpRequest, contract_id: int) -> HttpResponse:
    return _plan_page(request, contract_id)


@require_POST
@login_required
@page_guard
def evidence_deliver(request: HttpRequest, contract_id: int) -> HttpResponse:
    return _on_plan(
        request,
        contract_id,
        May.REPORT,
        lambda: services.evidence_submit(
            actor=page_actor(request),
            contract_id=contract_id,
            target_key=request.POST.get("target_key", ""),
            part=request.POST.get("part", ""),
            data=request.FILES.get("data_file"),
            now=now(),
        ),
        "Data received. The verdict appears here once it is assessed.",
    )


@require_POST
@login_required
@page_guard
def evidence_validate(request: HttpRequest, evidence_id: int) -> HttpResponse:
    actor = page_actor(request)
    try:
        delivered = services.evidence_validate(
            actor=actor,
            evidence_id=evidence_id,
            validation=request.POST.get("validation", ""),
            now=now(),
        )
    except ApplicationError as refused:
        contract_id = selectors.contract_of_evidence(actor, evidence_id)
        return _plan_page(request, contract_id, refused)
    messages.success(request, "Recorded who checked the verdict.")
    return redirect("partnerships:plan", contract_id=delivered.contract_id)


@require_POST
@login_required
@page_guard
def acceptance(request: HttpRequest, contract_id: int) -> HttpResponse:
    kind, _, subject = request.POST.get("subject", "").partition(":")
    return _on_plan(
        request,
        contract_id,
        May.MANAGE,
        lambda: services.acceptance_record(
            actor=page_actor(request),
            contract_id=contract_id,
            name=request.POST.get("name", ""),
            passed=request.POST.get("passed") == "on",
            note=request.POST.get("note", ""),
            instalment_key=subject if kind == "instalment" else "",
            performance_level=subject if kind == "level" else "",
            now=now(),
        ),
        "The acceptance is recorded.",
    )


@require_POST
@login_required
@page_guard
def gate_open(request: HttpRequest, procurement_id: int) -> HttpResponse:
    try:
        review = services.gate_open(
            actor=page_actor(request),
            procurement_id=procurement_id,
            phase_key=request.POST.get("phase_key", ""),
            now=now(),
        )
    except ApplicationError as refused:
        return _partnership_page(request, procurement_id, refused)
    messages.success(request, "The phase has ended and its gate review is open.")
    return redirect("partnerships:gate", review_id=review.pk)


def _gate_page(
    request: HttpRequest, review_id: int, error: ApplicationError | None = None
) -> HttpResponse:
    actor = page_actor(request)
    review = selectors.access_gate(actor=actor, review_id=review_id)
    view = selectors.gate_for(actor, review)
    contracts = selectors.reviewed_contracts(review, view)
    context = {
        "review": review,
        "view": view,
        "contracts": contracts,
        "manages": selectors.manages_partnership(actor, review.partnership),
        "reports_by": {c.pk for c in contracts if selectors.may_report(actor, c)},
        "outcomes": OUTCOME_CHOICES,
        "instalments": {
            pk: [i for phase in plan.phases for i in phase.instalments.all()]
            for pk, plan in selectors.plans_of(contracts).items()
        },
        "tests": selectors.acceptance_tests_of(contracts),
        "posted": request.POST if error else {},
        **errors_context(error=error),
    }
    return render(request, "partnerships/gate.html", context, status=_status(error))


@require_GET
@login_required
@page_guard
def gate(request: HttpRequest, review_id: int) -> HttpResponse:
    return _gate_page(request, review_id)


@require_POST
@login_required
@page_guard
def gate_report(request: HttpRequest, review_id: int) -> HttpResponse:
    try:
        services.gate_report_submit(
            actor=page_actor(request),
            review_id=review_id,
            contract_id=_int(request.POST.get("contract_id")),
            report=request.POST.get("report", ""),
            now=now(),
        )
    except ApplicationError as refused:
        return _gate_page(request, review_id, refused)
    messages.success(request, "Your report is with the panel.")
    return redirect("partnerships:gate", review_id=review_id)


def _int(text: str | None) -> int:
    return int(text) if text and text.isdigit() else 0


def _price(text: str, field: str) -> Decimal | None:
    return _money(text, field) if text.strip() else None


def _choices(request: HttpRequest, review: GateReview) -> list[services.GateChoice]:
    """One choice per reviewed partner, read from its fields `<name>-<contract id>`."""
    decided = [pk for pk in review.record["partners"] if request.POST.get(f"outcome-{pk}")]
    levels = dict(Contract.objects.filter(pk__in=decided).values_list("pk", "performance_levels"))
    choices = []
    for contract_id in decided:
        outcome = request.POST[f"outcome-{contract_id}"]
        choices.append(
            services.GateChoice(
                contract_id=int(contract_id),
                outcome=outcome,
                reasons=request.POST.get(f"reasons-{contract_id}", ""),
                approved_instalments=tuple(request.POST.getlist(f"approve-{contract_id}")),
                purchase_price=_price(
                    request.POST.get(f"price-{contract_id}", ""), f"price-{contract_id}"
                ),
                purchase_evidence={
                    level: request.POST.get(f"level-{contract_id}-{i}", "")
                    for i, level in enumerate(levels[int(contract_id)])
                    if outcome == Outcome.PURCHASE
                },
            )
        )
    return choices


@require_POST
@login_required
@page_guard
def gate_decide(request: HttpRequest, review_id: int) -> HttpResponse:
    actor = page_actor(request)
    review = selectors.access_gate(actor=actor, review_id=review_id)
    try:
        services.gate_decide(
            actor=actor,
            review_id=review_id,
            reasons=request.POST.get("reasons", ""),
            justification=request.POST.get("justification", ""),
            choices=_choices(request, review),
            now=now(),
        )
    except ApplicationError as refused:
        return _gate_page(request, review_id, refused)
    messages.success(request, "The gate is decided.")
    return redirect("partnerships:gate", review_id=review_id)


@require_POST
@login_required
@page_guard
def claim(request: HttpRequest, contract_id: int) -> HttpResponse:
    return _on_plan(
        request,
        contract_id,
        May.REPORT,
        lambda: services.claim_submit(
            actor=page_actor(request),
            contract_id=contract_id,
            instalment_key=request.POST.get("instalment_key", ""),
            amount=_money(request.POST.get("amount", ""), "amount"),
            invoice_reference=request.POST.get("invoice_reference", ""),
            evidence_note=request.POST.get("evidence_note", ""),
            now=now(),
        ),
        "Your claim is with the authority's finance team.",
    )


def _money(text: str, field: str) -> Decimal:
    try:
        return Decimal(text.replace(",", "").replace("£", "").strip())
    except InvalidOperation:
        raise ValidationFailed(
            "The amount is not a number.", detail={field: ["Give an amount in pounds, like 10000."]}
        ) from None


def _claims_page(
    request: HttpRequest, procurement_id: int, error: ApplicationError | None = None
) -> HttpResponse:
    actor = page_actor(request)
    found, _ = selectors.access_partnership(actor=actor, procurement_id=procurement_id)
    context = {
        "partnership": found,
        "rows": selectors.claim_rows(found, actor=actor),
        "decides": selectors.decides_claims(actor, found),
        "today": uk_date(now()),
        **errors_context(error=error),
    }
    return render(request, "partnerships/claims.html", context, status=_status(error))


@require_GET
@login_required
@page_guard
def claims(request: HttpRequest, procurement_id: int) -> HttpResponse:
    return _claims_page(request, procurement_id)


@require_POST
@login_required
@page_guard
def claim_decide(request: HttpRequest, claim_id: int) -> HttpResponse:
    actor = page_actor(request)
    # Decided before the form is read: only a claims decider hears what the form lacks.
    found = selectors.access_claim(actor=actor, claim_id=claim_id, may=May.DECIDE_CLAIMS)
    procurement_id = found.contract.procurement_id
    decision = request.POST.get("decision", "")
    try:
        if decision == "query":
            services.claim_query(
                actor=actor, claim_id=claim_id, query=request.POST.get("text", ""), now=now()
            )
        elif decision == "approve":
            services.claim_approve(actor=actor, claim_id=claim_id, now=now())
        elif decision == "reject":
            services.claim_reject(
                actor=actor, claim_id=claim_id, reasons=request.POST.get("text", ""), now=now()
            )
        elif decision == "pay":
            services.claim_pay(
                actor=actor,
                claim_id=claim_id,
                paid_on=uk_date(now()),
                payment_reference=request.POST.get("text", ""),
                now=now(),
            )
        else:
            raise ValidationFailed(
                "Choose a decision.", detail={"decision": ["Query, approve, refuse or pay."]}
            )
    except ApplicationError as refused:
        return _claims_page(request, procurement_id, refused)
    messages.success(request, "The claim is updated.")
    return redirect("partnerships:claims", procurement_id=procurement_id)


@require_POST
@login_required
@page_guard
def claim_answer(request: HttpRequest, claim_id: int) -> HttpResponse:
    actor = page_actor(request)
    found = selectors.access_claim(actor=actor, claim_id=claim_id)
    return _on_plan(
        request,
        found.contract_id,
        May.REPORT,
        lambda: services.claim_answer(
            actor=actor, claim_id=claim_id, answer=request.POST.get("answer", ""), now=now()
        ),
        "Your answer is with the authority's finance team.",
    )


@require_GET
@login_required
@page_guard
def claims_csv(request: HttpRequest, procurement_id: int) -> HttpResponse:
    """Approved claims, for the finance system: one row per claim to pay."""
    actor = page_actor(request)
    found, _ = selectors.access_partnership(actor=actor, procurement_id=procurement_id)
    if not selectors.decides_claims(actor, found):
        raise PermissionDenied(
            "Only the authority's finance officers and commissioners can export claims."
        )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="{found.procurement.reference}-claims.csv"'
    )
    writer = csv.writer(response)
    writer.writerow(
        [
            "Partner",
            "Instalment",
            "Amount",
            "Invoice reference",
            "Invoice received",
            "Approved",
            "Payment due",
            "Rule",
        ]
    )
    for row in selectors.claim_rows(found, status=ClaimStatus.APPROVED):
        writer.writerow(
            [
                row.contract.partner.name,
                row.instalment,
                f"{row.claim.amount:.2f}",
                row.claim.invoice_reference,
                row.claim.invoice_received_on.isoformat(),
                uk_date(row.claim.decided_at).isoformat() if row.claim.decided_at else "",
                row.claim.payment_due_on.isoformat() if row.claim.payment_due_on else "",
                row.claim.payment_rule,
            ]
        )
    return response


@require_POST
@login_required
@page_guard
def change(request: HttpRequest, contract_id: int) -> HttpResponse:
    published = request.POST.get("change_notice_published_on", "")
    return _on_plan(
        request,
        contract_id,
        May.MANAGE,
        lambda: services.contract_change(
            actor=page_actor(request),
            contract_id=contract_id,
            ground=request.POST.get("ground", ""),
            reason=request.POST.get("reason", ""),
            changes=[_phase_change(request)],
            justification=request.POST.get("justification", ""),
            change_notice_published_on=_day(published, "change_notice_published_on"),
            now=now(),
        ),
        "The change is made: the plan has a new version.",
    )


def _phase_change(request: HttpRequest) -> services.PhaseChange:
    value = request.POST.get("max_value", "").strip()
    months = request.POST.get("duration_months", "").strip()
    return services.PhaseChange(
        phase_key=request.POST.get("phase_key", ""),
        max_value=_money(value, "max_value") if value else None,
        duration_months=_int(months) or None,
    )


def _day(text: str, field: str) -> date | None:
    if not text.strip():
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ValidationFailed(
            "The date is not a date.", detail={field: ["Give the date as 2027-01-31."]}
        ) from None


@require_GET
@login_required
@page_guard
def dashboard(request: HttpRequest) -> HttpResponse:
    """Every partnership of the person's authorities, and what is waiting in each."""
    today = uk_date(now())
    rows = dashboard_for(page_actor(request), today)
    return render(request, "partnerships/dashboard.html", {"rows": rows, "today": today})


@require_POST
@login_required
@page_guard
def observation(request: HttpRequest, contract_id: int) -> HttpResponse:
    kind, _, measure = request.POST.get("measure", "").partition(":")
    return _on_plan(
        request,
        contract_id,
        May.MANAGE,
        lambda: services.observation_record(
            actor=page_actor(request),
            contract_id=contract_id,
            kind=kind,
            measure=measure,
            period_start=_required_day(request, "period_start"),
            period_end=_required_day(request, "period_end"),
            observed=request.POST.get("observed", ""),
            met=request.POST.get("met") == "on",
            note=request.POST.get("note", ""),
            now=now(),
        ),
        "The observation is recorded.",
    )


def _required_day(request: HttpRequest, field: str) -> date:
    day = _day(request.POST.get(field, ""), field)
    if day is None:
        raise ValidationFailed(
            "A date is missing.", detail={field: ["Give the date as 2027-01-31."]}
        )
    return day


@require_POST
@login_required
@page_guard
def assessment(request: HttpRequest, contract_id: int) -> HttpResponse:
    actor = page_actor(request)
    contract = selectors.access_contract(actor=actor, contract_id=contract_id)
    return _on_plan(
        request,
        contract_id,
        May.MANAGE,
        lambda: services.assessment_record(
            actor=actor,
            contract_id=contract_id,
            period_start=_required_day(request, "period_start"),
            period_end=_required_day(request, "period_end"),
            ratings={
                kpi: request.POST.get(f"rating-{i}", "") for i, kpi in enumerate(contract.kpis)
            },
            now=now(),
        ),
        "The performance assessment is recorded.",
    )


@require_POST
@login_required
@page_guard
def termination_notice(request: HttpRequest, contract_id: int) -> HttpResponse:
    return _on_plan(
        request,
        contract_id,
        May.MANAGE,
        lambda: services.termination_notify(
            actor=page_actor(request),
            contract_id=contract_id,
            route=request.POST.get("route", ""),
            ground=request.POST.get("ground", ""),
            reasons=request.POST.get("reasons", ""),
            representations_by=_required_day(request, "representations_by"),
            now=now(),
        ),
        "The partner has been told, with the time it has to answer.",
    )


@require_POST
@login_required
@page_guard
def termination(request: HttpRequest, contract_id: int) -> HttpResponse:
    return _on_plan(
        request,
        contract_id,
        May.MANAGE,
        lambda: services.contract_terminate(
            actor=page_actor(request),
            contract_id=contract_id,
            justification=request.POST.get("justification", ""),
            now=now(),
        ),
        "The contract has ended.",
    )
