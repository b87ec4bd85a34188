"""Regression adjustment for baseline covariates, and analytic or survey weights.

The design's cells (the groups and periods a contrast compares) become indicator columns of
a weighted least-squares regression beside the covariates z:

    y_i = Σ_c a_c [cell of row i = c] + β'z_i + e_i,   weights w_i (1 without weights),

and the estimate is the design's contrast of the cell coefficients (for a 2x2 DiD,
a_pilot,after - a_pilot,before - a_comparison,after + a_comparison,before: the coefficient
of pilot x after in y = 1 + pilot + after + pilot x after + β'z). Without covariates it is
the contrast of weighted cell means. Everything but robust errors comes from per-cluster
sums of cross-products (X_g'W X_g, X_g'W y_g, y_g'W y_g), which a file of any size is
reduced to in its one pass.
"""

from dataclasses import dataclass

import numpy as np

from ._errors import AnalysisError, DataError
from ._sample import Sample
from ._spec import Spec
from ._table import Floats, number_of
from ._toolbox import Result, cr1, error_kind, residual_dof, t_result

_WEIGHT_WORDS = {
    "analytic": "analytic weights: a row of weight 2 counts as two rows' worth of precision",
    "survey": "survey weights: each row stands for that many of the population",
}


@dataclass(frozen=True)
class Regression:
    """The weighted regression of a design, reduced to its clusters.

    gram: G x K x K, each cluster's X_g'W X_g; moment: G x K, its X_g'W y_g; squares: G,
    its y_g'W y_g; restriction: the K weights of the estimate θ = R β (cells, then
    covariates); rows: the number of rows N.
    """

    gram: Floats
    moment: Floats
    squares: Floats
    restriction: Floats
    rows: float

    @property
    def size(self) -> int:
        """K, the number of coefficients."""
        return len(self.restriction)


def _weight_factor(spec: Spec) -> tuple[str, ...]:
    return (spec.columns.weight,) if spec.columns.weight else ()


def _check_numbers(sample: Sample, spec: Spec) -> None:
    """Covariates must be finite and weights finite and not negative (a file's are checked
    as it is read; arrays given in memory are checked here)."""
    if sample.summary is not None:
        return
    for name in spec.columns.covariates:
        if not np.isfinite(number_of(sample.numbers, name)).all():
            raise DataError(f"The covariate {name!r} has values that are not finite numbers.")
    if spec.columns.weight:
        weights = number_of(sample.numbers, spec.columns.weight)
        if not (np.isfinite(weights) & (weights >= 0)).all():
            raise DataError(
                f"The weights ({spec.columns.weight!r}) must be finite numbers of at least 0."
            )


def regression_of(sample: Sample, spec: Spec) -> Regression:
    """Per-cluster cross-products of the design's cell indicators, covariates and value."""
    _check_numbers(sample, spec)
    value, covariates = spec.columns.value, spec.columns.covariates
    w = _weight_factor(spec)
    clusters, cells, k = sample.n_clusters, sample.n_cells, len(covariates)
    cluster = sample.key // cells
    size = clusters * cells

    def by_cell(*factors: str) -> Floats:
        sums = np.bincount(sample.key, sample.products(w + factors, value), minlength=size)
        return sums.reshape(clusters, cells)

    def by_cluster(*factors: str) -> Floats:
        return np.bincount(cluster, sample.products(w + factors, value), minlength=clusters)

    gram = np.zeros((clusters, cells + k, cells + k))
    weight_of_cell = by_cell()
    if (weight_of_cell.sum(axis=0) <= 0).any():
        empty = sample.cell_labels[int(np.argmin(weight_of_cell.sum(axis=0)))]
        raise AnalysisError(
            f"The weights ({spec.columns.weight!r}) add up to zero for {empty!r}; give its "
            "rows positive weights, or check columns.weight."
        )
    gram[:, np.arange(cells), np.arange(cells)] = weight_of_cell
    moment = np.zeros((clusters, cells + k))
    moment[:, :cells] = by_cell(value)
    for i, first in enumerate(covariates):
        gram[:, :cells, cells + i] = gram[:, cells + i, :cells] = by_cell(first)
        moment[:, cells + i] = by_cluster(first, value)
        for j, second in enumerate(covariates[: i + 1]):
            gram[:, cells + i, cells + j] = gram[:, cells + j, cells + i] = by_cluster(
                first, second
            )
    restriction = np.concatenate([sample.weights, np.zeros(k)])
    squares = by_cluster(value, value)
    return Regression(gram, moment, squares, restriction, float(sample.counts.sum()))


