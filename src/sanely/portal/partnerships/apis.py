"""
The partnership's JSON routes: the partners the actor may see, one partner's plan and how it
stands, outcome data and acceptances, gate reviews and their decisions.
"""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.http import HttpRequest
from ninja import Field, File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from sanely.portal.accounts.actors import actor_of
from sanely.portal.accounts.selectors import Actor
from sanely.portal.core.clock import now
from sanely.portal.procurements.design import Line, Money, Text
from sanely.portal.web.apis import ERRORS, InputSchema

from . import law, progress, selectors, services
from .models import (
    Claim,
    ContractChange,
    Evidence,
    GateReview,
    Observation,
    PerformanceAssessment,
    Target,
)

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


class PlanVersionOut(Schema):
    number: int
    reason: str
    created_at: datetime


class PlanOut(Schema):
    contract_id: int
    partner: str
    version: int
    versions: list[PlanVersionOut]
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


class DeliveredPartOut(Schema):
    part: str
    verdict: str | None
    status: str
    explanation: str
    data_sha256: str
    analysis_plan_sha256: str
    validation: str
    assessment_id: int


class TargetProgressOut(Schema):
    key: str
    metric: str
    due_on: date
    verdict: str
    projection: str | None
    parts: list[DeliveredPartOut]


class InstalmentProgressOut(Schema):
    key: str
    description: str
    amount: Decimal
    condition: str
    condition_met: bool
    approved_at_gate: bool
    claimable: bool


class PhaseProgressOut(Schema):
    key: str
    name: str
    starts_on: date
    ends_on: date
    max_value: Decimal
    spent: Decimal
    remaining: Decimal
    targets: list[TargetProgressOut]
    instalments: list[InstalmentProgressOut]


class ProgressOut(Schema):
    contract_id: int
    partner: str
    ended: bool
    phases: list[PhaseProgressOut]


def _part_out(part: progress.PartResult, target: Target) -> dict[str, Any]:
    return {
        "part": part.part,
        "verdict": part.verdict,
        "status": part.assessment.status,
        "explanation": part.outcome.get("explanation", part.assessment.error_message),
        "data_sha256": part.assessment.data_sha256,
        "analysis_plan_sha256": target.spec_sha256,
        "validation": part.evidence.validation,
        "assessment_id": part.assessment.pk,
    }


@router.get("/contracts/{contract_id}/progress", response={200: ProgressOut, **ERRORS})
def progress_detail(request: HttpRequest, contract_id: int) -> dict[str, Any]:
    """How one partner's plan stands: each target's verdict and projection, each instalment."""
    contract = selectors.access_contract(actor=actor_of(request), contract_id=contract_id)
    phases = progress.plan_progress(contract, selectors.plan_of(contract).phases)
    return {
        "contract_id": contract.pk,
        "partner": contract.partner.name,
        "ended": selectors.has_ended(contract),
        "phases": [
            {
                "key": p.phase.key,
                "name": p.phase.name,
                "starts_on": p.starts_on,
                "ends_on": p.ends_on,
                "max_value": p.phase.max_value,
                "spent": p.spent,
                "remaining": p.remaining,
                "targets": [
                    {
                        "key": t.target.key,
                        "metric": t.target.metric,
                        "due_on": t.due_on,
                        "verdict": t.verdict,
                        "projection": t.projection,
                        "parts": [_part_out(part, t.target) for part in t.parts],
                    }
                    for t in p.targets
                ],
                "instalments": [
                    {
                        "key": i.instalment.key,
                        "description": i.instalment.description,
                        "amount": i.instalment.amount,
                        "condition": i.instalment.condition,
                        "condition_met": i.condition_met,
                        "approved_at_gate": i.approved_at_gate,
                        "claimable": i.claimable,
                    }
                    for i in p.instalments
                ],
            }
            for p in phases
        ],
    }


class EvidenceOut(Schema):
    id: int
    contract_id: int
    target_key: str
    part: str
    assessment_id: int
    validation: str


