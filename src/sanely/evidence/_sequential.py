"""Group-sequential looks: a target judged at several gates without inflating false "met"s.

Looking at accumulating data at every gate with a fixed 95% standard turns "inconclusive"
into a false "met" far more often than 2.5% of the time. A plan fixed at design time spends
the one-sided error alpha over the looks with a Lan-DeMets spending function (Lan & DeMets
1983), so each look has its own efficacy boundary; a futility boundary from beta spending
(non-binding) says when the pilot can no longer meet its target. The boundaries solve the
crossing probabilities of the canonical joint normal distribution of the looks' z statistics
(Jennison & Turnbull 2000, ch. 7 and 19), integrated numerically on a grid.
"""

import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache, partial

import numpy as np
from scipy import optimize, stats

from ._spec import Sequential, Target
from ._table import Floats
from ._verdict import Verdict

# Grid for the numerical integration: Simpson's rule on this many points over mean ± width.
_POINTS = 401
_WIDTH = 10.0
# Bracket for boundaries on the z scale and for the drift under the alternative.
_LOWEST, _HIGHEST = -20.0, 40.0
_MOST_DRIFT = 30.0

Spending = Callable[[float, float], float]


def obrien_fleming(level: float, fraction: float) -> float:
    """Lan-DeMets O'Brien-Fleming-type spending: 2 - 2 Φ(z_{1-level/2} / √t) (gsDesign sfLDOF).

    Not the classical O'Brien-Fleming constants (c·√(K/k)): the spending function only
    approximates them, and its boundaries differ in the second decimal.
    """
    return float(2 - 2 * stats.norm.cdf(stats.norm.ppf(1 - level / 2) / math.sqrt(fraction)))


def pocock(level: float, fraction: float) -> float:
    """Lan-DeMets Pocock-type spending: level · ln(1 + (e - 1) t) (gsDesign sfLDPocock)."""
    return level * math.log(1 + (math.e - 1) * fraction)


SPENDING: dict[str, Spending] = {"obrien_fleming": obrien_fleming, "pocock": pocock}
SPENDING_NAMES = {
    "obrien_fleming": "Lan-DeMets O'Brien-Fleming-type",
    "pocock": "Lan-DeMets Pocock-type",
}


@dataclass(frozen=True)
class Boundaries:
    """The plan's boundaries on the z scale, look by look.

    efficacy: z at or above which the target is met; futility: z at or below which the
    pilot is told it cannot meet it (None without a futility bound); levels: the nominal
    one-sided p-value each efficacy boundary stands for, 1 - Φ(efficacy); inflation: the
    maximum information relative to a single look with the same error rates.
    """

    fractions: tuple[float, ...]
    efficacy: tuple[float, ...]
    futility: tuple[float, ...] | None
    levels: tuple[float, ...]
    inflation: float


class _Paths:
    """Sub-density of the look's z statistic on the paths that have not stopped yet."""

    def __init__(self, drift: float, fraction: float) -> None:
        self.drift, self.fraction = drift, fraction
        self.points: Floats = np.array([])
        self.weights: Floats = np.array([])
        self.first = True

    def _moments(self, fraction: float) -> tuple[Floats | float, float]:
        """Mean and sd of z at the next look given each grid point (or the first look)."""
        if self.first:
            return self.drift * math.sqrt(fraction), 1.0
        step = fraction - self.fraction
        mean = (self.points * math.sqrt(self.fraction) + self.drift * step) / math.sqrt(fraction)
        return mean, math.sqrt(step / fraction)

    def above(self, bound: float, fraction: float) -> float:
        """P(not stopped before, z ≥ bound at this look)."""
        mean, sd = self._moments(fraction)
        tail = stats.norm.sf((bound - np.asarray(mean)) / sd)
        return float(tail) if self.first else float(self.weights @ tail)

    def below(self, bound: float, fraction: float) -> float:
        """P(not stopped before, z ≤ bound at this look)."""
        mean, sd = self._moments(fraction)
        tail = stats.norm.cdf((bound - np.asarray(mean)) / sd)
        return float(tail) if self.first else float(self.weights @ tail)

    def advance(self, low: float, high: float, fraction: float) -> None:
        """Keep the paths with low < z < high at this look (Simpson's rule on a grid)."""
        mean, sd = self._moments(fraction)
        centre = float(np.mean(mean))
        spread = _WIDTH + (float(np.ptp(mean)) if not self.first else 0.0)
        a, b = max(low, centre - spread), min(high, centre + spread)
        points = np.linspace(a, b, _POINTS)
        simpson = np.ones(_POINTS)
        simpson[1:-1:2], simpson[2:-1:2] = 4.0, 2.0
        simpson *= (b - a) / (_POINTS - 1) / 3
        if self.first:
            density = stats.norm.pdf(points, loc=mean, scale=sd)
        else:
            density = self.weights @ stats.norm.pdf(points[None, :], np.asarray(mean)[:, None], sd)
        self.points, self.weights = points, simpson * density
        self.fraction, self.first = fraction, False


