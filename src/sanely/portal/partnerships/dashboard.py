"""
The commissioner's dashboard: every partnership of the actor's authorities, and for each what
needs attention. The phase each partner is in and when its gate falls due; targets at risk;
claims waiting for a decision and payments overdue; spend against the plan; notices due.
Every partnership is read in a fixed number of queries, however many there are.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sanely.portal.accounts.models import OrganisationKind
from sanely.portal.accounts.selectors import Actor
from sanely.portal.award.models import Contract

from .models import ClaimStatus, ContractChange, ContractEnd, GateReview, Partnership
from .progress import AT_RISK, NOT_MET, UNDECIDABLE, ContractRecords, PhaseProgress, plan_progress
from .selectors import plans_of

WAITING = (ClaimStatus.SUBMITTED, ClaimStatus.QUERIED)


@dataclass(frozen=True)
class Notice:
    what: str
    due_on: date
    overdue: bool


@dataclass(frozen=True)
class PartnerRow:
    """One live partner contract: where it stands and what is waiting."""

    contract: Contract
    phase: PhaseProgress | None  # None once every phase has ended
    at_risk: list[str]


@dataclass
class PartnershipRow:
    partnership: Partnership
    partners: list[PartnerRow] = field(default_factory=list)
    open_gate: GateReview | None = None
    claims_waiting: int = 0
    payments_overdue: int = 0
    spent: Decimal = Decimal(0)
    planned: Decimal = Decimal(0)
    notices: list[Notice] = field(default_factory=list)

    @property
    def next_gate(self) -> date | None:
        """The earliest end of a partner's current phase: when the next gate falls due."""
        ends = [p.phase.ends_on for p in self.partners if p.phase is not None]
        return min(ends) if ends else None


def dashboard_for(actor: Actor, today: date) -> list[PartnershipRow]:
    """The partnerships of the authorities the actor works for, newest first."""
    authorities = [
        m.organisation_id
        for m in actor.memberships
        if m.organisation.kind == OrganisationKind.AUTHORITY
    ]
    partnerships = list(
        Partnership.objects.filter(procurement__organisation_id__in=authorities)
        .select_related("procurement__organisation")
        .order_by("-began_at")
    )
    rows = {p.procurement_id: PartnershipRow(p) for p in partnerships}
    contracts = list(
        Contract.objects.filter(procurement_id__in=rows).select_related("partner", "procurement")
    )
    ended = {e.contract_id: e for e in ContractEnd.objects.filter(contract__in=contracts)}
    plans = plans_of(contracts)
    records = ContractRecords.for_contracts(contracts)
    for contract in contracts:
        row = rows[contract.procurement_id]
        phases = plan_progress(contract, plans[contract.pk].phases, records[contract.pk])
        _count(row, contract, phases, records[contract.pk], today)
        if contract.pk not in ended:
            current = next((p for p in phases if p.starts_on <= today < p.ends_on), None)
            row.partners.append(PartnerRow(contract, current, _at_risk(current)))
    open_gates = GateReview.objects.filter(partnership__in=partnerships, decided_at=None)
    for gate in open_gates.select_related("partnership"):
        rows[gate.partnership.procurement_id].open_gate = gate
    _notices(rows, ended.values(), contracts, today)
    return list(rows.values())


def _count(
    row: PartnershipRow,
    contract: Contract,
    phases: list[PhaseProgress],
    records: ContractRecords,
    today: date,
) -> None:
    row.spent += sum((p.spent for p in phases), Decimal(0))
    row.planned += sum((p.phase.max_value for p in phases), Decimal(0))
    row.claims_waiting += sum(c.status in WAITING for c in records.claims)
    row.payments_overdue += sum(
        c.status == ClaimStatus.APPROVED
        and c.payment_due_on is not None
        and c.payment_due_on < today
        for c in records.claims
    )


def _at_risk(phase: PhaseProgress | None) -> list[str]:
    if phase is None:
        return []
    return [
        t.target.metric
        for t in phase.targets
        if t.projection in (AT_RISK, UNDECIDABLE) or t.verdict == NOT_MET
    ]


def _notices(
    rows: dict[int, PartnershipRow],
    ended: Iterable[ContractEnd],
    contracts: list[Contract],
    today: date,
) -> None:
    """The notices the law asks for ended contracts and changes, with their dates."""
    by_id = {c.pk: c for c in contracts}
    for end in ended:
        contract = by_id[end.contract_id]
        if end.notice_due_on:
            rows[contract.procurement_id].notices.append(
                Notice(
                    f"Contract termination notice for {contract.partner.name}",
                    end.notice_due_on,
                    end.notice_due_on < today,
                )
            )
    for change in ContractChange.objects.filter(contract__in=contracts):
        contract = by_id[change.contract_id]
        for notice in change.notices:
            if notice["due_on"]:
                due = date.fromisoformat(notice["due_on"])
                rows[contract.procurement_id].notices.append(
                    Notice(f"{notice['what']} ({contract.partner.name})", due, due < today)
                )
