"""
The named checks that rulebooks attach to contract events (a claim, a change, the purchase, the
end of a contract).

As for the procurement's guards, the rulebook says which guard runs before which event, under
which rule, citation and level, with which figures (50 per cent, 10 per cent, the threshold);
the guard only says whether the contract's facts and the request satisfy it, and if not what is
wrong, which field it is about and what would fix it. Each guard reads one kind of request,
which the loader matches against the event's.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, cast

from sanely.procedure._calendars import WorkingDays
from sanely.procedure._contracts import (
    GATE_DECISIONS,
    SUBSTANTIAL_TESTS,
    Claim,
    ContractFacts,
    ContractRequest,
    Ending,
    Modification,
    Purchase,
)
from sanely.procedure._deadlines import describe, period_end
from sanely.procedure._guards import Failure, needs_judgement
from sanely.procedure._model import Period, Rulebook


@dataclass(frozen=True)
class ContractInput:
    """
    Everything a contract guard or duty may look at: the contract, the request (None for a
    recurring duty dated for the whole contract), the parameters the rulebook gives the check or
    duty, the rulebook, the authority's date `today` and its working days.
    """

    facts: ContractFacts
    request: ContractRequest | None
    params: Mapping[str, Any]
    rulebook: Rulebook
    today: date
    days: WorkingDays

    def param(self, name: str) -> Any:
        """A parameter of this check or duty, as written in the rulebook."""
        return self.params[name]

    @property
    def period(self) -> Period:
        """The rulebook period the check or duty names."""
        return self.rulebook.periods[self.param("period")]

    def dated(self, start: date) -> tuple[date, str]:
        """The last day of the named period counted from `start`, and what it means."""
        end = period_end(self.period, start, self.days)
        return end, describe(self.period, start, end, self.days)

    # The loader only attaches a guard or duty to events whose request is of its kind.
    @property
    def claim(self) -> Claim:
        return cast(Claim, self.request)

    @property
    def change(self) -> Modification:
        return cast(Modification, self.request)

    @property
    def purchase(self) -> Purchase:
        return cast(Purchase, self.request)

    @property
    def ending(self) -> Ending:
        return cast(Ending, self.request)


ContractGuard = Callable[[ContractInput], tuple[Failure, ...]]


@dataclass(frozen=True)
class Registered:
    """A contract guard and the kind of request it reads (None: any)."""

    function: ContractGuard
    request: str | None


CONTRACT_GUARDS: dict[str, Registered] = {"needs_judgement": Registered(needs_judgement, None)}
_OK: tuple[Failure, ...] = ()


def _guard(request: str) -> Callable[[ContractGuard], ContractGuard]:
    def register(function: ContractGuard) -> ContractGuard:
        CONTRACT_GUARDS[function.__name__] = Registered(function, request)
        return function

    return register


def _fail(message: str, fix: str, field: str) -> tuple[Failure, ...]:
    return (Failure(message, fix, field),)


def money(amount: Decimal) -> str:
    """An amount as the messages show it: thousands separated, pence only when there are some."""
    return f"{amount:,.2f}".removesuffix(".00")


def _percent_of(amount: Decimal, percent: int) -> Decimal:
    return amount * percent / 100


@_guard("claim")
def claim_within_phase_budget(g: ContractInput) -> tuple[Failure, ...]:
    """The claim fits in what remains of its phase's maximum value."""
    claim = g.claim
    phase = next((p for p in g.facts.phases if p.key == claim.phase), None)
    if phase is None:
        known = ", ".join(p.key for p in g.facts.phases) or "none recorded"
        return _fail(
            f"claim {claim.key} is for phase {claim.phase!r}, which the contract does not have",
            f"claim against one of the contract's phases ({known})",
            "phase",
        )
    earlier = sum(
        (c.amount for c in g.facts.claims if c.phase == phase.key and c.key != claim.key),
        Decimal(0),
    )
    remaining = phase.max_value - earlier
    if claim.amount <= remaining:
        return _OK
    return _fail(
        f"claim {claim.key} asks for {money(claim.amount)}, but only {money(remaining)} remains "
        f"of phase {phase.key!r}'s maximum value of {money(phase.max_value)} "
        f"({money(earlier)} already claimed)",
        f"claim {money(remaining)} or less, or change the phase's maximum value by a lawful "
        "modification first",
        "amount",
    )


