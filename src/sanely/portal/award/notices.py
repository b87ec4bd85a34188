"""
The decision notice each supplier is sent, written only from the record: the published award
criteria, the signed-off evaluation outcomes, the supplier's standing and reason, the
standstill the rulebook computes, and who to contact. The facts are gathered here; the notice
is built and worded by `sanely.documents.letters.award_decision`.
"""

from dataclasses import dataclass

from sanely.documents import Document
from sanely.documents.letters import award_decision as notice
from sanely.portal.accounts.models import User
from sanely.portal.competition.models import Participant, Standing
from sanely.portal.evaluation.models import EvaluationOutcome
from sanely.portal.procurements.design import section
from sanely.portal.procurements.models import Procurement

from .selectors import Standstill

POINTS = ("criterion", "kind", "weight", "points", "explanation", "reasons")


@dataclass(frozen=True)
class Record:
    """What every notice of one procurement shares."""

    procurement: Procurement
    regime: str
    summary: bool  # PA 2023 calls the notice an assessment summary
    outcomes: list[EvaluationOutcome]
    standstill: Standstill
    contact: User


def tenderer_notice(record: Record, outcome: EvaluationOutcome) -> Document:
    """The notice to a tenderer whose tender was evaluated, with its points."""
    result = notice.SUCCESSFUL if outcome.recommended else notice.UNSUCCESSFUL
    tender = notice.Tender(_points(outcome), outcome.total, outcome.rank)
    return notice.build(_decision(record, outcome.tenderer.name, result, tender, ""))


def candidate_notice(record: Record, participant: Participant) -> Document:
    """The notice to a candidate left out at an earlier stage, with its reason."""
    return notice.build(
        _decision(
            record,
            participant.organisation.name,
            participant.standing,
            None,
            _participant_reason(participant),
        )
    )


def _decision(
    record: Record, recipient: str, result: str, tender: notice.Tender | None, reason: str
) -> notice.Decision:
    procurement, standstill, contact = record.procurement, record.standstill, record.contact
    return notice.Decision(
        summary=record.summary,
        regime=record.regime,
        reference=procurement.reference,
        title=procurement.title,
        authority=procurement.organisation.name,
        recipient=recipient,
        result=result,
        tender=tender,
        reason=reason,
        tenders_ranked=len(record.outcomes),
        criteria=_criteria(procurement),
        successful=tuple(
            notice.Winner(o.tenderer.name, o.total, _points(o), o.strengths)
            for o in record.outcomes
            if o.recommended
        ),
        standstill=notice.Standstill(
            standstill.last_day,
            standstill.ends_at,
            standstill.meaning,
            standstill.rule,
            standstill.citation,
        ),
        contact=notice.Contact(contact.full_name, contact.email, procurement.organisation.name),
    )


def _criteria(procurement: Procurement) -> tuple[notice.Criterion, ...]:
    return tuple(
        notice.Criterion(
            c.name,
            c.kind,
            c.weight,
            tuple(notice.SubCriterion(s.name, s.weight) for s in c.sub_criteria),
        )
        for c in section(procurement.design, "award").criteria
    )


def _points(outcome: EvaluationOutcome) -> tuple[notice.Points, ...]:
    return tuple(
        notice.Points(*(str(line.get(key, "")) for key in POINTS)) for line in outcome.breakdown
    )


def _participant_reason(participant: Participant) -> str:
    if participant.reason.strip():
        return participant.reason.strip()
    label = Standing(participant.standing).label
    return f"{label}. No further reason was recorded."
