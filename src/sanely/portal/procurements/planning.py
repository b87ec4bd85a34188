"""
Can each phase decide its targets? The evidence engine's planning check (minimum detectable
effect) run on the phase plan, so a commissioner learns at design time that a phase is too
short, not at the gate.
"""

from dataclasses import dataclass
from typing import Any

from sanely import evidence

from .design import PhaseIn, PhasesSection, Target, section

MISSING_INPUTS = (
    "Give the expected standard deviation and observations per month to check that the phase"
    " is long enough to decide this target."
)


@dataclass(frozen=True)
class TargetPlan:
    """The planning check of one target: which it is, and what the engine says about it."""

    target_key: str
    phase: str
    metric: str
    explanation: str
    warning: str | None
    minimum_detectable_effect: float | None


# Placeholder names and values: the data file that arrives at the gate supplies the real ones.
# A plan names only the columns its design and statistic read, so the data need no others.
_DESIGN_COLUMNS: dict[str, tuple[str, ...]] = {
    "threshold": (),
    "before_after": ("period",),
    "two_group": ("group",),
    "did": ("group", "period"),
    "its": ("period",),
}
_EXPOSED = ("rate", "ratio")
_SIDES = {"treated": ["pilot"], "control": ["comparison"]}
_TIMES = {"before": ["before"], "after": ["after"]}
_DESIGN_KEYS: dict[str, dict[str, list[str]]] = {
    "threshold": {},
    "before_after": _TIMES,
    "two_group": _SIDES,
    "did": {**_SIDES, **_TIMES},
    "its": _TIMES,
}


def target_spec(target: Target) -> dict[str, Any]:
    """The target as the tables of an evidence SPEC, with placeholder columns and values."""
    used = ("value", *(("exposure",) if target.statistic in _EXPOSED else ()))
    return {
        "columns": {name: name for name in (*used, *_DESIGN_COLUMNS[target.design])},
        "design": {"kind": target.design, **_DESIGN_KEYS[target.design]},
        "metric": {
            "statistic": target.statistic,
            "label": target.metric,
            **({"units": target.units} if target.units else {}),
        },
        "target": {
            "comparator": target.comparator,
            "threshold": float(target.threshold),
            "confidence": float(target.confidence),
            "standard": target.evidence_standard,
        },
    }


def _plan(target: Target, months: int) -> evidence.Plan:
    spec = evidence.parse_spec(target_spec(target))
    return evidence.plan(
        spec,
        sd=target.expected_sd or 0.0,
        rows_per_period=target.observations_per_month or 0.0,
        periods=months,
        expected=target.expected_value,
    )


def target_plans(design: dict[str, Any]) -> list[TargetPlan]:
    """The planning check of every target of every phase, in order."""
    phases: PhasesSection = section(design, "phases")
    plans = []
    for phase in phases.items:
        for target in phase.targets:
            plans.append(_target_plan(phase.name, target, phase.duration_months))
    return plans


def _target_plan(phase: str, target: Target, months: int) -> TargetPlan:
    key, metric = target.key, target.metric
    if target.expected_sd is None or target.observations_per_month is None:
        return TargetPlan(key, phase, metric, MISSING_INPUTS, None, None)
    try:
        plan = _plan(target, months)
    except evidence.SpecError as error:
        return TargetPlan(key, phase, metric, str(error), str(error), None)
    return TargetPlan(
        key, phase, metric, plan.explanation, plan.warning, plan.minimum_detectable_effect
    )


def target_at(design: dict[str, Any], key: str) -> tuple[PhaseIn, Target] | None:
    """The target with this key and its phase, if the design has it."""
    phases: PhasesSection = section(design, "phases")
    for phase in phases.items:
        for target in phase.targets:
            if key and target.key == key:
                return phase, target
    return None


def target_name(design: dict[str, Any], key: str) -> str | None:
    """How people know the target with this key: its metric and its phase."""
    found = target_at(design, key)
    return f"{found[1].metric} ({found[0].name} phase)" if found else None


def assessment_answers(target: Target) -> dict[str, Any]:
    """The evidence form's answers that a target already gives."""
    return {
        "design": target.design,
        "statistic": target.statistic,
        "label": target.metric,
        "comparator": target.comparator,
        "threshold": float(target.threshold),
        "confidence": float(target.confidence),
        "standard": target.evidence_standard,
    }
