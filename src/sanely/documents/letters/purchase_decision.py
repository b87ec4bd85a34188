"""
The letter telling a partner the authority will buy what it developed, without a new
competition: each performance level agreed in the contract with the recorded evidence that
meets it, the price against the maximum cost, and what is bought.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .._content import Document, Json, Paragraph, Section, Table
from ..wording import money, uk_date
from . import partner
from .partner import ToPartner

KIND = "purchase_decision"


@dataclass(frozen=True)
class LevelMet:
    """An agreed performance level and the evidence, named, that meets it."""

    level: str
    evidence: str  # "the verdict on the target 'Waiting time': met, 12 March 2028"


@dataclass(frozen=True)
class Purchase:
    to: ToPartner
    solution: str  # what is bought
    levels: tuple[LevelMet, ...]
    price: Decimal
    maximum_cost: Decimal
    citation: str  # the provision allowing the purchase without a new competition
    starts_on: date
    next_steps: str


def build(purchase: Purchase) -> Document:
    to = purchase.to
    return partner.letter(
        KIND,
        "Decision to purchase",
        to,
        (
            Paragraph(
                f"{to.authority} has decided to buy from {to.partner}, without a new competition"
                f" ({purchase.citation}): {purchase.solution}"
            ),
            Paragraph(
                "It may do so because every performance level agreed in the contract is met by"
                " recorded evidence, and the price is within the maximum cost agreed."
            ),
            Section(
                "The performance levels and their evidence",
                (
                    Table(
                        "",
                        ("Performance level", "Met by"),
                        tuple((met.level, met.evidence) for met in purchase.levels),
                    ),
                ),
            ),
            Section("The price", (Paragraph(_price(purchase)),)),
            Section(
                "What happens next",
                (
                    Paragraph(
                        f"The purchase starts on {uk_date(purchase.starts_on)}."
                        f" {purchase.next_steps}"
                    ),
                ),
            ),
        ),
        "this decision",
        _facts(purchase),
    )


def _price(purchase: Purchase) -> str:
    price, maximum = purchase.price, purchase.maximum_cost
    within = (
        "equal to the maximum cost agreed"
        if price == maximum
        else f"{money(maximum - price)} below the maximum cost agreed of {money(maximum)}"
    )
    return f"The purchase price is {money(price)}, {within}."


def _facts(purchase: Purchase) -> dict[str, Json]:
    return {
        "solution": purchase.solution,
        "levels": [{"level": m.level, "evidence": m.evidence} for m in purchase.levels],
        "price": str(purchase.price),
        "maximum_cost": str(purchase.maximum_cost),
        "citation": purchase.citation,
        "starts_on": purchase.starts_on.isoformat(),
        "next_steps": purchase.next_steps,
    }
