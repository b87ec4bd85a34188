"""Staged reduction of tenders during negotiation: who is kept, and why each other is not."""

from collections.abc import Sequence

from sanely.procedure._scoring._common import check_count, ordinal, shown, spread
from sanely.procedure._scoring.ranking import Ranked, cut


def staged_reduction(
    ranked: Sequence[Ranked], *, keep: int
) -> tuple[tuple[str, ...], dict[str, str]]:
    """
    The tenderers kept at a stage of reduction, and the reason each other one is told. A tie
    at the boundary keeps every tied tenderer: equal tenders are treated equally.
    """
    check_count("The number of tenderers to keep", keep)
    inside, tied, outside = cut(ranked, keep)
    kept = inside + tied
    scored = [r.total for r in kept]
    removed = {
        r.tenderer: (
            f"ranked {ordinal(r.rank)} of {len(ranked)} with {shown(r.total)} points;"
            f" {_kept_phrase(len(kept))} scored {spread(scored)}"
        )
        for r in outside
    }
    return tuple(r.tenderer for r in kept), removed


def _kept_phrase(kept: int) -> str:
    return "the tenderer kept" if kept == 1 else f"the {kept} kept"
