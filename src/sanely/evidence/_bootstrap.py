"""Cluster bootstrap: resample units (or rows) with replacement, seeded and reproducible."""

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np
import numpy.typing as npt

from ._errors import AnalysisError, SpecError
from ._inference import bootstrap_interval, bootstrap_p_value
from ._models import unit_changes
from ._sample import Sample
from ._spec import Spec
from ._table import Codes, Floats
from ._toolbox import Result, Sums, reference_of, sums_of

_THREADS = 2
# Leave-one-out quantiles cost a pass over the rows per cluster; beyond this many clusters
# the BCa acceleration is not computed and the percentile interval is used.
_JACKKNIFE_MAX = 5000
# Gathered values per block of replicates: small enough to stay in cache while summed.
_BLOCK_CELLS = 500_000


def _strata(occupied: npt.NDArray[np.bool_]) -> list[Codes]:
    """Clusters grouped by the design cells they have data in (resampled within groups)."""
    _, pattern = np.unique(occupied, axis=0, return_inverse=True)
    pattern = pattern.ravel()
    return [np.flatnonzero(pattern == p) for p in range(int(pattern.max()) + 1)]


def resampled_sums(
    rng: np.random.Generator, strata: list[Codes], stacked: npt.NDArray[Any], replicates: int
) -> npt.NDArray[Any]:
    """Column sums of `stacked` (clusters x columns) over clusters drawn with replacement.

    Within each stratum, as many clusters are drawn as it holds (Efron & Tibshirani 1993,
    section 6.2, applied to clusters); sums of per-cluster totals replace copying rows.
    Returns (replicates, columns).
    """
    total = np.zeros((stacked.shape[1], replicates), dtype=stacked.dtype)
    columns = np.ascontiguousarray(stacked.T)
    for members in strata:
        draws = rng.integers(0, len(members), size=(replicates, len(members)))
        part = columns if len(strata) == 1 else columns[:, members]
        # A contiguous gather and row sum per column beats a 3-D gather many times.
        for j, column in enumerate(part):
            total[j] += np.take(column, draws).sum(axis=1)
    return total.T


