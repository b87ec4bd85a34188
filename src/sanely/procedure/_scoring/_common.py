"""
What every part of the scoring shares: exact arithmetic, the way figures are written, the
checks of a scale, weight, score or count, and the points one tender earns on one criterion.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, localcontext

from sanely.procedure._errors import ScoringDesignError, ScoringInputError, listed

HUNDRED = Decimal(100)
CENT = Decimal("0.01")


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


def divide(numerator: Decimal, denominator: Decimal) -> Decimal:
    """One division in a wide context, so rounding to 2 places is the only rounding that shows."""
    with localcontext() as context:
        context.prec = 60
        return numerator / denominator


def rounded(value: Decimal) -> Decimal:
    """Final points: 2 places, half up (as a person checking by hand would round)."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def number(value: Decimal) -> str:
    """A weight or score as written: 40, 12.5 (no trailing zeros, no exponent)."""
    return format(value.normalize(), "f")


def money(value: Decimal) -> str:
    return f"£{rounded(value):,}"


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def count(n: int, noun: str) -> str:
    return f"{n} {noun}{'s' * (n != 1)}"


def is_or_are(n: int) -> str:
    return "is" if n == 1 else "are"


def shown(points: Decimal) -> str:
    """Points as published: 12.00."""
    return str(rounded(points))


def spread(totals: Sequence[Decimal]) -> str:
    low, high = shown(min(totals)), shown(max(totals))
    return low if low == high else f"{low} to {high}"


def check_scale(scale_max: int) -> None:
    if scale_max < 1:
        raise ScoringDesignError(
            f"The scoring scale maximum is {scale_max}: use a whole number of 1 or more."
        )


def check_weight(what: str, weight: Decimal) -> None:
    if not weight.is_finite() or not 0 < weight <= HUNDRED:
        raise ScoringDesignError(
            f"The weight of {what} is {weight}: give it a percentage above 0 and at most 100."
        )


def check_score(what: str, score: Decimal, scale_max: int) -> None:
    if not score.is_finite() or not 0 <= score <= scale_max:
        raise ScoringInputError(
            f"The score {score} on {what} is outside the scale: give a score from 0 to {scale_max}."
        )


def check_unique(what: str, names: Iterable[str]) -> None:
    seen: set[str] = set()
    for name in names:
        if name in seen:
            raise ScoringDesignError(f"Two {what} are named “{name}”: give each a different name.")
        seen.add(name)


def check_count(what: str, value: int) -> None:
    if value < 1:
        raise ScoringDesignError(f"{what} is {value}: it must be 1 or more.")


__all__ = ["listed"]  # re-exported: the scoring's sentences quote names as errors do
