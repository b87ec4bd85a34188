"""Planning: minimum detectable effects and the duration a target needs."""

from typing import Any

import pytest
from statsmodels.stats.power import NormalIndPower

from sanely.evidence import SpecError, parse_spec, plan
from sanely.evidence._sequential import boundaries as sequential_boundaries


def spec_for(kind: str = "two_group", threshold: float = -2.0, **target: Any) -> Any:
    columns = {"value": "v", "group": "g", "period": "p"}
    design: dict[str, Any] = {"kind": kind}
    if kind in ("two_group", "did"):
        design |= {"treated": ["t"], "control": ["c"]}
    if kind in ("before_after", "did", "its"):
        design |= {"before": ["1"], "after": ["2"]}
    raw: dict[str, Any] = {"columns": columns, "design": design, "metric": {"units": "minutes"}}
    if threshold is not None:
        raw["target"] = {"comparator": "<=", "threshold": threshold, **target}
    return parse_spec(raw)


def test_two_group_mde_matches_statsmodels_power_for_a_z_test() -> None:
    result = plan(spec_for(), sd=5.0, rows_per_period=50, periods=2)
    effect = NormalIndPower().solve_power(nobs1=100, alpha=0.05, power=0.8, ratio=1.0)
    # statsmodels also counts rejections in the far tail, which moves its answer by ~1e-6.
    assert 5.0 * effect == pytest.approx(result.minimum_detectable_effect, rel=1e-5)


def test_a_short_phase_warns_and_says_how_many_periods_are_needed() -> None:
    result = plan(spec_for("did"), sd=6.0, rows_per_period=20, periods=2)
    assert (False, 15) == (result.decidable, result.required_periods)
    assert "This phase is too short to decide its target: about 15 periods are needed." == (
        result.warning
    )
    assert result.explanation.startswith(
        "With 20 rows per group per period for 2 period(s), the smallest difference this "
        "phase can detect (80% power, 95% confidence) is "
    )


def test_a_long_enough_phase_is_decidable() -> None:
    result = plan(spec_for("before_after"), sd=1.0, rows_per_period=100, periods=3)
    assert (True, None) == (result.decidable, result.warning)
    assert result.explanation.endswith("The phase is long enough to decide it.")


def test_clustering_inflates_the_mde_by_the_design_effect() -> None:
    plain = plan(spec_for(), sd=1.0, rows_per_period=100, periods=1)
    clustered = plan(spec_for(), sd=1.0, rows_per_period=100, periods=1, units=10, icc=0.05)
    # 10 rows per unit: design effect 1 + 9 x 0.05 = 1.45.
    assert plain.minimum_detectable_effect * 1.45**0.5 == pytest.approx(
        clustered.minimum_detectable_effect
    )


def test_a_threshold_design_measures_the_distance_from_the_expected_value() -> None:
    result = plan(spec_for("threshold", 10.0), sd=2.0, rows_per_period=10, periods=4, expected=9.0)
    assert 1.0 == result.distance


def test_a_target_of_no_change_can_never_be_told_from_no_change() -> None:
    result = plan(spec_for(threshold=0.0), sd=1.0, rows_per_period=10, periods=1)
    assert (None, "even 1000 periods would not be enough") == (
        result.required_periods,
        (result.warning or "").split(": ")[1].rstrip("."),
    )


@pytest.mark.parametrize(
    ("spec", "arguments", "message"),
    [
        (spec_for("its"), {}, "Planning needs a \\[target\\]"),
        (spec_for(threshold=None), {}, "Planning needs a \\[target\\]"),
        (spec_for("threshold", 1.0), {}, "needs the expected value"),
        (spec_for(), {"sd": 0.0}, "Planning needs sd > 0"),
        (spec_for(), {"icc": 1.0}, "0 <= icc < 1"),
    ],
)
def test_planning_inputs_are_checked(spec: Any, arguments: dict[str, Any], message: str) -> None:
    values = {"sd": 1.0, "rows_per_period": 10.0, "periods": 2} | arguments
    with pytest.raises(SpecError, match=message):
        plan(spec, **values)


def test_a_group_sequential_plan_shows_its_boundaries_and_needs_more_data() -> None:
    single = spec_for("did")
    raw = {
        "columns": {"value": "v", "group": "g", "period": "p"},
        "design": {"kind": "did", "treated": ["t"], "control": ["c"]}
        | {"before": ["1"], "after": ["2"]},
        "metric": {"units": "minutes"},
        "target": {"comparator": "<=", "threshold": -2.0},
        "sequential": {"looks": 3, "look": 1, "futility": True},
    }
    looks = plan(parse_spec(raw), sd=6.0, rows_per_period=20, periods=2)
    fixed = plan(single, sd=6.0, rows_per_period=20, periods=2)
    boundaries = sequential_boundaries(3, 0.025, "obrien_fleming", futility="obrien_fleming")
    assert looks.minimum_detectable_effect == pytest.approx(
        fixed.minimum_detectable_effect * boundaries.inflation**0.5
    )
    assert looks.required_periods is not None
    assert fixed.required_periods is not None
    assert looks.required_periods > fixed.required_periods
    assert "look 1 at 33% of the data: met at z >= 3.710, futile at z <= " in looks.explanation
    assert f"needs {boundaries.inflation:.3f} times the data of a single look" in (
        looks.explanation
    )