@_guard("claim")
def claim_condition_met_or_approved(g: ContractInput) -> tuple[Failure, ...]:
    """The instalment's condition is met by recorded evidence, or a gate decision approved it."""
    if g.claim.condition_met or g.claim.gate_approved:
        return _OK
    return _fail(
        f"the condition of the instalment claimed by {g.claim.key} is not met by recorded "
        "evidence, and no gate decision approved the instalment",
        "record the evidence that meets the condition, or a gate decision approving the "
        "instalment with its reasons",
        "condition_met",
    )


@_guard("modification")
def change_provided_for(g: ContractInput) -> tuple[Failure, ...]:
    """The change is of a kind the contract's clauses (and notice) unambiguously provide for."""
    kind = g.change.kind
    if kind and kind in g.facts.provided_for:
        return _OK
    provided = ", ".join(sorted(g.facts.provided_for)) or "nothing recorded"
    what = f"a change of {kind!r}" if kind else "this change (its kind is not given)"
    return _fail(
        f"{g.param('what')} do not unambiguously provide for {what}; they provide for: {provided}",
        "name the clause's kind of change in `kind`, or rely on another ground",
        "kind",
    )


@_guard("modification")
def overall_nature_kept(g: ContractInput) -> tuple[Failure, ...]:
    """The change does not alter the overall nature of the contract."""
    if not g.change.changes_overall_nature:
        return _OK
    return _fail(
        "the authority considers that the change would alter the overall nature of the contract",
        "a change of the contract's overall nature needs a new procurement",
        "changes_overall_nature",
    )


_BASES = {
    "current": "contract's value before this change",
    "initial": "initial contract value",
}


@_guard("modification")
def increase_within_percent(g: ContractInput) -> tuple[Failure, ...]:
    """
    This change alone increases the value by no more than `percent` of the `base`: the value just
    before it (PA 2023 Sch 8) or the initial value (PCR/PCSR reg 72(1)(b)-(c), (2)(a), (7)).
    """
    percent: int = g.param("percent")
    base: str = g.param("base")
    base_value = g.facts.current_value if base == "current" else g.facts.initial_value
    limit = _percent_of(base_value, percent)
    increase = max(g.change.value_change, Decimal(0))
    if increase <= limit:
        return _OK
    return _fail(
        f"the increase of {money(increase)} is more than {percent}% of the {_BASES[base]}, "
        f"{money(base_value)}: at most {money(limit)} is allowed for one modification",
        f"increase the value by {money(limit)} or less, or procure the rest anew",
        "value_change",
    )


@_guard("modification")
def not_substantial(g: ContractInput) -> tuple[Failure, ...]:
    """
    None of the regime's substantial-modification `tests` is met, and where the regime has a term
    test (`term_percent`, PA 2023 s.74(3)(a)) the term moves by no more than that share of the
    maximum term provided for on award.
    """
    change = g.change
    failures = [
        Failure(
            f"the authority considers that {SUBSTANTIAL_TESTS[test]}, so the change is substantial",
            "a substantial change needs a new procurement, or another ground that permits it",
            "substantial",
        )
        for test in g.param("tests")
        if test in change.substantial
    ]
    term_percent: int | None = g.params.get("term_percent")
    if term_percent is not None and change.term_change_days:
        moved = abs(change.term_change_days)
        longest = g.facts.max_term_days
        if longest is None:
            failures.append(
                Failure(
                    f"the term changes by {moved} days, but the maximum term provided for on "
                    "award is not recorded",
                    "record the contract's maximum term in days",
                    "max_term_days",
                )
            )
        elif moved * 100 > term_percent * longest:
            failures.append(
                Failure(
                    f"the term changes by {moved} days, more than {term_percent}% of the "
                    f"maximum term of {longest} days provided for on award "
                    f"({longest * term_percent / 100:g} days), so the change is substantial",
                    f"change the term by {longest * term_percent // 100} days or less",
                    "term_change_days",
                )
            )
    return tuple(failures)


