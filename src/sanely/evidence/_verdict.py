"""Verdicts against a target, and the plain-English sentence that explains them."""

import math
import operator
from collections.abc import Callable
from typing import Literal

from ._spec import Comparator, Spec, Target

Verdict = Literal["met", "not met", "inconclusive", "futile", "no target"]

_HOLDS: dict[Comparator, Callable[[float, float], bool]] = {
    ">=": operator.ge,
    ">": operator.gt,
    "<=": operator.le,
    "<": operator.lt,
}
_QUANTIFIER: dict[Comparator, tuple[str, str]] = {
    # comparator -> (words when the threshold lies in the comparator's direction, otherwise)
    ">=": ("at least", "no more than"),
    ">": ("more than", "less than"),
    "<=": ("at least", "no more than"),
    "<": ("more than", "less than"),
}


def judge(target: Target | None, estimate: float, low: float, high: float) -> Verdict:
    """met / not met / inconclusive under the target's evidence standard.

    standard = estimate: the point estimate is compared with the threshold. standard =
    ci_bound: met when the whole interval satisfies the comparator, not met when none of it
    does, otherwise inconclusive.
    """
    if target is None:
        return "no target"
    holds = _HOLDS[target.comparator]
    if target.standard == "estimate":
        return "met" if holds(estimate, target.threshold) else "not met"
    if holds(low, target.threshold) and holds(high, target.threshold):
        return "met"
    if not holds(low, target.threshold) and not holds(high, target.threshold):
        return "not met"
    return "inconclusive"


def number(value: float) -> str:
    """A figure for prose: three significant figures without trailing zeros, no exponent."""
    if value == 0 or not math.isfinite(value):
        return f"{value:g}"
    digits = max(0, 2 - math.floor(math.log10(abs(value))))
    text = f"{value:,.{digits}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _exact(value: float) -> str:
    return f"{value:,g}" if abs(value) < 1e15 else number(value)


def describe_metric(spec: Spec) -> str:
    """The metric in words: metric.label, or one built from the statistic and column names."""
    if spec.metric.label:
        return spec.metric.label
    value, exposure = spec.columns.value, spec.columns.exposure
    return {
        "mean": f"the average {value}",
        "proportion": f"the proportion of {value}",
        "total": f"the total {value}",
        "rate": f"the rate of {value} per {exposure}",
        "ratio": f"the ratio of {value} to {exposure}",
        "median": f"the median {value}",
        "percentile": f"the {spec.metric.percentile:g}th percentile of {value}",
    }[spec.metric.statistic]


def _at_the_change(spec: Spec) -> str:
    """When the level changed (from design.change_at, or at the start of the pilot) and the
    comparison series, if any."""
    when = f"from {spec.design.change_at}" if spec.design.change_at else "at the start of the pilot"
    return f"relative to the comparison series {when}" if spec.design.treated else when


