"""The email with a link to choose a new password."""

from dataclasses import dataclass

from .._content import Document, Paragraph

KIND = "password_reset"


@dataclass(frozen=True)
class Reset:
    service: str
    link: str


def build(reset: Reset) -> Document:
    # The link is a secret: it is in the text sent, never in the facts kept.
    return Document(
        kind=KIND,
        subject=f"Reset your password for {reset.service}",
        blocks=(
            Paragraph(f"Use this link to choose a new password: {reset.link}"),
            Paragraph("If you did not ask for this, you can ignore this email."),
        ),
    )
