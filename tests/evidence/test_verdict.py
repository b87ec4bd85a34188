"""Verdicts under each evidence standard and the sentences that explain them."""

from typing import Any

import pytest

from sanely.evidence import Target, assess, judge, parse_spec, table_from_arrays
from sanely.evidence._verdict import explain, number


@pytest.mark.parametrize(
    ("comparator", "low", "high", "expected"),
    [
        ("<=", -5.4, -3.1, "met"),
        ("<=", -5.4, -1.0, "inconclusive"),
        ("<=", -1.5, -1.0, "not met"),
        (">", 2.0, 3.0, "inconclusive"),
        (">", 2.5, 3.0, "met"),
        (">", 1.0, 2.0, "not met"),
        ("<", 1.0, 2.0, "inconclusive"),
        (">=", 2.0, 3.0, "met"),
    ],
)
def test_confidence_bound_standard(comparator: Any, low: float, high: float, expected: str) -> None:
    target = Target(comparator=comparator, threshold=2.0 if comparator != "<=" else -2.0)
    assert expected == judge(target, (low + high) / 2, low, high)


def test_estimate_standard_and_no_target() -> None:
    target = Target(comparator=">=", threshold=2.0, standard="estimate")
    assert ("met", "not met", "no target") == (
        judge(target, 2.0, -9.0, 9.0),
        judge(target, 1.9, 1.0, 9.0),
        judge(None, 1.0, 0.0, 2.0),
    )


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (0.0, "0"),
        (3.14159, "3.14"),
        (0.05243, "0.0524"),
        (2.0, "2"),
        (12.0, "12"),
        (-11863.9, "-11,864"),
        (float("nan"), "nan"),
    ],
)
def test_numbers_in_prose_have_three_significant_figures(value: float, text: str) -> None:
    assert text == number(value)


def spec_for(kind: str, comparator: str | None, threshold: float = 0.0, **metric: Any) -> Any:
    columns = {"value": "waiting", "group": "arm", "period": "quarter", "exposure": "hours"}
    raw: dict[str, Any] = {
        "columns": columns,
        "design": {
            "kind": kind,
            "treated": ["p"],
            "control": ["c"],
            "before": ["1"],
            "after": ["2"],
        },
        "metric": {"statistic": "mean", **metric},
    }
    if kind in ("threshold", "before_after", "its"):
        del raw["design"]["treated"], raw["design"]["control"]
    if kind in ("threshold", "two_group"):
        del raw["design"]["before"], raw["design"]["after"]
    if comparator:
        raw["target"] = {"comparator": comparator, "threshold": threshold}
    return parse_spec(raw)


def test_the_issue_example_sentence() -> None:
    spec = spec_for("before_after", "<=", -2.0, label="average waiting time", units="minutes")
    assert (
        "We are 95% confident that average waiting time fell by between 3.1 and 5.4 minutes; "
        "the target was a fall of at least 2 minutes: met."
    ) == explain(spec, -4.2, -5.4, -3.1, 0.95, "met")


@pytest.mark.parametrize(
    ("kind", "comparator", "threshold", "low", "high", "expected"),
    [
        (
            "did",
            ">=",
            1.5,
            2.0,
            3.0,
            "relative to the comparison group, the average waiting "
            "rose by between 2 and 3; the target was a rise of at least 1.5: met.",
        ),
        (
            "its",
            ">",
            -1.0,
            -2.0,
            1.0,
            "at the start of the pilot, the level of the average "
            "waiting changed by between a fall of 2 and a rise of 1; the target was a fall "
            "of less than 1: inconclusive.",
        ),
        (
            "before_after",
            "<",
            3.0,
            1.0,
            2.0,
            "the average waiting rose by between 1 and "
            "2; the target was a rise of less than 3: met.",
        ),
        (
            "before_after",
            "<=",
            0.0,
            1.0,
            2.0,
            "the average waiting rose by between 1 and 2; the target was no rise: not met.",
        ),
        (
            "two_group",
            ">=",
            1.0,
            1.5,
            2.0,
            "the average waiting is between 1.5 and 2 "
            "higher in the pilot group than in the comparison group; the target was for the "
            "pilot group to be at least 1 higher: met.",
        ),
        (
            "two_group",
            "<",
            -1.0,
            -2.0,
            -1.5,
            "the average waiting is between 1.5 and 2 "
            "lower in the pilot group than in the comparison group; the target was for the "
            "pilot group to be more than 1 lower: met.",
        ),
        (
            "two_group",
            "<",
            0.0,
            -2.0,
            1.5,
            "the average waiting is between 2 lower and "
            "1.5 higher in the pilot group than in the comparison group; the target was for the "
            "pilot group to be lower: inconclusive.",
        ),
        (
            "threshold",
            ">=",
            10.0,
            9.0,
            12,
            "the average waiting is between 9 and 12; the target was at least 10: inconclusive.",
        ),
    ],
)
def test_sentences_for_each_design(
    kind: str, comparator: str, threshold: float, low: float, high: float, expected: str
) -> None:
    spec = spec_for(kind, comparator, threshold)
    verdict = judge(spec.target, (low + high) / 2, low, high)
    assert f"We are 95% confident that {expected}" == explain(
        spec, (low + high) / 2, low, high, 0.95, verdict
    )


