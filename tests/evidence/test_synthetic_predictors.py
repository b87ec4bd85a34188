"""Synthetic control fitted on predictors (issue 15, item 2): Abadie & Gardeazabal's Basque
Country weights through the command, agreement with pysyncon, and bad input."""

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from pysyncon import Synth

from sanely.evidence import AnalysisError, SpecError, assess, parse_spec, table_from_arrays
from sanely.evidence._synthetic import predictor_weights, scaled_predictors

Run = Callable[[Path, dict[str, Any]], dict[str, Any]]
BASQUE = Path(__file__).parent / "data" / "basque.csv"
REGIONS = [
    "Spain (Espana)",
    "Andalucia",
    "Aragon",
    "Principado De Asturias",
    "Baleares (Islas)",
    "Canarias",
    "Cantabria",
    "Castilla Y Leon",
    "Castilla-La Mancha",
    "Cataluna",
    "Comunidad Valenciana",
    "Extremadura",
    "Galicia",
    "Madrid (Comunidad De)",
    "Murcia (Region de)",
    "Navarra (Comunidad Foral De)",
    "Rioja (La)",
]


def years(first: int, last: int, step: int = 1) -> list[str]:
    return [str(year) for year in range(first, last + 1, step)]


def basque_spec() -> dict[str, Any]:
    """Abadie & Gardeazabal (2003): GDP per head of the Basque Country against the other
    Spanish regions, fitted on schooling and investment (1964-1969), GDP per head
    (1960-1969), the shares of six sectors (odd years 1961-1969) and population density
    (1969), to the outcomes of 1960-1969 (R Synth's basque example)."""
    predictors: dict[str, Any] = {
        column: years(1964, 1969)
        for column in (
            "school.illit",
            "school.prim",
            "school.med",
            "school.high",
            "school.post.high",
            "invest",
        )
    }
    predictors["gdpcap"] = years(1960, 1969)
    for sector in ("agriculture", "energy", "industry", "construction"):
        predictors[f"sec.{sector}"] = years(1961, 1969, 2)
    for services in ("venta", "nonventa"):
        predictors[f"sec.services.{services}"] = years(1961, 1969, 2)
    predictors["popdens"] = ["1969"]
    return {
        "columns": {"value": "gdpcap", "unit": "regionname", "period": "year"},
        "design": {
            "kind": "synthetic_control",
            "treated": ["Basque Country (Pais Vasco)"],
            "control": REGIONS,
            "change_at": "1970",
        },
        "metric": {"label": "GDP per head", "units": "thousand 1986 USD"},
        "data": {"where": {"year": years(1960, 1997)}},
        "predictors": predictors,
    }


def basque_toml(tmp_path: Path) -> Path:
    """The Basque spec as SPEC.toml (its keys hold dots, so they are quoted)."""
    spec = basque_spec()
    lines = []
    for table in ("columns", "design", "metric"):
        lines.append(f"[{table}]")
        lines += [f"{key} = {_toml(value)}" for key, value in spec[table].items()]
    lines += ["[data]", f"where = {{ year = {_toml(spec['data']['where']['year'])} }}"]
    lines.append("[predictors]")
    lines += [f'"{column}" = {_toml(periods)}' for column, periods in spec["predictors"].items()]
    path = tmp_path / "basque.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _toml(value: Any) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(_toml(item) for item in value) + "]"
    return f'"{value}"'


