"""Ranking by total, ties kept visible, and the partners recommended."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from sanely.procedure._errors import ScoringInputError
from sanely.procedure._scoring._common import check_count, count, is_or_are, listed, shown


@dataclass(frozen=True)
class Ranked:
    """A place in the ranking; `tied` when another tenderer has the same total (and rank)."""

    tenderer: str
    total: Decimal
    rank: int
    tied: bool


@dataclass(frozen=True)
class Recommendation:
    """
    The tenderers clearly inside the number of partnerships, and those tied across its
    boundary, whom a person must choose between (with a reason): arithmetic cannot.
    """

    partners: tuple[str, ...]
    tie_at_boundary: tuple[str, ...]
    explanation: str


def rank(totals: Mapping[str, Decimal]) -> list[Ranked]:
    """
    Highest total first. Equal totals share a rank and the next rank skips (1, 1, 3), so a
    rank always says how many did better; ties are listed by key so the order is stable.
    """
    for tenderer, total in totals.items():
        if not total.is_finite():
            raise ScoringInputError("The total of ", (tenderer,), f" is {total}: give a number.")
    ordered = sorted(totals.items(), key=lambda item: (item[1].copy_negate(), item[0]))
    counts: dict[Decimal, int] = {}
    for _, total in ordered:
        counts[total] = counts.get(total, 0) + 1
    ranked: list[Ranked] = []
    for position, (tenderer, total) in enumerate(ordered, start=1):
        place = ranked[-1].rank if ranked and ranked[-1].total == total else position
        ranked.append(Ranked(tenderer, total, place, counts[total] > 1))
    return ranked


def _in_order(ranked: Sequence[Ranked]) -> list[Ranked]:
    return sorted(ranked, key=lambda r: (r.rank, r.tenderer))


def cut(ranked: Sequence[Ranked], places: int) -> tuple[list[Ranked], list[Ranked], list[Ranked]]:
    """
    (clearly inside, tied across the boundary, outside) when `places` are available. Nobody is
    tied across the boundary when everyone fits, or when the last place inside and the first
    outside have different totals.
    """
    ordered = _in_order(ranked)
    if len(ordered) <= places or ordered[places - 1].total != ordered[places].total:
        return ordered[:places], [], ordered[places:]
    boundary = ordered[places - 1].total
    inside = [r for r in ordered if r.total > boundary]
    tied = [r for r in ordered if r.total == boundary]
    outside = [r for r in ordered if r.total < boundary]
    return inside, tied, outside


def recommend(ranked: Sequence[Ranked], *, partners: int) -> Recommendation:
    """
    The top `partners` tenderers. A tie across the boundary is not broken here: the tied
    tenderers are listed and the explanation says a decision (with a reason) is needed, so
    the choice is a person's, recorded, not an accident of sort order.
    """
    check_count("The number of partnerships", partners)
    if not ranked:
        return Recommendation((), (), "There is no tender to recommend.")
    inside, tied, _ = cut(ranked, partners)
    chosen = tuple(r.tenderer for r in inside)
    if not tied:
        if len(ranked) <= partners:
            explanation = (
                f"{count(len(ranked), 'ranked tenderer')} for {count(partners, 'partnership')}:"
                f" {'it is' if len(ranked) == 1 else 'all are'} recommended."
            )
        else:
            explanation = (
                f"The {count(partners, 'highest-ranked tenderer')} {is_or_are(partners)}"
                f" recommended: {listed(chosen)}."
            )
        return Recommendation(chosen, (), explanation)
    open_places = partners - len(chosen)
    lead = f"{listed(chosen)} recommended; " if chosen else ""
    explanation = (
        f"{lead}{listed(r.tenderer for r in tied)} tie on {shown(tied[0].total)} points for"
        f" {open_places} remaining place{'s' * (open_places != 1)}: a decision is needed,"
        " with a reason, on which of them to recommend."
    )
    return Recommendation(chosen, tuple(r.tenderer for r in tied), explanation)
