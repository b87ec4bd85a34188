"""Staggered adoption: group-time average treatment effects (Callaway & Sant'Anna 2021) and
their aggregations, with the Goodman-Bacon (2021) decomposition of the two-way fixed-effects
estimate that would otherwise be used.

Units join the pilot at different periods and stay in it; `columns.group` holds each unit's
first pilot period (a value of `design.never_treated` for units never in it).
"""

from dataclasses import dataclass

import numpy as np
from scipy import stats

from ._errors import AnalysisError, SpecError
from ._panel import Panel, PanelOutcome, counts_by_period, panel_of
from ._sample import period_order, required
from ._spec import Spec
from ._table import Codes, Floats, Table
from ._toolbox import Result, require_positive
from ._verdict import describe_metric, number

NEVER = -1
"""Cohort code of units never in the pilot (or joining after the data end)."""

ALREADY = -2
"""Cohort code of units in the pilot from the first period: no period before to compare."""


@dataclass(frozen=True)
class Moments:
    """What every estimate and error needs from a balanced panel, per cohort level.

    `levels` are the distinct cohort codes; per level: the number of units, the mean
    outcome in each period, and the (population) covariance of a unit's outcomes across
    periods. Influence functions are linear in a unit's outcomes within a cohort, so their
    sums of squares follow from these moments without touching the units again.
    """

    levels: Codes
    counts: Floats
    means: Floats
    covariances: Floats

    @property
    def units(self) -> float:
        return float(self.counts.sum())


def moments_of(values: Floats, cohorts: Codes) -> Moments:
    """Per cohort: count, mean by period and the centred cross-products (two passes)."""
    levels, index = np.unique(cohorts, return_inverse=True)
    counts = np.bincount(index).astype(float)
    means = np.array([np.bincount(index, column) for column in values.T]).T / counts[:, None]
    covariances = np.empty((len(levels), values.shape[1], values.shape[1]))
    for level in range(len(levels)):
        centred = values[index == level] - means[level]
        covariances[level] = centred.T @ centred / counts[level]
    return Moments(levels, counts, means, covariances)


@dataclass(frozen=True)
class Influence:
    """Influence functions of several estimates, each linear within a cohort level:
    ψ_i = B[level(i)] · Y_i + D[level(i)], stored as B (estimates x levels x periods) and
    D (estimates x levels)."""

    slopes: Floats
    offsets: Floats


@dataclass(frozen=True)
class Cells:
    """ATT(g,t) of each cohort g and period t, with their influence functions."""

    cohort: Codes
    period: Codes
    att: Floats
    influence: Influence


def _cohorts(table: Table, panel: Panel, spec: Spec) -> tuple[Codes, list[str]]:
    """Each panel unit's first pilot period as a period index (NEVER for never), and notes.

    Units already in the pilot in the first period have no period before it to compare
    with; they are marked ALREADY and left out, as are first periods before the data start.
    """
    unit, group = required(table, "unit"), required(table, "group")
    first = np.zeros(len(unit.labels), dtype=np.intp)
    first[unit.codes[::-1]] = group.codes[::-1]  # each unit's value on its first row
    differs = np.flatnonzero(group.codes != first[unit.codes])
    if len(differs):
        raise AnalysisError(
            f"Unit {unit.labels[unit.codes[differs[0]]]!r} has more than one value in column "
            f"{spec.columns.group!r}; each unit needs one first pilot period (the same on all "
            "its rows)."
        )
    never = set(spec.design.never_treated)
    labels = [group.labels[code] for code in np.unique(first[panel.unit_codes])]
    starts = [label for label in labels if label not in never]
    union = panel.periods + tuple(s for s in starts if s not in panel.periods)
    rank = {label: position for position, label in enumerate(union[i] for i in period_order(union))}
    last, notes = rank[panel.periods[-1]], []
    code = np.full(len(group.labels), NEVER, dtype=np.intp)
    for start in starts:
        where = group.labels.index(start)
        if start in panel.periods:
            code[where] = panel.periods.index(start) or ALREADY
        elif rank[start] > last:
            notes.append(
                f"Units joining the pilot in {start} (after the data end) count as never treated."
            )
        elif rank[start] < rank[panel.periods[0]]:
            code[where] = ALREADY
        else:
            raise SpecError(
                f"Column {spec.columns.group!r} holds {start!r}, which is not a period of the "
                "data; give each unit's first pilot period as written in the period column, "
                f"or one of design.never_treated ({', '.join(sorted(never))}) for units never "
                "in it."
            )
    cohorts = code[first[panel.unit_codes]]
    early = int(np.sum(cohorts == ALREADY))
    if early:
        notes.append(
            f"{early} unit(s) were in the pilot from the first period, with no period before "
            "it to compare with; they are left out."
        )
    return cohorts, notes


