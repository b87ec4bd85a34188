"""The invitation to tender a shortlisted candidate is sent, and what happens next."""

from .._content import Document, Paragraph
from .shortlist import Shortlisted, all_marks, facts

KIND = "invitation_to_tender"


def build(shortlisted: Shortlisted) -> Document:
    return Document(
        kind=KIND,
        subject=f"Invitation to tender: {shortlisted.title}",
        blocks=(
            Paragraph(
                f"{shortlisted.authority} invites {shortlisted.candidate} to tender for"
                f" {shortlisted.reference} {shortlisted.title}."
            ),
            Paragraph(
                "Your request to participate met every selection criterion and"
                f" {shortlisted.standing()}. {shortlisted.shortlist_reason}"
            ),
            Paragraph(
                "Next: the authority will open the tender round. Its deadline and the parts to"
                f" submit will be on the opportunity's page ({shortlisted.opportunity}), and you"
                " will be sent a letter when it opens. Only invited candidates may tender."
            ),
            all_marks(shortlisted),
        ),
        facts=facts(shortlisted),
    )
