"""
The scoring arithmetic of a competition: price formulas, the best price-quality ratio,
abnormally low prices, ranking, the partners recommended, the selection of candidates, the
shortlist and staged reduction.

Everything is `Decimal` and computed exactly (one division per figure, in a wide context);
only the points a tenderer or candidate is shown are rounded, to 2 places, half up, so the
published breakdown always adds up to the published total. Each result carries the sentence
that explains it, because an unsuccessful bidder is entitled to know why. Invalid input raises
`ValueError` saying what is wrong and what to change: a wrong number must never be computed
quietly.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal, localcontext

PRICE_FORMULAS: dict[str, str] = {
    "relative_to_lowest": (
        "Price points = price weight × lowest tendered price ÷ this tender's price."
    ),
    "linear_to_max_cost": (
        "Price points = price weight × (maximum cost − this tender's price) ÷ (maximum cost −"
        " lowest tendered price); a price at the maximum cost scores 0."
    ),
}

_CRITERION_KINDS = ("quality", "social_value", "price")
_ASSESSMENTS = ("pass_fail", "scored")
_HUNDRED = Decimal(100)
_CENT = Decimal("0.01")


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


@dataclass(frozen=True)
class Points:
    """
    The points one tender earns on one criterion, with the working shown (for the evaluation
    report and the debrief). `kind` and `weight` repeat the criterion's, so a breakdown can be
    shown without the criteria beside it.
    """

    criterion: str
    points: Decimal
    explanation: str
    kind: str = ""
    weight: Decimal = Decimal(0)


@dataclass(frozen=True)
class Breakdown:
    """One tenderer's points on every criterion, in the published order, and their sum."""

    tenderer: str
    points: tuple[Points, ...]
    total: Decimal


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


@dataclass(frozen=True)
class SelectionCriterion:
    """
    A published selection criterion: "pass_fail", or "scored" from 0 to the scale maximum,
    where `weight` multiplies the score and a score below `minimum_score` fails the candidate.
    """

    name: str
    assessment: str
    weight: Decimal = Decimal(1)
    minimum_score: Decimal = Decimal(0)


@dataclass(frozen=True)
class CandidateResult:
    """
    A candidate against the selection criteria: whether it qualifies, its weighted total (of
    the scored criteria) and, when it does not qualify, every reason why.
    """

    candidate: str
    qualifies: bool
    total: Decimal
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class Shortlist:
    """Who is invited to tender, the reason for each regret letter, and why this many."""

    invited: tuple[str, ...]
    not_invited: dict[str, str]
    reason: str


# --- formatting and arithmetic ----------------------------------------------------------------


def _divide(numerator: Decimal, denominator: Decimal) -> Decimal:
    """One division in a wide context, so rounding to 2 places is the only rounding that shows."""
    with localcontext() as context:
        context.prec = 60
        return numerator / denominator


def _points(value: Decimal) -> Decimal:
    """Final points: 2 places, half up (as a person checking by hand would round)."""
    return value.quantize(_CENT, rounding=ROUND_HALF_UP)


def _number(value: Decimal) -> str:
    """A weight or score as written: 40, 12.5 (no trailing zeros, no exponent)."""
    return format(value.normalize(), "f")


def _money(value: Decimal) -> str:
    return f"£{_points(value):,}"


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _names(keys: Iterable[str]) -> str:
    """“A”, “A and B”, “A, B and C”."""
    quoted = [f"“{key}”" for key in keys]
    return quoted[0] if len(quoted) == 1 else f"{', '.join(quoted[:-1])} and {quoted[-1]}"


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'s' * (n != 1)}"


def _is(n: int) -> str:
    return "is" if n == 1 else "are"


def _shown(points: Decimal) -> str:
    """Points as published: 12.00."""
    return str(_points(points))


def _range(totals: Sequence[Decimal]) -> str:
    low, high = _shown(min(totals)), _shown(max(totals))
    return low if low == high else f"{low} to {high}"


# --- validation -------------------------------------------------------------------------------


def _check_prices(prices: Mapping[str, Decimal]) -> None:
    for tenderer, price in prices.items():
        if not price.is_finite() or price <= 0:
            raise ValueError(
                f"The price of “{tenderer}” is {price}: a price must be a positive amount;"
                " correct the recorded price."
            )


