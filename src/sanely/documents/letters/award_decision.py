"""
The decision notice every tenderer and every candidate left out is sent (PA 2023 calls it
the assessment summary): the award criteria, the recipient's own points, the successful
tenders and their relative advantages, why the recipient was not successful, the standstill
and who to contact. Its facts are kept as `Letter.content` has held them.
"""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from .._content import Block, BulletList, Document, Heading, Json, Paragraph, Section
from ..wording import uk_date

KIND = "award_decision"
SUCCESSFUL = "successful"
UNSUCCESSFUL = "unsuccessful"


@dataclass(frozen=True)
class SubCriterion:
    name: str
    weight: Decimal


@dataclass(frozen=True)
class Criterion:
    """A published award criterion and its weight in percent."""

    name: str
    kind: str
    weight: Decimal
    sub_criteria: tuple[SubCriterion, ...]


@dataclass(frozen=True)
class Points:
    """One line of a tender's signed-off breakdown, as the evaluation recorded it."""

    criterion: str
    kind: str
    weight: str
    points: str
    explanation: str
    reasons: str


@dataclass(frozen=True)
class Tender:
    """A tender as evaluated: its points, total and rank."""

    points: tuple[Points, ...]
    total: Decimal
    rank: int


@dataclass(frozen=True)
class Winner:
    """A successful tender, with the characteristics and relative advantages that won it."""

    name: str
    total: Decimal
    points: tuple[Points, ...]
    strengths: str


@dataclass(frozen=True)
class Standstill:
    last_day: date
    ends_at: datetime
    meaning: str
    rule: str
    citation: str


@dataclass(frozen=True)
class Contact:
    name: str
    email: str
    organisation: str


@dataclass(frozen=True)
class Decision:
    """The decision as one recipient is told it."""

    summary: bool  # PA 2023: the notice is the assessment summary
    regime: str
    reference: str
    title: str
    authority: str
    recipient: str
    result: str  # successful, unsuccessful, or the standing of a candidate left out earlier
    tender: Tender | None  # None for a candidate without an evaluated tender
    reason: str  # why such a candidate was left out; a tenderer's reason is its points
    tenders_ranked: int
    criteria: tuple[Criterion, ...]
    successful: tuple[Winner, ...]
    standstill: Standstill
    contact: Contact

    @property
    def notice(self) -> str:
        return "Assessment summary" if self.summary else "Award decision notice"


def build(decision: Decision) -> Document:
    return Document(
        kind=KIND,
        subject=f"{decision.notice}: {decision.title}"[:200],
        blocks=tuple(_blocks(decision)),
        facts=_facts(decision),
    )


def _blocks(decision: Decision) -> list[Block]:
    blocks: list[Block] = [
        Heading(f"{decision.notice}: {decision.reference} {decision.title}"),
        Paragraph(_opening(decision)),
        Section(
            "The award criteria and their weights",
            (BulletList(tuple(_criterion_line(c) for c in decision.criteria)),),
        ),
    ]
    tender = decision.tender
    if tender and tender.points:
        points = tuple(f"{p.criterion}: {p.points} ({p.explanation})" for p in tender.points)
        ranked = f"ranked {tender.rank} of {decision.tenders_ranked}"
        blocks.append(
            Section(
                "Your tender's points",
                (BulletList(points), Paragraph(f"Total: {tender.total} points, {ranked}.")),
            )
        )
    blocks += [
        Section(
            "The successful tenders", (BulletList(tuple(map(_winner_line, decision.successful))),)
        ),
        Section(
            "Characteristics and relative advantages of the successful tenders",
            (BulletList(tuple(f"{w.name}: {w.strengths}" for w in decision.successful)),),
        ),
    ]
    if reasons := _reasons(decision):
        blocks.append(Section("Why you were not successful", (Paragraph(reasons),)))
    standstill, contact = decision.standstill, decision.contact
    blocks += [
        Section(
            "Standstill",
            (
                Paragraph(
                    "No contract will be concluded before the standstill ends at midnight at the"
                    f" end of {uk_date(standstill.last_day)}, UK time ({standstill.citation})."
                    f" {standstill.meaning}"
                ),
            ),
        ),
        Section(
            "Contact",
            (
                Paragraph(
                    f"Questions about this decision: {contact.name} ({contact.email}),"
                    f" {contact.organisation}."
                ),
            ),
        ),
    ]
    return blocks


def _opening(decision: Decision) -> str:
    names = ", ".join(w.name for w in decision.successful)
    told = {
        SUCCESSFUL: "Your tender is successful: we intend to conclude a partner contract with"
        " you once the standstill has ended.",
        UNSUCCESSFUL: "Your tender was not successful.",
    }.get(decision.result, "You are not among the successful tenderers.")
    return (
        f"{decision.authority} has decided to award the innovation partnership to: {names}.\n{told}"
    )


def _criterion_line(criterion: Criterion) -> str:
    subs = ", ".join(f"{s.name} {s.weight}%" for s in criterion.sub_criteria)
    within = f"; within it: {subs}" if subs else ""
    return f"{criterion.name} ({criterion.kind.replace('_', ' ')}): {criterion.weight}%{within}"


def _winner_line(winner: Winner) -> str:
    points = ", ".join(f"{p.criterion} {p.points}" for p in winner.points)
    return f"{winner.name}: {winner.total} points ({points})"


def _reasons(decision: Decision) -> str:
    if decision.tender is None:
        return decision.reason
    if decision.result == SUCCESSFUL:
        return ""
    lowest = min((w.total for w in decision.successful), default=Decimal(0))
    return (
        f"Your tender ranked {decision.tender.rank} of {decision.tenders_ranked} with"
        f" {decision.tender.total} points. The successful tenders scored {lowest} points or"
        " more: see their points and their relative advantages above."
    )


def _facts(decision: Decision) -> dict[str, Json]:
    tender, standstill, contact = decision.tender, decision.standstill, decision.contact
    return {
        "notice": decision.notice,
        "regime": decision.regime,
        "recipient": decision.recipient,
        "result": decision.result,
        "criteria": [
            {
                "name": c.name,
                "kind": c.kind,
                "weight": str(c.weight),
                "sub_criteria": [{"name": s.name, "weight": str(s.weight)} for s in c.sub_criteria],
            }
            for c in decision.criteria
        ],
        "your_points": _points(tender.points) if tender else [],
        "your_total": str(tender.total) if tender else None,
        "your_rank": tender.rank if tender else None,
        "tenders_ranked": decision.tenders_ranked,
        "successful": [
            {"name": w.name, "total": str(w.total), "points": _points(w.points)}
            for w in decision.successful
        ],
        "characteristics": [
            {"name": w.name, "strengths": w.strengths} for w in decision.successful
        ],
        "reasons": _reasons(decision),
        "standstill": {
            "last_day": standstill.last_day.isoformat(),
            "ends_at": standstill.ends_at.isoformat(),
            "meaning": standstill.meaning,
            "rule": standstill.rule,
            "citation": standstill.citation,
        },
        "contact": {
            "name": contact.name,
            "email": contact.email,
            "organisation": contact.organisation,
        },
    }


def _points(points: tuple[Points, ...]) -> list[Json]:
    return [
        {
            "criterion": p.criterion,
            "kind": p.kind,
            "weight": p.weight,
            "points": p.points,
            "explanation": p.explanation,
            "reasons": p.reasons,
        }
        for p in points
    ]
