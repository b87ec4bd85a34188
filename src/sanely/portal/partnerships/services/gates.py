"""
Gate reviews. After a phase the authority opens a review (the procurement moves to its gate
through the engine's `end_phase`): the targets' verdicts and the spend are recorded as they
stand, each partner may add its report, and the panel decides for each partner with reasons:
continue, end that partner's contract under the announced option, proceed to the purchase, or
end the partnership. The engine's gate events judge the decision (the options announced, the
targets assessed, the purchase conditions); a refusal leaves everything as it was.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db import transaction

from sanely import procedure
from sanely.portal.accounts.selectors import Actor
from sanely.portal.audit.services import audit_record
from sanely.portal.award.models import Contract
from sanely.portal.core.errors import Conflict, NotFound, validation_failed_from
from sanely.portal.procurements.actions import Action
from sanely.portal.procurements.engine import uk_date
from sanely.portal.procurements.selectors import access_procurement
from sanely.portal.procurements.services import procurement_act
from sanely.procedure import contract_events
from sanely.procedure import events as lifecycle

from .. import events, letters
from ..law import citation_for, contract_facts, decide
from ..models import ContractEnd, GateDecision, GateReview, Outcome, Partnership
from ..progress import PartResult, PhaseProgress, TargetProgress, plan_progress
from ..selectors import May, access_contract, live_contracts, plan_of
from .ending import record_end
from .purchase import purchase_evidence


@dataclass(frozen=True)
class GateChoice:
    """The panel's decision for one partner."""

    contract_id: int
    outcome: str
    reasons: str
    approved_instalments: tuple[str, ...] = ()
    purchase_price: Decimal | None = None
    # For the purchase: each agreed performance level and the evidence that shows it, named as
    # "target:KEY" (a met target verdict) or "acceptance:ID" (a passed acceptance test).
    purchase_evidence: dict[str, str] = field(default_factory=dict)


def _review_for_change(actor: Actor, review_id: int) -> GateReview:
    review = (
        GateReview.objects.select_for_update()
        .select_related("partnership__procurement")
        .filter(pk=review_id)
        .first()
    )
    if review is None:
        raise NotFound("No such gate review.")
    access_procurement(actor=actor, procurement_id=review.partnership.procurement_id, write=True)
    if review.decided_at is not None:
        raise Conflict("This gate has been decided; its decision stands as recorded.")
    return review


@transaction.atomic
def gate_open(*, actor: Actor, procurement_id: int, phase_key: str, now: datetime) -> GateReview:
    """End the phase and open its review, recording each partner's verdicts and spend."""
    procurement, _ = access_procurement(actor=actor, procurement_id=procurement_id, write=True)
    partnership = Partnership.objects.filter(procurement=procurement).first()
    if partnership is None:
        raise NotFound("No such partnership.")
    contracts = live_contracts(partnership)
    progress = {c.pk: plan_progress(c, plan_of(c).phases) for c in contracts}
    phases: dict[int, PhaseProgress] = {}
    for contract_id, plan in progress.items():
        found = next((p for p in plan if p.phase.key == phase_key), None)
        if found is not None:
            phases[contract_id] = found
    if not contracts or len(phases) != len(contracts):
        raise validation_failed_from(
            {"phase_key": ["Choose a phase of the plan agreed with every remaining partner."]}
        )
    procurement_act(
        actor=actor,
        procurement_id=procurement.pk,
        event=lifecycle.END_PHASE,
        action=Action(),
        now=now,
    )
    review = GateReview.objects.create(
        partnership=partnership,
        phase_key=phase_key,
        opened_by=actor.user,
        opened_at=now,
        record={
            "partners": {str(c.pk): _standing(c, phases[c.pk]) for c in contracts},
            "reports": {},
        },
    )
    audit_record(
        action=events.GATE_OPENED,
        subject=review,
        now=now,
        actor=actor.user,
        organisation=procurement.organisation,
        payload={"phase": phase_key, "record": review.record},
    )
    return review


def _standing(contract: Contract, phase: PhaseProgress) -> dict[str, Any]:
    return {
        "partner": contract.partner.name,
        "phase": phase.phase.name,
        "targets": [
            {
                "key": t.target.key,
                "metric": t.target.metric,
                "verdict": t.verdict,
                "explanations": [
                    p.outcome["explanation"] for p in t.parts if p.verdict is not None
                ],
                "figures": [_figures(t, p) for p in t.parts if p.verdict is not None],
            }
            for t in phase.targets
        ],
        "spent": str(phase.spent),
        "max_value": str(phase.phase.max_value),
    }


