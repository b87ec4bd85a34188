"""Designs, metrics and the data problems they report."""

import math
from typing import Any

import numpy as np
import pytest

from sanely.evidence import (
    AnalysisError,
    SpecError,
    Table,
    assess,
    assess_phase,
    period_order,
    table_from_arrays,
)


def spec_of(
    kind: str,
    statistic: str = "mean",
    errors: str = "auto",
    unit: bool = True,
    **extra: Any,
) -> Any:
    columns = {"value": "v", "exposure": "x"} | ({"unit": "u"} if unit else {})
    if kind in ("two_group", "did"):
        columns["group"] = "g"
    if kind in ("before_after", "did", "its"):
        columns["period"] = "p"
    design: dict[str, Any] = {"kind": kind}
    if kind in ("two_group", "did"):
        design |= {"treated": ["t"], "control": ["c"]}
    if kind in ("before_after", "did"):
        design |= {"before": ["b"], "after": ["a"]}
    spec: dict[str, Any] = {
        "columns": columns,
        "design": design,
        "metric": {"statistic": statistic},
        "inference": {"errors": errors},
    }
    for table, keys in extra.items():
        spec[table] = {**spec.get(table, {}), **keys}
    return spec


def village_table(seed: int = 1, units: int = 12, rows: int = 600) -> Table:
    rng = np.random.default_rng(seed)
    unit = rng.integers(0, units, rows)
    unit[: 2 * units] = np.repeat(np.arange(units), 2)
    period = np.where(rng.random(rows) < 0.5, "b", "a")
    period[: 2 * units] = np.tile(["b", "a"], units)
    group = np.where(unit % 2 == 0, "t", "c")
    exposure = rng.uniform(1, 5, rows)
    value = rng.poisson(2 * exposure * np.where((group == "t") & (period == "a"), 0.7, 1.0))
    return table_from_arrays(value, exposure, unit, period, group)


@pytest.mark.parametrize("kind", ["threshold", "two_group", "before_after", "did"])
@pytest.mark.parametrize("statistic", ["rate", "ratio", "total", "proportion"])
def test_every_moment_statistic_runs_with_cluster_and_robust_errors(
    kind: str, statistic: str
) -> None:
    table = village_table()
    if statistic == "proportion":
        table = Table((table.value > 2).astype(float), None, table.unit, table.period, table.group)
    for errors in ("cluster", "robust"):
        spec = spec_of(kind, statistic, errors, unit=errors == "cluster")
        result = assess(table, spec)
        assert result.ci_low < result.estimate < result.ci_high


def test_rate_robust_error_matches_the_delta_method_formula() -> None:
    rng = np.random.default_rng(3)
    events, hours = rng.poisson(4, 50).astype(float), rng.uniform(1, 3, 50)
    result = assess(table_from_arrays(events, hours), spec_of("threshold", "rate", unit=False))
    rate = events.sum() / hours.sum()
    expected = math.sqrt(50 / 49 * np.sum((events - rate * hours) ** 2)) / hours.sum()
    assert (rate, expected) == pytest.approx((result.estimate, result.std_error), rel=1e-12)


def test_total_is_the_sum_with_the_standard_error_of_n_times_the_mean() -> None:
    values = np.array([1.0, 2.0, 3.0, 6.0])
    result = assess(table_from_arrays(values), spec_of("threshold", "total", unit=False))
    assert (12.0, 4 * values.std(ddof=1) / 2) == pytest.approx((result.estimate, result.std_error))


def test_classical_errors_are_refused_for_rates() -> None:
    with pytest.raises(SpecError, match=r"'classical' applies to mean, proportion and total"):
        assess(village_table(), spec_of("did", "rate", "classical"))


def test_a_single_cluster_says_what_to_change() -> None:
    table = table_from_arrays([1.0, 2.0, 4.0], unit=["a", "a", "a"])
    with pytest.raises(AnalysisError, match=r"Only one unit has data.*inference.errors = 'robust'"):
        assess(table, spec_of("threshold"))


def test_identical_values_say_what_to_change() -> None:
    with pytest.raises(AnalysisError, match=r"All values of 'v' are identical"):
        assess(table_from_arrays([5.0, 5.0, 5.0]), spec_of("threshold", unit=False))


def test_a_group_value_that_never_occurs_is_named() -> None:
    spec = spec_of("two_group", design={"treated": ["pilot"]})
    with pytest.raises(SpecError, match=r"design.treated lists 'pilot', which never occurs in col"):
        assess(village_table(), spec)