class _Words:
    """How a design talks about a signed quantity: changes, group differences or levels."""

    def __init__(self, spec: Spec) -> None:
        self.kind = spec.design.kind
        self.metric = describe_metric(spec)
        self.units = f" {spec.metric.units}" if spec.metric.units else ""
        treated = spec.design.treated
        comparison = "not yet" if spec.design.comparison == "not_yet_treated" else "never"
        self.subject = {
            "did": f"relative to the comparison group, {self.metric}",
            "its": f"{_at_the_change(spec)}, the level of {self.metric}",
            "synthetic_control": (
                f"relative to its synthetic control, {self.metric} in {', '.join(treated)}"
            ),
            "staggered": f"relative to units {comparison} in the pilot, {self.metric} in its units",
        }.get(self.kind, self.metric)

    def amount(self, value: float) -> str:
        return f"{number(abs(value))}{self.units}"

    def point(self, value: float) -> str:
        if self.kind == "threshold":
            return f"{self.metric} is {number(value)}{self.units}"
        if self.kind == "two_group":
            side = "higher" if value > 0 else "lower"
            amount = self.amount(value)
            return f"{self.metric} is {amount} {side} in the pilot group than the comparison group"
        if value == 0:
            return f"{self.subject} did not change"
        return f"{self.subject} {'rose' if value > 0 else 'fell'} by {self.amount(value)}"

    def interval(self, low: float, high: float) -> str:
        a, b = number(abs(low)), number(abs(high))
        if self.kind == "threshold":
            return f"{self.metric} is between {number(low)} and {number(high)}{self.units}"
        if self.kind == "two_group":
            if low >= 0:
                span = f"between {a} and {b}{self.units} higher"
            elif high <= 0:
                span = f"between {b} and {a}{self.units} lower"
            else:
                span = f"between {a}{self.units} lower and {b}{self.units} higher"
            return f"{self.metric} is {span} in the pilot group than in the comparison group"
        if low >= 0:
            return f"{self.subject} rose by between {a} and {b}{self.units}"
        if high <= 0:
            return f"{self.subject} fell by between {b} and {a}{self.units}"
        return f"{self.subject} changed by between a fall of {a} and a rise of {b}{self.units}"

    def target(self, target: Target) -> str:
        threshold, comparator = target.threshold, target.comparator
        if self.kind == "threshold":
            words = {">=": "at least", ">": "more than", "<=": "at most", "<": "less than"}
            return f"{words[comparator]} {_exact(threshold)}{self.units}"
        rising = comparator in (">=", ">")
        if threshold == 0:
            wanted = {">=": "no fall", ">": "a rise", "<=": "no rise", "<": "a fall"}[comparator]
            if self.kind == "two_group":
                wanted = {">=": "no lower", ">": "higher", "<=": "no higher", "<": "lower"}[
                    comparator
                ]
                return f"for the pilot group to be {wanted}"
            return wanted
        upward = threshold > 0
        quantifier = _QUANTIFIER[comparator][0 if rising == upward else 1]
        size = f"{_exact(abs(threshold))}{self.units}"
        if self.kind == "two_group":
            return (
                f"for the pilot group to be {quantifier} {size} {'higher' if upward else 'lower'}"
            )
        return f"a {'rise' if upward else 'fall'} of {quantifier} {size}"


def strengthen(spec: Spec, target: Target, estimate: float, low: float, high: float) -> str:
    """What would decide an inconclusive target: how much narrower the interval must be, and
    about how much more data that takes if the estimate held (width falls as 1/√data)."""
    gap = abs(estimate - target.threshold)
    if not _HOLDS[target.comparator](estimate, target.threshold) or gap == 0:
        return (
            "The estimate itself falls short of the target, so more data would more likely "
            "show it not met than met."
        )
    more = ((high - low) / 2 / gap) ** 2
    what = "units (more clusters, not more rows per unit)" if spec.columns.unit else "data"
    return (
        f"To decide it, the interval must narrow to ±{number(gap)}{_Words(spec).units} around "
        f"the estimate: about {number(more)} times as many {what}, if the estimate held."
    )


def explain(
    spec: Spec, estimate: float, low: float, high: float, confidence: float, verdict: Verdict
) -> str:
    """The plain-English sentence for an assessment, e.g. 'We are 95% confident that the
    average waiting time fell by between 3.1 and 5.4 minutes; the target was a fall of at
    least 2 minutes: met.'"""
    words = _Words(spec)
    level = f"{confidence * 100:g}%"
    target = spec.target
    if target is not None and target.standard == "estimate":
        return (
            f"Our best estimate is that {words.point(estimate)} ({level} confidence interval: "
            f"{number(low)} to {number(high)}); the target was {words.target(target)}, "
            f"judged on the estimate: {verdict}."
        )
    sentence = f"We are {level} confident that {words.interval(low, high)}"
    if target is None:
        return sentence + "."
    return f"{sentence}; the target was {words.target(target)}: {verdict}."
