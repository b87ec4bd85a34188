"""Group-sequential looks: boundaries against rpact, error rates, and verdicts at each gate.

rpact's own unit tests (tests/testthat/test-f_design_group_sequential*.R, the expected
results of getDesignGroupSequential) give the reference boundaries to 7 decimals; the
equally spaced tables for 2-5 looks are checked by integrating the joint normal
distribution of the looks independently (scipy's multivariate normal).
"""

import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from scipy import stats

from sanely.evidence import SpecError, assess, parse_spec, table_from_arrays
from sanely.evidence._sequential import boundaries, obrien_fleming, pocock

RPACT = 1e-6  # rpact prints 8 significant figures; our grid agrees to about 1e-7


def test_rpact_obrien_fleming_alpha_and_pocock_beta_spending_three_equal_looks() -> None:
    # getDesignGroupSequential(kMax = 3, alpha = 0.03, typeOfDesign = "asOF",
    #   typeBetaSpending = "bsP") (beta 0.2, non-binding): rpact test 'x7'.
    plan = boundaries(3, 0.03, "obrien_fleming", beta=0.2, futility="pocock")
    assert plan.efficacy == pytest.approx((3.5815302, 2.417863, 1.9175839), abs=RPACT)
    assert plan.futility == pytest.approx((0.42062972, 1.2539286, 1.9175839), abs=RPACT)
    assert plan.levels == pytest.approx((0.00017079385, 0.0078059773, 0.027581894), rel=1e-5)


def test_rpact_pocock_alpha_and_beta_spending_at_unequal_looks() -> None:
    # getDesignGroupSequential(kMax = 3, alpha = 0.05, beta = 0.1, typeOfDesign = "asP",
    #   typeBetaSpending = "bsP", informationRates = c(0.4, 0.65, 1)): rpact test 'dl1'.
    plan = boundaries(3, 0.05, "pocock", beta=0.1, futility="pocock", fractions=(0.4, 0.65, 1.0))
    assert plan.efficacy == pytest.approx((1.9405431, 2.0327662, 1.9734104), abs=RPACT)
    assert plan.futility[:2] == pytest.approx((0.5448398, 1.0899149), abs=RPACT)  # type: ignore[index]


# One-sided alpha 0.025 (a 95% interval standard), equally spaced looks, to 3 decimals.
EQUALLY_SPACED = {
    ("obrien_fleming", 2): (2.963, 1.969),
    ("obrien_fleming", 3): (3.710, 2.511, 1.993),
    ("obrien_fleming", 4): (4.333, 2.963, 2.359, 2.014),
    ("obrien_fleming", 5): (4.877, 3.357, 2.680, 2.290, 2.031),
    ("pocock", 2): (2.157, 2.201),
    ("pocock", 3): (2.279, 2.295, 2.296),
    ("pocock", 4): (2.368, 2.368, 2.358, 2.350),
    ("pocock", 5): (2.438, 2.427, 2.410, 2.397, 2.386),
}


def crossed_by(bounds: tuple[float, ...]) -> float:
    """P(some z_k >= bound_k) under H0, by scipy's multivariate normal (Genz), independently."""
    looks = len(bounds)
    t = np.arange(1, looks + 1) / looks
    correlation = np.sqrt(np.minimum.outer(t, t) / np.maximum.outer(t, t))
    inside = stats.multivariate_normal.cdf(
        np.array(bounds),
        np.zeros(looks),
        correlation,
        maxpts=300_000,
        abseps=1e-7,
        releps=1e-7,
        rng=np.random.default_rng(0),
    )
    return 1 - float(inside)


@pytest.mark.parametrize(("spending", "looks"), list(EQUALLY_SPACED))
def test_equally_spaced_boundaries_spend_exactly_the_planned_alpha(
    spending: str, looks: int
) -> None:
    plan = boundaries(looks, 0.025, spending)
    assert plan.efficacy == pytest.approx(EQUALLY_SPACED[spending, looks], abs=5e-4)
    function = {"obrien_fleming": obrien_fleming, "pocock": pocock}[spending]
    first = float(stats.norm.isf(function(0.025, 1 / looks)))
    assert plan.efficacy[0] == pytest.approx(first, abs=1e-9)
    for k in range(2, looks + 1):
        spent = crossed_by(plan.efficacy[:k])
        assert spent == pytest.approx(function(0.025, k / looks), abs=2e-6)


def test_repeated_looks_at_a_fixed_level_inflate_false_mets_and_the_plan_does_not() -> None:
    rng = np.random.default_rng(5)
    looks, paths = 4, 400_000
    steps = rng.normal(size=(paths, looks))
    z = np.cumsum(steps, axis=1) / np.sqrt(np.arange(1, looks + 1))
    naive = float(np.mean((z >= stats.norm.isf(0.025)).any(axis=1)))
    planned = float(np.mean((z >= np.array(boundaries(looks, 0.025, "pocock").efficacy)).any(1)))
    assert naive > 0.06  # 2.5% claimed, more than twice that delivered
    assert planned == pytest.approx(0.025, abs=4 * math.sqrt(0.025 * 0.975 / paths))


def test_more_looks_need_more_information_and_the_inflation_matches_the_power() -> None:
    plan = boundaries(4, 0.025, "obrien_fleming", beta=0.1, futility="obrien_fleming")
    assert plan.futility is not None
    assert plan.futility[-1] == plan.efficacy[-1]
    assert all(low < high for low, high in zip(plan.futility[:-1], plan.efficacy, strict=False))
    assert 1 < boundaries(2, 0.025, "pocock").inflation < boundaries(5, 0.025, "pocock").inflation


