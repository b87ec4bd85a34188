"""
Reads for the partnership, and the one place that decides who may see what:

* the authority's people see every partner's plan;
* a partner's people see their own contract's plan, never another partner's: one partner's
  solutions and confidential information are not revealed to the others without its specific
  consent (PCR 2015 reg 31 and PCSR 2015 reg 32, on confidentiality between partners);
* anyone else is told the partnership does not exist.
"""

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from sanely.portal.accounts.selectors import Actor
from sanely.portal.award.models import Contract
from sanely.portal.award.selectors import contracts_of
from sanely.portal.core.errors import NotFound
from sanely.portal.procurements.models import Procurement

from .models import Partnership, Phase, PlanVersion


def access_partnership(*, actor: Actor, procurement_id: int) -> tuple[Partnership, list[Contract]]:
    """The partnership and the contracts the actor may read: all for the authority, else own."""
    partnership = (
        Partnership.objects.select_related("procurement__organisation")
        .filter(procurement_id=procurement_id)
        .first()
    )
    if partnership is None:
        raise NotFound("No such partnership.")
    contracts = list(contracts_of(partnership.procurement))
    if not actor.in_organisation(partnership.procurement.organisation_id):
        contracts = [c for c in contracts if c.partner_id in actor.organisation_ids]
    if not contracts:
        raise NotFound("No such partnership.")
    return partnership, contracts


@dataclass(frozen=True)
class Plan:
    """One partner's plan as it stands: the latest version, with every earlier one listed."""

    contract: Contract
    current: PlanVersion
    versions: list[PlanVersion]
    phases: list[Phase]


def _versions(contract: Contract) -> QuerySet[PlanVersion]:
    return PlanVersion.objects.filter(contract=contract).select_related("created_by")


def access_plan(*, actor: Actor, contract_id: int) -> Plan:
    """A partner's plan, for the authority's people and the partner's own."""
    contract = (
        Contract.objects.select_related("procurement__organisation", "partner")
        .filter(pk=contract_id)
        .first()
    )
    if contract is None or not (
        actor.in_organisation(contract.procurement.organisation_id)
        or contract.partner_id in actor.organisation_ids
    ):
        raise NotFound("No such plan.")
    versions = list(_versions(contract))
    if not versions:
        raise NotFound("No such plan.")
    current = versions[-1]
    phases = list(
        Phase.objects.filter(version=current).prefetch_related(
            Prefetch("targets"), Prefetch("instalments")
        )
    )
    return Plan(contract, current, versions, phases)


def partnership_of(procurement: Procurement) -> Partnership | None:
    return Partnership.objects.filter(procurement=procurement).first()