def test_a_design_cell_without_rows_is_named() -> None:
    table = table_from_arrays(
        [1.0, 2, 3, 4], period=["b", "b", "a", "a"], group=["t", "t", "c", "c"]
    )
    with pytest.raises(AnalysisError, match=r"no rows for 'control, before'"):
        assess(table, spec_of("did", unit=False))


def test_a_table_without_a_needed_column_is_a_spec_error() -> None:
    table = table_from_arrays([1.0, 2.0], group=["t", "c"])
    with pytest.raises(SpecError, match=r"needs columns.group, but the table has no group"):
        assess(table_from_arrays([1.0, 2.0]), spec_of("two_group", unit=False))
    with pytest.raises(SpecError, match=r"needs columns.unit, but the table has no unit"):
        assess(table, spec_of("two_group"))
    with pytest.raises(SpecError, match=r"needs columns.exposure, but the table has none"):
        assess(table, spec_of("two_group", "rate", unit=False))


def test_a_table_with_columns_of_unequal_length_is_refused() -> None:
    with pytest.raises(SpecError, match=r"column unit has 1 rows but value has 2"):
        table_from_arrays([1.0, 2.0], unit=["a"])


def test_paired_design_leaves_out_units_without_both_periods() -> None:
    table = table_from_arrays(
        [1.0, 2.5, 2.0, 3.0, 3.0, 5.5, 9.0],
        unit=[1, 1, 2, 2, 3, 3, 4],
        period=["b", "a", "b", "a", "b", "a", "b"],
    )
    result = assess(table, spec_of("before_after"))
    assert 5 / 3 == pytest.approx(result.estimate)
    assert "3 units with data before and after (1 without both left out)" in result.method


def test_paired_totals_sum_the_changes() -> None:
    table = table_from_arrays(
        [1.0, 2.5, 2.0, 3.0, 3.0, 5.5], unit=[1, 1, 2, 2, 3, 3], period=["b", "a"] * 3
    )
    assert 5.0 == pytest.approx(assess(table, spec_of("before_after", "total")).estimate)


def test_paired_design_needs_two_units() -> None:
    table = table_from_arrays([1.0, 2.0, 3.0], unit=[1, 1, 2], period=["b", "a", "b"])
    with pytest.raises(AnalysisError, match=r"Only 1 unit"):
        assess(table, spec_of("before_after"))


def fe_spec(errors: str = "cluster", statistic: str = "mean") -> Any:
    return spec_of(
        "did", statistic, errors, design={"fixed_effects": True, "before": ["b"], "after": ["a"]}
    )


def test_fixed_effects_refuse_robust_errors_and_rates() -> None:
    for spec in (fe_spec("robust"), fe_spec(statistic="rate")):
        with pytest.raises(SpecError, match=r"design.fixed_effects supports"):
            assess(village_table(), spec)


def test_fixed_effects_refuse_units_in_both_groups() -> None:
    table = village_table()
    mixed = Table(table.value, table.exposure, table.unit, table.period, table.unit)
    spec = fe_spec()
    spec["design"] |= {"treated": ["0", "2"], "control": ["1", "3"]}
    mixed = Table(
        table.value,
        None,
        table.unit,
        table.period,
        mixed.group
        and type(mixed.group)(np.where(np.arange(len(table.value)) % 2 == 0, 0, 1), ("c", "t")),
    )
    with pytest.raises(AnalysisError, match=r"both the treated and the control group"):
        assess(mixed, fe_spec())


def test_fixed_effects_need_pilot_units_before_and_after() -> None:
    table = table_from_arrays(
        [1.0, 2.0, 3.0, 4.0, 2.0, 6.0],
        unit=[1, 1, 2, 2, 3, 4],
        period=["b", "a", "b", "a", "b", "a"],
        group=["c", "c", "c", "c", "t", "t"],
    )
    with pytest.raises(AnalysisError, match=r"pilot units need data both before and after"):
        assess(table, fe_spec("classical"))


def its_spec(errors: str = "auto", **design: Any) -> Any:
    unit = {"unit": "u"} if errors == "cluster" else {}
    return {
        "columns": {"value": "v", "period": "p", **unit},
        "design": {"kind": "its", **design},
        "metric": {"statistic": "mean"},
        "inference": {"errors": errors},
    }


