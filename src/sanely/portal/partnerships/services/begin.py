"""
Writes for the partnership after award. It begins when the partner contracts are concluded:
each contract's plan (phases, targets and instalments with the keys given at design time) is
copied from the design as it stands then, and each target's analysis plan is fixed by hash.
"""

import hashlib
from datetime import datetime
from typing import Any

from sanely.portal.accounts.selectors import Actor
from sanely.portal.audit.chain import canonical_json
from sanely.portal.audit.services import audit_record
from sanely.portal.award.models import Contract
from sanely.portal.core.errors import Conflict
from sanely.portal.procurements.design import PhaseIn, PhasesSection, section
from sanely.portal.procurements.design import Target as DesignedTarget
from sanely.portal.procurements.models import Procurement
from sanely.portal.procurements.planning import target_spec

from .. import events
from ..models import Instalment, Partnership, Phase, PlanVersion, Target

AS_CONCLUDED = "The plan as agreed when the contract was concluded."


def spec_fingerprint(spec: dict[str, Any]) -> str:
    """The SHA-256 of an analysis plan's canonical JSON: any change to the method changes it."""
    return hashlib.sha256(canonical_json(spec).encode()).hexdigest()


def partnership_begin(
    *, actor: Actor, procurement: Procurement, contracts: list[Contract], now: datetime
) -> Partnership:
    """
    Begin the partnership (called inside the transaction that concludes the contracts): the
    first version of every partner's plan, copied from the design's phases.
    """
    phases: PhasesSection = section(procurement.design, "phases")
    if any(not item.key for _, item in phases.keyed()):
        # Every design saved since keys exist has them: a plan without them could not be
        # followed by its assessments, so nothing is concluded.
        raise Conflict(
            "The phase plan has items without a key: save the phases again so each phase,"
            " target and instalment gets one, then conclude the contracts."
        )
    partnership = Partnership.objects.create(procurement=procurement, began_at=now)
    # Each target's analysis plan, worked out once: every partner's plan holds the same one.
    plans = {t.key: target_spec(t) for phase in phases.items for t in phase.targets}
    versions = [
        _first_version(partnership, contract, phases.items, plans, actor, now)
        for contract in contracts
    ]
    audit_record(
        action=events.PARTNERSHIP_BEGAN,
        subject=partnership,
        now=now,
        actor=actor.user,
        organisation=procurement.organisation,
        payload={
            "plans": {str(v.contract_id): v.pk for v in versions},
            "targets": {key: spec_fingerprint(plan) for key, plan in plans.items()},
        },
    )
    return partnership


def _first_version(
    partnership: Partnership,
    contract: Contract,
    phases: list[PhaseIn],
    plans: dict[str, dict[str, Any]],
    actor: Actor,
    now: datetime,
) -> PlanVersion:
    version = PlanVersion.objects.create(
        partnership=partnership,
        contract=contract,
        number=1,
        reason=AS_CONCLUDED,
        created_at=now,
        created_by=actor.user,
    )
    for position, designed in enumerate(phases):
        phase = Phase.objects.create(
            version=version,
            key=designed.key,
            position=position,
            name=designed.name,
            purpose=designed.purpose,
            duration_months=designed.duration_months,
            max_value=designed.max_value,
        )
        Target.objects.bulk_create(
            Target(
                phase=phase,
                key=t.key,
                position=i,
                metric=t.metric,
                spec=plans[t.key],
                spec_sha256=spec_fingerprint(plans[t.key]),
                planning=_planning(t),
            )
            for i, t in enumerate(designed.targets)
        )
        Instalment.objects.bulk_create(
            Instalment(
                phase=phase,
                key=p.key,
                position=i,
                description=p.description,
                amount=p.amount,
                condition=p.condition,
            )
            for i, p in enumerate(designed.instalments)
        )
    return version


def _planning(target: DesignedTarget) -> dict[str, float]:
    inputs = {
        "sd": target.expected_sd,
        "rows_per_month": target.observations_per_month,
        "expected": target.expected_value,
    }
    return {name: value for name, value in inputs.items() if value is not None}


def partnership_begin_on_conclusion(
    sender: object,
    *,
    procurement: Procurement,
    contracts: list[Contract],
    actor: Actor,
    now: datetime,
    **_: object,
) -> None:
    """The award's `contracts_concluded` signal, received in the same transaction."""
    partnership_begin(actor=actor, procurement=procurement, contracts=contracts, now=now)
