"""
The small named checks that rulebooks attach to events.

A rulebook says which guard runs before which event, under which rule id, citation and level;
the guard only says whether the facts satisfy it, and if not, what is wrong, which field it is
about and what would fix it. Guards are pure: `now` and the working-day calendar are passed in.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any, Protocol

from sanely.documents.wording import uk_instant
from sanely.procedure._calendars import WorkingDays
from sanely.procedure._deadlines import local_date, period_end
from sanely.procedure._facts import Criterion, Facts, Round
from sanely.procedure._model import Check, Rulebook


@dataclass(frozen=True)
class Failure:
    """Why a guard is not satisfied, and what would satisfy it."""

    message: str
    fix: str
    field: str = ""


@dataclass(frozen=True)
class GuardInput:
    """Everything a guard may look at."""

    facts: Facts
    check: Check
    rulebook: Rulebook
    now: datetime
    days: WorkingDays

    def param(self, name: str) -> Any:
        """A parameter of this check, as written in the rulebook."""
        return self.check.params[name]


Guard = Callable[[GuardInput], tuple[Failure, ...]]
GUARDS: dict[str, Guard] = {}
_OK: tuple[Failure, ...] = ()


def _guard(function: Guard) -> Guard:
    GUARDS[function.__name__] = function
    return function


def _fail(message: str, fix: str, field: str = "") -> tuple[Failure, ...]:
    return (Failure(message, fix, field),)


@_guard
def call_is_contract_notice(g: GuardInput) -> tuple[Failure, ...]:
    """The call for competition is a contract notice (a PIN cannot be one for an IP)."""
    if g.facts.call_for_competition == "contract_notice":
        return _OK
    return _fail(
        f"the call for competition is a {g.facts.call_for_competition.replace('_', ' ')}; "
        "an innovation partnership must be called with a contract notice",
        "publish a contract notice as the call for competition",
    )


@_guard
def need_stated(g: GuardInput) -> tuple[Failure, ...]:
    """The need, and why the market cannot meet it, are written down."""
    failures: list[Failure] = []
    if not g.facts.need_statement.strip():
        failures.append(
            Failure(
                "the procurement documents do not state the need for an innovative solution",
                "describe the need in the need statement",
                "need_statement",
            )
        )
    if not g.facts.market_unavailability.strip():
        failures.append(
            Failure(
                "the documents do not say why solutions already on the market cannot meet the need",
                "add the market-unavailability justification",
                "market_unavailability",
            )
        )
    return tuple(failures)


@_guard
def minimum_requirements_stated(g: GuardInput) -> tuple[Failure, ...]:
    """At least one minimum requirement every tender must meet."""
    if g.facts.minimum_requirements:
        return _OK
    return _fail(
        "no minimum requirements are stated",
        "list the minimum requirements that every tender must meet",
    )


def _day(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value


@_guard
def deadline_respects_period(g: GuardInput) -> tuple[Failure, ...]:
    """A deadline set in the facts is no earlier than the statutory minimum period allows."""
    period = g.rulebook.periods[g.param("period")]
    start: date | None = getattr(g.facts, period.from_fact)
    deadline: date | datetime | None = getattr(g.facts, g.param("fact"))
    if start is None:
        return _fail(
            f"the period cannot be checked without {period.from_text}",
            f"record {period.from_text}",
            period.from_fact,
        )
    if deadline is None:
        return _fail("no deadline is set", "set the deadline")
    earliest = period_end(period, start, g.days, g.facts.circumstances)
    if _day(deadline) >= earliest:
        return _OK
    gap = (_day(deadline) - start).days
    relation = f"{gap} days after" if gap >= 0 else f"{-gap} days before"
    length = period.row_for(g.facts.circumstances).days
    moved = earliest > start + timedelta(days=length)
    rolled = ", ending on the next working day" if moved else ""
    return _fail(
        f"the deadline {_day(deadline)} is {relation} {period.from_text} ({start}); "
        f"the minimum is {length} {period.counted} days{rolled}, so the earliest lawful "
        f"deadline is {earliest}",
        f"move the deadline to {earliest} or later",
    )


@_guard
def award_model_not_price_only(g: GuardInput) -> tuple[Failure, ...]:
    """The award model weighs quality, not price or cost alone."""
    if g.facts.award_model not in {"lowest_price", "lowest_cost"}:
        return _OK
    return _fail(
        f"the award model is {g.facts.award_model.replace('_', ' ')}; "
        "the contract must be awarded on the best price-quality ratio",
        "use a price-quality award model with quality criteria",
    )


def _points_failures(criteria: tuple[Criterion, ...]) -> list[Failure]:
    failures = [
        Failure(
            f"criterion {c.name!r} has weight {c.weight}; weights must be above 0",
            "give the criterion a positive weight or remove it",
            f"award_criteria[{i}].weight",
        )
        for i, c in enumerate(criteria)
        if c.weight <= 0
    ]
    total = sum((c.weight for c in criteria), Decimal(0))
    if total != 100:
        failures.append(
            Failure(
                f"the award criteria weights add up to {total}, not 100",
                "adjust the weights so that they add up to 100",
            )
        )
    return failures


def _range_failures(criteria: tuple[Criterion, ...]) -> list[Failure]:
    return [
        Failure(
            f"criterion {c.name!r} has the range {c.weight} to {c.weight_max}; a range runs from "
            "a weight above 0 to a higher or equal one",
            "give the criterion a range such as 20 to 30",
            f"award_criteria[{i}].weight_max",
        )
        for i, c in enumerate(criteria)
        if c.weight_max is None or not 0 < c.weight <= c.weight_max
    ]


@_guard
def award_importance_stated(g: GuardInput) -> tuple[Failure, ...]:
    """
    The relative importance of the award criteria is given in a way the regime allows
    (`methods`): points adding up to 100, ranges, a decreasing order of importance, or a
    description. `reason_for` names the methods that need a recorded reason or description.
    """
    criteria = g.facts.award_criteria
    if not criteria:
        return _fail("no award criteria are set", "add the award criteria with their weights")
    methods: list[str] = g.param("methods")
    method = g.facts.weighting
    if method not in methods:
        return _fail(
            f"the relative importance is given as {method}, which this regime does not provide for",
            f"give it as one of: {', '.join(methods)}",
            "weighting",
        )
    if method in g.param("reason_for") and not g.facts.weighting_reason.strip():
        return _fail(
            f"the relative importance is given as {method} without the recorded reason or "
            "description",
            g.param("reason_fix"),
            "weighting_reason",
        )
    if method == "points":
        return tuple(_points_failures(criteria))
    if method == "ranges":
        return tuple(_range_failures(criteria))
    return _OK


@_guard
def phases_planned(g: GuardInput) -> tuple[Failure, ...]:
    """At least one research-and-innovation phase is planned."""
    if g.facts.phases:
        return _OK
    return _fail("no phases are planned", "plan the successive phases of the partnership")


@_guard
def every_phase_has_target(g: GuardInput) -> tuple[Failure, ...]:
    """Each phase has at least one intermediate target."""
    return tuple(
        Failure(
            f"phase {i + 1} ({phase.name!r}) has no intermediate target",
            "add at least one measurable target to the phase",
            f"phases[{i}].targets",
        )
        for i, phase in enumerate(g.facts.phases)
        if not phase.targets
    )


@_guard
def every_phase_has_instalment(g: GuardInput) -> tuple[Failure, ...]:
    """Each phase is paid by at least one instalment."""
    return tuple(
        Failure(
            f"phase {i + 1} ({phase.name!r}) has no instalment",
            "link at least one instalment to the phase",
            f"phases[{i}].instalments",
        )
        for i, phase in enumerate(g.facts.phases)
        if phase.instalments < 1
    )


@_guard
def ipr_arrangements_defined(g: GuardInput) -> tuple[Failure, ...]:
    """The intellectual property arrangements are written down."""
    if g.facts.ipr_arrangements.strip():
        return _OK
    return _fail(
        "the intellectual property arrangements are not defined",
        "describe ownership, licences and exploitation of background and foreground IP",
    )


# What each tag a selection criterion may carry says it tests, in words.
_INNOVATION_TESTS = {
    "innovation_implementation": "the capacity to develop and implement innovative solutions",
    "rd_capacity": "research and development capacity",
}


@_guard
def selection_tests_innovation(g: GuardInput) -> tuple[Failure, ...]:
    """Selection criteria test R&D capacity and delivering innovative solutions."""
    missing = sorted(set(_INNOVATION_TESTS) - g.facts.selection_criteria_tags)
    if not missing:
        return _OK
    return _fail(
        f"no selection criterion tests {' or '.join(_INNOVATION_TESTS[tag] for tag in missing)}",
        "add selection criteria on research-and-development capacity and on developing and "
        "implementing innovative solutions",
    )


@_guard
def min_candidates_at_least(g: GuardInput) -> tuple[Failure, ...]:
    """A cap on candidates, if any, keeps at least the regime's minimum number."""
    minimum: int = g.param("minimum")
    chosen = g.facts.min_candidates
    if chosen is None or chosen >= minimum:
        return _OK
    return _fail(
        f"the minimum number of candidates to invite is {chosen}; it must be at least {minimum}",
        f"set the minimum number of candidates to {minimum} or more",
    )