def did_data(effect: float, seed: int = 3) -> Any:
    rng = np.random.default_rng(seed)
    rows = 4000
    unit = rng.integers(0, 60, rows)
    arm, post = unit % 2, rng.integers(0, 2, rows)
    y = 10 + rng.normal(size=60)[unit] + effect * arm * post + rng.normal(size=rows)
    return table_from_arrays(y, None, unit, post, arm)


def look_spec(look: int, looks: int = 3, **plan: Any) -> dict[str, Any]:
    return {
        "columns": {"value": "y", "unit": "u", "period": "p", "group": "g"},
        "design": {"kind": "did", "treated": ["1"], "control": ["0"], "before": ["0"]}
        | {"after": ["1"]},
        "metric": {"statistic": "mean"},
        "target": {"comparator": ">=", "threshold": 0.0},
        "sequential": {"looks": looks, "look": look} | plan,
    }


def test_an_early_look_needs_more_than_the_fixed_interval_to_call_the_target_met() -> None:
    data = did_data(0.25)
    single = look_spec(1)
    del single["sequential"]
    fixed = assess(data, single)
    early = assess(data, look_spec(1))
    last = assess(data, look_spec(3))
    assert fixed.verdict == "met"
    assert 1.96 < early.details["look_z"] < early.details["efficacy_bound"]
    assert early.verdict == "inconclusive"
    assert "At look 1 of 3 (information fraction 0.33)" in early.explanation
    assert "inconclusive - keep collecting" in early.explanation
    assert last.verdict == "met"
    assert "Lan-DeMets O'Brien-Fleming-type" in last.explanation


def test_a_pilot_going_the_wrong_way_is_told_it_is_futile() -> None:
    result = assess(did_data(-0.2), look_spec(2, futility=True))
    assert result.verdict == "futile"
    assert result.details["look_z"] <= result.details["futility_bound"]
    assert "futile: the pilot can no longer be expected to meet its target" in result.explanation


def test_the_last_look_without_a_futility_bound_is_met_or_not_met() -> None:
    result = assess(did_data(0.0, seed=8), look_spec(3, spending="pocock"))
    assert result.verdict == "not met"
    assert "not met at the last look" in result.explanation


def test_under_the_bootstrap_the_boundary_applies_as_its_one_sided_level() -> None:
    spec = look_spec(1, looks=5)
    spec["inference"] = {"method": "wild", "replicates": 999}
    result = assess(did_data(2.0), spec)
    # The first O'Brien-Fleming-type level, 5e-7, is below 1 / (B + 1).
    assert result.verdict == "inconclusive"
    assert "With 999 bootstrap replicates no p-value can be as small as 5.4e-07" in (
        result.explanation
    )
    pairs = look_spec(3, looks=3)
    pairs["inference"] = {"method": "bootstrap", "replicates": 500, "interval": "percentile"}
    assert assess(did_data(0.5), pairs).verdict == "met"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"target": {"comparator": ">=", "threshold": 0, "standard": "estimate"}}, "needs"),
        ({"sequential": {"looks": 3, "look": 4}}, "between 1 and sequential.looks"),
        ({"sequential": {"looks": 1, "look": 1}}, "sequential.looks must be a whole number"),
        ({"sequential": {"looks": 2, "look": 1, "futility": "yes"}}, "true or false"),
        ({"sequential": {"looks": 2, "look": 1, "power": 0.3}}, "sequential.power"),
        ({"sequential": {"looks": 2, "look": 1, "fractions": ["a"]}}, "list of numbers"),
        ({"sequential": {"looks": 2, "look": 1, "fractions": [0.6, 0.5]}}, "increasing"),
        ({"sequential": {"looks": 2, "look": 1, "fractions": [0.5]}}, "one increasing"),
        ({"sequential": {"looks": 2, "look": 1, "spending": "haybittle"}}, "is not one of"),
        ({"sequential": {"looks": 2, "look": 1, "alpha": 0.1}}, "not a known key"),
    ],
)
def test_a_plan_that_cannot_work_names_the_key(change: dict[str, Any], message: str) -> None:
    with pytest.raises(SpecError, match=message):
        parse_spec(look_spec(1) | change)


def test_a_plan_needs_a_target() -> None:
    spec = look_spec(1)
    del spec["target"]
    with pytest.raises(SpecError, match=r"\[sequential\] judges a target"):
        parse_spec(spec)


def test_unequal_fractions_are_used_as_given(
    tmp_path: Path, assess_json: Callable[..., dict[str, Any]]
) -> None:
    data = tmp_path / "looks.csv"
    rng = np.random.default_rng(1)
    lines = ["u,g,p,y"] + [
        f"{u},{u % 2},{p},{10 + 0.3 * (u % 2) * p + rng.normal():.4f}"
        for u in range(40)
        for p in (0, 1)
        for _ in range(20)
    ]
    data.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = assess_json(data, look_spec(1, looks=2, fractions=[0.4, 1]))
    assert result["details"]["information_fraction"] == 0.4
    assert result["details"]["efficacy_bound"] == pytest.approx(
        float(stats.norm.isf(obrien_fleming(0.025, 0.4))), abs=1e-9
    )


def test_a_plan_is_refused_for_panel_designs() -> None:
    spec = look_spec(1)
    spec["design"] = {"kind": "synthetic_control", "treated": ["1"], "before": ["0"]} | {
        "after": ["1"]
    }
    with pytest.raises(SpecError, match=r"\[sequential\] applies to"):
        parse_spec(spec)
