"""JSON API for the selection: marks, the proposed shortlist and the decision."""

from datetime import datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from sanely.portal.accounts.actors import actor_of
from sanely.portal.core.clock import now
from sanely.portal.web.apis import ERRORS, InputSchema

from . import selectors, services
from .models import SelectionMark, ShortlistDecision

router = Router(tags=["selection"])


class MarkOut(Schema):
    id: int
    candidate_id: int
    candidate: str = Field(alias="candidate.name")
    criterion: str
    passed: bool | None
    score: Decimal | None
    reason: str
    assessor: str = Field(alias="assessor.full_name")
    recorded_at: datetime


@router.get(
    "/procurements/{procurement_id}/selection/marks",
    response={200: list[MarkOut], **ERRORS},
    url_name="selection_marks",
)
def mark_list(request: HttpRequest, procurement_id: int) -> list[SelectionMark]:
    """Every mark of every candidate, with its reason: for the authority's people."""
    procurement, _ = selectors.access_selection(
        actor=actor_of(request), procurement_id=procurement_id
    )
    return list(selectors.mark_list(procurement=procurement))


class MarkIn(InputSchema):
    criterion: str = Field(max_length=200, description="a published selection criterion")
    passed: bool | None = Field(None, description="pass/fail criteria")
    score: Decimal | None = Field(
        None, max_digits=8, description="scored criteria: 0 to the scale's top"
    )
    reason: str = Field("", max_length=5000, description="required: why this mark")


class MarksIn(InputSchema):
    marks: list[MarkIn] = Field(max_length=30)


@router.post(
    "/procurements/{procurement_id}/selection/candidates/{candidate_id}/marks",
    response={200: list[MarkOut], **ERRORS},
    url_name="selection_marks_record",
)
def marks_record(
    request: HttpRequest, procurement_id: int, candidate_id: int, payload: MarksIn
) -> list[SelectionMark]:
    """Record or change a candidate's marks (evaluators, procurement leads, commissioners)."""
    return services.selection_marks_record(
        actor=actor_of(request),
        procurement_id=procurement_id,
        candidate_id=candidate_id,
        marks=[services.MarkEntry(**m.model_dump()) for m in payload.marks],
        now=now(),
    )


class CandidateOut(Schema):
    id: int
    name: str
    qualified: bool | None = Field(description="null while a mark is missing")
    total: Decimal | None
    rank: int | None = Field(description="among the candidates that qualified")
    invited: bool | None
    reason: str = Field(description="why not invited, when not")


class DecisionOut(Schema):
    id: int
    procurement_id: int
    decided_by: str = Field(alias="decided_by.full_name")
    decided_at: datetime
    reason: str
    justification: str
    invited: list[int]
    not_invited: dict[str, str]


class ShortlistOut(Schema):
    minimum: int
    maximum: int | None
    missing: list[str] = Field(description="'candidate on criterion' for every mark missing")
    missing_sentence: str
    reason: str = Field(
        description="why the proposed shortlist has its size; empty while incomplete"
    )
    candidates: list[CandidateOut]
    decision: DecisionOut | None
    blocker: str | None = Field(description="why marking or deciding is not possible now")
    problem: str | None = Field(description="why the marks cannot be applied to the design")
    sealed_requests: int | None = Field(
        description="how many suppliers sent requests to participate that are still sealed"
        " (who they are is not shown before the opening); null once opened"
    )


@router.get(
    "/procurements/{procurement_id}/selection/shortlist",
    response={200: ShortlistOut, **ERRORS},
    url_name="selection_shortlist",
)
def shortlist_proposed(request: HttpRequest, procurement_id: int) -> dict[str, Any]:
    """The proposed shortlist from the marks, or the marks still missing; and the decision."""
    procurement, _ = selectors.access_selection(
        actor=actor_of(request), procurement_id=procurement_id
    )
    board = selectors.selection_board(procurement=procurement)
    return {
        "minimum": board.minimum,
        "maximum": board.maximum,
        "missing": [str(m) for m in board.missing],
        "missing_sentence": board.missing_sentence,
        "reason": board.reason,
        "candidates": [board.outcome(c) for c in board.candidates],
        "decision": board.decision,
        "blocker": board.blocker,
        "problem": board.problem,
        "sealed_requests": board.sealed,
    }


class DecideIn(InputSchema):
    justification: str = Field(
        "", max_length=5000, description="for the WARN rules of inviting to tender, if any"
    )


@router.post(
    "/procurements/{procurement_id}/selection/shortlist/decision",
    response={201: DecisionOut, **ERRORS},
    url_name="selection_shortlist_decide",
)
def shortlist_decide(request: HttpRequest, procurement_id: int, payload: DecideIn) -> Status:
    """
    Decide the proposed shortlist (commissioners, procurement leads): invites and regret
    letters go out, and the procedure moves to tendering.
    """
    decision: ShortlistDecision = services.shortlist_decide(
        actor=actor_of(request),
        procurement_id=procurement_id,
        justification=payload.justification,
        now=now(),
    )
    return Status(201, decision)