def _share(g: ContractInput) -> int:
    """The regime's share of the value for this contract: works, or goods, services, supplies."""
    return int(g.param("percent_works") if g.facts.works else g.param("percent"))


def _threshold_missing() -> Failure:
    return Failure(
        "the threshold amount for this type of contract is not recorded",
        "record the threshold amount that applies to the contract",
        "threshold",
    )


@_guard("modification")
def below_threshold_change(g: ContractInput) -> tuple[Failure, ...]:
    """
    PA 2023 s.74(4), (6): this change moves the value by no more than 10 per cent (15 for works)
    of the value before it; the below-threshold modifications' aggregated value (the increases
    they brought) stays under the threshold amount; the scope does not materially change.
    """
    change, facts = g.change, g.facts
    failures: list[Failure] = []
    share = _share(g)
    limit = _percent_of(facts.current_value, share)
    moved = abs(change.value_change)
    if moved > limit:
        failures.append(
            Failure(
                f"the change of {money(moved)} is more than {share}% of the estimated value "
                f"before it, {money(facts.current_value)} (at most {money(limit)})",
                f"change the value by {money(limit)} or less, or rely on another ground",
                "value_change",
            )
        )
    if facts.threshold is None:
        failures.append(_threshold_missing())
    else:
        earlier = sum(
            (
                max(m.value_change, Decimal(0))
                for m in facts.modifications
                if m.ground == change.ground
            ),
            Decimal(0),
        )
        aggregated = earlier + max(change.value_change, Decimal(0))
        if aggregated >= facts.threshold:
            failures.append(
                Failure(
                    f"the below-threshold modifications would add {money(aggregated)} to the "
                    f"contract ({money(earlier)} earlier and {money(aggregated - earlier)} now), "
                    f"which is not less than the threshold amount of {money(facts.threshold)}",
                    "rely on another ground, or procure the rest anew",
                    "value_change",
                )
            )
    if "material_scope_change" in change.substantial:
        failures.append(
            Failure(
                "the authority considers that the change materially changes the scope of the "
                "contract, which a below-threshold modification may not do",
                "rely on another ground, or procure the new scope anew",
                "substantial",
            )
        )
    return tuple(failures)


@_guard("modification")
def de_minimis_change(g: ContractInput) -> tuple[Failure, ...]:
    """
    PCR/PCSR reg 72(5)-(7): the net cumulative value of the successive de minimis modifications,
    this one included, is below both the threshold and 10 per cent (15 for works) of the initial
    contract value.
    """
    change, facts = g.change, g.facts
    earlier = [m for m in facts.modifications if m.ground == change.ground]
    earlier_net = sum((m.value_change for m in earlier), Decimal(0))
    value = abs(earlier_net + change.value_change)
    series = (
        f"{money(value)} ({len(earlier)} earlier netting {money(earlier_net)}, and "
        f"{money(change.value_change)} now)"
    )
    failures: list[Failure] = []
    if facts.threshold is None:
        failures.append(_threshold_missing())
    elif value >= facts.threshold:
        failures.append(
            Failure(
                f"the net cumulative value of the successive modifications is {series}, not "
                f"below the threshold of {money(facts.threshold)}",
                "rely on another ground, or procure the rest anew",
                "value_change",
            )
        )
    share = _share(g)
    limit = _percent_of(facts.initial_value, share)
    if value >= limit:
        failures.append(
            Failure(
                f"the net cumulative value of the successive modifications is {series}, not "
                f"below {share}% of the initial contract value of {money(facts.initial_value)} "
                f"({money(limit)})",
                "rely on another ground, or procure the rest anew",
                "value_change",
            )
        )
    return tuple(failures)


