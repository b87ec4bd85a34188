"""Every file takes one path: DuckDB sums it per group, with the results of rows in memory."""

from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.csv as pcsv
import pyarrow.parquet as pq
import pytest

from sanely.evidence import DataError, SpecError, _ingest, assess, read_table, table_from_arrays


@pytest.fixture
def parquet(tmp_path: Path) -> Path:
    rng = np.random.default_rng(11)
    rows = 4000
    unit = np.concatenate([np.repeat(np.arange(20), 2), rng.integers(0, 20, rows - 40)])
    period = np.concatenate([np.tile([2024, 2025], 20), rng.integers(2024, 2026, rows - 40)])
    arm = np.where(unit % 2 == 0, "pilot", "comparison")
    arm[unit == 19] = "other"  # rows outside the design
    hours = rng.uniform(1, 4, rows)
    trips = rng.poisson(3 * hours).astype(float)
    value = 100 + rng.normal(size=rows) + (arm == "pilot") * (period == 2025)
    value[5] = np.nan
    table = pa.table(
        {
            "unit": unit,
            "period": period,
            "arm": arm,
            "value": pa.array(value, from_pandas=True),
            "trips": trips,
            "hours": hours,
            "flag": (trips > 8).astype(np.int64),
            "area": np.where(np.arange(rows) % 7 == 0, "south", "north"),
        }
    )
    path = tmp_path / "big.parquet"
    pq.write_table(table, path, row_group_size=1000)
    return path


def spec(kind: str, statistic: str = "mean", **extra: Any) -> dict[str, Any]:
    value = {"rate": "trips", "proportion": "flag"}.get(statistic, "value")
    design: dict[str, Any] = {"kind": kind}
    if kind in ("two_group", "did"):
        design |= {"treated": ["pilot"], "control": ["comparison"]}
    if kind in ("before_after", "did", "its"):
        design |= {"before": ["2024"], "after": ["2025"]}
    raw: dict[str, Any] = {
        "columns": {
            "value": value,
            "exposure": "hours",
            "unit": "unit",
            "period": "period",
            "group": "arm",
        },
        "design": design,
        "metric": {"statistic": statistic},
    }
    for table, keys in extra.items():
        raw[table] = {**raw.get(table, {}), **keys}
    return raw


CASES = [
    spec("did"),
    spec("did", inference={"errors": "classical"}),
    spec("did", "rate", inference={"errors": "robust"}),
    spec("did", design={"fixed_effects": True}),
    spec("two_group", "proportion", inference={"errors": "robust"}),
    spec("before_after", "total"),
    spec("threshold", "ratio", data={"where": {"area": ["north"]}}),
    spec("did", metric={"aggregate": "unit_period"}),
    spec("two_group", inference={"method": "bootstrap", "replicates": 200}),
    spec("threshold", "median", columns={"unit": None}),
]


def rows_in_memory(path: Path, raw: dict[str, Any]) -> Any:
    """The file's rows as arrays, cleaned by hand as the data dictionary says."""
    data = pq.read_table(path).to_pydict()
    columns = raw["columns"]
    keep = ~np.isnan(np.array(data[columns["value"]], dtype=float))
    for name, values in raw.get("data", {}).get("where", {}).items():
        keep &= np.isin(np.array(data[name], dtype=str), values)

    def column(name: str | None, text: bool = True) -> Any:
        # Keys as the file's text, so that units are numbered in the same (text) order.
        return None if name is None else np.array(data[name], dtype=str if text else float)[keep]

    rate = raw["metric"]["statistic"] in ("rate", "ratio")
    return table_from_arrays(
        column(columns["value"], text=False),
        column(columns["exposure"], text=False) if rate else None,
        column(columns.get("unit")),
        column(columns["period"]),
        column(columns["group"]),
    )


@pytest.mark.parametrize("raw", CASES)
@pytest.mark.parametrize("form", ["parquet", "csv"])
def test_a_file_gives_the_assessment_of_its_rows_in_memory(
    parquet: Path, raw: dict[str, Any], form: str
) -> None:
    raw["columns"] = {k: v for k, v in raw["columns"].items() if v is not None}
    path = parquet
    if form == "csv":
        path = parquet.with_suffix(".csv")
        pcsv.write_csv(pq.read_table(parquet), path)
    expected = assess(rows_in_memory(parquet, raw), raw)
    actual = assess(path, raw)
    assert (expected.estimate, expected.ci_low, expected.ci_high, expected.n) == (
        pytest.approx(actual.estimate, rel=1e-10),
        pytest.approx(actual.ci_low, rel=1e-9),
        pytest.approx(actual.ci_high, rel=1e-9),
        actual.n,
    )


def test_missing_values_are_counted_and_repeats_are_not_looked_for_by_default(
    parquet: Path,
) -> None:
    from sanely.evidence import parse_spec

    report = read_table(parquet, parse_spec(spec("did"))).report
    assert ({"value": 1}, 3999, 4000, 0, "Parquet") == (
        dict(report.missing_dropped),
        report.rows_used,
        report.rows_read,
        report.duplicate_rows,
        report.source,
    )


@pytest.fixture
def few_rows_in_memory(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_ingest, "ROWS_IN_MEMORY", 100)


@pytest.mark.usefixtures("few_rows_in_memory")
@pytest.mark.parametrize(
    ("raw", "error", "message"),
    [
        (spec("did", columns={"unit": "village"}), SpecError, "columns.unit names 'village'"),
        (spec("did", columns={"value": "arm"}), DataError, "row 2, column 'arm': 'pilot' is not a"),
        (spec("did", "proportion", columns={"value": "trips"}), DataError, "is not 0 or 1"),
        (spec("did", data={"on_missing": "error"}), DataError, "row 7, column 'value': is missing"),
        (spec("did", data={"where": {"area": ["east"]}}), DataError, "has no usable rows"),
        (spec("threshold", "median"), SpecError, "medians, percentiles and bootstraps"),
        (
            spec("threshold", inference={"method": "bootstrap"}, columns={"unit": None}),
            SpecError,
            "declare columns.unit",
        ),
    ],
)
def test_problems_with_files_say_what_to_change(
    parquet: Path, raw: dict[str, Any], error: type[Exception], message: str
) -> None:
    raw["columns"] = {k: v for k, v in raw["columns"].items() if v is not None}
    with pytest.raises(error, match=message):
        assess(parquet, raw)


def test_groups_with_a_missing_key_are_left_out_and_counted(tmp_path: Path) -> None:
    table = pa.table(
        {
            "unit": pa.array([1, 2, None, 1, 2, 3] * 30),
            "value": pa.array([1.0, 2.0, 3.0, 4.0, 7.0, 6.5] * 30),
        }
    )
    path = tmp_path / "keys.parquet"
    pq.write_table(table, path)
    raw = {"columns": {"value": "value", "unit": "unit"}, "design": {"kind": "threshold"}}
    result = assess(path, raw)
    assert ({"unit": 30}, {"all": {"all": 150}}) == (
        dict(result.report.missing_dropped),
        result.n,
    )


def test_a_summary_read_for_means_is_refused_for_medians(parquet: Path) -> None:
    from sanely.evidence import parse_spec

    table = read_table(parquet, parse_spec(spec("threshold")))
    with pytest.raises(SpecError, match="medians, percentiles, bootstraps"):
        assess(table, spec("threshold", "median"))
