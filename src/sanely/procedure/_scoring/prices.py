"""Price: the published formulas, points with the working shown, and abnormally low prices."""

from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal

from sanely.procedure._errors import ScoringDesignError, ScoringInputError
from sanely.procedure._scoring._common import (
    HUNDRED,
    Points,
    check_weight,
    divide,
    money,
    number,
    rounded,
)

PRICE_FORMULAS: dict[str, str] = {
    "relative_to_lowest": (
        "Price points = price weight × lowest tendered price ÷ this tender's price."
    ),
    "linear_to_max_cost": (
        "Price points = price weight × (maximum cost − this tender's price) ÷ (maximum cost −"
        " lowest tendered price); a price at the maximum cost scores 0."
    ),
}


def check_formula(formula: str) -> None:
    """The formula is one of PRICE_FORMULAS."""
    if formula not in PRICE_FORMULAS:
        raise ScoringDesignError(
            f"Unknown price formula {formula!r}: use one of {', '.join(PRICE_FORMULAS)}."
        )


def _check_prices(prices: Mapping[str, Decimal]) -> None:
    for tenderer, price in prices.items():
        if not price.is_finite() or price <= 0:
            raise ScoringInputError(
                "The price of ",
                (tenderer,),
                f" is {price}: a price must be a positive amount; correct the recorded price.",
            )


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
    check_formula(formula)
    check_weight("the price criterion", weight)
    _check_prices(prices)
    if not prices:
        return {}
    lowest = min(prices.values())
    shown = number(weight)
    result: dict[str, Points] = {}
    if formula == "relative_to_lowest":
        for tenderer, price in prices.items():
            points = rounded(divide(weight * lowest, price))
            explanation = f"lowest {money(lowest)} ÷ {money(price)} × {shown} = {points}"
            result[tenderer] = Points("Price", points, explanation, "price", weight)
        return result
    maximum = _max_cost(prices, max_cost)
    for tenderer, price in prices.items():
        if maximum == lowest:
            # Every price equals the maximum cost: the formula is 0 ÷ 0, and equal prices
            # must score equally, so each gets the whole weight.
            points = rounded(weight)
            explanation = (
                f"every tender is at the maximum cost {money(maximum)}, so each scores the"
                f" full weight {shown} = {points}"
            )
        else:
            points = rounded(divide(weight * (maximum - price), maximum - lowest))
            explanation = (
                f"(maximum {money(maximum)} − {money(price)}) ÷ (maximum {money(maximum)}"
                f" − lowest {money(lowest)}) × {shown} = {points}"
            )
        result[tenderer] = Points("Price", points, explanation, "price", weight)
    return result


def _max_cost(prices: Mapping[str, Decimal], max_cost: Decimal | None) -> Decimal:
    """The published maximum cost, checked against every price."""
    if max_cost is None or not max_cost.is_finite() or max_cost <= 0:
        raise ScoringDesignError(
            f"The price formula linear_to_max_cost needs the published maximum cost, a positive"
            f" amount (given: {max_cost}): record it in the procurement's purchase section."
        )
    for tenderer, price in prices.items():
        if price > max_cost:
            raise ScoringInputError(
                "The price of ",
                (tenderer,),
                f", {money(price)}, is above the maximum cost {money(max_cost)}: the formula"
                " cannot score it; check the price, or reject the tender as the procurement"
                " documents say.",
            )
    return max_cost


def abnormally_low(prices: Mapping[str, Decimal], *, percent: Decimal) -> dict[str, str]:
    """
    The prices more than `percent` % below the mean of the other tenders' prices, each with
    the sentence why: such a tender must be investigated (the tenderer asked to explain)
    before it can be rejected, never rejected on the arithmetic alone. Each price is compared
    with the others only, so it cannot pull its own benchmark down. Needs two tenders.
    """
    if not percent.is_finite() or not 0 <= percent < HUNDRED:
        raise ScoringDesignError(
            f"The abnormally low threshold is {percent} %: give a percentage from 0 to below 100."
        )
    _check_prices(prices)
    if len(prices) < 2:
        return {}
    everything = sum(prices.values(), Decimal(0))
    others = Decimal(len(prices) - 1)
    flagged: dict[str, str] = {}
    for tenderer, price in sorted(prices.items()):
        mean = divide(everything - price, others)
        below = divide((mean - price) * HUNDRED, mean)
        if below > percent:
            flagged[tenderer] = (
                f"{money(price)} is {_percent_above(below, percent)} below the mean of the"
                f" other tenders ({money(mean)}); the threshold is {number(percent)} %."
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
    return f"just over {number(threshold)} %"
