"""Synthetic control for one pilot unit (Abadie & Gardeazabal 2003; Abadie, Diamond &
Hainmueller 2010), with placebo inference over every donor (Arkhangelsky et al. 2021).
"""

import math

import numpy as np
from scipy import stats

from ._errors import AnalysisError, SpecError
from ._panel import Panel, PanelOutcome, counts_by_period, panel_of, split_periods
from ._spec import Spec
from ._table import Floats, Table
from ._toolbox import Result
from ._verdict import describe_metric, number

MIN_PRE_PERIODS = 5
"""Fewer periods before the change cannot show that the synthetic unit tracks the pilot."""

POOR_FIT_MSPE_RATIO = 5.0
"""The pilot unit is not reproduced when its pre-period MSPE exceeds this multiple of the
median donor's (Abadie, Diamond & Hainmueller 2010, §4, drop placebos fitted 5 times worse)."""


def simplex_weights(gram: Floats, cross: Floats, blocked: list[int]) -> Floats:
    """Weights w ≥ 0, Σw = 1 minimising ‖y - Xw‖², given G = XᵀX and c = Xᵀy.

    An active-set method (Lawson & Hanson 1974, ch. 23, with the sum-to-one constraint held
    by a Lagrange multiplier): start from the best single donor, add the donor whose
    gradient most undercuts the multiplier, solve the equality-constrained least squares on
    the active donors, and step back to the boundary when a weight would turn negative. The
    solution has at most as many non-zero weights as there are pre-periods plus one, so
    each step is small whatever the number of donors. Units in `blocked` (the pilot, and
    the placebo unit itself) get no weight.
    """
    objective = np.diag(gram) - 2 * cross
    objective[blocked] = np.inf
    active = [int(np.argmin(objective))]
    weights = np.zeros(len(cross))
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


def _fits(panel: Panel, treated: int, donors: list[int], pre: int) -> tuple[Floats, Floats]:
    """Weights (pilot first, then each donor as a placebo) and the gaps they leave.

    One Gram matrix of pre-period values serves every fit: unit 0 is the pilot, never a
    donor; placebo j is fitted from the donors other than itself.
    """
    values = panel.values[[treated, *donors]]
    scale = float(np.std(values[:, :pre])) or 1.0
    history = values[:, :pre] / scale
    gram = history @ history.T
    weights = np.array([simplex_weights(gram, gram[:, j], [0, j]) for j in range(len(values))])
    return weights[:, 1:], values - weights @ values


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
    weights, gaps = _fits(panel, treated, donors, pre)
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
    units = f" {spec.metric.units}" if spec.metric.units else ""
    method = (
        f"synthetic control: weights on {len(donors)} donors fitted to {pre} periods before "
        f"the change; standard error from placebo fits of every donor; {confidence:.0%} "
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
        },
        fit_problem=_cannot_judge(name, pre_mspe, len(donors), confidence, units),
    )


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
