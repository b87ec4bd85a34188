"""
Reads for the partnership, and the one place that decides who may see what:

* the authority's people see every partner's plan;
* a partner's people see their own contract's plan, never another partner's: one partner's
  solutions and confidential information are not revealed to the others without its specific
  consent (PCR 2015 reg 31 and PCSR 2015 reg 32, on confidentiality between partners);
* anyone else is told the partnership does not exist.

What each may do is decided here too (`access_contract`): a partner's people report on their own
contract (data, claims); the authority's commissioners and procurement leads manage the
partnership (validation, acceptances, gates, changes); its finance officers and commissioners
decide claims and record payments; auditors read.
"""

from dataclasses import dataclass
from enum import Enum
from typing import Any

from django.db.models import Prefetch, QuerySet

from sanely.portal.accounts.models import Role
from sanely.portal.accounts.selectors import Actor
from sanely.portal.award.models import Contract
from sanely.portal.award.selectors import contracts_of
from sanely.portal.core.errors import NotFound, PermissionDenied
from sanely.portal.procurements.models import Procurement

from .models import (
    Acceptance,
    Claim,
    ContractChange,
    ContractEnd,
    Evidence,
    GateDecision,
    GateReview,
    Instalment,
    Observation,
    Partnership,
    PerformanceAssessment,
    Phase,
    PlanVersion,
    Target,
    TerminationNotice,
)


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
    return plan_of(contract)


def plan_of(contract: Contract) -> Plan:
    """The contract's plan as it stands, with its phases, targets and instalments loaded."""
    plans = plans_of([contract])
    if contract.pk not in plans:
        raise NotFound("No such plan.")
    return plans[contract.pk]


def plans_of(contracts: list[Contract]) -> dict[int, Plan]:
    """The plans of many contracts in four queries, whatever their number."""
    versions: dict[int, list[PlanVersion]] = {}
    found = PlanVersion.objects.filter(contract__in=contracts).select_related("created_by")
    for version in found:
        versions.setdefault(version.contract_id, []).append(version)
    current = [v[-1] for v in versions.values()]
    phases: dict[int, list[Phase]] = {v.pk: [] for v in current}
    loaded = Phase.objects.filter(version__in=current).prefetch_related(
        Prefetch("targets"), Prefetch("instalments")
    )
    for phase in loaded:
        phases[phase.version_id].append(phase)
    return {
        c.pk: Plan(c, versions[c.pk][-1], versions[c.pk], phases[versions[c.pk][-1].pk])
        for c in contracts
        if c.pk in versions
    }


def target_in(plan: Plan, key: str) -> Target | None:
    return next((t for p in plan.phases for t in p.targets.all() if t.key == key), None)


def instalment_in(plan: Plan, key: str) -> tuple[Phase, Instalment] | None:
    return next(((p, i) for p in plan.phases for i in p.instalments.all() if i.key == key), None)


def partnership_of(procurement: Procurement) -> Partnership | None:
    return Partnership.objects.filter(procurement=procurement).first()


class May(Enum):
    """What an actor asks to do with a partner contract."""

    READ = "read"
    REPORT = "report"
    MANAGE = "manage"
    DECIDE_CLAIMS = "decide claims"


_AUTHORITY_ROLES: dict[May, frozenset[str]] = {
    May.READ: frozenset(Role),
    May.REPORT: frozenset({Role.COMMISSIONER, Role.PROCUREMENT_LEAD}),
    May.MANAGE: frozenset({Role.COMMISSIONER, Role.PROCUREMENT_LEAD}),
    May.DECIDE_CLAIMS: frozenset({Role.COMMISSIONER, Role.FINANCE_OFFICER}),
}
_PARTNER_ROLES: dict[May, frozenset[str]] = {
    May.READ: frozenset({Role.SUPPLIER_ADMIN, Role.SUPPLIER_MEMBER}),
    May.REPORT: frozenset({Role.SUPPLIER_ADMIN, Role.SUPPLIER_MEMBER}),
}
# Who decides claims and records payments (the home page lists the claims waiting for them).
CLAIM_DECIDERS = _AUTHORITY_ROLES[May.DECIDE_CLAIMS]
_REFUSED: dict[May, str] = {
    May.REPORT: "Only the partner's people, or the authority's commissioners and procurement"
    " leads, can send data and claims for this contract.",
    May.MANAGE: "Only the authority's commissioners and procurement leads can do this.",
    May.DECIDE_CLAIMS: "Only the authority's finance officers and commissioners can decide"
    " claims and record payments.",
}