def _check_scale(scale_max: int) -> None:
    if scale_max < 1:
        raise ValueError(
            f"The scoring scale maximum is {scale_max}: use a whole number of 1 or more."
        )


def _check_weight(what: str, weight: Decimal) -> None:
    if not weight.is_finite() or not 0 < weight <= _HUNDRED:
        raise ValueError(
            f"The weight of {what} is {weight}: give it a percentage above 0 and at most 100."
        )


def _check_score(what: str, score: Decimal, scale_max: int) -> None:
    if not score.is_finite() or not 0 <= score <= scale_max:
        raise ValueError(
            f"The score {score} on {what} is outside the scale: give a score from 0 to {scale_max}."
        )


def _check_unique(what: str, names: Iterable[str]) -> None:
    seen: set[str] = set()
    for name in names:
        if name in seen:
            raise ValueError(f"Two {what} are named “{name}”: give each a different name.")
        seen.add(name)


def _check_criterion(criterion: AwardCriterion) -> None:
    """One criterion on its own: its kind, its weight and its sub-criteria adding to 100."""
    if criterion.kind not in _CRITERION_KINDS:
        raise ValueError(
            f"Award criterion “{criterion.name}” has kind {criterion.kind!r}: use one of"
            f" {', '.join(_CRITERION_KINDS)}."
        )
    _check_weight(f"award criterion “{criterion.name}”", criterion.weight)
    subs = criterion.sub_criteria
    if not subs:
        return
    if criterion.kind == "price":
        raise ValueError(
            f"The price criterion “{criterion.name}” has sub-criteria: price is scored by the"
            " published formula alone; remove them."
        )
    _check_unique(f"sub-criteria of “{criterion.name}”", (s.name for s in subs))
    for sub in subs:
        _check_weight(f"sub-criterion “{sub.name}” of “{criterion.name}”", sub.weight)
    total = sum((s.weight for s in subs), Decimal(0))
    if total != _HUNDRED:
        raise ValueError(
            f"The sub-criteria of “{criterion.name}” weigh {_number(total)} % in all: their"
            " weights must add to 100."
        )


def _check_criteria(criteria: Sequence[AwardCriterion]) -> None:
    """The published set: at least one, distinct names, at most one price, weights adding to 100."""
    if not criteria:
        raise ValueError(
            "There are no award criteria: publish at least one, with weights adding to 100."
        )
    for criterion in criteria:
        _check_criterion(criterion)
    _check_unique("award criteria", (c.name for c in criteria))
    if sum(c.kind == "price" for c in criteria) > 1:
        raise ValueError(
            "There is more than one price criterion: price is one criterion, scored by one"
            " formula; merge them."
        )
    total = sum((c.weight for c in criteria), Decimal(0))
    if total != _HUNDRED:
        raise ValueError(
            f"The award criteria weigh {_number(total)} % in all: their weights must add to 100."
        )


# --- award ------------------------------------------------------------------------------------


def price_points(
    prices: Mapping[str, Decimal],
    *,
    formula: str,
    weight: Decimal,
    max_cost: Decimal | None = None,
) -> dict[str, Points]:
    """
    Each tenderer's points on the price criterion under the published `formula` (a key of
    PRICE_FORMULAS). "linear_to_max_cost" needs the published maximum cost and refuses a price
    above it; "relative_to_lowest" does not use it. The points are shown with the working, so a
    tenderer can check them by hand.
    """
    if formula not in PRICE_FORMULAS:
        raise ValueError(
            f"Unknown price formula {formula!r}: use one of {', '.join(PRICE_FORMULAS)}."
        )
    _check_weight("the price criterion", weight)
    _check_prices(prices)
    if not prices:
        return {}
    lowest = min(prices.values())
    shown = _number(weight)
    result: dict[str, Points] = {}
    if formula == "relative_to_lowest":
        for tenderer, price in prices.items():
            points = _points(_divide(weight * lowest, price))
            explanation = f"lowest {_money(lowest)} ÷ {_money(price)} × {shown} = {points}"
            result[tenderer] = Points("Price", points, explanation, "price", weight)
        return result
    maximum = _max_cost(prices, max_cost)
    for tenderer, price in prices.items():
        if maximum == lowest:
            # Every price equals the maximum cost: the formula is 0 ÷ 0, and equal prices
            # must score equally, so each gets the whole weight.
            points = _points(weight)
            explanation = (
                f"every tender is at the maximum cost {_money(maximum)}, so each scores the"
                f" full weight {shown} = {points}"
            )
        else:
            points = _points(_divide(weight * (maximum - price), maximum - lowest))
            explanation = (
                f"(maximum {_money(maximum)} − {_money(price)}) ÷ (maximum {_money(maximum)}"
                f" − lowest {_money(lowest)}) × {shown} = {points}"
            )
        result[tenderer] = Points("Price", points, explanation, "price", weight)
    return result


