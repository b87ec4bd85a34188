"""
The decision notice each supplier is sent, written only from the record: the published award
criteria, the signed-off evaluation outcomes, the supplier's standing and reason, the
standstill the rulebook computes, and who to contact. `content` holds the facts; the letter's
body is written from `content`, so the two never disagree.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sanely.portal.accounts.models import Organisation, User
from sanely.portal.competition.models import Participant, Standing
from sanely.portal.evaluation.models import EvaluationOutcome
from sanely.portal.procurements.design import section
from sanely.portal.procurements.models import Procurement

from .selectors import Standstill


@dataclass(frozen=True)
class Decision:
    """What every notice of one procurement shares."""

    procurement: Procurement
    regime: str
    summary: bool  # PA 2023 calls the notice an assessment summary
    outcomes: list[EvaluationOutcome]
    standstill: Standstill
    contact: User

    @property
    def successful(self) -> list[EvaluationOutcome]:
        return [o for o in self.outcomes if o.recommended]

    @property
    def notice_name(self) -> str:
        return "Assessment summary" if self.summary else "Award decision notice"


def _criteria(procurement: Procurement) -> list[dict[str, Any]]:
    return [
        {
            "name": c.name,
            "kind": c.kind,
            "weight": str(c.weight),
            "sub_criteria": [{"name": s.name, "weight": str(s.weight)} for s in c.sub_criteria],
        }
        for c in section(procurement.design, "award").criteria
    ]


def _points(outcome: EvaluationOutcome) -> list[dict[str, Any]]:
    keys = ("criterion", "kind", "weight", "points", "explanation", "reasons")
    return [{k: str(line.get(k, "")) for k in keys} for line in outcome.breakdown]


def _tenderer_reason(outcome: EvaluationOutcome, decision: Decision) -> str:
    if outcome.recommended:
        return ""
    winners = decision.successful
    lowest = min((w.total for w in winners), default=Decimal(0))
    return (
        f"Your tender ranked {outcome.rank} of {len(decision.outcomes)} with {outcome.total}"
        f" points. The successful tenders scored {lowest} points or more: see their points and"
        " their relative advantages above."
    )


def _participant_reason(participant: Participant) -> str:
    if participant.reason.strip():
        return participant.reason.strip()
    label = Standing(participant.standing).label
    return f"{label}. No further reason was recorded."


def tenderer_content(decision: Decision, outcome: EvaluationOutcome) -> dict[str, Any]:
    """The facts of the notice to a tenderer whose tender was evaluated."""
    result = "successful" if outcome.recommended else "unsuccessful"
    return _content(
        decision, outcome.tenderer, result, _tenderer_reason(outcome, decision), outcome
    )


def candidate_content(decision: Decision, participant: Participant) -> dict[str, Any]:
    """The facts of the notice to a candidate left out at an earlier stage, with its reason."""
    return _content(
        decision, participant.organisation, participant.standing, _participant_reason(participant)
    )


def _content(
    decision: Decision,
    recipient: Organisation,
    result: str,
    reasons: str,
    outcome: EvaluationOutcome | None = None,
) -> dict[str, Any]:
    standstill = decision.standstill
    return {
        "notice": decision.notice_name,
        "regime": decision.regime,
        "recipient": recipient.name,
        "result": result,
        "criteria": _criteria(decision.procurement),
        "your_points": _points(outcome) if outcome else [],
        "your_total": str(outcome.total) if outcome else None,
        "your_rank": outcome.rank if outcome else None,
        "tenders_ranked": len(decision.outcomes),
        "successful": [
            {"name": w.tenderer.name, "total": str(w.total), "points": _points(w)}
            for w in decision.successful
        ],
        "characteristics": [
            {"name": w.tenderer.name, "strengths": w.strengths} for w in decision.successful
        ],
        "reasons": reasons,
        "standstill": {
            "last_day": standstill.last_day.isoformat(),
            "ends_at": standstill.ends_at.isoformat(),
            "meaning": standstill.meaning,
            "rule": standstill.rule,
            "citation": standstill.citation,
        },
        "contact": {
            "name": decision.contact.full_name,
            "email": decision.contact.email,
            "organisation": decision.procurement.organisation.name,
        },
    }


def _criterion_line(c: dict[str, Any]) -> str:
    subs = ", ".join(f"{s['name']} {s['weight']}%" for s in c["sub_criteria"])
    return f"- {c['name']} ({c['kind'].replace('_', ' ')}): {c['weight']}%" + (
        f"; within it: {subs}" if subs else ""
    )


def _opening(content: dict[str, Any], authority: str) -> str:
    names = ", ".join(s["name"] for s in content["successful"])
    told = {
        "successful": "Your tender is successful: we intend to conclude a partner contract with"
        " you once the standstill has ended.",
        "unsuccessful": "Your tender was not successful.",
    }.get(content["result"], "You are not among the successful tenderers.")
    return f"{authority} has decided to award the innovation partnership to: {names}.\n{told}"


def decision_body(content: dict[str, Any], procurement: Procurement) -> str:
    """The letter, paragraph by paragraph, from `content` alone."""
    paragraphs = [
        f"{content['notice']}: {procurement.reference} {procurement.title}",
        _opening(content, procurement.organisation.name),
        "The award criteria and their weights\n"
        + "\n".join(_criterion_line(c) for c in content["criteria"]),
    ]
    if content["your_points"]:
        paragraphs.append(
            "Your tender's points\n"
            + "\n".join(
                f"- {p['criterion']}: {p['points']} ({p['explanation']})"
                for p in content["your_points"]
            )
            + f"\nTotal: {content['your_total']} points, ranked {content['your_rank']}"
            f" of {content['tenders_ranked']}."
        )
    paragraphs.append(
        "The successful tenders\n"
        + "\n".join(
            f"- {s['name']}: {s['total']} points ("
            + ", ".join(f"{p['criterion']} {p['points']}" for p in s["points"])
            + ")"
            for s in content["successful"]
        )
    )
    paragraphs.append(
        "Characteristics and relative advantages of the successful tenders\n"
        + "\n".join(f"- {c['name']}: {c['strengths']}" for c in content["characteristics"])
    )
    if content["reasons"]:
        paragraphs.append(f"Why you were not successful\n{content['reasons']}")
    standstill = content["standstill"]
    last_day = date.fromisoformat(standstill["last_day"])
    paragraphs.append(
        f"Standstill\nNo contract will be concluded before the standstill ends at midnight at"
        f" the end of {last_day.day} {last_day:%B %Y}, UK time ({standstill['citation']})."
        f" {standstill['meaning']}"
    )
    contact = content["contact"]
    paragraphs.append(
        f"Contact\nQuestions about this decision: {contact['name']} ({contact['email']}),"
        f" {contact['organisation']}."
    )
    return "\n\n".join(paragraphs)


def decision_subject(decision: Decision) -> str:
    return f"{decision.notice_name}: {decision.procurement.title}"[:200]
