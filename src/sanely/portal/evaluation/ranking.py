"""
The ranking: the weighted best price-quality ratio of the moderated scores and the recorded
prices, worked out by `sanely.procedure` (never here), ranked, and the partners recommended
per the published partner model; and what is still missing before the sign-off.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sanely.portal.accounts.models import Organisation
from sanely.portal.competition.selectors import tenderers
from sanely.portal.core.errors import Conflict
from sanely.portal.procurements.design import section
from sanely.portal.procurements.models import Procurement
from sanely.procedure import (
    PRICE_FORMULAS,
    AwardCriterion,
    Breakdown,
    SubCriterion,
    best_price_quality,
    rank,
    recommend,
)

from .models import Consensus, Strengths
from .selectors import (
    ABNORMALLY_LOW_LAW,
    arithmetic,
    consensus_of,
    final_round_opened,
    low_flags,
    moderation_ready,
    prices_of,
    score_places,
    scoring_evaluators,
    tie_choice_of,
)


@dataclass(frozen=True)
class Line:
    """One tenderer's place in the ranking, as the sign-off freezes it."""

    tenderer: Organisation
    breakdown: list[dict[str, str]]
    price: Decimal | None
    total: Decimal
    rank: int
    recommended: bool
    strengths: str


@dataclass(frozen=True)
class Tie:
    """Tenderers tied across the partner boundary: `places` of them can be recommended."""

    tied: list[Organisation]
    places: int


@dataclass(frozen=True)
class Ranking:
    lines: list[Line]
    tie: Tie | None
    tie_chosen: bool


def partners_wanted(procurement: Procurement) -> int:
    """How many partners the published partner model recommends: 1 for a single partner."""
    partners = section(procurement.design, "partners")
    return 1 if partners.partner_model == "single" else partners.max_partners or 1


def award_criteria(procurement: Procurement) -> list[AwardCriterion]:
    return [
        AwardCriterion(
            c.name,
            c.kind,
            c.weight,
            tuple(SubCriterion(s.name, s.weight) for s in c.sub_criteria),
        )
        for c in section(procurement.design, "award").criteria
    ]


def price_quality(
    procurement: Procurement,
    scores: Mapping[str, Mapping[str, Mapping[str, Decimal]]],
    prices: Mapping[str, Decimal],
) -> dict[str, Breakdown]:
    """
    The best price-quality ratio of these marks and prices by the published criteria, scale,
    price formula and maximum cost, worked out by `sanely.procedure`; ValueError if it cannot.
    """
    award = section(procurement.design, "award")
    return best_price_quality(
        award_criteria(procurement),
        scores,
        prices,
        scale_max=award.scale_max,
        formula=award.price_formula,
        max_cost=section(procurement.design, "purchase").max_cost,
    )


def price_criterion(procurement: Procurement) -> bool:
    """Whether a published criterion is price: only then is every tender's price needed."""
    return any(c.kind == "price" for c in section(procurement.design, "award").criteria)


def formula_sentence(procurement: Procurement) -> str:
    """The published price formula, in words, as the criteria show it."""
    return str(PRICE_FORMULAS[section(procurement.design, "award").price_formula])


def _scores(
    procurement: Procurement, ids: list[int], consensus: dict[tuple[int, str, str], Consensus]
) -> dict[str, dict[str, dict[str, Decimal]]] | None:
    """The moderated scores, {tenderer: {criterion: {sub: score}}}; None while one is missing."""
    scores: dict[str, dict[str, dict[str, Decimal]]] = {}
    places = score_places(procurement)
    for pk in ids:
        for place in places:
            found = consensus.get((pk, place.criterion, place.sub_criterion))
            if found is None:
                return None
            criterion = scores.setdefault(str(pk), {}).setdefault(place.criterion, {})
            criterion[place.sub_criterion] = found.score
    return scores


def _reasons(pk: int, criterion: str, consensus: dict[tuple[int, str, str], Consensus]) -> str:
    return "; ".join(
        f"{sub}: {c.reason}" if sub else c.reason
        for (tenderer, name, sub), c in consensus.items()
        if tenderer == pk and name == criterion
    )