def _max_cost(prices: Mapping[str, Decimal], max_cost: Decimal | None) -> Decimal:
    """The published maximum cost, checked against every price."""
    if max_cost is None or not max_cost.is_finite() or max_cost <= 0:
        raise ValueError(
            f"The price formula linear_to_max_cost needs the published maximum cost, a positive"
            f" amount (given: {max_cost}): record it in the procurement's purchase section."
        )
    for tenderer, price in prices.items():
        if price > max_cost:
            raise ValueError(
                f"The price of “{tenderer}”, {_money(price)}, is above the maximum cost"
                f" {_money(max_cost)}: the formula cannot score it; check the price, or reject"
                " the tender as the procurement documents say."
            )
    return max_cost


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
    _check_scale(scale_max)
    _check_criterion(criterion)
    if criterion.kind == "price":
        raise ValueError(
            f"“{criterion.name}” is the price criterion: score it with price_points, not as"
            " quality."
        )
    weight = _number(criterion.weight)
    if not criterion.sub_criteria:
        single = _single_score(criterion, score)
        _check_score(f"“{criterion.name}”", single, scale_max)
        points = _points(_divide(criterion.weight * single, Decimal(scale_max)))
        explanation = f"score {_number(single)} of {scale_max} × weight {weight} = {points}"
        return Points(criterion.name, points, explanation, criterion.kind, criterion.weight)
    scores = _sub_scores(criterion, score)
    numerator = Decimal(0)
    parts = []
    for sub in criterion.sub_criteria:
        value = scores[sub.name]
        _check_score(f"“{sub.name}” of “{criterion.name}”", value, scale_max)
        numerator += sub.weight * value
        parts.append(f"{sub.name} score {_number(value)} of {scale_max} × {_number(sub.weight)} %")
    points = _points(_divide(criterion.weight * numerator, _HUNDRED * scale_max))
    explanation = f"{' + '.join(parts)}, × weight {weight} = {points}"
    return Points(criterion.name, points, explanation, criterion.kind, criterion.weight)


def _single_score(criterion: AwardCriterion, score: Decimal | Mapping[str, Decimal]) -> Decimal:
    if isinstance(score, Decimal):
        return score
    if set(score) != {""}:
        raise ValueError(
            f"“{criterion.name}” has no sub-criteria but was given scores for"
            f" {_names(sorted(score))}: give one score for the whole criterion."
        )
    return score[""]


