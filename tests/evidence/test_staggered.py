"""Staggered adoption: the did package's published mpdta figures, agreement with csdid, the
Goodman-Bacon decomposition, bootstrap errors and bad input."""

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf
from csdid.att_gt import ATTgt

from sanely.evidence import (
    AnalysisError,
    ChartError,
    SpecError,
    assess,
    parse_spec,
    table_from_arrays,
)
from sanely.evidence._panel_charts import event_time_chart
from sanely.evidence._staggered import bacon_decomposition, moments_of

Run = Callable[[Path, dict[str, Any]], dict[str, Any]]

MPDTA = Path(__file__).parent / "data" / "mpdta.csv"
"""Teen employment in 500 US counties, 2003-2007 (Callaway & Sant'Anna 2021), the `mpdta`
data set of the R did package, as CSV."""


def mpdta_spec(comparison: str = "never_treated", **inference: Any) -> dict[str, Any]:
    return {
        "columns": {
            "value": "lemp",
            "unit": "countyreal",
            "period": "year",
            "group": "first.treat",
        },
        "design": {"kind": "staggered", "comparison": comparison},
        "metric": {"statistic": "mean", "label": "log teen employment"},
        "inference": inference,
    }


def test_minimum_wage_effects_match_the_did_package_vignette(assess_json: Run) -> None:
    # Callaway & Sant'Anna, "Getting Started with the did Package" (R did vignette), mpdta,
    # att_gt(yname = "lemp", gname = "first.treat", ...) with never-treated comparisons:
    # the group-time effects, then aggte(type = "simple" / "group" / "dynamic"), as printed.
    result = assess_json(MPDTA, mpdta_spec())
    group_time = {key: round(value, 4) for key, value in result["series"]["group_time"].items()}
    assert group_time == {
        "2004, 2004": -0.0105,
        "2004, 2005": -0.0704,
        "2004, 2006": -0.1373,
        "2004, 2007": -0.1008,
        "2006, 2004": 0.0065,
        "2006, 2005": -0.0028,
        "2006, 2006": -0.0046,
        "2006, 2007": -0.0412,
        "2007, 2004": 0.0305,
        "2007, 2005": -0.0027,
        "2007, 2006": -0.0311,
        "2007, 2007": -0.0261,
    }
    assert round(result["estimate"], 4) == -0.0400
    details = {key: round(value, 4) for key, value in result["details"].items()}
    assert [details[f"cohort {g}"] for g in (2004, 2006, 2007)] == [-0.0797, -0.0229, -0.0261]
    assert details["cohort average"] == -0.0310
    events = [details[f"event {e}"] for e in range(-3, 4)]
    assert events == [0.0305, -0.0006, -0.0245, -0.0199, -0.0510, -0.1373, -0.1008]
    assert details["event-time average"] == -0.0772
    # The two-way fixed-effects coefficient the vignette contrasts them with.
    assert details["twfe_estimate"] == -0.0365


def csdid_fit(data: pd.DataFrame, control: str) -> Any:
    return ATTgt(
        yname="y",
        gname="g",
        idname="id",
        tname="t",
        xformla=None,
        data=data,
        control_group=control,
    ).fit(est_method="reg", bstrap=False)


def mpdta_frame() -> pd.DataFrame:
    frame = pd.read_csv(MPDTA)
    return frame.rename(columns={"lemp": "y", "first.treat": "g", "countyreal": "id", "year": "t"})


def compare_with_csdid(frame: pd.DataFrame, result: Any, control: str) -> None:
    fit = csdid_fit(frame, control)
    theirs = pd.DataFrame(fit.results)
    ours = result.series["group_time"]
    for row in theirs.itertuples():
        assert ours[f"{row.group}, {row.year}"] == pytest.approx(row.att, abs=1e-10)
    for kind, label in (("simple", "simple"), ("group", "cohort average")):
        fit.aggte(typec=kind, bstrap=False)
        assert result.details[label] == pytest.approx(fit.atte["overall_att"], abs=1e-10)
        assert result.details[f"{label} std_error"] == pytest.approx(
            fit.atte["overall_se"], rel=1e-8
        )
    fit.aggte(typec="dynamic", bstrap=False)
    assert result.details["event-time average std_error"] == pytest.approx(
        fit.atte["overall_se"], rel=1e-8
    )
    for event, att, se in zip(
        fit.atte["egt"], fit.atte["att_egt"], fit.atte["se_egt"], strict=True
    ):
        assert result.details[f"event {event}"] == pytest.approx(att, abs=1e-10)
        assert result.details[f"event {event} std_error"] == pytest.approx(se, rel=1e-8)