def _blocks(spec: Spec, cells: int) -> list[int]:
    per_block = max(1, _BLOCK_CELLS // cells)
    total = spec.inference.replicates
    return [min(per_block, total - start) for start in range(0, total, per_block)]


def _moment_replicates(sums: Sums, coef: Floats, spec: Spec) -> Floats:
    # y + i·x: one gather fetches both sums of a cluster-cell (half the index traffic).
    packed = sums.y + 1j * sums.x
    strata = _strata(sums.n > 0)
    blocks = _blocks(spec, 2 * packed.size)
    # Each block has its own stream spawned from the seed, so results do not depend on
    # which thread runs it; numpy releases the GIL, so two threads use two cores.
    streams = np.random.SeedSequence(spec.inference.seed).spawn(len(blocks))

    def block(stream: np.random.SeedSequence, size: int) -> Floats:
        drawn = resampled_sums(np.random.default_rng(stream), strata, packed, size)
        with np.errstate(divide="ignore", invalid="ignore"):
            ratios: Floats = (drawn.real / drawn.imag) @ coef
        return ratios

    with ThreadPoolExecutor(max_workers=_THREADS) as pool:
        return np.concatenate(list(pool.map(block, streams, blocks)))


def _moment_jackknife(sums: Sums, coef: Floats) -> Floats:
    y, x = (a.sum(0) - a for a in (sums.y, sums.x))
    with np.errstate(invalid="ignore", divide="ignore"):
        return (y / x) @ coef


def _row_sums(sample: Sample) -> Sums:
    """Per-row `Sums` (each row its own cluster) for a bootstrap without units."""
    rows = np.arange(len(sample.y))
    shape = (len(rows), sample.n_cells)
    n = np.zeros(shape)
    n[rows, sample.cell] = 1.0
    x = n * (1.0 if sample.x is None else sample.x[:, None])
    return Sums(n, n * sample.y[:, None], x)


def _quantile_statistic(sample: Sample, spec: Spec) -> Callable[[Codes], float]:
    """θ(rows) = Σ_c w_c · percentile of the rows of cell c."""

    def statistic(rows: Codes) -> float:
        cells = sample.cell[rows]
        values = sample.y[rows]
        if np.bincount(cells, minlength=sample.n_cells).min() == 0:
            return float("nan")  # a jackknife sample that leaves a cell empty
        return float(
            sum(
                w * np.percentile(values[cells == c], spec.metric.percentile)
                for c, w in enumerate(sample.weights)
            )
        )

    return statistic


def _quantile_replicates(sample: Sample, spec: Spec) -> tuple[float, Floats, Floats | None]:
    # Without units, each row is its own cluster.
    units = sample.n_clusters > 1
    cluster = sample.key // sample.n_cells if units else np.arange(len(sample.y))
    clusters = sample.n_clusters if units else len(sample.y)
    order = np.argsort(cluster, kind="stable")
    sizes = np.bincount(cluster, minlength=clusters)
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    statistic = _quantile_statistic(sample, spec)
    occupied = np.zeros((clusters, sample.n_cells), dtype=bool)
    occupied[cluster, sample.cell] = True
    strata = _strata(occupied)
    rng = np.random.default_rng(spec.inference.seed)

    def rows_of(chosen: Codes) -> Codes:
        lengths = sizes[chosen]
        # Row positions of the chosen clusters, concatenated: start + offset within cluster.
        offsets = np.arange(lengths.sum()) - np.repeat(np.cumsum(lengths) - lengths, lengths)
        return order[np.repeat(starts[chosen], lengths) + offsets]

    replicates = np.empty(spec.inference.replicates)
    for b in range(spec.inference.replicates):
        chosen = np.concatenate([m[rng.integers(0, len(m), len(m))] for m in strata])
        replicates[b] = statistic(rows_of(chosen))
    everyone = np.arange(clusters)
    estimate = statistic(rows_of(everyone))
    if spec.inference.interval != "bca" or clusters > _JACKKNIFE_MAX:
        return estimate, replicates, None
    jackknife = np.array([statistic(rows_of(np.delete(everyone, g))) for g in everyone])
    return estimate, replicates, jackknife


def bootstrap(sample: Sample, spec: Spec, paired: bool) -> Result:
    """Cluster bootstrap of the design's estimate: resample units within their strata.

    Moment statistics resample per-cluster sums with multinomial counts (no row is copied);
    quantiles resample the rows of the drawn clusters. Percentile or BCa interval (Efron &
    Tibshirani 1993, ch. 13-14), standard error = sd of replicates, percentile-test p-value.
    """
    if spec.design.kind == "its" or spec.design.fixed_effects:
        raise SpecError("inference.method = 'bootstrap' does not apply to its or fixed effects.")
    total = spec.metric.statistic == "total"
    weights = sample.weights
    if spec.metric.statistic in ("median", "percentile"):
        estimate, replicates, jackknife = _quantile_replicates(sample, spec)
    else:
        sums = sums_of(sample) if sample.n_clusters > 1 else _row_sums(sample)
        if paired:
            change = unit_changes(sums, total)
            ones = np.ones((len(change), 1))
            sums, weights = Sums(ones, change[:, None], ones), np.ones(1)
        # As in the analytic errors, a total is n_c times the mean with n_c held fixed.
        coef = weights * (sums.n.sum(0) if total else 1.0)
        estimate = float((sums.y.sum(0) / sums.x.sum(0)) @ coef)
        replicates = _moment_replicates(sums, coef, spec)
        jackknife = _moment_jackknife(sums, coef)
    if not np.isfinite(replicates).all():
        raise AnalysisError(
            "Some bootstrap resamples have no exposure at all, so their rate is undefined; "
            "declare columns.unit, add rows, or use inference.method = 'analytic'."
        )
    if np.ptp(replicates) == 0:
        raise AnalysisError(
            "The bootstrap cannot vary the estimate (too few units per group, or identical "
            "values); add units or use inference.method = 'analytic'."
        )
    confidence = spec.inference.confidence
    use_bca = (
        spec.inference.interval == "bca"
        and jackknife is not None
        and bool(np.isfinite(jackknife).all())
    )
    low, high = bootstrap_interval(estimate, replicates, jackknife if use_bca else None, confidence)
    unit = f"units ({spec.columns.unit})" if spec.columns.unit else "rows"
    method = (
        f"bootstrap resampling {unit}: {spec.inference.replicates} replicates, seed "
        f"{spec.inference.seed}; {'BCa' if use_bca else 'percentile'} {confidence:.0%} interval"
    )
    return Result(
        estimate,
        float(np.std(replicates, ddof=1)),
        low,
        high,
        bootstrap_p_value(replicates, reference_of(spec)),
        method,
        {"replicates": float(spec.inference.replicates)},
    )
