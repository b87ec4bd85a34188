"""
The facts of one partner contract after award, and the requests the contract events judge.

The portal builds a `ContractFacts` from its rows (the contract as awarded, its phases and
performance levels, the claims, changes and assessments so far) and passes one request: the
claim, the change, the purchase, the ending or the assessment being decided. The engine stores
nothing. Money is in the contract's currency, as `Decimal`; dates are calendar dates where the
authority is.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal

from sanely.procedure._errors import InvalidFactsError

# How a partner contract ends: at a gate on an option the documents announced; on a ground the
# law implies into every contract (PA 2023 s.78, PCR/PCSR reg 73, Directive art 73); under the
# contract's own terms (a breach, for example); or by expiry or completion.
ROUTES: dict[str, str] = {
    "gate": "at a gate review, on an option the procurement documents announced",
    "implied_term": "on a ground the law implies into every public contract",
    "contract_terms": "under the contract's own termination terms",
    "expiry": "by expiry or completion",
}

# Kinds of authority some duties of the Procurement Act 2023 do not bind (s.75(6)(d)-(e), s.77(3),
# for example): a rulebook check or duty names them in `not_for`.
AUTHORITIES: dict[str, str] = {
    "devolved_welsh": "a devolved Welsh authority, or a contract under a devolved Welsh "
    "procurement arrangement",
    "transferred_northern_ireland": "a transferred Northern Ireland authority, or a contract under "
    "a transferred Northern Ireland procurement arrangement (not a reserved one)",
}

# The two gate decisions that end partner contracts (PCR reg 31(12), PCSR reg 32(6)).
GATE_DECISIONS: dict[str, str] = {
    "reduce": "reduce the number of partners",
    "terminate": "terminate the partnership",
}

# The ratings of a contract performance notice (SI 2024/692 reg 39(5)).
RATINGS: dict[str, str] = {
    "good": "performance is meeting or exceeding the key performance indicators",
    "approaching_target": "performance is close to meeting the key performance indicators",
    "requires_improvement": "performance is below the key performance indicators",
    "inadequate": "performance is significantly below the key performance indicators",
    "other": "performance cannot be described as good, approaching target, requires "
    "improvement or inadequate",
}

# The tests that make a modification substantial, as the authority answers them for one change:
# PCR 2015 and PCSR 2015 reg 72(8)(a)-(d) (Directive 2014/24 art 72(4)), and PA 2023 s.74(3)(b)-(c).
SUBSTANTIAL_TESTS: dict[str, str] = {
    "materially_different": "it renders the contract materially different in character from the "
    "one initially concluded",
    "would_have_changed_competition": "had it been part of the procurement, it would have "
    "admitted other candidates, let another tender win or attracted more participants",
    "economic_balance": "it changes the economic balance of the contract in the supplier's "
    "favour in a way the contract did not provide for",
    "extends_scope_considerably": "it extends the scope of the contract considerably",
    "material_scope_change": "it materially changes the scope of the contract (goods, services "
    "or works of a kind not already provided for)",
}


def _check_choice(problems: list[str], name: str, value: str, choices: Mapping[str, str]) -> None:
    if value not in choices:
        problems.append(f"{name} is {value!r}; use one of {', '.join(choices)}")


def _raise(problems: list[str]) -> None:
    if problems:
        raise InvalidFactsError("; ".join(problems))


@dataclass(frozen=True)
class PhaseBudget:
    """One phase of the contract and the most it may pay (its maximum value as agreed)."""

    key: str
    max_value: Decimal


@dataclass(frozen=True)
class PerformanceLevel:
    """
    A performance level the purchase depends on, and `met_by`: the named evidence that shows it
    is met (a target's verdict, a recorded acceptance test), or "" when no evidence shows it yet.
    """

    name: str
    met_by: str = ""


@dataclass(frozen=True)
class Claim:
    """
    A claim for an instalment, with its invoice.

    `condition_met`: the instalment's condition (a deliverable accepted, data delivered, an
    effect shown) is met by recorded evidence; `gate_approved`: a gate decision approved the
    instalment with recorded reasons. The invoice dates: `invoice_received_on` (received by the
    authority), `invoice_payable_on` (the day payment falls due under the invoice, PA 2023
    s.68(2)(b)), `invoice_verified_on` (the day the authority regarded it as valid and
    undisputed, PCR 2015 reg 113(2)(a)). `disputed`: the authority considers the invoice invalid
    or disputes it.
    """

    key: str
    phase: str
    amount: Decimal
    condition_met: bool = False
    gate_approved: bool = False
    invoice_received_on: date | None = None
    invoice_payable_on: date | None = None
    invoice_verified_on: date | None = None
    disputed: bool = False
    dispute_notified_on: date | None = None
    paid_on: date | None = None

    def __post_init__(self) -> None:
        if self.amount <= 0:
            raise InvalidFactsError(f"claim {self.key}: amount is {self.amount}; claim more than 0")


@dataclass(frozen=True)
class Modification:
    """
    A modification of the contract: one made earlier, or the one requested.

    `ground`: the ground the authority relies on (one of the rulebook's modification grounds);
    `key`: the portal's name for it, shown with the duties it starts; `kind`: what is changed,
    in the words the contract's own clauses use, matched against `ContractFacts.provided_for`;
    `value_change`: the change of the contract's value (an increase is positive);
    `term_change_days`: the change of its term; `made_on`: the day it is (to be) made;
    `changes_overall_nature`: the authority considers it would change the overall nature of the
    contract; `substantial`: the tests of SUBSTANTIAL_TESTS the authority considers met;
    `replaces_contractor`: another supplier takes the partner's place; `restructuring`: it
    follows a corporate restructuring (succession, takeover, merger, insolvency);
    `new_contractor_suitable`: the new supplier meets the selection criteria first set (PCR) or
    is not an excluded supplier (PA). The notice dates record what was published.
    """

    ground: str
    key: str = ""
    kind: str = ""
    value_change: Decimal = Decimal(0)
    term_change_days: int = 0
    made_on: date | None = None
    changes_overall_nature: bool = False
    substantial: frozenset[str] = frozenset()
    replaces_contractor: bool = False
    restructuring: bool = False
    new_contractor_suitable: bool = False
    change_notice_published_on: date | None = None
    standstill_ends_on: date | None = None
    notice_sent_on: date | None = None
    contract_published_on: date | None = None

    def __post_init__(self) -> None:
        unknown = sorted(self.substantial - set(SUBSTANTIAL_TESTS))
        if unknown:
            raise InvalidFactsError(
                f"substantial includes {', '.join(unknown)}; use names from "
                f"{', '.join(SUBSTANTIAL_TESTS)}"
            )


@dataclass(frozen=True)
class Purchase:
    """The purchase of the developed solution without a new competition, at `price`."""

    price: Decimal


@dataclass(frozen=True)
class Ending:
    """
    The end of the partner contract.

    `route`: one of ROUTES; `ended_on`: the day it ends. At a gate: `gate_decision` (one of
    GATE_DECISIONS) and `targets_assessed` (the phase's targets were assessed before deciding).
    On an implied ground: `ground` (the regime's names: PA 2023 s.78(2), reg 73(1)), the day the
    supplier was `notified_on` with the ground and the `reasons`, and `notice_ends_on`, the end
    of the time given to the supplier (PA 2023 s.78(7)(c): to make representations; reg 73(3):
    reasonable notice); `subcontracting_opportunity_given` where the ground is an excluded
    sub-contractor (PA 2023 s.78(8)). `notice_published_on` and `assessment_published_on` record
    the contract termination notice (UK11) and the performance assessment on termination (UK9).
    """

    route: str
    ended_on: date
    gate_decision: str = ""
    targets_assessed: bool = False
    ground: str = ""
    reasons: str = ""
    notified_on: date | None = None
    notice_ends_on: date | None = None
    subcontracting_opportunity_given: bool = False
    notice_published_on: date | None = None
    assessment_published_on: date | None = None

    def __post_init__(self) -> None:
        problems: list[str] = []
        _check_choice(problems, "route", self.route, ROUTES)
        if self.gate_decision:
            _check_choice(problems, "gate_decision", self.gate_decision, GATE_DECISIONS)
        _raise(problems)


@dataclass(frozen=True)
class Assessment:
    """An assessment of performance against the KPIs on `assessed_on`, rated as in RATINGS."""

    assessed_on: date
    rating: str
    published_on: date | None = None

    def __post_init__(self) -> None:
        problems: list[str] = []
        _check_choice(problems, "rating", self.rating, RATINGS)
        _raise(problems)


ContractRequest = Claim | Modification | Purchase | Ending | Assessment

# The kind of request each contract event judges, by the name its rulebook entry gives.
REQUEST_KINDS: dict[str, type[ContractRequest]] = {
    "claim": Claim,
    "modification": Modification,
    "purchase": Purchase,
    "ending": Ending,
    "assessment": Assessment,
}


@dataclass(frozen=True)
class ContractFacts:
    """
    One partner contract as awarded, and what happened under it since.

    `nation` picks the working days; `authority`: the kinds of AUTHORITIES the authority is
    (some duties do not bind them); `value_as_awarded`: its value when entered into;
    `indexed_value`: the updated figure where the contract has an indexation clause (PCR/PCSR
    reg 72(7)); `works`: a works contract (else goods, services or supplies); `threshold`: the
    regime's threshold amount for the type of contract (PA 2023 Sch 1; PCR reg 5), from
    `Rulebook.thresholds_on` or the authority; `max_term_days`: the maximum term provided for on
    award; `provided_for`: the kinds of change the contract as awarded and the tender notice or
    procurement documents unambiguously provide for (an option, a review clause, a risk
    identified as known); the gate options announced; `phases` with their maximum values; the
    `performance_levels` and `max_cost` of the purchase; the `kpis` set and any recorded reason
    why KPIs are not appropriate (PA 2023 s.52(2)); the standing `claims` (submitted, approved
    or paid; not rejected or withdrawn), earlier `modifications` in the order made,
    `assessments`, and the `ending` once it has ended. `justifications` maps a WARN rule id to
    the justification recorded for it.
    """

    partner: str
    value_as_awarded: Decimal
    concluded_on: date
    nation: str | None = None
    authority: frozenset[str] = frozenset()
    works: bool = False
    indexed_value: Decimal | None = None
    threshold: Decimal | None = None
    max_term_days: int | None = None
    provided_for: frozenset[str] = frozenset()
    reduction_option_announced: bool = False
    termination_option_announced: bool = False
    phases: tuple[PhaseBudget, ...] = ()
    performance_levels: tuple[PerformanceLevel, ...] = ()
    max_cost: Decimal | None = None
    kpis: tuple[str, ...] = ()
    kpis_not_appropriate_reason: str = ""
    claims: tuple[Claim, ...] = ()
    modifications: tuple[Modification, ...] = ()
    assessments: tuple[Assessment, ...] = ()
    ending: Ending | None = None
    justifications: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        problems: list[str] = []
        unknown = sorted(self.authority - set(AUTHORITIES))
        if unknown:
            problems.append(
                f"authority includes {', '.join(unknown)}; use {', '.join(AUTHORITIES)}"
            )
        if self.value_as_awarded < 0:
            problems.append(f"value_as_awarded is {self.value_as_awarded}; it cannot be negative")
        if self.max_term_days is not None and self.max_term_days <= 0:
            problems.append(f"max_term_days is {self.max_term_days}; give the term in days")
        keys = [p.key for p in self.phases]
        problems += [f"phase {k!r} is listed twice" for k in sorted(set(keys)) if keys.count(k) > 1]
        _raise(problems)

    @property
    def current_value(self) -> Decimal:
        """The contract's value now: as awarded, changed by every earlier modification."""
        return self.value_as_awarded + sum((m.value_change for m in self.modifications), Decimal(0))

    @property
    def initial_value(self) -> Decimal:
        """The reference figure of PCR/PCSR reg 72's limits: the indexed value, if there is one."""
        return self.indexed_value if self.indexed_value is not None else self.value_as_awarded

    def items(self, kind: str) -> tuple[ContractRequest, ...]:
        """The stored requests of `kind` (one of REQUEST_KINDS): the history a duty looks at."""
        if kind == "ending":
            return (self.ending,) if self.ending else ()
        return tuple(getattr(self, HISTORY[kind])) if kind in HISTORY else ()

    def before(self, kind: str, index: int) -> "ContractFacts":
        """
        The contract as it stood before its `index`-th stored request of `kind`: a modification's
        duties are judged on the value before it, as they were when it was made.
        """
        if kind not in HISTORY:
            return self
        return replace(self, **{HISTORY[kind]: getattr(self, HISTORY[kind])[:index]})


# The ContractFacts field holding the stored requests of each kind that has a history.
HISTORY = {"claim": "claims", "modification": "modifications", "assessment": "assessments"}
