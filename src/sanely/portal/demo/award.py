"""
The award in the demo competitions, through the award services only: the decision notices
(PA 2023: the assessment summaries) once the evaluation is signed off, and the partner
contracts once the standstill has ended.
"""

from datetime import datetime

from sanely.portal.accounts.selectors import Actor
from sanely.portal.award.selectors import contracts_of, decision_letters
from sanely.portal.award.services import award_notify, contracts_conclude
from sanely.portal.procurements.models import Procurement

JUSTIFICATION = (
    "The evaluation was moderated and signed off by the procurement lead; every tenderer and"
    " candidate is told the decision, with its reasons, in the same step."
)


def notify(procurement: Procurement, *, lead: Actor, now: datetime) -> None:
    """Send the decision notices of a procurement whose evaluation is signed off (once)."""
    if decision_letters(procurement).exists():
        return
    award_notify(actor=lead, procurement_id=procurement.pk, justification=JUSTIFICATION, now=now)


def conclude(procurement: Procurement, *, lead: Actor, now: datetime) -> None:
    """Conclude one contract with each partner, once the standstill has ended (once)."""
    if contracts_of(procurement).exists():
        return
    contracts_conclude(actor=lead, procurement_id=procurement.pk, now=now)
