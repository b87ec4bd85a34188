"""`sanely evidence assess`: output, and exit status 2 with a clear message on bad input."""

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from sanely.cli import main as sanely_main
from sanely.evidence.cli import main

from .conftest import to_toml, write_csv

Run = Callable[..., tuple[int, str, str]]

ROWS = [
    (village, arm, period, minutes)
    for village, arm in (("a", "pilot"), ("b", "pilot"), ("c", "comparison"), ("d", "comparison"))
    for period, minutes in (("2025-Q1", 10.0), ("2025-Q3", 7.0 if arm == "pilot" else 9.5))
    for _ in range(3)
]
SPEC: dict[str, Any] = {
    "columns": {"value": "minutes", "unit": "village", "period": "period", "group": "arm"},
    "design": {
        "kind": "did",
        "treated": ["pilot"],
        "control": ["comparison"],
        "before": ["2025-Q1"],
        "after": ["2025-Q3"],
    },
    "metric": {"statistic": "mean", "label": "average waiting time", "units": "minutes"},
    "target": {"comparator": "<=", "threshold": -2.0},
    "inference": {"errors": "robust"},
}


@pytest.fixture
def data(tmp_path: Path) -> Path:
    rows = [
        (v, a, p, m + (0.1 * (i % 3) if v in "ac" else 0.2 * (i % 3)))
        for i, (v, a, p, m) in enumerate(ROWS)
    ]
    return write_csv(tmp_path / "waits.csv", ["village", "arm", "period", "minutes"], rows)


def test_json_output_has_the_documented_keys(data: Path, assess_json: Any) -> None:
    result = assess_json(data, SPEC)
    assert {
        "estimate",
        "std_error",
        "ci_low",
        "ci_high",
        "p_value",
        "n",
        "method",
        "verdict",
        "explanation",
    } <= set(result)
    assert ({"2025-Q1": 6, "2025-Q3": 6}, -2.5) == (
        result["n"]["pilot"],
        pytest.approx(result["estimate"]),
    )


def test_text_output_starts_with_the_explanation(data: Path, run_command: Run) -> None:
    status, out, err = run_command(data, SPEC)
    assert (0, "") == (status, err)
    assert out.startswith("We are 95% confident that relative to the comparison group, average")
    assert "rows          comparison: 2025-Q1: 6, 2025-Q3: 6\n              pilot:" in out


def test_a_long_series_prints_its_rows_in_one_line_per_group(run_command: Run) -> None:
    """The 1983 seat-belt law: 192 months of two series are two lines, not 384 counts."""
    spec = {
        "columns": {"value": "killed_or_seriously_injured", "period": "month", "group": "series"},
        "design": {
            "kind": "its",
            "change_at": "1983-02",
            "treated": ["front"],
            "control": ["rear"],
        },
    }
    seatbelts = Path(__file__).parent / "data" / "seatbelts.csv"
    status, out, _ = run_command(seatbelts, spec)
    assert 0 == status
    assert out.endswith(
        "rows          front: 192 periods from 1969-01 to 1984-12, 1 row each (192 rows)\n"
        "              rear: 192 periods from 1969-01 to 1984-12, 1 row each (192 rows)\n"
    )
    assert "the start of the pilot" not in out
    assert "from 1983-02" in out


def test_rows_of_periods_that_are_not_times_are_summarised_in_text_order() -> None:
    from sanely.evidence import describe_rows

    counts = {"pilot": {f"wave {letter}": 3 + i for i, letter in enumerate("ghfedcba")}}
    assert (("pilot", "8 periods from wave a to wave h, 3 to 10 rows each (52 rows)"),) == (
        describe_rows(counts)
    )


def test_warnings_are_printed_with_the_text_output(tmp_path: Path, run_command: Run) -> None:
    path = tmp_path / "w.csv"
    path.write_bytes(b"v\n1\n\n2\n2\nNA\n4\n5\n6\n7\n8\n9\ncaf\xe9\n")
    spec = {
        "columns": {"value": "v"},
        "design": {"kind": "threshold"},
        "metric": {"statistic": "median"},
    }
    spec["data"] = {"missing": ["NA", "caf\u00e9"], "duplicates": "drop"}
    status, out, _ = run_command(path, spec)
    assert 0 == status
    assert [
        "The file was not UTF-8; it was read as Latin-1 (Windows-1252).",
        "1 blank line(s) were skipped.",
        "1 row(s) repeat an earlier row exactly: dropped.",
        "2 row(s) with a missing 'v' were left out.",
    ] == [
        line.removeprefix("warning       ")
        for line in out.splitlines()
        if line.startswith("warning")
    ]
    assert "std error     -" in out


