"""
The law after award, reached through the engine: one partner contract's facts as the rulebook
reads them (`sanely.procedure.ContractFacts`), built from its rows, and the engine's answer on a
contract event turned into the portal's refusal. The services never decide the law themselves.

Facts name phases and instalments by their names, not their keys, since the engine's messages
quote them to people.
"""

from datetime import date, datetime
from decimal import Decimal

from sanely import procedure
from sanely.documents.wording import sentence
from sanely.portal.award.models import Contract
from sanely.portal.award.selectors import contracts_of
from sanely.portal.core.errors import RuleRefused
from sanely.portal.procurements.design import GatesSection, section
from sanely.portal.procurements.engine import rulebook_of, uk_date
from sanely.portal.procurements.models import Procurement
from sanely.portal.procurements.services import require_justification
from sanely.procedure import ContractDecision, ContractFacts, PhaseBudget, Rulebook

from .models import Claim, ClaimStatus, ContractChange, ContractEnd, PlanVersion
from .progress import add_months
from .selectors import plan_of

PAYMENT = "Payment of the claim"  # what every rulebook calls the duty to pay a claim
# What every innovation partnership's documents provide for: moving from phase to phase and the
# purchase at the end (PCR 2015 reg 31(2), (9); PA 2023 Sch 8 para 1 as the tender notice says).
PROVIDED_FOR = frozenset({"phase_progression", "purchase_option"})
STANDING = (ClaimStatus.SUBMITTED, ClaimStatus.QUERIED, ClaimStatus.APPROVED, ClaimStatus.PAID)


def _threshold(rulebook: Rulebook, day: date) -> Decimal | None:
    try:
        amounts = rulebook.thresholds_on(day).amounts
    except KeyError:
        return None
    # A council or an NHS body is a sub-central authority.
    return amounts.get("sub_central_goods_services")


def claim_request(claim: Claim, names: dict[str, str]) -> procedure.Claim:
    """A stored claim as the engine reads it."""
    return procedure.Claim(
        key=names.get(claim.instalment_key, claim.instalment_key),
        phase=names.get(claim.phase_key, claim.phase_key),
        amount=claim.amount,
        condition_met=True,
        gate_approved=False,
        invoice_received_on=claim.invoice_received_on,
        invoice_verified_on=uk_date(claim.decided_at)
        if claim.status in (ClaimStatus.APPROVED, ClaimStatus.PAID) and claim.decided_at
        else None,
        disputed=claim.status == ClaimStatus.QUERIED,
        paid_on=claim.paid_on,
    )


def plan_names(contract: Contract) -> dict[str, str]:
    """Each phase's and instalment's key, with the name people know it by."""
    names = {}
    for phase in plan_of(contract).phases:
        names[phase.key] = phase.name
        names.update({i.key: i.description for i in phase.instalments.all()})
    return names


def _standing_claims(contract: Contract, exclude: int | None) -> list[Claim]:
    standing = Claim.objects.filter(contract=contract, status__in=STANDING)
    return list(standing if exclude is None else standing.exclude(pk=exclude))


def contract_facts(contract: Contract, *, exclude_claim: int | None = None) -> ContractFacts:
    """One partner contract as awarded, and what happened under it since, as the engine reads it."""
    procurement = contract.procurement
    rulebook = rulebook_of(procurement)
    plan = plan_of(contract)
    first = plan.versions[0]
    concluded_on = uk_date(contract.concluded_at)
    months = sum(p.duration_months for p in plan.phases)
    gates: GatesSection = section(procurement.design, "gates")
    names = plan_names(contract)
    ended = ContractEnd.objects.filter(contract=contract).first()
    return ContractFacts(
        partner=contract.partner.name,
        value_as_awarded=sum(
            (p.max_value for p in first.phases.all()),
            Decimal(0),
        ),
        concluded_on=concluded_on,
        nation=procurement.organisation.nation or None,
        threshold=_threshold(rulebook, concluded_on),
        max_term_days=(add_months(concluded_on, months) - concluded_on).days or None,
        provided_for=PROVIDED_FOR,
        reduction_option_announced=gates.reduction_announced,
        termination_option_announced=gates.termination_announced,
        phases=tuple(PhaseBudget(p.name, p.max_value) for p in plan.phases),
        max_cost=contract.max_cost,
        kpis=tuple(contract.kpis),
        claims=tuple(claim_request(c, names) for c in _standing_claims(contract, exclude_claim)),
        modifications=tuple(
            change.as_request() for change in ContractChange.objects.filter(contract=contract)
        ),
        ending=procedure.Ending(route="gate", ended_on=ended.ended_on) if ended else None,
        justifications=procurement.justifications,
    )


def decide(
    contract: Contract,
    event: str,
    request: procedure.ContractRequest,
    now: datetime,
    facts: ContractFacts | None = None,
    justification: str = "",
) -> ContractDecision:
    """
    The engine's decision on a contract event, refused with every refusing rule's message and
    the first rule's citation; a WARN needs a justification, as the lifecycle's actions do.
    """
    rulebook = rulebook_of(contract.procurement)
    facts = facts or contract_facts(contract)
    decision = procedure.decide_contract(rulebook, facts, event, now, request)
    if decision.refusals:
        first = decision.refusals[0]
        message = " ".join(f"{sentence(r.message)} To fix: {r.fix}." for r in decision.refusals)
        raise RuleRefused(
            message,
            rule=first.rule,
            citation=first.citation,
            detail={
                r.field or "__all__": [f"{sentence(r.message)} ({r.citation})"]
                for r in decision.refusals
            },
        )
    require_justification(decision.warnings, justification)
    return decision


def payment_due(decision: ContractDecision) -> procedure.ContractDue | None:
    """The payment the decision dated, if it dated one."""
    return next((d for d in decision.dues if d.what.startswith(PAYMENT)), None)


def dues_of(contract: Contract, now: datetime) -> tuple[procedure.ContractDue, ...]:
    """What the law still asks under the contract, overdue first."""
    return procedure.contract_dues(rulebook_of(contract.procurement), contract_facts(contract), now)


def citation_for(contract: Contract, event: str, guard: str) -> str:
    """The citation of the rule whose named guard judges the contract event."""
    rules = rulebook_of(contract.procurement).rules
    return next(
        (r.citation for r in rules if any(c.event == event and c.guard == guard for c in r.checks)),
        "",
    )


def partnership_dues(
    procurement: Procurement, now: datetime
) -> list[tuple[str, procedure.ContractDue]]:
    """
    What the law asks under each partner contract of the procurement that has a date (payments,
    notices, the next assessment), overdue first: for "what happens next".
    """
    found = [
        (contract.partner.name, due)
        for contract in contracts_of(procurement)
        if PlanVersion.objects.filter(contract=contract).exists()
        for due in dues_of(contract, now)
        if due.due_on is not None
    ]
    return sorted(found, key=lambda item: (not item[1].overdue, item[1].due_on))
