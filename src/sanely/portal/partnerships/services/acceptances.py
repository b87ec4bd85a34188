"""
The authority's acceptance (or refusal) of a deliverable, which may earn an instalment, or of an
acceptance test, which may show a performance level is met for the purchase.
"""

from datetime import datetime

from django.db import transaction

from sanely.portal.accounts.selectors import Actor
from sanely.portal.audit.services import audit_record
from sanely.portal.core.errors import validation_failed_from

from .. import events
from ..models import Acceptance, Condition
from ..selectors import May, access_contract, instalment_in, plan_of


@transaction.atomic
def acceptance_record(
    *,
    actor: Actor,
    contract_id: int,
    name: str,
    passed: bool,
    now: datetime,
    note: str = "",
    instalment_key: str = "",
    performance_level: str = "",
) -> Acceptance:
    """Record the decision on one deliverable (`instalment_key`) or one performance level."""
    contract = access_contract(actor=actor, contract_id=contract_id, may=May.MANAGE)
    errors: dict[str, list[str]] = {}
    if not name.strip() or len(name) > 500:
        errors["name"] = ["Name what was accepted or tested, in at most 500 characters."]
    if bool(instalment_key) == bool(performance_level):
        errors["instalment_key"] = [
            "Say which deliverable's instalment, or which performance level, this is for (one)."
        ]
    elif instalment_key:
        found = instalment_in(plan_of(contract), instalment_key)
        if found is None or found[1].condition != Condition.DELIVERABLE:
            errors["instalment_key"] = [
                "Choose an instalment of the plan that is earned by an accepted deliverable."
            ]
    elif performance_level not in contract.performance_levels:
        errors["performance_level"] = [
            "Choose one of the performance levels agreed in the contract."
        ]
    if errors:
        raise validation_failed_from(errors)
    accepted = Acceptance.objects.create(
        contract=contract,
        instalment_key=instalment_key,
        performance_level=performance_level,
        name=name.strip(),
        passed=passed,
        note=note.strip(),
        recorded_by=actor.user,
        recorded_at=now,
    )
    audit_record(
        action=events.ACCEPTANCE_RECORDED,
        subject=accepted,
        now=now,
        actor=actor.user,
        organisation=contract.procurement.organisation,
        payload={
            "contract": contract.pk,
            "instalment": instalment_key,
            "performance_level": performance_level,
            "name": accepted.name,
            "passed": passed,
        },
    )
    return accepted