def _sub_scores(
    criterion: AwardCriterion, score: Decimal | Mapping[str, Decimal]
) -> Mapping[str, Decimal]:
    expected = [s.name for s in criterion.sub_criteria]
    if isinstance(score, Decimal):
        raise ValueError(
            f"“{criterion.name}” has sub-criteria: give a score for each of {_names(expected)},"
            " not one score."
        )
    missing = [name for name in expected if name not in score]
    if missing:
        raise ValueError(
            f"No score on {_names(missing)} of “{criterion.name}”: every sub-criterion must be"
            " scored."
        )
    unknown = sorted(set(score) - set(expected))
    if unknown:
        raise ValueError(
            f"{_names(unknown)} is not a sub-criterion of “{criterion.name}”: score only"
            f" {_names(expected)}."
        )
    return score


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
    _check_scale(scale_max)
    _check_criteria(criteria)
    if formula not in PRICE_FORMULAS:
        raise ValueError(
            f"Unknown price formula {formula!r}: use one of {', '.join(PRICE_FORMULAS)}."
        )
    price = next((c for c in criteria if c.kind == "price"), None)
    scored = [c for c in criteria if c.kind != "price"]
    tenderers = set(scores)
    priced: dict[str, Points] = {}
    if price is not None:
        tenderers |= set(prices)
        missing = sorted(tenderers - set(prices))
        if missing:
            raise ValueError(
                f"No price for {_names(missing)}: every tenderer needs a price under the"
                f" criterion “{price.name}”."
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
        raise ValueError(
            f"Tenderer “{tenderer}” has no score on “{criterion.name}”: every tenderer must be"
            " scored on every criterion."
        )
    try:
        return quality_points(criterion, scores[criterion.name], scale_max=scale_max)
    except ValueError as error:
        raise ValueError(f"Tenderer “{tenderer}”: {error}") from error


def _check_known(
    tenderer: str,
    scores: Mapping[str, object],
    scored: Sequence[AwardCriterion],
) -> None:
    unknown = sorted(set(scores) - {c.name for c in scored})
    if unknown:
        raise ValueError(
            f"Tenderer “{tenderer}” has scores on {_names(unknown)}, which is not a scored award"
            " criterion: score only the published quality and social-value criteria."
        )


def abnormally_low(prices: Mapping[str, Decimal], *, percent: Decimal) -> dict[str, str]:
    """
    The prices more than `percent` % below the mean of the other tenders' prices, each with
    the sentence why: such a tender must be investigated (the tenderer asked to explain)
    before it can be rejected, never rejected on the arithmetic alone. Each price is compared
    with the others only, so it cannot pull its own benchmark down. Needs two tenders.
    """
    if not percent.is_finite() or not 0 <= percent < _HUNDRED:
        raise ValueError(
            f"The abnormally low threshold is {percent} %: give a percentage from 0 to below 100."
        )
    _check_prices(prices)
    if len(prices) < 2:
        return {}
    everything = sum(prices.values(), Decimal(0))
    others = Decimal(len(prices) - 1)
    flagged: dict[str, str] = {}
    for tenderer, price in sorted(prices.items()):
        mean = _divide(everything - price, others)
        below = _divide((mean - price) * _HUNDRED, mean)
        if below > percent:
            flagged[tenderer] = (
                f"{_money(price)} is {_percent_above(below, percent)} below the mean of the"
                f" other tenders ({_money(mean)}); the threshold is {_number(percent)} %."
            )
    return flagged


def _percent_above(value: Decimal, threshold: Decimal) -> str:
    """
    `value` % to 1 place, or more when 1 place would not show that it is above the threshold
    (20.04 is not "20.0 % below" a threshold of 20 %).
    """
    for places in range(1, 4):
        shown = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
        if shown > threshold:
            return f"{shown} %"
    return f"just over {_number(threshold)} %"


def rank(totals: Mapping[str, Decimal]) -> list[Ranked]:
    """
    Highest total first. Equal totals share a rank and the next rank skips (1, 1, 3), so a
    rank always says how many did better; ties are listed by key so the order is stable.
    """
    for tenderer, total in totals.items():
        if not total.is_finite():
            raise ValueError(f"The total of “{tenderer}” is {total}: give a number.")
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


def _cut(ranked: Sequence[Ranked], places: int) -> tuple[list[Ranked], list[Ranked], list[Ranked]]:
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


def _check_count(what: str, value: int) -> None:
    if value < 1:
        raise ValueError(f"{what} is {value}: it must be 1 or more.")


def recommend(ranked: Sequence[Ranked], *, partners: int) -> Recommendation:
    """
    The top `partners` tenderers. A tie across the boundary is not broken here: the tied
    tenderers are listed and the explanation says a decision (with a reason) is needed, so
    the choice is a person's, recorded, not an accident of sort order.
    """
    _check_count("The number of partnerships", partners)
    if not ranked:
        return Recommendation((), (), "There is no tender to recommend.")
    inside, tied, _ = _cut(ranked, partners)
    chosen = tuple(r.tenderer for r in inside)
    if not tied:
        if len(ranked) <= partners:
            explanation = (
                f"{_count(len(ranked), 'ranked tenderer')} for {_count(partners, 'partnership')}:"
                f" {'it is' if len(ranked) == 1 else 'all are'} recommended."
            )
        else:
            explanation = (
                f"The {_count(partners, 'highest-ranked tenderer')} {_is(partners)} recommended:"
                f" {_names(chosen)}."
            )
        return Recommendation(chosen, (), explanation)
    open_places = partners - len(chosen)
    lead = f"{_names(chosen)} recommended; " if chosen else ""
    explanation = (
        f"{lead}{_names(r.tenderer for r in tied)} tie on {_shown(tied[0].total)} points for"
        f" {open_places} remaining place{'s' * (open_places != 1)}: a decision is needed,"
        " with a reason, on which of them to recommend."
    )
    return Recommendation(chosen, tuple(r.tenderer for r in tied), explanation)


# --- selection --------------------------------------------------------------------------------


def assess_candidate(
    candidate: str,
    criteria: Sequence[SelectionCriterion],
    marks: Mapping[str, bool | Decimal],
    *,
    scale_max: int,
) -> CandidateResult:
    """
    A candidate against the selection criteria: it qualifies when it passes every pass/fail
    criterion and reaches every scored criterion's minimum. The total (Σ weight * score over
    the scored criteria) ranks qualifying candidates for the shortlist; the reasons name every
    failure, for the regret letter.
    """
    _check_scale(scale_max)
    _check_unique("selection criteria", (c.name for c in criteria))
    unknown = sorted(set(marks) - {c.name for c in criteria})
    if unknown:
        raise ValueError(
            f"Candidate “{candidate}” has marks on {_names(unknown)}, which is not a selection"
            " criterion: mark only the published criteria."
        )
    total = Decimal(0)
    reasons: list[str] = []
    for criterion in criteria:
        mark = _mark(candidate, criterion, marks, scale_max)
        if isinstance(mark, bool):
            if not mark:
                reasons.append(f"failed the pass/fail criterion “{criterion.name}”")
            continue
        total += criterion.weight * mark
        if mark < criterion.minimum_score:
            reasons.append(
                f"scored {_number(mark)} of {scale_max} on “{criterion.name}”, below the"
                f" minimum of {_number(criterion.minimum_score)}"
            )
    return CandidateResult(candidate, not reasons, _points(total), tuple(reasons))


def _mark(
    candidate: str,
    criterion: SelectionCriterion,
    marks: Mapping[str, bool | Decimal],
    scale_max: int,
) -> bool | Decimal:
    """The candidate's mark on one criterion, checked against the criterion's assessment."""
    where = f"“{criterion.name}”"
    if criterion.assessment not in _ASSESSMENTS:
        raise ValueError(
            f"Selection criterion {where} has assessment {criterion.assessment!r}: use one of"
            f" {', '.join(_ASSESSMENTS)}."
        )
    if criterion.name not in marks:
        raise ValueError(
            f"Candidate “{candidate}” has no mark on {where}: mark every selection criterion."
        )
    mark = marks[criterion.name]
    if criterion.assessment == "pass_fail":
        if not isinstance(mark, bool):
            raise ValueError(
                f"Candidate “{candidate}” has the mark {mark} on the pass/fail criterion"
                f" {where}: mark it passed or failed (True or False)."
            )
        return mark
    if isinstance(mark, bool) or not isinstance(mark, Decimal):
        raise ValueError(
            f"Candidate “{candidate}” is marked {mark!r} on the scored criterion {where}: give"
            f" a score from 0 to {scale_max}."
        )
    if not criterion.weight.is_finite() or criterion.weight < 0:
        raise ValueError(
            f"The weight of selection criterion {where} is {criterion.weight}: give a number"
            " of 0 or more."
        )
    minimum = criterion.minimum_score
    if not minimum.is_finite() or not 0 <= minimum <= scale_max:
        raise ValueError(
            f"The minimum score of selection criterion {where} is {minimum}: give a score from"
            f" 0 to {scale_max}."
        )
    try:
        _check_score(where, mark, scale_max)
    except ValueError as error:
        raise ValueError(f"Candidate “{candidate}”: {error}") from error
    return mark


def _ranked_results(results: Sequence[CandidateResult]) -> list[Ranked]:
    return rank({r.candidate: r.total for r in results})


def shortlist(
    results: Sequence[CandidateResult],
    *,
    minimum: int,
    maximum: int | None,
) -> Shortlist:
    """
    The candidates invited to tender: the qualifying ones by total, up to `maximum` (None: no
    limit). A tie at the maximum invites every tied candidate, because treating equals
    equally outweighs the exact number; fewer qualifying than `minimum` invites all who
    qualify (the procedure may go on with fewer). Each candidate left out gets its reason.
    """
    _check_count("The minimum number of candidates", minimum)
    if maximum is not None and maximum < minimum:
        raise ValueError(
            f"The maximum number of candidates ({maximum}) is below the minimum ({minimum}):"
            " make the maximum at least the minimum."
        )
    _check_unique("candidate results", (r.candidate for r in results))
    qualifying = _ranked_results([r for r in results if r.qualifies])
    count = len(qualifying)
    not_invited = {
        r.candidate: f"did not meet the selection criteria: {'; '.join(r.reasons)}"
        for r in sorted(results, key=lambda r: r.candidate)
        if not r.qualifies
    }
    if count < minimum:
        invited = [r.tenderer for r in qualifying]
        reason = _too_few(count, minimum)
    elif maximum is None or count <= maximum:
        invited = [r.tenderer for r in qualifying]
        limit = "no maximum was set" if maximum is None else f"within the maximum of {maximum}"
        who = (
            "The only qualifying candidate is"
            if count == 1
            else f"All {count} qualifying candidates are"
        )
        reason = f"{who} invited: {limit}."
    else:
        inside, tied, outside = _cut(qualifying, maximum)
        kept = inside + tied
        invited = [r.tenderer for r in kept]
        reason = _over_maximum(count, maximum, tied, len(kept))
        scored = [r.total for r in kept]
        for r in outside:
            not_invited[r.tenderer] = (
                f"ranked {_ordinal(r.rank)} of {count} qualifying candidates with {_shown(r.total)}"
                f" points; {_invited_phrase(len(kept))} scored {_range(scored)}"
            )
    return Shortlist(tuple(invited), not_invited, reason)


def _too_few(count: int, minimum: int) -> str:
    if count == 0:
        return (
            f"No candidate meets the selection criteria, fewer than the minimum of {minimum}:"
            " nobody can be invited."
        )
    meets = "candidate meets" if count == 1 else "candidates meet"
    return (
        f"Only {count} {meets} the selection criteria, fewer than the minimum of {minimum}:"
        " all qualifying candidates are invited."
    )


def _over_maximum(count: int, maximum: int, tied: list[Ranked], invited: int) -> str:
    if len(tied) == 0:
        return (
            f"The {maximum} highest-scoring of {count} qualifying candidates {_is(maximum)}"
            " invited, the maximum."
        )
    return (
        f"{invited} of {count} qualifying candidates are invited: the maximum is {maximum},"
        f" but {_names(r.tenderer for r in tied)} tie on {_shown(tied[0].total)} points at the"
        " boundary, so every tied candidate is invited."
    )


def _invited_phrase(invited: int) -> str:
    return "the candidate invited" if invited == 1 else f"the {invited} invited"


# --- negotiation ------------------------------------------------------------------------------


def staged_reduction(
    ranked: Sequence[Ranked], *, keep: int
) -> tuple[tuple[str, ...], dict[str, str]]:
    """
    The tenderers kept at a stage of reduction, and the reason each other one is told. A tie
    at the boundary keeps every tied tenderer: equal tenders are treated equally.
    """
    _check_count("The number of tenderers to keep", keep)
    inside, tied, outside = _cut(ranked, keep)
    kept = inside + tied
    scored = [r.total for r in kept]
    removed = {
        r.tenderer: (
            f"ranked {_ordinal(r.rank)} of {len(ranked)} with {_shown(r.total)} points;"
            f" {_kept_phrase(len(kept))} scored {_range(scored)}"
        )
        for r in outside
    }
    return tuple(r.tenderer for r in kept), removed


def _kept_phrase(kept: int) -> str:
    return "the tenderer kept" if kept == 1 else f"the {kept} kept"
