"""
The notice that a claim has been paid: the sum, the day, the partner's invoice it settles, and
whether it was paid by its due date.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .._content import Document, Paragraph
from ..wording import money, plural, sentence, uk_date
from . import claim as claims
from .claim import Claim

KIND = "payment_made"


@dataclass(frozen=True)
class Payment:
    claim: Claim
    paid: Decimal
    paid_on: date
    invoice: str  # the partner's own invoice number
    due: date


def build(payment: Payment) -> Document:
    claim = payment.claim
    late = (payment.paid_on - payment.due).days
    paid = (
        f"{claim.to.authority} paid {money(payment.paid)} on {uk_date(payment.paid_on)} against"
        f" your invoice {payment.invoice}, for {claims.described(claim)}"
    )
    timing = f"{plural(late, 'day')} late" if late > 0 else "on time"
    return claims.letter(
        KIND,
        "Payment made",
        claim,
        (Paragraph(f"{sentence(paid)} It was due by {uk_date(payment.due)}, and paid {timing}."),),
        {
            "paid": str(payment.paid),
            "paid_on": payment.paid_on.isoformat(),
            "invoice": payment.invoice,
            "due": payment.due.isoformat(),
        },
        about="this payment",
    )
