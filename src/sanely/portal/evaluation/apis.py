"""
JSON API for the evaluation: declarations, independent scores and their submission, the
moderation sheet and consensus, prices, abnormally low tenders, the ranking and the sign-off.
"""

from datetime import datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from sanely.portal.accounts.actors import actor_of
from sanely.portal.competition import selectors as competition_selectors
from sanely.portal.core.clock import now
from sanely.portal.web.apis import ERRORS, InputSchema

from . import selectors, services
from .overview import overview_of, results_of, sheet_of

router = Router(tags=["evaluation"])
BASE = "/evaluation/procurements/{procurement_id}"
TENDERER = BASE + "/tenderers/{tenderer_id}"


class DeclarationIn(InputSchema):
    conflict: bool = Field(description="true: I have a conflict of interest with a tenderer")
    details: str = Field("", max_length=10000, description="what the conflict is (required)")
    scores: bool = Field(True, description="false: I moderate or sign off but score no tender")


class DeclarationOut(Schema):
    id: int
    evaluator: str = Field(alias="evaluator.full_name")
    tenderers: list[dict[str, Any]]
    conflict: bool
    details: str
    scores: bool
    declared_at: datetime


class PlaceOut(Schema):
    criterion: str
    sub_criterion: str
    label: str


class TendererOut(Schema):
    id: int
    name: str


class MineOut(Schema):
    tenderer: TendererOut
    scored: int
    submitted: bool


class OverviewOut(Schema):
    procurement_id: int
    state: str
    evaluation_state: str
    scale_max: int
    price_formula: str
    abnormally_low_percent: Decimal
    places: list[PlaceOut]
    declaration: DeclarationOut | None
    may_read_tenders: bool
    final_round_opened: bool
    tenderers: list[MineOut]
    signed_off: bool


@router.get(BASE, response={200: OverviewOut, **ERRORS}, url_name="evaluation_detail")
def evaluation_detail(request: HttpRequest, procurement_id: int) -> Any:
    """The criteria and price formula, your declaration, and where your scoring stands."""
    actor = actor_of(request)
    procurement, _ = selectors.access_evaluation(actor=actor, procurement_id=procurement_id)
    return overview_of(actor, procurement)


@router.get(
    BASE + "/declarations",
    response={200: list[DeclarationOut], **ERRORS},
    url_name="evaluation_declarations",
)
def declaration_list(request: HttpRequest, procurement_id: int) -> list[Any]:
    """Every declaration made, as made: none is ever removed."""
    procurement, _ = selectors.access_evaluation(
        actor=actor_of(request), procurement_id=procurement_id
    )
    return list(competition_selectors.declaration_list(procurement))


@router.post(
    BASE + "/declarations",
    response={201: DeclarationOut, **ERRORS},
    url_name="evaluation_declare",
)
def declaration_record(request: HttpRequest, procurement_id: int, payload: DeclarationIn) -> Status:
    """Declare your interests in the tenderers: no conflict, or a conflict with its details."""
    declaration = services.declaration_record(
        actor=actor_of(request), procurement_id=procurement_id, now=now(), **payload.dict()
    )
    return Status(201, declaration)


class ScoreIn(InputSchema):
    criterion: str = Field(max_length=500)
    sub_criterion: str = Field("", max_length=500, description="empty for a criterion without")
    score: Decimal = Field(description="on the published scale, 0 to the award's scale_max")
    justification: str = Field(max_length=10000)


class ScoreOut(Schema):
    id: int
    evaluator: str = Field(alias="evaluator.full_name")
    evaluator_id: int
    tenderer_id: int
    criterion: str
    sub_criterion: str
    score: Decimal
    justification: str
    recorded_at: datetime


class ScoresOut(Schema):
    tenderer_id: int
    submitted: bool
    scores: list[ScoreOut]


@router.get(TENDERER + "/scores", response={200: ScoresOut, **ERRORS}, url_name="evaluation_scores")
def score_list(request: HttpRequest, procurement_id: int, tenderer_id: int) -> dict[str, Any]:
    """
    The scores of one tenderer you may see: yours, and others' submitted ones only once you
    have submitted yours.
    """
    actor = actor_of(request)
    procurement, _ = selectors.access_evaluation(actor=actor, procurement_id=procurement_id)
    tenderer = selectors.access_tenderer(procurement=procurement, tenderer_id=tenderer_id)
    return {
        "tenderer_id": tenderer.pk,
        "submitted": selectors.submitted(procurement, actor.user, tenderer),
        "scores": selectors.access_scores(actor=actor, procurement=procurement, tenderer=tenderer),
    }


