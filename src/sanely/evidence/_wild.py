"""Wild cluster bootstrap (restricted, WCR): inference that holds with few clusters.

Cluster-robust (CR1) errors with a t(G-1) reference reject too often when there are few
clusters (Cameron, Gelbach & Miller 2008). The restricted wild cluster bootstrap imposes the
null hypothesis θ = θ0, flips each cluster's restricted residuals by a random weight v_g, and
compares the original t statistic with the bootstrap ones (Roodman, MacKinnon, Nielsen & Webb
2019). Everything is computed from per-cluster sufficient statistics X_g'X_g and X_g'y_g, and
the bootstrap t statistics are closed-form in θ0, so the interval (the θ0 the test does not
reject) costs a few vector operations per trial value.
"""

from dataclasses import dataclass, replace

import numpy as np

from ._adjusted import adjusted_method, regression_of, solve
from ._errors import AnalysisError
from ._models import fixed_effects_inverse, within_units
from ._sample import Sample
from ._spec import Spec
from ._table import Floats
from ._toolbox import Result, cr1, error_kind, reference_of, sums_of

# Below this many clusters the wild cluster bootstrap is the default inference (MacKinnon &
# Webb 2018 and Cameron & Miller 2015 show t(G-1) intervals over-rejecting well past 30).
FEW_CLUSTERS = 50
# Up to this many clusters the six-point Webb weights are the default: Rademacher weights
# then have at most 2^12 = 4,096 distinct draws (Webb 2023).
WEBB_UP_TO = 12
# Replicates are processed in blocks of at most this many cluster x replicate scores.
_BLOCK = 2_000_000
# Half-widths tried, in analytic standard errors, before an interval is declared unbounded.
_FURTHEST = 1e4
# Relative tolerance within which a bootstrap |t*| ties the original |t| (rounding).
_TIE = 1e-9
_SIGNS = np.array([-1.0, 1.0])
_WEBB = np.concatenate([-np.sqrt([1.5, 1.0, 0.5]), np.sqrt([0.5, 1.0, 1.5])])


@dataclass(frozen=True)
class ClusteredRegression:
    """A linear (or weighted) regression reduced to its clusters, and the tested combination.

    gram: G x K x K, each cluster's X_g'W X_g; moment: G x K, its X_g'W y_g; restriction: the
    K weights of θ = R β; factor: CR1's G/(G-1)·(N-1)/(N-K).
    """

    gram: Floats
    moment: Floats
    restriction: Floats
    factor: float


def wild_weights(kind: str, clusters: int, replicates: int, seed: int) -> tuple[Floats, bool]:
    """G x B weights v_g, and whether they enumerate all 2^G Rademacher sign patterns.

    Rademacher weights are ±1 with equal chance; when 2^G <= B every pattern is used once
    (as wildboottest and boottest do), so the test is exact and not random. Webb's six-point
    weights are ±sqrt(1/2), ±1, ±sqrt(3/2), each with chance 1/6.
    """
    if kind == "rademacher" and 2**clusters <= replicates:
        patterns = np.arange(2**clusters)[None, :] >> np.arange(clusters)[:, None]
        return _SIGNS[patterns & 1], True
    rng = np.random.default_rng(seed)
    if kind == "rademacher":
        return _SIGNS[rng.integers(0, 2, (clusters, replicates))], False
    return _WEBB[rng.integers(0, 6, (clusters, replicates))], False


