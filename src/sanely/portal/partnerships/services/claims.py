"""
Claims and payments. A partner claims an instalment with its invoice; the engine refuses a claim
above what remains of the phase's maximum value, or whose condition is neither met by recorded
evidence nor approved at a gate. The authority's finance officers (or commissioners) query,
approve or reject it with reasons; approval dates the payment by the regime's rule (PA 2023
s.68, PCR 2015 reg 113), and the payment is recorded against that date.
"""

from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal

from django.db import transaction

from sanely.portal.accounts.selectors import Actor
from sanely.portal.audit.services import audit_record
from sanely.portal.award.models import Contract
from sanely.portal.core.errors import Conflict, NotFound, validation_failed_from
from sanely.portal.procurements.engine import uk_date
from sanely.procedure import contract_events

from .. import events, letters
from ..law import claim_request, contract_facts, decide, payment_due, plan_names
from ..models import Claim, ClaimStatus
from ..progress import plan_progress
from ..selectors import May, access_contract, instalment_in, plan_of


def _instalment_standing(contract: Contract, instalment_key: str) -> tuple[str, bool, bool]:
    """The instalment's phase, whether its condition is met and whether a gate approved it."""
    for phase in plan_progress(contract, plan_of(contract).phases):
        for standing in phase.instalments:
            if standing.instalment.key == instalment_key:
                return phase.phase.key, standing.condition_met, standing.approved_at_gate
    raise validation_failed_from(
        {"instalment_key": ["Choose an instalment of the plan agreed with this partner."]}
    )


def _audit(claim: Claim, action: str, actor: Actor, now: datetime, **payload: object) -> None:
    audit_record(
        action=action,
        subject=claim,
        now=now,
        actor=actor.user,
        organisation=claim.contract.procurement.organisation,
        payload={
            "contract": claim.contract_id,
            "instalment": claim.instalment_key,
            "amount": str(claim.amount),
            "status": claim.status,
            **payload,
        },
    )


@transaction.atomic
def claim_submit(
    *,
    actor: Actor,
    contract_id: int,
    instalment_key: str,
    amount: Decimal,
    invoice_reference: str,
    now: datetime,
    invoice_received_on: date | None = None,
    evidence_note: str = "",
) -> Claim:
    """A partner's claim for one instalment, judged by the engine before it is stored."""
    contract = access_contract(actor=actor, contract_id=contract_id, may=May.REPORT)
    errors: dict[str, list[str]] = {}
    if not invoice_reference.strip() or len(invoice_reference) > 100:
        errors["invoice_reference"] = ["Give the invoice's reference, in at most 100 characters."]
    received = invoice_received_on or uk_date(now)
    if received > uk_date(now):
        errors["invoice_received_on"] = ["The invoice cannot be received after today."]
    if amount <= 0:
        errors["amount"] = ["Claim an amount above £0."]
    if errors:
        raise validation_failed_from(errors)
    phase_key, met, approved = _instalment_standing(contract, instalment_key)
    claim = Claim(
        contract=contract,
        phase_key=phase_key,
        instalment_key=instalment_key,
        amount=amount,
        status=ClaimStatus.SUBMITTED,
        basis="its condition is met" if met else "approved at a gate" if approved else "",
        evidence_note=evidence_note.strip(),
        invoice_reference=invoice_reference.strip(),
        invoice_received_on=received,
        submitted_by=actor.user,
        submitted_at=now,
    )
    request = replace(
        claim_request(claim, plan_names(contract)), condition_met=met, gate_approved=approved
    )
    decision = decide(contract, contract_events.CLAIM_INSTALMENT, request, now)
    due = payment_due(decision)
    claim.payment_due_on = due.due_on if due else None
    claim.payment_rule = due.citation if due else ""
    claim.save()
    _audit(claim, events.CLAIM_SUBMITTED, actor, now, basis=claim.basis)
    return claim


def _tell(claim: Claim, actor: Actor, now: datetime) -> None:
    """The partner's letter on the claim's new status."""
    contract = claim.contract
    found = instalment_in(plan_of(contract), claim.instalment_key)
    condition = found[1].get_condition_display().lower() if found else ""
    letters.claim_decision_letter(claim, plan_names(contract), condition, actor, now)


def _claim_for_decision(actor: Actor, claim_id: int, *allowed: str) -> Claim:
    claim = Claim.objects.select_for_update().filter(pk=claim_id).first()
    if claim is None:
        raise NotFound("No such claim.")
    claim.contract = access_contract(
        actor=actor, contract_id=claim.contract_id, may=May.DECIDE_CLAIMS
    )
    if claim.status not in allowed:
        raise Conflict(
            f"This claim is {claim.get_status_display().lower()}: it cannot be changed so."
        )
    return claim