def test_basque_country_weights_match_abadie_and_gardeazabal_2003(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Abadie & Gardeazabal (2003), section II: the synthetic Basque Country is Catalonia
    (0.8508) and Madrid (0.1492); pysyncon's own test of this example expects 0.850816306
    and 0.149183694."""
    import json

    from sanely.evidence.cli import main

    status = main(["assess", str(BASQUE), "--spec", str(basque_toml(tmp_path)), "--json"])
    result = json.loads(capsys.readouterr().out)
    assert 0 == status
    weights = {name: w for name, w in result["series"]["weights"].items() if w > 1e-6}
    assert {"Cataluna": 0.8508, "Madrid (Comunidad De)": 0.1492} == {
        name: round(w, 4) for name, w in weights.items()
    }
    assert weights["Cataluna"] == pytest.approx(0.850816306, abs=1e-4)
    assert "fitted to 14 predictors (weighted to fit the 10 periods before" in result["method"]
    assert "and to match it in school.illit (mean of 1964 to 1969)" in result["explanation"]
    assert "popdens (1969)" in result["series"]["predictor_weights"]
    pilot = result["series"]["predictors_pilot"]["gdpcap (mean of 1960 to 1969)"]
    synthetic = result["series"]["predictors_synthetic"]["gdpcap (mean of 1960 to 1969)"]
    assert pilot == pytest.approx(synthetic, rel=0.05)
    assert sum(result["series"]["predictor_weights"].values()) == pytest.approx(1.0)


def random_predictor_panel(
    seed: int, donors: int, periods: int = 20, pre: int = 15
) -> tuple[Any, dict[str, Any], pd.DataFrame]:
    """A panel whose outcomes follow three unit features (the predictors), with noise."""
    rng = np.random.default_rng(seed)
    units = donors + 1
    features = rng.normal(size=(units, 3)) * [1.0, 5.0, 0.2]
    trend = np.linspace(0, 1, periods)
    outcome = features @ [[2.0], [0.3], [4.0]] + trend * features[:, :1]
    outcome = outcome + rng.normal(scale=0.3, size=(units, periods))
    outcome[0, pre:] += 2.0
    names = ["pilot", *(f"d{i:02d}" for i in range(donors))]
    unit = np.repeat(names, periods)
    period = np.tile(np.arange(2000, 2000 + periods), units)
    numbers = {f"x{k}": np.repeat(features[:, k], periods) for k in range(3)}
    table = table_from_arrays(outcome.ravel(), unit=unit, period=period, numbers=numbers)
    spec = {
        "columns": {"value": "y", "unit": "unit", "period": "year"},
        "design": {
            "kind": "synthetic_control",
            "treated": ["pilot"],
            "change_at": str(2000 + pre),
        },
        "predictors": {"x0": "before", "x1": "before", "x2": "before"},
    }
    frame = pd.DataFrame(features, index=names, columns=["x0", "x1", "x2"])
    return table, spec, frame.assign(history=list(outcome[:, :pre]))


def pysyncon_fit(frame: pd.DataFrame, custom_v: Any = None) -> Synth:
    """pysyncon's Synth on the panel's predictors and pre-period outcomes (V searched, or
    given)."""
    history = pd.DataFrame(np.vstack(frame["history"]).T, columns=frame.index)
    covariates = frame[["x0", "x1", "x2"]].T
    synth = Synth()
    synth.fit(
        X0=covariates.drop(columns="pilot"),
        X1=covariates["pilot"],
        Z0=history.drop(columns="pilot"),
        Z1=history["pilot"],
        custom_V=custom_v,
    )
    return synth


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_with_the_same_predictor_weights_the_donor_weights_equal_pysyncons(seed: int) -> None:
    """Given V, the donor weights solve a convex problem: ours and pysyncon's (SLSQP) reach
    the same V-weighted gap, and the same weights where they are unique (a pilot outside the
    donors' range, so that the nearest mix is on an edge of their hull)."""
    _, _, frame = random_predictor_panel(seed, donors=12)
    outside = frame[["x0", "x1", "x2"]].max() + np.array([0.3, 2.0, 0.1])
    frame.loc["pilot", ["x0", "x1", "x2"]] = outside
    predictors = frame[["x0", "x1", "x2"]].to_numpy()
    v = np.random.default_rng(seed).dirichlet(np.ones(3))
    ours = predictor_weights(scaled_predictors(predictors, 0), v, 0)
    synth = pysyncon_fit(frame, v)
    scaled = scaled_predictors(predictors, 0)
    gap = scaled[0] - ours[1:] @ scaled[1:]
    assert 0.5 * gap @ (v * gap) == pytest.approx(synth.loss_W + 0.5 * scaled[0] @ (v * scaled[0]))
    assert np.abs(ours[1:] - synth.W).max() < 1e-4


@pytest.mark.parametrize("seed", [4, 5])
def test_the_searched_predictor_weights_fit_at_least_as_closely_as_pysyncons(seed: int) -> None:
    """V is searched (Nelder-Mead, as pysyncon, from its equal start and from the regression
    start): the pre-period fit of the outcomes is at least as close as pysyncon's."""
    table, spec, frame = random_predictor_panel(seed, donors=10)
    result = assess(table, spec)
    history = pd.DataFrame(np.vstack(frame["history"]).T, columns=frame.index)
    weights = pd.Series(result.series["weights"])[history.columns[1:]]
    ours = float(np.mean((history["pilot"] - history[weights.index] @ weights) ** 2))
    synth = pysyncon_fit(frame)
    assert ours <= float(synth.loss_V) * (1 + 1e-6) + 1e-12
    assert result.estimate == pytest.approx(2.0, abs=1.0)


def test_predictors_with_gaps_average_what_there_is_and_name_a_unit_with_none() -> None:
    table, spec, _ = random_predictor_panel(6, donors=20)
    x1 = table.numbers["x1"].copy()
    x1[::2] = np.nan  # every other period has no value
    gappy = table_from_arrays(
        table.value,
        unit=np.array(table.unit.labels)[table.unit.codes],
        period=np.array(table.period.labels)[table.period.codes],
        numbers={"x0": table.numbers["x0"], "x1": x1, "x2": table.numbers["x2"]},
    )
    assert assess(gappy, spec).series["predictors_pilot"]["x1 (mean before the change)"] == (
        pytest.approx(table.numbers["x1"][0])
    )
    spec["predictors"]["x1"] = ["2000"]
    with pytest.raises(AnalysisError, match="has no value of 'x1' in the periods of predictors"):
        assess(gappy, spec)


def test_predictors_from_outcomes_and_several_windows_of_one_column() -> None:
    table, spec, _ = random_predictor_panel(7, donors=20)
    spec["predictors"] = {"y": [["2000"], ["2005"], ["2010", "2011"]], "x0": "before"}
    result = assess(table, spec)
    assert ["y (2000)", "y (2005)", "y (mean of 2010 to 2011)", "x0 (mean before the change)"] == (
        list(result.series["predictor_weights"])
    )


@pytest.mark.parametrize(
    ("predictors", "message"),
    [
        ({"x0": ["2016"]}, "lists '2016', which is not a period of the data before the change"),
        ({"x0": 3}, 'must be "before"'),
        ({"x0": [3.5]}, "predictors.x0 must be a list of values as text"),
        ({"unit": "before"}, "names a key column of the spec"),
        ({f"c{i}": "before" for i in range(51)}, "at most 50 columns"),
    ],
)
def test_bad_predictors_say_what_to_change(predictors: dict[str, Any], message: str) -> None:
    table, spec, _ = random_predictor_panel(8, donors=20)
    spec["predictors"] = predictors
    with pytest.raises(SpecError, match=message):
        assess(table, spec)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ([], "must be a table of columns"),
        ({"x": "before"}, "applies to design.kind = 'synthetic_control'"),
    ],
)
def test_predictors_outside_a_synthetic_control_are_refused(raw: Any, message: str) -> None:
    spec = {
        "columns": {"value": "y", "unit": "u", "period": "p"},
        "design": {"kind": "before_after", "before": ["0"], "after": ["1"]},
        "predictors": raw,
    }
    with pytest.raises(SpecError, match=message):
        parse_spec(spec)


def test_a_predictor_cell_that_is_not_a_number_is_reported_by_row(
    tmp_path: Path, run_command: Any
) -> None:
    table, spec, _ = random_predictor_panel(9, donors=20)
    frame = pd.DataFrame(
        {
            "unit": np.array(table.unit.labels)[table.unit.codes],
            "year": np.array(table.period.labels)[table.period.codes],
            "y": table.value,
        }
        | {name: table.numbers[name] for name in ("x0", "x1", "x2")}
    ).astype({"x1": object})
    frame.loc[3, "x1"] = "n/a"  # a missing token: no value, not a problem
    frame.loc[4, "x1"] = "-99"  # and so is a declared token that reads as a number
    frame.loc[5, "x1"] = "many"
    path = tmp_path / "panel.csv"
    frame.to_csv(path, index=False)
    spec["data"] = {"missing": ["n/a", "-99", ""]}
    status, _, err = run_command(path, spec)
    assert 2 == status
    assert "row 7, column 'x1': 'many' is not a number" in err
    assert "row 5," not in err
    assert "row 6," not in err
    frame.loc[5, "x1"] = ""
    frame.to_csv(path, index=False)
    assert 0 == run_command(path, spec, "--json")[0]
