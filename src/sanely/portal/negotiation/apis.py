"""
JSON API for negotiation: meetings, clarifications, document revisions, consents, the
equal-treatment check and staged reduction. Paths start with /negotiation/.
"""

from datetime import datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from sanely.portal.accounts.actors import actor_of
from sanely.portal.core.clock import now
from sanely.portal.web.apis import ERRORS, InputSchema

from . import selectors, services
from .models import Clarification, Consent, DocumentRevision, Meeting, Reduction

router = Router(tags=["negotiation"])


class MeetingIn(InputSchema):
    round_id: int = Field(description="an opened tender round of the procurement")
    organisation_id: int = Field(description="the tenderer met")
    held_at: datetime = Field(description="when the meeting was held, with its time zone")
    attendees: list[str] = Field(max_length=100, description="'name, organisation, role'")
    minutes: str = Field(max_length=50000)
    information_given: list[str] = Field(
        default_factory=list, max_length=100, description="facts the authority told the tenderer"
    )
    proposed_changes: list[str] = Field(
        default_factory=list,
        max_length=3,
        description="what would change: minimum_requirements, award_criteria, other",
    )
    justification: str = Field("", max_length=5000, description="for the rules that ask for one")


class MeetingOut(Schema):
    id: int
    procurement_id: int
    round_id: int
    organisation_id: int
    organisation: str = Field(alias="organisation.name")
    held_at: datetime
    attendees: list[str]
    minutes: str
    information_given: list[str]
    proposed_changes: list[str]
    justification: str
    recorded_at: datetime


@router.get(
    "/negotiation/procurements/{procurement_id}/meetings",
    response={200: list[MeetingOut], **ERRORS},
    url_name="negotiation_meeting_list",
)
def meeting_list(request: HttpRequest, procurement_id: int) -> list[Meeting]:
    """Every negotiation meeting of the procurement: for the authority's people."""
    procurement, _ = selectors.access_negotiation(
        actor=actor_of(request), procurement_id=procurement_id
    )
    return list(selectors.meeting_list(procurement=procurement))


@router.post(
    "/negotiation/procurements/{procurement_id}/meetings",
    response={201: MeetingOut, **ERRORS},
    url_name="negotiation_meeting_record",
)
def meeting_record(request: HttpRequest, procurement_id: int, payload: MeetingIn) -> Status:
    """A commissioner or procurement lead records a meeting with one tenderer."""
    meeting = services.meeting_record(
        actor=actor_of(request), procurement_id=procurement_id, now=now(), **payload.dict()
    )
    return Status(201, meeting)


@router.get(
    "/negotiation/meetings/{meeting_id}",
    response={200: MeetingOut, **ERRORS},
    url_name="negotiation_meeting_detail",
)
def meeting_detail(request: HttpRequest, meeting_id: int) -> Meeting:
    """One meeting: for the authority's people and the tenderer it was with."""
    return selectors.access_meeting(actor=actor_of(request), meeting_id=meeting_id)


class ClarificationOut(Schema):
    id: int
    organisation_id: int
    organisation: str = Field(alias="organisation.name")
    question: str
    asked_at: datetime
    audience: str
    published_question: str
    answer: str
    justification: str
    answered_at: datetime | None
    recipient_ids: list[int]

    @staticmethod
    def resolve_recipient_ids(obj: Clarification) -> list[int]:
        return sorted(o.pk for o in obj.recipients.all())


@router.get(
    "/negotiation/procurements/{procurement_id}/clarifications",
    response={200: list[ClarificationOut], **ERRORS},
    url_name="negotiation_clarification_list",
)
def clarification_list(request: HttpRequest, procurement_id: int) -> list[Clarification]:
    """Every question with who asked it, and its answer: for the authority's people."""
    procurement, _ = selectors.access_negotiation(
        actor=actor_of(request), procurement_id=procurement_id
    )
    return list(selectors.clarification_list(procurement=procurement))


class ClarificationAnswerIn(InputSchema):
    audience: str = Field(description="all (every remaining tenderer) or tenderer (the asker)")
    answer: str = Field(max_length=10000)
    published_question: str = Field(
        "", max_length=10000, description="all: the question as published, reworded to anonymise"
    )
    justification: str = Field(
        "", max_length=5000, description="tenderer: why only the asker is answered"
    )


@router.post(
    "/negotiation/clarifications/{clarification_id}/answer",
    response={200: ClarificationOut, **ERRORS},
    url_name="negotiation_clarification_answer",
)
def clarification_answer(
    request: HttpRequest, clarification_id: int, payload: ClarificationAnswerIn
) -> Clarification:
    """Answer a question; each recipient gets a letter."""
    return services.clarification_answer(
        actor=actor_of(request), clarification_id=clarification_id, now=now(), **payload.dict()
    )


class QuestionIn(InputSchema):
    organisation_id: int
    question: str = Field(max_length=10000)


