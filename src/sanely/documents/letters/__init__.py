"""
Every kind of letter, notice and email sanely sends, one module per kind. Each module has its
`KIND`, the typed facts it is written from, and `build(facts) -> Document`; `KINDS` lists them
all, so that a test renders every one and a renderer added later is tried on every kind.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .._content import Document
from . import (
    award_decision,
    clarification,
    deadline_extended,
    document_revision,
    invitation_to_tender,
    membership_added,
    password_reset,
    regret,
    round_invitation,
    staged_reduction,
    submission_receipt,
    tender_rejected,
)


@dataclass(frozen=True)
class LetterKind:
    """A kind of letter: its name, who it goes to, and how it is built."""

    kind: str
    to: str  # "supplier": a letter kept in the competition's register; "person": an email only
    build: Callable[[Any], Document]


SUPPLIER, PERSON = "supplier", "person"

KINDS: dict[str, LetterKind] = {
    letter.kind: letter
    for letter in (
        LetterKind(invitation_to_tender.KIND, SUPPLIER, invitation_to_tender.build),
        LetterKind(regret.KIND, SUPPLIER, regret.build),
        LetterKind(round_invitation.KIND, SUPPLIER, round_invitation.build),
        LetterKind(clarification.KIND, SUPPLIER, clarification.build),
        LetterKind(document_revision.KIND, SUPPLIER, document_revision.build),
        LetterKind(staged_reduction.KIND, SUPPLIER, staged_reduction.build),
        LetterKind(tender_rejected.KIND, SUPPLIER, tender_rejected.build),
        LetterKind(award_decision.KIND, SUPPLIER, award_decision.build),
        LetterKind(deadline_extended.KIND, PERSON, deadline_extended.build),
        LetterKind(submission_receipt.KIND, PERSON, submission_receipt.build),
        LetterKind(membership_added.KIND, PERSON, membership_added.build),
        LetterKind(password_reset.KIND, PERSON, password_reset.build),
    )
}
