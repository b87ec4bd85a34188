"""
Lawful changes of a partner contract. The authority names the ground it relies on and what
changes in the plan (a phase's maximum value or length, a target's threshold); the engine judges
the change on that ground (PCR 2015 and PCSR 2015 reg 72, PA 2023 s.74 and Schedule 8) against
the contract as awarded and every earlier change. A permitted change makes a new plan version,
with its reason, and records the notices it starts (UK10 before it where s.75 requires one);
a refused one changes nothing.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.db import transaction

from sanely import procedure
from sanely.documents.letters import change as change_letter
from sanely.portal.accounts.selectors import Actor
from sanely.portal.audit.services import audit_record
from sanely.portal.core.errors import validation_failed_from
from sanely.portal.procurements.engine import rulebook_of, uk_date
from sanely.procedure import contract_events

from .. import events, letters
from ..law import contract_facts, decide
from ..models import ContractChange, Instalment, Phase, PlanVersion, Target
from ..progress import add_months
from ..selectors import May, Plan, access_contract, plan_of
from .begin import spec_fingerprint


@dataclass(frozen=True)
class PhaseChange:
    """What changes in one phase: its maximum value, its length, a target's threshold."""

    phase_key: str
    max_value: Decimal | None = None
    duration_months: int | None = None
    thresholds: dict[str, Decimal] | None = None


def _problems(plan: Plan, changes: Sequence[PhaseChange], reason: str) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not reason.strip():
        errors["reason"] = ["Give the reason for the change, as the new version records it."]
    phases = {p.key: p for p in plan.phases}
    for change in changes:
        phase = phases.get(change.phase_key)
        if phase is None:
            errors.setdefault("changes", []).append("Change only phases of the current plan.")
            continue
        unknown = set(change.thresholds or {}) - {t.key for t in phase.targets.all()}
        if unknown:
            errors.setdefault("changes", []).append(
                f"Change only the thresholds of targets of the phase {phase.name}."
            )
        if change.duration_months is not None and not 1 <= change.duration_months <= 120:
            errors.setdefault("changes", []).append("A phase lasts 1 to 120 months.")
        if change.max_value is not None and change.max_value < 0:
            errors.setdefault("changes", []).append("A phase's maximum value cannot be negative.")
    if not changes:
        errors["changes"] = ["Say what changes in the plan."]
    return errors


def _moved(plan: Plan, changes: Sequence[PhaseChange]) -> tuple[Decimal, int]:
    """How much the change moves the contract's value, and its term in days."""
    by_key = {c.phase_key: c for c in changes}
    value = sum(
        (
            (by_key[p.key].max_value or p.max_value) - p.max_value
            for p in plan.phases
            if p.key in by_key
        ),
        Decimal(0),
    )
    months_before = sum(p.duration_months for p in plan.phases)
    months_after = sum(
        (by_key[p.key].duration_months or p.duration_months)
        if p.key in by_key
        else p.duration_months
        for p in plan.phases
    )
    start = uk_date(plan.contract.concluded_at)
    days = (add_months(start, months_after) - add_months(start, months_before)).days
    return value, days


