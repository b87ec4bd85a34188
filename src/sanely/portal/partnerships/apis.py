"""The partnership's JSON routes: the partners the actor may see, and one partner's plan."""

from datetime import datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from sanely.portal.accounts.actors import actor_of
from sanely.portal.web.apis import ERRORS

from . import selectors

router = Router(tags=["partnerships"])


class ContractRef(Schema):
    id: int
    partner: str
    plan_url: str


class PartnershipOut(Schema):
    procurement_id: int
    reference: str
    began_at: datetime
    contracts: list[ContractRef]


class TargetOut(Schema):
    key: str
    metric: str
    analysis_plan: dict[str, Any]
    analysis_plan_sha256: str


class InstalmentOut(Schema):
    key: str
    description: str
    amount: Decimal


class PhaseOut(Schema):
    key: str
    name: str
    purpose: str
    duration_months: int
    max_value: Decimal
    targets: list[TargetOut]
    instalments: list[InstalmentOut]


class VersionOut(Schema):
    number: int
    reason: str
    created_at: datetime


class PlanOut(Schema):
    contract_id: int
    partner: str
    version: int
    versions: list[VersionOut]
    phases: list[PhaseOut]


@router.get("/partnerships/{procurement_id}", response={200: PartnershipOut, **ERRORS})
def partnership_detail(request: HttpRequest, procurement_id: int) -> dict[str, Any]:
    """The partnership of a procurement: every partner for the authority, a partner its own."""
    partnership, contracts = selectors.access_partnership(
        actor=actor_of(request), procurement_id=procurement_id
    )
    return {
        "procurement_id": partnership.procurement_id,
        "reference": partnership.procurement.reference,
        "began_at": partnership.began_at,
        "contracts": [
            {"id": c.pk, "partner": c.partner.name, "plan_url": f"/api/v1/contracts/{c.pk}/plan"}
            for c in contracts
        ],
    }


@router.get("/contracts/{contract_id}/plan", response={200: PlanOut, **ERRORS})
def plan_detail(request: HttpRequest, contract_id: int) -> dict[str, Any]:
    """One partner's agreed plan, latest version, with each target's analysis fixed by hash."""
    plan = selectors.access_plan(actor=actor_of(request), contract_id=contract_id)
    return {
        "contract_id": plan.contract.pk,
        "partner": plan.contract.partner.name,
        "version": plan.current.number,
        "versions": [
            {"number": v.number, "reason": v.reason, "created_at": v.created_at}
            for v in plan.versions
        ],
        "phases": [
            {
                "key": p.key,
                "name": p.name,
                "purpose": p.purpose,
                "duration_months": p.duration_months,
                "max_value": p.max_value,
                "targets": [
                    {
                        "key": t.key,
                        "metric": t.metric,
                        "analysis_plan": t.spec,
                        "analysis_plan_sha256": t.spec_sha256,
                    }
                    for t in p.targets.all()
                ],
                "instalments": [
                    {"key": i.key, "description": i.description, "amount": i.amount}
                    for i in p.instalments.all()
                ],
            }
            for p in plan.phases
        ],
    }
