"""The best price-quality ratio: every tenderer's points on every published criterion."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

from sanely.procedure._errors import ScoringError, ScoringInputError
from sanely.procedure._scoring._common import Points, check_scale, listed
from sanely.procedure._scoring.prices import check_formula, price_points
from sanely.procedure._scoring.quality import AwardCriterion, check_criteria, quality_points


@dataclass(frozen=True)
class Breakdown:
    """One tenderer's points on every criterion, in the published order, and their sum."""

    tenderer: str
    points: tuple[Points, ...]
    total: Decimal


def best_price_quality(
    criteria: Sequence[AwardCriterion],
    scores: Mapping[str, Mapping[str, Decimal | Mapping[str, Decimal]]],
    prices: Mapping[str, Decimal],
    *,
    scale_max: int,
    formula: str,
    max_cost: Decimal | None = None,
) -> dict[str, Breakdown]:
    """
    Every tenderer's points under the published criteria: quality and social value from
    `scores[tenderer][criterion]`, price from `prices` by the published formula. Each total is
    the sum of the points shown, so the breakdown a tenderer receives adds up. Prices are read
    only when a price criterion exists; every tenderer needs every score (and then a price).
    """
    check_scale(scale_max)
    check_criteria(criteria)
    check_formula(formula)
    price = next((c for c in criteria if c.kind == "price"), None)
    scored = [c for c in criteria if c.kind != "price"]
    tenderers = set(scores)
    priced: dict[str, Points] = {}
    if price is not None:
        tenderers |= set(prices)
        missing = sorted(tenderers - set(prices))
        if missing:
            raise ScoringInputError(
                "No price for ",
                missing,
                f": every tenderer needs a price under the criterion “{price.name}”.",
            )
        priced = price_points(prices, formula=formula, weight=price.weight, max_cost=max_cost)
    result: dict[str, Breakdown] = {}
    for tenderer in sorted(tenderers):
        points = [_scored(tenderer, c, scores.get(tenderer, {}), scale_max) for c in scored]
        _check_known(tenderer, scores.get(tenderer, {}), scored)
        if price is not None:
            points.insert(criteria.index(price), replace(priced[tenderer], criterion=price.name))
        total = sum((p.points for p in points), Decimal(0))
        result[tenderer] = Breakdown(tenderer, tuple(points), total)
    return result


def _scored(
    tenderer: str,
    criterion: AwardCriterion,
    scores: Mapping[str, Decimal | Mapping[str, Decimal]],
    scale_max: int,
) -> Points:
    """One tenderer's points on one non-price criterion, any error naming the tenderer."""
    if criterion.name not in scores:
        raise ScoringInputError(
            "Tenderer ",
            (tenderer,),
            f" has no score on “{criterion.name}”: every tenderer must be scored on every"
            " criterion.",
        )
    try:
        return quality_points(criterion, scores[criterion.name], scale_max=scale_max)
    except ScoringError as error:
        raise type(error)("Tenderer ", (tenderer,), f": {error}") from error


def _check_known(
    tenderer: str,
    scores: Mapping[str, object],
    scored: Sequence[AwardCriterion],
) -> None:
    unknown = sorted(set(scores) - {c.name for c in scored})
    if unknown:
        raise ScoringInputError(
            "Tenderer ",
            (tenderer,),
            f" has scores on {listed(unknown)}, which is not a scored award criterion: score"
            " only the published quality and social-value criteria.",
        )
