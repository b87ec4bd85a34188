"""The notice that the procurement documents have changed, and what became of the deadline."""

from dataclasses import dataclass
from datetime import datetime

from .._content import Document, Paragraph
from ..wording import uk_instant

KIND = "document_revision"


@dataclass(frozen=True)
class Revision:
    revision: int  # the revision's id in the portal
    title: str
    summary: str
    extended_to: datetime | None  # the new deadline, if the revision extended it
    justification: str  # why the deadline is unchanged, if it is


def build(revision: Revision) -> Document:
    deadline = (
        f"The deadline is extended to {uk_instant(revision.extended_to)}."
        if revision.extended_to
        else f"The deadline is unchanged: {revision.justification}"
    )
    return Document(
        kind=KIND,
        subject=f"Documents revised: {revision.title}"[:200],
        blocks=(
            Paragraph("The procurement documents have changed."),
            Paragraph(revision.summary),
            Paragraph(deadline),
        ),
        facts={"revision": revision.revision},
    )