class TendererClarificationOut(Schema):
    id: int
    own: bool = Field(description="asked by this tenderer")
    question: str = Field(description="the asker's own words to the asker, else as published")
    answer: str
    audience: str
    asked_at: datetime | None
    answered_at: datetime | None
    receipt: str = Field(description="own questions: the signed receipt, verifiable offline")


def _tenderer_clarification(seen: selectors.SupplierClarification) -> dict[str, Any]:
    c = seen.clarification
    return {
        "id": c.pk,
        "own": seen.own,
        "question": seen.question,
        "answer": c.answer,
        "audience": c.audience,
        "asked_at": c.asked_at if seen.own else None,
        "answered_at": c.answered_at,
        "receipt": c.receipt if seen.own else "",
    }


@router.post(
    "/negotiation/procurements/{procurement_id}/questions",
    response={201: TendererClarificationOut, **ERRORS},
    url_name="negotiation_question_ask",
)
def question_ask(request: HttpRequest, procurement_id: int, payload: QuestionIn) -> Status:
    """Your tenderer asks a clarification question; no other tenderer sees it or who asked."""
    clarification = services.question_ask(
        actor=actor_of(request), procurement_id=procurement_id, now=now(), **payload.dict()
    )
    return Status(
        201, _tenderer_clarification(selectors.SupplierClarification(clarification, True))
    )


class RevisionIn(InputSchema):
    title: str = Field(max_length=200)
    summary: str = Field(max_length=10000)
    affects: list[str] = Field(
        default_factory=lambda: ["other"],
        max_length=3,
        description="minimum_requirements, award_criteria or other",
    )
    justification: str = Field(
        "", max_length=5000, description="why the remaining time is enough (or extend instead)"
    )
    new_deadline: datetime | None = Field(
        None, description="extend the open tender round's deadline to this, in the same step"
    )
    extension_reason: str = Field("", max_length=5000)


class TendererRevisionOut(Schema):
    """A revision as a tenderer reads it: never who else received it."""

    id: int
    title: str
    summary: str
    affects: list[str]
    justification: str
    deadline_extended_to: datetime | None
    recorded_at: datetime

    @staticmethod
    def resolve_deadline_extended_to(obj: DocumentRevision) -> datetime | None:
        return obj.extension.new_deadline if obj.extension else None


class RevisionOut(TendererRevisionOut):
    recipient_ids: list[int]

    @staticmethod
    def resolve_recipient_ids(obj: DocumentRevision) -> list[int]:
        return sorted(o.pk for o in obj.recipients.all())


@router.get(
    "/negotiation/procurements/{procurement_id}/revisions",
    response={200: list[RevisionOut], **ERRORS},
    url_name="negotiation_revision_list",
)
def revision_list(request: HttpRequest, procurement_id: int) -> list[DocumentRevision]:
    procurement, _ = selectors.access_negotiation(
        actor=actor_of(request), procurement_id=procurement_id
    )
    return list(selectors.revision_list(procurement=procurement))


@router.post(
    "/negotiation/procurements/{procurement_id}/revisions",
    response={201: RevisionOut, **ERRORS},
    url_name="negotiation_revision_record",
)
def revision_record(request: HttpRequest, procurement_id: int, payload: RevisionIn) -> Status:
    """Revise the documents: every remaining tenderer gets a letter; the deadline is reviewed."""
    revision = services.document_revision_record(
        actor=actor_of(request), procurement_id=procurement_id, now=now(), **payload.dict()
    )
    return Status(201, revision)


class ConsentIn(InputSchema):
    organisation_id: int
    item: str = Field(max_length=5000, description="one specific confidential item")
    recipient: str = Field(max_length=200, description="the named person or organisation")
    purpose: str = Field(max_length=5000)


class ConsentOut(Schema):
    id: int
    organisation_id: int
    organisation: str = Field(alias="organisation.name")
    item: str
    recipient: str
    purpose: str
    given_at: datetime
    withdrawn_at: datetime | None
    active: bool


@router.get(
    "/negotiation/procurements/{procurement_id}/consents",
    response={200: list[ConsentOut], **ERRORS},
    url_name="negotiation_consent_list",
)
def consent_list(request: HttpRequest, procurement_id: int) -> list[Consent]:
    """Every tenderer's consents to disclose: for the authority's people."""
    procurement, _ = selectors.access_negotiation(
        actor=actor_of(request), procurement_id=procurement_id
    )
    return list(selectors.consent_list(procurement=procurement))


@router.post(
    "/negotiation/procurements/{procurement_id}/consents",
    response={201: ConsentOut, **ERRORS},
    url_name="negotiation_consent_give",
)
def consent_give(request: HttpRequest, procurement_id: int, payload: ConsentIn) -> Status:
    """Your tenderer's admin consents to disclose one item, to a named recipient, for a purpose."""
    consent = services.consent_give(
        actor=actor_of(request), procurement_id=procurement_id, now=now(), **payload.dict()
    )
    return Status(201, consent)


