"""The email telling a person they were added to an organisation, with a link to set a password."""

from dataclasses import dataclass

from .._content import Block, Document, Paragraph

KIND = "membership_added"


@dataclass(frozen=True)
class Added:
    service: str
    organisation: str
    added_by: str
    role: str  # as people read it: "Procurement lead"
    password_link: str  # empty for someone who already has a password


def build(added: Added) -> Document:
    blocks: list[Block] = [
        Paragraph(
            f"{added.added_by} added you to {added.organisation} on {added.service} as"
            f" {added.role}."
        )
    ]
    if added.password_link:
        blocks.append(Paragraph(f"Set your password here: {added.password_link}"))
    return Document(
        kind=KIND,
        subject=f"You have been added to {added.organisation}",
        blocks=tuple(blocks),
        facts={"organisation": added.organisation, "role": added.role},
    )