def _figures(target: TargetProgress, part: PartResult) -> dict[str, Any]:
    """What a chart of the part's estimate against the target needs, as plain JSON values."""
    outcome, spec = part.outcome, target.target.spec
    wanted = spec.get("target") or {}
    return {
        "part": part.part,
        "estimate": outcome["estimate"],
        "low": outcome["ci_low"],
        "high": outcome["ci_high"],
        "level": outcome["confidence"],
        "threshold": float(wanted["threshold"]) if "threshold" in wanted else None,
        "comparator": wanted.get("comparator", ""),
        "units": spec.get("metric", {}).get("units", ""),
    }


@transaction.atomic
def gate_report_submit(
    *, actor: Actor, review_id: int, contract_id: int, report: str, now: datetime
) -> GateReview:
    """The partner's own report on the phase, for the panel."""
    contract = access_contract(actor=actor, contract_id=contract_id, may=May.REPORT)
    review = (
        GateReview.objects.select_for_update()
        .filter(pk=review_id, partnership__procurement_id=contract.procurement_id)
        .first()
    )
    if review is None or str(contract.pk) not in review.record["partners"]:
        raise NotFound("No such gate review.")
    if review.decided_at is not None:
        raise Conflict("This gate has been decided; reports can no longer be added.")
    if not report.strip() or len(report) > 20_000:
        raise validation_failed_from(
            {"report": ["Write the report on the phase, in at most 20,000 characters."]}
        )
    review.record = {
        **review.record,
        "reports": {**review.record["reports"], str(contract.pk): report.strip()},
    }
    review.save(update_fields=["record"])
    audit_record(
        action=events.GATE_REPORTED,
        subject=review,
        now=now,
        actor=actor.user,
        organisation=contract.procurement.organisation,
        payload={"contract": contract.pk},
    )
    return review


