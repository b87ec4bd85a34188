"""
What the letters about a partner's claim for an instalment share: the claim as the partner
submitted it, named by its instalment and the day it came in, and the facts each one states.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .._content import Block, Document, Json
from ..wording import money, uk_date
from . import partner
from .partner import ToPartner


@dataclass(frozen=True)
class Claim:
    """A partner's claim for one instalment of its contract."""

    to: ToPartner
    instalment: str
    phase: str
    amount: Decimal
    submitted_on: date


def described(claim: Claim) -> str:
    """The claim as the partner will recognise it."""
    return (
        f"your claim of {uk_date(claim.submitted_on)} for {money(claim.amount)}, the instalment"
        f" '{claim.instalment}' of {claim.phase}"
    )


def letter(
    kind: str,
    what: str,
    claim: Claim,
    body: Sequence[Block],
    facts: dict[str, Json],
    about: str = "this claim",
) -> Document:
    """A letter about the claim, named after its instalment, stating the claim's facts first."""
    what = f"{what}: {claim.instalment}"
    return partner.letter(kind, what, claim.to, body, about, {**_facts(claim), **facts})


def _facts(claim: Claim) -> dict[str, Json]:
    return {
        "instalment": claim.instalment,
        "phase": claim.phase,
        "amount": str(claim.amount),
        "submitted_on": claim.submitted_on.isoformat(),
    }
