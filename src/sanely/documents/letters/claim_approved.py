"""
The letter approving a partner's claim: the amount, the instalment, and when the payment is
due under the regime's payment term (Procurement Act 2023 s.68, PCR 2015 reg 113), as the
caller works it out from the rulebook.
"""

from dataclasses import dataclass
from datetime import date

from .._content import Document, Paragraph, Section
from ..wording import sentence, uk_date
from . import claim as claims
from .claim import Claim

KIND = "claim_approved"


@dataclass(frozen=True)
class PaymentDue:
    """When the approved sum must be paid, and the term of the law that says so."""

    due: date | None  # None until the invoice that starts the period is received
    rule: str  # the term in words: "within 30 days of the day your invoice is received"
    citation: str


@dataclass(frozen=True)
class Approval:
    claim: Claim
    approved_on: date
    payment: PaymentDue


def build(approval: Approval) -> Document:
    claim, payment = approval.claim, approval.payment
    if payment.due:
        when = f"The payment is due by {uk_date(payment.due)}: {payment.rule} ({payment.citation})."
    else:
        when = (
            "Send your invoice for this sum if you have not yet: the payment is due"
            f" {payment.rule} ({payment.citation})."
        )
    approved = (
        f"On {uk_date(approval.approved_on)}, {claim.to.authority} approved"
        f" {claims.described(claim)}"
    )
    return claims.letter(
        KIND,
        "Claim approved",
        claim,
        (Paragraph(sentence(approved)), Section("Payment", (Paragraph(when),))),
        {
            "approved_on": approval.approved_on.isoformat(),
            "payment": {
                "due": payment.due.isoformat() if payment.due else None,
                "rule": payment.rule,
                "citation": payment.citation,
            },
        },
    )
