"""JSON API for procurements: design, lifecycle actions, what happens next; the calculator."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from sanely.portal.accounts.actors import actor_of
from sanely.portal.core.clock import now
from sanely.portal.web.apis import ERRORS, CursorPagination, InputSchema

from . import selectors, services
from .design import (
    ActionIn,
    AwardSection,
    ConfidentialitySection,
    ConflictsSection,
    GatesSection,
    IprSection,
    MinimumRequirementsSection,
    NeedSection,
    PartnersSection,
    PhasesSection,
    PurchaseSection,
    SelectionSection,
    TimelineSection,
    section,
)
from .engine import estimated_value
from .models import Procurement
from .planning import target_plans

router = Router(tags=["procurements"])


class ProcurementIn(InputSchema):
    organisation_id: int
    title: str = Field(min_length=1, max_length=200)
    commenced_on: date | None = None


class DesignIn(InputSchema):
    """The sections to replace; a section left out stays as it is."""

    need: NeedSection | None = None
    minimum_requirements: MinimumRequirementsSection | None = None
    partners: PartnersSection | None = None
    phases: PhasesSection | None = None
    gates: GatesSection | None = None
    ipr: IprSection | None = None
    confidentiality: ConfidentialitySection | None = None
    selection: SelectionSection | None = None
    award: AwardSection | None = None
    purchase: PurchaseSection | None = None
    conflicts: ConflictsSection | None = None
    timeline: TimelineSection | None = None


class DesignOut(Schema):
    need: NeedSection
    minimum_requirements: MinimumRequirementsSection
    partners: PartnersSection
    phases: PhasesSection
    gates: GatesSection
    ipr: IprSection
    confidentiality: ConfidentialitySection
    selection: SelectionSection
    award: AwardSection
    purchase: PurchaseSection
    conflicts: ConflictsSection
    timeline: TimelineSection


class RulebookOut(Schema):
    id: str
    effective_from: date
    content_hash: str


class ValueOut(Schema):
    development: Decimal
    purchase: Decimal | None
    total: Decimal
    proportionality: Decimal | None  # purchase value per pound of development


class ProcurementSummaryOut(Schema):
    id: int
    reference: str
    organisation_id: int
    title: str
    state: str
    rulebook_id: str
    next_check_at: datetime | None


class TargetPlanOut(Schema):
    target_key: str
    phase: str
    metric: str
    explanation: str
    warning: str | None
    minimum_detectable_effect: float | None


class ProcurementOut(ProcurementSummaryOut):
    nation: str
    commenced_on: date
    rulebook: RulebookOut
    published_at: datetime | None
    notice_on: date | None
    rounds: list[dict[str, Any]]
    invited: list[str]
    active_partners: int
    current_phase: int
    justifications: dict[str, str]
    value: ValueOut
    design: DesignOut
    target_planning: list[TargetPlanOut]


def value_of(procurement: Procurement) -> dict[str, Any]:
    development, purchase = estimated_value(procurement.design)
    return {
        "development": development,
        "purchase": purchase,
        "total": development + (purchase or 0),
        "proportionality": round(purchase / development, 2) if purchase and development else None,
    }


def procurement_out(procurement: Procurement) -> dict[str, Any]:
    return {
        **{
            field: getattr(procurement, field)
            for field in ProcurementOut.model_fields
            if field not in {"rulebook", "value", "design", "target_planning"}
        },
        "rulebook": {
            "id": procurement.rulebook_id,
            "effective_from": procurement.rulebook_effective_from,
            "content_hash": procurement.rulebook_hash,
        },
        "value": value_of(procurement),
        "design": {name: section(procurement.design, name) for name in DesignOut.model_fields},
        "target_planning": target_plans(procurement.design),
    }


@router.get("/procurements", response={200: list[ProcurementSummaryOut], **ERRORS})
@paginate(CursorPagination)
def procurement_list(request: HttpRequest):  # type: ignore[no-untyped-def]
    return selectors.procurement_list_for(actor=actor_of(request)).order_by("pk")


@router.post("/procurements", response={201: ProcurementOut, **ERRORS})
def procurement_create(request: HttpRequest, payload: ProcurementIn) -> Status:
    """Start a procurement; its regime follows from the authority's nation and `commenced_on`."""
    procurement = services.procurement_create(
        actor=actor_of(request), **payload.model_dump(), now=now()
    )
    return Status(201, procurement_out(procurement))


