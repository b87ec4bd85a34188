"""
Apply a rulebook to one partner contract after award.

`decide_contract` judges one contract event (a claim, a payment, a change, the purchase, the end
of the contract, a performance assessment) on the contract's facts and the request: every
refusal with its rule, citation and fix, the warnings to justify, the evidence to keep, and the
duties the event starts with their dates. `contract_dues` lists what is still open for the
contract. Nothing here reads a clock or stores anything: callers pass the facts and `now`.
"""

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from sanely.procedure._calendars import WorkingDays
from sanely.procedure._contract_guards import CONTRACT_GUARDS, ContractInput
from sanely.procedure._contracts import (
    REQUEST_KINDS,
    ContractFacts,
    ContractRequest,
    Ending,
    Modification,
)
from sanely.procedure._deadlines import local_date, working_days_for
from sanely.procedure._duties import DUTIES, Dated
from sanely.procedure._errors import InvalidFactsError, UnknownEventError
from sanely.procedure._machine import LIFECYCLE_RULE
from sanely.procedure._model import (
    Check,
    ContractDecision,
    ContractDue,
    ContractEvent,
    Duty,
    Evidence,
    Level,
    Refusal,
    Rule,
    Rulebook,
    RuleWarning,
)
from sanely.procedure.contract_events import MODIFY_CONTRACT


@dataclass(frozen=True)
class _Context:
    rulebook: Rulebook
    facts: ContractFacts
    today: date
    days: WorkingDays

    def view(
        self, facts: ContractFacts, request: ContractRequest | None, params: Mapping[str, Any]
    ) -> ContractInput:
        """What one guard or duty sees."""
        return ContractInput(facts, request, params, self.rulebook, self.today, self.days)


@dataclass(frozen=True)
class _Judged:
    refusals: tuple[Refusal, ...]
    warnings: tuple[RuleWarning, ...]
    evidence: tuple[Evidence, ...]


def _context(rulebook: Rulebook, facts: ContractFacts, now: datetime) -> _Context:
    days = working_days_for(rulebook, facts.nation)
    return _Context(rulebook, facts, local_date(now, facts.nation), days)


def _event(rulebook: Rulebook, event: str) -> ContractEvent:
    found = rulebook.contract_event(event)
    if found is None:
        known = ", ".join(e.id for e in rulebook.contract_events)
        raise UnknownEventError(
            f"{rulebook.id} has no contract event {event!r}: use one of {known}"
        )
    return found


def _require_request(rulebook: Rulebook, event: ContractEvent, request: ContractRequest) -> None:
    expected = REQUEST_KINDS[event.request]
    if not isinstance(request, expected):
        raise InvalidFactsError(
            f"{event.id} judges a {event.request}: pass a {expected.__name__}, "
            f"not a {type(request).__name__}"
        )
    grounds = [g.id for g in rulebook.modification_grounds]
    if isinstance(request, Modification) and request.ground not in grounds:
        raise InvalidFactsError(
            f"ground is {request.ground!r}; under {rulebook.id} use one of {', '.join(grounds)}"
        )


def _binds(params: Mapping[str, Any], facts: ContractFacts) -> bool:
    """A check or duty `not_for` some kinds of authority does not bind them."""
    return not facts.authority & set(params.get("not_for", ()))


def _applies(check: Check, facts: ContractFacts, request: ContractRequest) -> bool:
    """
    A check binds the authority, and one written for one modification ground or one way of
    ending applies only to it.
    """
    if not _binds(check.params, facts):
        return False
    if "ground" in check.params:
        return isinstance(request, Modification) and request.ground == check.params["ground"]
    if "route" in check.params:
        return isinstance(request, Ending) and request.route == check.params["route"]
    return True


def _ended(context: _Context, event: ContractEvent) -> Refusal | None:
    ending = context.facts.ending
    if not event.live or ending is None:
        return None
    return Refusal(
        event.id,
        LIFECYCLE_RULE,
        f"{context.rulebook.title}: the contract's life",
        f"{event.label!r} is not possible: the contract ended on {ending.ended_on}",
        "a contract that has ended is not changed, bought under or ended again",
        "ending",
    )


def _due(rule: Rule, duty: Duty, dated: Dated, today: date) -> ContractDue:
    what = f"{duty.what}: {dated.subject}" if dated.subject else duty.what
    overdue = dated.due_on is not None and (dated.done_on or today) > dated.due_on
    return ContractDue(what, rule.id, rule.citation, dated.due_on, dated.when, overdue)


