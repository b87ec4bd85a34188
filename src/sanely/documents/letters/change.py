"""
What the notices and the letter about a change to a contract share: the lawful ground the
change rests on, and the contract's value and term before and after it.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .._content import Json
from ..wording import money, uk_date


@dataclass(frozen=True)
class Ground:
    """The ground in law that permits the change, and why the change falls within it."""

    name: str  # "unforeseeable circumstances"
    citation: str  # "Procurement Act 2023 s.74(1)(a), Schedule 8 paragraph 4"
    explanation: str


@dataclass(frozen=True)
class ValueChange:
    """The contract's estimated value before and after the change."""

    before: Decimal
    after: Decimal


@dataclass(frozen=True)
class TermChange:
    """The day the contract's term ends, before and after the change."""

    before: date
    after: date


def pairs(
    ground: Ground, value: ValueChange | None, term: TermChange | None
) -> list[tuple[str, str]]:
    """The ground and the figures that changed, as labelled values."""
    labelled = [
        ("Ground", f"{ground.name} ({ground.citation})"),
        ("Why the change falls within it", ground.explanation),
    ]
    if value:
        labelled.append(("Estimated value", _value_line(value)))
    if term:
        labelled.append(("Term", _term_line(term)))
    return labelled


def _value_line(value: ValueChange) -> str:
    difference = value.after - value.before
    sign = "+" if difference > 0 else ""
    return f"{money(value.before)} before, {money(value.after)} after ({sign}{money(difference)})"


def _term_line(term: TermChange) -> str:
    return f"ends {uk_date(term.before)} before, {uk_date(term.after)} after"


def ground_facts(ground: Ground) -> dict[str, Json]:
    return {"name": ground.name, "citation": ground.citation, "explanation": ground.explanation}


def value_facts(value: ValueChange | None) -> Json:
    return {"before": str(value.before), "after": str(value.after)} if value else None


def term_facts(term: TermChange | None) -> Json:
    return {"before": term.before.isoformat(), "after": term.after.isoformat()} if term else None
