"""
The letter refusing a partner's claim: the reasons, the instalment's condition that is not met,
and how the partner may claim the instalment again.
"""

from dataclasses import dataclass

from .._content import Document, Paragraph, Section
from ..wording import sentence
from . import claim as claims
from .claim import Claim

KIND = "claim_rejected"


@dataclass(frozen=True)
class Rejection:
    claim: Claim
    reasons: str
    condition: str  # the instalment's condition, as the contract words it, that is not met


def build(rejection: Rejection) -> Document:
    claim = rejection.claim
    return claims.letter(
        KIND,
        "Claim refused",
        claim,
        (
            Paragraph(sentence(f"{claim.to.authority} refuses {claims.described(claim)}")),
            Section("The reasons", (Paragraph(rejection.reasons),)),
            Section(
                "The condition not met",
                (Paragraph(f"The contract pays this instalment when: {rejection.condition}"),),
            ),
            Section(
                "Claiming again",
                (
                    Paragraph(
                        "You may claim this instalment again once its condition is met, with the"
                        " evidence that shows it, or once a gate decision approves the instalment"
                        " with its reasons."
                    ),
                ),
            ),
        ),
        {"reasons": rejection.reasons, "condition": rejection.condition},
    )