def _reasons(text: str, field: str, what: str) -> str:
    if not text.strip() or len(text) > 5000:
        raise validation_failed_from({field: [f"Write {what}, in at most 5,000 characters."]})
    return text.strip()


@transaction.atomic
def claim_query(*, actor: Actor, claim_id: int, query: str, now: datetime) -> Claim:
    """Ask the partner about its claim: the invoice is disputed until it is answered."""
    claim = _claim_for_decision(actor, claim_id, ClaimStatus.SUBMITTED)
    claim.query = _reasons(query, "query", "what the partner should answer or send")
    claim.status = ClaimStatus.QUERIED
    claim.save(update_fields=["query", "status"])
    _audit(claim, events.CLAIM_QUERIED, actor, now, query=claim.query)
    _tell(claim, actor, now)
    return claim


@transaction.atomic
def claim_answer(*, actor: Actor, claim_id: int, answer: str, now: datetime) -> Claim:
    """The partner's answer to a query: the claim is submitted again."""
    claim = Claim.objects.select_for_update().filter(pk=claim_id).first()
    if claim is None:
        raise NotFound("No such claim.")
    access_contract(actor=actor, contract_id=claim.contract_id, may=May.REPORT)
    if claim.status != ClaimStatus.QUERIED:
        raise Conflict("Only a queried claim can be answered.")
    reply = _reasons(answer, "answer", "your answer to the query")
    claim.evidence_note = f"{claim.evidence_note}\n\nAnswer to the query: {reply}".strip()
    claim.status = ClaimStatus.SUBMITTED
    claim.save(update_fields=["evidence_note", "status"])
    _audit(claim, events.CLAIM_SUBMITTED, actor, now, answer=reply)
    return claim


@transaction.atomic
def claim_approve(*, actor: Actor, claim_id: int, now: datetime) -> Claim:
    """
    Approve the claim: the invoice is valid and undisputed from today, and the engine dates the
    payment by the regime's rule.
    """
    claim = _claim_for_decision(actor, claim_id, ClaimStatus.SUBMITTED)
    claim.status, claim.decided_by, claim.decided_at = ClaimStatus.APPROVED, actor.user, now
    contract = claim.contract
    request = claim_request(claim, plan_names(contract))
    decision = decide(
        contract,
        contract_events.CLAIM_INSTALMENT,
        replace(request, condition_met=True),  # judged when it was submitted
        now,
        facts=contract_facts(contract, exclude_claim=claim.pk),
    )
    due = payment_due(decision)
    claim.payment_due_on = due.due_on if due else None
    claim.payment_rule = due.citation if due else ""
    claim.save()
    _audit(claim, events.CLAIM_APPROVED, actor, now, payment_due_on=str(claim.payment_due_on))
    _tell(claim, actor, now)
    return claim


@transaction.atomic
def claim_reject(*, actor: Actor, claim_id: int, reasons: str, now: datetime) -> Claim:
    """Refuse the claim with reasons; it no longer counts against the phase."""
    claim = _claim_for_decision(actor, claim_id, ClaimStatus.SUBMITTED, ClaimStatus.QUERIED)
    claim.reasons = _reasons(reasons, "reasons", "the reasons for refusing the claim")
    claim.status, claim.decided_by, claim.decided_at = ClaimStatus.REJECTED, actor.user, now
    claim.payment_due_on, claim.payment_rule = None, ""  # nothing is owed on a refused claim
    claim.save()
    _audit(claim, events.CLAIM_REJECTED, actor, now, reasons=claim.reasons)
    _tell(claim, actor, now)
    return claim


@transaction.atomic
def claim_pay(
    *, actor: Actor, claim_id: int, paid_on: date, payment_reference: str, now: datetime
) -> Claim:
    """Record the payment of an approved claim, judged once more by the engine."""
    claim = _claim_for_decision(actor, claim_id, ClaimStatus.APPROVED)
    if paid_on > uk_date(now) or paid_on < claim.invoice_received_on:
        raise validation_failed_from(
            {"paid_on": ["Give the day it was paid: not in the future, nor before the invoice."]}
        )
    if not payment_reference.strip() or len(payment_reference) > 100:
        raise validation_failed_from(
            {"payment_reference": ["Give the payment's reference, in at most 100 characters."]}
        )
    claim.paid_on, claim.payment_reference = paid_on, payment_reference.strip()
    contract = claim.contract
    decide(
        contract,
        contract_events.PAY_CLAIM,
        replace(claim_request(claim, plan_names(contract)), condition_met=True),
        now,
        facts=contract_facts(contract, exclude_claim=claim.pk),
    )
    claim.status = ClaimStatus.PAID
    claim.save()
    _audit(claim, events.CLAIM_PAID, actor, now, paid_on=str(paid_on))
    _tell(claim, actor, now)
    return claim