def solve(problem: Regression, spec: Spec) -> tuple[Floats, Floats]:
    """β and (X'WX)⁻¹; an `AnalysisError` when the covariates are collinear with the design's
    groups or with one another."""
    total = problem.gram.sum(axis=0)
    scale = np.sqrt(np.diag(total))
    scaled = total / np.outer(scale, scale)
    if np.linalg.matrix_rank(scaled) < problem.size:
        raise AnalysisError(
            "The covariates cannot be told apart from the design's groups and periods or from "
            f"one another (one of {', '.join(map(repr, spec.columns.covariates))} is constant "
            "within groups, or a mix of the others); remove it from columns.covariates."
        )
    inverse = np.linalg.inv(scaled) / np.outer(scale, scale)
    return inverse @ problem.moment.sum(axis=0), inverse


def _robust_scores(sample: Sample, spec: Spec, beta: Floats, direction: Floats) -> Floats:
    """Each row's score w_i e_i (c'x_i) along c = (X'WX)⁻¹R, for HC1 errors (rows only)."""
    cells = sample.n_cells
    covariates = spec.columns.covariates
    fitted = beta[sample.cell]
    along = direction[sample.cell]
    for i, name in enumerate(covariates):
        fitted = fitted + beta[cells + i] * sample.numbers[name]
        along = along + direction[cells + i] * sample.numbers[name]
    weights = sample.numbers[spec.columns.weight] if spec.columns.weight else 1.0
    scores: Floats = weights * (sample.y - fitted) * along
    return scores


def adjusted_method(spec: Spec) -> str:
    """The regression in words, for the method sentence."""
    columns = spec.columns
    words = "regression on the design's groups and periods"
    if columns.covariates:
        words += " adjusted for " + ", ".join(columns.covariates)
    if columns.weight and spec.inference.weights:
        words += f", rows weighted by {columns.weight} ({_WEIGHT_WORDS[spec.inference.weights]})"
    return words


def adjustment_sentence(spec: Spec) -> str:
    """What adjusting and weighting mean for the reader, or nothing."""
    columns, sentences = spec.columns, []
    if columns.covariates:
        sentences.append(
            "The comparison is adjusted for "
            + ", ".join(columns.covariates)
            + ", so differences in them between the groups are not counted as the pilot's "
            "effect."
        )
    if columns.weight and spec.inference.weights == "survey":
        sentences.append(
            f"Rows are weighted by {columns.weight}, the number of people (or things) each "
            "stands for, so the figures describe the population, not only those measured."
        )
    elif columns.weight:
        sentences.append(
            f"Rows are weighted by {columns.weight}, how precise each is (analytic weights)."
        )
    return " ".join(sentences)


def adjusted(sample: Sample, spec: Spec) -> Result:
    """The design's contrast from the weighted regression with covariates.

    Errors: classical (σ² (X'WX)⁻¹ with σ² = Σw e² / (N - K), as weighted least squares;
    analytic weights only), robust (HC1: N/(N-K) (X'WX)⁻¹ Σ w²e²xx' (X'WX)⁻¹, on the rows;
    survey weights then give Stata's pweight errors) or cluster (CR1 from per-cluster scores,
    G - 1 degrees of freedom). t intervals with N - K (G - 1 for cluster) degrees of freedom.
    """
    problem = regression_of(sample, spec)
    beta, inverse = solve(problem, spec)
    direction = inverse @ problem.restriction
    estimate = float(problem.restriction @ beta)
    kind = error_kind(spec)
    k = problem.size
    if kind == "cluster":
        scores = (problem.moment - problem.gram @ beta) @ direction
        factor = cr1(sample.n_clusters, problem.rows, k)
        variance = factor * float(scores @ scores)
        df = float(sample.n_clusters - 1)
        errors = f"clustered by {spec.columns.unit} (CR1, {sample.n_clusters} clusters)"
    elif kind == "classical":
        fitted = np.einsum("k,gkl,l->", beta, problem.gram, beta)
        residual = problem.squares.sum() - 2 * beta @ problem.moment.sum(axis=0) + fitted
        df = residual_dof(problem.rows, k)
        variance = float(residual) / df * float(problem.restriction @ direction)
        errors = "classical"
    else:
        scores = _robust_scores(sample, spec, beta, direction)
        df = residual_dof(problem.rows, k)
        variance = problem.rows / df * float(scores @ scores)
        errors = "robust (HC1)"
    described = f"{adjusted_method(spec)}; standard error {errors}"
    return t_result(estimate, float(np.sqrt(max(variance, 0.0))), df, spec, described)
