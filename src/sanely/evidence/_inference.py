"""Interval and test formulas shared by the designs."""

import math
from collections.abc import Sequence

import numpy as np

from ._distributions import normal_cdf, normal_quantile, t_quantile, t_tail
from ._table import Floats


def t_interval(estimate: float, se: float, df: float, confidence: float) -> tuple[float, float]:
    """estimate ± t_{df, (1+confidence)/2} · se (the normal quantile when df is infinite)."""
    half = t_quantile(df, (1 + confidence) / 2) * se
    return estimate - half, estimate + half


def t_p_value(estimate: float, se: float, df: float, reference: float) -> float:
    """Two-sided p-value of H0: parameter = reference, from t = (estimate - reference) / se."""
    return 2 * t_tail(df, abs(estimate - reference) / se)


def wilson(successes: float, n: float, confidence: float) -> tuple[float, float]:
    """Wilson score interval for a proportion (Wilson 1927; Newcombe 1998a, method 3).

    p̂ = successes / n; bounds (p̂ + z²/2n ± z·sqrt(p̂(1 - p̂)/n + z²/4n²)) / (1 + z²/n).
    """
    z = normal_quantile((1 + confidence) / 2)
    p = successes / n
    centre = p + z * z / (2 * n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    scale = 1 + z * z / n
    return max(0.0, (centre - half) / scale), min(1.0, (centre + half) / scale)


def newcombe(
    successes1: float, n1: float, successes0: float, n0: float, confidence: float
) -> tuple[float, float]:
    """Newcombe's hybrid score interval for p1 - p0 (Newcombe 1998b, method 10).

    With Wilson limits (l1, u1), (l0, u0): lower = d - sqrt((p1-l1)² + (u0-p0)²),
    upper = d + sqrt((u1-p1)² + (p0-l0)²), where d = p1 - p0.
    """
    p1, p0 = successes1 / n1, successes0 / n0
    l1, u1 = wilson(successes1, n1, confidence)
    l0, u0 = wilson(successes0, n0, confidence)
    d = p1 - p0
    return d - math.hypot(p1 - l1, u0 - p0), d + math.hypot(u1 - p1, p0 - l0)


def holm(p_values: Sequence[float]) -> tuple[float, ...]:
    """Holm's step-down adjusted p-values (Holm 1979): controls the family-wise error rate.

    With p sorted ascending, adjusted p_(i) = max_{j<=i} min(1, (m - j + 1) p_(j)).
    """
    order = np.argsort(np.asarray(p_values, dtype=float), kind="stable")
    m = len(order)
    adjusted = np.empty(m)
    running = 0.0
    for rank, index in enumerate(order):
        running = max(running, min(1.0, (m - rank) * float(p_values[index])))
        adjusted[index] = running
    return tuple(float(p) for p in adjusted)


def bootstrap_interval(
    estimate: float,
    replicates: Floats,
    jackknife: Floats | None,
    confidence: float,
) -> tuple[float, float]:
    """Percentile interval, or BCa when leave-one-cluster-out estimates are given.

    BCa (Efron 1987; Efron & Tibshirani 1993, ch. 14): z0 = Φ⁻¹(share of replicates below
    the estimate), acceleration a = Σd³ / (6 (Σd²)^1.5) with d = mean(jackknife) - jackknife,
    and the bounds are the replicate quantiles at Φ(z0 + (z0 + z_alpha) / (1 - a (z0 + z_alpha))).
    """
    alpha = (1 - confidence) / 2
    levels = np.array([alpha, 1 - alpha])
    if jackknife is not None:
        below = float(np.mean(replicates < estimate))
        z0 = normal_quantile(min(max(below, 1 / len(replicates)), 1 - 1 / len(replicates)))
        d = jackknife.mean() - jackknife
        spread = float(np.sum(d * d))
        a = float(np.sum(d**3)) / (6 * spread**1.5) if spread > 0 else 0.0
        z = [normal_quantile(level) for level in levels]
        levels = np.array([normal_cdf(z0 + (z0 + q) / (1 - a * (z0 + q))) for q in z])
    low, high = np.percentile(replicates, 100 * levels)
    return float(low), float(high)


def bootstrap_p_value(replicates: Floats, reference: float) -> float:
    """Two-sided p-value from where `reference` falls among the replicates (percentile test)."""
    b = len(replicates)
    tail = min(int(np.sum(replicates <= reference)), int(np.sum(replicates >= reference)))
    return min(1.0, 2 * (tail + 1) / (b + 1))
