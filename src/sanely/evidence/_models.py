"""Estimators beyond a contrast of cell statistics: paired, fixed effects, ITS, quantiles."""

import numpy as np

from ._errors import AnalysisError, SpecError
from ._sample import Sample
from ._spec import Spec
from ._table import Codes, Floats
from ._toolbox import (
    ErrorKind,
    Result,
    Sums,
    cr1,
    error_kind,
    moments_of,
    reference_of,
    residual_dof,
    sums_of,
    t_result,
)


def unit_changes(sums: Sums, total: bool) -> Floats:
    """Each unit's change, after minus before (of totals, or of Σy/Σx), for units with both.

    Raises `AnalysisError` when fewer than two units have data in both periods.
    """
    both = (sums.n > 0).all(axis=1)
    level = sums.y[both] if total else sums.y[both] / sums.x[both]
    changes: Floats = level[:, 1] - level[:, 0]
    if len(changes) < 2:
        raise AnalysisError(
            f"Only {len(changes)} unit(s) have data both before and after, so a paired "
            "comparison is impossible; check design.before and design.after, or remove "
            "columns.unit to compare the periods unpaired."
        )
    return changes


def paired(sample: Sample, spec: Spec) -> Result:
    """Before/after paired by unit: the mean (or sum, for totals) of per-unit changes.

    d_u = R_u,after - R_u,before with R = Σy/Σx within the unit; estimate mean(d), standard
    error sd(d)/sqrt(G), t with G-1 degrees of freedom (Student 1908). Units without data in
    both periods are left out and reported.
    """
    changes = unit_changes(sums_of(sample), spec.metric.statistic == "total")
    units = len(changes)
    scale = units if spec.metric.statistic == "total" else 1
    estimate = float(changes.mean()) * scale
    se = float(changes.std(ddof=1) / np.sqrt(units)) * scale
    left_out = sample.n_clusters - units
    described = f"paired by {spec.columns.unit}: {units} units with data before and after"
    if left_out:
        described += f" ({left_out} without both left out)"
    return t_result(estimate, se, units - 1, spec, described)


def within_units(sample: Sample, spec: Spec) -> tuple[Floats, Floats, Floats, float]:
    """The two-way fixed-effects regression on unit x period cells, unit effects absorbed.

    Returns the rows per cell n (G x P), the regressors z̃ (G x P x P: the treatment indicator,
    then period dummies) and cell means ỹ (G x P), both demeaned within unit with weights n,
    and Σ(y - cell mean)² over rows. Demeaning within unit (Frisch-Waugh-Lovell) gives the
    same δ and the same scores as OLS with unit dummies (Wooldridge 2010, §10.5).
    """
    if spec.metric.statistic not in ("mean", "proportion"):
        raise SpecError("design.fixed_effects supports metric.statistic = 'mean' or 'proportion'.")
    moments = moments_of(sample)
    periods = sample.n_cells // 2
    treated = moments.n[:, periods:].sum(axis=1) > 0
    if (treated & (moments.n[:, :periods].sum(axis=1) > 0)).any():
        raise AnalysisError(
            "Some units appear in both the treated and the control group; with "
            "design.fixed_effects each unit must stay in one group."
        )
    n = moments.n[:, :periods] + moments.n[:, periods:]
    y = moments.y[:, :periods] + moments.y[:, periods:]
    after = np.zeros(periods, dtype=bool)
    after[[sample.cell_labels.index(f"treated, {p}") - periods for p in spec.design.after]] = True
    z = np.zeros((*n.shape, periods))
    z[..., 0] = treated[:, None] & after[None, :]
    z[..., 1:] = np.eye(periods)[1:].T[None, :, :]
    weight_total = n.sum(axis=1)
    mean_y = np.where(n > 0, y / np.maximum(n, 1), 0)
    y_tilde = mean_y - (y.sum(axis=1) / weight_total)[:, None]
    z_tilde = z - (np.einsum("gp,gpk->gk", n, z) / weight_total[:, None])[:, None, :]
    return n, z_tilde, y_tilde, float(moments.qyy.sum())


