"""The email telling everyone concerned that a round's deadline has moved later, and why."""

from dataclasses import dataclass
from datetime import datetime

from .._content import Document, KeyValues, Paragraph
from ..wording import uk_instant

KIND = "deadline_extended"


@dataclass(frozen=True)
class Extension:
    reference: str
    title: str
    label: str  # the round's label
    deadline: datetime
    previous: datetime
    reason: str


def build(extension: Extension) -> Document:
    return Document(
        kind=KIND,
        subject=f"Deadline extended: {extension.title}",
        blocks=(
            Paragraph(
                f"The deadline for {extension.label.lower()} in {extension.reference}"
                f" {extension.title} is now {uk_instant(extension.deadline)} (it was"
                f" {uk_instant(extension.previous)})."
            ),
            KeyValues((("Reason", extension.reason),)),
        ),
        facts={
            "deadline": extension.deadline.isoformat(),
            "previous": extension.previous.isoformat(),
            "reason": extension.reason,
        },
    )
