"""
Ending a partner contract other than at a gate: on a ground the law implies into every public
contract (PA 2023 s.78; PCR 2015 and PCSR 2015 reg 73) or under the contract's own terms. The
authority first tells the partner of its intention, the ground and the reasons, and gives it time
to make representations; only after that time may the contract end, as the engine judges it.
"""

from datetime import date, datetime

from django.db import transaction

from sanely import procedure
from sanely.documents.letters import intention_to_terminate
from sanely.documents.letters.partner import Representations
from sanely.portal.accounts.selectors import Actor
from sanely.portal.audit.services import audit_record
from sanely.portal.core.errors import Conflict, validation_failed_from
from sanely.portal.procurements.engine import uk_date
from sanely.procedure import contract_events

from .. import events, letters
from ..law import citation_for
from ..models import ContractEnd, TerminationNotice
from ..selectors import May, access_contract
from .ending import record_end

ROUTES = {
    "implied_term": "implied_termination",
    "contract_terms": "needs_judgement",
}


@transaction.atomic
def termination_notify(
    *,
    actor: Actor,
    contract_id: int,
    route: str,
    reasons: str,
    representations_by: date,
    now: datetime,
    ground: str = "",
    subcontracting_opportunity_given: bool = False,
) -> TerminationNotice:
    """Tell the partner the authority intends to end its contract, and until when it may answer."""
    contract = access_contract(actor=actor, contract_id=contract_id, may=May.MANAGE)
    if ContractEnd.objects.filter(contract=contract).exists():
        raise Conflict("This contract has already ended.")
    errors: dict[str, list[str]] = {}
    if route not in ROUTES:
        errors["route"] = ["Say whether it is a ground the law implies or the contract's terms."]
    if not reasons.strip() or len(reasons) > 5000:
        errors["reasons"] = ["Give the reasons, in at most 5,000 characters."]
    if representations_by <= uk_date(now):
        errors["representations_by"] = ["Give the partner time to answer: a day after today."]
    if errors:
        raise validation_failed_from(errors)
    notice = TerminationNotice.objects.create(
        contract=contract,
        route=route,
        ground=ground,
        reasons=reasons.strip(),
        notified_on=uk_date(now),
        representations_by=representations_by,
        subcontracting_opportunity_given=subcontracting_opportunity_given,
        recorded_by=actor.user,
        recorded_at=now,
    )
    citation = citation_for(contract, contract_events.END_CONTRACT, ROUTES[route])
    letters.send(
        contract,
        intention_to_terminate.build(
            intention_to_terminate.Intention(
                to=letters.to_partner(contract, actor),
                ground=ground.replace("_", " ") or "the contract's termination terms",
                citation=citation,
                why=notice.reasons,
                representations=Representations(
                    representations_by, f"Write to {actor.user.full_name}.", citation
                ),
                replace=None,
            )
        ),
        actor,
        now,
    )
    audit_record(
        action=events.TERMINATION_NOTIFIED,
        subject=notice,
        now=now,
        actor=actor.user,
        organisation=contract.procurement.organisation,
        payload={
            "contract": contract.pk,
            "route": route,
            "ground": ground,
            "representations_by": str(representations_by),
        },
    )
    return notice


@transaction.atomic
def contract_terminate(
    *, actor: Actor, contract_id: int, now: datetime, justification: str = ""
) -> ContractEnd:
    """End the contract on its latest notice of intention, once the engine allows it."""
    contract = access_contract(actor=actor, contract_id=contract_id, may=May.MANAGE)
    notice = TerminationNotice.objects.filter(contract=contract).last()
    if notice is None:
        raise validation_failed_from(
            {"notified_on": ["Tell the partner of the intention to end the contract first."]}
        )
    if ContractEnd.objects.filter(contract=contract).exists():
        raise Conflict("This contract has already ended.")
    ending = procedure.Ending(
        route=notice.route,
        ended_on=uk_date(now),
        ground=notice.ground,
        reasons=notice.reasons,
        notified_on=notice.notified_on,
        notice_ends_on=notice.representations_by,
        subcontracting_opportunity_given=notice.subcontracting_opportunity_given,
    )
    how = dict(procedure.ROUTES)[notice.route]
    return record_end(contract, ending, f"Ended {how}", notice.reasons, now, justification)
