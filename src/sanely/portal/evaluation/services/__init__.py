"""
Writes for the evaluation, by concern: conflict declarations, independent scores,
moderation, prices and abnormally low tenders, the tie at the partner boundary and the sign-off.
"""

from .checks import LONGEST_TEXT
from .declarations import declaration_record, declaring_refusal
from .moderation import consensus_record, strengths_record
from .prices import abnormally_low_decide, price_record
from .scores import ScoreEntry, score_record, scores_record, scores_submit, scoring_refusal
from .sign_off import evaluation_sign_off, tie_choose

__all__ = [
    "LONGEST_TEXT",
    "ScoreEntry",
    "abnormally_low_decide",
    "consensus_record",
    "declaration_record",
    "declaring_refusal",
    "evaluation_sign_off",
    "price_record",
    "score_record",
    "scores_record",
    "scores_submit",
    "scoring_refusal",
    "strengths_record",
    "tie_choose",
]