@_guard
def deadline_passed(g: GuardInput) -> tuple[Failure, ...]:
    """The deadline for submissions has passed, so closing does not cut the period short."""
    deadline: datetime | None = getattr(g.facts, g.param("fact"))
    if deadline is not None and g.now >= deadline:
        return _OK
    return _fail(
        f"the deadline ({uk_instant(deadline) if deadline else 'not set'}) has not passed",
        "wait until the deadline has passed",
    )


@_guard
def invited_enough(g: GuardInput) -> tuple[Failure, ...]:
    """
    At least the announced minimum is invited, or every qualified candidate if fewer; with no
    announced minimum the number cannot be limited, so every qualified candidate is invited.
    """
    qualified = len(g.facts.qualified)
    announced = g.facts.min_candidates
    needed = (min(announced, qualified) if announced is not None else qualified) or 1
    if len(g.facts.invited) >= needed:
        return _OK
    why = (
        f"({qualified} qualified)"
        if announced is not None
        else f"({qualified} qualified, and with no minimum announced in the notice the number "
        "cannot be limited)"
    )
    return _fail(
        f"{len(g.facts.invited)} candidates are invited; at least {needed} must be {why}",
        f"invite at least {needed} qualified candidates",
    )


@_guard
def invited_only_qualified(g: GuardInput) -> tuple[Failure, ...]:
    """Only candidates that asked to take part and passed selection are invited."""
    outsiders = sorted(g.facts.invited - g.facts.qualified)
    if not outsiders:
        return _OK
    return _fail(
        f"{', '.join(outsiders)} did not qualify at selection and cannot be invited",
        "invite only candidates that submitted a request and passed selection",
    )


