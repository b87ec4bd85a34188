"""
The facts of one procurement, as the caller knows them.

The portal builds a `Facts` from its database for every evaluation; the engine never stores
anything. Field meanings that differ between regimes (which notice starts a period, for example)
are fixed by the rulebook, which names the fact each period is counted from.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from sanely.procedure._errors import InvalidFactsError

# The values the enumerated design fields may take; anything else is a caller's mistake that
# would otherwise slip past a guard (a misspelt "lowest-price" is not "lowest_price").
CHOICES: dict[str, frozenset[str]] = {
    "call_for_competition": frozenset({"contract_notice", "prior_information_notice"}),
    "partner_model": frozenset({"single", "multiple"}),
    "award_model": frozenset(
        {"price_quality", "fixed_price_quality", "lowest_price", "lowest_cost"}
    ),
}


@dataclass(frozen=True)
class Criterion:
    """One published award criterion and its weight in percent."""

    name: str
    weight: Decimal


@dataclass(frozen=True)
class Phase:
    """One phase of the partnership: its intermediate targets and instalments."""

    name: str
    targets: tuple[str, ...] = ()
    instalments: int = 0


@dataclass(frozen=True)
class Round:
    """One tendering round; `final` marks the round for final tenders."""

    number: int
    final: bool = False


@dataclass(frozen=True)
class Occurrence:
    """A dated fact that starts a duty (a contract ending, an invoice) and when it was met."""

    ref: str
    on: date
    done_on: date | None = None


@dataclass(frozen=True)
class Facts:
    """
    The design and the dated facts of one procurement.

    `state` is the lifecycle state the portal recorded after the last applied event; `nation` is
    the buying authority's nation (england, wales, scotland, northern-ireland; None for an EU
    authority), which picks the bank holidays. Dates are calendar dates where the authority is;
    `rtp_deadline` is an aware datetime whose own local date is compared with the minimum
    period, so pass it in the authority's time zone. `justifications` maps a WARN rule id to the
    justification recorded for it.
    """

    state: str
    nation: str | None = None
    # The procurement design, fixed when the call for competition is published.
    call_for_competition: str = "contract_notice"
    need_statement: str = ""
    market_unavailability: str = ""
    minimum_requirements: tuple[str, ...] = ()
    partner_model: str = "multiple"
    max_partners: int | None = None
    phases: tuple[Phase, ...] = ()
    award_model: str = "price_quality"
    award_criteria: tuple[Criterion, ...] = ()
    termination_option_announced: bool = False
    reduction_option_announced: bool = False
    staged_reduction_announced: bool = False
    ipr_arrangements: str = ""
    selection_criteria_tags: frozenset[str] = frozenset()
    min_candidates: int | None = None
    estimated_value: Decimal | None = None
    procedure_description: str = ""
    conflicts_assessment_complete: bool = False
    pme_done: bool = False
    pme_notice_published: bool = False
    pme_reasons: str = ""
    kpis: tuple[str, ...] = ()
    performance_levels: tuple[str, ...] = ()
    max_cost: Decimal | None = None
    # Dated facts and the state of play.
    notice_on: date | None = None
    rtp_deadline: datetime | None = None
    qualified: frozenset[str] = frozenset()
    invited: frozenset[str] = frozenset()
    rounds: tuple[Round, ...] = ()
    proposed_changes: frozenset[str] = frozenset()
    decision_notices_sent_on: date | None = None
    not_yet_notified: frozenset[str] = frozenset()
    contract_award_notice_published_on: date | None = None
    contract_concluded_on: date | None = None
    contract_details_notice_published_on: date | None = None
    current_phase: int = 0  # the phase in progress, counted from 0
    gate_targets_assessed: bool = False
    active_partners: int = 0
    performance_levels_met: bool = False
    purchase_price: Decimal | None = None
    contract_ends: tuple[Occurrence, ...] = ()
    invoices: tuple[Occurrence, ...] = ()
    justifications: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        problems = [
            f"{name} is {getattr(self, name)!r}; use one of {', '.join(sorted(allowed))}"
            for name, allowed in CHOICES.items()
            if getattr(self, name) not in allowed
        ]
        if problems:
            raise InvalidFactsError("; ".join(problems))
