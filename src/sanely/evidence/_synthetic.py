"""Synthetic control for one pilot unit (Abadie & Gardeazabal 2003; Abadie, Diamond &
Hainmueller 2010), with placebo inference over every donor (Arkhangelsky et al. 2021).
"""

import math
from collections.abc import Sequence

import numpy as np
from scipy import stats

from ._errors import AnalysisError, SpecError
from ._panel import Panel, PanelOutcome, counts_by_period, panel_means, panel_of, split_periods
from ._spec import Spec
from ._table import Floats, Table
from ._toolbox import Result
from ._verdict import describe_metric, number

MIN_PRE_PERIODS = 5
"""Fewer periods before the change cannot show that the synthetic unit tracks the pilot."""

POOR_FIT_MSPE_RATIO = 5.0
"""The pilot unit is not reproduced when its pre-period MSPE exceeds this multiple of the
median donor's (Abadie, Diamond & Hainmueller 2010, §4, drop placebos fitted 5 times worse)."""


def simplex_weights(
    gram: Floats, cross: Floats, blocked: list[int], start: Sequence[int] = ()
) -> Floats:
    """Weights w ≥ 0, Σw = 1 minimising ‖y - Xw‖², given G = XᵀX and c = Xᵀy.

    An active-set method (Lawson & Hanson 1974, ch. 23, with the sum-to-one constraint held
    by a Lagrange multiplier): start from the best single donor (or from the donors of
    `start`, the solution of a nearby problem, equally weighted), add the donor whose
    gradient most undercuts the multiplier, solve the equality-constrained least squares on
    the active donors, and step back to the boundary when a weight would turn negative. The
    solution has at most as many non-zero weights as there are pre-periods plus one, so
    each step is small whatever the number of donors. Units in `blocked` (the pilot, and
    the placebo unit itself) get no weight.
    """
    weights = np.zeros(len(cross))
    active = [int(unit) for unit in start if unit not in blocked]
    if active:
        weights[active] = 1 / len(active)
        active = _settle(gram, cross, weights, active)
    else:
        objective = np.diag(gram) - 2 * cross
        objective[blocked] = np.inf
        active = [int(np.argmin(objective))]
        weights[active] = 1.0
    tolerance = 1e-10 * float(np.max(np.diag(gram)))
    while (entering := _entering(gram, cross, weights, active, blocked, tolerance)) >= 0:
        active = _settle(gram, cross, weights, [*active, entering])
    return weights


def _entering(
    gram: Floats,
    cross: Floats,
    weights: Floats,
    active: list[int],
    blocked: list[int],
    tolerance: float,
) -> int:
    """The donor whose gradient most undercuts the multiplier, or -1 when the KKT conditions
    hold: every donor's gradient is at least the active donors' common value."""
    gradient = weights[active] @ gram[active] - cross  # rows: G is symmetric
    slack = gradient - gradient[active].mean()
    slack[active] = np.inf
    slack[blocked] = np.inf
    entering = int(np.argmin(slack))
    return entering if slack[entering] < -tolerance else -1


def _constrained(gram: Floats, cross: Floats, active: list[int]) -> Floats:
    """The least-squares weights on the active donors that sum to one (their KKT system);
    by least squares when the active donors are collinear."""
    size = len(active)
    kkt = np.ones((size + 1, size + 1))
    kkt[:size, :size] = gram[np.ix_(active, active)]
    kkt[size, size] = 0.0
    right = np.ones(size + 1)
    right[:size] = cross[active]
    try:
        solution: Floats = np.linalg.solve(kkt, right)[:size]
    except np.linalg.LinAlgError:
        solution = np.linalg.lstsq(kkt, right, rcond=None)[0][:size]
    return solution


