"""
The steps of a demo partnership, through the partnerships services only: a partner delivers
outcome data (assessed at once, as the worker would, so the demo is the same on every load), the
authority checks it, accepts deliverables, and its finance officer approves and pays claims.
Each step happens in working hours, in the order of its moments, so the audit trail reads in time
order.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from sanely.portal.accounts.models import Organisation, Role, User
from sanely.portal.accounts.selectors import Actor
from sanely.portal.award.models import Contract
from sanely.portal.award.selectors import contracts_of
from sanely.portal.partnerships.models import Claim, Evidence, GateReview
from sanely.portal.partnerships.progress import plan_progress
from sanely.portal.partnerships.selectors import instalment_in, plan_of
from sanely.portal.partnerships.services import (
    acceptance_record,
    claim_approve,
    claim_pay,
    claim_submit,
    evidence_submit,
    evidence_validate,
    gate_open,
)
from sanely.portal.pilots.services import assessment_run
from sanely.portal.procurements.engine import UK
from sanely.portal.procurements.models import Procurement


def at(day: date, hour: int = 10, minute: int = 0) -> datetime:
    """`day` at that time of day in the UK: people act in working hours."""
    return datetime.combine(day, time(hour, minute), tzinfo=UK)


def person(organisation: Organisation, role: str) -> Actor:
    """The organisation's first person in that role."""
    found = User.objects.filter(
        memberships__organisation=organisation, memberships__role=role
    ).earliest("pk")
    return Actor.for_session(found)


@dataclass(frozen=True)
class Authority:
    """The authority's people who run a demo partnership."""

    lead: Actor  # opens and decides gates, accepts deliverables, changes contracts
    commissioner: Actor  # records how verdicts were checked
    finance: Actor  # decides and pays claims

    @classmethod
    def of(cls, procurement: Procurement) -> "Authority":
        council = procurement.organisation
        return cls(
            person(council, Role.PROCUREMENT_LEAD),
            person(council, Role.COMMISSIONER),
            person(council, Role.FINANCE_OFFICER),
        )


def partners(procurement: Procurement) -> dict[str, Contract]:
    """The procurement's partner contracts by the partner's registration number."""
    return {c.partner.identifier: c for c in contracts_of(procurement).select_related("partner")}


def phase_dates(contract: Contract) -> dict[str, tuple[date, date]]:
    """Each phase's first day and the day after its last, as the plan agreed them."""
    return {
        p.phase.key: (p.starts_on, p.ends_on)
        for p in plan_progress(contract, plan_of(contract).phases)
    }


def deliver(
    contract: Contract,
    target_key: str,
    data: bytes,
    name: str,
    when: datetime,
    role: str = Role.SUPPLIER_ADMIN,
) -> Evidence:
    """The partner sends a data file against a target; it is assessed a minute later."""
    delivered = evidence_submit(
        actor=person(contract.partner, role),
        contract_id=contract.pk,
        target_key=target_key,
        data=SimpleUploadedFile(name, data, content_type="text/csv"),
        now=when,
    )
    # The worker runs it once the load commits; running it here makes every load the same.
    assessed = when + timedelta(minutes=1)
    assessment_run(assessment_id=delivered.assessment_id, clock=lambda: assessed)
    delivered.refresh_from_db()
    return delivered


def estimate(delivered: Evidence) -> float:
    """The engine's estimate from a delivery's assessment."""
    result = delivered.assessment.result or {}
    return float(result["estimate"])


def check(authority: Authority, deliveries: Iterable[Evidence], validation: str, day: date) -> None:
    """The commissioner records who checked each delivery's verdict, a few minutes apart."""
    for number, delivered in enumerate(deliveries):
        evidence_validate(
            actor=authority.commissioner,
            evidence_id=delivered.pk,
            validation=validation,
            now=at(day, 14) + timedelta(minutes=5 * number),
        )


def open_gate(
    authority: Authority, procurement: Procurement, phase_key: str, day: date
) -> GateReview:
    """The procurement lead ends the phase and opens its gate review."""
    return gate_open(
        actor=authority.lead, procurement_id=procurement.pk, phase_key=phase_key, now=at(day)
    )


def accept(
    authority: Authority, contract: Contract, instalment_key: str, name: str, when: datetime
) -> None:
    """The authority accepts a deliverable, which earns its instalment."""
    acceptance_record(
        actor=authority.lead,
        contract_id=contract.pk,
        name=name,
        passed=True,
        instalment_key=instalment_key,
        now=when,
    )


def _initials(contract: Contract) -> str:
    words = contract.partner.name.replace("Ltd", "").replace("CIC", "").split()
    return "".join(w[0] for w in words if w[0].isupper())


def claim(
    contract: Contract,
    instalment_key: str,
    when: datetime,
    amount: Decimal | None = None,
    note: str = "",
) -> Claim:
    """The partner claims an instalment (its agreed amount, unless told otherwise)."""
    found = instalment_in(plan_of(contract), instalment_key)
    agreed = found[1].amount if found else Decimal(0)
    number = Claim.objects.filter(contract=contract).count() + 1
    return claim_submit(
        actor=person(contract.partner, Role.SUPPLIER_ADMIN),
        contract_id=contract.pk,
        instalment_key=instalment_key,
        amount=agreed if amount is None else amount,
        invoice_reference=f"{_initials(contract)}-INV-{number:04d}",
        evidence_note=note,
        now=when,
    )


def approve(authority: Authority, claims: list[Claim], day: date) -> None:
    """The finance officer approves the claims, a few minutes apart."""
    for number, submitted in enumerate(claims):
        when = at(day, 11) + timedelta(minutes=3 * number)
        claim_approve(actor=authority.finance, claim_id=submitted.pk, now=when)


def pay(authority: Authority, claims: list[Claim], day: date) -> None:
    """The finance officer records the payment of approved claims, made that day."""
    for number, approved in enumerate(claims):
        when = at(day, 15) + timedelta(minutes=3 * number)
        claim_pay(
            actor=authority.finance,
            claim_id=approved.pk,
            paid_on=when.date(),
            payment_reference=f"WCC-BACS-{approved.pk:05d}",
            now=when,
        )
