"""
The end of a partner contract, however it comes (at a gate, on a ground the law implies, under
the contract's terms): judged by the contract engine, recorded once, with the notices it starts
dated (PA 2023 s.80: the contract termination notice within 30 days).
"""

from datetime import datetime

from sanely import procedure
from sanely.portal.audit.services import audit_record
from sanely.portal.award.models import Contract
from sanely.procedure import contract_events

from .. import events
from ..law import decide
from ..models import ContractEnd


def record_end(
    contract: Contract,
    ending: procedure.Ending,
    how: str,
    reasons: str,
    now: datetime,
    justification: str,
) -> ContractEnd:
    """Record the end the engine allows, with the first dated notice it starts."""
    decision = decide(
        contract, contract_events.END_CONTRACT, ending, now, justification=justification
    )
    notice = next((d for d in decision.dues if d.due_on is not None), None)
    ended = ContractEnd.objects.create(
        contract=contract,
        how=how,
        reasons=reasons.strip(),
        ended_on=ending.ended_on,
        notice_due_on=notice.due_on if notice else None,
        notice_rule=f"{notice.what}: {notice.when} ({notice.citation})" if notice else "",
        recorded_at=now,
    )
    audit_record(
        action=events.CONTRACT_ENDED,
        subject=ended,
        now=now,
        organisation=contract.procurement.organisation,
        payload={
            "contract": contract.pk,
            "how": ended.how,
            "ended_on": str(ended.ended_on),
            "dues": [
                {"what": d.what, "due_on": str(d.due_on) if d.due_on else None, "rule": d.rule}
                for d in decision.dues
            ],
        },
    )
    return ended
