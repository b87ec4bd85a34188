"""
The letters the shortlist decision sends: an invitation to tender, or a regret letter with
the reasons (the criteria failed with the assessors' reasons, or the rank and points against
the range invited). Each letter's `content` holds the facts it was written from.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.urls import reverse

from sanely.portal.accounts.models import Organisation
from sanely.portal.accounts.selectors import Actor
from sanely.portal.competition.services import letter_send
from sanely.portal.procurements.models import Procurement

from .selectors import Board, number

INVITATION = "invitation_to_tender"
REGRET = "regret"


@dataclass(frozen=True)
class Draft:
    """A letter ready to send, and the reason recorded with the candidate's standing."""

    kind: str
    subject: str
    body: str
    content: dict[str, Any]
    reason: str

    def send(
        self, *, actor: Actor, procurement: Procurement, recipient: Organisation, now: datetime
    ) -> None:
        letter_send(
            actor=actor, procurement=procurement, recipient=recipient, kind=self.kind,
            subject=self.subject, body=self.body, content=self.content, now=now,
        )  # fmt: skip


def _marks(board: Board, candidate: Organisation) -> list[dict[str, Any]]:
    """Each criterion with the candidate's mark, whether it was met, and the assessor's reason."""
    failed = board.failed(candidate)
    facts = []
    for criterion in board.criteria:
        mark = board.marks[(candidate.pk, criterion.name)]  # none is missing once proposed
        facts.append(
            {
                "criterion": criterion.name,
                "assessment": criterion.assessment,
                "weight": number(criterion.weight),
                "minimum_score": number(criterion.minimum_score),
                "scale_max": board.scale_max,
                "passed": mark.passed,
                "score": None if mark.score is None else number(mark.score),
                "met": criterion.name not in failed,
                "reason": mark.reason,
            }
        )
    return facts


def _content(board: Board, candidate: Organisation) -> dict[str, Any]:
    outcome = board.outcome(candidate)
    return {
        "criteria": _marks(board, candidate),
        "qualified": outcome["qualified"],
        "total": str(outcome["total"]),
        "rank": outcome["rank"],
        "qualifying": len(board.ranking),
        "invited": bool(outcome["invited"]),
        "reason": outcome["reason"],
        "shortlist_reason": board.reason,
    }


def _standing(content: dict[str, Any]) -> str:
    return (
        f"ranked {content['rank']} of {content['qualifying']} qualifying candidates with"
        f" {content['total']} points"
    )


def _mark_line(fact: dict[str, Any]) -> str:
    if fact["assessment"] == "pass_fail":
        mark = "met" if fact["passed"] else "not met"
    else:
        mark = (
            f"{fact['score']} of {fact['scale_max']} (weight {fact['weight']}, minimum"
            f" {fact['minimum_score']})"
        )
    return f"- {fact['criterion']}: {mark}. Assessors' reason: {fact['reason']}"


def _all_marks(content: dict[str, Any]) -> str:
    lines = "\n".join(_mark_line(fact) for fact in content["criteria"])
    return (
        f"Your marks against every selection criterion:\n{lines}\nTotal: {content['total']} points."
    )


def invitation(board: Board, candidate: Organisation) -> Draft:
    """The invitation to tender, and what happens next."""
    procurement = board.procurement
    content = _content(board, candidate)
    opportunity = reverse("tenders:opportunity", kwargs={"procurement_id": procurement.pk})
    body = (
        f"{procurement.organisation.name} invites {candidate.name} to tender for"
        f" {procurement.reference} {procurement.title}.\n\n"
        f"Your request to participate met every selection criterion and {_standing(content)}."
        f" {board.reason}\n\n"
        "Next: the authority will open the tender round. Its deadline and the parts to submit"
        f" will be on the opportunity's page ({opportunity}), and you will be sent a letter"
        f" when it opens. Only invited candidates may tender.\n\n{_all_marks(content)}"
    )
    return Draft(
        INVITATION,
        f"Invitation to tender: {procurement.title}",
        body,
        content,
        f"Invited to tender: {_standing(content)}.",
    )


def regret(board: Board, candidate: Organisation) -> Draft:
    """The regret letter: why not, with the criteria failed and the assessors' reasons."""
    procurement = board.procurement
    content = _content(board, candidate)
    failed = [fact for fact in content["criteria"] if not fact["met"]]
    detail = ""
    if failed:
        detail = "\n\nThe criteria not met:\n" + "\n".join(_mark_line(fact) for fact in failed)
    body = (
        f"Thank you for requesting to participate in {procurement.reference}"
        f" {procurement.title}. {procurement.organisation.name} has decided not to invite"
        f" {candidate.name} to tender.\n\n{content['reason']}{detail}\n\n{_all_marks(content)}"
    )
    return Draft(
        REGRET,
        f"Not selected to tender: {procurement.title}",
        body,
        content,
        content["reason"],
    )