def _complete(panel: Panel, cohorts: Codes) -> tuple[Floats, Codes, Floats, list[str]]:
    """Values, cohorts and rows of the units with data in every period (the panel must be
    balanced), and a note saying how many others were left out."""
    gaps = np.isnan(panel.values).any(axis=1) & (cohorts != ALREADY)
    keep = ~gaps & (cohorts != ALREADY)
    dropped = np.flatnonzero(gaps)
    notes = (
        [
            f"{len(dropped)} unit(s) without data in every period were left out (first: "
            f"{', '.join(repr(panel.units[u]) for u in dropped[:3])}); add their missing "
            "periods to use them."
        ]
        if len(dropped)
        else []
    )
    return panel.values[keep], cohorts[keep], panel.rows[keep], notes


def group_time_effects(moments: Moments, not_yet: bool) -> Cells:
    """ATT(g,t) for every cohort g and period t ≥ 1, without covariates (unconditional).

    ATT(g,t) = mean over cohort g of (Y_t - Y_b) minus the same over the comparison units,
    with base b = g - 1 for t ≥ g and b = t - 1 before (the 'varying' base of the R did
    package). Comparison units: never treated, or also those not yet treated at max(t, b)
    (not_yet). Influence function of unit i: n/n_g (ΔY_i - mean_g) in cohort g,
    -n/n_c (ΔY_i - mean_c) among the comparisons (Callaway & Sant'Anna 2021, §4).
    Cells without comparison units are left out.
    """
    levels, counts, means = moments.levels, moments.counts, moments.means
    n, periods = moments.units, means.shape[1]
    found: list[tuple[int, int, float, Floats, Floats]] = []
    for g in levels[levels > 0]:
        for t in range(1, periods):
            base = g - 1 if t >= g else t - 1
            control = (levels == NEVER) | (not_yet & (levels > max(t, base)) & (levels != g))
            if not control.any():
                continue
            change = means[:, t] - means[:, base]
            treated = levels == g
            mean_t = float(change[treated][0])
            mean_c = float(counts[control] @ change[control] / counts[control].sum())
            scale = np.where(treated, n / counts[treated].sum(), 0.0)
            scale[control] = -n / counts[control].sum()
            slopes = np.zeros((len(levels), periods))
            slopes[:, t], slopes[:, base] = scale, -scale
            offsets = -scale * np.where(treated, mean_t, mean_c)
            found.append((int(g), t, mean_t - mean_c, slopes, offsets))
    if not found:
        raise AnalysisError(
            "No unit can serve as a comparison: none is never treated"
            + (" or not yet treated" if not_yet else "")
            + " while others join the pilot; "
            + (
                "add units that stay out of the pilot."
                if not_yet
                else "set design.comparison = 'not_yet_treated' to compare with units that "
                "join later, or add units that stay out of the pilot."
            )
        )
    return Cells(
        np.array([cell[0] for cell in found]),
        np.array([cell[1] for cell in found]),
        np.array([cell[2] for cell in found]),
        Influence(np.array([cell[3] for cell in found]), np.array([cell[4] for cell in found])),
    )


def _combine(
    influence: Influence, weights: Floats, moments: Moments, groups: Codes, estimates: Floats
) -> tuple[Floats, Floats]:
    """Σ w ψ over estimates, plus the influence of estimating weights ∝ P(G = g) from the
    data (the did package's `wif`): its value depends only on a unit's cohort."""
    slopes = np.tensordot(weights, influence.slopes, axes=1)
    offsets = weights @ influence.offsets
    shares = np.array([moments.counts[moments.levels == g].sum() for g in groups]) / moments.units
    indicator = (moments.levels[:, None] == groups[None, :]) - shares[None, :]
    total = float(shares.sum())
    spread: Floats = indicator.sum(axis=1, keepdims=True) * shares[None, :] / total**2
    return slopes, offsets + (indicator / total - spread) @ estimates


def _aggregate(cells: Cells, chosen: Codes, moments: Moments) -> tuple[float, Floats, Floats]:
    """Σ w ATT(g,t) over the chosen cells, weights ∝ cohort size, and its influence."""
    groups = cells.cohort[chosen]
    sizes = np.array([moments.counts[moments.levels == g].sum() for g in groups])
    weights = sizes / sizes.sum()
    part = Influence(cells.influence.slopes[chosen], cells.influence.offsets[chosen])
    slopes, offsets = _combine(part, weights, moments, groups, cells.att[chosen])
    return float(weights @ cells.att[chosen]), slopes, offsets