def _settle(gram: Floats, cross: Floats, weights: Floats, active: list[int]) -> list[int]:
    """Move `weights` (in place) to the best point on the active donors that stays ≥ 0."""
    while True:
        solution = _constrained(gram, cross, active)
        if (solution > 0).all():
            weights[active] = solution
            return active
        current = weights[active]
        falling = solution <= 0
        step = float(np.min(current[falling] / (current[falling] - solution[falling])))
        weights[active] = current + step * (solution - current)
        keep = weights[active] > 1e-14
        weights[[a for a, k in zip(active, keep, strict=True) if not k]] = 0.0
        active = [a for a, k in zip(active, keep, strict=True) if k]


def _complete(panel: Panel, units: list[int], role: str, fix: str) -> None:
    """An `AnalysisError` naming the first units (of `role`) without data in every period."""
    gaps = [(panel.units[u], np.isnan(panel.values[u])) for u in units]
    incomplete = [(name, missing) for name, missing in gaps if missing.any()]
    if incomplete:
        shown = "; ".join(
            f"{name!r} has no rows for "
            + ", ".join(repr(p) for p, m in zip(panel.periods, missing, strict=True) if m)
            for name, missing in incomplete[:5]
        )
        raise AnalysisError(
            f"Synthetic control needs every {role} in every period, but {shown}"
            f"{' (and more)' if len(incomplete) > 5 else ''}; add the missing rows, or {fix}."
        )


def _units(panel: Panel, spec: Spec) -> tuple[int, list[int]]:
    """Positions of the pilot unit and the donors in the panel."""
    position = {name: i for i, name in enumerate(panel.units)}
    seen = ", ".join(repr(u) for u in panel.units[:12]) + (" ..." if len(panel.units) > 12 else "")
    for key, names in (
        ("design.treated", spec.design.treated),
        ("design.control", spec.design.control),
    ):
        for name in names:
            if name not in position:
                raise SpecError(
                    f"{key} lists {name!r}, which is not a unit of column "
                    f"{spec.columns.unit!r} (units seen: {seen}); change {key}."
                )
    treated = position[spec.design.treated[0]]
    named = spec.design.control or tuple(u for u in panel.units if u != panel.units[treated])
    donors = [position[name] for name in named]
    if len(donors) < 2:
        raise AnalysisError(
            f"Synthetic control needs at least two comparison units (donors), but there "
            f"{'is' if len(donors) == 1 else 'are'} {len(donors)}; add data from more units."
        )
    _complete(panel, [treated], "pilot unit", "keep only periods with its data (data.where)")
    _complete(panel, donors, "donor", "list in design.control only donors with complete data")
    return treated, donors


def _fits(
    values: Floats, pre: int, predictors: Floats | None
) -> tuple[Floats, Floats, Floats | None]:
    """Weights (pilot first, then each donor as a placebo), the gaps they leave, and the
    pilot's predictor weights V (None without predictors).

    `values` are the units' outcomes, the pilot first, by period. Unit 0 is the pilot, never a
    donor; placebo j is fitted from the donors other than itself. Without predictors one
    Gram matrix of pre-period outcomes serves every fit.
    """
    if predictors is None:
        scale = float(np.std(values[:, :pre])) or 1.0
        history = values[:, :pre] / scale
        gram = history @ history.T
        fits = [simplex_weights(gram, gram[:, j], [0, j]) for j in range(len(values))]
        pilot_v = None
    else:
        found = [_predictor_fit(predictors, values[:, :pre], j) for j in range(len(values))]
        fits = [weights for weights, _ in found]
        pilot_v = found[0][1]
    weights = np.array(fits)
    return weights[:, 1:], values - weights @ values, pilot_v


def scaled_predictors(predictors: Floats, fitted: int) -> Floats:
    """Each predictor divided by its standard deviation over the units of fit `fitted` (every
    unit for the pilot, 0; the donors for a placebo), as the Synth packages scale them."""
    involved = ([0] if fitted == 0 else []) + list(range(1, len(predictors)))
    spread = predictors[involved].std(axis=0, ddof=1)
    scaled: Floats = predictors / np.where(spread > 0, spread, 1.0)
    return scaled