def access_contract(*, actor: Actor, contract_id: int, may: May = May.READ) -> Contract:
    """
    A partner contract the actor may read, checked for what it asks to do: missing for anyone
    who may not read it, refused for a reader who may not do the rest.
    """
    contract = (
        Contract.objects.select_related("procurement__organisation", "partner")
        .filter(pk=contract_id)
        .first()
    )
    if contract is None:
        raise NotFound("No such contract.")
    authority = actor.in_organisation(contract.procurement.organisation_id)
    partner = actor.in_organisation(contract.partner_id)
    if not (authority or partner):
        raise NotFound("No such contract.")
    roles = {m.role for m in authority} & _AUTHORITY_ROLES[may]
    roles |= {m.role for m in partner} & _PARTNER_ROLES.get(may, frozenset())
    if not roles:
        raise PermissionDenied(_REFUSED[may])
    return contract


def may_on(actor: Actor, contract: Contract) -> frozenset[May]:
    """Everything the actor may do with the contract, to offer only those forms on its pages."""
    allowed = set()
    for may in May:
        authority = {m.role for m in actor.in_organisation(contract.procurement.organisation_id)}
        partner = {m.role for m in actor.in_organisation(contract.partner_id)}
        if authority & _AUTHORITY_ROLES[may] or partner & _PARTNER_ROLES.get(may, frozenset()):
            allowed.add(may)
    return frozenset(allowed)


def live_contracts(partnership: Partnership) -> list[Contract]:
    """The partnership's contracts that have not ended, in rank order."""
    return list(
        contracts_of(partnership.procurement).exclude(
            pk__in=ContractEnd.objects.values("contract_id")
        )
    )


def has_ended(contract: Contract) -> bool:
    return ContractEnd.objects.filter(contract=contract).exists()


def access_gate(*, actor: Actor, review_id: int) -> GateReview:
    """A gate review, for the authority's people and the partners it reviewed."""
    review = (
        GateReview.objects.select_related("partnership__procurement").filter(pk=review_id).first()
    )
    if review is None or not (
        actor.in_organisation(review.partnership.procurement.organisation_id)
        or _partner_contract_ids(actor, review)
    ):
        raise NotFound("No such gate review.")
    return review


def _partner_contract_ids(actor: Actor, review: GateReview) -> set[str]:
    reviewed = set(review.record["partners"])
    own = Contract.objects.filter(
        procurement_id=review.partnership.procurement_id,
        partner_id__in=actor.organisation_ids,
    ).values_list("pk", flat=True)
    return reviewed & {str(pk) for pk in own}


@dataclass(frozen=True)
class GateView:
    """What one actor may read of a gate review: a partner sees only its own part."""

    record: dict[str, Any]
    reasons: str
    decisions: list[GateDecision]


def gate_for(actor: Actor, review: GateReview) -> GateView:
    decisions = list(review.decisions.select_related("contract__partner"))
    if actor.in_organisation(review.partnership.procurement.organisation_id):
        return GateView(review.record, review.reasons, decisions)
    own = _partner_contract_ids(actor, review)
    record = {
        "partners": {k: v for k, v in review.record["partners"].items() if k in own},
        "reports": {k: v for k, v in review.record["reports"].items() if k in own},
    }
    return GateView(record, "", [d for d in decisions if str(d.contract_id) in own])


def manages_partnership(actor: Actor, partnership: Partnership) -> bool:
    """Whether the actor may open and decide gates (to offer those forms)."""
    memberships = actor.in_organisation(partnership.procurement.organisation_id)
    return any(m.role in _AUTHORITY_ROLES[May.MANAGE] for m in memberships)


def may_report(actor: Actor, contract: Contract) -> bool:
    return May.REPORT in may_on(actor, contract)