@pytest.mark.parametrize("comparison", ["never_treated", "not_yet_treated"])
def test_mpdta_estimates_and_analytic_errors_equal_csdid(comparison: str) -> None:
    result = assess(MPDTA, mpdta_spec(comparison))
    control = {"never_treated": "nevertreated", "not_yet_treated": "notyettreated"}[comparison]
    compare_with_csdid(mpdta_frame(), result, control)


def staggered_frame(
    seed: int, units: int = 120, dynamic: float = 0.0, starts: tuple[int, ...] = (0, 2, 3, 4)
) -> Any:
    """Units in cohorts joining at `starts` (0: never) over periods 1-6, with an effect of -1
    growing by `dynamic` per period in the pilot."""
    rng = np.random.default_rng(seed)
    periods = 6
    cohort = rng.choice(starts, size=units)
    unit_effect = rng.normal(size=units)
    t = np.arange(1, periods + 1)
    exposure = np.where(cohort[:, None] > 0, t[None, :] - cohort[:, None], -1)
    effect = np.where(exposure >= 0, -1.0 - dynamic * exposure, 0.0)
    y = unit_effect[:, None] + 0.2 * t[None, :] + effect + rng.normal(0, 0.5, (units, periods))
    return pd.DataFrame(
        {
            "id": np.repeat(np.arange(units), periods),
            "t": np.tile(t, units),
            "g": np.repeat(cohort, periods),
            "y": y.ravel(),
        }
    )


def frame_table(frame: pd.DataFrame) -> Any:
    return table_from_arrays(frame["y"], None, frame["id"], frame["t"], frame["g"])


def frame_spec(comparison: str = "never_treated", **extra: Any) -> dict[str, Any]:
    spec: dict[str, Any] = {
        "columns": {"value": "y", "unit": "id", "period": "t", "group": "g"},
        "design": {"kind": "staggered", "comparison": comparison},
        "metric": {"statistic": "mean"},
    }
    for table, keys in extra.items():
        spec[table] = {**spec.get(table, {}), **keys}
    return spec


@pytest.mark.parametrize(
    ("seed", "comparison", "control"),
    [(1, "never_treated", "nevertreated"), (2, "not_yet_treated", "notyettreated")],
)
def test_random_panels_equal_csdid(seed: int, comparison: str, control: str) -> None:
    frame = staggered_frame(seed, dynamic=0.5)
    result = assess(frame_table(frame), frame_spec(comparison))
    compare_with_csdid(frame, result, control)


def test_bacon_weights_sum_to_one_and_reproduce_the_twfe_regression() -> None:
    frame = staggered_frame(3, dynamic=0.8)
    values = frame["y"].to_numpy().reshape(120, 6)
    cohorts = frame.groupby("id")["g"].first().to_numpy() - 1
    cohorts[cohorts < 0] = -1
    bacon = bacon_decomposition(moments_of(values, cohorts), tuple(str(t) for t in range(1, 7)))
    frame["d"] = ((frame["g"] > 0) & (frame["t"] >= frame["g"])).astype(float)
    ols = smf.ols("y ~ d + C(id) + C(t)", data=frame).fit()
    assert bacon.estimate == pytest.approx(ols.params["d"], abs=1e-10)
    weights = [weight for weight, _ in bacon.comparisons.values()]
    assert sum(weights) == pytest.approx(1.0)
    assert sum(w * b for w, b in bacon.comparisons.values()) == pytest.approx(bacon.estimate)
    assert len(bacon.comparisons) == 3 + 2 * 3  # three cohorts against never; three pairs