def predictor_weights(scaled: Floats, v: Floats, fitted: int, start: Sequence[int] = ()) -> Floats:
    """Donor weights minimising the V-weighted squared gap in the scaled predictors between
    unit `fitted` and its mix of the donors (V diagonal: `v`, made to sum to one)."""
    share = np.abs(v) / max(float(np.abs(v).sum()), np.finfo(float).tiny)
    gram = (scaled * share) @ scaled.T
    return simplex_weights(gram, gram[:, fitted], [0, fitted], start)


def _predictor_fit(predictors: Floats, history: Floats, fitted: int) -> tuple[Floats, Floats]:
    """Donor weights and predictor weights V for unit `fitted` (0: the pilot; j: placebo j).

    For a diagonal V ≥ 0 summing to one, the donor weights minimise the V-weighted squared
    gap in the scaled predictors (`predictor_weights`); V itself minimises the mean squared
    gap in the outcomes before the change (Abadie & Gardeazabal 2003; Abadie, Diamond &
    Hainmueller 2010), searched by Nelder-Mead from equal weights and from each predictor's
    share of a regression of the outcomes on the predictors (as the Synth packages start),
    then once more from the better of the two.
    """
    from scipy import optimize  # loaded only for predictors: it takes a moment to load

    scaled = scaled_predictors(predictors, fitted)
    # The loss is measured against the outcomes' own spread, so that the search stops at
    # the same relative precision whatever their scale.
    spread_of_outcomes = float(np.var(history)) or 1.0
    # Each search step starts from the donors of the step before (a nearby problem). With
    # fewer predictors than donors the donor weights of a V may not be unique, so the fit
    # kept is the closest one seen, with the V that gave it.
    last: list[list[int]] = [[]]
    best = _BestFit()

    def loss(v: Floats) -> float:
        weights = predictor_weights(scaled, v, fitted, last[0])
        last[0] = np.flatnonzero(weights).tolist()
        gap = history[fitted] - weights @ history
        value = float(gap @ gap) / float(history.shape[1]) / spread_of_outcomes
        best.offer(value, weights, v)
        return value

    options = {"maxiter": 1000, "xatol": 1e-6, "fatol": 1e-10}
    equal = np.full(scaled.shape[1], 1 / scaled.shape[1])
    for start in (equal, _regression_start(scaled, history)):
        optimize.minimize(loss, start, method="Nelder-Mead", options=options)
    # Nelder-Mead often stops early on this uneven surface; searching again from the best
    # point finds a closer fit more often than not.
    optimize.minimize(loss, best.v, method="Nelder-Mead", options=options)
    return best.weights, best.v / best.v.sum()


class _BestFit:
    """The closest fit a search has seen: its loss, donor weights and predictor weights."""

    def __init__(self) -> None:
        self.loss = np.inf
        self.weights: Floats = np.zeros(0)
        self.v: Floats = np.zeros(0)

    def offer(self, loss: float, weights: Floats, v: Floats) -> None:
        if loss < self.loss:
            self.loss, self.weights, self.v = loss, weights, np.abs(v)


def _regression_start(scaled: Floats, history: Floats) -> Floats:
    """Each predictor's share of the squared coefficients of the outcomes before the change
    regressed on the predictors over the units (the Synth packages' 'ols' start)."""
    design = np.column_stack([np.ones(len(scaled)), scaled])
    coefficients = np.linalg.lstsq(design, history, rcond=None)[0][1:]
    share: Floats = np.sum(coefficients**2, axis=1)
    total = float(share.sum())
    return share / total if total > 0 else np.full(len(share), 1 / len(share))


def _periods_before(periods: tuple[str, ...], spec: Spec, name: str) -> int:
    """How many periods come before the change; enough of them, and at least one after."""
    pre = split_periods(periods, spec)
    if pre < MIN_PRE_PERIODS:
        raise AnalysisError(
            f"The pilot unit {name!r} has {pre} period(s) before the change; synthetic control "
            f"needs at least {MIN_PRE_PERIODS} to show that a weighted mix of other units "
            "tracks it: add earlier periods, or use kind = 'did' with several pilot units."
        )
    if pre == len(periods):
        raise SpecError(
            "There is no period after the change; check design.change_at (or design.after)."
        )
    return pre