@router.post(TENDERER + "/scores", response={200: ScoreOut, **ERRORS}, url_name="evaluation_score")
def score_record(
    request: HttpRequest, procurement_id: int, tenderer_id: int, payload: ScoreIn
) -> Any:
    """Score one criterion or sub-criterion, with the justification; again to change it."""
    return services.score_record(
        actor=actor_of(request),
        procurement_id=procurement_id,
        tenderer_id=tenderer_id,
        now=now(),
        **payload.dict(),
    )


class TenderSubmittedOut(Schema):
    tenderer_id: int
    evaluator_id: int
    submitted_at: datetime


@router.post(
    TENDERER + "/submission",
    response={201: TenderSubmittedOut, **ERRORS},
    url_name="evaluation_submit",
)
def scores_submit(request: HttpRequest, procurement_id: int, tenderer_id: int) -> Status:
    """Submit your scores of one tenderer: every criterion scored; no change afterwards."""
    submission = services.scores_submit(
        actor=actor_of(request),
        procurement_id=procurement_id,
        tenderer_id=tenderer_id,
        now=now(),
    )
    return Status(201, submission)


class EvaluationRevisionOut(Schema):
    previous_score: Decimal | None
    score: Decimal
    reason: str
    recorded_by: str = Field(alias="recorded_by.full_name")
    recorded_at: datetime


class ConsensusOut(Schema):
    id: int
    tenderer_id: int
    criterion: str
    sub_criterion: str
    score: Decimal
    reason: str
    recorded_at: datetime
    revisions: list[EvaluationRevisionOut]

    @staticmethod
    def resolve_revisions(obj: Any) -> list[Any]:
        return list(obj.revisions.all())  # prefetched with their authors on the sheet


class RowOut(Schema):
    criterion: str
    sub_criterion: str
    label: str
    scores: list[ScoreOut]
    spread: Decimal | None
    consensus: ConsensusOut | None


class SheetOut(Schema):
    tenderer: TendererOut
    ready: bool
    waiting_for: list[str]
    rows: list[RowOut]
    strengths: str
    price: Decimal | None
    price_version_id: int | None
    final_tender_versions: list[int]


@router.get(
    TENDERER + "/moderation", response={200: SheetOut, **ERRORS}, url_name="evaluation_sheet"
)
def moderation_sheet(request: HttpRequest, procurement_id: int, tenderer_id: int) -> Any:
    """The evaluators' submitted scores side by side with their spread, and the consensus."""
    procurement = selectors.access_moderation(
        actor=actor_of(request), procurement_id=procurement_id
    )
    tenderer = selectors.access_tenderer(procurement=procurement, tenderer_id=tenderer_id)
    return sheet_of(procurement, tenderer)


class ConsensusIn(InputSchema):
    criterion: str = Field(max_length=500)
    sub_criterion: str = Field("", max_length=500)
    score: Decimal
    reason: str = Field(max_length=10000, description="required, for every change too")


@router.post(
    TENDERER + "/consensus", response={200: ConsensusOut, **ERRORS}, url_name="evaluation_consensus"
)
def consensus_record(
    request: HttpRequest, procurement_id: int, tenderer_id: int, payload: ConsensusIn
) -> Any:
    """Record or change the consensus score of one criterion or sub-criterion, with the reason."""
    return services.consensus_record(
        actor=actor_of(request),
        procurement_id=procurement_id,
        tenderer_id=tenderer_id,
        now=now(),
        **payload.dict(),
    )


class StrengthsIn(InputSchema):
    text: str = Field(max_length=10000)


class StrengthsOut(Schema):
    tenderer_id: int
    text: str
    recorded_at: datetime


@router.post(
    TENDERER + "/strengths", response={200: StrengthsOut, **ERRORS}, url_name="evaluation_strengths"
)
def strengths_record(
    request: HttpRequest, procurement_id: int, tenderer_id: int, payload: StrengthsIn
) -> Any:
    """The characteristics and relative advantages of the tender, for the decision notices."""
    return services.strengths_record(
        actor=actor_of(request),
        procurement_id=procurement_id,
        tenderer_id=tenderer_id,
        text=payload.text,
        now=now(),
    )