@dataclass(frozen=True)
class Aggregations:
    """Estimates and influence functions: overall (simple), by cohort and by event time."""

    labels: list[str]
    estimates: Floats
    influence: Influence


def aggregations(cells: Cells, moments: Moments, periods: tuple[str, ...]) -> Aggregations:
    """Simple; each cohort's average over its pilot periods; each event time e = t - g; and
    the cohort and event-time overall averages (as `aggte` in the R did package)."""
    post = np.flatnonzero(cells.period >= cells.cohort)
    groups = np.unique(cells.cohort[post])
    by_group = [_aggregate(cells, post[cells.cohort[post] == g], moments) for g in groups]
    group_estimates = np.array([item[0] for item in by_group])
    group_influence = Influence(
        np.array([item[1] for item in by_group]), np.array([item[2] for item in by_group])
    )
    sizes = np.array([moments.counts[moments.levels == g].sum() for g in groups])
    weights = sizes / sizes.sum()
    overall = _combine(group_influence, weights, moments, groups, group_estimates)
    events = cells.period - cells.cohort
    times = np.unique(events)
    by_event = [_aggregate(cells, np.flatnonzero(events == e), moments) for e in times]
    after = [item for e, item in zip(times, by_event, strict=True) if e >= 0]
    found = [
        _aggregate(cells, post, moments),
        (float(weights @ group_estimates), *overall),
        *by_group,
        (
            float(np.mean([item[0] for item in after])),
            np.mean([item[1] for item in after], axis=0),
            np.mean([item[2] for item in after], axis=0),
        ),
        *by_event,
    ]
    labels = ["simple", "cohort average", *(f"cohort {periods[g]}" for g in groups)]
    labels += ["event-time average", *(f"event {e}" for e in times)]
    return Aggregations(
        labels,
        np.array([item[0] for item in found]),
        Influence(np.array([item[1] for item in found]), np.array([item[2] for item in found])),
    )


def standard_errors(
    influence: Influence, moments: Moments, values: Floats, cohorts: Codes, spec: Spec
) -> tuple[Floats, str]:
    """Analytic: √(Σ ψ²)/n, where within a cohort Σ ψ² = n_c (b'Σ_c b + (b'ȳ_c + d)²);
    bootstrap: the multiplier bootstrap over units with Mammen's weights and the did
    package's robust scale, IQR / (z.75 - z.25)."""
    n = moments.units
    slopes, offsets = influence.slopes, influence.offsets
    if spec.inference.method != "bootstrap":
        spread = np.einsum("alt,lts,als->al", slopes, moments.covariances, slopes)
        level = np.einsum("alt,lt->al", slopes, moments.means) + offsets
        return np.sqrt((spread + level**2) @ moments.counts) / n, "analytic (influence function)"
    index = np.searchsorted(moments.levels, cohorts)
    psi = np.einsum("nt,ant->na", values, slopes[:, index]) + offsets[:, index].T
    inference = spec.inference
    rng = np.random.default_rng(inference.seed)
    root5 = np.sqrt(5.0)
    low, high = (1 - root5) / 2, (1 + root5) / 2
    draws = []
    for start in range(0, inference.replicates, 250):
        size = min(250, inference.replicates - start)
        weights = np.where(rng.random((size, len(psi))) < (root5 + 1) / (2 * root5), low, high)
        draws.append(weights @ psi / n)
    q25, q75 = np.percentile(np.vstack(draws), [25, 75], axis=0)
    scale = float(stats.norm.ppf(0.75) - stats.norm.ppf(0.25))
    described = f"multiplier bootstrap ({inference.replicates} Mammen draws, seed {inference.seed})"
    return (q75 - q25) / scale, described


@dataclass(frozen=True)
class Bacon:
    """The two-way fixed-effects estimate and its Goodman-Bacon (2021) decomposition."""

    estimate: float
    comparisons: dict[str, tuple[float, float]]  # label -> (weight, 2x2 estimate)
    later_vs_earlier: float