@router.post("/contracts/{contract_id}/evidence", response={201: EvidenceOut, **ERRORS})
def evidence_create(
    request: HttpRequest,
    contract_id: int,
    target_key: Form[str],
    data: File[UploadedFile],
    part: Form[str] = "",
) -> Status:
    """
    Deliver outcome data against a target of the plan (or one part of it, a site say). The data
    are judged by the target's analysis plan as fixed at conclusion; the assessment runs in the
    background: follow it in `GET …/progress`.
    """
    delivered = services.evidence_submit(
        actor=actor_of(request),
        contract_id=contract_id,
        target_key=target_key,
        data=data,
        part=part,
        now=now(),
    )
    return Status(201, delivered)


class ValidationIn(InputSchema):
    validation: Literal["authority", "independent"]


@router.post("/evidence/{evidence_id}/validation", response={200: EvidenceOut, **ERRORS})
def evidence_validation(request: HttpRequest, evidence_id: int, payload: ValidationIn) -> Evidence:
    """Record who checked a delivery's verdict: the authority's own analysis or an evaluator."""
    return services.evidence_validate(
        actor=actor_of(request), evidence_id=evidence_id, validation=payload.validation, now=now()
    )


class AcceptanceIn(InputSchema):
    name: Line
    passed: bool
    note: Text = ""
    instalment_key: Annotated[str, Field(max_length=40)] = ""
    performance_level: Line | Literal[""] = ""


class AcceptanceOut(Schema):
    id: int
    name: str
    passed: bool
    instalment_key: str
    performance_level: str


@router.post("/contracts/{contract_id}/acceptances", response={201: AcceptanceOut, **ERRORS})
def acceptance_create(request: HttpRequest, contract_id: int, payload: AcceptanceIn) -> Status:
    """Accept (or refuse) a deliverable that earns an instalment, or record an acceptance test."""
    accepted = services.acceptance_record(
        actor=actor_of(request), contract_id=contract_id, now=now(), **payload.model_dump()
    )
    return Status(201, accepted)


class GateOpenIn(InputSchema):
    phase_key: Annotated[str, Field(max_length=40)]


class GateDecisionOut(Schema):
    contract_id: int
    outcome: str
    reasons: str
    approved_instalments: list[str]


class GateOut(Schema):
    id: int
    phase_key: str
    opened_at: datetime
    decided_at: datetime | None
    reasons: str
    record: dict[str, Any]
    decisions: list[GateDecisionOut]


def _gate_out(review: GateReview, actor: Actor) -> dict[str, Any]:
    seen = selectors.gate_for(actor, review)
    return {
        "id": review.pk,
        "phase_key": review.phase_key,
        "opened_at": review.opened_at,
        "decided_at": review.decided_at,
        "reasons": seen.reasons,
        "record": seen.record,
        "decisions": [
            {
                "contract_id": d.contract_id,
                "outcome": d.outcome,
                "reasons": d.reasons,
                "approved_instalments": d.approved_instalments,
            }
            for d in seen.decisions
        ],
    }


@router.post("/partnerships/{procurement_id}/gates", response={201: GateOut, **ERRORS})
def gate_create(request: HttpRequest, procurement_id: int, payload: GateOpenIn) -> Status:
    """End a phase and open its gate review, recording each partner's verdicts and spend."""
    actor = actor_of(request)
    review = services.gate_open(
        actor=actor, procurement_id=procurement_id, phase_key=payload.phase_key, now=now()
    )
    return Status(201, _gate_out(review, actor))


@router.get("/gates/{review_id}", response={200: GateOut, **ERRORS})
def gate_detail(request: HttpRequest, review_id: int) -> dict[str, Any]:
    """A gate review: all of it for the authority, a partner's own standing and decision."""
    actor = actor_of(request)
    return _gate_out(selectors.access_gate(actor=actor, review_id=review_id), actor)


class GateReportIn(InputSchema):
    contract_id: int
    report: Text


@router.post("/gates/{review_id}/reports", response={200: GateOut, **ERRORS})
def gate_report(request: HttpRequest, review_id: int, payload: GateReportIn) -> dict[str, Any]:
    """A partner's report on the phase, for the panel."""
    actor = actor_of(request)
    review = services.gate_report_submit(
        actor=actor,
        review_id=review_id,
        contract_id=payload.contract_id,
        report=payload.report,
        now=now(),
    )
    return _gate_out(review, actor)


