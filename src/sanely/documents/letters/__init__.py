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
    change_agreed,
    claim_approved,
    claim_queried,
    claim_rejected,
    clarification,
    contract_change_notice,
    contract_details_notice,
    contract_performance_notice,
    contract_termination_notice,
    deadline_extended,
    document_revision,
    gate_decision,
    intention_to_terminate,
    invitation_to_tender,
    membership_added,
    modification_notice,
    password_reset,
    payment_made,
    purchase_decision,
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
    # "supplier": a letter kept in the competition's register; "person": an email only;
    # "public": a notice the authority publishes (Find a Tender), kept as typed content
    to: str
    build: Callable[[Any], Document]


SUPPLIER, PERSON, PUBLIC = "supplier", "person", "public"

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
        LetterKind(gate_decision.KIND, SUPPLIER, gate_decision.build),
        LetterKind(claim_approved.KIND, SUPPLIER, claim_approved.build),
        LetterKind(claim_queried.KIND, SUPPLIER, claim_queried.build),
        LetterKind(claim_rejected.KIND, SUPPLIER, claim_rejected.build),
        LetterKind(payment_made.KIND, SUPPLIER, payment_made.build),
        LetterKind(change_agreed.KIND, SUPPLIER, change_agreed.build),
        LetterKind(intention_to_terminate.KIND, SUPPLIER, intention_to_terminate.build),
        LetterKind(purchase_decision.KIND, SUPPLIER, purchase_decision.build),
        LetterKind(deadline_extended.KIND, PERSON, deadline_extended.build),
        LetterKind(submission_receipt.KIND, PERSON, submission_receipt.build),
        LetterKind(membership_added.KIND, PERSON, membership_added.build),
        LetterKind(password_reset.KIND, PERSON, password_reset.build),
        LetterKind(contract_details_notice.KIND, PUBLIC, contract_details_notice.build),
        LetterKind(contract_performance_notice.KIND, PUBLIC, contract_performance_notice.build),
        LetterKind(contract_change_notice.KIND, PUBLIC, contract_change_notice.build),
        LetterKind(contract_termination_notice.KIND, PUBLIC, contract_termination_notice.build),
        LetterKind(modification_notice.KIND, PUBLIC, modification_notice.build),
    )
}