def _solve(crossing: Callable[[float], float], target: float) -> float:
    """The bound b at which an increasing crossing probability reaches the target."""
    return float(optimize.brentq(lambda b: crossing(b) - target, _LOWEST, _HIGHEST, xtol=1e-10))


def efficacy_bounds(fractions: tuple[float, ...], level: float, spending: Spending) -> Floats:
    """Upper boundaries spending `level` (one-sided) at the information fractions, under H0.

    Non-binding: computed as if no futility bound existed, so stopping for futility (or not)
    never raises the chance of a false "met".
    """
    paths = _Paths(0.0, 0.0)
    bounds, spent = [], 0.0
    for fraction in fractions:
        step = spending(level, fraction) - spent
        above = partial(paths.above, fraction=fraction)
        bound = _solve(lambda b: -above(b), -step)  # noqa: B023 (used at once)
        bounds.append(bound)
        spent += step
        paths.advance(_LOWEST, bound, fraction)
    return np.array(bounds)


def _futility_for(
    drift: float, fractions: tuple[float, ...], efficacy: Floats, beta: float, spending: Spending
) -> tuple[list[float], float]:
    """Interim lower boundaries spending beta under the alternative with the given drift, and
    how much beta the last look would then spend, P(not stopped, z < last efficacy bound)."""
    paths = _Paths(drift, 0.0)
    bounds, spent = [], 0.0
    for fraction, upper in zip(fractions[:-1], efficacy[:-1], strict=True):
        step = spending(beta, fraction) - spent
        crossing = partial(paths.below, fraction=fraction)
        # A bound above the efficacy one would stop for futility where "met" is due.
        bound = _solve(crossing, step) if crossing(float(upper)) > step else float(upper)
        bounds.append(bound)
        spent += crossing(bound)
        paths.advance(bound, float(upper), fraction)
    return bounds, paths.below(float(efficacy[-1]), fractions[-1]) - (beta - spent)


def _power_drift(fractions: tuple[float, ...], efficacy: Floats, power: float) -> float:
    """The drift at which the efficacy boundaries are crossed with the given power."""

    def crossed(drift: float) -> float:
        paths, total = _Paths(drift, 0.0), 0.0
        for fraction, bound in zip(fractions, efficacy, strict=True):
            total += paths.above(float(bound), fraction)
            paths.advance(_LOWEST, float(bound), fraction)
        return total - power

    return float(optimize.brentq(crossed, 0.0, _MOST_DRIFT, xtol=1e-10))


@lru_cache(maxsize=64)
def boundaries(
    looks: int,
    level: float,
    spending: str,
    *,
    beta: float = 0.2,
    futility: str | None = None,
    fractions: tuple[float, ...] | None = None,
) -> Boundaries:
    """Efficacy (and, with a futility spending function, futility) boundaries of a plan.

    level: one-sided alpha; fractions: information at each look over the maximum (default
    equally spaced, k / looks). With `futility`, the futility boundaries spend beta with that
    function under the alternative whose drift makes the last futility boundary meet the
    last efficacy one (non-binding, as gsDesign and rpact do); without, the drift is the one
    with power 1 - beta. The drift gives the information the plan needs relative to a single
    look with the same errors: (drift / (z_{1-level} + z_{1-beta}))².
    """
    fractions = fractions or tuple((k + 1) / looks for k in range(looks))
    efficacy = efficacy_bounds(fractions, level, SPENDING[spending])
    lower = None
    if futility is None:
        drift = _power_drift(fractions, efficacy, 1 - beta)
    else:
        function = SPENDING[futility]
        # The drift at which the last look spends exactly the beta left: there the last
        # futility boundary meets the last efficacy one.
        drift = float(
            optimize.brentq(
                lambda d: _futility_for(d, fractions, efficacy, beta, function)[1],
                0.0,
                _MOST_DRIFT,
                xtol=1e-10,
            )
        )
        interim, _ = _futility_for(drift, fractions, efficacy, beta, function)
        lower = (*interim, float(efficacy[-1]))
    single = float(stats.norm.ppf(1 - level) + stats.norm.ppf(1 - beta))
    return Boundaries(
        fractions=tuple(fractions),
        efficacy=tuple(float(b) for b in efficacy),
        futility=lower,
        levels=tuple(float(stats.norm.sf(b)) for b in efficacy),
        inflation=(drift / single) ** 2,
    )


