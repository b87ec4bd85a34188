"""Planning: the minimum detectable effect of a phase, and the duration a target needs."""

import math
from dataclasses import dataclass

from scipy import stats

from ._errors import SpecError
from ._sequential import Boundaries, plan_of
from ._spec import Spec
from ._verdict import number

# Longest phase, in periods, that `plan` searches for a required duration.
_MAX_PERIODS = 1000
# Independent cells of rows behind each design's contrast, each of n rows.
_CELLS = {"threshold": 1, "two_group": 2, "before_after": 2, "did": 4}


@dataclass(frozen=True)
class Plan:
    """What a phase of a given length can show about its target."""

    minimum_detectable_effect: float
    distance: float
    periods: int
    required_periods: int | None
    decidable: bool
    warning: str | None
    explanation: str


def _standard_error(cells: int, sd: float, rows: float, units: int | None, icc: float) -> float:
    """sd · sqrt(cells / rows) · sqrt(design effect), rows per cell over the phase."""
    per_unit = rows / units if units else 1.0
    design_effect = 1 + (per_unit - 1) * icc
    return sd * math.sqrt(cells / rows * design_effect)


def _looks_text(looks: Boundaries) -> str:
    """The plan's boundaries look by look, and the data it needs against a single look."""
    parts = []
    for k, (fraction, bound) in enumerate(zip(looks.fractions, looks.efficacy, strict=True)):
        futility = "" if looks.futility is None else f", futile at z <= {looks.futility[k]:.3f}"
        parts.append(
            f"look {k + 1} at {fraction:.0%} of the data: met at z >= {bound:.3f}{futility}"
        )
    return (
        f"The group-sequential plan needs {looks.inflation:.3f} times the data of a single look "
        f"(included above); its boundaries are {'; '.join(parts)}."
    )


def plan(
    spec: Spec,
    *,
    sd: float,
    rows_per_period: float,
    periods: int,
    units: int | None = None,
    icc: float = 0.0,
    power: float = 0.8,
    expected: float | None = None,
) -> Plan:
    """Minimum detectable effect (MDE) of a phase and the periods its target needs.

    MDE = (z_{1-alpha/2} + z_power) · SE, with SE = sd · sqrt(k / n · deff): k independent
    cells of n = rows_per_period x periods rows each (1 for threshold, 2 for two groups or
    before/after, 4 for DiD), and design effect deff = 1 + (m - 1) ICC for m rows per unit
    per cell (Kish 1965; Bloom 1995). The target is decidable when its distance from what
    is expected (`expected`, default no effect; required for threshold designs) is at least
    the MDE. Assumes equal rows per cell and a common standard deviation `sd` (for a
    proportion p, sd = sqrt(p(1-p))).
    """
    kind = spec.design.kind
    if kind not in _CELLS or spec.target is None:
        raise SpecError(
            "Planning needs a [target] and design.kind threshold, before_after, two_group or did."
        )
    if kind == "threshold" and expected is None:
        raise SpecError("Planning a threshold design needs the expected value of the metric.")
    if sd <= 0 or rows_per_period <= 0 or periods < 1 or not 0 <= icc < 1:
        raise SpecError("Planning needs sd > 0, rows_per_period > 0, periods >= 1, 0 <= icc < 1.")
    alpha = 1 - spec.target.confidence
    multiplier = float(stats.norm.ppf(1 - alpha / 2) + stats.norm.ppf(power))
    distance = abs(spec.target.threshold - (expected or 0.0))
    looks = None if spec.sequential is None else plan_of(spec.sequential, spec.target.confidence)
    # A group-sequential plan needs `inflation` times a single look's data for the same power.
    inflation = 1.0 if looks is None else looks.inflation

    def mde(length: int) -> float:
        rows = rows_per_period * length / inflation
        return multiplier * _standard_error(_CELLS[kind], sd, rows, units, icc)

    detectable = mde(periods)
    required = next((t for t in range(1, _MAX_PERIODS + 1) if mde(t) <= distance), None)
    decidable = detectable <= distance
    units_text = f" {spec.metric.units}" if spec.metric.units else ""
    summary = (
        f"With {number(rows_per_period)} rows per group per period for {periods} period(s), "
        f"the smallest difference this phase can detect ({power:.0%} power, "
        f"{spec.target.confidence:.0%} confidence) is {number(detectable)}{units_text}; "
        f"the target lies {number(distance)}{units_text} from what is expected"
    )
    warning = None
    if not decidable:
        needed = (
            f"about {required} periods are needed"
            if required
            else f"even {_MAX_PERIODS} periods would not be enough"
        )
        warning = f"This phase is too short to decide its target: {needed}."
    explanation = f"{summary}. " + (warning or "The phase is long enough to decide it.")
    if looks is not None:
        explanation += " " + _looks_text(looks)
    return Plan(detectable, distance, periods, required, decidable, warning, explanation)