def test_a_misleading_two_way_fixed_effects_estimate_is_warned_about_with_its_weights() -> None:
    frame = staggered_frame(4, units=300, dynamic=1.5)
    result = assess(frame_table(frame), frame_spec())
    warning = next(w for w in result.warnings if "two-way fixed-effects" in w)
    assert "outside this interval" in warning
    assert "of its weight is on comparisons that use units already in the pilot" in warning
    assert "2 vs never treated" in warning
    assert "4 vs 2 (already treated)" in warning
    assert set(result.series["event_time"]) == {str(e) for e in range(-2, 5)}


def test_homogeneous_effects_give_no_two_way_fixed_effects_warning() -> None:
    frame = staggered_frame(5, units=400, starts=(0, 2, 3))
    result = assess(frame_table(frame), frame_spec())
    assert not any("two-way fixed-effects" in w for w in result.warnings)
    assert result.estimate == pytest.approx(-1.0, abs=0.15)


def test_the_multiplier_bootstrap_agrees_with_the_analytic_error_and_is_seeded() -> None:
    analytic = assess(MPDTA, mpdta_spec())
    spec = mpdta_spec(method="bootstrap", replicates=4000, seed=7)
    booted = assess(MPDTA, spec)
    assert booted.estimate == analytic.estimate
    assert booted.std_error == pytest.approx(analytic.std_error, rel=0.06)
    assert "multiplier bootstrap (4000 Mammen draws, seed 7)" in booted.method
    assert assess(MPDTA, spec).std_error == booted.std_error


def test_the_explanation_names_the_comparison_and_the_method(assess_json: Run) -> None:
    spec = mpdta_spec() | {"target": {"comparator": "<=", "threshold": 0.0}}
    result = assess_json(MPDTA, spec)
    assert result["verdict"] == "met"
    assert result["explanation"].startswith(
        "We are 95% confident that relative to units never in the pilot, log teen employment "
        "in its units fell by between 0.0164 and 0.0635; the target was no rise: met."
    )
    assert (
        "units joining the pilot in 2004, 2006 and 2007 with the same change in units never"
        in (result["explanation"])
    )
    assert (
        "(the event-time estimates before joining should be near zero: -3: 0.0305"
        in (result["explanation"])
    )
    assert result["n"]["joining 2004"]["2003"] == 20
    assert result["n"]["never treated"]["2007"] == 309


def test_units_outside_the_window_or_with_gaps_are_left_out_and_reported() -> None:
    frame = staggered_frame(6)
    frame.loc[frame["id"] == 0, "g"] = 1  # in the pilot from the first period
    frame.loc[frame["id"] == 1, "g"] = 9  # joins after the data end: never treated here
    frame = frame[~((frame["id"] == 2) & (frame["t"] == 3))]  # a gap
    result = assess(frame_table(frame), frame_spec())
    warnings = " ".join(result.warnings)
    assert "Units joining the pilot in 9 (after the data end) count as never treated." in warnings
    assert "1 unit(s) were in the pilot from the first period" in warnings
    assert "1 unit(s) without data in every period were left out (first: '2')" in warnings


def test_a_first_period_before_the_data_start_is_left_out() -> None:
    frame = staggered_frame(7)
    frame.loc[frame["id"] == 0, "g"] = -5
    result = assess(frame_table(frame), frame_spec())
    assert "1 unit(s) were in the pilot from the first period" in " ".join(result.warnings)


def refused(frame: pd.DataFrame, spec: dict[str, Any] | None = None) -> str:
    with pytest.raises((AnalysisError, SpecError)) as error:
        assess(frame_table(frame), spec or frame_spec())
    return str(error.value)


def test_no_never_treated_units_says_to_compare_with_not_yet_treated_ones() -> None:
    frame = staggered_frame(8)
    frame = frame[frame["g"] > 0]
    message = refused(frame)
    assert "set design.comparison = 'not_yet_treated'" in message
    assert "No unit stays out of the pilot" in message
    assert assess(frame_table(frame), frame_spec("not_yet_treated")).std_error


