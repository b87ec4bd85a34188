"""The letter rejecting a tender as abnormally low, after its explanation was assessed."""

from dataclasses import dataclass
from decimal import Decimal

from .._content import Document, Paragraph
from ..wording import money

KIND = "tender_rejected"


@dataclass(frozen=True)
class Rejection:
    authority: str
    tenderer: str
    reference: str
    title: str
    price: Decimal
    flag: str  # why the price appeared abnormally low
    reasons: str  # why the explanation did not satisfy the authority
    law: str  # the provision the rejection rests on


def build(rejection: Rejection) -> Document:
    return Document(
        kind=KIND,
        subject="Your tender is rejected as abnormally low",
        blocks=(
            Paragraph(
                f"{rejection.authority} asked {rejection.tenderer} to explain the price of its"
                f" tender for {rejection.reference} {rejection.title}, {money(rejection.price)},"
                f" which appeared abnormally low: {rejection.flag}"
            ),
            Paragraph(
                "Having assessed the explanation, the authority rejects the tender"
                f" ({rejection.law}). The reasons:"
            ),
            Paragraph(rejection.reasons),
        ),
        facts={
            "price": str(rejection.price),
            "flag": rejection.flag,
            "reasons": rejection.reasons,
            "law": rejection.law,
        },
    )