@router.post(
    "/negotiation/consents/{consent_id}/withdraw",
    response={200: ConsentOut, **ERRORS},
    url_name="negotiation_consent_withdraw",
)
def consent_withdraw(request: HttpRequest, consent_id: int) -> Consent:
    return services.consent_withdraw(actor=actor_of(request), consent_id=consent_id, now=now())


class TendererNegotiationOut(Schema):
    organisation_id: int
    tendering: bool
    meetings: list[MeetingOut]
    clarifications: list[TendererClarificationOut]
    revisions: list[TendererRevisionOut]
    consents: list[ConsentOut]


@router.get(
    "/negotiation/procurements/{procurement_id}/mine",
    response={200: TendererNegotiationOut, **ERRORS},
    url_name="negotiation_tenderer",
)
def tenderer_negotiation(
    request: HttpRequest, procurement_id: int, organisation_id: int
) -> dict[str, Any]:
    """Your tenderer's meetings, questions, the answers and revisions sent to it, its consents."""
    procurement, organisation = selectors.access_tenderer(
        actor=actor_of(request), procurement_id=procurement_id, organisation_id=organisation_id
    )
    seen = selectors.tenderer_negotiation(procurement=procurement, organisation=organisation)
    return {
        "organisation_id": organisation.pk,
        "tendering": seen.tendering,
        "meetings": seen.meetings,
        "clarifications": [_tenderer_clarification(c) for c in seen.clarifications],
        "revisions": seen.revisions,
        "consents": seen.consents,
    }


class InformationOut(Schema):
    text: str
    sources: list[str]
    recipients: list[str] = Field(alias="recipient_names")
    missing: list[str] = Field(alias="missing_names")
    status: str = Field(description="given to all, flagged or justified")
    justification: str


class EqualTreatmentOut(Schema):
    clean: bool
    message: str
    remaining: list[str]
    items: list[InformationOut]


@router.get(
    "/negotiation/procurements/{procurement_id}/equal-treatment",
    response={200: EqualTreatmentOut, **ERRORS},
    url_name="negotiation_equal_treatment",
)
def equal_treatment(request: HttpRequest, procurement_id: int) -> dict[str, Any]:
    """Every piece of information given during negotiation; flags what some lack."""
    procurement, _ = selectors.access_negotiation(
        actor=actor_of(request), procurement_id=procurement_id
    )
    check = selectors.equal_treatment_check(procurement=procurement)
    return {
        "clean": check.clean,
        "message": check.message,
        "remaining": [o.name for o in check.remaining],
        "items": check.items,
    }


class TenderMarkIn(InputSchema):
    criterion: str = Field(max_length=500, description="a published quality or social-value one")
    sub_criterion: str = Field("", max_length=500, description="empty when it has none")
    score: Decimal = Field(ge=0, le=100, max_digits=6, decimal_places=2)


class TenderScoreIn(InputSchema):
    organisation_id: int
    marks: list[TenderMarkIn] = Field(max_length=200)
    price: Decimal | None = Field(None, gt=0, max_digits=14, decimal_places=2)


class ReductionIn(InputSchema):
    round_id: int = Field(description="the opened tender round whose tenders are scored")
    keep: int = Field(ge=1, le=50)
    scores: list[TenderScoreIn] = Field(max_length=50)
    justification: str = Field("", max_length=5000)

    def tender_scores(self) -> dict[int, services.TenderScore]:
        result = {}
        for row in self.scores:
            marks: dict[str, dict[str, Decimal]] = {}
            for mark in row.marks:
                marks.setdefault(mark.criterion, {})[mark.sub_criterion] = mark.score
            result[row.organisation_id] = services.TenderScore(marks, row.price)
        return result


class ReductionOut(Schema):
    id: int
    round_id: int
    keep: int
    kept: list[int]
    ranking: list[dict[str, Any]]
    reasons: dict[str, str] = Field(description="organisation id: the reason it was told")
    justification: str
    decided_at: datetime


@router.get(
    "/negotiation/procurements/{procurement_id}/reductions",
    response={200: list[ReductionOut], **ERRORS},
    url_name="negotiation_reduction_list",
)
def reduction_list(request: HttpRequest, procurement_id: int) -> list[Reduction]:
    procurement, _ = selectors.access_negotiation(
        actor=actor_of(request), procurement_id=procurement_id
    )
    return list(selectors.reduction_list(procurement=procurement))


@router.post(
    "/negotiation/procurements/{procurement_id}/reductions",
    response={201: ReductionOut, **ERRORS},
    url_name="negotiation_reduce",
)
def reduce(request: HttpRequest, procurement_id: int, payload: ReductionIn) -> Status:
    """Score the remaining tenders against the published award criteria; keep the best."""
    reduction = services.tenders_reduce(
        actor=actor_of(request),
        procurement_id=procurement_id,
        round_id=payload.round_id,
        scores=payload.tender_scores(),
        keep=payload.keep,
        justification=payload.justification,
        now=now(),
    )
    return Status(201, reduction)
