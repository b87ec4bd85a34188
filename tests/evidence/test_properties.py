"""Estimates and standard errors agree with statsmodels and scipy on random data (1e-8)."""

from typing import Any

import numpy as np
import pytest
import statsmodels.api as sm
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import confint_proportions_2indep, proportion_confint

from sanely.evidence import assess, holm, newcombe, table_from_arrays, wilson

RELATIVE = 1e-8
seeds = st.integers(0, 2**32 - 1)
sizes = st.integers(8, 60)
few = settings(max_examples=20, deadline=None)


def panel(seed: int, units: int, periods: int, rows: int) -> dict[str, np.ndarray]:
    """Random unbalanced panel: units in two arms, several rows per unit and period."""
    rng = np.random.default_rng(seed)
    unit = rng.integers(0, units, rows)
    unit[: units * periods] = np.repeat(np.arange(units), periods)  # every cell occupied
    period = rng.integers(0, periods, rows)
    period[: units * periods] = np.tile(np.arange(periods), units)
    arm = unit % 2
    effect = rng.normal(size=units)[unit]
    value = 10 + effect + 0.5 * period + 1.5 * arm * (period >= periods // 2)
    value = value + rng.normal(scale=rng.uniform(0.5, 3), size=rows) * (1 + arm)
    return {"value": value, "unit": unit, "period": period, "group": arm}


def spec(kind: str, errors: str, **design: Any) -> dict[str, Any]:
    columns = {"value": "v"}
    if kind != "threshold":
        columns |= {"unit": "u", "period": "p", "group": "g"}
    return {
        "columns": columns,
        "design": {"kind": kind, **design},
        "metric": {"statistic": "mean"},
        "inference": {"errors": errors},
    }


def statsmodels_fit(y: np.ndarray, x: np.ndarray, errors: str, groups: np.ndarray) -> Any:
    model = sm.OLS(y, x)
    if errors == "cluster":
        return model.fit(cov_type="cluster", cov_kwds={"groups": groups})
    return model.fit(cov_type={"classical": "nonrobust", "robust": "HC2"}[errors])


@few
@given(seeds, st.integers(4, 12), st.sampled_from(["classical", "robust", "cluster"]))
def test_two_by_two_difference_in_differences_matches_statsmodels_ols(
    seed: int, units: int, errors: str
) -> None:
    data = panel(seed, units, 2, 40 * units)
    post = data["period"] >= 1
    x = np.column_stack([np.ones_like(post), data["group"], post, data["group"] * post])
    fit = statsmodels_fit(data["value"], x.astype(float), errors, data["unit"])
    table = table_from_arrays(data["value"], None, data["unit"], data["period"], data["group"])
    design = {"treated": ["1"], "control": ["0"], "before": ["0"], "after": ["1"]}
    result = assess(table, spec("did", errors, **design))
    assert fit.params[3] == pytest.approx(result.estimate, rel=RELATIVE)
    assert fit.bse[3] == pytest.approx(result.std_error, rel=RELATIVE)


@few
@given(seeds, st.integers(4, 12), st.sampled_from(["classical", "robust", "cluster"]))
def test_two_group_difference_matches_statsmodels_ols(seed: int, units: int, errors: str) -> None:
    data = panel(seed, units, 1, 20 * units)
    x = np.column_stack([np.ones(len(data["value"])), data["group"]])
    fit = statsmodels_fit(data["value"], x, errors, data["unit"])
    table = table_from_arrays(data["value"], None, data["unit"], None, data["group"])
    result = assess(table, spec("two_group", errors, treated=["1"], control=["0"]))
    assert fit.params[1] == pytest.approx(result.estimate, rel=RELATIVE)
    assert fit.bse[1] == pytest.approx(result.std_error, rel=RELATIVE)


@few
@given(seeds, st.integers(3, 10))
def test_threshold_mean_with_clusters_matches_statsmodels_cr1(seed: int, units: int) -> None:
    data = panel(seed, units, 1, 15 * units)
    fit = statsmodels_fit(data["value"], np.ones((len(data["value"]), 1)), "cluster", data["unit"])
    table = table_from_arrays(data["value"], unit=data["unit"])
    result = assess(table, {**spec("threshold", "cluster"), "columns": {"value": "v", "unit": "u"}})
    assert fit.params[0] == pytest.approx(result.estimate, rel=RELATIVE)
    assert fit.bse[0] == pytest.approx(result.std_error, rel=RELATIVE)


@few
@given(seeds, st.integers(4, 10), st.integers(3, 5), st.sampled_from(["classical", "cluster"]))
def test_fixed_effects_difference_in_differences_matches_statsmodels_dummies(
    seed: int, units: int, periods: int, errors: str
) -> None:
    data = panel(seed, units, periods, 8 * units * periods)
    after = data["period"] >= periods // 2
    treated = (data["group"] == 1) & after
    unit_dummies = np.eye(units)[data["unit"]][:, 1:]
    period_dummies = np.eye(periods)[data["period"]][:, 1:]
    x = np.column_stack([treated, np.ones(len(treated)), unit_dummies, period_dummies])
    fit = statsmodels_fit(data["value"], x.astype(float), errors, data["unit"])
    table = table_from_arrays(data["value"], None, data["unit"], data["period"], data["group"])
    labels = [str(p) for p in range(periods)]
    design = {
        "treated": ["1"],
        "control": ["0"],
        "before": labels[: periods // 2],
        "after": labels[periods // 2 :],
        "fixed_effects": True,
    }
    result = assess(table, spec("did", errors, **design))
    assert fit.params[0] == pytest.approx(result.estimate, rel=RELATIVE)
    assert fit.bse[0] == pytest.approx(result.std_error, rel=RELATIVE)


@few
@given(
    seeds, st.integers(16, 40), st.sampled_from(["classical", "robust"]), st.sampled_from([0, 4])
)
def test_interrupted_time_series_matches_statsmodels_segmented_regression(
    seed: int, periods: int, errors: str, seasons: int
) -> None:
    rng = np.random.default_rng(seed)
    t = np.arange(periods)
    start = periods // 2
    level = 5 + 0.1 * t - 2 * (t >= start) + rng.normal(size=periods)
    columns = [np.ones(periods), t, t >= start, (t - start) * (t >= start)]
    columns += [t % seasons == s for s in range(1, seasons)]
    x = np.column_stack(columns).astype(float)
    fit = sm.OLS(level, x).fit(cov_type="nonrobust" if errors == "classical" else "HC1")
    months = [f"2020-{m + 1:02d}" if m < 12 else f"{2020 + m // 12}-{m % 12 + 1:02d}" for m in t]
    table = table_from_arrays(level, period=np.array(months))
    design = {"before": months[:start][::-1], "after": months[start:], "season_length": seasons}
    if not seasons:
        del design["season_length"]
    its_spec = {**spec("its", errors, **design), "columns": {"value": "v", "period": "p"}}
    result = assess(table, its_spec)
    assert fit.params[2] == pytest.approx(result.estimate, rel=RELATIVE)
    assert fit.bse[2] == pytest.approx(result.std_error, rel=RELATIVE)
    assert fit.params[3] == pytest.approx(result.details["slope_change"], rel=RELATIVE)


@few
@given(seeds, sizes)
def test_paired_before_after_matches_scipy_ttest_rel(seed: int, units: int) -> None:
    rng = np.random.default_rng(seed)
    before, after = rng.normal(size=units), rng.normal(0.3, 1.2, size=units)
    table = table_from_arrays(
        np.concatenate([before, after]),
        unit=np.tile(np.arange(units), 2),
        period=np.repeat(["before", "after"], units),
    )
    paired_spec = {
        "columns": {"value": "v", "unit": "u", "period": "p"},
        "design": {"kind": "before_after", "before": ["before"], "after": ["after"]},
        "metric": {"statistic": "mean"},
    }
    result = assess(table, paired_spec)
    test = stats.ttest_rel(after, before)
    interval = test.confidence_interval(0.95)
    assert (after - before).mean() == pytest.approx(result.estimate, rel=RELATIVE)
    assert test.pvalue == pytest.approx(result.p_value, rel=1e-6)
    assert interval.low == pytest.approx(result.ci_low, rel=RELATIVE)


@few
@given(seeds, sizes, sizes)
def test_welch_interval_matches_scipy_ttest_ind(seed: int, n0: int, n1: int) -> None:
    rng = np.random.default_rng(seed)
    control, treated = rng.normal(size=n0), rng.normal(1, 3, size=n1)
    table = table_from_arrays(
        np.concatenate([control, treated]), group=np.repeat(["c", "t"], [n0, n1])
    )
    welch_spec = {
        "columns": {"value": "v", "group": "g"},
        "design": {"kind": "two_group", "treated": ["t"], "control": ["c"]},
        "metric": {"statistic": "mean"},
    }
    result = assess(table, welch_spec)
    test = stats.ttest_ind(treated, control, equal_var=False)
    interval = test.confidence_interval(0.95)
    assert test.pvalue == pytest.approx(result.p_value, rel=1e-6)
    assert (interval.low, interval.high) == pytest.approx(
        (result.ci_low, result.ci_high), rel=RELATIVE
    )


@few
@given(st.integers(0, 200), st.integers(1, 200), st.floats(0.8, 0.99))
def test_wilson_interval_matches_statsmodels(successes: int, extra: int, confidence: float) -> None:
    n = successes + extra
    expected = proportion_confint(successes, n, alpha=1 - confidence, method="wilson")
    assert expected == pytest.approx(wilson(successes, n, confidence), rel=RELATIVE, abs=1e-12)


@few
@given(st.integers(0, 50), st.integers(1, 60), st.integers(0, 50), st.integers(1, 60))
def test_newcombe_interval_matches_statsmodels(s1: int, f1: int, s0: int, f0: int) -> None:
    expected = confint_proportions_2indep(s1, s1 + f1, s0, s0 + f0, method="newcomb")
    actual = newcombe(s1, s1 + f1, s0, s0 + f0, 0.95)
    assert expected == pytest.approx(actual, rel=RELATIVE, abs=1e-12)


@few
@given(st.lists(st.floats(0, 1), min_size=1, max_size=12))
def test_holm_adjustment_matches_statsmodels(p_values: list[float]) -> None:
    expected = multipletests(p_values, method="holm")[1]
    assert tuple(expected) == pytest.approx(holm(p_values), rel=RELATIVE, abs=1e-15)


@few
@given(seeds, st.integers(40, 120), st.sampled_from([50.0, 90.0]))
def test_percentile_interval_matches_scipy_quantile_test(
    seed: int, n: int, percentile: float
) -> None:
    values = np.random.default_rng(seed).exponential(size=n)
    quantile_spec = {
        "columns": {"value": "v"},
        "design": {"kind": "threshold"},
        "metric": {"statistic": "percentile", "percentile": percentile},
        "target": {"comparator": "<=", "threshold": 1.0},
    }
    result = assess(table_from_arrays(values), quantile_spec)
    test = stats.quantile_test(values, q=1.0, p=percentile / 100)
    interval = test.confidence_interval(0.95)
    assert (interval.low, interval.high, test.pvalue) == (
        result.ci_low,
        result.ci_high,
        result.p_value,
    )
    assert np.percentile(values, percentile) == result.estimate


@few
@given(seeds, st.integers(16, 60), st.sampled_from([None, 0, 1, 3]))
def test_interrupted_time_series_hac_errors_match_statsmodels_newey_west(
    seed: int, periods: int, lags: int | None
) -> None:
    rng = np.random.default_rng(seed)
    t = np.arange(periods)
    start = periods // 3
    noise = np.convolve(rng.normal(size=periods + 2), [1.0, 0.6, 0.3])[2 : periods + 2]
    level = 5 + 0.1 * t - 2 * (t >= start) + noise
    x = np.column_stack([np.ones(periods), t, t >= start, (t - start) * (t >= start)])
    maxlags = int(4 * (periods / 100) ** (2 / 9)) if lags is None else lags
    fit = sm.OLS(level, x.astype(float)).fit(cov_type="HAC", cov_kwds={"maxlags": maxlags})
    labels = [str(p) for p in t]
    inference: dict[str, Any] = {"errors": "hac"} | ({} if lags is None else {"lags": lags})
    its_spec = {
        "columns": {"value": "v", "period": "p"},
        "design": {"kind": "its", "before": labels[:start], "after": labels[start:]},
        "metric": {"statistic": "mean"},
        "inference": inference,
    }
    result = assess(table_from_arrays(level, period=t), its_spec)
    assert fit.bse[2] == pytest.approx(result.std_error, rel=RELATIVE)
    assert fit.bse[3] == pytest.approx(result.details["slope_change_se"], rel=RELATIVE)


def test_integer_keys_are_coded_by_counting_or_by_sorting_alike() -> None:
    from sanely.evidence import Factor

    near = np.array([2025, 2024, 2026, 2024, -3])  # counted
    far = np.array([10**12, 5, 5, -(10**12)])  # sorted: too wide a range to count
    unsigned = np.array([7, 3, 7], dtype=np.uint16)
    for values in (near, far, unsigned):
        factor = Factor.from_values(values)
        uniques, codes = np.unique(values, return_inverse=True)
        assert (tuple(str(v) for v in uniques.tolist()), codes.tolist()) == (
            factor.labels,
            factor.codes.tolist(),
        )