def test_its_orders_uk_dates_and_reports_slope_change() -> None:
    days = [f"01/{m:02d}/2025" for m in range(1, 13)]
    values = [10, 11, 12, 13, 14, 15, 12, 13, 14, 15, 16, 17.5]
    result = assess(
        table_from_arrays(values, period=days),
        its_spec(before=days[:6][::-1], after=days[6:]),
    )
    assert (-4.0, 12) == (round(result.estimate), sum(result.n["all"].values()))
    assert "slope_change" in result.details


def test_its_refuses_cluster_errors_and_short_series() -> None:
    table = table_from_arrays([1.0, 2, 3, 5], period=["1", "2", "3", "4"])
    clustered = table_from_arrays([1.0, 2, 3, 5], unit=[1, 2, 1, 2], period=["1", "2", "3", "4"])
    with pytest.raises(SpecError, match=r"'its' supports"):
        assess(clustered, its_spec("cluster", before=["1", "2"], after=["3", "4"]))
    with pytest.raises(
        AnalysisError,
        match=r"has 4 periods, 2 before the change, but the segmented regression has 4",
    ):
        assess(table, its_spec(before=["1", "2"], after=["3", "4"]))


def test_its_after_periods_must_follow_before_periods() -> None:
    table = table_from_arrays([1.0, 2, 3, 5], period=["1", "2", "3", "4"])
    with pytest.raises(SpecError, match=r"must list periods that all come after"):
        assess(table, its_spec(before=["3", "4"], after=["1", "2"]))


@pytest.mark.parametrize(
    ("labels", "expected"),
    [
        (("10", "9.5", "-1"), [2, 1, 0]),
        (("2025-Q3", "2025Q1", "2024-Q4"), [2, 1, 0]),
        (("2025-02", "2025-01-15", "31/12/24"), [2, 1, 0]),
    ],
)
def test_periods_are_put_in_time_order(labels: tuple[str, ...], expected: list[int]) -> None:
    assert expected == period_order(labels)


@pytest.mark.parametrize("labels", [("2025-Q1", "spring"), ("1", "2025-01"), ("31/02/2025",)])
def test_periods_that_cannot_be_ordered_say_how_to_write_them(labels: tuple[str, ...]) -> None:
    with pytest.raises(SpecError, match=r"cannot be put in time order"):
        period_order(labels)


def test_aggregating_per_unit_and_period_gives_each_cell_equal_weight() -> None:
    table = table_from_arrays(
        [1.0, 3.0, 10.0, 2.0, 4.0, 30.0],
        [1.0, 1.0, 2.0, 1.0, 1.0, 3.0],
        unit=[1, 1, 2, 1, 1, 2],
        period=["b", "b", "b", "a", "a", "a"],
    )
    # Per unit: means 2 -> 3 and 10 -> 30; rates 2 -> 3 and 5 -> 10; medians as means.
    for statistic, expected in (("mean", 10.5), ("rate", 3.0), ("median", 10.5)):
        spec = spec_of("before_after", statistic, metric={"aggregate": "unit_period"})
        if statistic == "median":
            spec["inference"] |= {"method": "bootstrap", "replicates": 100}
            spec["columns"].pop("exposure")
        assert expected == pytest.approx(assess(table, spec).estimate)


def test_aggregated_totals_are_the_cell_totals() -> None:
    table = table_from_arrays(
        [1.0, 3.0, 10.0, 2.0, 4.0, 30.0],
        unit=[1, 1, 2, 1, 1, 2],
        period=["b", "b", "b", "a", "a", "a"],
    )
    spec = spec_of("before_after", "total", metric={"aggregate": "unit_period"})
    spec["columns"].pop("exposure")
    assert 11.0 == pytest.approx(assess(table, spec).estimate)  # mean of 6-4 and 30-10


def test_single_proportion_p_value_is_the_score_test_and_degenerate_nulls_are_exact() -> None:
    table = table_from_arrays([1.0] * 30 + [0.0] * 70)
    spec = spec_of(
        "threshold", "proportion", unit=False, target={"comparator": ">=", "threshold": 0.25}
    )
    assert 0.2482 == round(assess(table, spec).p_value, 4)
    spec["target"]["threshold"] = 0.0
    assert 0.0 == assess(table, spec).p_value
    spec["target"]["threshold"] = 1.0
    assert 1.0 == assess(table_from_arrays([1.0] * 5), spec).p_value


def test_two_proportions_that_are_both_zero_have_p_value_one() -> None:
    table = table_from_arrays([0.0] * 10, group=["t"] * 5 + ["c"] * 5)
    spec = spec_of("two_group", "proportion", unit=False)
    assert 1.0 == assess(table, spec).p_value


