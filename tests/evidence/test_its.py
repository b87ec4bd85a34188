"""Interrupted time series with a change point and a comparison series (the 1983 GB seat-belt
law: drivers' and front-seat passengers' deaths and serious injuries against rear-seat
passengers', whom the law did not cover), against statsmodels on the same regression."""

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import statsmodels.api as sm

from sanely.evidence import AnalysisError, SpecError, assess, parse_spec, table_from_arrays

SEATBELTS = Path(__file__).parent / "data" / "seatbelts.csv"  # R datasets::Seatbelts, 1969-84
MONTHS = 192
LAW = 169  # February 1983, the first month of the law


def seatbelt_spec(**design: Any) -> dict[str, Any]:
    return {
        "columns": {"value": "killed_or_seriously_injured", "period": "month", "group": "series"},
        "design": {"kind": "its", "change_at": "1983-02", "season_length": 12} | design,
        "metric": {"statistic": "mean", "label": "monthly casualties"},
        "inference": {"errors": "hac", "lags": 12},
    }


def series(name: str) -> Any:
    rows = np.genfromtxt(SEATBELTS, delimiter=",", names=True, dtype=None, encoding="utf-8")
    return rows["killed_or_seriously_injured"][rows["series"] == name].astype(float)


def segments() -> Any:
    t = np.arange(MONTHS, dtype=float)
    post = (t >= LAW).astype(float)
    seasons = [(t % 12 == s).astype(float) for s in range(1, 12)]
    return np.column_stack([np.ones(MONTHS), t, post, (t - LAW) * post, *seasons])


def test_seat_belt_law_against_rear_seat_passengers_as_statsmodels_driscoll_kraay(
    assess_json: Callable[..., dict[str, Any]],
) -> None:
    spec = seatbelt_spec(treated=["front"], control=["rear"])
    ours = assess_json(SEATBELTS, spec)
    base = segments()
    design = np.block([[base, np.zeros((MONTHS, 4))], [base, base[:, :4]]])
    outcome = np.concatenate([series("rear"), series("front")])
    time = np.tile(np.arange(MONTHS), 2)
    fit = sm.OLS(outcome, design).fit(
        cov_type="hac-groupsum", cov_kwds={"time": time, "maxlags": 12, "use_correction": False}
    )
    assert ours["estimate"] == pytest.approx(fit.params[-2], rel=1e-9)
    assert ours["std_error"] == pytest.approx(fit.bse[-2], rel=1e-9)
    assert ours["details"]["slope_change"] == pytest.approx(fit.params[-1], rel=1e-9)
    assert ours["estimate"] < -100  # front-seat casualties fell by well over 100 a month
    assert "comparative segmented regression" in ours["method"]
    assert "192 periods (169 before the change)" in ours["method"]


def test_a_single_series_with_a_change_point_as_statsmodels_newey_west() -> None:
    rows = np.genfromtxt(SEATBELTS, delimiter=",", names=True, dtype=None, encoding="utf-8")
    front = rows["series"] == "front"
    table = table_from_arrays(
        rows["killed_or_seriously_injured"][front].astype(float), period=rows["month"][front]
    )
    spec = seatbelt_spec()
    spec["columns"] = {"value": "v", "period": "p"}
    ours = assess(table, spec)
    fit = sm.OLS(series("front"), segments()).fit(cov_type="HAC", cov_kwds={"maxlags": 12})
    assert ours.estimate == pytest.approx(fit.params[2], rel=1e-9)
    assert ours.std_error == pytest.approx(fit.bse[2], rel=1e-9)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"before": ["1969-01"]}, "leave out design.before"),
        ({"treated": ["front"], "control": []}, "design.control must list"),
    ],
)
def test_change_point_and_comparison_keys_are_checked(change: dict[str, Any], message: str) -> None:
    with pytest.raises(SpecError, match=message):
        parse_spec(seatbelt_spec(**change))


def test_a_comparison_needs_the_group_column() -> None:
    spec = seatbelt_spec(treated=["front"], control=["rear"])
    spec["columns"].pop("group")
    with pytest.raises(SpecError, match=r"add columns\.group"):
        parse_spec(spec)


def test_a_change_point_must_be_a_period_of_the_data_with_periods_on_both_sides() -> None:
    table = table_from_arrays(
        np.arange(30.0), period=[f"{2020 + i // 12}-{i % 12 + 1:02d}" for i in range(30)]
    )
    spec = seatbelt_spec()
    spec["columns"] = {"value": "v", "period": "p"}
    spec["design"] = {"kind": "its", "change_at": "2030-01"}
    with pytest.raises(SpecError, match=r"design.change_at = '2030-01' is not a period"):
        assess(table, spec)
    spec["design"]["change_at"] = "2020-01"
    with pytest.raises(AnalysisError, match="needs periods before and after the change"):
        assess(table, spec)


def test_the_sentence_names_the_change_point_and_the_comparison(
    assess_json: Callable[..., dict[str, Any]],
) -> None:
    ours = assess_json(SEATBELTS, seatbelt_spec(treated=["front"], control=["rear"]))
    assert ours["explanation"].startswith(
        "We are 95% confident that relative to the comparison series from 1983-02, the level "
        "of monthly casualties fell by between "
    )
    assert ours["method"].startswith(
        "Change in level of monthly casualties at the change, pilot series minus comparison "
        "series; "
    )
