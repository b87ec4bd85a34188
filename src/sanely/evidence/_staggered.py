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


@dataclass(frozen=True)
class Cells:
    """ATT(g,t) of each cohort g and period t, with per-unit influence functions (columns)."""

    cohort: Codes
    period: Codes
    att: Floats
    influence: Floats


def _cohorts(table: Table, panel: Panel, spec: Spec) -> tuple[Codes, list[str]]:
    """Each panel unit's first pilot period as a period index (NEVER for never), and notes.

    Units already in the pilot in the first period have no period before it to compare
    with; they are marked -2 and left out, as are first periods before the data start.
    """
    unit, group = required(table, "unit"), required(table, "group")
    pairs = np.unique(unit.codes * len(group.labels) + group.codes)
    owners, labels = pairs // len(group.labels), pairs % len(group.labels)
    if len(owners) != len(np.unique(owners)):
        twice = unit.labels[int(owners[np.flatnonzero(np.diff(owners) == 0)[0]])]
        raise AnalysisError(
            f"Unit {twice!r} has more than one value in column {spec.columns.group!r}; each "
            "unit needs one first pilot period (the same on all its rows)."
        )
    first = {unit.labels[o]: group.labels[g] for o, g in zip(owners, labels, strict=True)}
    never = set(spec.design.never_treated)
    starts = sorted({first[u] for u in panel.units} - never)
    union = panel.periods + tuple(s for s in starts if s not in panel.periods)
    rank = {label: position for position, label in enumerate(union[i] for i in period_order(union))}
    last, notes = rank[panel.periods[-1]], []
    code: dict[str, int] = {}
    for start in starts:
        if start in panel.periods:
            code[start] = panel.periods.index(start) or -2
        elif rank[start] > last:
            code[start] = NEVER
            notes.append(
                f"Units joining the pilot in {start} (after the data end) count as never treated."
            )
        elif rank[start] < rank[panel.periods[0]]:
            code[start] = -2
        else:
            raise SpecError(
                f"Column {spec.columns.group!r} holds {start!r}, which is not a period of the "
                "data; give each unit's first pilot period as written in the period column, "
                f"or one of design.never_treated ({', '.join(sorted(never))}) for units never "
                "in it."
            )
    cohorts = np.array([NEVER if first[u] in never else code[first[u]] for u in panel.units])
    early = int(np.sum(cohorts == -2))
    if early:
        notes.append(
            f"{early} unit(s) were in the pilot from the first period, with no period before "
            "it to compare with; they are left out."
        )
    return cohorts, notes


def _complete(panel: Panel, cohorts: Codes) -> tuple[Panel, Codes, list[str]]:
    """Keep units with data in every period (the panel must be balanced), saying how many."""
    keep = ~np.isnan(panel.values).any(axis=1) & (cohorts != -2)
    dropped = [u for u, k, c in zip(panel.units, keep, cohorts, strict=True) if not k and c != -2]
    notes = (
        [
            f"{len(dropped)} unit(s) without data in every period were left out (first: "
            f"{', '.join(repr(u) for u in dropped[:3])}); add their missing periods to use them."
        ]
        if dropped
        else []
    )
    kept = Panel(
        panel.values[keep], panel.rows[keep], tuple(np.asarray(panel.units)[keep]), panel.periods
    )
    return kept, cohorts[keep], notes