def bacon_decomposition(moments: Moments, periods: tuple[str, ...]) -> Bacon:
    """β of y = unit + period + β·D on the balanced panel, and Theorem 1 of Goodman-Bacon
    (2021): β = Σ s·β₂ₓ₂ over timing-group-versus-never (kU), earlier-versus-later (k vs l,
    before l starts) and later-versus-earlier (l vs k, after k started) comparisons, with the
    weights of equations (10a-c): (sample share)² x variance of the demeaned treatment.
    On a balanced panel all of it follows from the cohorts' mean outcomes by period."""
    levels, means = moments.levels, moments.means
    share = moments.counts / moments.units
    count = means.shape[1]
    treatment = (levels[:, None] >= 0) & (np.arange(count)[None, :] >= levels[:, None])
    rows = treatment.mean(1)
    demeaned = treatment - rows[:, None] - (share @ treatment)[None, :] + share @ rows
    estimate = float(share @ np.sum(demeaned * means, 1) / (share @ np.sum(demeaned**2, 1)))
    exposed = {int(g): (count - g) / count for g in levels if g >= 0}

    def change(level: int, before: slice, after: slice) -> float:
        row = means[list(levels).index(level)]
        return float(row[after].mean() - row[before].mean())

    size = dict(zip(levels.tolist(), share.tolist(), strict=True))
    parts: dict[str, tuple[float, float]] = {}
    for k in sorted(exposed):
        window = (slice(0, k), slice(k, count))
        if NEVER in size:
            pair = size[k] / (size[k] + size[NEVER])
            dk = exposed[k]
            weight = (size[k] + size[NEVER]) ** 2 * pair * (1 - pair) * dk * (1 - dk)
            parts[f"{periods[k]} vs never treated"] = (
                weight,
                change(k, *window) - change(NEVER, *window),
            )
        for later in (g for g in sorted(exposed) if g > k):
            both = size[k] + size[later]
            pair = size[k] / both
            dk, dl = exposed[k], exposed[later]
            early = (
                (both * (1 - dl)) ** 2 * pair * (1 - pair) * (dk - dl) * (1 - dk) / (1 - dl) ** 2
            )
            late = (both * dk) ** 2 * pair * (1 - pair) * dl / dk * (dk - dl) / dk
            middle, rest = slice(k, later), slice(later, count)
            first = change(k, slice(0, k), middle) - change(later, slice(0, k), middle)
            second = change(later, middle, rest) - change(k, middle, rest)
            parts[f"{periods[k]} vs {periods[later]} (before {periods[later]})"] = (early, first)
            parts[f"{periods[later]} vs {periods[k]} (already treated)"] = (late, second)
    total = sum(weight for weight, _ in parts.values())
    comparisons = {label: (weight / total, change) for label, (weight, change) in parts.items()}
    bad = sum(w for label, (w, _) in comparisons.items() if label.endswith("(already treated)"))
    return Bacon(estimate, comparisons, bad)


def _bacon_warning(bacon: Bacon, result: Result, units: str) -> list[str]:
    """A warning when two-way fixed effects would mislead: when its estimate differs from
    this one by more than this one's standard error."""
    if abs(bacon.estimate - result.estimate) <= result.std_error:
        return []
    outside = not result.ci_low <= bacon.estimate <= result.ci_high
    return [
        f"A two-way fixed-effects regression would estimate {number(bacon.estimate)}{units}"
        f"{', outside this interval' if outside else ''}; {bacon.later_vs_earlier:.0%} of its "
        "weight is on comparisons that use units already in the pilot as controls, which "
        "is biased when the effect changes over time (Goodman-Bacon 2021). Its weights: "
        + "; ".join(
            f"{label} {weight:.3f} (estimate {number(change)})"
            for label, (weight, change) in bacon.comparisons.items()
        )
        + "."
    ]