class ChoiceIn(InputSchema):
    contract_id: int
    outcome: Literal["continue", "end", "purchase", "terminate"]
    reasons: Text
    approved_instalments: Annotated[list[str], Field(max_length=20)] = Field(default_factory=list)
    purchase_price: Money | None = None
    purchase_evidence: dict[Line, Annotated[str, Field(max_length=60)]] = Field(
        default_factory=dict,
        description="Each agreed performance level: 'target:KEY' or 'acceptance:ID'",
    )


class GateDecideIn(InputSchema):
    reasons: Text
    justification: Text = ""
    decisions: Annotated[list[ChoiceIn], Field(max_length=50)]


@router.post("/gates/{review_id}/decision", response={200: GateOut, **ERRORS})
def gate_decision(request: HttpRequest, review_id: int, payload: GateDecideIn) -> dict[str, Any]:
    """
    Decide the gate for every remaining partner, with reasons. A refusal is 409 with the rule
    and its citation (an option the documents did not announce, the purchase conditions unmet).
    """
    actor = actor_of(request)
    review = services.gate_decide(
        actor=actor,
        review_id=review_id,
        reasons=payload.reasons,
        justification=payload.justification,
        choices=[
            services.GateChoice(
                contract_id=c.contract_id,
                outcome=c.outcome,
                reasons=c.reasons,
                approved_instalments=tuple(c.approved_instalments),
                purchase_price=c.purchase_price,
                purchase_evidence=dict(c.purchase_evidence),
            )
            for c in payload.decisions
        ],
        now=now(),
    )
    return _gate_out(review, actor)


class ClaimIn(InputSchema):
    instalment_key: Annotated[str, Field(min_length=1, max_length=40)]
    amount: Money
    invoice_reference: Annotated[str, Field(min_length=1, max_length=100)]
    invoice_received_on: date | None = None
    evidence_note: Text = ""


class ClaimOut(Schema):
    id: int
    contract_id: int
    instalment_key: str
    amount: Decimal
    status: str
    basis: str
    invoice_reference: str
    invoice_received_on: date
    query: str
    reasons: str
    payment_due_on: date | None
    payment_rule: str
    paid_on: date | None


@router.post("/contracts/{contract_id}/claims", response={201: ClaimOut, **ERRORS})
def claim_create(request: HttpRequest, contract_id: int, payload: ClaimIn) -> Status:
    """
    Claim an instalment with its invoice. Refused (409, with the rule) when its condition is not
    met without a gate approval, or when it exceeds what remains of the phase's maximum value.
    """
    claim = services.claim_submit(
        actor=actor_of(request), contract_id=contract_id, now=now(), **payload.model_dump()
    )
    return Status(201, claim)


@router.get("/contracts/{contract_id}/claims", response={200: list[ClaimOut], **ERRORS})
def claim_list(request: HttpRequest, contract_id: int) -> list[Claim]:
    """Every claim under the contract, oldest first."""
    contract = selectors.access_contract(actor=actor_of(request), contract_id=contract_id)
    return list(selectors.claims_of(contract))


class QueryIn(InputSchema):
    query: Text


class AnswerIn(InputSchema):
    answer: Text


class RejectIn(InputSchema):
    reasons: Text


class PaymentIn(InputSchema):
    paid_on: date
    payment_reference: Annotated[str, Field(min_length=1, max_length=100)]


@router.post("/claims/{claim_id}/query", response={200: ClaimOut, **ERRORS})
def claim_query(request: HttpRequest, claim_id: int, payload: QueryIn) -> Claim:
    """Ask the partner about its claim; the invoice is disputed until it answers."""
    return services.claim_query(
        actor=actor_of(request), claim_id=claim_id, query=payload.query, now=now()
    )


@router.post("/claims/{claim_id}/answer", response={200: ClaimOut, **ERRORS})
def claim_answer(request: HttpRequest, claim_id: int, payload: AnswerIn) -> Claim:
    """The partner's answer to a query: the claim is submitted again."""
    return services.claim_answer(
        actor=actor_of(request), claim_id=claim_id, answer=payload.answer, now=now()
    )