def group_time_effects(values: Floats, cohorts: Codes, not_yet: bool) -> Cells:
    """ATT(g,t) for every cohort g and period t ≥ 1, without covariates (unconditional).

    ATT(g,t) = mean over cohort g of (Y_t - Y_b) minus the same over the comparison units,
    with base b = g - 1 for t ≥ g and b = t - 1 before (the 'varying' base of the R did
    package). Comparison units: never treated, or also those not yet treated at max(t, b)
    (not_yet). Influence function of unit i: n/n_g (ΔY_i - mean_g) in cohort g,
    -n/n_c (ΔY_i - mean_c) among the comparisons (Callaway & Sant'Anna 2021, §4).
    Cells without comparison units are left out.
    """
    n, periods = values.shape
    found: list[tuple[int, int, float, Floats]] = []
    for g in np.unique(cohorts[cohorts > 0]):
        treated = cohorts == g
        for t in range(1, periods):
            base = g - 1 if t >= g else t - 1
            control = (cohorts == NEVER) | (not_yet & (cohorts > max(t, base)) & (cohorts != g))
            if not control.any():
                continue
            change = values[:, t] - values[:, base]
            mean_t, mean_c = change[treated].mean(), change[control].mean()
            influence = np.zeros(n)
            influence[treated] = n / treated.sum() * (change[treated] - mean_t)
            influence[control] = -n / control.sum() * (change[control] - mean_c)
            found.append((int(g), t, float(mean_t - mean_c), influence))
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
        np.column_stack([cell[3] for cell in found]),
    )


def _weight_influence(cohorts: Codes, groups: Codes, shares: Floats) -> Floats:
    """Influence of estimating the aggregation weights P(G = g) (the did package's `wif`)."""
    indicator: Floats = (cohorts[:, None] == groups[None, :]) - shares[None, :]
    total = float(shares.sum())
    spread: Floats = indicator.sum(axis=1, keepdims=True) * shares[None, :] / total**2
    return indicator / total - spread


def _aggregate(cells: Cells, chosen: Codes, cohorts: Codes) -> tuple[float, Floats]:
    """Σ w ATT(g,t) over the chosen cells, weights ∝ cohort size, and its influence function."""
    groups = cells.cohort[chosen]
    shares = np.array([np.mean(cohorts == g) for g in groups])
    weights = shares / shares.sum()
    influence = cells.influence[:, chosen] @ weights
    influence += _weight_influence(cohorts, groups, shares) @ cells.att[chosen]
    return float(weights @ cells.att[chosen]), influence


@dataclass(frozen=True)
class Aggregations:
    """Estimates and influence functions: overall (simple), by cohort and by event time."""

    labels: list[str]
    estimates: Floats
    influence: Floats


def aggregations(cells: Cells, cohorts: Codes, periods: tuple[str, ...]) -> Aggregations:
    """Simple; each cohort's average over its pilot periods; each event time e = t - g; and
    the cohort and event-time overall averages (as `aggte` in the R did package)."""
    post = np.flatnonzero(cells.period >= cells.cohort)
    labels, estimates, influences = ["simple"], [], []
    simple = _aggregate(cells, post, cohorts)
    found = [simple]
    groups = np.unique(cells.cohort[post])
    by_group = [_aggregate(cells, post[cells.cohort[post] == g], cohorts) for g in groups]
    shares = np.array([np.mean(cohorts == g) for g in groups])
    weights = shares / shares.sum()
    group_estimates = np.array([estimate for estimate, _ in by_group])
    group_influence = np.column_stack([influence for _, influence in by_group])
    overall_group = group_influence @ weights + _weight_influence(cohorts, groups, shares) @ (
        group_estimates
    )
    labels += ["cohort average", *(f"cohort {periods[g]}" for g in groups)]
    found += [(float(weights @ group_estimates), overall_group), *by_group]
    events = cells.period - cells.cohort
    by_event = [_aggregate(cells, np.flatnonzero(events == e), cohorts) for e in np.unique(events)]
    after = [item for e, item in zip(np.unique(events), by_event, strict=True) if e >= 0]
    labels += ["event-time average", *(f"event {e}" for e in np.unique(events))]
    found += [
        (
            float(np.mean([estimate for estimate, _ in after])),
            np.mean([influence for _, influence in after], axis=0),
        ),
        *by_event,
    ]
    for estimate, influence in found:
        estimates.append(estimate)
        influences.append(influence)
    return Aggregations(labels, np.array(estimates), np.column_stack(influences))


