"""
Writes for sealed submissions, by concern: interest in an opportunity, rounds and their
deadlines, submitting (sealed, with a signed receipt), resumable uploads, and the four-eyes
opening.

Each refusal says what to change; a refused submission leaves nothing stored and the
supplier's earlier versions untouched.
"""

from .interest import interest_express
from .opening import round_opening_confirm, round_opening_request
from .rounds import DEFAULT_PARTS, LONGEST_ROUND, submission_round_extend, submission_round_open
from .submissions import submission_submit, supplier_ref, text_receipt
from .uploads import upload_begin, upload_discard, upload_finish, upload_put, uploads_expire

__all__ = [
    "DEFAULT_PARTS",
    "LONGEST_ROUND",
    "interest_express",
    "round_opening_confirm",
    "round_opening_request",
    "submission_round_extend",
    "submission_round_open",
    "submission_submit",
    "supplier_ref",
    "text_receipt",
    "upload_begin",
    "upload_discard",
    "upload_finish",
    "upload_put",
    "uploads_expire",
]