class _BootstrapT:
    """Bootstrap t statistics as closed-form functions of the null value θ0.

    With restricted residuals linear in θ0, each replicate's numerator is n0 - θ0 n1 and its
    CR1 variance f (A - 2 θ0 D + θ0² E); five numbers per replicate give t*(θ0) for any θ0.
    """

    def __init__(self, problem: ClusteredRegression, weights: Floats) -> None:
        gram, moment, r = problem.gram, problem.moment, problem.restriction
        inverse = np.linalg.inv(gram.sum(0))
        self.beta = inverse @ moment.sum(0)
        c = inverse @ r
        self.estimate = float(r @ self.beta)
        # Unrestricted scores give the analytic CR1 standard error.
        scores = (moment - gram @ self.beta) @ c
        self.factor = problem.factor
        self.std_error = float(np.sqrt(self.factor * scores @ scores))
        # Restricted fit under θ = θ0: X_g'W ũ_g = b0_g - θ0 b1_g.
        shifted = self.beta - c * self.estimate / (r @ c)
        b0 = moment - gram @ shifted
        b1 = gram @ c / (r @ c)
        w = gram @ c
        s0, s1 = b0 @ c, b1 @ c
        z0, z1 = (b0 @ inverse).T, (b1 @ inverse).T
        self.n0, self.n1 = np.empty((2, weights.shape[1]))
        self.a, self.d, self.e = np.empty((3, weights.shape[1]))
        step = max(1, _BLOCK // len(weights))
        for start in range(0, weights.shape[1], step):
            block = slice(start, start + step)
            v = weights[:, block]
            # Bootstrap scores of cluster h: v_h S_h - w_h · Σ_g v_g z_g, with z_g = (X'WX)⁻¹ b_g.
            a0 = s0[:, None] * v - w @ (z0 @ v)
            a1 = s1[:, None] * v - w @ (z1 @ v)
            self.n0[block], self.n1[block] = s0 @ v, s1 @ v
            self.a[block] = np.einsum("gb,gb->b", a0, a0)
            self.d[block] = np.einsum("gb,gb->b", a0, a1)
            self.e[block] = np.einsum("gb,gb->b", a1, a1)

    def p_value(self, null: float) -> float:
        """Share of bootstrap |t*| at least the original |t| for H0: θ = null.

        Weights that are all equal reproduce the data, so their t* is t itself: such ties
        count as extreme (as the observed pattern does in a permutation test), which makes
        the p-value at least 2/2^G with Rademacher weights. wildboottest counts only |t*| > |t|,
        so it may be lower by those ties.
        """
        t = (self.estimate - null) / self.std_error
        variance = self.factor * (self.a - 2 * null * self.d + null * null * self.e)
        with np.errstate(divide="ignore", invalid="ignore"):
            t_star = (self.n0 - null * self.n1) / np.sqrt(variance)
        return float(np.mean(np.abs(t_star) >= abs(t) * (1 - _TIE)))

    def bound(self, alpha: float, direction: float) -> float:
        """The interval's end on one side: where the p-value falls to alpha (test inversion)."""
        inside = self.estimate
        width = self.std_error
        while self.p_value(self.estimate + direction * width) >= alpha:
            inside = self.estimate + direction * width
            width *= 2
            if width > _FURTHEST * self.std_error:
                raise AnalysisError(
                    "With so few clusters the wild cluster bootstrap cannot bound the interval "
                    "at this confidence; add units, or lower target.confidence."
                )
        outside = self.estimate + direction * width
        while abs(outside - inside) > 1e-9 * self.std_error:
            middle = (inside + outside) / 2
            if self.p_value(middle) >= alpha:
                inside = middle
            else:
                outside = middle
        return (inside + outside) / 2


def wild_cluster_bootstrap(problem: ClusteredRegression, spec: Spec, clusters: str) -> Result:
    """The estimate θ = R β with its CR1 standard error, and the wild bootstrap's interval and
    p-value (restricted WCR11: the null imposed, CR1 in each replicate; Roodman et al. 2019).

    The p-value tests θ = 0 (the threshold for threshold designs); the interval collects the
    θ0 whose test the bootstrap does not reject at 1 - confidence, found by bisection.
    """
    count = len(problem.gram)
    inference = spec.inference
    kind = inference.wild_weights
    if kind == "auto":
        kind = "webb" if count <= WEBB_UP_TO else "rademacher"
    weights, enumerated = wild_weights(kind, count, inference.replicates, inference.seed)
    bootstrap = _BootstrapT(problem, weights)
    if not bootstrap.std_error > 0:
        raise AnalysisError(
            "The cluster-robust standard error is zero (identical values within the compared "
            "cells); check that columns.value names the measured column."
        )
    alpha = 1 - inference.confidence
    low, high = bootstrap.bound(alpha, -1.0), bootstrap.bound(alpha, 1.0)
    draws = (
        f"all {weights.shape[1]:,} Rademacher sign patterns"
        if enumerated
        else f"{weights.shape[1]:,} replicates of {kind.capitalize()} weights, "
        f"seed {inference.seed}"
    )
    method = (
        f"standard error clustered by {clusters} (CR1, {count} clusters); wild cluster bootstrap "
        f"with the null imposed ({draws}): {inference.confidence:.0%} interval by inverting the "
        "bootstrap t test"
    )
    return Result(
        bootstrap.estimate,
        bootstrap.std_error,
        low,
        high,
        # B replicates cannot show a p-value below 1 / (B + 1): never report 0.
        max(bootstrap.p_value(reference_of(spec)), 1 / (weights.shape[1] + 1)),
        method,
        {"clusters": float(count), "replicates": float(weights.shape[1])},
    )


def contrast_regression(sample: Sample, spec: Spec) -> ClusteredRegression:
    """The contrast of cell statistics as a regression on cell indicators, per cluster.

    Each cell's statistic Σy/Σx is the weighted least-squares coefficient of its indicator
    (weights 1/x for ratios), so X_g'W X_g = diag(Σx of the cluster's cells) and X_g'W y_g =
    its Σy; θ = Σ_c w_c m_c R_c as in the analytic contrast.
    """
    sums = sums_of(sample)
    cells = sample.n_cells
    gram = np.zeros((sample.n_clusters, cells, cells))
    gram[:, np.arange(cells), np.arange(cells)] = sums.x
    n = sums.n.sum(0)
    restriction = sample.weights * (n if spec.metric.statistic == "total" else 1.0)
    factor = cr1(sample.n_clusters, float(n.sum()), cells)
    return ClusteredRegression(gram, sums.y, restriction, factor)


def fixed_effects_regression(sample: Sample, spec: Spec) -> ClusteredRegression:
    """The two-way fixed-effects regression per cluster (unit), unit effects absorbed.

    The wild weights are constant within a unit, so flipped residuals stay orthogonal to the
    absorbed unit effects and the bootstrap on the demeaned regression is the bootstrap on
    the full one; CR1 counts the G + P parameters.
    """
    n, z, y, _ = within_units(sample, spec)
    gram = np.einsum("gp,gpk,gpl->gkl", n, z, z)
    fixed_effects_inverse(gram.sum(0))
    moment = np.einsum("gp,gpk,gp->gk", n, z, y)
    restriction = np.zeros(n.shape[1])
    restriction[0] = 1.0
    factor = cr1(sample.n_clusters, float(n.sum()), sample.n_clusters + n.shape[1])
    return ClusteredRegression(gram, moment, restriction, factor)


def adjusted_regression(sample: Sample, spec: Spec) -> ClusteredRegression:
    """The regression with covariates or weights (`_adjusted`), per cluster; the wild weights
    multiply each cluster's weighted residuals, so W enters through X_g'W X_g and X_g'W y_g."""
    problem = regression_of(sample, spec)
    solve(problem, spec)  # refuses covariates the design's cells cannot be told from
    factor = cr1(sample.n_clusters, problem.rows, problem.size)
    return ClusteredRegression(problem.gram, problem.moment, problem.restriction, factor)


def _clustered_comparison(spec: Spec) -> bool:
    """A two-group or DiD comparison of moment statistics with cluster-robust errors, its
    inference left to the engine."""
    return (
        spec.inference.method == "auto"
        and spec.design.kind in ("two_group", "did")
        and spec.metric.statistic not in ("median", "percentile")
        and error_kind(spec) == "cluster"
    )


def few_clusters(sample: Sample, spec: Spec) -> bool:
    """Whether the wild cluster bootstrap is the default: a clustered comparison with from 2
    to FEW_CLUSTERS - 1 clusters (one cluster is an error either way)."""
    return _clustered_comparison(spec) and 2 <= sample.n_clusters < FEW_CLUSTERS


def enough_clusters(sample: Sample, spec: Spec) -> str:
    """Why a clustered comparison kept CR1 errors with a t reference, or nothing."""
    if not (_clustered_comparison(spec) and sample.n_clusters >= FEW_CLUSTERS):
        return ""
    return (
        f"Standard errors are clustered by {spec.columns.unit} because rows of one unit are "
        f"not independent; with {sample.n_clusters} clusters (at least {FEW_CLUSTERS}) a t "
        "reference holds, so the wild cluster bootstrap was not needed."
    )


def _sides(sample: Sample, spec: Spec) -> None:
    """An `AnalysisError` unless both the pilot and the comparison side have two clusters."""
    rows = sample.counts.reshape(sample.n_clusters, sample.n_cells)
    treated = np.array([label.startswith("treated") for label in sample.cell_labels])
    for side, cells in (("pilot", treated), ("comparison", ~treated)):
        count = int((rows[:, cells].sum(axis=1) > 0).sum())
        if count < 2:
            raise AnalysisError(
                f"Only {count} unit ({spec.columns.unit!r}) is on the {side} side, so no "
                "cluster-based interval is honest (the bootstrap cannot tell the effect from "
                f"that unit's own variation); add units on the {side} side, or compare a "
                "single pilot unit with a synthetic control."
            )


def wild(sample: Sample, spec: Spec) -> Result:
    """The design's estimate with the wild cluster bootstrap, saying why it was used."""
    _sides(sample, spec)
    if spec.design.fixed_effects:
        problem = fixed_effects_regression(sample, spec)
        clusters = f"{spec.columns.unit}, two-way fixed effects (unit and period)"
    elif spec.adjusted:
        problem = adjusted_regression(sample, spec)
        clusters = f"{spec.columns.unit}, {adjusted_method(spec)}"
    else:
        problem = contrast_regression(sample, spec)
        clusters = str(spec.columns.unit)
    result = wild_cluster_bootstrap(problem, spec, clusters)
    count = sample.n_clusters
    if spec.inference.method == "wild":
        why = "The wild cluster bootstrap was used because the spec asks for it."
    else:
        why = (
            f"The wild cluster bootstrap was used because there are only {count} "
            f"{spec.columns.unit} clusters (fewer than {FEW_CLUSTERS}), too few for "
            "cluster-robust standard errors with a t reference, which then claim more "
            "certainty than the data hold (Cameron, Gelbach & Miller 2008)."
        )
    return replace(result, why=why)
