"""
Apply a rulebook to the facts of one procurement.

Nothing here touches a database or a clock: callers pass the facts and `now`. The rulebook says
which events leave which state and which rules are checked before each; this module runs the
named guards and turns their failures into refusals (GUARD), warnings (WARN) or evidence to
capture (RECORD), each carrying its rule id and citation.
"""

from dataclasses import dataclass
from datetime import datetime

from sanely.procedure._deadlines import local_date, period_end, working_days_for
from sanely.procedure._errors import ProcedureError, UnknownEventError
from sanely.procedure._facts import Facts, Occurrence
from sanely.procedure._guards import GUARDS, GuardInput
from sanely.procedure._model import (
    Decision,
    Due,
    Evaluation,
    Event,
    Evidence,
    Level,
    Problem,
    Refusal,
    Rulebook,
    RuleWarning,
)

LIFECYCLE_RULE = "LIFECYCLE"


@dataclass(frozen=True)
class _Outcome:
    refusals: tuple[Refusal, ...]
    warnings: tuple[RuleWarning, ...]
    evidence: tuple[Evidence, ...]
    problems: tuple[Problem, ...]


def _assess(rulebook: Rulebook, facts: Facts, event: Event, now: datetime) -> _Outcome:
    days = working_days_for(rulebook, facts.nation)
    refusals: list[Refusal] = []
    warnings: list[RuleWarning] = []
    evidence: list[Evidence] = []
    problems: list[Problem] = []
    for rule in rulebook.rules:
        for check in (c for c in rule.checks if c.event == event.id):
            if rule.level is Level.RECORD:
                evidence.append(Evidence(event.id, rule.id, rule.citation, rule.evidence))
                continue
            failures = GUARDS[check.guard](GuardInput(facts, check, rulebook, now, days))
            for failure in failures:
                field = failure.field or check.field
                problems.append(
                    Problem(field, rule.id, rule.citation, rule.level, failure.message, failure.fix)
                )
                if rule.level is Level.GUARD:
                    refusals.append(
                        Refusal(
                            event.id, rule.id, rule.citation, failure.message, failure.fix, field
                        )
                    )
                elif rule.id not in facts.justifications:
                    warnings.append(
                        RuleWarning(
                            event.id, rule.id, rule.citation, failure.message, failure.fix, field
                        )
                    )
    return _Outcome(tuple(refusals), tuple(warnings), tuple(evidence), tuple(problems))


def _state_refusal(rulebook: Rulebook, facts: Facts, event: Event) -> Refusal:
    return Refusal(
        event.id,
        LIFECYCLE_RULE,
        f"{rulebook.title}: lifecycle (LAW.md §6)",
        f"{event.label!r} is not possible in state {facts.state!r}",
        "first reach one of the states: " + ", ".join(event.sources),
    )


def _require_state(rulebook: Rulebook, facts: Facts) -> None:
    if rulebook.state(facts.state) is None:
        known = ", ".join(s.id for s in rulebook.states)
        raise ProcedureError(f"unknown state {facts.state!r} for {rulebook.id}: use one of {known}")


def decide(rulebook: Rulebook, facts: Facts, event: str, now: datetime) -> Decision:
    """
    One event assessed once: its first refusal (rule id, citation, reason, fix), or none and the
    WARN rules whose justification must be recorded when it is applied.
    """
    _require_state(rulebook, facts)
    found = rulebook.event(event)
    if found is None:
        raise UnknownEventError(f"{rulebook.id} has no event {event!r}")
    if not rulebook.leaves(found, facts.state):
        return Decision(_state_refusal(rulebook, facts, found), ())
    outcome = _assess(rulebook, facts, found, now)
    if outcome.refusals:
        return Decision(outcome.refusals[0], ())
    return Decision(None, tuple(outcome.warnings))


def check(rulebook: Rulebook, facts: Facts, event: str, now: datetime) -> Refusal | None:
    """
    None when `event` may happen now, else the first refusal (rule id, citation, reason, fix).

    WARN rules never refuse: read `decide(...).warnings` for the justifications to record.
    """
    return decide(rulebook, facts, event, now).refusal


def _occurrences(facts: Facts, start_fact: str, done_fact: str) -> list[Occurrence]:
    value = getattr(facts, start_fact)
    if isinstance(value, tuple):
        return list(value)
    if value is None:
        return []
    return [Occurrence(start_fact, value, getattr(facts, done_fact))]


def next_due(rulebook: Rulebook, facts: Facts, now: datetime) -> Due | None:
    """The earliest statutory date still open for this procurement (overdue ones first)."""
    days = working_days_for(rulebook, facts.nation)
    dues: list[Due] = []
    for spec in rulebook.dues:
        if spec.states and facts.state not in spec.states:
            continue
        period = rulebook.periods[spec.period]
        citation = rulebook.rule(period.rule).citation
        for occurrence in _occurrences(facts, period.from_fact, spec.done_fact):
            if occurrence.done_on is None:
                due_on = period_end(period, occurrence.on, days)
                what = (
                    spec.what
                    if occurrence.ref == period.from_fact
                    else f"{spec.what}: {occurrence.ref}"
                )
                overdue = due_on < local_date(now, facts.nation)
                dues.append(Due(due_on, what, period.rule, citation, overdue))
    return min(dues, key=lambda d: d.date, default=None)


def evaluate(rulebook: Rulebook, facts: Facts, now: datetime) -> Evaluation:
    """
    Everything that may happen next: allowed events, refusals, warnings, evidence, next due date.

    An event is allowed when no GUARD refuses it; its warnings (WARN rules without a recorded
    justification in `facts.justifications`) must be justified when it is applied.
    """
    _require_state(rulebook, facts)
    allowed: list[str] = []
    refusals: list[Refusal] = []
    warnings: list[RuleWarning] = []
    evidence: list[Evidence] = []
    for event in rulebook.events:
        if not rulebook.leaves(event, facts.state):
            continue
        outcome = _assess(rulebook, facts, event, now)
        if outcome.refusals:
            refusals += outcome.refusals
        else:
            allowed.append(event.id)
            warnings += outcome.warnings
            evidence += outcome.evidence
    return Evaluation(
        facts.state,
        tuple(allowed),
        tuple(refusals),
        tuple(warnings),
        tuple(evidence),
        next_due(rulebook, facts, now),
    )


def validate_design(rulebook: Rulebook, design: Facts, now: datetime) -> list[Problem]:
    """
    Every problem in a procurement design at once, each pointing to its field.

    Runs all GUARD and WARN rules of the rulebook's design event (submitting the call for
    competition) whatever the current state, so a draft can be checked while it is edited.
    """
    # The loader checked that design_event names a declared event.
    design_event = next(e for e in rulebook.events if e.id == rulebook.design_event)
    return list(_assess(rulebook, design, design_event, now).problems)


def next_state(rulebook: Rulebook, event: str) -> str:
    """The state an event leads to (apply it only after `check` returned None)."""
    found = rulebook.event(event)
    if found is None:
        raise UnknownEventError(f"{rulebook.id} has no event {event!r}")
    return found.target