@_guard("modification")
def contractor_change_allowed(g: ContractInput) -> tuple[Failure, ...]:
    """Another supplier replaces the partner only on the regime's `grounds` for it."""
    grounds: list[str] = g.param("grounds")
    if not g.change.replaces_contractor or g.change.ground in grounds:
        return _OK
    labels = [ground.label for ground in g.rulebook.modification_grounds if ground.id in grounds]
    return _fail(
        "the change replaces the partner with another supplier, which the law allows only as "
        + " or ".join(labels),
        "keep the partner, or rely on that ground if it applies; otherwise procure anew",
        "replaces_contractor",
    )


@_guard("modification")
def replacement_basis(g: ContractInput) -> tuple[Failure, ...]:
    """
    A new supplier takes the partner's place by a review clause (where `clause_allowed`) or
    following a corporate restructuring, and is `suitable` (meets the selection criteria first
    set under PCR; is not an excluded supplier under the Act).
    """
    change = g.change
    if g.param("clause_allowed") and change.kind in g.facts.provided_for:
        return _OK
    if not change.restructuring:
        return _fail(
            f"the new supplier's place rests on neither {g.param('basis')}",
            "record the restructuring (or the clause) the replacement follows, or keep the partner",
            "restructuring",
        )
    if change.new_contractor_suitable:
        return _OK
    return _fail(
        f"the new supplier is not recorded as one that {g.param('suitable')}",
        "check the new supplier and record the result before the change",
        "new_contractor_suitable",
    )


def change_notice_required(facts: ContractFacts, change: Modification, params: Any) -> bool:
    """
    PA 2023 s.75(1)-(2): a contract change notice is needed before the change, unless it moves
    the value by no more than `percent` (`percent_works` for works) and the term by no more than
    `term_percent` of the maximum term; never exempt on the grounds in `always_for`. A change of
    term is measured only when the maximum term is recorded; without it, any term change needs
    the notice.
    """
    if change.ground in params["always_for"]:
        return True
    share = params["percent_works"] if facts.works else params["percent"]
    value_within = abs(change.value_change) * 100 <= share * facts.current_value
    moved = abs(change.term_change_days)
    longest = facts.max_term_days
    term_within = moved == 0 or (
        longest is not None and moved * 100 <= params["term_percent"] * longest
    )
    return not (value_within and term_within)


@_guard("modification")
def change_notice_published(g: ContractInput) -> tuple[Failure, ...]:
    """The contract change notice is published before the change, where the regime requires it."""
    published = g.change.change_notice_published_on
    if not change_notice_required(g.facts, g.change, g.params):
        return _OK
    if published is not None and published <= g.today:
        return _OK
    return _fail(
        "the change needs a contract change notice published before it is made, and none is "
        "recorded",
        "publish the contract change notice, then make the change (after any voluntary "
        "standstill it sets)",
        "change_notice_published_on",
    )


@_guard("modification")
def voluntary_standstill_observed(g: ContractInput) -> tuple[Failure, ...]:
    """
    A standstill set in the contract change notice lasts at least the `period` (8 working days
    beginning with the day of publication) and has ended before the change is made.
    """
    change = g.change
    ends_on = change.standstill_ends_on
    if ends_on is None:
        return _OK
    published = change.change_notice_published_on
    if published is None:
        return _fail(
            "a voluntary standstill is set, but the day the contract change notice was "
            "published is not recorded",
            "record the day the contract change notice was published",
            "change_notice_published_on",
        )
    period = g.period
    shortest = period_end(period, published, g.days)
    if ends_on < shortest:
        return _fail(
            f"the voluntary standstill ends on {ends_on}; it must last at least {period.days} "
            f"working days beginning with the day the notice was published ({published}), "
            f"so until the end of {shortest}",
            f"end the standstill on {shortest} or later",
            "standstill_ends_on",
        )
    if g.today > ends_on:
        return _OK
    return _fail(
        f"the voluntary standstill runs until the end of {ends_on}",
        f"make the change after {ends_on}",
        "standstill_ends_on",
    )


@_guard("modification")
def splitting_considered(g: ContractInput) -> tuple[Failure, ...]:
    """After earlier modifications, asks whether this one could reasonably have joined them."""
    if not g.facts.modifications:
        return _OK
    return _fail(g.param("question"), g.param("justification"), "ground")


