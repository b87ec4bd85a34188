"""Estimators: each turns a `Sample` into an estimate, standard error, interval and p-value."""

from dataclasses import dataclass, field
from typing import Literal

import numpy as np
from scipy import stats

from ._errors import AnalysisError, SpecError
from ._inference import newcombe, t_interval, t_p_value, wilson
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
    """The value a p-value tests against: the threshold for a threshold design, else zero."""
    if spec.design.kind == "threshold" and spec.target is not None:
        return spec.target.threshold
    return 0.0


def _cluster_se(sums: Sums, sample: Sample, spec: Spec, coef: Floats) -> tuple[float, float, str]:
    x = sums.x.sum(0)
    r = sums.y.sum(0) / x
    # Each cluster's linearised score: Σ_c coef_c (Σy - R_c Σx) / X_c over its rows.
    scores = ((sums.y - r * sums.x) / x) @ coef
    factor = cr1(sample.n_clusters, float(sums.n.sum()), sample.n_cells)
    se = float(np.sqrt(factor * np.sum(scores * scores)))
    described = f"clustered by {spec.columns.unit} (CR1, {sample.n_clusters} clusters)"
    return se, float(sample.n_clusters - 1), described


def _moment_se(
    moments: Moments, kind: ErrorKind, proportion: bool, coef: Floats
) -> tuple[float, float, str]:
    n, y, x = moments.n.sum(0), moments.y.sum(0), moments.x.sum(0)
    r = y / x
    if kind == "classical":
        between = (moments.y / np.maximum(moments.n, 1) - y / n) ** 2 * moments.n
        dof = float(n.sum()) - len(n)
        variance = float((moments.qyy + between).sum()) / dof
        return float(np.sqrt(variance * np.sum(coef**2 / n))), dof, "classical (pooled variance)"
    if proportion:
        parts = coef**2 * r * (1 - r) / n
        return float(np.sqrt(parts.sum())), np.inf, "binomial"
    # Σ(y - R x)² within each cell, from within-cluster moments plus between-cluster terms.
    spread = moments.qyy - 2 * r * moments.qxy + r * r * moments.qxx
    spread += (moments.y - r * moments.x) ** 2 / np.maximum(moments.n, 1)
    parts = coef**2 * n / (n - 1) * spread.sum(0) / x**2
    variance = float(parts.sum())
    welch = variance**2 / float(np.sum(parts**2 / (n - 1))) if variance > 0 else np.inf
    return np.sqrt(variance), welch, "robust (each group's own variance)"


def contrast(sample: Sample, spec: Spec) -> Result:
    """A linear contrast θ = Σ_c w_c m_c R_c of cell statistics R_c = Σy / Σx.

    w: +1/-1 design weights; m_c = n_c for totals, else 1. Errors: classical (pooled
    variance, as OLS on cell indicators), robust (each cell's own variance: Welch, HC2 in
    regression form; the delta method for ratios, Cochran 1977 §6.3), or cluster (CR1 sandwich
    from per-cluster sums of linearised scores, Cameron & Miller 2015). Proportions with
    robust errors use Wilson (one group) or Newcombe hybrid score (two groups) intervals.
    """
    kind = error_kind(spec)
    statistic = spec.metric.statistic
    if kind == "classical" and statistic in ("rate", "ratio"):
        raise SpecError(
            "inference.errors = 'classical' applies to mean, proportion and total; "
            "use 'robust' or 'cluster' for rates and ratios."
        )
    sums = sums_of(sample) if kind == "cluster" else moments_of(sample)
    n, y, x = sums.n.sum(0), sums.y.sum(0), sums.x.sum(0)
    coef = sample.weights * (n if statistic == "total" else 1.0)
    estimate = float(coef @ (y / x))
    confidence = spec.inference.confidence
    reference = reference_of(spec)
    if isinstance(sums, Moments):
        # Binomial intervals exist for a single row; every other variance needs two.
        if (statistic != "proportion" or kind == "classical") and n.min() < 2:
            cell = sample.cell_labels[int(np.argmin(n))]
            raise AnalysisError(
                f"{cell!r} has a single row, so its variance cannot be estimated; add rows "
                "(at least two per group and period)."
            )
        se, df, described = _moment_se(sums, kind, statistic == "proportion", coef)
    else:
        se, df, described = _cluster_se(sums, sample, spec, coef)
    if statistic == "proportion" and kind == "robust" and len(n) <= 2:
        interval, p_value = _proportion_interval(y, n, estimate, reference, confidence)
        described += (
            "; Wilson score interval" if len(n) == 1 else "; Newcombe hybrid score interval"
        )
    else:
        se = require_positive(se, repr(spec.columns.value))
        interval = t_interval(estimate, se, df, confidence)
        p_value = t_p_value(estimate, se, df, reference)
        shape = "normal" if np.isinf(df) else f"t with {df:.4g} degrees of freedom"
        described += f"; {confidence:.0%} interval ({shape})"
    return Result(estimate, se, *interval, p_value, f"standard error {described}")


def _proportion_interval(
    y: Floats, n: Floats, estimate: float, reference: float, confidence: float
) -> tuple[tuple[float, float], float]:
    """Wilson interval with the score test, or Newcombe's interval with the pooled z test."""
    if len(n) == 1:
        interval = wilson(float(y[0]), float(n[0]), confidence)
        null_se = np.sqrt(reference * (1 - reference) / n[0]) if 0 < reference < 1 else 0.0
    else:
        interval = newcombe(float(y[1]), float(n[1]), float(y[0]), float(n[0]), confidence)
        pooled = y.sum() / n.sum()
        null_se = np.sqrt(pooled * (1 - pooled) * (1 / n[0] + 1 / n[1]))
    if null_se == 0:
        return interval, 1.0 if estimate == reference else 0.0
    z = (estimate - reference) / null_se
    return interval, float(2 * stats.norm.sf(abs(z)))
