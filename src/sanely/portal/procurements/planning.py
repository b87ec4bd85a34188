"""
Can each phase decide its targets? The evidence engine's planning check (minimum detectable
effect) run on the phase plan, so a commissioner learns at design time that a phase is too
short, not at the gate.
"""

import re
from dataclasses import dataclass
from typing import Any

from sanely import evidence

from .design import PhasesSection, Target, section

MISSING_INPUTS = (
    "Give the expected standard deviation and observations per month to check that the phase"
    " is long enough to decide this target."
)


@dataclass(frozen=True)
class TargetPlan:
    """The planning check of one target: where it is, and what the engine says about it."""

    field: str
    phase: str
    metric: str
    explanation: str
    warning: str | None
    minimum_detectable_effect: float | None


# Placeholder names and values: the data file that arrives at the gate supplies the real ones.
_COLUMNS = {"value": "value", "exposure": "exposure", "period": "period", "group": "group"}
_SIDES = {"treated": ["pilot"], "control": ["comparison"]}
_TIMES = {"before": ["before"], "after": ["after"]}
_DESIGN_KEYS: dict[str, dict[str, list[str]]] = {
    "threshold": {}, "before_after": _TIMES, "two_group": _SIDES, "did": {**_SIDES, **_TIMES},
    "its": _TIMES,
}  # fmt: skip


def target_spec(target: Target) -> dict[str, Any]:
    """The target as the tables of an evidence SPEC, with placeholder columns and values."""
    return {
        "columns": _COLUMNS,
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
    for i, phase in enumerate(phases.items):
        for j, target in enumerate(phase.targets):
            where = f"phases.items[{i}].targets[{j}]"
            plans.append(_target_plan(where, phase.name, target, phase.duration_months))
    return plans


def _target_plan(where: str, phase: str, target: Target, months: int) -> TargetPlan:
    if target.expected_sd is None or target.observations_per_month is None:
        return TargetPlan(where, phase, target.metric, MISSING_INPUTS, None, None)
    try:
        plan = _plan(target, months)
    except evidence.SpecError as error:
        return TargetPlan(where, phase, target.metric, str(error), str(error), None)
    return TargetPlan(
        where, phase, target.metric, plan.explanation, plan.warning, plan.minimum_detectable_effect
    )


_TARGET_FIELD = re.compile(r"phases\.items\[(\d+)\]\.targets\[(\d+)\]")


def target_at(design: dict[str, Any], field: str) -> Target | None:
    """The target a field path such as `phases.items[0].targets[1]` names, if there is one."""
    found = _TARGET_FIELD.fullmatch(field)
    phases: PhasesSection = section(design, "phases")
    if found is None:
        return None
    phase, index = (int(part) for part in found.groups())
    if phase >= len(phases.items) or index >= len(phases.items[phase].targets):
        return None
    return phases.items[phase].targets[index]


def assessment_answers(target: Target) -> dict[str, Any]:
    """The evidence form's answers that a target already gives."""
    return {
        "design": target.design, "statistic": target.statistic, "label": target.metric,
        "comparator": target.comparator, "threshold": float(target.threshold),
        "confidence": float(target.confidence), "standard": target.evidence_standard,
    }  # fmt: skip
