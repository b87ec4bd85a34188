"""
The notice of a gate decision to one partner, after a phase: the decision (continue, the
contract ended at the gate, the partnership ended, or on to the purchase), the panel's reasons,
each intermediate target's verdict with the evidence engine's sentence, the phase's spend
against its maximum, what happens next and by when, and the right to make representations
where the route gives one.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Literal

from .._content import Block, Document, Json, Paragraph, Section, Table
from ..wording import money, uk_date
from . import partner
from .partner import Representations, ToPartner

KIND = "gate_decision"

Decision = Literal["continue", "contract_ended", "partnership_terminated", "purchase"]
Verdict = Literal["met", "partly met", "not met", "inconclusive"]  # the evidence engine's words


@dataclass(frozen=True)
class TargetResult:
    """An intermediate target of the phase, its verdict and the evidence engine's sentence."""

    target: str
    verdict: Verdict
    sentence: str


@dataclass(frozen=True)
class Spend:
    """What the phase has paid the partner so far, against the phase's maximum value."""

    spent: Decimal
    maximum: Decimal


@dataclass(frozen=True)
class Option:
    """The gate option the procurement documents announced, on which a contract ends."""

    announced: str  # where it was announced: "the invitation to tender, section 7.2"
    conditions: str  # the conditions announced for using it
    citation: str  # the provision that allows it only when announced


@dataclass(frozen=True)
class Gate:
    """The decision at one gate, as one partner is told it."""

    to: ToPartner
    phase: str
    decision: Decision
    reasons: str  # the panel's reasons
    targets: tuple[TargetResult, ...]
    spend: Spend
    next_steps: str
    next_by: date | None  # when the next step is due, if it has a date
    option: Option | None  # the announced option, when the contract or partnership ends
    representations: Representations | None  # where the route gives the right


DECIDED: dict[Decision, str] = {
    "continue": "{partner} continues into the next phase of the innovation partnership.",
    "contract_ended": "the contract with {partner} ends at this gate, under the option the"
    " procurement documents announced. The partnership continues with the other partners.",
    "partnership_terminated": "the innovation partnership ends at this gate, under the option"
    " the procurement documents announced: the contract with {partner} ends, as does every other"
    " partner's.",
    "purchase": "the partnership proceeds to the purchase of the solution {partner} developed,"
    " once the agreed performance levels and maximum cost are confirmed.",
}


def build(gate: Gate) -> Document:
    return partner.letter(
        KIND,
        f"Gate decision after {gate.phase}",
        gate.to,
        _body(gate),
        "this decision",
        _facts(gate),
    )


def _body(gate: Gate) -> list[Block]:
    to = gate.to
    decided = DECIDED[gate.decision].format(partner=to.partner)
    body: list[Block] = [
        Paragraph(f"{to.authority} has reviewed {gate.phase} and decided that {decided}"),
        Section("The panel's reasons", (Paragraph(gate.reasons),)),
        Section(
            "The intermediate targets",
            (
                Table(
                    "",
                    ("Target", "Verdict", "What the evidence shows"),
                    tuple((t.target, t.verdict, t.sentence) for t in gate.targets),
                ),
            ),
        ),
        Section("Spend in this phase", (Paragraph(_spend(gate)),)),
    ]
    if option := gate.option:
        body.append(
            Section(
                "The option announced",
                (
                    Paragraph(
                        f"The option was announced in {option.announced} ({option.citation})."
                        f" Its conditions: {option.conditions}"
                    ),
                ),
            )
        )
    by = f" Due by {uk_date(gate.next_by)}." if gate.next_by else ""
    body.append(Section("What happens next", (Paragraph(f"{gate.next_steps}{by}"),)))
    if gate.representations:
        body.append(partner.representations(gate.representations, "this decision"))
    return body


def _spend(gate: Gate) -> str:
    spend = gate.spend
    return (
        f"{money(spend.spent)} paid of the phase's maximum of {money(spend.maximum)}:"
        f" {money(spend.maximum - spend.spent)} not spent."
    )


def _facts(gate: Gate) -> dict[str, Json]:
    option = gate.option
    return {
        "phase": gate.phase,
        "decision": gate.decision,
        "reasons": gate.reasons,
        "targets": [
            {"target": t.target, "verdict": t.verdict, "sentence": t.sentence} for t in gate.targets
        ],
        "spend": {"spent": str(gate.spend.spent), "maximum": str(gate.spend.maximum)},
        "next_steps": gate.next_steps,
        "next_by": gate.next_by.isoformat() if gate.next_by else None,
        "option": {
            "announced": option.announced,
            "conditions": option.conditions,
            "citation": option.citation,
        }
        if option
        else None,
        "representations": partner.representations_facts(gate.representations),
    }
