"""The estimators' shared toolbox: results, per-cluster sums and moments, error choices, CR1."""

from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from ._errors import AnalysisError
from ._inference import t_interval, t_p_value
from ._sample import Sample
from ._spec import Spec
from ._table import Floats

ErrorKind = Literal["classical", "robust", "cluster", "hac"]


@dataclass(frozen=True)
class Result:
    """What an estimator found (internal; `Assessment` is the public form)."""

    estimate: float
    std_error: float
    ci_low: float
    ci_high: float
    p_value: float
    method: str
    details: dict[str, float] = field(default_factory=dict)
    why: str = ""  # why this method was chosen, when the engine chose it


@dataclass(frozen=True)
class Sums:
    """Sufficient statistics per cluster (rows) and design cell (columns).

    n, y, x are counts and sums of value and exposure (x is n when there is no exposure).
    """

    n: Floats
    y: Floats
    x: Floats


@dataclass(frozen=True)
class Moments(Sums):
    """`Sums` with the centred second moments Σ(y-ȳ)², Σ(y-ȳ)(x-x̄), Σ(x-x̄)² of each cell."""

    qyy: Floats
    qxy: Floats
    qxx: Floats


def sums_of(sample: Sample) -> Sums:
    """Cluster x cell sums: one weighted bincount over the sample's key per summed column."""
    shape = (sample.n_clusters, sample.n_cells)
    n = sample.counts
    y = np.bincount(sample.key, weights=sample.y, minlength=len(n))
    x = n if sample.x is None else np.bincount(sample.key, weights=sample.x, minlength=len(n))
    return Sums(n.reshape(shape), y.reshape(shape), x.reshape(shape))


def moments_of(sample: Sample) -> Moments:
    """`sums_of` plus within-(cluster, cell) centred second moments (a second, stable pass).

    Rows that summarise groups (count n_j, mean m_j, moments q_j) combine as
    Q = Σ_j q_j + n_j (m_j - m)² (Chan, Golub & LeVeque 1983).
    """
    sums = sums_of(sample)
    size = len(sample.counts)
    occupied = np.maximum(sums.n, 1).ravel()
    summary = sample.summary
    count = 1.0 if summary is None else summary.count
    dy = sample.y / count - (sums.y.ravel() / occupied)[sample.key]
    qyy = np.bincount(sample.key, weights=count * dy * dy, minlength=size)
    if sample.x is None:
        qxy = qxx = np.zeros(size)
    else:
        dx = sample.x / count - (sums.x.ravel() / occupied)[sample.key]
        qxy = np.bincount(sample.key, weights=count * dy * dx, minlength=size)
        qxx = np.bincount(sample.key, weights=count * dx * dx, minlength=size)
    if summary is not None:
        qyy += np.bincount(sample.key, weights=summary.qyy, minlength=size)
        qxy += np.bincount(sample.key, weights=summary.qxy, minlength=size)
        qxx += np.bincount(sample.key, weights=summary.qxx, minlength=size)
    shape = sums.n.shape
    return Moments(
        sums.n, sums.y, sums.x, qyy.reshape(shape), qxy.reshape(shape), qxx.reshape(shape)
    )


def error_kind(spec: Spec) -> ErrorKind:
    """The standard errors to use: as declared, else clustered when units are declared."""
    if spec.inference.errors != "auto":
        return spec.inference.errors
    if spec.design.kind == "its":
        return "classical"
    return "cluster" if spec.columns.unit else "robust"


def residual_dof(n: float, k: int) -> float:
    """N - K, the residual degrees of freedom; an `AnalysisError` when no rows are left over."""
    if n <= k:
        raise AnalysisError(
            f"There are {n:g} rows for {k} parameters, so no variation is left to estimate "
            "uncertainty from; add rows (at least two per group and period)."
        )
    return n - k


def cr1(clusters: int, n: float, k: int) -> float:
    """Small-sample factor of CR1 cluster-robust errors: G/(G-1) · (N-1)/(N-K) (as Stata)."""
    if clusters < 2:
        raise AnalysisError(
            "Only one unit has data, so cluster-robust errors cannot be computed; "
            "add data from more units or set inference.errors = 'robust'."
        )
    return clusters / (clusters - 1) * (n - 1) / residual_dof(n, k)


def require_positive(se: float, what: str) -> float:
    if not se > 0:
        raise AnalysisError(
            f"All values of {what} are identical, so their variation is zero and no interval "
            "can be computed; check that columns.value names the measured column."
        )
    return se


def reference_of(spec: Spec) -> float:
    """The value a p-value tests against: the threshold for a threshold design or a look of a
    group-sequential plan (whose boundaries test the threshold), else zero."""
    if spec.target is not None and (spec.design.kind == "threshold" or spec.sequential):
        return spec.target.threshold
    return 0.0


def t_result(
    estimate: float, se: float, df: float, spec: Spec, described: str, **details: float
) -> Result:
    """A t interval and p-value around `estimate`; `described` says how se was computed."""
    se = require_positive(se, repr(spec.columns.value))
    confidence = spec.inference.confidence
    low, high = t_interval(estimate, se, df, confidence)
    p_value = t_p_value(estimate, se, df, reference_of(spec))
    method = f"{described}; {confidence:.0%} t interval with {df:.4g} degrees of freedom"
    return Result(estimate, se, low, high, p_value, method, details)