def _breakdown(
    pk: int, computed: Any, consensus: dict[tuple[int, str, str], Consensus]
) -> list[dict[str, str]]:
    return [
        {
            "criterion": p.criterion,
            "kind": p.kind,
            "weight": str(p.weight),
            "points": str(p.points),
            "explanation": p.explanation,
            "reasons": _reasons(pk, p.criterion, consensus),
        }
        for p in computed.points
    ]


def ranking_of(procurement: Procurement) -> Ranking | None:
    """The ranking of the tenderers still in, or None while a score or price is missing."""
    still_in = {t.pk: t for t in tenderers(procurement)}
    prices = prices_of(procurement)
    consensus = consensus_of(procurement)
    scores = _scores(procurement, list(still_in), consensus)
    priced = not price_criterion(procurement) or set(prices) == set(still_in)
    if not still_in or scores is None or not priced:
        return None
    with arithmetic():
        computed = price_quality(
            procurement, scores, {str(pk): p.price for pk, p in prices.items()}
        )
        ranked = rank({key: b.total for key, b in computed.items()})
        recommendation = recommend(ranked, partners=partners_wanted(procurement))
    tie, chosen = _tie(procurement, recommendation, still_in)
    recommended = {int(k) for k in recommendation.partners} | set(chosen)
    strengths = {s.tenderer_id: s.text for s in Strengths.objects.filter(procurement=procurement)}
    lines = [
        Line(
            still_in[int(r.tenderer)],
            _breakdown(int(r.tenderer), computed[r.tenderer], consensus),
            prices[int(r.tenderer)].price if int(r.tenderer) in prices else None,
            r.total,
            r.rank,
            int(r.tenderer) in recommended,
            strengths.get(int(r.tenderer), ""),
        )
        for r in ranked
    ]
    return Ranking(lines, tie, bool(chosen) or tie is None)


def _tie(
    procurement: Procurement, recommendation: Any, still_in: dict[int, Organisation]
) -> tuple[Tie | None, list[int]]:
    """The tie at the partner boundary, if any, and the moderator's choice when it still fits."""
    boundary = recommendation.tie_at_boundary
    if not boundary:
        return None, []
    tied = sorted((still_in[int(k)] for k in boundary), key=lambda o: o.name)
    places = partners_wanted(procurement) - len(recommendation.partners)
    tie = Tie(tied, places)
    choice = tie_choice_of(procurement)
    if choice is None or sorted(choice.tied) != sorted(o.pk for o in tied):
        return tie, []
    return tie, list(choice.chosen)


def sign_off_missing(procurement: Procurement) -> list[str]:
    """Everything that must be done before the sign-off, each as a sentence."""
    still_in = tenderers(procurement)
    if not still_in:
        return ["No tender is still in the competition."]
    if not final_round_opened(procurement):
        return ["Open the final tender round: the evaluation scores the final tenders."]
    missing: list[str] = []
    if not scoring_evaluators(procurement):
        missing.append("No evaluator has declared no conflict of interest and scored.")
    consensus = consensus_of(procurement)
    prices = prices_of(procurement)
    strengths = set(
        Strengths.objects.filter(procurement=procurement).values_list("tenderer_id", flat=True)
    )
    places, priced = score_places(procurement), price_criterion(procurement)
    for tenderer in still_in:
        missing += [
            f"{u.full_name} has not submitted their scores of {tenderer.name}."
            for u in moderation_ready(procurement, tenderer)
        ]
        missing += [
            f"No consensus score of {tenderer.name} on {p.label}."
            for p in places
            if (tenderer.pk, p.criterion, p.sub_criterion) not in consensus
        ]
        if priced and tenderer.pk not in prices:
            missing.append(f"No price recorded for {tenderer.name}.")
        if tenderer.pk not in strengths:
            missing.append(f"Write the characteristics and relative advantages of {tenderer.name}.")
    missing += [
        f"Decide on the abnormally low price of {f.tenderer.name} ({ABNORMALLY_LOW_LAW}):"
        f" {f.reason}"
        for f in low_flags(procurement)
        if f.decision is None
    ]
    try:
        ranking = ranking_of(procurement) if not missing else None
    except Conflict as refused:
        return [refused.message]
    if ranking is not None and not ranking.tie_chosen and ranking.tie is not None:
        names = " and ".join(t.name for t in ranking.tie.tied)
        missing.append(
            f"{names} tie at the partner boundary: choose {ranking.tie.places} of them, with"
            " a reason."
        )
    return missing