@_guard
def round_not_final(g: GuardInput) -> tuple[Failure, ...]:
    """
    Negotiation, and a further round of tenders, happen only before final tenders are invited
    (a round being opened is never the final one, so any final round is an earlier one).
    """
    final = next((r for r in g.facts.rounds if r.final), None)
    if final is None:
        return _OK
    return _fail(
        f"round {final.number} is the final-tender round: final tenders are not negotiated",
        "receive and evaluate the final tenders without negotiating them",
    )


@_guard
def final_round_held(g: GuardInput) -> tuple[Failure, ...]:
    """Tenders are evaluated only once the last round held is the final-tender round."""
    if g.facts.rounds and g.facts.rounds[-1].final:
        return _OK
    return _fail(
        "final tenders have not been invited",
        "invite final tenders and close negotiations first",
    )


@_guard
def earlier_rounds_closed(g: GuardInput) -> tuple[Failure, ...]:
    """A round (the last of `rounds`) opens only once every earlier round is closed."""
    rounds = g.facts.rounds
    still_open = [str(r.number) for r in rounds[:-1] if r.closed is False]
    if not still_open:
        return _OK
    what = "final tenders" if rounds[-1].final else "a further round of tenders"
    return _fail(
        f"round {', '.join(still_open)} is still open: {what} cannot be invited while an "
        "earlier round runs",
        "wait until the earlier round's deadline has passed and its tenders are in",
    )


def _dated_opening_round(facts: Facts) -> tuple[Round, date, date] | None:
    """The round being opened (the last one), its invitation day and deadline day, if recorded."""
    opening = facts.rounds[-1] if facts.rounds else None
    if opening is None or opening.invited_on is None or opening.deadline is None:
        return None
    return opening, opening.invited_on, _day(opening.deadline)


@_guard
def round_deadline_respects_period(g: GuardInput) -> tuple[Failure, ...]:
    """
    The round being opened (the last of `rounds`) gives at least the statutory tendering period
    (PA 2023 s.54(4)) in the recorded circumstances; nothing to check until both its invitation
    date and deadline are recorded.
    """
    period = g.rulebook.periods[g.param("period")]
    dated = _dated_opening_round(g.facts)
    if dated is None:
        return _OK
    opening, invited_on, deadline = dated
    row = period.row_for(g.facts.circumstances)
    earliest = period_end(period, invited_on, g.days, g.facts.circumstances)
    if deadline >= earliest:
        return _OK
    return _fail(
        f"round {opening.number}'s deadline {deadline} is earlier than {earliest}, the end of "
        f"the minimum tendering period of {row.days} days from the invitation on {invited_on} "
        f"({row.circumstance})",
        f"move the deadline to {earliest} or later, or record the circumstances that allow a "
        "shorter period",
    )