def test_one_cohort_and_no_comparison_at_all_is_refused() -> None:
    frame = staggered_frame(9)
    frame["g"] = 3
    message = refused(frame, frame_spec("not_yet_treated"))
    assert "No unit can serve as a comparison" in message
    assert "add units that stay out of the pilot" in message


def test_no_unit_joining_during_the_data_is_refused() -> None:
    frame = staggered_frame(11)
    frame["g"] = 0
    assert "No unit joins the pilot during the data" in refused(frame)


def test_a_unit_with_two_first_periods_is_named() -> None:
    frame = staggered_frame(12)
    frame.loc[(frame["id"] == 5) & (frame["t"] == 6), "g"] = 3
    assert "Unit '5' has more than one value in column 'g'" in refused(frame)


def test_a_first_period_that_is_not_a_period_is_named() -> None:
    frame = staggered_frame(13).astype({"g": float})
    frame.loc[frame["id"] == 5, "g"] = 2.5
    assert "Column 'g' holds '2.5', which is not a period of the data" in refused(frame)


@pytest.mark.parametrize(
    ("design", "message"),
    [
        ({"treated": ["1"]}, "design.treated does not apply to kind = 'staggered'"),
        (
            {"kind": "did", "treated": ["1"], "control": ["0"], "before": ["1"], "after": ["2"]},
            "design.comparison applies to kind = 'staggered'",
        ),
    ],
)
def test_spec_keys_of_staggered_adoption_are_checked(design: dict[str, Any], message: str) -> None:
    spec = frame_spec()
    spec["design"] |= design
    with pytest.raises(SpecError, match=message):
        parse_spec(spec)


def test_rates_are_computed_per_unit_and_period() -> None:
    frame = staggered_frame(14)
    frame["hours"] = 2.0
    table = table_from_arrays(frame["y"] * 2, frame["hours"], frame["id"], frame["t"], frame["g"])
    spec = frame_spec()
    spec["columns"]["exposure"] = "hours"
    spec["metric"] = {"statistic": "rate"}
    assert assess(table, spec).estimate == pytest.approx(
        assess(frame_table(frame), frame_spec()).estimate
    )
    # One row per unit and period: its total is its value.
    totals = frame_spec(metric={"statistic": "total"})
    assert assess(frame_table(frame), totals).estimate == pytest.approx(
        assess(frame_table(frame), frame_spec()).estimate
    )
    zero = table_from_arrays(frame["y"], frame["hours"] * 0, frame["id"], frame["t"], frame["g"])
    with pytest.raises(AnalysisError, match="adds up to zero or less"):
        assess(zero, spec)


def test_the_chart_is_the_event_time_plot(tmp_path: Path, run_command: Any) -> None:
    chart = tmp_path / "effects.svg"
    status, _, err = run_command(MPDTA, mpdta_spec(), "--chart", str(chart))
    assert (status, err) == (0, "")
    svg = chart.read_text(encoding="utf-8")
    assert "Effect on log teen employment, by periods since joining the pilot" in svg
    assert "-3: 0.0305 (from 0.00104 to 0.06); " in svg
    assert "Joins the pilot" in svg


def test_an_event_time_chart_needs_matching_event_times() -> None:
    with pytest.raises(ChartError, match="the same event times"):
        event_time_chart({"0": 1.0}, {"1": 0.0}, {"0": 2.0}, "Effect")
    chart = event_time_chart({"1": 1.0}, {"1": 0.5}, {"1": 1.5}, "Effect", "minutes")
    assert "Joins the pilot" not in chart.svg
    assert chart.alt_text.endswith("1: 1 (from 0.5 to 1.5) minutes.")
    assert chart.table[1] == ("1", "1", "0.5", "1.5")


@pytest.mark.parametrize(
    ("pilot_units", "message"),
    [(1, "Only one unit joins the pilot"), (9, "Only one unit stays out of the pilot")],
)
def test_a_single_unit_on_either_side_is_refused(pilot_units: int, message: str) -> None:
    frame = staggered_frame(15, units=10, starts=(3,))
    frame["g"] = np.where(frame["id"] < pilot_units, 3, 0)
    assert message in refused(frame)
