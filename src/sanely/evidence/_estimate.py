"""The contrast estimator: a linear contrast of cell statistics (two groups, 2x2 DiD, threshold)."""

import numpy as np

from ._distributions import normal_cdf
from ._errors import AnalysisError, SpecError
from ._inference import newcombe, t_interval, t_p_value, wilson
from ._sample import Sample
from ._spec import Spec
from ._table import Floats
from ._toolbox import (
    ErrorKind,
    Moments,
    Result,
    Sums,
    cr1,
    error_kind,
    moments_of,
    reference_of,
    require_positive,
    sums_of,
)


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
    return interval, 2 * normal_cdf(-abs(z))
