"""The cluster bootstrap: seeded, reproducible, and in agreement with analytic intervals."""

from typing import Any

import numpy as np
import pytest

from sanely.evidence import AnalysisError, SpecError, assess, table_from_arrays
from sanely.evidence._bootstrap import resampled_sums


def clustered(seed: int = 5, units: int = 60, rows: int = 3000) -> Any:
    rng = np.random.default_rng(seed)
    unit = np.concatenate([np.arange(units), rng.integers(0, units, rows - units)])
    period = np.where(np.arange(rows) % 2 == 0, "b", "a")
    group = np.where(unit % 2 == 0, "t", "c")
    value = (
        rng.normal(size=units)[unit] + rng.exponential(2, rows) + (group == "t") * (period == "a")
    )
    return table_from_arrays(value, rng.uniform(1, 2, rows), unit, period, group)


def boot_spec(kind: str, statistic: str = "mean", unit: bool = True, **inference: Any) -> Any:
    columns = {"value": "v", "exposure": "x", "period": "p", "group": "g"}
    if unit:
        columns["unit"] = "u"
    design: dict[str, Any] = {"kind": kind}
    if kind in ("two_group", "did"):
        design |= {"treated": ["t"], "control": ["c"]}
    if kind in ("before_after", "did"):
        design |= {"before": ["b"], "after": ["a"]}
    return {
        "columns": columns,
        "design": design,
        "metric": {"statistic": statistic},
        "inference": {"method": "bootstrap", "replicates": 1000, "seed": 3, **inference},
    }


@pytest.mark.parametrize("kind", ["threshold", "two_group", "did", "before_after"])
@pytest.mark.parametrize("statistic", ["mean", "rate", "total"])
def test_cluster_bootstrap_agrees_with_cluster_robust_errors(kind: str, statistic: str) -> None:
    table = clustered()
    analytic = boot_spec(kind, statistic)
    analytic["inference"] = {"errors": "cluster"} if kind != "before_after" else {}
    expected = assess(table, analytic)
    actual = assess(table, boot_spec(kind, statistic))
    # Monte Carlo error of a bootstrap standard error with B = 1000 is about 2%;
    # CR1 and the bootstrap differ by O(1/G) with G = 60 clusters.
    assert expected.estimate == pytest.approx(actual.estimate, rel=1e-12)
    assert expected.std_error == pytest.approx(actual.std_error, rel=0.12)
    width = expected.ci_high - expected.ci_low
    assert expected.ci_low == pytest.approx(actual.ci_low, abs=0.15 * width)


def test_the_same_seed_gives_the_same_interval_and_another_seed_does_not() -> None:
    table = clustered()
    first, again = (assess(table, boot_spec("did")) for _ in range(2))
    other = assess(table, boot_spec("did", seed=4))
    assert (first.ci_low, first.ci_high) == (again.ci_low, again.ci_high)
    assert first.ci_low != other.ci_low


def test_percentile_interval_is_available() -> None:
    result = assess(clustered(), boot_spec("two_group", interval="percentile"))
    assert "percentile 95% interval" in result.method


def test_rows_are_resampled_within_groups_without_units() -> None:
    rng = np.random.default_rng(2)
    control, treated = rng.normal(0, 1, 80), rng.normal(1, 2, 60)
    table = table_from_arrays(
        np.concatenate([control, treated]), group=np.repeat(["c", "t"], [80, 60])
    )
    result = assess(table, boot_spec("two_group", unit=False))
    welch = np.sqrt(control.var(ddof=1) / 80 + treated.var(ddof=1) / 60)
    assert welch == pytest.approx(result.std_error, rel=0.1)
    assert "bootstrap resampling rows" in result.method


def test_median_difference_is_bootstrapped_by_cluster() -> None:
    table = clustered(units=30, rows=600)
    result = assess(table, boot_spec("two_group", "median", replicates=200))
    values, groups = table.value, table.group
    assert groups is not None
    treated = np.median(values[groups.codes == 1]) - np.median(values[groups.codes == 0])
    assert (treated, True) == (
        pytest.approx(result.estimate),
        result.ci_low < treated < result.ci_high,
    )


def test_a_median_bootstrap_without_enough_data_per_group_is_refused() -> None:
    table = table_from_arrays([1.0] * 4, unit=[1, 2, 3, 4], group=["t", "c", "t", "c"])
    with pytest.raises(AnalysisError, match="bootstrap cannot vary the estimate"):
        assess(table, boot_spec("two_group", "median", replicates=100))


def test_bootstrap_does_not_apply_to_time_series_or_fixed_effects() -> None:
    spec = boot_spec("did")
    spec["design"]["fixed_effects"] = True
    with pytest.raises(SpecError, match="does not apply to its or fixed effects"):
        assess(clustered(), spec)


def test_resampled_counts_keep_each_stratum_size() -> None:
    strata = [np.array([0, 2, 4]), np.array([1, 3])]
    # Summing indicator columns counts how often each cluster was drawn.
    counts = resampled_sums(np.random.default_rng(0), strata, np.eye(5), 50)
    assert ([3.0] * 50, [2.0] * 50) == (
        counts[:, [0, 2, 4]].sum(axis=1).tolist(),
        counts[:, [1, 3]].sum(axis=1).tolist(),
    )


def test_bca_interval_of_a_skewed_mean_agrees_with_scipy_within_monte_carlo_error() -> None:
    from scipy import stats

    values = np.random.default_rng(8).lognormal(0, 1, 400)
    spec = {
        "columns": {"value": "v"},
        "design": {"kind": "threshold"},
        "metric": {"statistic": "mean"},
        "inference": {"method": "bootstrap", "replicates": 20000, "seed": 5},
    }
    result = assess(table_from_arrays(values), spec)
    expected = stats.bootstrap(
        (values,), np.mean, n_resamples=20000, method="BCa", rng=np.random.default_rng(6)
    ).confidence_interval
    # Monte Carlo error of a BCa bound with B = 20000 is a few hundredths of a standard
    # error; the percentile interval misses both bounds here by a fifth to a third of one.
    assert (expected.low, expected.high) == pytest.approx(
        (result.ci_low, result.ci_high), abs=0.1 * result.std_error
    )
    assert "BCa 95% interval" in result.method


def test_a_jackknife_that_empties_a_cell_falls_back_to_the_percentile_interval() -> None:
    rng = np.random.default_rng(4)
    table = table_from_arrays(np.append(rng.normal(size=30), 9.0), group=["c"] * 30 + ["t"])
    result = assess(table, boot_spec("two_group", "median", unit=False, replicates=200))
    assert "percentile 95% interval" in result.method


def test_resamples_without_exposure_are_refused() -> None:
    table = table_from_arrays([1.0, 0.0, 0.0], [1.0, 0.0, 0.0])
    with pytest.raises(AnalysisError, match="have no exposure at all"):
        assess(table, boot_spec("threshold", "rate", unit=False, replicates=200))


def test_quantile_bca_over_many_clusters_falls_back_to_percentile(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from sanely.evidence import _bootstrap

    monkeypatch.setattr(_bootstrap, "_JACKKNIFE_MAX", 10)
    table = table_from_arrays(np.random.default_rng(1).normal(size=40))
    result = assess(table, boot_spec("threshold", "median", unit=False, replicates=200))
    assert "rows: 200 replicates, seed 3; percentile 95% interval" in result.method