def ended_contract_ids(partnership: Partnership) -> set[int]:
    return set(
        ContractEnd.objects.filter(contract__procurement_id=partnership.procurement_id).values_list(
            "contract_id", flat=True
        )
    )


def gate_reviews_for(actor: Actor, partnership: Partnership) -> list[GateReview]:
    """The partnership's gate reviews the actor may open: all, or those that reviewed it."""
    reviews = list(GateReview.objects.filter(partnership=partnership))
    if actor.in_organisation(partnership.procurement.organisation_id):
        return reviews
    return [r for r in reviews if _partner_contract_ids(actor, r)]


def reviewed_contracts(review: GateReview, view: GateView) -> list[Contract]:
    """The contracts whose standing the view shows, in rank order."""
    return list(
        contracts_of(review.partnership.procurement).filter(
            pk__in=[int(k) for k in view.record["partners"]]
        )
    )


def contract_of_evidence(actor: Actor, evidence_id: int) -> int:
    """The contract a delivery was made under, if the actor may read it."""
    delivered = Evidence.objects.filter(pk=evidence_id).first()
    if delivered is None:
        raise NotFound("No such evidence.")
    return access_contract(actor=actor, contract_id=delivered.contract_id).pk


def claims_of(contract: Contract) -> QuerySet[Claim]:
    return Claim.objects.filter(contract=contract)


def changes_of(contract: Contract) -> QuerySet[ContractChange]:
    return ContractChange.objects.filter(contract=contract).select_related("version")


def decides_claims(actor: Actor, partnership: Partnership) -> bool:
    """Whether the actor decides claims (to offer those forms and the export)."""
    memberships = actor.in_organisation(partnership.procurement.organisation_id)
    return any(m.role in _AUTHORITY_ROLES[May.DECIDE_CLAIMS] for m in memberships)


def access_claim(*, actor: Actor, claim_id: int, may: May = May.READ) -> Claim:
    """A claim under a contract the actor may read, checked for what it asks to do."""
    found = Claim.objects.filter(pk=claim_id).first()
    if found is None:
        raise NotFound("No such claim.")
    found.contract = access_contract(actor=actor, contract_id=found.contract_id, may=may)
    return found


@dataclass(frozen=True)
class ClaimRow:
    """A claim with its partner and the name of the instalment it claims."""

    claim: Claim
    contract: Contract
    instalment: str


def claim_rows(
    partnership: Partnership, *, actor: Actor | None = None, status: str | None = None
) -> list[ClaimRow]:
    """
    The partnership's claims, with their instalments' names: for `actor`, those it may read
    (all for the authority, else its own); with `status`, only those in it.
    """
    found = Claim.objects.filter(contract__procurement_id=partnership.procurement_id)
    if actor is not None and not actor.in_organisation(partnership.procurement.organisation_id):
        found = found.filter(contract__partner_id__in=actor.organisation_ids)
    if status is not None:
        found = found.filter(status=status)
    names = dict(
        Instalment.objects.filter(phase__version__partnership=partnership).values_list(
            "key", "description"
        )
    )
    return [
        ClaimRow(c, c.contract, names.get(c.instalment_key, c.instalment_key))
        for c in found.select_related("contract__partner").order_by("status", "submitted_at")
    ]


def observations_of(contract: Contract) -> QuerySet[Observation]:
    return Observation.objects.filter(contract=contract)


def assessments_of(contract: Contract) -> QuerySet[PerformanceAssessment]:
    return PerformanceAssessment.objects.filter(contract=contract)


def termination_notices_of(contract: Contract) -> QuerySet[TerminationNotice]:
    return TerminationNotice.objects.filter(contract=contract)


def acceptance_tests_of(contracts: list[Contract]) -> dict[int, list[Acceptance]]:
    """Each contract's passed acceptance tests of its performance levels, to name as evidence."""
    found: dict[int, list[Acceptance]] = {c.pk: [] for c in contracts}
    passed = Acceptance.objects.filter(contract__in=contracts, passed=True)
    for test in passed.exclude(performance_level=""):
        found[test.contract_id].append(test)
    return found
