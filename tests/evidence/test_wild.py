"""The wild cluster bootstrap against the reference implementation (wildboottest).

With Rademacher weights and 2^G <= B both enumerate every sign pattern, so the p-values must
agree exactly, except that we count the two patterns that reproduce the data (t* = t) as
extreme and wildboottest may not (rounding decides); with Webb weights they agree within
Monte Carlo error. Intervals are checked
by test inversion: wildboottest's p-value at our bounds is the confidence's alpha.
"""

import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from hypothesis import given, settings
from hypothesis import strategies as st
from wildboottest.wildboottest import wildboottest

from sanely.evidence import AnalysisError, SpecError, assess, parse_spec, table_from_arrays
from sanely.evidence._wild import FEW_CLUSTERS, wild_weights


def panel(seed: int, units: int, rows: int, effect: float = 0.0, treated_units: int = 0) -> Any:
    """Rows of units (half pilot unless `treated_units`), before/after, with a unit effect."""
    rng = np.random.default_rng(seed)
    unit = rng.integers(0, units, rows)
    unit[:units] = np.arange(units)  # every unit has rows
    arm = (unit < (treated_units or units // 2)).astype(int)
    post = rng.integers(0, 2, rows)
    post[: 2 * units] = np.tile([0, 1], units)  # and rows both before and after
    unit_effect = rng.normal(size=units)[unit]
    shock = rng.normal(size=(units, 2))[unit, post]  # clustered errors
    y = 3 + unit_effect + 0.4 * post + effect * arm * post + shock + rng.normal(size=rows)
    return y, unit, post, arm


def spec(kind: str = "did", **inference: Any) -> dict[str, Any]:
    columns = {"value": "y", "unit": "u", "group": "g"}
    design: dict[str, Any] = {"kind": kind, "treated": ["1"], "control": ["0"]}
    if kind == "did":
        columns["period"] = "p"
        design |= {"before": ["0"], "after": ["1"]}
    return {
        "columns": columns,
        "design": design,
        "metric": {"statistic": "mean"},
        "inference": inference,
    }


def agrees(ours: float, theirs: float, clusters: int) -> bool:
    """Equal p-values up to the two sign patterns whose t* ties t (we count them)."""
    return bool(0 <= ours - theirs <= 2 / 2**clusters + 1e-12)


def reference_p(y: Any, unit: Any, regressors: dict[str, Any], param: str, **options: Any) -> float:
    """wildboottest's p-value for param = 0 in OLS of y on a constant and the regressors."""
    exog = sm.add_constant(pd.DataFrame(regressors))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # its note that it enumerates the sign patterns
        frame = wildboottest(
            sm.OLS(y, exog),
            B=9999,
            cluster=unit,
            param=param,
            show=False,
            parallel=False,
            **options,
        )
    return float(frame["p-value"].iloc[0])


def did_regressors(post: Any, arm: Any) -> dict[str, Any]:
    return {"treat": arm, "post": post, "did": arm * post}


def test_difference_in_differences_p_value_equals_wildboottest_when_signs_are_enumerated() -> None:
    y, unit, post, arm = panel(3, units=10, rows=2000, effect=0.5)
    ours = assess(table_from_arrays(y, None, unit, post, arm), spec(wild_weights="rademacher"))
    theirs = reference_p(y, unit, did_regressors(post, arm), "did")
    assert "all 1,024 Rademacher sign patterns" in ours.method
    assert agrees(ours.p_value, theirs, 10)
    assert 0 < theirs < 1


@settings(max_examples=8, deadline=None)
@given(seed=st.integers(0, 10_000), units=st.integers(6, 11), effect=st.floats(-1, 1))
def test_two_group_p_values_equal_wildboottest_on_random_data(
    seed: int, units: int, effect: float
) -> None:
    y, unit, _post, arm = panel(seed, units, rows=40 * units, effect=effect)
    y = y + effect * arm
    ours = assess(
        table_from_arrays(y, None, unit, group=arm),
        spec("two_group", wild_weights="rademacher", replicates=9999),
    )
    theirs = reference_p(y, unit, {"treat": arm}, "treat")
    assert agrees(ours.p_value, theirs, units)


def test_webb_weights_agree_with_wildboottest_within_monte_carlo_error() -> None:
    y, unit, post, arm = panel(5, units=12, rows=3000, effect=0.6)
    ours = assess(table_from_arrays(y, None, unit, post, arm), spec(replicates=9999, seed=1))
    theirs = reference_p(y, unit, did_regressors(post, arm), "did", weights_type="webb", seed=7)
    assert "9,999 replicates of Webb weights, seed 1" in ours.method
    # Two independent estimates of one p-value: their difference has sd sqrt(2 p (1-p) / B).
    tolerance = 4 * np.sqrt(2 * theirs * (1 - theirs) / 9999)
    assert abs(ours.p_value - theirs) <= tolerance
    assert 0.001 < theirs < 0.999


def test_the_interval_is_where_wildboottest_stops_rejecting() -> None:
    y, unit, post, arm = panel(11, units=9, rows=1800, effect=0.8)
    ours = assess(
        table_from_arrays(y, None, unit, post, arm),
        spec(wild_weights="rademacher", confidence=0.9),
    )
    regressors = did_regressors(post, arm)
    for bound in (ours.ci_low, ours.ci_high):
        # Testing δ = θ0 is testing δ = 0 with θ0·D taken off the outcome.
        just_inside = bound + (ours.estimate - bound) * 1e-6
        just_outside = bound - (ours.estimate - bound) * 1e-6
        inside = reference_p(y - just_inside * arm * post, unit, regressors, "did")
        outside = reference_p(y - just_outside * arm * post, unit, regressors, "did")
        assert inside >= 0.1 - 2 / 2**9  # up to the ties it does not count
        assert outside < 0.1


def test_fixed_effects_p_value_equals_wildboottest_with_unit_and_period_dummies() -> None:
    rng = np.random.default_rng(8)
    units, periods = 8, 4
    unit = np.repeat(np.arange(units), periods * 15)
    period = np.tile(np.repeat(np.arange(periods), 15), units)
    arm = (unit < 3).astype(int)
    treated = arm * (period >= 2)
    y = rng.normal(size=units)[unit] + 0.2 * period + 0.3 * treated + rng.normal(size=len(unit))
    y += rng.normal(size=(units, periods))[unit, period]
    fixed = spec(wild_weights="rademacher")
    fixed["design"] |= {"before": ["0", "1"], "after": ["2", "3"], "fixed_effects": True}
    ours = assess(table_from_arrays(y, None, unit, period, arm), fixed)
    dummies = {f"u{g}": (unit == g).astype(float) for g in range(1, units)}
    dummies |= {f"p{t}": (period == t).astype(float) for t in range(1, periods)}
    theirs = reference_p(y, unit, {"treated": treated} | dummies, "treated")
    assert "two-way fixed effects" in ours.method
    assert agrees(ours.p_value, theirs, units)
    analytic = assess(
        table_from_arrays(y, None, unit, period, arm), fixed | {"inference": {"method": "analytic"}}
    )
    assert analytic.std_error == pytest.approx(ours.std_error, rel=1e-12)


def test_a_rate_is_bootstrapped_as_its_weighted_regression() -> None:
    # Σy/Σx per cell is weighted least squares of y/x on cell indicators with weights x.
    y, unit, post, arm = panel(2, units=6, rows=600, effect=0.5)
    hours = np.random.default_rng(2).uniform(0.5, 2, len(y))
    rate = spec(wild_weights="rademacher")
    rate["columns"]["exposure"] = "x"
    rate["metric"] = {"statistic": "rate"}
    ours = assess(table_from_arrays(y * hours, hours, unit, post, arm), rate)
    exog = sm.add_constant(pd.DataFrame(did_regressors(post, arm)))
    root = np.sqrt(hours)
    weighted = sm.OLS(y * root, exog.mul(root, axis=0))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = wildboottest(
            weighted, B=9999, cluster=unit, param="did", show=False, parallel=False
        )
    assert agrees(ours.p_value, float(theirs["p-value"].iloc[0]), 6)


def test_the_weights_are_seeded_and_have_mean_zero_and_variance_one() -> None:
    webb, enumerated = wild_weights("webb", 20, 50_000, seed=4)
    again, _ = wild_weights("webb", 20, 50_000, seed=4)
    assert not enumerated
    assert np.array_equal(webb, again)
    assert abs(webb.mean()) < 0.01
    assert webb.var() == pytest.approx(1, abs=0.01)
    assert set(np.round(np.unique(webb) ** 2, 12)) == {0.5, 1.0, 1.5}
    signs, enumerated = wild_weights("rademacher", 3, 8, seed=0)
    assert enumerated
    assert {tuple(column) for column in signs.T} == {
        (a, b, c) for a in (-1, 1) for b in (-1, 1) for c in (-1, 1)
    }
    drawn, enumerated = wild_weights("rademacher", 20, 1000, seed=0)
    assert not enumerated
    assert set(np.unique(drawn)) == {-1.0, 1.0}


def test_few_clusters_make_the_wild_bootstrap_the_default_and_the_sentence_says_why() -> None:
    y, unit, post, arm = panel(1, units=12, rows=2400, effect=-1.0)
    table = table_from_arrays(y, None, unit, post, arm)
    default = assess(table, spec() | {"target": {"comparator": "<=", "threshold": -0.2}})
    assert "wild cluster bootstrap" in default.method
    assert "Webb weights" in default.method  # 12 clusters or fewer
    assert "because there are only 12 u clusters (fewer than 50)" in default.explanation
    analytic = assess(table, spec(method="analytic"))
    assert "wild" not in analytic.method
    assert analytic.std_error == pytest.approx(default.std_error)
    y, unit, post, arm = panel(1, units=FEW_CLUSTERS, rows=5000)
    many = assess(table_from_arrays(y, None, unit, post, arm), spec())
    assert many.explanation.endswith(
        f"with {FEW_CLUSTERS} clusters (at least 50) a t reference holds, so the wild cluster "
        "bootstrap was not needed."
    )
    assert "CR1" in many.method
    assert "wild" not in many.method


def test_asked_for_it_says_so_and_uses_rademacher_weights_above_twelve_clusters() -> None:
    y, unit, post, arm = panel(4, units=60, rows=6000)
    result = assess(table_from_arrays(y, None, unit, post, arm), spec(method="wild"))
    assert "2,000 replicates of Rademacher weights, seed 0" in result.method
    assert result.explanation.endswith("because the spec asks for it.")
    assert result.details["clusters"] == 60


def test_a_single_pilot_unit_is_refused_with_what_to_do() -> None:
    y, unit, post, arm = panel(1, units=8, rows=800, treated_units=1)
    with pytest.raises(AnalysisError, match=r"Only 1 unit \('u'\) is on the pilot side"):
        assess(table_from_arrays(y, None, unit, post, arm), spec())


def test_too_few_clusters_to_bound_the_interval_is_an_error_not_a_verdict() -> None:
    # Two units per side: of 16 sign patterns, the two that flip every cluster alike keep
    # |t*| growing as fast as |t|, so no p-value falls below 2/16 and no 95% bound exists.
    y, unit, post, arm = panel(1, units=4, rows=400, effect=1.0)
    with pytest.raises(AnalysisError, match="cannot bound the interval"):
        assess(table_from_arrays(y, None, unit, post, arm), spec(wild_weights="rademacher"))


def test_identical_values_within_the_cells_are_refused() -> None:
    unit, post, arm = np.repeat(np.arange(4), 4), np.tile([0, 1], 8), np.repeat([0, 1], 8)
    with pytest.raises(AnalysisError, match="standard error is zero"):
        assess(table_from_arrays(5.0 + arm * post, None, unit, post, arm), spec())


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"columns": {"value": "y", "group": "g"}}, "needs columns.unit"),
        ({"inference": {"method": "wild", "errors": "robust"}}, "needs columns.unit"),
        ({"metric": {"statistic": "median"}}, "applies to design.kind = 'two_group' or 'did'"),
        ({"inference": {"method": "wild", "wild_weights": "mammen"}}, "is not one of"),
    ],
)
def test_wild_specs_that_cannot_work_name_the_key(change: dict[str, Any], message: str) -> None:
    raw = spec("two_group", method="wild") | change
    with pytest.raises(SpecError, match=message):
        parse_spec(raw)