def plan_of(plan: Sequential, confidence: float) -> Boundaries:
    """The boundaries of a `[sequential]` plan; a 95% standard spends a one-sided 2.5%."""
    return boundaries(
        plan.looks,
        (1 - confidence) / 2,
        plan.spending,
        beta=1 - plan.power,
        futility=plan.futility_spending if plan.futility else None,
        fractions=plan.fractions or None,
    )


def look_z(target: Target, estimate: float, p_value: float) -> float:
    """The look's evidence on the z scale: Φ⁻¹(1 - one-sided p) for "target met".

    `p_value` is the look's own two-sided p-value for "the effect equals the threshold"
    (t, bootstrap or wild bootstrap alike), so a boundary applies as the one-sided level it
    stands for whichever inference the look uses.
    """
    upward = target.comparator in (">=", ">")
    beyond = estimate > target.threshold if upward else estimate < target.threshold
    one_sided = p_value / 2 if beyond else 1 - p_value / 2
    return float(min(stats.norm.isf(one_sided), _HIGHEST))


@dataclass(frozen=True)
class Look:
    """The verdict of one look, the sentence that explains it, and its figures."""

    verdict: Verdict
    sentence: str
    details: dict[str, float]


_OUTCOME = {
    "met": "met.",
    "futile": "futile: the pilot can no longer be expected to meet its target.",
    "inconclusive": "inconclusive - keep collecting until the next gate.",
    "not met": "not met at the last look.",
}


def judge_look(
    plan: Sequential, target: Target, estimate: float, p_value: float, replicates: int | None
) -> Look:
    """met (z at or above the look's efficacy boundary), futile (at or below its futility
    boundary), inconclusive - keep collecting (between, before the last look), or not met
    (below the efficacy boundary at the last look, without a futility boundary).

    `replicates`: the look's bootstrap replicates, when its inference is a bootstrap whose
    p-values cannot go below 1 / (replicates + 1).
    """
    bounds = plan_of(plan, target.confidence)
    k = plan.look - 1
    # B replicates cannot show a p-value below 1 / (B + 1), even when none is as extreme.
    floor = 0.0 if replicates is None else 1 / (replicates + 1)
    z = look_z(target, estimate, max(p_value, floor))
    efficacy, level = bounds.efficacy[k], bounds.levels[k]
    futility = None if bounds.futility is None else bounds.futility[k]
    verdict: Verdict
    if z >= efficacy:
        verdict = "met"
    elif futility is not None and z <= futility:
        verdict = "futile"
    else:
        verdict = "inconclusive" if plan.look < plan.looks else "not met"
    sentence = (
        f"At look {plan.look} of {plan.looks} (information fraction {bounds.fractions[k]:.2f}) "
        f"the {SPENDING_NAMES[plan.spending]} plan calls the target met when the one-sided "
        f"p-value is at most {level:.2g} (z at least {efficacy:.3f})"
    )
    if futility is not None:
        sentence += f" and futile when z is at most {futility:.3f}"
    sentence += f"; here z = {z:.3f}: " + _OUTCOME[verdict]
    if level < floor:
        sentence += (
            f" With {replicates:,} bootstrap replicates no p-value can be as small as "
            f"{level:.2g}, so this look cannot call the target met: raise inference.replicates."
        )
    details = {"look_z": z, "efficacy_bound": efficacy, "information_fraction": bounds.fractions[k]}
    if futility is not None:
        details["futility_bound"] = futility
    return Look(verdict, sentence, details)