def standard_errors(influence: Floats, spec: Spec) -> tuple[Floats, str]:
    """Analytic: √(Σ ψ²)/n per column; bootstrap: the multiplier bootstrap with Mammen's
    weights and the did package's robust scale, IQR / (z.75 - z.25)."""
    n = influence.shape[0]
    if spec.inference.method != "bootstrap":
        return np.sqrt(np.sum(influence**2, axis=0)) / n, "analytic (influence function)"
    rng = np.random.default_rng(spec.inference.seed)
    root5 = np.sqrt(5.0)
    low, high = (1 - root5) / 2, (1 + root5) / 2
    draws = []
    for start in range(0, spec.inference.replicates, 250):
        size = min(250, spec.inference.replicates - start)
        weights = np.where(rng.random((size, n)) < (root5 + 1) / (2 * root5), low, high)
        draws.append(weights @ influence / n)
    replicates = np.vstack(draws)
    q25, q75 = np.percentile(replicates, [25, 75], axis=0)
    scale = float(stats.norm.ppf(0.75) - stats.norm.ppf(0.25))
    inference = spec.inference
    described = f"multiplier bootstrap ({inference.replicates} Mammen draws, seed {inference.seed})"
    return (q75 - q25) / scale, described


@dataclass(frozen=True)
class Bacon:
    """The two-way fixed-effects estimate and its Goodman-Bacon (2021) decomposition."""

    estimate: float
    comparisons: dict[str, tuple[float, float]]  # label -> (weight, 2x2 estimate)
    later_vs_earlier: float


def _window_change(values: Floats, rows: Codes, before: slice, after: slice) -> float:
    return float(values[rows][:, after].mean() - values[rows][:, before].mean())