def fixed_effects_inverse(gram: Floats) -> Floats:
    """(Z̃'N Z̃)⁻¹, or an `AnalysisError` when the treatment is collinear with the effects."""
    try:
        return np.linalg.inv(gram)
    except np.linalg.LinAlgError:
        raise AnalysisError(
            "The treatment indicator is collinear with the fixed effects: the pilot units "
            "need data both before and after; check design.before and design.after."
        ) from None


def fixed_effects(sample: Sample, spec: Spec) -> Result:
    """Difference in differences with unit and period fixed effects (two-way FE).

    y_it = a_i + g_t + δ D_it + e_it with D = pilot unit in an after period, fitted on the
    regression of `within_units`; CR1 uses K = G + P parameters, as statsmodels does for the
    regression with unit dummies.
    """
    kind = error_kind(spec)
    if kind == "robust":
        raise SpecError(
            "design.fixed_effects supports inference.errors = 'cluster' or 'classical'."
        )
    n, z_tilde, y_tilde, qyy = within_units(sample, spec)
    periods = n.shape[1]
    a = np.einsum("gp,gpk,gpl->kl", n, z_tilde, z_tilde)
    b = np.einsum("gp,gpk,gp->k", n, z_tilde, y_tilde)
    inverse = fixed_effects_inverse(a)
    beta = inverse @ b
    residual = y_tilde - z_tilde @ beta
    total_n = float(n.sum())
    k = sample.n_clusters + periods
    if kind == "classical":
        rss = float(qyy + np.sum(n * residual**2))
        df = residual_dof(total_n, k)
        variance = rss / df * inverse
        described = "two-way fixed effects (unit and period); classical standard error"
    else:
        scores = np.einsum("gpk,gp->gk", z_tilde, n * residual)
        variance = cr1(sample.n_clusters, total_n, k) * inverse @ (scores.T @ scores) @ inverse
        df = float(sample.n_clusters - 1)
        described = (
            "two-way fixed effects (unit and period); standard error clustered by "
            f"{spec.columns.unit} (CR1, {sample.n_clusters} clusters)"
        )
    return t_result(float(beta[0]), float(np.sqrt(variance[0, 0])), df, spec, described)


def _change_index(labels: tuple[str, ...], spec: Spec) -> int:
    """How many of the time-ordered periods come before the change."""
    change_at = spec.design.change_at
    if change_at is None:
        return len(spec.design.before)
    if change_at not in labels:
        raise SpecError(
            f"design.change_at = {change_at!r} is not a period of the data (periods run from "
            f"{labels[0]!r} to {labels[-1]!r}); give the first period of the pilot as written."
        )
    return labels.index(change_at)


def _segmented(periods: int, start: int, season: int) -> Floats:
    """Columns 1, t, post_t, (t - t0) post_t, then season dummies, for t = 0..periods-1."""
    t = np.arange(periods, dtype=np.float64)
    post = (t >= start).astype(np.float64)
    columns = [np.ones(periods), t, post, (t - start) * post]
    columns += [(t % season == s).astype(np.float64) for s in range(1, season)]
    return np.column_stack(columns)


def _series_variance(
    design: Floats, residual: Floats, time: Codes, kind: ErrorKind, lags: int
) -> tuple[Floats, str]:
    """Classical, HC1 or Newey-West covariance; HAC sums each period's scores over series
    first (Driscoll & Kraay 1998), which for one series is Newey & West (1987)."""
    rows, k = design.shape
    inverse = np.linalg.inv(design.T @ design)
    if kind == "classical":
        return float(residual @ residual) / (rows - k) * inverse, "classical"
    scores = design * residual[:, None]
    if kind == "robust":
        return rows / (rows - k) * inverse @ (scores.T @ scores) @ inverse, "HC1 robust"
    by_period = np.zeros((int(time.max()) + 1, k))
    np.add.at(by_period, time, scores)
    meat = by_period.T @ by_period
    for lag in range(1, lags + 1):
        cross = by_period[lag:].T @ by_period[:-lag]
        meat += (1 - lag / (lags + 1)) * (cross + cross.T)
    return inverse @ meat @ inverse, f"Newey-West HAC ({lags} lags)"


