"""The regret letter a candidate not invited to tender is sent: why not, criterion by criterion."""

from .._content import Block, BulletList, Document, Paragraph, Section
from .shortlist import Shortlisted, all_marks, facts, mark_line

KIND = "regret"


def build(shortlisted: Shortlisted) -> Document:
    blocks: list[Block] = [
        Paragraph(
            f"Thank you for requesting to participate in {shortlisted.reference}"
            f" {shortlisted.title}. {shortlisted.authority} has decided not to invite"
            f" {shortlisted.candidate} to tender."
        ),
        Paragraph(shortlisted.reason),
    ]
    if failed := [mark_line(mark) for mark in shortlisted.marks if not mark.met]:
        blocks.append(Section("The criteria not met:", (BulletList(tuple(failed)),)))
    blocks.append(all_marks(shortlisted))
    return Document(
        kind=KIND,
        subject=f"Not selected to tender: {shortlisted.title}",
        blocks=tuple(blocks),
        facts=facts(shortlisted),
    )