def synthetic_control(table: Table, spec: Spec) -> PanelOutcome:
    """The effect on one pilot unit: its post-period values minus its synthetic control's.

    Donor weights (non-negative, summing to one) minimise the squared gap over the periods
    before the change. The estimate is the mean gap after it. Every donor is in turn taken
    as the pilot and fitted from the other donors: the spread of these placebo estimates is
    the standard error (Arkhangelsky et al. 2021, algorithm 4, over all donors: the limit of
    its random draws), with a normal interval; the p-value is the permutation test of
    Abadie, Diamond & Hainmueller (2010): the share of units whose post/pre RMSPE ratio is
    at least the pilot's.
    """
    panel = panel_of(table, spec)
    treated, donors = _units(panel, spec)
    name, periods = panel.units[treated], panel.periods
    pre = _periods_before(periods, spec, name)
    units = [treated, *donors]
    predictors, labels = predictor_values(table, panel, spec, pre, units)
    weights, gaps, v = _fits(panel.values[units], pre, predictors)
    effects = gaps[:, pre:].mean(axis=1)
    se = float(np.std(effects[1:]))
    if not se > 0:
        raise AnalysisError(
            "Every placebo fit gives the same effect (the donors reproduce one another "
            "exactly), so there is no spread to take a standard error from; use donors that "
            "differ from one another."
        )
    pre_mspe = np.mean(gaps[:, :pre] ** 2, axis=1)
    post_mspe = np.mean(gaps[:, pre:] ** 2, axis=1)
    # An exact pre-period fit leaves rounding error: floor it at the data's scale times eps.
    floor = np.finfo(float).eps * float(np.mean(panel.values[[treated, *donors]] ** 2))
    ratios = np.sqrt(post_mspe / np.maximum(pre_mspe, floor))
    p_value = float(np.mean(ratios >= ratios[0]))
    estimate = float(effects[0])
    confidence = spec.inference.confidence
    half = float(stats.norm.ppf((1 + confidence) / 2)) * se
    unit_words = f" {spec.metric.units}" if spec.metric.units else ""
    fitted_to = (
        f"{len(labels)} predictors (weighted to fit the {pre} periods before the change)"
        if labels
        else f"{pre} periods before the change"
    )
    method = (
        f"synthetic control: weights on {len(donors)} donors fitted to {fitted_to}; "
        f"standard error from placebo fits of every donor; {confidence:.0%} "
        f"normal interval; p-value by the post/pre RMSPE ratio among {len(donors) + 1} units"
    )
    details = {
        "pre_rmspe": float(np.sqrt(pre_mspe[0])),
        "post_rmspe": float(np.sqrt(post_mspe[0])),
        "rmspe_ratio": float(ratios[0]),
        "placebo_std_error": se,
        "donors": float(len(donors)),
        "pre_periods": float(pre),
    }
    named = {panel.units[d]: float(w) for d, w in zip(donors, weights[0], strict=True)}
    heaviest = sorted((w, d) for d, w in named.items() if w >= 0.005)[::-1]
    mix = ", ".join(f"{d} {number(w)}" for w, d in heaviest[:5])
    return PanelOutcome(
        result=Result(estimate, se, estimate - half, estimate + half, p_value, method, details),
        n_table={"pilot": counts_by_period(panel.rows[[treated]], periods)}
        | {"donors": counts_by_period(panel.rows[donors], periods)},
        compared=(
            f"{describe_metric(spec)} in {name} after the change with a synthetic {name}: "
            f"{mix} of the other units, weighted to track it over the {pre} periods before"
            + (f" and to match it in {', '.join(labels)}" if labels else "")
        ),
        why=(
            "synthetic control, because there is one pilot unit, for which a difference in "
            "differences cannot give an honest interval"
        ),
        stronger=f"more periods before the change (there are {pre}) and more comparison units",
        series={
            "gap": dict(zip(periods, map(float, gaps[0]), strict=True)),
            "weights": named,
            "placebo_effects": {
                panel.units[d]: float(e) for d, e in zip(donors, effects[1:], strict=True)
            },
            **_balance(labels, predictors, weights[0], v),
        },
        fit_problem=_cannot_judge(name, pre_mspe, len(donors), confidence, unit_words),
    )


