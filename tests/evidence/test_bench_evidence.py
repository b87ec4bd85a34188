"""Benchmarks of the evidence engine against its peers, measured in the same run (make bench).

Each prints our figure and the peer's, then asserts the ratios the issue asks for and that
the numbers agree. Data are generated here, seeded, under a temporary directory.
"""

import json
import platform
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import statsmodels.api as sm
from scipy import stats

from sanely.evidence import assess, prepare, table_from_arrays

pytestmark = pytest.mark.bench


def best_of(repeats: int, work: Callable[[], Any]) -> tuple[float, Any]:
    """Fastest wall time of several runs (the least disturbed by other jobs), and a result."""
    times, result = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - start)
    return min(times), result


def report(name: str, figures: dict[str, float]) -> None:
    shown = ", ".join(f"{key} {value:.4g}" for key, value in figures.items())
    print(f"\n[bench] {name} ({platform.node()}, {platform.machine()}): {shown}")  # noqa: T201


DID_SPEC = {
    "columns": {"value": "y", "unit": "u", "period": "p", "group": "g"},
    "design": {"kind": "did", "treated": ["1"], "control": ["0"], "before": ["0"], "after": ["1"]},
    "metric": {"statistic": "mean"},
    "inference": {"errors": "cluster"},
}


def test_difference_in_differences_with_cluster_robust_errors_on_ten_million_rows() -> None:
    rng = np.random.default_rng(20261125)
    rows, units = 10_000_000, 10_000
    unit = rng.integers(0, units, rows)
    arm = unit % 2
    post = rng.integers(0, 2, rows)
    y = 5 + rng.normal(size=units)[unit] + 0.3 * post - 0.8 * arm * post + rng.normal(size=rows)
    prepared_in, sample = best_of(
        1, lambda: prepare(table_from_arrays(y, None, unit, post, arm), DID_SPEC)
    )

    ours, result = best_of(5, lambda: assess(sample, DID_SPEC))
    floor, _ = best_of(5, lambda: np.bincount(unit, weights=y))
    design = np.column_stack([np.ones(rows), arm, post, arm * post]).astype(np.float64)
    peer, fit = best_of(
        1, lambda: sm.OLS(y, design).fit(cov_type="cluster", cov_kwds={"groups": unit})
    )
    report(
        "DiD + CR1, 10M rows",
        {
            "ours s": ours,
            "statsmodels s": peer,
            "bincount floor s": floor,
            "prepare s": prepared_in,
            "speed-up": peer / ours,
            "x floor": ours / floor,
        },
    )
    assert fit.params[3] == pytest.approx(result.estimate, rel=1e-8)
    assert fit.bse[3] == pytest.approx(result.std_error, rel=1e-8)
    assert peer / ours >= 30
    assert ours / floor <= 2


def test_cluster_bootstrap_of_a_million_rows_in_ten_thousand_clusters() -> None:
    rng = np.random.default_rng(7)
    rows, clusters, replicates = 1_000_000, 10_000, 2000
    # Independent rows, so a row bootstrap (scipy) estimates the same interval.
    unit = rng.integers(0, clusters, rows)
    y = rng.exponential(3.0, rows)
    spec = {
        "columns": {"value": "y", "unit": "u"},
        "design": {"kind": "threshold"},
        "metric": {"statistic": "mean"},
        "inference": {
            "method": "bootstrap",
            "interval": "percentile",
            "replicates": replicates,
            "seed": 1,
        },
    }
    sample = prepare(table_from_arrays(y, unit=unit), spec)
    ours, result = best_of(7, lambda: assess(sample, spec))

    scipy_time, scipy_result = best_of(
        1,
        lambda: stats.bootstrap(
            (y,),
            np.mean,
            n_resamples=replicates,
            method="percentile",
            batch=40,
            vectorized=True,
            rng=np.random.default_rng(2),
        ),
    )
    order = np.argsort(unit, kind="stable")
    by_cluster = np.split(y[order], np.cumsum(np.bincount(unit, minlength=clusters))[:-1])

    def cluster_by_cluster() -> tuple[float, float]:
        draw = np.random.default_rng(3)
        means = [
            np.concatenate([by_cluster[c] for c in draw.integers(0, clusters, clusters)]).mean()
            for _ in range(replicates)
        ]
        low, high = np.percentile(means, [2.5, 97.5])
        return float(low), float(high)

    naive_time, naive = best_of(1, cluster_by_cluster)
    interval = scipy_result.confidence_interval
    report(
        "cluster bootstrap, B=2000, 1M rows, 10k clusters",
        {
            "ours s": ours,
            "scipy.stats.bootstrap s": scipy_time,
            "cluster-by-cluster s": naive_time,
            "speed-up vs scipy": scipy_time / ours,
            "speed-up vs cluster loop": naive_time / ours,
        },
    )
    # Monte Carlo error of a 2.5% percentile with B = 2000 is about 0.1 standard errors.
    tolerance = 0.25 * result.std_error
    assert (interval.low, interval.high) == pytest.approx(
        (result.ci_low, result.ci_high), abs=tolerance
    )
    assert naive == pytest.approx((result.ci_low, result.ci_high), abs=tolerance)
    assert scipy_time / ours >= 100
    assert naive_time / ours >= 100


# Peak memory is the process's VmHWM: ru_maxrss would include the forking parent's peak.
PEAK = "int(open('/proc/self/status').read().split('VmHWM:')[1].split()[0]) / 1024"
MEASURE = """
import json, sys, time
from sanely.evidence import assess
start = time.perf_counter()
result = assess(sys.argv[1], json.loads(sys.argv[2]))
print(json.dumps({"seconds": time.perf_counter() - start, "estimate": result.estimate,
                  "std_error": result.std_error,
                  "peak_mb": PEAK}))
""".replace("PEAK", PEAK)

