"""
The typed face of a rulebook file, and the results the engine returns.

Everything here is a frozen dataclass; the rulebook loader builds the first group, the engine
returns the second.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sanely.procedure._effects import NO_EFFECTS, Effects


class Level(StrEnum):
    """What sanely does about a rule."""

    GUARD = "GUARD"  # block the event until the condition holds
    WARN = "WARN"  # allow, with a recorded justification
    RECORD = "RECORD"  # capture evidence; nothing to check


@dataclass(frozen=True)
class State:
    """A lifecycle state."""

    id: str
    label: str
    terminal: bool


@dataclass(frozen=True)
class Event:
    """An event: leaves any of `sources` (or every non-terminal state for "*") for `target`."""

    id: str
    label: str
    sources: tuple[str, ...]
    target: str
    effects: Effects = NO_EFFECTS


@dataclass(frozen=True)
class Check:
    """One application of a rule: the guard run before `event` (none for RECORD), its field."""

    event: str
    guard: str
    field: str
    params: Mapping[str, Any]


@dataclass(frozen=True)
class Duty:
    """
    A duty a contract event starts (a notice to publish, a payment to make): the named duty
    function in `_duties.py` that dates it, what it is, and its parameters from the rulebook.
    """

    event: str
    duty: str
    what: str
    params: Mapping[str, Any]


@dataclass(frozen=True)
class Rule:
    """A legal rule: id from LAW.md, citation, enforcement level and how it was verified."""

    id: str
    citation: str
    summary: str
    level: Level
    verified: bool
    citation_verified: bool
    source: str
    verified_by: str
    level_when_verified: Level
    evidence: str
    checks: tuple[Check, ...]
    duties: tuple[Duty, ...] = ()


@dataclass(frozen=True)
class ContractEvent:
    """
    An event in the life of one partner contract after award (a claim, a change, the purchase,
    its end): the kind of request it judges, and whether it needs the contract to be running.
    """

    id: str
    label: str
    request: str
    live: bool


@dataclass(frozen=True)
class ModificationGround:
    """A ground on which the regime permits modifying a contract, and the rule that grants it."""

    id: str
    label: str
    rule: str


@dataclass(frozen=True)
class PeriodRow:
    """
    One row of a statutory table of minimum periods (PA 2023 s.54(3)-(4)): the circumstance in
    the Act's words, the circumstance names that must hold (a leading "!" means must not hold),
    and the minimum in days (0 where the Act sets no minimum period).
    """

    circumstance: str
    when: tuple[str, ...]
    days: int

    def applies(self, circumstances: frozenset[str]) -> bool:
        """True when every condition of the row holds for `circumstances`."""
        return all(
            (name[1:] not in circumstances) if name.startswith("!") else (name in circumstances)
            for name in self.when
        )


@dataclass(frozen=True)
class Period:
    """
    A statutory period: how many days, counted how, from which fact.

    `count` is "after" (the day of the fact is not counted: a 30-day period after day D ends on
    D+30) or "beginning-with" (the day of the fact is day 1: it ends on D+29, or for working days
    on the N-th working day counting D itself when D is a working day). `roll` moves an end that
    falls on a non-working day to the next working day. `rows` is the statute's table where the
    minimum depends on the circumstances; `days` is then the minimum when none is claimed.
    """

    key: str
    kind: str
    days: int
    counted: str
    count: str
    roll: bool
    from_fact: str
    from_text: str
    rule: str
    meaning: str
    rows: tuple[PeriodRow, ...]

    @property
    def circumstances(self) -> frozenset[str]:
        """The circumstance names the rows of this period depend on."""
        return frozenset(name.lstrip("!") for row in self.rows for name in row.when)

    def row_for(self, circumstances: frozenset[str]) -> PeriodRow:
        """
        The row that sets the minimum: "the shortest minimum period ... that applies to the
        circumstances of the case" (PA 2023 s.54(3)-(4)). A period without a table has one row.
        """
        return min(
            (row for row in self.rows if row.applies(circumstances)), key=lambda row: row.days
        )


@dataclass(frozen=True)
class DueSpec:
    """A duty with a due date: the period that sets it and the fact that shows it is done."""

    period: str
    what: str
    done_fact: str
    states: tuple[str, ...]


@dataclass(frozen=True)
class NoticeSpec:
    """A notice an event triggers."""

    event: str
    notice: str
    rule: str


@dataclass(frozen=True)
class DesignLock:
    """
    A design section the call for competition fixed: after publication it changes only by the
    lawful `route` (a document revision with notice to all, or a contract change after award).
    """

    section: str
    what: str
    rule: str
    route: str


@dataclass(frozen=True)
class Threshold:
    """Procurement thresholds in force from a date."""

    from_date: date
    currency: str
    vat: str
    amounts: Mapping[str, Decimal]
    source: str


@dataclass(frozen=True)
class Rulebook:
    """One rulebook file: the law of one regime from one effective date, as data."""

    id: str
    title: str
    regime: str
    effective_from: date
    content_hash: str
    jurisdictions: tuple[str, ...]
    default_nation: str | None
    working_days: str
    initial_state: str
    design_event: str
    states: tuple[State, ...]
    events: tuple[Event, ...]
    rules: tuple[Rule, ...]
    periods: Mapping[str, Period]
    not_applicable: Mapping[str, str]
    dues: tuple[DueSpec, ...]
    notices: tuple[NoticeSpec, ...]
    design_locks: tuple[DesignLock, ...]
    thresholds: tuple[Threshold, ...]
    open_questions: tuple[str, ...]
    contract_events: tuple[ContractEvent, ...] = ()
    modification_grounds: tuple[ModificationGround, ...] = ()

    @property
    def circumstances(self) -> frozenset[str]:
        """
        The circumstances that choose a row of this rulebook's tables of minimum periods
        (PA 2023 s.54(3)-(4)); empty where the regime has no such table.
        """
        return frozenset().union(*(p.circumstances for p in self.periods.values()))

    def state(self, state_id: str) -> State | None:
        """The state called `state_id`, if any."""
        return next((s for s in self.states if s.id == state_id), None)

    def event(self, event_id: str) -> Event | None:
        """The event called `event_id`, if any."""
        return next((e for e in self.events if e.id == event_id), None)

    def contract_event(self, event_id: str) -> ContractEvent | None:
        """The contract event called `event_id`, if any."""
        return next((e for e in self.contract_events if e.id == event_id), None)

    def rule(self, rule_id: str) -> Rule:
        """The rule called `rule_id`; KeyError if the rulebook has none."""
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise KeyError(rule_id)

    def thresholds_on(self, day: date) -> Threshold:
        """The thresholds in force on `day`; KeyError when the rulebook declares none then."""
        in_force = [t for t in self.thresholds if t.from_date <= day]
        if not in_force:
            raise KeyError(f"{self.id} declares no thresholds in force on {day}")
        return max(in_force, key=lambda t: t.from_date)

    def leaves(self, event: Event, state_id: str) -> bool:
        """True when `event` can leave `state_id` (before its guards are run)."""
        state = self.state(state_id)
        if state is None or state.terminal:
            return False
        return "*" in event.sources or state_id in event.sources


@dataclass(frozen=True)
class Refusal:
    """An event the rulebook blocks now, with the rule, its citation and how to fix it."""

    event: str
    rule: str
    citation: str
    message: str
    fix: str
    field: str = ""


@dataclass(frozen=True)
class RuleWarning:
    """An allowed event that needs a recorded justification first."""

    event: str
    rule: str
    citation: str
    message: str
    justification: str
    field: str = ""


@dataclass(frozen=True)
class Evidence:
    """Evidence to capture for the audit file when an event happens (a RECORD rule)."""

    event: str
    rule: str
    citation: str
    evidence: str


@dataclass(frozen=True)
class Due:
    """A statutory date ahead (or missed): a notice, a payment or the end of a period."""

    date: date
    what: str
    rule: str
    citation: str
    overdue: bool


@dataclass(frozen=True)
class Evaluation:
    """What may happen next in one procurement, and why not where it may not."""

    state: str
    allowed: tuple[str, ...]
    refusals: tuple[Refusal, ...]
    warnings: tuple[RuleWarning, ...]
    evidence: tuple[Evidence, ...]
    next_due: Due | None


@dataclass(frozen=True)
class Decision:
    """One event assessed: refused, or allowed once these warnings are justified."""

    refusal: Refusal | None
    warnings: tuple[RuleWarning, ...]


@dataclass(frozen=True)
class Problem:
    """One problem in a procurement design, pointing to the field to change."""

    field: str
    rule: str
    citation: str
    level: Level
    message: str
    fix: str


@dataclass(frozen=True)
class Deadline:
    """The answer of the deadline calculator."""

    date: date
    meaning: str
    counted: str
    rule: str
    citation: str
    row: str = ""


@dataclass(frozen=True)
class ContractDue:
    """
    A duty one contract event starts or left open: a notice, a payment. `due_on` is None where
    the law sets no day (before the change is made; as soon as practicable); `when` says in
    plain words what the date means and how it was counted.
    """

    what: str
    rule: str
    citation: str
    due_on: date | None
    when: str
    overdue: bool = False


@dataclass(frozen=True)
class ContractDecision:
    """
    One contract event judged: every refusal (empty when it may happen), the warnings whose
    justification must be recorded, the evidence to capture, the duties it starts with their
    dates, and for a modification the contract's value after it.
    """

    event: str
    refusals: tuple[Refusal, ...]
    warnings: tuple[RuleWarning, ...]
    evidence: tuple[Evidence, ...]
    dues: tuple[ContractDue, ...]
    value_after: Decimal | None = None

    @property
    def allowed(self) -> bool:
        """True when no GUARD refuses the event (warnings still need their justification)."""
        return not self.refusals