@router.post("/claims/{claim_id}/approval", response={200: ClaimOut, **ERRORS})
def claim_approval(request: HttpRequest, claim_id: int) -> Claim:
    """Approve the claim: the payment is dated by the regime's rule."""
    return services.claim_approve(actor=actor_of(request), claim_id=claim_id, now=now())


@router.post("/claims/{claim_id}/rejection", response={200: ClaimOut, **ERRORS})
def claim_rejection(request: HttpRequest, claim_id: int, payload: RejectIn) -> Claim:
    """Refuse the claim with reasons."""
    return services.claim_reject(
        actor=actor_of(request), claim_id=claim_id, reasons=payload.reasons, now=now()
    )


@router.post("/claims/{claim_id}/payment", response={200: ClaimOut, **ERRORS})
def claim_payment(request: HttpRequest, claim_id: int, payload: PaymentIn) -> Claim:
    """Record the payment of an approved claim."""
    return services.claim_pay(
        actor=actor_of(request),
        claim_id=claim_id,
        paid_on=payload.paid_on,
        payment_reference=payload.payment_reference,
        now=now(),
    )


class PhaseChangeIn(InputSchema):
    phase_key: Annotated[str, Field(min_length=1, max_length=40)]
    max_value: Money | None = None
    duration_months: Annotated[int, Field(ge=1, le=120)] | None = None
    thresholds: dict[Annotated[str, Field(max_length=40)], Decimal] = Field(default_factory=dict)


class ChangeIn(InputSchema):
    ground: Annotated[str, Field(min_length=1, max_length=40)]
    reason: Text
    changes: Annotated[list[PhaseChangeIn], Field(min_length=1, max_length=12)]
    substantial: Annotated[list[Annotated[str, Field(max_length=40)]], Field(max_length=10)] = (
        Field(default_factory=list)
    )
    changes_overall_nature: bool = False
    justification: Text = ""
    change_notice_published_on: date | None = None


class ChangeOut(Schema):
    id: int
    contract_id: int
    version: int
    ground: str
    description: str
    value_change: Decimal
    term_change_days: int
    value_after: Decimal
    made_on: date
    change_notice_published_on: date | None
    notices: list[dict[str, Any]]
    rule: str
    citation: str


def _change_out(change: ContractChange) -> dict[str, Any]:
    fields = (
        "id", "contract_id", "ground", "description", "value_change", "term_change_days",
        "value_after", "made_on", "change_notice_published_on", "notices", "rule", "citation",
    )  # fmt: skip
    return {**{name: getattr(change, name) for name in fields}, "version": change.version.number}


@router.post("/contracts/{contract_id}/changes", response={201: ChangeOut, **ERRORS})
def change_create(request: HttpRequest, contract_id: int, payload: ChangeIn) -> Status:
    """
    Change the contract on a ground of its regime (`rulebook.modification_grounds`). Refused
    (409, with the rule and citation) when the change is not permitted on that ground; a
    permitted one makes the plan's next version and lists the notices it starts.
    """
    changed = services.contract_change(
        actor=actor_of(request),
        contract_id=contract_id,
        ground=payload.ground,
        reason=payload.reason,
        changes=[
            services.PhaseChange(
                c.phase_key, c.max_value, c.duration_months, dict(c.thresholds) or None
            )
            for c in payload.changes
        ],
        substantial=payload.substantial,
        changes_overall_nature=payload.changes_overall_nature,
        justification=payload.justification,
        change_notice_published_on=payload.change_notice_published_on,
        now=now(),
    )
    return Status(201, _change_out(changed))


@router.get("/contracts/{contract_id}/changes", response={200: list[ChangeOut], **ERRORS})
def change_list(request: HttpRequest, contract_id: int) -> list[dict[str, Any]]:
    """Every change of the contract, in the order made."""
    contract = selectors.access_contract(actor=actor_of(request), contract_id=contract_id)
    return [_change_out(c) for c in selectors.changes_of(contract)]


class DueOut(Schema):
    what: str
    rule: str
    citation: str
    due_on: date | None
    when: str
    overdue: bool


