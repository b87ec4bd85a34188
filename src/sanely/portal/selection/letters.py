"""
The letters the shortlist decision sends: an invitation to tender, or a regret letter with
the reasons (the criteria failed with the assessors' reasons, or the rank and points against
the range invited). The facts come from the board; the wording is `sanely.documents`'.
"""

from django.urls import reverse

from sanely.documents import Document
from sanely.documents.letters import invitation_to_tender, regret
from sanely.documents.letters.shortlist import Mark, Shortlisted
from sanely.portal.accounts.models import Organisation

from .selectors import Board


def shortlisted(board: Board, candidate: Organisation) -> Shortlisted:
    """One candidate's outcome of the decided shortlist, as its letter states it."""
    procurement = board.procurement
    outcome = board.outcome(candidate)
    return Shortlisted(
        authority=procurement.organisation.name,
        candidate=candidate.name,
        reference=procurement.reference,
        title=procurement.title,
        opportunity=reverse("tenders:opportunity", kwargs={"procurement_id": procurement.pk}),
        marks=_marks(board, candidate),
        qualified=bool(outcome["qualified"]),
        total=outcome["total"],
        rank=outcome["rank"],
        qualifying=len(board.ranking),
        invited=bool(outcome["invited"]),
        reason=outcome["reason"],
        shortlist_reason=board.reason,
    )


def _marks(board: Board, candidate: Organisation) -> tuple[Mark, ...]:
    """Each criterion with the candidate's mark, whether it was met, and the assessor's reason."""
    failed = board.failed(candidate)
    marks = []
    for criterion in board.criteria:
        mark = board.marks[(candidate.pk, criterion.name)]  # none is missing once proposed
        marks.append(
            Mark(
                criterion=criterion.name,
                assessment=criterion.assessment,
                weight=criterion.weight,
                minimum_score=criterion.minimum_score,
                scale_max=board.scale_max,
                passed=mark.passed,
                score=mark.score,
                met=criterion.name not in failed,
                reason=mark.reason,
            )
        )
    return tuple(marks)


def letter(facts: Shortlisted) -> Document:
    """The invitation to tender, or the regret letter with why not."""
    return (invitation_to_tender if facts.invited else regret).build(facts)


def standing_reason(facts: Shortlisted) -> str:
    """The reason recorded with the candidate's standing."""
    return f"Invited to tender: {facts.standing()}." if facts.invited else facts.reason