def test_percentile_needs_enough_rows_for_its_interval() -> None:
    spec = spec_of("threshold", "percentile", unit=False, metric={"percentile": 99})
    with pytest.raises(AnalysisError, match=r"10 rows are too few"):
        assess(table_from_arrays(np.arange(10.0)), spec)


def test_a_phase_reports_holm_adjusted_p_values_alongside() -> None:
    table = village_table()
    results = assess_phase(table, [spec_of("did", "rate"), spec_of("two_group", "ratio")])
    raw = sorted(r.p_value for r in results)
    assert [min(1.0, 2 * raw[0]), max(min(1.0, 2 * raw[0]), raw[1])] == pytest.approx(
        sorted(r.p_value_holm or 0.0 for r in results)
    )


def test_json_has_the_documented_keys_and_no_nan() -> None:
    spec = spec_of("threshold", "median", unit=False)
    text = assess(table_from_arrays(np.arange(30.0)), spec).to_json()
    assert text.startswith('{"estimate": 14.5, "std_error": null, "ci_low": ')


def test_rows_outside_the_design_are_ignored_and_float_keys_read_as_integers() -> None:
    table = table_from_arrays(
        [1.0, 2.0, 3.0, 4.0, 50.0],
        group=[1.0, 1.0, 0.0, 0.0, 2.0],
    )
    spec = spec_of("two_group", unit=False, design={"treated": ["1"], "control": ["0"]})
    result = assess(table, spec)
    assert (-2.0, {"0": {"all": 2}, "1": {"all": 2}}) == (result.estimate, result.n)


SNOW = table_from_arrays(
    # Snow (1855), deaths per 10,000: one row per company and year.
    [134.9, 130.1, 146.6, 84.9],
    unit=["southwark", "lambeth", "southwark", "lambeth"],
    period=["1849", "1849", "1854", "1854"],
    group=["c", "t", "c", "t"],
)


def test_a_single_row_per_cell_says_rows_are_needed() -> None:
    spec = spec_of("did", unit=False, design={"before": ["1849"], "after": ["1854"]})
    with pytest.raises(AnalysisError, match="'control, before' has a single row"):
        assess(SNOW, spec)


def test_no_more_rows_than_parameters_says_rows_are_needed() -> None:
    design = {"before": ["1849"], "after": ["1854"]}
    with pytest.raises(AnalysisError, match="There are 4 rows for 4 parameters"):
        assess(SNOW, spec_of("did", design=design, inference={"method": "analytic"}))
    fixed = spec_of("did", "mean", "classical", design=design | {"fixed_effects": True})
    with pytest.raises(AnalysisError, match="There are 4 rows for 4 parameters"):
        assess(SNOW, fixed)


def test_a_rate_without_exposure_in_a_unit_and_period_is_refused() -> None:
    table = table_from_arrays(
        [1.0, 2.0, 0.0, 3.0], [1.0, 2.0, 0.0, 1.5], unit=[1, 1, 2, 2], period=["b", "a", "b", "a"]
    )
    with pytest.raises(AnalysisError, match="adds up to zero or less for 'before' of '2'"):
        assess(table, spec_of("before_after", "rate"))


def test_a_proportion_of_values_other_than_zero_and_one_is_a_data_error() -> None:
    from sanely.evidence import DataError

    with pytest.raises(DataError, match=r"needs values of 0 or 1 in 'v'; found 2.0"):
        assess(table_from_arrays([0.0, 1.0, 2.0]), spec_of("threshold", "proportion", unit=False))


def test_aggregating_a_rate_needs_exposure_in_every_unit_and_period() -> None:
    table = table_from_arrays(
        [1.0, 2.0, 0.0, 3.0], [1.0, 2.0, 0.0, 1.5], unit=[1, 1, 2, 2], period=["b", "a", "b", "a"]
    )
    spec = spec_of("before_after", "rate", metric={"aggregate": "unit_period"})
    with pytest.raises(AnalysisError, match="adds up to zero or less for some unit and period"):
        assess(table, spec)


def test_a_classical_proportion_needs_two_rows_but_a_wilson_interval_does_not() -> None:
    table = table_from_arrays([1.0])
    with pytest.raises(AnalysisError, match="'all' has a single row"):
        assess(table, spec_of("threshold", "proportion", "classical", unit=False))
    assert 1.0 == assess(table, spec_of("threshold", "proportion", unit=False)).ci_high