@_guard
def round_deadline_allows_time(g: GuardInput) -> tuple[Failure, ...]:
    """
    A round's deadline leaves tenderers at least `days` days, or the authority records why the
    shorter time allows for the complexity of the tender (a judgement, PCR 2015 reg 47(1)).
    """
    days: int = g.param("days")
    dated = _dated_opening_round(g.facts)
    if dated is None:
        return _OK
    opening, invited_on, deadline = dated
    given = (deadline - invited_on).days
    if given >= days:
        return _OK
    return _fail(
        f"round {opening.number} gives tenderers {given} days (invitation {invited_on}, "
        f"deadline {deadline}), less than the {days} days sanely asks a reason for",
        "record why this time allows for the complexity of the contract and the time needed "
        "to draw up tenders, or move the deadline",
    )


@_guard
def refinement_reserved(g: GuardInput) -> tuple[Failure, ...]:
    """Award criteria are refined only if the tender notice or documents provide for it."""
    if g.facts.refinement_reserved:
        return _OK
    return _fail(
        "the tender notice and associated tender documents do not provide for refining the "
        "award criteria",
        "keep the award criteria as published",
        "refinement_reserved",
    )


@_guard
def refinement_readmits_nobody(g: GuardInput) -> tuple[Failure, ...]:
    """A refinement would not have let a supplier that did not progress earlier through."""
    readmitted = sorted(g.facts.refinement_would_readmit)
    if not readmitted:
        return _OK
    return _fail(
        f"had the refined criteria been used earlier, {', '.join(readmitted)} would have "
        "progressed beyond an earlier round",
        "refine the criteria so that no earlier result would change, or keep them",
        "refinement_would_readmit",
    )


@_guard
def locked_items_unchanged(g: GuardInput) -> tuple[Failure, ...]:
    """Minimum requirements and award criteria are not changed during negotiation."""
    locked = sorted(g.facts.proposed_changes & {"minimum_requirements", "award_criteria"})
    if not locked:
        return _OK
    return _fail(
        " and ".join(item.replace("_", " ") for item in locked)
        + " cannot be negotiated or changed",
        "withdraw the change to the locked items; change only other documents",
    )


@_guard
def staged_reduction_announced(g: GuardInput) -> tuple[Failure, ...]:
    """Tenders are cut in stages only if the notice or documents announced it."""
    if g.facts.staged_reduction_announced:
        return _OK
    return _fail(
        "the notice and procurement documents did not announce that the number of tenders may "
        "be reduced in successive stages",
        "continue with every remaining tenderer",
    )


@_guard
def everyone_notified(g: GuardInput) -> tuple[Failure, ...]:
    """Every candidate or tenderer due a notice or summary has been sent one."""
    what: str = g.param("what")
    if g.facts.decision_notices_sent_on is not None and not g.facts.not_yet_notified:
        return _OK
    waiting = ", ".join(sorted(g.facts.not_yet_notified)) or "every recipient"
    return _fail(f"the {what} has not been sent to {waiting}", f"send the {what} to {waiting}")


@_guard
def period_over(g: GuardInput) -> tuple[Failure, ...]:
    """A period counted from a fact (a standstill) has ended before `now`."""
    period = g.rulebook.periods[g.param("period")]
    start: date | None = getattr(g.facts, period.from_fact)
    if start is None:
        return _fail(
            f"the period has not started: {period.from_text} is not recorded",
            f"record {period.from_text}",
        )
    last = period_end(period, start, g.days)
    if local_date(g.now, g.facts.nation) > last:
        return _OK
    return _fail(
        f"the {g.param('period').replace('_', ' ')} runs until the end of {last}",
        f"wait until {last} has ended",
    )


@_guard
def performance_and_max_cost_set(g: GuardInput) -> tuple[Failure, ...]:
    """Performance levels and a maximum cost for the purchase are agreed."""
    failures = []
    if not g.facts.performance_levels:
        failures.append(
            Failure(
                "no performance levels are agreed for the purchase",
                "record the agreed performance levels",
                "performance_levels",
            )
        )
    if g.facts.max_cost is None:
        failures.append(
            Failure("no maximum cost is agreed", "record the agreed maximum cost", "max_cost")
        )
    return tuple(failures)


@_guard
def gate_targets_assessed(g: GuardInput) -> tuple[Failure, ...]:
    """A gate decision rests on a recorded assessment of the phase's targets."""
    if g.facts.gate_targets_assessed:
        return _OK
    return _fail(
        "the phase's intermediate targets have not been assessed",
        "record the assessment of each target before deciding at the gate",
    )