def _dated(
    context: _Context, facts: ContractFacts, item: ContractRequest | None, duty: Duty
) -> tuple[Dated, ...]:
    if not _binds(duty.params, facts):
        return ()
    return DUTIES[duty.duty].function(context.view(facts, item, duty.params))


def _judge(context: _Context, event: str, request: ContractRequest) -> _Judged:
    """Every check on `event` that applies to `request`, as refusals, warnings and evidence."""
    facts = context.facts
    refusals: list[Refusal] = []
    warnings: list[RuleWarning] = []
    evidence: list[Evidence] = []
    for rule in context.rulebook.rules:
        for check in (c for c in rule.checks if c.event == event and _applies(c, facts, request)):
            if rule.level is Level.RECORD:
                evidence.append(Evidence(event, rule.id, rule.citation, rule.evidence))
                continue
            guard = CONTRACT_GUARDS[check.guard].function
            for failure in guard(context.view(facts, request, check.params)):
                said = (event, rule.id, rule.citation, failure.message, failure.fix)
                field = failure.field or check.field
                if rule.level is Level.GUARD:
                    refusals.append(Refusal(*said, field))
                elif rule.id not in facts.justifications:
                    warnings.append(RuleWarning(*said, field))
    return _Judged(tuple(refusals), tuple(warnings), tuple(evidence))


def decide_contract(
    rulebook: Rulebook,
    facts: ContractFacts,
    event: str,
    now: datetime,
    request: ContractRequest,
) -> ContractDecision:
    """
    One contract event judged on the contract's `facts` and the `request` (the `Claim`,
    `Modification`, `Purchase`, `Ending` or `Assessment` its rulebook entry names).

    Returns every refusal of a GUARD rule (the event is allowed when there is none), the WARN
    rules whose justification is not yet in `facts.justifications`, the evidence RECORD rules
    ask for, the duties the event starts with their dates, and for a modification the contract's
    value after it. Raises UnknownEventError for an event the rulebook does not declare and
    InvalidFactsError for a request of the wrong kind or an unknown modification ground.
    """
    found = _event(rulebook, event)
    _require_request(rulebook, found, request)
    context = _context(rulebook, facts, now)
    value_after = (
        facts.current_value + request.value_change if isinstance(request, Modification) else None
    )
    ended = _ended(context, found)
    if ended is not None:
        return ContractDecision(event, (ended,), (), (), (), value_after)
    judged = _judge(context, event, request)
    dues = tuple(
        _due(rule, duty, dated, context.today)
        for rule in rulebook.rules
        for duty in rule.duties
        if duty.event == event
        for dated in _dated(context, facts, request, duty)
    )
    return ContractDecision(
        event, judged.refusals, judged.warnings, judged.evidence, dues, value_after
    )


def contract_dues(
    rulebook: Rulebook, facts: ContractFacts, now: datetime
) -> tuple[ContractDue, ...]:
    """
    Every duty still open for the contract ("what happens next"): payments not yet made,
    notices not yet published, the next performance assessment; overdue ones first, then by
    date, then those the law gives no day.
    """
    context = _context(rulebook, facts, now)
    open_dues: list[ContractDue] = []
    seen: set[tuple[str, str]] = set()
    for rule in rulebook.rules:
        for duty in rule.duties:
            if (rule.id, duty.duty) in seen:
                continue  # one duty attached to two events (a claim and its payment) counts once
            seen.add((rule.id, duty.duty))
            registered = DUTIES[duty.duty]
            if registered.recurring:
                occurrences = _dated(context, facts, None, duty)
            else:
                occurrences = tuple(
                    dated
                    for index, item in enumerate(facts.items(registered.request))
                    for dated in _dated(
                        context, facts.before(registered.request, index), item, duty
                    )
                )
            open_dues += [
                _due(rule, duty, dated, context.today)
                for dated in occurrences
                if dated.done_on is None
            ]
    return tuple(sorted(open_dues, key=lambda d: (not d.overdue, d.due_on or date.max, d.what)))


def classify_modification(
    rulebook: Rulebook, facts: ContractFacts, change: Modification, now: datetime
) -> dict[str, ContractDecision]:
    """
    The change judged on every modification ground the regime has, ground id -> decision, in
    the rulebook's order: the grounds whose decision has no refusal permit it.
    """
    return {
        ground.id: decide_contract(
            rulebook, facts, MODIFY_CONTRACT, now, replace(change, ground=ground.id)
        )
        for ground in rulebook.modification_grounds
    }