@router.get("/contracts/{contract_id}/dues", response={200: list[DueOut], **ERRORS})
def due_list(request: HttpRequest, contract_id: int) -> list[Any]:
    """What the law still asks under the contract: payments, notices, assessments."""
    contract = selectors.access_contract(actor=actor_of(request), contract_id=contract_id)
    return list(law.dues_of(contract, now()))


class ObservationIn(InputSchema):
    kind: Literal["kpi", "social_value"]
    measure: Line
    period_start: date
    period_end: date
    observed: Line
    met: bool
    note: Text = ""


class ObservationOut(Schema):
    id: int
    kind: str
    measure: str
    period_start: date
    period_end: date
    observed: str
    met: bool
    note: str


@router.post("/contracts/{contract_id}/observations", response={201: ObservationOut, **ERRORS})
def observation_create(request: HttpRequest, contract_id: int, payload: ObservationIn) -> Status:
    """One period's observation of a KPI the contract sets, or of a social value commitment."""
    found = services.observation_record(
        actor=actor_of(request), contract_id=contract_id, now=now(), **payload.model_dump()
    )
    return Status(201, found)


@router.get("/contracts/{contract_id}/observations", response={200: list[ObservationOut], **ERRORS})
def observation_list(request: HttpRequest, contract_id: int) -> list[Observation]:
    """Every observation under the contract, by measure and period."""
    contract = selectors.access_contract(actor=actor_of(request), contract_id=contract_id)
    return list(selectors.observations_of(contract))


class AssessmentIn(InputSchema):
    period_start: date
    period_end: date
    ratings: dict[
        Line, Literal["good", "approaching_target", "requires_improvement", "inadequate", "other"]
    ]


class PerformanceAssessmentOut(Schema):
    id: int
    period_start: date
    period_end: date
    ratings: dict[str, str]
    rating: str
    assessed_on: date
    next_due_on: date | None
    next_rule: str


@router.post(
    "/contracts/{contract_id}/assessments", response={201: PerformanceAssessmentOut, **ERRORS}
)
def performance_assessment_create(
    request: HttpRequest, contract_id: int, payload: AssessmentIn
) -> Status:
    """Assess performance against every KPI over the period, from the observations tracked."""
    assessed = services.assessment_record(
        actor=actor_of(request), contract_id=contract_id, now=now(), **payload.model_dump()
    )
    return Status(201, assessed)


@router.get(
    "/contracts/{contract_id}/assessments", response={200: list[PerformanceAssessmentOut], **ERRORS}
)
def performance_assessment_list(
    request: HttpRequest, contract_id: int
) -> list[PerformanceAssessment]:
    """Every performance assessment of the contract."""
    contract = selectors.access_contract(actor=actor_of(request), contract_id=contract_id)
    return list(selectors.assessments_of(contract))


class TerminationNoticeIn(InputSchema):
    route: Literal["implied_term", "contract_terms"]
    ground: Annotated[str, Field(max_length=60)] = ""
    reasons: Text
    representations_by: date
    subcontracting_opportunity_given: bool = False


class TerminationNoticeOut(Schema):
    id: int
    route: str
    ground: str
    reasons: str
    notified_on: date
    representations_by: date


class EndOut(Schema):
    contract_id: int
    how: str
    ended_on: date
    notice_due_on: date | None
    notice_rule: str


class TerminateIn(InputSchema):
    justification: Text = ""


@router.post(
    "/contracts/{contract_id}/termination-notices",
    response={201: TerminationNoticeOut, **ERRORS},
)
def termination_notice_create(
    request: HttpRequest, contract_id: int, payload: TerminationNoticeIn
) -> Status:
    """Tell the partner of the intention to end its contract, with the time to answer."""
    notice = services.termination_notify(
        actor=actor_of(request), contract_id=contract_id, now=now(), **payload.model_dump()
    )
    return Status(201, notice)


@router.post("/contracts/{contract_id}/termination", response={201: EndOut, **ERRORS})
def contract_termination(request: HttpRequest, contract_id: int, payload: TerminateIn) -> Status:
    """End the contract on its notice of intention, once the time for representations is over."""
    ended = services.contract_terminate(
        actor=actor_of(request),
        contract_id=contract_id,
        justification=payload.justification,
        now=now(),
    )
    return Status(201, ended)
