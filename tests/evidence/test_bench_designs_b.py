"""Benchmarks of synthetic control and staggered adoption against their reference
implementations (pysyncon, csdid), ours and theirs measured in the same run (make bench).

pysyncon fits one unit with SLSQP over all donors at once: with 1,000 donors one fit takes
minutes, and placebo inference needs 1,001 of them. So the bench runs pysyncon's full
placebo inference at the largest size it finishes promptly (40 donors), and one pysyncon
fit at 200 donors against our fit of the pilot and every placebo there; ours also runs the
1,000-donor size the issue names.
"""

from typing import Any

import numpy as np
import pandas as pd
import pytest
from csdid.att_gt import ATTgt
from pysyncon import Synth

from sanely.evidence import assess, table_from_arrays

from .test_bench_evidence import best_of, report

pytestmark = pytest.mark.bench

PERIODS, PRE = 40, 30


def donor_panel(donors: int, seed: int) -> tuple[np.ndarray, Any, dict[str, Any]]:
    """A pilot and `donors` units driven by four common trends, the pilot up 2 after PRE."""
    rng = np.random.default_rng(seed)
    trends = rng.normal(size=(4, PERIODS)).cumsum(axis=1)
    values = rng.normal(size=(donors + 1, 4)) @ trends + rng.normal(0, 0.5, (donors + 1, PERIODS))
    values[0, PRE:] += 2.0
    names = ["pilot", *(f"d{i:04d}" for i in range(donors))]
    table = table_from_arrays(
        values.ravel(), None, np.repeat(names, PERIODS), np.tile(np.arange(PERIODS), donors + 1)
    )
    spec = {
        "columns": {"value": "v", "unit": "u", "period": "p"},
        "design": {"kind": "synthetic_control", "treated": ["pilot"], "change_at": str(PRE)},
        "metric": {"statistic": "mean"},
    }
    return values, table, spec


def pysyncon_effect(values: np.ndarray, pilot: int, donors: list[int]) -> tuple[Any, float]:
    """pysyncon's weights for `pilot` from `donors` on pre-period outcomes (V undoes its
    scaling of each period by its standard deviation), and the mean gap after PRE."""
    history = pd.DataFrame(values[[pilot, *donors], :PRE].T, columns=[pilot, *donors])
    synth = Synth()
    variances = history.std(axis=1).to_numpy() ** 2
    synth.fit(
        X0=history[donors],
        X1=history[pilot],
        Z0=history[donors],
        Z1=history[pilot],
        custom_V=variances,
    )
    gap = values[pilot] - synth.W @ values[donors]
    return synth.W, float(gap[PRE:].mean())


def test_synthetic_control_with_placebo_inference_over_every_donor() -> None:
    values, table, spec = donor_panel(40, seed=1)
    ours_small, result = best_of(3, lambda: assess(table, spec))

    def reference() -> tuple[Any, list[float]]:
        donors = list(range(1, 41))
        weights, _ = pysyncon_effect(values, 0, donors)
        placebos = [pysyncon_effect(values, j, [d for d in donors if d != j])[1] for j in donors]
        return weights, placebos

    peer_small, (weights, placebos) = best_of(1, reference)
    assert np.abs(np.array(list(result.series["weights"].values())) - weights).max() < 1e-3
    assert result.std_error == pytest.approx(float(np.std(placebos)), rel=1e-3)

    values, table, spec = donor_panel(200, seed=2)
    ours_mid, result = best_of(1, lambda: assess(table, spec))
    peer_one, (weights, effect) = best_of(
        1, lambda: pysyncon_effect(values, 0, list(range(1, 201)))
    )
    assert result.estimate == pytest.approx(effect, abs=1e-3)

    _, table, spec = donor_panel(1000, seed=3)
    ours_large, result = best_of(1, lambda: assess(table, spec))
    assert result.details["donors"] == 1000
    report(
        "synthetic control, 40 periods, placebo fits of every donor",
        {
            "40 donors: ours s": ours_small,
            "pysyncon s": peer_small,
            "speed-up": peer_small / ours_small,
            "200 donors: ours, all 201 fits s": ours_mid,
            "pysyncon, 1 fit s": peer_one,
            "speed-up (at least)": peer_one / ours_mid,
            "1000 donors: ours, all 1001 fits s": ours_large,
        },
    )
    assert peer_small / ours_small >= 10
    assert peer_one / ours_mid >= 10


def test_staggered_adoption_on_a_million_rows() -> None:
    rng = np.random.default_rng(4)
    units, periods = 100_000, 10
    cohort = rng.choice([0, 4, 6, 8], size=units)
    t = np.arange(1, periods + 1)
    joined = (cohort[:, None] > 0) & (t[None, :] >= cohort[:, None])
    effect = np.where(joined, -1.0 - 0.2 * (t[None, :] - cohort[:, None]), 0.0)
    y = rng.normal(size=units)[:, None] + 0.1 * t + effect + rng.normal(size=(units, periods))
    frame = pd.DataFrame(
        {
            "id": np.repeat(np.arange(units), periods),
            "t": np.tile(t, units),
            "g": np.repeat(cohort, periods),
            "y": y.ravel(),
        }
    )
    table = table_from_arrays(frame["y"], None, frame["id"], frame["t"], frame["g"])
    spec = {
        "columns": {"value": "y", "unit": "id", "period": "t", "group": "g"},
        "design": {"kind": "staggered"},
        "metric": {"statistic": "mean"},
    }
    ours, result = best_of(3, lambda: assess(table, spec))

    def reference() -> Any:
        fit = ATTgt(yname="y", gname="g", idname="id", tname="t", xformla=None, data=frame)
        fit = fit.fit(est_method="reg", bstrap=False)
        fit.aggte(typec="simple", bstrap=False)
        return fit

    peer, fit = best_of(1, reference)
    report(
        "staggered adoption (Callaway & Sant'Anna), 1M rows, 100k units",
        {"ours s": ours, "csdid s": peer, "speed-up": peer / ours},
    )
    assert result.estimate == pytest.approx(fit.atte["overall_att"], abs=1e-10)
    assert result.std_error == pytest.approx(fit.atte["overall_se"], rel=1e-8)
    assert peer / ours >= 10