@_guard("purchase")
def purchase_conditions(g: ContractInput) -> tuple[Failure, ...]:
    """Every agreed performance level is met by named evidence; the price is within max cost."""
    facts = g.facts
    failures = [
        Failure(
            f"performance level {level.name!r} is not shown to be met by any recorded evidence",
            "record the target verdict or acceptance test that shows the level is met",
            f"performance_levels[{i}]",
        )
        for i, level in enumerate(facts.performance_levels)
        if not level.met_by.strip()
    ]
    if not facts.performance_levels:
        failures.append(
            Failure(
                "no performance levels were agreed for the purchase",
                "record the performance levels the contract agreed",
                "performance_levels",
            )
        )
    price = g.purchase.price
    if facts.max_cost is None:
        failures.append(
            Failure("no maximum cost was agreed", "record the agreed maximum cost", "max_cost")
        )
    elif price > facts.max_cost:
        failures.append(
            Failure(
                f"the purchase price of {money(price)} is {money(price - facts.max_cost)} above "
                f"the maximum cost of {money(facts.max_cost)}",
                f"agree a price of {money(facts.max_cost)} or less",
                "price",
            )
        )
    return tuple(failures)


@_guard("ending")
def gate_exit_allowed(g: ContractInput) -> tuple[Failure, ...]:
    """The gate option used was announced with its conditions; the phase's targets were assessed."""
    ending, facts = g.ending, g.facts
    if not ending.gate_decision:
        return _fail(
            "the gate decision is not given",
            f"say which gate option is used: {', '.join(GATE_DECISIONS)}",
            "gate_decision",
        )
    failures: list[Failure] = []
    announced = (
        facts.reduction_option_announced
        if ending.gate_decision == "reduce"
        else facts.termination_option_announced
    )
    if not announced:
        failures.append(
            Failure(
                f"the procurement documents did not announce the option to "
                f"{GATE_DECISIONS[ending.gate_decision]} after a phase, with its conditions",
                "continue the contract, or end it on another lawful route (a ground the law "
                "implies, or the contract's own terms)",
                "gate_decision",
            )
        )
    if not ending.targets_assessed:
        failures.append(
            Failure(
                "the phase's intermediate targets were not assessed before the gate decision",
                "record the assessment of each target, then decide",
                "targets_assessed",
            )
        )
    return tuple(failures)


@_guard("ending")
def implied_termination(g: ContractInput) -> tuple[Failure, ...]:
    """
    Termination on a ground the law implies: the ground is one of `grounds`; the supplier was
    told of it with the reasons, and the time given (`steps`) ran out before the contract ends;
    for an excluded sub-contractor (`subcontractor_ground`), the supplier had the chance to stop
    sub-contracting to it.
    """
    ending = g.ending
    grounds: list[str] = g.param("grounds")
    failures: list[Failure] = []
    if ending.ground not in grounds:
        failures.append(
            Failure(
                f"the ground {ending.ground or '(none given)'} is not one the law implies; the "
                f"grounds are: {', '.join(grounds)}",
                "name the ground that applies, or end the contract on another route",
                "ground",
            )
        )
    if ending.notified_on is None or not ending.reasons.strip():
        failures.append(
            Failure(
                "the supplier is not recorded as told of the intention to terminate, the ground "
                "and the reasons",
                g.param("steps"),
                "notified_on",
            )
        )
    elif ending.notice_ends_on is None or ending.notice_ends_on >= ending.ended_on:
        failures.append(
            Failure(
                "the time given to the supplier after the notice has not run out before the "
                f"contract ends on {ending.ended_on}",
                g.param("steps"),
                "notice_ends_on",
            )
        )
    subcontractor = g.params.get("subcontractor_ground")
    if ending.ground == subcontractor and not ending.subcontracting_opportunity_given:
        failures.append(
            Failure(
                "the supplier was not given a reasonable opportunity to stop sub-contracting to "
                "the excluded supplier, or to find another",
                "give the supplier that opportunity first",
                "subcontracting_opportunity_given",
            )
        )
    return tuple(failures)