def its(sample: Sample, spec: Spec) -> Result:
    """Interrupted time series: segmented regression on the per-period statistic.

    R_t = β0 + β1 t + β2 post_t + β3 (t - t0) post_t + seasonal dummies + e_t, with t the
    period's position in time order and t0 the first after period (Wagner et al. 2002).
    The estimate is β2, the change in level at the intervention; β3 is reported as the
    change in slope. Comparative (design.treated and design.control): the pilot and the
    comparison series are fitted together with the four segment terms also interacted with
    the pilot series Z (common seasons; Linden 2015), and the estimate is the coefficient
    of Z post_t, the pilot's change in level beyond the comparison's (Z (t - t0) post_t, the
    extra change in slope, is reported). Errors: classical OLS, HC1 robust, or Newey-West HAC
    for autocorrelated series (Bartlett weights 1 - l/(L+1), L = inference.lags or
    floor(4 (T/100)^(2/9)); Newey & West 1987, 1994), as statsmodels computes them.
    """
    kind = error_kind(spec)
    if kind == "cluster":
        raise SpecError(
            "design.kind = 'its' supports inference.errors = 'classical', 'robust' or 'hac'."
        )
    sums = sums_of(sample)
    n, y, x = sums.n.sum(0), sums.y.sum(0), sums.x.sum(0)
    values = y if spec.metric.statistic == "total" else y / x
    comparative = bool(spec.design.treated)
    arms = 2 if comparative else 1
    periods = len(values) // arms
    labels = tuple(label.removeprefix("control, ") for label in sample.cell_labels[:periods])
    start = _change_index(labels, spec)
    season = spec.design.season_length
    base = _segmented(periods, start, season)
    design = base
    if comparative:
        pilot = np.zeros_like(base[:, :4])
        design = np.block([[base, pilot], [base, base[:, :4]]])
    rows, k = design.shape
    if rows <= k or not 0 < start < periods:
        raise AnalysisError(
            f"The series has {periods} periods, {start} before the change, but the segmented "
            f"regression has {k} parameters and needs periods before and after the change; "
            "add periods (or reduce design.season_length)."
        )
    beta, *_ = np.linalg.lstsq(design, values, rcond=None)
    residual = values - design @ beta
    lags = spec.inference.lags
    lags = int(4 * (periods / 100) ** (2 / 9)) if lags is None else lags
    time = np.tile(np.arange(periods), arms)
    variance, errors = _series_variance(design, residual, time, kind, lags)
    level = k - 2 if comparative else 2
    described = (
        (
            "comparative segmented regression of the pilot series against the comparison series"
            if comparative
            else "segmented regression"
        )
        + f" on {periods} periods ({start} before the change)"
        + (f" with {season} seasons" if season else "")
        + f"; {errors} standard error"
    )
    return t_result(
        float(beta[level]),
        float(np.sqrt(variance[level, level])),
        rows - k,
        spec,
        described,
        slope_change=float(beta[level + 1]),
        slope_change_se=float(np.sqrt(variance[level + 1, level + 1])),
        rows=float(n.sum()),
    )


def quantile_threshold(sample: Sample, spec: Spec) -> Result:
    """A percentile of all rows with a distribution-free interval from order statistics.

    The estimate interpolates linearly (numpy's default). The interval is [y_(j), y_(k)]
    with j, k from the binomial(n, q) distribution at alpha/2 and 1-alpha/2, covering at
    least the confidence level; the p-value is the exact quantile (sign) test at the
    threshold (Conover 1999, section 3.2; scipy.stats.quantile_test). No standard error.
    """
    from scipy import stats  # loaded only for quantiles: it takes a second to load

    q = spec.metric.percentile / 100
    test = stats.quantile_test(sample.y, q=reference_of(spec), p=q)
    interval = test.confidence_interval(spec.inference.confidence)
    low, high = float(interval.low), float(interval.high)
    if not (np.isfinite(low) and np.isfinite(high)):
        raise AnalysisError(
            f"{len(sample.y)} rows are too few for a {spec.inference.confidence:.0%} interval "
            f"for the {spec.metric.percentile:g}th percentile; add rows or lower the confidence."
        )
    estimate = float(np.percentile(sample.y, spec.metric.percentile))
    method = (
        f"order-statistic interval for the {spec.metric.percentile:g}th percentile of "
        f"{len(sample.y)} rows; exact quantile test"
    )
    return Result(estimate, float("nan"), low, high, float(test.pvalue), method)