PLAIN = """
import duckdb, json, sys, time
connection = duckdb.connect(config={"threads": 2})
connection.execute("SET enable_progress_bar = false")
start = time.perf_counter()
rows = connection.execute(
    f"SELECT {sys.argv[2]}, count(*), sum(value) FROM read_parquet($path) GROUP BY ALL",
    {"path": sys.argv[1]},
).fetchall()
print(json.dumps({"seconds": time.perf_counter() - start, "groups": len(rows),
                  "peak_mb": PEAK}))
""".replace("PEAK", PEAK)


def run_python(code: str, *args: str) -> dict[str, Any]:
    completed = subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", code, *args], capture_output=True, text=True, check=True
    )
    result: dict[str, Any] = json.loads(completed.stdout.strip().splitlines()[-1])
    return result


def test_a_hundred_million_row_parquet_file_in_bounded_memory(tmp_path: Path) -> None:
    import duckdb

    path = tmp_path / "hundred_million.parquet"
    connection = duckdb.connect(config={"threads": 2})
    connection.execute("SET enable_progress_bar = false")
    connection.execute(
        "COPY (SELECT (hash(i) % 10000)::INTEGER AS unit, ((i // 3) % 2)::TINYINT AS period, "
        "((hash(i) % 10000) % 2)::TINYINT AS arm, "
        "20 + (hash(i) % 10000) / 1000 + 2 * random() - ((hash(i) % 10000) % 2) * ((i // 3) % 2) "
        "AS value FROM range(100000000) t(i)) TO $path (FORMAT parquet, ROW_GROUP_SIZE 1000000)",
        {"path": str(path)},
    )
    connection.close()
    spec = {
        "columns": {"value": "value", "unit": "unit", "period": "period", "group": "arm"},
        "design": {
            "kind": "did",
            "treated": ["1"],
            "control": ["0"],
            "before": ["0"],
            "after": ["1"],
        },
        "metric": {"statistic": "mean"},
    }
    # The peer groups by the same keys the design needs; one key is shown for reference.
    # Alternate the two so that other jobs on the machine disturb both alike; keep the best.
    try:
        runs = [
            (
                run_python(PLAIN, str(path), "unit, period, arm"),
                run_python(MEASURE, str(path), json.dumps(spec)),
            )
            for _ in range(3)
        ]
        plain = min((p for p, _ in runs), key=lambda r: r["seconds"])
        ours = min((o for _, o in runs), key=lambda r: r["seconds"])
        one_key = run_python(PLAIN, str(path), "unit")
    finally:
        path.unlink()  # a gigabyte; pytest keeps recent temporary directories
    report(
        "100M-row Parquet, DiD + CR1",
        {
            "ours s": ours["seconds"],
            "ours peak MB": ours["peak_mb"],
            "plain DuckDB GROUP BY s": plain["seconds"],
            "plain peak MB": plain["peak_mb"],
            "plain GROUP BY unit s": one_key["seconds"],
            "x plain": ours["seconds"] / plain["seconds"],
        },
    )
    assert (20000, True) == (plain["groups"], -1.1 < ours["estimate"] < -0.9)
    assert ours["peak_mb"] < 512
    assert ours["seconds"] / plain["seconds"] <= 2


def test_wild_cluster_bootstrap_of_a_million_rows_in_twenty_clusters() -> None:
    import warnings

    import pandas as pd
    from wildboottest.wildboottest import wildboottest

    rng = np.random.default_rng(20261205)
    rows, clusters, replicates = 1_000_000, 20, 9999
    unit = rng.integers(0, clusters, rows)
    arm, post = unit % 2, rng.integers(0, 2, rows)
    shock = rng.normal(scale=0.3, size=(clusters, 2))[unit, post]
    y = 5 + rng.normal(size=clusters)[unit] + 0.3 * post - 0.1 * arm * post + shock
    y += rng.normal(size=rows)
    spec = DID_SPEC | {
        "inference": {"method": "wild", "replicates": replicates, "wild_weights": "rademacher"}
    }
    # Coding the rows and the peer each take seconds under load: the best of three of each.
    prepared_in, sample = best_of(
        3, lambda: prepare(table_from_arrays(y, None, unit, post, arm), spec)
    )
    ours, result = best_of(5, lambda: assess(sample, spec))
    model = sm.OLS(y, sm.add_constant(pd.DataFrame({"arm": arm, "post": post, "did": arm * post})))

    def reference() -> Any:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return wildboottest(
                model, B=replicates, cluster=unit, param="did", show=False, parallel=False, seed=1
            )

    peer, frame = best_of(3, reference)
    theirs = float(frame["p-value"].iloc[0])
    report(
        "wild cluster bootstrap (WCR, Rademacher), B=9999, 1M rows, 20 clusters",
        {
            "ours s": ours,
            "wildboottest s": peer,
            "prepare s": prepared_in,
            "speed-up": peer / ours,
            "speed-up with prepare": peer / (ours + prepared_in),
            "p ours": result.p_value,
            "p wildboottest": theirs,
        },
    )
    assert float(frame["statistic"].iloc[0]) == pytest.approx(
        result.estimate / result.std_error, rel=1e-8
    )
    # Independent draws of one p-value: within four standard errors of their difference.
    assert abs(result.p_value - theirs) <= 4 * np.sqrt(2 * theirs * (1 - theirs) / replicates)
    assert peer / ours >= 10
    assert peer / (ours + prepared_in) >= 10