def _choice_problems(
    review: GateReview, contracts: list[Contract], reasons: str, choices: Sequence[GateChoice]
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not reasons.strip():
        errors["reasons"] = ["Give the panel's reasons for the decision."]
    if any(not c.reasons.strip() for c in choices):
        errors["decisions"] = ["Give each partner the reasons for the decision about it."]
    chosen = {c.contract_id: c for c in choices}
    if set(chosen) != {c.pk for c in contracts} or len(chosen) != len(choices):
        errors["decisions"] = ["Decide once for every remaining partner."]
        return errors
    outcomes = {c.outcome for c in choices}
    if not outcomes <= set(Outcome.values):
        errors["decisions"] = ["Choose continue, end, purchase or terminate for each partner."]
    elif Outcome.TERMINATE in outcomes and outcomes != {Outcome.TERMINATE}:
        errors["decisions"] = ["Ending the partnership ends every partner's contract."]
    elif {Outcome.CONTINUE, Outcome.PURCHASE} <= outcomes:
        errors["decisions"] = ["Either continue to the next phase or proceed to the purchase."]
    elif outcomes == {Outcome.END}:
        errors["decisions"] = [
            "Keep at least one partner, or end the partnership under its announced option."
        ]
    elif sum(c.outcome == Outcome.PURCHASE for c in choices) > 1:
        errors["decisions"] = ["Proceed to the purchase with one partner."]
    by_contract = {c.pk: c for c in contracts}
    for choice in choices:
        contract = by_contract[choice.contract_id]
        if set(choice.approved_instalments) - _instalment_keys(plan_of(contract)):
            errors.setdefault("approved_instalments", []).append(
                f"Approve only instalments of the plan agreed with {contract.partner.name}."
            )
    return errors


@transaction.atomic
def gate_decide(
    *,
    actor: Actor,
    review_id: int,
    reasons: str,
    choices: Sequence[GateChoice],
    now: datetime,
    justification: str = "",
) -> GateReview:
    """Decide the gate for every partner, through the engine's gate events."""
    review = _review_for_change(actor, review_id)
    partnership = review.partnership
    contracts = live_contracts(partnership)
    if errors := _choice_problems(review, contracts, reasons, choices):
        raise validation_failed_from(errors)
    by_contract = {c.pk: c for c in contracts}
    assessment = _targets_assessment(review)
    ending = [c for c in choices if c.outcome in (Outcome.END, Outcome.TERMINATE)]
    staying = [c for c in choices if c not in ending]

    def act(event: str, **facts: Any) -> None:
        procurement_act(
            actor=actor,
            procurement_id=partnership.procurement_id,
            event=event,
            action=Action(targets_assessment=assessment, justification=justification, **facts),
            now=now,
        )

    if not staying:
        act(lifecycle.TERMINATE_PARTNERSHIP)
    else:
        if ending:
            act(lifecycle.REDUCE_PARTNERS, partners=len(staying))
        buying = next((c for c in staying if c.outcome == Outcome.PURCHASE), None)
        if buying is None:
            act(lifecycle.CONTINUE_PARTNERSHIP)
        else:
            _purchase_allowed(by_contract[buying.contract_id], buying, actor, now, justification)
            act(
                lifecycle.START_PURCHASE,
                performance_levels_met=True,
                purchase_price=buying.purchase_price,
            )
    gate_option = "terminate" if not staying else "reduce"
    for choice in ending:
        _end(by_contract[choice.contract_id], gate_option, choice.reasons, now, justification)
    _record(review, by_contract, reasons, choices, actor, now)
    some = next(iter(by_contract.values()))
    letters.gate_letters(
        review, actor, now, citation_for(some, contract_events.END_CONTRACT, "gate_exit_allowed")
    )
    return review


def _purchase_allowed(
    contract: Contract, choice: GateChoice, actor: Actor, now: datetime, justification: str
) -> None:
    """The contract engine's purchase rule: each level met by named evidence, within cost."""
    levels = purchase_evidence(contract, choice.purchase_evidence)
    facts = replace(
        contract_facts(contract),
        performance_levels=tuple(
            procedure.PerformanceLevel(level.level, level.evidence if level.met else "")
            for level in levels
        ),
    )
    price = choice.purchase_price
    if price is None:
        raise validation_failed_from({"purchase_price": ["Give the purchase price."]})
    decide(
        contract,
        contract_events.PURCHASE,
        procedure.Purchase(price),
        now,
        facts=facts,
        justification=justification,
    )
    letters.purchase_letter(
        contract,
        [(level.level, level.evidence) for level in levels],
        price,
        citation_for(contract, contract_events.PURCHASE, "purchase_conditions"),
        actor,
        now,
    )


def _targets_assessment(review: GateReview) -> str:
    """The recorded verdicts, in words: what the engine's gate rules ask to be assessed."""
    lines = []
    for standing in review.record["partners"].values():
        verdicts = "; ".join(f"{t['metric']}: {t['verdict']}" for t in standing["targets"])
        lines.append(f"{standing['partner']}, {standing['phase']}: {verdicts}.")
    return " ".join(lines)


def _record(
    review: GateReview,
    contracts: dict[int, Contract],
    reasons: str,
    choices: Sequence[GateChoice],
    actor: Actor,
    now: datetime,
) -> None:
    for choice in choices:
        contract = contracts[choice.contract_id]
        GateDecision.objects.create(
            review=review,
            contract=contract,
            outcome=choice.outcome,
            reasons=choice.reasons.strip(),
            approved_instalments=list(choice.approved_instalments),
            purchase_price=choice.purchase_price,
            purchase_evidence=[
                {"level": level, "evidence": ref} for level, ref in choice.purchase_evidence.items()
            ],
        )
    review.reasons, review.decided_by, review.decided_at = reasons.strip(), actor.user, now
    review.save(update_fields=["reasons", "decided_by", "decided_at"])
    audit_record(
        action=events.GATE_DECIDED,
        subject=review,
        now=now,
        actor=actor.user,
        organisation=review.partnership.procurement.organisation,
        payload={
            "reasons": review.reasons,
            "decisions": {
                str(c.contract_id): {
                    "outcome": c.outcome,
                    "approved_instalments": list(c.approved_instalments),
                    "purchase_price": str(c.purchase_price) if c.purchase_price else None,
                }
                for c in choices
            },
        },
    )


def _instalment_keys(plan: Any) -> set[str]:
    return {i.key for p in plan.phases for i in p.instalments.all()}


def _end(
    contract: Contract, gate_option: str, reasons: str, now: datetime, justification: str
) -> ContractEnd:
    """End the contract at the gate, on the option the documents announced."""
    ending = procedure.Ending(
        route="gate", ended_on=uk_date(now), gate_decision=gate_option, targets_assessed=True
    )
    how = f"At a gate review: {procedure.GATE_DECISIONS[gate_option]}"
    return record_end(contract, ending, how, reasons, now, justification)