def changed(**tables: dict[str, Any]) -> dict[str, Any]:
    spec = {name: dict(keys) for name, keys in SPEC.items()}
    for name, keys in tables.items():
        spec[name] = {**spec[name], **keys}
    return spec


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        (changed(columns={"value": "wait"}), "columns.value names 'wait', which is not a column"),
        (
            {**SPEC, "columns": {"value": "minutes", "group": "arm"}},
            "design.kind = 'did' needs columns.period: add it to [columns]",
        ),
        (changed(design={"treated": ["pilots"]}), "design.treated lists 'pilots', which never"),
        (changed(design={"before": ["2024-Q4"]}), "design.before lists '2024-Q4', which never"),
        (
            changed(
                inference={"errors": "cluster"},
                design={"treated": ["pilot", "comparison"], "control": []},
            ),
            "design.control must list the values of 'arm'",
        ),
    ],
)
def test_bad_specs_exit_with_status_2_and_a_message(
    data: Path, run_command: Run, spec: dict[str, Any], message: str
) -> None:
    status, out, err = run_command(data, spec)
    assert (2, "") == (status, out)
    assert message in err
    assert "Traceback" not in err


def test_a_period_with_no_data_for_a_group_exits_with_status_2(
    tmp_path: Path, run_command: Run
) -> None:
    rows = [row for row in ROWS if not (row[1] == "comparison" and row[2] == "2025-Q3")]
    path = write_csv(tmp_path / "gap.csv", ["village", "arm", "period", "minutes"], rows)
    status, _, err = run_command(path, SPEC)
    assert 2 == status
    assert "There are no rows for 'control, after' in the design" in err


def test_a_single_cluster_exits_with_status_2(tmp_path: Path, run_command: Run) -> None:
    path = write_csv(tmp_path / "one.csv", ["village", "minutes"], [("a", 1), ("a", 2)])
    spec = {
        "columns": {"value": "minutes", "unit": "village"},
        "design": {"kind": "threshold"},
        "metric": {},
    }
    status, _, err = run_command(path, spec)
    assert (2, True) == (status, "Only one unit has data" in err)


def test_identical_values_exit_with_status_2(tmp_path: Path, run_command: Run) -> None:
    path = write_csv(tmp_path / "same.csv", ["minutes"], [(5,), (5,), (5,)])
    spec = {"columns": {"value": "minutes"}, "design": {"kind": "threshold"}, "metric": {}}
    status, _, err = run_command(path, spec)
    assert (2, True) == (status, "All values of 'minutes' are identical" in err)


def test_bad_values_exit_with_status_2_listing_rows(tmp_path: Path, run_command: Run) -> None:
    path = write_csv(tmp_path / "bad.csv", ["minutes"], [(5,), ("five",), (7,)])
    spec = {"columns": {"value": "minutes"}, "design": {"kind": "threshold"}, "metric": {}}
    status, _, err = run_command(path, spec)
    assert 2 == status
    assert "row 3, column 'minutes': 'five' is not a number" in err


def test_the_sanely_dispatcher_runs_the_evidence_command(
    data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = tmp_path / "s.toml"
    spec.write_text('[columns]\nvalue = "minutes"\n[design]\nkind = "threshold"\n', "utf-8")
    status = sanely_main(["evidence", "assess", str(data), "--spec", str(spec), "--json"])
    assert (0, '{"estimate": ') == (status, capsys.readouterr().out[:13])


def write_spec(path: Path, spec: dict[str, Any]) -> Path:
    path.write_text(to_toml(spec), encoding="utf-8")
    return path


def test_several_specs_are_one_phase_with_holm_p_values_and_a_chart(
    data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = write_spec(tmp_path / "a.toml", SPEC)
    second = write_spec(
        tmp_path / "b.toml",
        changed(
            metric={"statistic": "median"}, inference={"method": "bootstrap", "replicates": 200}
        ),
    )
    chart = tmp_path / "phase.svg"
    status = main(
        ["assess", str(data), "--spec", str(first), "--spec", str(second), "--chart", str(chart)]
    )
    out = capsys.readouterr().out
    assert (0, 2) == (status, out.count("Holm p-value  "))
    assert "Estimates with their confidence intervals</title>" in chart.read_text("utf-8")


def test_a_single_target_chart_shows_its_threshold(
    data: Path, tmp_path: Path, run_command: Run
) -> None:
    chart = tmp_path / "one.svg"
    status, _, _ = run_command(data, SPEC, "--json", "--chart", str(chart))
    assert (0, True) == (status, "Target -2" in chart.read_text("utf-8"))


def test_plan_prints_the_minimum_detectable_effect(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = write_spec(tmp_path / "s.toml", SPEC)
    status = main(
        ["plan", "--spec", str(spec), "--sd", "6", "--rows-per-period", "20", "--periods", "2"]
    )
    out = capsys.readouterr().out.strip()
    assert (0, True) == (
        status,
        out.endswith("This phase is too short to decide its target: about 15 periods are needed."),
    )


def test_plan_with_a_bad_spec_exits_with_status_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = write_spec(tmp_path / "s.toml", {k: v for k, v in SPEC.items() if k != "target"})
    status = main(
        ["plan", "--spec", str(spec), "--sd", "6", "--rows-per-period", "20", "--periods", "2"]
    )
    assert (2, "sanely evidence: Planning needs a [target]") == (
        status,
        capsys.readouterr().err[:42],
    )


def test_the_help_lists_covariates_weights_and_predictors(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit):
        main(["assess", "--help"])
    shown = capsys.readouterr().out
    for key in ("covariates = ", "weight = ", "weights = analytic | survey", "[predictors]"):
        assert key in shown