@pytest.mark.parametrize(
    ("kind", "estimate", "expected"),
    [
        ("threshold", 4.0, "the rate of waiting per hours is 4"),
        (
            "two_group",
            -4.0,
            "the rate of waiting per hours is 4 lower in the pilot group than the comparison group",
        ),
        (
            "two_group",
            4.0,
            "the rate of waiting per hours is 4 higher in the pilot group "
            "than the comparison group",
        ),
        (
            "did",
            0.0,
            "relative to the comparison group, the rate of waiting per hours did not change",
        ),
        (
            "its",
            -1.0,
            "at the start of the pilot, the level of the rate of waiting per hours fell by 1",
        ),
    ],
)
def test_estimate_standard_sentences(kind: str, estimate: float, expected: str) -> None:
    spec = spec_for(kind, ">=", 0.5, statistic="rate")
    spec = type(spec)(**{**spec.__dict__, "target": Target(">=", 0.5, standard="estimate")})
    text = explain(spec, estimate, -9.0, 9.0, 0.9, judge(spec.target, estimate, -9, 9))
    assert text.startswith(f"Our best estimate is that {expected} (90% confidence interval: ")


@pytest.mark.parametrize(
    ("statistic", "words"),
    [
        ("proportion", "the proportion of waiting"),
        ("total", "the total waiting"),
        ("ratio", "the ratio of waiting to hours"),
        ("median", "the median waiting"),
        ("percentile", "the 90th percentile of waiting"),
    ],
)
def test_metrics_without_labels_are_named_from_columns(statistic: str, words: str) -> None:
    spec = spec_for("threshold", None, statistic=statistic, percentile=90)
    assert f"We are 95% confident that {words} is between 1 and 2." == explain(
        spec, 1.5, 1.0, 2.0, 0.95, "no target"
    )


@pytest.mark.parametrize(
    ("comparator", "threshold", "words"),
    [
        (">=", -2.0, "a fall of no more than 2"),
        ("<=", 3.0, "a rise of no more than 3"),
        (">", 0.0, "a rise"),
        ("<", 0.0, "a fall"),
        (">=", 0.0, "no fall"),
    ],
)
def test_change_targets_in_words(comparator: str, threshold: float, words: str) -> None:
    spec = spec_for("before_after", comparator, threshold)
    assert explain(spec, 0.0, -1.0, 1.0, 0.95, "inconclusive").endswith(
        f"the target was {words}: inconclusive."
    )


@pytest.mark.parametrize(
    ("comparator", "words"), [(">=", "no lower"), (">", "higher"), ("<=", "no higher")]
)
def test_group_targets_of_zero_in_words(comparator: str, words: str) -> None:
    spec = spec_for("two_group", comparator, 0.0)
    assert explain(spec, 0.0, -1.0, 1.0, 0.95, "inconclusive").endswith(
        f"the target was for the pilot group to be {words}: inconclusive."
    )


def test_threshold_comparators_in_words() -> None:
    texts = [
        explain(spec_for("threshold", c, 5.0), 1.0, 0.5, 1.5, 0.95, "not met")
        for c in (">", "<=", "<")
    ]
    assert ["more than 5", "at most 5", "less than 5"] == [
        t.split("target was ")[1].split(":")[0] for t in texts
    ]


def inconclusive_data() -> Any:
    # Two groups of 8 units; the pilot is 0.3 higher, with noise that leaves it undecided.
    values = [1.0, 1.4, 0.8, 1.2, 0.9, 1.3, 1.1, 0.7, 1.5, 1.0, 1.6, 1.2, 1.1, 1.7, 1.3, 0.9]
    return table_from_arrays(values, unit=list(range(16)), group=[0] * 8 + [1] * 8)


def strengthen_spec(threshold: float, unit: bool = True) -> Any:
    columns = {"value": "v", "group": "g"} | ({"unit": "u"} if unit else {})
    return {
        "columns": columns,
        "design": {"kind": "two_group", "treated": ["1"], "control": ["0"]},
        "metric": {"statistic": "mean", "units": "minutes"},
        "target": {"comparator": ">=", "threshold": threshold},
        "inference": {"method": "analytic"},
    }


def test_an_inconclusive_result_says_how_much_more_data_would_decide_it() -> None:
    result = assess(inconclusive_data(), strengthen_spec(0.0))
    assert result.verdict == "inconclusive"
    half_width = (result.ci_high - result.ci_low) / 2
    times = number((half_width / result.estimate) ** 2)
    assert result.explanation.endswith(
        f"To decide it, the interval must narrow to ±{number(result.estimate)} minutes around "
        f"the estimate: about {times} times as many units (more clusters, not more rows per "
        "unit), if the estimate held."
    )
    rows = assess(inconclusive_data(), strengthen_spec(0.0, unit=False))
    assert rows.explanation.endswith("times as many data, if the estimate held.")


def test_an_estimate_short_of_the_target_is_not_promised_a_met_by_more_data() -> None:
    result = assess(inconclusive_data(), strengthen_spec(0.4))
    assert result.verdict == "inconclusive"
    assert result.explanation.endswith(
        "The estimate itself falls short of the target, so more data would more likely show "
        "it not met than met."
    )
