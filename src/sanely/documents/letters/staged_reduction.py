"""The letter to a tenderer left out when the tenderers are reduced during negotiation."""

from dataclasses import dataclass

from .._content import Document, Paragraph

KIND = "staged_reduction"


@dataclass(frozen=True)
class Reduced:
    reason: str  # the stage, and the tenderer's rank and points against those kept


def build(reduced: Reduced) -> Document:
    return Document(
        kind=KIND,
        subject="You are not invited to continue negotiating",
        blocks=(
            Paragraph(
                "The tenders were scored against the published award criteria, as the"
                " procurement documents announced, and the number of tenderers reduced."
            ),
            Paragraph(reduced.reason),
            Paragraph("Thank you for taking part."),
        ),
        facts={"reason": reduced.reason},
    )