@transaction.atomic
def contract_change(
    *,
    actor: Actor,
    contract_id: int,
    ground: str,
    reason: str,
    changes: Sequence[PhaseChange],
    now: datetime,
    substantial: Sequence[str] = (),
    changes_overall_nature: bool = False,
    justification: str = "",
    change_notice_published_on: date | None = None,
) -> ContractChange:
    """Judge the change on its ground; if it is permitted, make the plan's next version."""
    contract = access_contract(actor=actor, contract_id=contract_id, may=May.MANAGE)
    plan = plan_of(contract)
    errors = _problems(plan, changes, reason)
    if change_notice_published_on and change_notice_published_on > uk_date(now):
        errors["change_notice_published_on"] = ["Give the day the notice was published, not later."]
    if errors:
        raise validation_failed_from(errors)
    value_change, term_change_days = _moved(plan, changes)
    request = procedure.Modification(
        ground=ground,
        kind="plan",
        value_change=value_change,
        term_change_days=term_change_days,
        made_on=uk_date(now),
        changes_overall_nature=changes_overall_nature,
        substantial=frozenset(substantial),
        change_notice_published_on=change_notice_published_on,
    )
    grounds = {g.id: g for g in rulebook_of(contract.procurement).modification_grounds}
    if ground not in grounds:
        choices = "; ".join(g.label for g in grounds.values())
        raise validation_failed_from({"ground": [f"Choose one of the grounds: {choices}."]})
    granted_by = rulebook_of(contract.procurement).rule(grounds[ground].rule)
    facts = contract_facts(contract)
    decision = decide(
        contract,
        contract_events.MODIFY_CONTRACT,
        request,
        now,
        facts=facts,
        justification=justification,
    )
    version = _next_version(plan, changes, reason, actor, now)
    changed = ContractChange.objects.create(
        contract=contract,
        version=version,
        ground=ground,
        description=reason.strip(),
        value_change=value_change,
        term_change_days=term_change_days,
        value_after=decision.value_after or facts.current_value + value_change,
        substantial=sorted(substantial),
        changes_overall_nature=changes_overall_nature,
        made_on=uk_date(now),
        change_notice_published_on=change_notice_published_on,
        notices=[
            {
                "what": d.what,
                "due_on": str(d.due_on) if d.due_on else None,
                "when": d.when,
                "citation": d.citation,
            }
            for d in decision.dues
        ],
        rule=granted_by.id,
        citation=granted_by.citation,
    )
    letters.change_letter(
        changed,
        change_letter.Ground(grounds[ground].label, granted_by.citation, reason.strip()),
        add_months(uk_date(contract.concluded_at), sum(p.duration_months for p in plan.phases)),
        actor,
        now,
    )
    audit_record(
        action=events.CONTRACT_CHANGED,
        subject=changed,
        now=now,
        actor=actor.user,
        organisation=contract.procurement.organisation,
        payload={
            "contract": contract.pk,
            "ground": ground,
            "version": version.number,
            "value_change": str(value_change),
            "term_change_days": term_change_days,
            "value_after": str(changed.value_after),
            "notices": changed.notices,
            "justification": justification.strip(),
        },
    )
    return changed


def _next_version(
    plan: Plan, changes: Sequence[PhaseChange], reason: str, actor: Actor, now: datetime
) -> PlanVersion:
    """A copy of the current version with the changes applied; the earlier version stays."""
    by_key = {c.phase_key: c for c in changes}
    version = PlanVersion.objects.create(
        partnership=plan.current.partnership,
        contract=plan.contract,
        number=plan.current.number + 1,
        reason=reason.strip(),
        created_at=now,
        created_by=actor.user,
    )
    for phase in plan.phases:
        change = by_key.get(phase.key, PhaseChange(phase.key))
        copy = Phase.objects.create(
            version=version,
            key=phase.key,
            position=phase.position,
            name=phase.name,
            purpose=phase.purpose,
            duration_months=change.duration_months or phase.duration_months,
            max_value=phase.max_value if change.max_value is None else change.max_value,
        )
        Target.objects.bulk_create(
            _target_copy(copy, t, (change.thresholds or {}).get(t.key)) for t in phase.targets.all()
        )
        Instalment.objects.bulk_create(
            Instalment(
                phase=copy,
                key=i.key,
                position=i.position,
                description=i.description,
                amount=i.amount,
                condition=i.condition,
            )
            for i in phase.instalments.all()
        )
    return version


def _target_copy(phase: Phase, target: Target, threshold: Decimal | None) -> Target:
    """The target in the new version; a new threshold is a new analysis plan, fixed by hash."""
    spec = target.spec
    if threshold is not None:
        spec = {**spec, "target": {**spec["target"], "threshold": float(threshold)}}
    return Target(
        phase=phase,
        key=target.key,
        position=target.position,
        metric=target.metric,
        spec=spec,
        spec_sha256=spec_fingerprint(spec),
        planning=target.planning,
    )