class PriceIn(InputSchema):
    price: Decimal = Field(description="the tendered price in pounds")
    version_id: int = Field(description="the final tender version the price was read from")


class PriceOut(Schema):
    tenderer_id: int
    price: Decimal
    version_id: int
    recorded_at: datetime


@router.post(TENDERER + "/price", response={200: PriceOut, **ERRORS}, url_name="evaluation_price")
def price_record(
    request: HttpRequest, procurement_id: int, tenderer_id: int, payload: PriceIn
) -> Any:
    """Record the tendered price, citing the final tender version it was read from."""
    return services.price_record(
        actor=actor_of(request),
        procurement_id=procurement_id,
        tenderer_id=tenderer_id,
        price=payload.price,
        version_id=payload.version_id,
        now=now(),
    )


class LowDecisionIn(InputSchema):
    decision: str = Field(description="accepted or rejected")
    explanation: str = Field(
        max_length=10000, description="accepted: the explanation received; rejected: the reasons"
    )


class LowDecisionOut(Schema):
    id: int
    tenderer_id: int
    price: Decimal
    flag: str
    decision: str
    explanation: str
    decided_at: datetime


@router.post(
    TENDERER + "/abnormally-low",
    response={201: LowDecisionOut, **ERRORS},
    url_name="evaluation_low_decision",
)
def abnormally_low_decide(
    request: HttpRequest, procurement_id: int, tenderer_id: int, payload: LowDecisionIn
) -> Status:
    """Decide on a tender flagged as abnormally low (PCR 2015 reg. 69; PA 2023 s.34)."""
    decision = services.abnormally_low_decide(
        actor=actor_of(request),
        procurement_id=procurement_id,
        tenderer_id=tenderer_id,
        decision=payload.decision,
        explanation=payload.explanation,
        now=now(),
    )
    return Status(201, decision)


class FlagOut(Schema):
    tenderer: TendererOut
    price: Decimal
    reason: str
    decision: str | None
    explanation: str | None


class LineOut(Schema):
    tenderer: TendererOut
    rank: int
    total: Decimal
    price: Decimal | None
    recommended: bool
    breakdown: list[dict[str, str]]
    strengths: str


class TieOut(Schema):
    tied: list[TendererOut]
    places: int


class RankingOut(Schema):
    price_formula: str
    flags: list[FlagOut]
    lines: list[LineOut]
    tie: TieOut | None
    missing: list[str]
    signed_off: bool


@router.get(BASE + "/ranking", response={200: RankingOut, **ERRORS}, url_name="evaluation_ranking")
def ranking(request: HttpRequest, procurement_id: int) -> Any:
    """
    The weighted best price-quality ratio of the moderated scores and prices, the ranking and
    the recommended partners, and what is missing before the sign-off. For moderators; for
    everyone of the authority once signed off.
    """
    actor = actor_of(request)
    procurement = selectors.access_results(actor=actor, procurement_id=procurement_id)
    return results_of(procurement)


class TieIn(InputSchema):
    chosen: list[int] = Field(description="ids of the tied tenderers recommended")
    reason: str = Field(max_length=10000)


class TieChoiceOut(Schema):
    tied: list[int]
    chosen: list[int]
    reason: str
    recorded_at: datetime


@router.post(BASE + "/tie", response={200: TieChoiceOut, **ERRORS}, url_name="evaluation_tie")
def tie_choose(request: HttpRequest, procurement_id: int, payload: TieIn) -> Any:
    """At a tie on the partner boundary: choose who is recommended, with the reason."""
    return services.tie_choose(
        actor=actor_of(request),
        procurement_id=procurement_id,
        chosen=payload.chosen,
        reason=payload.reason,
        now=now(),
    )


class OutcomeOut(Schema):
    tenderer_id: int
    tenderer: str = Field(alias="tenderer.name")
    rank: int
    total: Decimal
    price: Decimal | None
    recommended: bool
    breakdown: list[dict[str, Any]]
    strengths: str
    signed_off_at: datetime


@router.post(
    BASE + "/sign-off",
    response={201: list[OutcomeOut], **ERRORS},
    url_name="evaluation_sign_off",
)
def sign_off(request: HttpRequest, procurement_id: int) -> Status:
    """Sign the evaluation off: refused while anything is missing, each item listed."""
    outcomes = services.evaluation_sign_off(
        actor=actor_of(request), procurement_id=procurement_id, now=now()
    )
    return Status(201, outcomes)
