"""The letter that tells a supplier a round of requests or tenders is open, and how to submit."""

from dataclasses import dataclass
from datetime import datetime

from .._content import BulletList, Document, Paragraph, Section
from ..wording import uk_instant

KIND = "round_invitation"


@dataclass(frozen=True)
class RoundOpen:
    authority: str
    recipient: str
    reference: str
    title: str
    round: str  # the round's reference in the portal
    label: str  # "Tender round 1", "Requests to participate"
    deadline: datetime
    final: bool
    parts: tuple[str, ...]


def build(opened: RoundOpen) -> Document:
    deadline = uk_instant(opened.deadline)
    return Document(
        kind=KIND,
        subject=f"{opened.label}: open until {deadline}",
        blocks=(
            Paragraph(
                f"{opened.authority} invites {opened.recipient} to submit {opened.label.lower()}"
                f" for {opened.reference} {opened.title}."
            ),
            Paragraph(f"Deadline: {deadline}. Submissions after it are refused."),
            Section(
                "Submit each part on its own, on the opportunity's page:",
                (BulletList(opened.parts),),
            ),
            Paragraph(
                "Each part is sealed until the deadline has passed and two people of the"
                " authority have opened the round; you get a signed receipt for each."
            ),
        ),
        facts={
            "round": opened.round,
            "deadline": opened.deadline.isoformat(),
            "final": opened.final,
            "parts": list(opened.parts),
        },
    )
