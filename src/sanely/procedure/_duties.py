"""
The named duties that rulebooks attach to contract events: what a claim, a change or the end of
a contract obliges the authority to do next, and by when.

A rule's `duties` say which duty an event starts, under which rule and with which figures and
periods; the function here only dates it for one request (a claim, a change, the ending). Each
returns the occurrences it finds, with the day it was done where the facts record it, so the
engine can show what a decision starts and what is still open.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from sanely.procedure._contract_guards import ContractInput, change_notice_required
from sanely.procedure._contracts import Assessment, ContractFacts


@dataclass(frozen=True)
class Dated:
    """
    One occurrence of a duty: the day it is due (None where the law sets no day), what that
    means, the day it was done if recorded, and what it is about (a claim's key).
    """

    due_on: date | None
    when: str
    done_on: date | None = None
    subject: str = ""


DutyFunction = Callable[[ContractInput], tuple[Dated, ...]]


@dataclass(frozen=True)
class RegisteredDuty:
    """
    A duty function, the kind of request it reads, and whether it is `recurring`: dated once for
    the whole contract (the next annual assessment) rather than once per stored request.
    """

    function: DutyFunction
    request: str
    recurring: bool = False


DUTIES: dict[str, RegisteredDuty] = {}


def _duty(request: str, *, recurring: bool = False) -> Callable[[DutyFunction], DutyFunction]:
    def register(function: DutyFunction) -> DutyFunction:
        DUTIES[function.__name__] = RegisteredDuty(function, request, recurring)
        return function

    return register


@_duty("claim")
def payment_due(g: ContractInput) -> tuple[Dated, ...]:
    """
    Pay the claim within the `period` from the latest recorded of the dates named in `from`
    (the first of which must be recorded); none while the invoice is disputed.
    """
    claim = g.claim
    if claim.disputed:
        return ()
    first, *later = g.param("from")
    started: date | None = getattr(claim, first)
    if started is None:
        waiting = f"no date yet: record {g.period.from_text}"
        return (Dated(None, waiting, claim.paid_on, claim.key),)
    recorded = [day for day in (getattr(claim, name) for name in later) if day is not None]
    due_on, when = g.dated(max([started, *recorded]))
    return (Dated(due_on, when, claim.paid_on, claim.key),)


@_duty("claim")
def dispute_notice(g: ContractInput) -> tuple[Dated, ...]:
    """Tell the partner, as the rulebook's `when` says, that its invoice is disputed."""
    claim = g.claim
    if not claim.disputed:
        return ()
    return (Dated(None, g.param("when"), claim.dispute_notified_on, claim.key),)


@_duty("ending")
def termination_notice(g: ContractInput) -> tuple[Dated, ...]:
    """Publish the contract termination notice within the `period` from the day it ended."""
    due_on, when = g.dated(g.ending.ended_on)
    return (Dated(due_on, when, g.ending.notice_published_on),)


def kpis_set_under_the_threshold_rule(facts: ContractFacts, amount: int) -> bool:
    """
    PA 2023 s.71(1): the KPI duties apply where KPIs were set under s.52(1), that is for a
    contract worth more than `amount` when entered into, unless the authority recorded that KPIs
    could not appropriately assess performance (s.52(2)).
    """
    return (
        facts.value_as_awarded > amount
        and bool(facts.kpis)
        and not facts.kpis_not_appropriate_reason.strip()
    )


@_duty("ending")
def assessment_on_ending(g: ContractInput) -> tuple[Dated, ...]:
    """Assess performance against the KPIs, and publish it, on termination."""
    if not kpis_set_under_the_threshold_rule(g.facts, g.param("amount")):
        return ()
    ending = g.ending
    return (Dated(ending.ended_on, g.param("when"), ending.assessment_published_on),)


@_duty("assessment", recurring=True)
def annual_assessment(g: ContractInput) -> tuple[Dated, ...]:
    """
    While the contract runs, the next assessment against the KPIs is due within the `period`
    beginning with the day of entry into the contract or of the latest assessment.
    """
    facts = g.facts
    if facts.ending is not None or not kpis_set_under_the_threshold_rule(facts, g.param("amount")):
        return ()
    assessed = [a.assessed_on for a in facts.assessments]
    if isinstance(g.request, Assessment):
        assessed.append(g.request.assessed_on)
    due_on, when = g.dated(max([facts.concluded_on, *assessed]))
    return (Dated(due_on, when),)


@_duty("modification")
def change_notice(g: ContractInput) -> tuple[Dated, ...]:
    """Publish the contract change notice before the change, where it is not exempt."""
    change = g.change
    if not change_notice_required(g.facts, change, g.params):
        return ()
    return (Dated(change.made_on, g.param("when"), change.change_notice_published_on, change.key),)


@_duty("modification")
def modified_contract_copy(g: ContractInput) -> tuple[Dated, ...]:
    """
    After a change that needed a contract change notice on a contract worth more than `amount`
    before or after it, publish the contract as modified (or the modification) within `period`.
    """
    change, facts = g.change, g.facts
    after = facts.current_value + change.value_change
    needed = change_notice_required(facts, change, g.params)
    if not needed or max(facts.current_value, after) <= g.param("amount"):
        return ()
    if change.made_on is None:
        waiting = f"within {g.period.days} days beginning with the day the change is made"
        return (Dated(None, waiting, change.contract_published_on, change.key),)
    due_on, when = g.dated(change.made_on)
    return (Dated(due_on, when, change.contract_published_on, change.key),)


@_duty("modification")
def modification_notice(g: ContractInput) -> tuple[Dated, ...]:
    """After a change on one of the `grounds`, send the modification notice for publication."""
    change = g.change
    if change.ground not in g.param("grounds"):
        return ()
    return (Dated(None, g.param("when"), change.notice_sent_on, change.key),)
