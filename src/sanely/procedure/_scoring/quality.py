"""Quality and social value: the published award criteria, checked, and their points."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from sanely.procedure._errors import ScoringDesignError, ScoringInputError
from sanely.procedure._scoring._common import (
    HUNDRED,
    Points,
    check_scale,
    check_score,
    check_unique,
    check_weight,
    divide,
    listed,
    number,
    rounded,
)

_CRITERION_KINDS = ("quality", "social_value", "price")


@dataclass(frozen=True)
class SubCriterion:
    """A part of an award criterion; `weight` is its percent of that criterion."""

    name: str
    weight: Decimal


@dataclass(frozen=True)
class AwardCriterion:
    """
    A published award criterion: `kind` is "quality", "social_value" or "price", `weight` its
    percent of the total. Sub-criteria, if any, split it and their weights add to 100.
    """

    name: str
    kind: str
    weight: Decimal
    sub_criteria: tuple[SubCriterion, ...] = ()


def check_criterion(criterion: AwardCriterion) -> None:
    """One criterion on its own: its kind, its weight and its sub-criteria adding to 100."""
    if criterion.kind not in _CRITERION_KINDS:
        raise ScoringDesignError(
            f"Award criterion “{criterion.name}” has kind {criterion.kind!r}: use one of"
            f" {', '.join(_CRITERION_KINDS)}."
        )
    check_weight(f"award criterion “{criterion.name}”", criterion.weight)
    subs = criterion.sub_criteria
    if not subs:
        return
    if criterion.kind == "price":
        raise ScoringDesignError(
            f"The price criterion “{criterion.name}” has sub-criteria: price is scored by the"
            " published formula alone; remove them."
        )
    check_unique(f"sub-criteria of “{criterion.name}”", (s.name for s in subs))
    for sub in subs:
        check_weight(f"sub-criterion “{sub.name}” of “{criterion.name}”", sub.weight)
    total = sum((s.weight for s in subs), Decimal(0))
    if total != HUNDRED:
        raise ScoringDesignError(
            f"The sub-criteria of “{criterion.name}” weigh {number(total)} % in all: their"
            " weights must add to 100."
        )


def check_criteria(criteria: Sequence[AwardCriterion]) -> None:
    """The published set: at least one, distinct names, at most one price, weights adding to 100."""
    if not criteria:
        raise ScoringDesignError(
            "There are no award criteria: publish at least one, with weights adding to 100."
        )
    for criterion in criteria:
        check_criterion(criterion)
    check_unique("award criteria", (c.name for c in criteria))
    if sum(c.kind == "price" for c in criteria) > 1:
        raise ScoringDesignError(
            "There is more than one price criterion: price is one criterion, scored by one"
            " formula; merge them."
        )
    total = sum((c.weight for c in criteria), Decimal(0))
    if total != HUNDRED:
        raise ScoringDesignError(
            f"The award criteria weigh {number(total)} % in all: their weights must add to 100."
        )


def quality_points(
    criterion: AwardCriterion,
    score: Decimal | Mapping[str, Decimal],
    *,
    scale_max: int,
) -> Points:
    """
    The points for a quality or social-value criterion: weight * Σ(sub weight/100 *
    score/scale_max). `score` is one score, or a score per sub-criterion when the criterion has
    any (every one is needed). A criterion without sub-criteria also accepts {"": score}, the
    shape a grid of score places gives.
    """
    check_scale(scale_max)
    check_criterion(criterion)
    if criterion.kind == "price":
        raise ScoringDesignError(
            f"“{criterion.name}” is the price criterion: score it with price_points, not as"
            " quality."
        )
    weight = number(criterion.weight)
    if not criterion.sub_criteria:
        single = _single_score(criterion, score)
        check_score(f"“{criterion.name}”", single, scale_max)
        points = rounded(divide(criterion.weight * single, Decimal(scale_max)))
        explanation = f"score {number(single)} of {scale_max} × weight {weight} = {points}"
        return Points(criterion.name, points, explanation, criterion.kind, criterion.weight)
    scores = _sub_scores(criterion, score)
    numerator = Decimal(0)
    parts = []
    for sub in criterion.sub_criteria:
        value = scores[sub.name]
        check_score(f"“{sub.name}” of “{criterion.name}”", value, scale_max)
        numerator += sub.weight * value
        parts.append(f"{sub.name} score {number(value)} of {scale_max} × {number(sub.weight)} %")
    points = rounded(divide(criterion.weight * numerator, HUNDRED * scale_max))
    explanation = f"{' + '.join(parts)}, × weight {weight} = {points}"
    return Points(criterion.name, points, explanation, criterion.kind, criterion.weight)


def _single_score(criterion: AwardCriterion, score: Decimal | Mapping[str, Decimal]) -> Decimal:
    if isinstance(score, Decimal):
        return score
    if set(score) != {""}:
        raise ScoringInputError(
            f"“{criterion.name}” has no sub-criteria but was given scores for"
            f" {listed(sorted(score))}: give one score for the whole criterion."
        )
    return score[""]


def _sub_scores(
    criterion: AwardCriterion, score: Decimal | Mapping[str, Decimal]
) -> Mapping[str, Decimal]:
    expected = [s.name for s in criterion.sub_criteria]
    if isinstance(score, Decimal):
        raise ScoringInputError(
            f"“{criterion.name}” has sub-criteria: give a score for each of {listed(expected)},"
            " not one score."
        )
    missing = [name for name in expected if name not in score]
    if missing:
        raise ScoringInputError(
            f"No score on {listed(missing)} of “{criterion.name}”: every sub-criterion must be"
            " scored."
        )
    unknown = sorted(set(score) - set(expected))
    if unknown:
        raise ScoringInputError(
            f"{listed(unknown)} is not a sub-criterion of “{criterion.name}”: score only"
            f" {listed(expected)}."
        )
    return score