def _balance(
    labels: tuple[str, ...], predictors: Floats | None, weights: Floats, v: Floats | None
) -> dict[str, dict[str, float]]:
    """The predictors of the pilot and of its synthetic control, and their weights V."""
    if predictors is None or v is None:
        return {}
    synthetic = weights @ predictors[1:]
    return {
        "predictors_pilot": dict(zip(labels, map(float, predictors[0]), strict=True)),
        "predictors_synthetic": dict(zip(labels, map(float, synthetic), strict=True)),
        "predictor_weights": dict(zip(labels, map(float, v), strict=True)),
    }


def predictor_values(
    table: Table, panel: Panel, spec: Spec, pre: int, units: list[int]
) -> tuple[Floats | None, tuple[str, ...]]:
    """The `[predictors]` of the units (rows: `units`, the pilot first), each the mean of
    its column over its periods (rows without a value left out, as the Synth packages do),
    and their labels; (None, ()) without predictors."""
    if not spec.predictors:
        return None, ()
    before = panel.periods[:pre]
    columns, labels = [], []
    for predictor in spec.predictors:
        periods = predictor.periods or before
        late = [p for p in periods if p not in before]
        if late:
            raise SpecError(
                f"predictors.{predictor.column} lists {late[0]!r}, which is not a period of "
                f"the data before the change (those run from {before[0]!r} to "
                f"{before[-1]!r}); list periods before the change."
            )
        positions = [before.index(p) for p in periods]
        source = (
            panel.values
            if predictor.column == spec.columns.value
            else panel_means(table, panel, predictor.column)
        )
        found = source[units][:, positions]
        counted = (~np.isnan(found)).sum(axis=1)
        if not counted.all():
            unit = panel.units[units[int(np.argmin(counted))]]
            raise AnalysisError(
                f"{unit!r} has no value of {predictor.column!r} in the periods of "
                f"predictors.{predictor.column}; add its rows, or choose periods it has."
            )
        columns.append(np.nansum(found, axis=1) / counted)
        labels.append(_label(predictor.column, periods, bool(predictor.periods)))
    return np.column_stack(columns), tuple(labels)


def _label(column: str, periods: tuple[str, ...], listed: bool) -> str:
    """A predictor in words: 'beer (mean of 1984 to 1988)', 'sales (1975)'."""
    if not listed:
        return f"{column} (mean before the change)"
    if len(periods) == 1:
        return f"{column} ({periods[0]})"
    return f"{column} (mean of {periods[0]} to {periods[-1]})"


def _cannot_judge(
    name: str, pre_mspe: Floats, donors: int, confidence: float, units: str
) -> str | None:
    """Why the result cannot support a verdict, if it cannot: the synthetic unit does not
    reproduce the pilot before the change (ADH's 5x MSPE rule against the median placebo),
    or too few donors for the placebo comparison to reach the confidence level."""
    if pre_mspe[0] > POOR_FIT_MSPE_RATIO * float(np.median(pre_mspe[1:])):
        return (
            f"the synthetic {name} does not reproduce {name} before the change (its gap, "
            f"{number(float(np.sqrt(pre_mspe[0])))}{units} on average, is more than "
            f"{np.sqrt(POOR_FIT_MSPE_RATIO):.3g} times the typical donor's), so the gap after "
            "it cannot be read as the pilot's effect"
        )
    needed = math.ceil(1 / (1 - confidence) - 1e-9) - 1
    if donors < needed:
        return (
            f"with {donors} donors the placebo comparison cannot support {confidence:.0%} "
            f"confidence (no p-value below {number(1 / (donors + 1))}); it needs at least "
            f"{needed} donors"
        )
    return None
