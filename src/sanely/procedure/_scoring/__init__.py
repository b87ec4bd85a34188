"""
The scoring arithmetic of a competition, by concern: price formulas (`prices`), quality and
social value (`quality`), the best price-quality ratio (`award`), ranking and the partners
recommended (`ranking`), the selection of candidates and the shortlist (`selection`) and staged
reduction (`reduction`).

Everything is `Decimal` and computed exactly (one division per figure, in a wide context);
only the points a tenderer or candidate is shown are rounded, to 2 places, half up, so the
published breakdown always adds up to the published total. Each result carries the sentence
that explains it, because an unsuccessful bidder is entitled to know why. Invalid input raises
a `ScoringError` saying what is wrong and what to change (`ScoringDesignError` for what was
published, `ScoringInputError` for what was entered): a wrong number is never computed quietly.
"""

from sanely.procedure._scoring._common import Points
from sanely.procedure._scoring.award import Breakdown, best_price_quality
from sanely.procedure._scoring.prices import PRICE_FORMULAS, abnormally_low, price_points
from sanely.procedure._scoring.quality import AwardCriterion, SubCriterion, quality_points
from sanely.procedure._scoring.ranking import Ranked, Recommendation, rank, recommend
from sanely.procedure._scoring.reduction import staged_reduction
from sanely.procedure._scoring.selection import (
    CandidateResult,
    SelectionCriterion,
    Shortlist,
    assess_candidate,
    shortlist,
)

__all__ = [
    "PRICE_FORMULAS",
    "AwardCriterion",
    "Breakdown",
    "CandidateResult",
    "Points",
    "Ranked",
    "Recommendation",
    "SelectionCriterion",
    "Shortlist",
    "SubCriterion",
    "abnormally_low",
    "assess_candidate",
    "best_price_quality",
    "price_points",
    "quality_points",
    "rank",
    "recommend",
    "shortlist",
    "staged_reduction",
]