@_guard
def reduction_option_announced(g: GuardInput) -> tuple[Failure, ...]:
    """Partners are reduced only if announced with conditions, and more than one remains."""
    if not g.facts.reduction_option_announced:
        return _fail(
            "the procurement documents did not announce the option to reduce the number of "
            "partners, with its conditions",
            "continue with every partner; the option cannot be added after the notice",
        )
    if g.facts.active_partners < 2:
        return _fail(
            "only one partner remains, so there is nobody to reduce",
            "decide to continue or to end the partnership",
        )
    return _OK


@_guard
def termination_option_announced(g: GuardInput) -> tuple[Failure, ...]:
    """The partnership is ended at a gate only if the documents announced it, with conditions."""
    if g.facts.termination_option_announced:
        return _OK
    return _fail(
        "the procurement documents did not announce the option to end the partnership after "
        "a phase, with its conditions",
        "continue the partnership, or end it under the contract's general terms with legal advice",
    )


@_guard
def purchase_conditions_met(g: GuardInput) -> tuple[Failure, ...]:
    """The purchase follows only if performance levels are met and price is within max cost."""
    failures = []
    if not g.facts.performance_levels_met:
        failures.append(
            Failure(
                "the agreed performance levels have not been shown to be met",
                "record evidence that every performance level is met",
                "performance_levels_met",
            )
        )
    price, ceiling = g.facts.purchase_price, g.facts.max_cost
    if price is None or ceiling is None or price > ceiling:
        failures.append(
            Failure(
                f"the purchase price ({price}) is not within the agreed maximum cost ({ceiling})",
                "agree a price no higher than the maximum cost",
                "purchase_price",
            )
        )
    return tuple(failures)


class HasParams(Protocol):
    """What `needs_judgement` reads: the check's parameters (procurement and contract guards)."""

    def param(self, name: str) -> Any: ...


def needs_judgement(g: HasParams) -> tuple[Failure, ...]:
    """A matter of judgement: always asks for a recorded justification."""
    return _fail(g.param("question"), g.param("justification"))


# Registered by hand: the contract guards share it (_contract_guards.py).
GUARDS["needs_judgement"] = needs_judgement


@_guard
def conflicts_assessment_complete(g: GuardInput) -> tuple[Failure, ...]:
    """The conflicts assessment is complete before the tender notice."""
    if g.facts.conflicts_assessment_complete:
        return _OK
    return _fail(
        "the conflicts assessment has not been completed",
        "complete the conflicts assessment before publishing the tender notice",
    )


@_guard
def pme_notice_or_reasons(g: GuardInput) -> tuple[Failure, ...]:
    """Market engagement was announced by a notice, or reasons are given."""
    if not g.facts.pme_done or g.facts.pme_notice_published or g.facts.pme_reasons.strip():
        return _OK
    return _fail(
        "preliminary market engagement took place without a notice or reasons",
        "publish a preliminary market engagement notice, or give reasons in the tender notice",
        "pme_reasons",
    )


@_guard
def award_notice_published(g: GuardInput) -> tuple[Failure, ...]:
    """The contract award notice is published before the contract is entered into."""
    if g.facts.contract_award_notice_published_on is not None:
        return _OK
    return _fail(
        "the contract award notice has not been published",
        "publish the contract award notice and observe the standstill",
    )


@_guard
def kpis_set_above(g: GuardInput) -> tuple[Failure, ...]:
    """
    Before entering into a contract worth more than `amount`, at least three KPIs are set, unless
    the authority recorded that performance could not appropriately be assessed by KPIs. Each
    partner contract counts on its own value; the estimated value stands in until they are known.
    """
    amount = Decimal(g.param("amount"))
    known = g.facts.partner_contract_values
    values = known or ((g.facts.estimated_value,) if g.facts.estimated_value is not None else ())
    above = [v for v in values if v > amount]
    if not above or len(g.facts.kpis) >= 3 or g.facts.kpis_not_appropriate_reason.strip():
        return _OK
    which = "a partner contract" if known else "the estimated value"
    return _fail(
        f"{which} is worth {max(above)}, above {amount}, but only {len(g.facts.kpis)} KPIs are set",
        "set at least three key performance indicators, or record why the supplier's "
        "performance could not appropriately be assessed by KPIs",
    )


@_guard
def procedure_described(g: GuardInput) -> tuple[Failure, ...]:
    """The tender notice documents describe the procedure: rounds, down-selection, phases."""
    if g.facts.procedure_description.strip():
        return _OK
    return _fail(
        "the procedure is not described",
        "describe the rounds, down-selection, negotiation, phases, gates and instalments",
    )
