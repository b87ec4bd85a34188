"""
The letters the partnership sends its partners, built by `sanely.documents` from the rows the
services have just written and sent through the competition's letter register (kept as sent,
emailed after commit, audited): the gate decision, the purchase decision, each claim decision
and payment, and each agreed change.
"""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sanely.documents.letters import (
    change,
    change_agreed,
    claim_approved,
    claim_queried,
    claim_rejected,
    gate_decision,
    payment_made,
    purchase_decision,
)
from sanely.documents.letters import claim as claim_letter
from sanely.documents.letters.award_decision import Contact
from sanely.documents.letters.partner import ToPartner
from sanely.portal.accounts.selectors import Actor
from sanely.portal.award.models import Contract
from sanely.portal.competition.services import letter_send
from sanely.portal.procurements.design import GatesSection, section
from sanely.portal.procurements.engine import uk_date

from .models import Claim, ContractChange, GateDecision, GateReview, Outcome

_DECISIONS: dict[str, gate_decision.Decision] = {
    Outcome.CONTINUE: "continue",
    Outcome.END: "contract_ended",
    Outcome.TERMINATE: "partnership_terminated",
    Outcome.PURCHASE: "purchase",
}
_NEXT: dict[str, str] = {
    Outcome.CONTINUE: "The next phase starts now; its targets and instalments are in your plan.",
    Outcome.END: "Your contract ends today. Claims for work done before today can still be made.",
    Outcome.TERMINATE: "Your contract ends today. Claims for work done before today can still"
    " be made.",
    Outcome.PURCHASE: "The authority buys the solution you developed; the purchase decision"
    " follows in a separate letter.",
}
_VERDICTS: dict[str, gate_decision.Verdict] = {
    "met": "met",
    "partly met": "partly met",
    "not met": "not met",
    "inconclusive": "inconclusive",
}


def to_partner(contract: Contract, actor: Actor) -> ToPartner:
    procurement = contract.procurement
    person = actor.user
    return ToPartner(
        authority=procurement.organisation.name,
        partner=contract.partner.name,
        reference=procurement.reference,
        title=procurement.title,
        contact=Contact(person.full_name, person.email, procurement.organisation.name),
    )


def send(contract: Contract, document: Any, actor: Actor, now: datetime) -> None:
    letter_send(
        actor=actor,
        procurement=contract.procurement,
        recipient=contract.partner,
        document=document,
        now=now,
    )


def gate_letters(review: GateReview, actor: Actor, now: datetime, citation: str) -> None:
    """Each reviewed partner's letter: its decision, its reasons, its verdicts and spend."""
    gates: GatesSection = section(review.partnership.procurement.design, "gates")
    for decided in review.decisions.select_related("contract__partner", "contract__procurement"):
        send(decided.contract, _gate(review, decided, actor, gates, citation), actor, now)


def _gate(
    review: GateReview, decided: GateDecision, actor: Actor, gates: GatesSection, citation: str
) -> Any:
    standing = review.record["partners"][str(decided.contract_id)]
    ending = decided.outcome in (Outcome.END, Outcome.TERMINATE)
    conditions = (
        gates.termination_conditions
        if decided.outcome == Outcome.TERMINATE
        else gates.reduction_conditions
    )
    return gate_decision.build(
        gate_decision.Gate(
            to=to_partner(decided.contract, actor),
            phase=standing["phase"],
            decision=_DECISIONS[decided.outcome],
            reasons=decided.reasons,
            targets=tuple(_target(t) for t in standing["targets"]),
            spend=gate_decision.Spend(Decimal(standing["spent"]), Decimal(standing["max_value"])),
            next_steps=_NEXT[decided.outcome],
            next_by=None,
            option=gate_decision.Option("the procurement documents", conditions, citation)
            if ending
            else None,
            representations=None,
        )
    )


def _target(recorded: dict[str, Any]) -> gate_decision.TargetResult:
    # A target still awaiting data, or being assessed, is undecided at the gate.
    verdict = _VERDICTS.get(recorded["verdict"], "inconclusive")
    sentence = " ".join(recorded["explanations"]) or "No data had been assessed by the gate."
    return gate_decision.TargetResult(recorded["metric"], verdict, sentence)


def purchase_letter(
    contract: Contract,
    levels: list[tuple[str, str]],
    price: Decimal,
    citation: str,
    actor: Actor,
    now: datetime,
) -> None:
    document = purchase_decision.build(
        purchase_decision.Purchase(
            to=to_partner(contract, actor),
            solution=f"the solution developed under {contract.procurement.title}",
            levels=tuple(purchase_decision.LevelMet(level, shown) for level, shown in levels),
            price=price,
            maximum_cost=contract.max_cost,
            citation=citation,
            starts_on=uk_date(now),
            next_steps="The purchase now runs as contract delivery, with its key performance"
            " indicators.",
        )
    )
    send(contract, document, actor, now)


def _claim(claim: Claim, names: dict[str, str], actor: Actor) -> claim_letter.Claim:
    return claim_letter.Claim(
        to=to_partner(claim.contract, actor),
        instalment=names.get(claim.instalment_key, claim.instalment_key),
        phase=names.get(claim.phase_key, claim.phase_key),
        amount=claim.amount,
        submitted_on=uk_date(claim.submitted_at),
    )


def claim_decision_letter(
    claim: Claim, names: dict[str, str], condition: str, actor: Actor, now: datetime
) -> None:
    """The letter for the claim's new status: approved, queried, refused or paid."""
    about = _claim(claim, names, actor)
    today = uk_date(now)
    documents = {
        "approved": lambda: claim_approved.build(
            claim_approved.Approval(
                about,
                today,
                claim_approved.PaymentDue(
                    claim.payment_due_on, "the payment period the law sets", claim.payment_rule
                ),
            )
        ),
        "queried": lambda: claim_queried.build(
            claim_queried.Query(about, (claim.query,), (), None)
        ),
        "rejected": lambda: claim_rejected.build(
            claim_rejected.Rejection(about, claim.reasons, condition)
        ),
        "paid": lambda: payment_made.build(
            payment_made.Payment(
                about,
                claim.amount,
                claim.paid_on or today,
                claim.invoice_reference,
                claim.payment_due_on or today,
            )
        ),
    }
    if claim.status in documents:
        send(claim.contract, documents[claim.status](), actor, now)


def change_letter(
    changed: ContractChange,
    ground: change.Ground,
    term_before: date,
    actor: Actor,
    now: datetime,
) -> None:
    """The record, to the partner, of the change agreed and the plan version it made."""
    value_before = changed.value_after - changed.value_change
    term_after = date.fromordinal(term_before.toordinal() + changed.term_change_days)
    document = change_agreed.build(
        change_agreed.Agreed(
            to=to_partner(changed.contract, actor),
            change=changed.description,
            reason=changed.description,
            ground=ground,
            value=change.ValueChange(value_before, changed.value_after)
            if changed.value_change
            else None,
            term=change.TermChange(term_before, term_after) if changed.term_change_days else None,
            effective_on=changed.made_on,
            version=changed.version.number,
        )
    )
    send(changed.contract, document, actor, now)
