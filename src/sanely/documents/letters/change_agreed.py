"""
The letter to a partner recording a change to its contract agreed with it: what changed, why,
the lawful ground and its citation, the value and term before and after, the day it takes
effect and the version of the agreed plan that now holds.
"""

from dataclasses import dataclass
from datetime import date

from .._content import Document, Json, KeyValues, Paragraph, Section
from ..wording import uk_date
from . import change, partner
from .change import Ground, TermChange, ValueChange
from .partner import ToPartner

KIND = "change_agreed"


@dataclass(frozen=True)
class Agreed:
    to: ToPartner
    change: str  # what changed, in words
    reason: str  # why it was needed
    ground: Ground
    value: ValueChange | None  # None when the value did not change
    term: TermChange | None  # None when the term did not change
    effective_on: date
    version: int  # the plan version the change made


def build(agreed: Agreed) -> Document:
    to = agreed.to
    figures = change.pairs(agreed.ground, agreed.value, agreed.term)
    return partner.letter(
        KIND,
        "Change to your contract",
        to,
        (
            Paragraph(
                f"{to.authority} records the change to the contract with {to.partner} agreed with"
                f" you. It takes effect on {uk_date(agreed.effective_on)}, and version"
                f" {agreed.version} of your agreed plan now holds: the earlier versions stay on"
                " record."
            ),
            Section("What changed", (Paragraph(agreed.change),)),
            Section("Why", (Paragraph(agreed.reason),)),
            Section("The lawful ground and the figures", (KeyValues(tuple(figures)),)),
        ),
        "this change",
        _facts(agreed),
    )


def _facts(agreed: Agreed) -> dict[str, Json]:
    return {
        "change": agreed.change,
        "reason": agreed.reason,
        "ground": change.ground_facts(agreed.ground),
        "value": change.value_facts(agreed.value),
        "term": change.term_facts(agreed.term),
        "effective_on": agreed.effective_on.isoformat(),
        "version": agreed.version,
    }
