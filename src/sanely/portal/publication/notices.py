"""
The typed content of the Procurement Act's notices after award — the contract performance notice
(UK9), the contract change notice (UK10) and the contract termination notice (UK11) — built by
`sanely.documents` from the partnership's rows, as the JSON `sanely.documents.to_json` writes.
It is recorded with the fact whose release carries the notice (for the record and for sending
to Find a Tender), not shown on the public pages: they read the reviewed release.
"""

import re
from datetime import timedelta
from decimal import Decimal
from typing import Any

from sanely.documents import to_json
from sanely.documents.letters import (
    change,
    contract_change_notice,
    contract_performance_notice,
    contract_termination_notice,
    notice,
)
from sanely.portal.accounts.models import Organisation
from sanely.portal.award.models import Contract
from sanely.portal.partnerships.models import (
    ContractChange,
    ContractEnd,
    PerformanceAssessment,
    Phase,
)
from sanely.procedure import GATE_DECISIONS, ROUTES

from .sources import months_after, value_after

Json = dict[str, Any]

CITATIONS = {
    "UK9": "Procurement Act 2023 s.71(2); SI 2024/692 reg 39",
    "UK10": "Procurement Act 2023 s.75(1); SI 2024/692 reg 40",
    "UK11": "Procurement Act 2023 s.80(1); SI 2024/692 reg 41",
}
# A citation of the Act's Schedule 8 (permitted modifications), as rulebooks write it: "Sch 8".
SCHEDULE_8 = re.compile(r"\bSch(?:edule|\.)? 8\b")
# How a contract ended, in the terms of the termination notice.
ENDINGS: dict[str, contract_termination_notice.Ending] = {
    f"At a gate review: {GATE_DECISIONS['reduce']}": "gate",
    f"At a gate review: {GATE_DECISIONS['terminate']}": "gate",
    ROUTES["expiry"]: "expiry",
}


def _party(organisation: Organisation) -> notice.Party:
    scheme, identifier = organisation.identifier_scheme, organisation.identifier
    return notice.Party(
        name=organisation.name,
        address=", ".join(part for part in (organisation.address, organisation.postcode) if part),
        email=organisation.contact_email,
        identifier=f"{scheme}-{identifier}" if scheme and identifier else "",
    )


def _contract(contract: Contract, number: str) -> notice.Contract:
    authority = _party(contract.procurement.organisation)
    return notice.Contract(
        authority=authority,
        enquiries=notice.Enquiries(authority.name, authority.address, authority.email),
        procurement=contract.procurement.title,
        procurement_id=contract.procurement.reference,
        contract_id=f"contract-{contract.rank}",
        suppliers=(_party(contract.partner),),
        citation=CITATIONS[number],
    )


def performance(assessment: PerformanceAssessment, observed: dict[str, str]) -> Json:
    """The UK9 of one assessment: every KPI rated, with what was observed."""
    contract = assessment.contract
    return to_json(
        contract_performance_notice.build(
            contract_performance_notice.Assessment(
                contract=_contract(contract, "UK9"),
                starts_on=assessment.period_start,
                ends_on=assessment.period_end,
                assessed=tuple(
                    contract_performance_notice.Assessed(
                        kpi=notice.Kpi(title, ""),
                        rating=assessment.ratings[title].replace("_", " "),
                        observed=observed.get(title, ""),
                    )
                    for title in contract.kpis
                    if title in assessment.ratings
                ),
            )
        )
    )


def _ends_on(contract: Contract, change_row: ContractChange) -> Any:
    """The day the contract's term ends under the plan version the change made."""
    months = sum(p.duration_months for p in Phase.objects.filter(version=change_row.version))
    return months_after(contract.concluded_at, months).date()


def contract_change(change_row: ContractChange) -> Json:
    """The UK10 the change was published with."""
    contract = change_row.contract
    after = _ends_on(contract, change_row)
    return to_json(
        contract_change_notice.build(
            contract_change_notice.Intended(
                contract=_contract(contract, "UK10"),
                description=change_row.description,
                ground=change.Ground(
                    name=change_row.ground,
                    citation=change_row.citation,
                    explanation=change_row.description,
                ),
                schedule_8=SCHEDULE_8.search(change_row.citation) is not None,
                value=change.ValueChange(
                    before=value_after(change_row) - change_row.value_change,
                    after=value_after(change_row),
                )
                if change_row.value_change
                else None,
                term=change.TermChange(
                    before=after - timedelta(days=change_row.term_change_days), after=after
                )
                if change_row.term_change_days
                else None,
                joining=(),
                leaving=(),
                modified_on=change_row.made_on,
                effective_on=change_row.made_on,
                standstill_days=None,
            )
        )
    )


def termination(end: ContractEnd, value: Decimal) -> Json:
    """The UK11 of a partner contract that ended (no breach: sanely records none yet)."""
    return to_json(
        contract_termination_notice.build(
            contract_termination_notice.Termination(
                contract=_contract(end.contract, "UK11"),
                ending=ENDINGS.get(end.how, "other_grounds"),
                reasons=end.reasons or end.how,
                ended_on=end.ended_on,
                value=value,
                breach=None,
            )
        )
    )
