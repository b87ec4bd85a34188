"""
Writes for the negotiation, by concern: meetings, clarifications, document revisions,
consents and the staged reduction. Each goes through the engine of the procurement's rulebook
and is audited; letters go to the tenderers still in.
"""

from .clarifications import clarification_answer, question_ask
from .consents import BLANKET, OPEN_RECIPIENTS, SPECIFIC_ITEM, consent_give, consent_withdraw
from .meetings import meeting_record
from .reduction import TenderScore, tenders_reduce
from .revisions import document_revision_record
from .steps import CHANGES, LONG_TEXT, engine_step

__all__ = [
    "BLANKET",
    "CHANGES",
    "LONG_TEXT",
    "OPEN_RECIPIENTS",
    "SPECIFIC_ITEM",
    "TenderScore",
    "clarification_answer",
    "consent_give",
    "consent_withdraw",
    "document_revision_record",
    "engine_step",
    "meeting_record",
    "question_ask",
    "tenders_reduce",
]