def test_the_demo_bus_pilot_is_judged_by_the_wild_bootstrap_through_the_command(
    tmp_path: Path, assess_json: Callable[..., dict[str, Any]]
) -> None:
    from sanely.portal.demo.pilots import SPEC, demo_csv  # the demo's data and spec

    data = tmp_path / "waits.csv"
    data.write_bytes(demo_csv())
    result = assess_json(data, SPEC)
    assert "wild cluster bootstrap" in result["method"]
    assert "only 12 village clusters" in result["explanation"]
    assert result["p_value"] == 1 / 2001  # no replicate as extreme: 1 / (B + 1), not 0
    assert result["verdict"] in ("met", "inconclusive")


def test_with_few_clusters_the_wild_bootstrap_keeps_its_size_where_cr1_does_not() -> None:
    # 400 seeded data sets with no effect: 8 villages of unequal size, 3 in the pilot,
    # village shocks and heavy-tailed rows. A 5% test should reject about 20 of them.
    rng = np.random.default_rng(11)
    wild = spec("two_group", method="wild", replicates=399, wild_weights="webb")
    cr1 = spec("two_group", method="analytic")
    rejected = {"wild": 0, "cr1": 0}
    for _ in range(400):
        unit = np.repeat(np.arange(8), rng.integers(5, 200, 8))
        y = rng.normal(size=8)[unit] + rng.standard_t(3, size=len(unit))
        table = table_from_arrays(y, unit=unit, group=(unit < 3).astype(int))
        rejected["wild"] += assess(table, wild).p_value < 0.05
        rejected["cr1"] += assess(table, cr1).p_value < 0.05
    assert rejected["cr1"] / 400 > 0.09, rejected  # t(7) with CR1: 47 of 400
    assert rejected["wild"] / 400 < 0.08, rejected  # the wild bootstrap: 26 of 400