@router.get("/procurements/{procurement_id}", response={200: ProcurementOut, **ERRORS})
def procurement_detail(request: HttpRequest, procurement_id: int) -> dict[str, Any]:
    procurement, _ = selectors.access_procurement(
        actor=actor_of(request), procurement_id=procurement_id
    )
    return procurement_out(procurement)


@router.patch("/procurements/{procurement_id}", response={200: ProcurementOut, **ERRORS})
def procurement_update(
    request: HttpRequest, procurement_id: int, payload: DesignIn
) -> dict[str, Any]:
    """
    Replace design sections. Every problem is answered at once (`detail` maps each field path,
    such as `phases.items[0].targets`, to its problems) and nothing is stored unless all are valid.
    After publication, a change to what the notice fixed (the rulebook's design locks) is refused
    with 409 `rule_refused`: `detail` names each changed field with the rule and the lawful route.
    """
    procurement = services.procurement_design_update(
        actor=actor_of(request),
        procurement_id=procurement_id,
        sections=payload.model_dump(mode="json", exclude_unset=True),
        now=now(),
    )
    return procurement_out(procurement)


class RefusalOut(Schema):
    event: str
    rule: str
    citation: str
    message: str
    fix: str
    field: str


class WarningOut(Schema):
    event: str
    rule: str
    citation: str
    message: str
    justification: str
    field: str


class ProblemOut(Schema):
    field: str
    rule: str
    citation: str
    level: str
    message: str
    fix: str


class ActionOut(Schema):
    event: str
    label: str


class DeadlineAheadOut(Schema):
    passes_at: datetime
    what: str
    rule: str
    citation: str
    overdue: bool
    seconds_left: int


class NextOut(Schema):
    state: str
    state_label: str
    allowed: list[ActionOut]
    refusals: list[RefusalOut]
    warnings: list[WarningOut]
    next_deadline: DeadlineAheadOut | None
    design_problems: list[ProblemOut]


@router.get("/procurements/{procurement_id}/next", response={200: NextOut, **ERRORS})
def procurement_next(request: HttpRequest, procurement_id: int) -> dict[str, Any]:
    """The state, the actions allowed now, the next deadline, and what blocks progress."""
    moment = now()
    procurement, _ = selectors.access_procurement(
        actor=actor_of(request), procurement_id=procurement_id
    )
    ahead = selectors.what_next(procurement=procurement, now=moment)
    deadline = ahead.deadline
    return {
        "state": ahead.evaluation.state,
        "state_label": ahead.state_label,
        "allowed": [{"event": e, "label": ahead.event_labels[e]} for e in ahead.evaluation.allowed],
        "refusals": ahead.evaluation.refusals,
        "warnings": ahead.evaluation.warnings,
        "next_deadline": deadline
        and {
            **deadline.__dict__,
            "seconds_left": int((deadline.passes_at - moment).total_seconds()),
        },
        "design_problems": ahead.design_problems,
    }


@router.post(
    "/procurements/{procurement_id}/actions/{event}", response={200: ProcurementOut, **ERRORS}
)
def procurement_action(
    request: HttpRequest, procurement_id: int, event: str, payload: ActionIn
) -> dict[str, Any]:
    """
    Apply a lifecycle event of the procurement's rulebook (see `GET …/next` for those allowed).
    A refusal is 409 `{code: "rule_refused", rule, citation, message}`; an event with WARN rules
    needs `justification`, and without one is 400 `justification_required` naming that field.
    """
    procurement = services.procurement_act(
        actor=actor_of(request),
        procurement_id=procurement_id,
        event=event,
        action=payload.to_action(),
        now=now(),
    )
    return procurement_out(procurement)


class DeadlineOut(Schema):
    kind: str
    regime: str
    start: date
    nation: str | None
    date: date
    meaning: str
    counted: str
    rule: str
    citation: str
    circumstances: list[str]
    row: str


@router.get("/deadlines/{kind}", response={200: DeadlineOut, **ERRORS}, auth=None)
def deadline(
    request: HttpRequest,
    kind: str,
    regime: str,
    start: date = Query(..., alias="from"),  # noqa: B008
    nation: str | None = None,
    circumstance: list[str] = Query([]),  # noqa: B008
) -> dict[str, Any]:
    """
    Public: the statutory deadline of `kind` under `regime`, counted from the date `from`;
    each `circumstance` (repeatable, e.g. preselected_only) chooses the row of the PA 2023 s.54
    tables, and the answer names the row.
    """
    return selectors.deadline_answer(
        kind=kind, regime=regime, start=start, nation=nation, circumstances=circumstance
    )