def staggered(table: Table, spec: Spec) -> PanelOutcome:
    """The average effect of the pilot on its units over their pilot periods (the 'simple'
    aggregation of Callaway & Sant'Anna 2021), with its cohort and event-time aggregations.

    Standard errors come from the influence functions of the group-time effects, including
    the estimated cohort shares (analytic), or from the multiplier bootstrap over units;
    intervals and p-values are normal, as in the R did package.
    """
    panel = panel_of(table, spec)
    cohorts, notes = _cohorts(table, panel, spec)
    values, cohorts, rows, dropped = _complete(panel, cohorts)
    not_yet = spec.design.comparison == "not_yet_treated"
    _require_comparisons(cohorts, not_yet, spec)
    moments = moments_of(values, cohorts)
    cells = group_time_effects(moments, not_yet)
    summary = aggregations(cells, moments, panel.periods)
    errors, described = standard_errors(summary.influence, moments, values, cohorts, spec)
    confidence = spec.inference.confidence
    z = float(stats.norm.ppf((1 + confidence) / 2))
    estimate = float(summary.estimates[0])
    se = require_positive(float(errors[0]), repr(spec.columns.value))
    p_value = float(2 * stats.norm.sf(abs(estimate) / se))
    comparison = "not yet in the pilot" if not_yet else "never in the pilot"
    method = (
        f"group-time average treatment effects (Callaway & Sant'Anna 2021) against units "
        f"{comparison}, averaged over the pilot periods of {int(np.sum(cohorts > 0))} pilot units; "
        f"standard error {described}; {confidence:.0%} normal interval"
    )
    bacon = bacon_decomposition(moments, panel.periods)
    details = {
        label: float(value) for label, value in zip(summary.labels, summary.estimates, strict=True)
    }
    details |= {
        f"{label} std_error": float(e) for label, e in zip(summary.labels, errors, strict=True)
    }
    details |= {
        "twfe_estimate": bacon.estimate,
        "twfe_weight_already_treated": bacon.later_vs_earlier,
    }
    result = Result(estimate, se, estimate - z * se, estimate + z * se, p_value, method, details)
    units = f" {spec.metric.units}" if spec.metric.units else ""
    series = _series(summary, errors * z, cells, bacon, panel.periods)
    n_table = {
        (f"joining {panel.periods[g]}" if g > 0 else "never treated"): counts_by_period(
            rows[cohorts == g], panel.periods
        )
        for g in np.unique(cohorts)
    }
    leads = "; ".join(f"{e}: {number(v)}" for e, v in series["event_time"].items() if int(e) < 0)
    leads = leads or "there are none"
    first = [panel.periods[g] for g in np.unique(cohorts[cohorts > 0])]
    starts = " and ".join([", ".join(first[:-1]), first[-1]] if len(first) > 1 else first)
    return PanelOutcome(
        result=result,
        n_table=n_table,
        compared=(
            f"the change in {describe_metric(spec)} of the units joining the pilot in {starts} "
            f"with the same change in units {comparison}, cohort by cohort and period by period"
        ),
        why=(
            "Callaway and Sant'Anna's group-time effects, because units joined at different "
            "times, when a two-way fixed-effects regression can compare units with others "
            "already in the pilot and mislead if the effect changes over time"
        ),
        stronger=(
            "more units that stay out of the pilot or join later, and more periods before each "
            f"cohort joins (the event-time estimates before joining should be near zero: {leads})"
        ),
        series=series,
        warnings=tuple(notes + dropped + _bacon_warning(bacon, result, units)),
    )


def _require_comparisons(cohorts: Codes, not_yet: bool, spec: Spec) -> None:
    """An `AnalysisError` when no unit joins during the data, or none stays out of it for a
    never-treated comparison."""
    if not (cohorts > 0).any():
        raise AnalysisError(
            f"No unit joins the pilot during the data (column {spec.columns.group!r} gives "
            "only never-treated values or periods outside the data); check columns.group and "
            "design.never_treated."
        )
    if not not_yet and not (cohorts == NEVER).any():
        raise AnalysisError(
            "No unit stays out of the pilot, so design.comparison = 'never_treated' has no "
            "comparison units; set design.comparison = 'not_yet_treated' to compare with units "
            f"that join later, or add never-treated units (values of design.never_treated: "
            f"{', '.join(spec.design.never_treated)})."
        )
    # One unit on a side has no spread of its own: its errors would look far too small.
    if np.sum(cohorts > 0) < 2:
        raise AnalysisError(
            "Only one unit joins the pilot; group-time effects need several to estimate their "
            "uncertainty. With one pilot unit use kind = 'synthetic_control'."
        )
    if not not_yet and np.sum(cohorts == NEVER) < 2:
        raise AnalysisError(
            "Only one unit stays out of the pilot, too few to estimate the uncertainty of the "
            "comparison; add never-treated units or set design.comparison = 'not_yet_treated'."
        )


def _series(
    summary: Aggregations, half_widths: Floats, cells: Cells, bacon: Bacon, periods: tuple[str, ...]
) -> dict[str, dict[str, float]]:
    """What the chart and result page draw: event-time effects with their interval bounds,
    the group-time effects, and the Goodman-Bacon weights and 2x2 estimates."""
    events = [i for i, label in enumerate(summary.labels) if label.startswith("event ")]
    labels = [summary.labels[i].removeprefix("event ") for i in events]
    estimates, widths = summary.estimates[events], half_widths[events]
    return {
        "event_time": dict(zip(labels, map(float, estimates), strict=True)),
        "event_time_low": dict(zip(labels, map(float, estimates - widths), strict=True)),
        "event_time_high": dict(zip(labels, map(float, estimates + widths), strict=True)),
        "group_time": {
            f"{periods[g]}, {periods[t]}": float(a)
            for g, t, a in zip(cells.cohort, cells.period, cells.att, strict=True)
        },
        "bacon_weights": {label: w for label, (w, _) in bacon.comparisons.items()},
        "bacon_estimates": {label: b for label, (_, b) in bacon.comparisons.items()},
    }