def bacon_decomposition(values: Floats, cohorts: Codes, periods: tuple[str, ...]) -> Bacon:
    """β of y = unit + period + β·D on the balanced panel, and Theorem 1 of Goodman-Bacon
    (2021): β = Σ s·β₂ₓ₂ over timing-group-versus-never (kU), earlier-versus-later (k vs l,
    before l starts) and later-versus-earlier (l vs k, after k started) comparisons, with the
    weights of equations (10a-c): (sample share)² x variance of the demeaned treatment."""
    count = values.shape[1]
    treatment = (cohorts[:, None] >= 0) & (np.arange(count)[None, :] >= cohorts[:, None])
    demeaned = treatment - treatment.mean(1, keepdims=True) - treatment.mean(0) + treatment.mean()
    estimate = float(np.sum(demeaned * values) / np.sum(demeaned**2))
    share = {g: np.mean(cohorts == g) for g in np.unique(cohorts)}
    exposed = {g: (count - g) / count for g in share if g >= 0}
    parts: dict[str, tuple[float, float]] = {}
    never = np.flatnonzero(cohorts == NEVER)
    starts = sorted(exposed)
    for k in starts:
        members = np.flatnonzero(cohorts == k)
        if len(never):
            pair = share[k] / (share[k] + share[NEVER])
            weight = (
                (share[k] + share[NEVER]) ** 2 * pair * (1 - pair) * exposed[k] * (1 - exposed[k])
            )
            change = _window_change(values, members, slice(0, k), slice(k, count))
            change -= _window_change(values, never, slice(0, k), slice(k, count))
            parts[f"{periods[k]} vs never treated"] = (weight, change)
        for later in (g for g in starts if g > k):
            others = np.flatnonzero(cohorts == later)
            size = share[k] + share[later]
            pair = share[k] / size
            dk, dl = exposed[k], exposed[later]
            early = (
                (size * (1 - dl)) ** 2
                * pair
                * (1 - pair)
                * (dk - dl)
                / (1 - dl)
                * (1 - dk)
                / (1 - dl)
            )
            late = (size * dk) ** 2 * pair * (1 - pair) * dl / dk * (dk - dl) / dk
            first = _window_change(values, members, slice(0, k), slice(k, later))
            first -= _window_change(values, others, slice(0, k), slice(k, later))
            second = _window_change(values, others, slice(k, later), slice(later, count))
            second -= _window_change(values, members, slice(k, later), slice(later, count))
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
    panel, cohorts, dropped = _complete(panel, cohorts)
    if not (cohorts > 0).any():
        raise AnalysisError(
            f"No unit joins the pilot during the data (column {spec.columns.group!r} gives "
            "only never-treated values or periods outside the data); check columns.group and "
            "design.never_treated."
        )
    not_yet = spec.design.comparison == "not_yet_treated"
    if not not_yet and not (cohorts == NEVER).any():
        raise AnalysisError(
            "No unit stays out of the pilot, so design.comparison = 'never_treated' has no "
            "comparison units; set design.comparison = 'not_yet_treated' to compare with units "
            f"that join later, or add never-treated units (values of design.never_treated: "
            f"{', '.join(spec.design.never_treated)})."
        )
    cells = group_time_effects(panel.values, cohorts, not_yet)
    summary = aggregations(cells, cohorts, panel.periods)
    errors, described = standard_errors(summary.influence, spec)
    confidence = spec.inference.confidence
    z = float(stats.norm.ppf((1 + confidence) / 2))
    estimate = float(summary.estimates[0])
    se = require_positive(float(errors[0]), repr(spec.columns.value))
    p_value = float(2 * stats.norm.sf(abs(estimate) / se))
    comparison = "never treated" if not not_yet else "not yet treated"
    method = (
        f"group-time average treatment effects (Callaway & Sant'Anna 2021) against {comparison} "
        f"units, averaged over the pilot periods of {int(np.sum(cohorts > 0))} pilot units; "
        f"standard error {described}; {confidence:.0%} normal interval"
    )
    details = {
        label: float(value) for label, value in zip(summary.labels, summary.estimates, strict=True)
    }
    details |= {
        f"{label} std_error": float(e) for label, e in zip(summary.labels, errors, strict=True)
    }
    result = Result(estimate, se, estimate - z * se, estimate + z * se, p_value, method, details)
    bacon = bacon_decomposition(panel.values, cohorts, panel.periods)
    details["twfe_estimate"] = bacon.estimate
    details["twfe_weight_already_treated"] = bacon.later_vs_earlier
    units = f" {spec.metric.units}" if spec.metric.units else ""
    events = [i for i, label in enumerate(summary.labels) if label.startswith("event ")]
    series = {
        "event_time": {summary.labels[i][6:]: float(summary.estimates[i]) for i in events},
        "event_time_low": {
            summary.labels[i][6:]: float(summary.estimates[i] - z * errors[i]) for i in events
        },
        "event_time_high": {
            summary.labels[i][6:]: float(summary.estimates[i] + z * errors[i]) for i in events
        },
        "group_time": {
            f"{panel.periods[g]}, {panel.periods[t]}": float(a)
            for g, t, a in zip(cells.cohort, cells.period, cells.att, strict=True)
        },
        "bacon_weights": {label: w for label, (w, _) in bacon.comparisons.items()},
        "bacon_estimates": {label: b for label, (_, b) in bacon.comparisons.items()},
    }
    n_table = {
        (f"joining {panel.periods[g]}" if g > 0 else "never treated"): counts_by_period(
            panel.rows[cohorts == g], panel.periods
        )
        for g in np.unique(cohorts)
    }
    leads = "; ".join(f"{e}: {number(v)}" for e, v in series["event_time"].items() if int(e) < 0)
    leads = leads or "there are none"
    starts = ", ".join(panel.periods[g] for g in np.unique(cohorts[cohorts > 0]))
    return PanelOutcome(
        result=result,
        n_table=n_table,
        compared=(
            f"the change in {describe_metric(spec)} of the units joining the pilot in {starts} "
            f"with the same change in {comparison} units, cohort by cohort and period by period"
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
