"""JSON API for the award: the decision notices, the standstill, the contracts and the report."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from sanely.portal.accounts.actors import actor_of
from sanely.portal.core.clock import now
from sanely.portal.tenders.apis import LetterOut
from sanely.portal.web.apis import ERRORS, InputSchema

from . import selectors, services
from .report import Report, procurement_report

router = Router(tags=["award"])


class AwardOutcomeOut(Schema):
    tenderer_id: int
    tenderer: str = Field(alias="tenderer.name")
    rank: int
    total: Decimal
    price: Decimal | None
    recommended: bool
    strengths: str


class StandstillOut(Schema):
    started_on: date
    last_day: date
    ends_at: datetime = Field(description="midnight at the end of the last day, UK time")
    meaning: str
    rule: str
    citation: str


class ContractOut(Schema):
    id: int
    procurement_id: int
    partner_id: int
    partner: str = Field(alias="partner.name")
    performance_levels: list[str]
    kpis: list[str]
    max_cost: Decimal
    phases: list[dict[str, Any]]
    tendered_price: Decimal | None
    rank: int
    total: Decimal
    concluded_at: datetime
    concluded_by: str = Field(alias="concluded_by.full_name")


class AwardOut(Schema):
    procurement_id: int = Field(alias="procurement.id")
    state: str = Field(alias="procurement.state")
    state_label: str
    notify_event: str
    conclude_event: str
    outcomes: list[AwardOutcomeOut]
    letters: list[LetterOut]
    standstill: StandstillOut | None
    contracts: list[ContractOut]


class NotifyIn(InputSchema):
    justification: str = Field(
        "", max_length=5000, description="for the rules of the step that ask for one"
    )


@router.get(
    "/award/procurements/{procurement_id}",
    response={200: AwardOut, **ERRORS},
    url_name="award_detail",
)
def award_detail(request: HttpRequest, procurement_id: int) -> selectors.AwardOverview:
    """The signed-off evaluation, the notices sent, the standstill and the contracts."""
    procurement, _ = selectors.access_award(actor=actor_of(request), procurement_id=procurement_id)
    return selectors.award_overview(procurement)


@router.post(
    "/award/procurements/{procurement_id}/notices",
    response={201: list[LetterOut], **ERRORS},
    url_name="award_notify",
)
def award_notify(request: HttpRequest, procurement_id: int, payload: NotifyIn) -> Status:
    """Send every decision notice (PA 2023: assessment summary); the standstill starts."""
    letters = services.award_notify(
        actor=actor_of(request),
        procurement_id=procurement_id,
        justification=payload.justification,
        now=now(),
    )
    return Status(201, letters)


@router.post(
    "/award/procurements/{procurement_id}/contracts",
    response={201: list[ContractOut], **ERRORS},
    url_name="award_contracts_conclude",
)
def award_contracts_conclude(request: HttpRequest, procurement_id: int) -> Status:
    """One contract per partner, refused with the rule before the standstill ends."""
    contracts = services.contracts_conclude(
        actor=actor_of(request), procurement_id=procurement_id, now=now()
    )
    return Status(201, contracts)


@router.get(
    "/award/procurements/{procurement_id}/report",
    response={200: Report, **ERRORS},
    url_name="award_report",
)
def award_report(request: HttpRequest, procurement_id: int) -> Report:
    """The procurement report, assembled from the record; gaps are "not recorded"."""
    procurement, _ = selectors.access_award(actor=actor_of(request), procurement_id=procurement_id)
    return procurement_report(procurement)


@router.get(
    "/award/contracts/{contract_id}",
    response={200: ContractOut, **ERRORS},
    url_name="award_contract_detail",
)
def award_contract_detail(request: HttpRequest, contract_id: int) -> Any:
    """One contract, for its partner's people and the authority's."""
    return selectors.access_contract(actor=actor_of(request), contract_id=contract_id)


@router.get(
    "/award/contracts",
    response={200: list[ContractOut], **ERRORS},
    url_name="award_partner_contract_list",
)
def award_partner_contract_list(request: HttpRequest, organisation_id: int) -> list[Any]:
    """The contracts one of your suppliers holds as a partner."""
    return list(
        selectors.partner_contract_list(actor=actor_of(request), organisation_id=organisation_id)
    )
