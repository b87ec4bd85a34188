"""
One complete, lawful innovation partnership, and for each guard the change that breaks it.

Every rule test starts from GOOD (which satisfies every guard), applies the guard's `ok` changes
to put the procurement where the rule bites, checks the event is allowed, then applies the `bad`
changes on top and checks that exactly this rule refuses or warns. Sharing the set-up means a
refusal cannot pass for the wrong reason.
"""

from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest

from sanely.procedure import Criterion, Facts, Phase, Round, Rulebook, load_rulebook
from sanely.procedure._model import Check

PCR = load_rulebook("pcr-2015-reg31")
PA = load_rulebook("pa-2023-cfp-ip")
EU = load_rulebook("eu-2014-24-art31")
PCSR = load_rulebook("pcsr-2015-reg32")

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
NOTICE_ON = date(2026, 3, 2)

GOOD = Facts(
    state="drafting",
    need_statement="Reduce falls among care-home residents at night without cameras.",
    market_unavailability="Market sounding in 2025 found no product meeting the privacy needs.",
    minimum_requirements=("no video recording", "alerts within 30 seconds"),
    partner_model="multiple",
    max_partners=3,
    phases=(Phase("prototype", ("lab accuracy 95%",), 2), Phase("pilot", ("10 homes",), 1)),
    award_model="price_quality",
    award_criteria=(Criterion("quality", Decimal(60)), Criterion("price", Decimal(40))),
    termination_option_announced=True,
    reduction_option_announced=True,
    staged_reduction_announced=True,
    ipr_arrangements="Supplier keeps foreground IP; authority gets a free perpetual licence.",
    selection_criteria_tags=frozenset({"rd_capacity", "innovation_implementation"}),
    min_candidates=3,
    estimated_value=Decimal(6_000_000),
    procedure_description="Two tender rounds, down-selection to three, two phases with gates.",
    conflicts_assessment_complete=True,
    kpis=("accuracy", "response time", "uptime"),
    performance_levels=("95% accuracy",),
    max_cost=Decimal(1_000_000),
    notice_on=NOTICE_ON,
    rtp_deadline=datetime(2026, 4, 1, 12, 0, tzinfo=UTC),
    qualified=frozenset({"acme", "bolt", "cora", "dyna"}),
    invited=frozenset({"acme", "bolt", "cora"}),
    rounds=(
        Round(1, invited_on=date(2026, 4, 20), deadline=datetime(2026, 5, 20, 12, tzinfo=UTC)),
    ),
    refinement_reserved=True,
    decision_notices_sent_on=date(2026, 5, 1),
    contract_award_notice_published_on=date(2026, 5, 1),
    gate_targets_assessed=True,
    active_partners=3,
    performance_levels_met=True,
    purchase_price=Decimal(900_000),
)

# Round 2, invited the day after round 1 closed, with 32 days to tender.
SECOND_ROUND = Round(
    2, invited_on=date(2026, 5, 21), deadline=datetime(2026, 6, 22, 12, tzinfo=UTC)
)
FINAL_ROUND = (Round(1, closed=True), replace(SECOND_ROUND, final=True))
# A round invited on 20 April 2026 whose tenders are due five days later.
SHORT_ROUND = (
    Round(1, invited_on=date(2026, 4, 20), deadline=datetime(2026, 4, 25, 12, tzinfo=UTC)),
)

# guard -> (changes that put the procurement where the guard applies, changes that break it)
CASES: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {
    "call_is_contract_notice": ({}, {"call_for_competition": "prior_information_notice"}),
    "need_stated": ({}, {"need_statement": " "}),
    "minimum_requirements_stated": ({}, {"minimum_requirements": ()}),
    "deadline_respects_period": ({}, {"rtp_deadline": datetime(2026, 3, 26, 12, tzinfo=UTC)}),
    "award_model_not_price_only": ({}, {"award_model": "lowest_price"}),
    "award_importance_stated": (
        {},
        {"award_criteria": (Criterion("quality", Decimal(60)), Criterion("price", Decimal(30)))},
    ),
    "phases_planned": ({}, {"phases": ()}),
    "every_phase_has_target": ({}, {"phases": (Phase("prototype", (), 1),)}),
    "every_phase_has_instalment": ({}, {"phases": (Phase("prototype", ("t",), 0),)}),
    "ipr_arrangements_defined": ({}, {"ipr_arrangements": ""}),
    "selection_tests_innovation": ({}, {"selection_criteria_tags": frozenset({"rd_capacity"})}),
    "min_candidates_at_least": ({}, {"min_candidates": 2}),
    "deadline_passed": ({}, {"rtp_deadline": datetime(2026, 6, 2, 12, tzinfo=UTC)}),
    "invited_enough": ({}, {"invited": frozenset({"acme"})}),
    "invited_only_qualified": ({}, {"invited": frozenset({"acme", "bolt", "cora", "zeta"})}),
    "round_not_final": ({}, {"rounds": FINAL_ROUND}),
    "final_round_held": ({"rounds": FINAL_ROUND}, {"rounds": (Round(1),)}),
    "earlier_rounds_closed": (
        {"rounds": (Round(1, closed=True), SECOND_ROUND)},
        {"rounds": (Round(1, closed=False), SECOND_ROUND)},
    ),
    "round_deadline_respects_period": ({}, {"rounds": SHORT_ROUND}),
    "round_deadline_allows_time": ({}, {"rounds": SHORT_ROUND}),
    "refinement_reserved": ({}, {"refinement_reserved": False}),
    "refinement_readmits_nobody": ({}, {"refinement_would_readmit": frozenset({"dyna"})}),
    "locked_items_unchanged": (
        {"proposed_changes": frozenset({"specification"})},
        {"proposed_changes": frozenset({"specification", "award_criteria"})},
    ),
    "staged_reduction_announced": ({}, {"staged_reduction_announced": False}),
    "everyone_notified": ({}, {"not_yet_notified": frozenset({"dyna"})}),
    "period_over": (
        {},
        {
            "decision_notices_sent_on": date(2026, 5, 28),
            "contract_award_notice_published_on": date(2026, 5, 28),
        },
    ),
    "performance_and_max_cost_set": ({}, {"performance_levels": ()}),
    "gate_targets_assessed": ({}, {"gate_targets_assessed": False}),
    "reduction_option_announced": ({}, {"reduction_option_announced": False}),
    "termination_option_announced": ({}, {"termination_option_announced": False}),
    "purchase_conditions_met": ({}, {"purchase_price": Decimal(1_100_000)}),
    "conflicts_assessment_complete": ({}, {"conflicts_assessment_complete": False}),
    "pme_notice_or_reasons": (
        {"pme_done": True, "pme_notice_published": True},
        {"pme_notice_published": False},
    ),
    "award_notice_published": ({}, {"contract_award_notice_published_on": None}),
    "kpis_set_above": ({}, {"kpis": ("accuracy",)}),
    "procedure_described": ({}, {"procedure_description": ""}),
}


def facts(state: str = "drafting", **changes: Any) -> Facts:
    """GOOD in `state`, with `changes`."""
    return replace(GOOD, state=state, **changes)


def rule_checks(keep: Callable[[Rulebook, Check], bool]) -> Iterator[Any]:
    """
    A pytest parameter (rulebook, rule, check) for every check of every shipped rulebook that
    `keep` accepts, marked as covering its rule.
    """
    for rulebook in (PCR, PA, EU, PCSR):
        for rule in rulebook.rules:
            for index, rule_check in enumerate(rule.checks):
                if keep(rulebook, rule_check):
                    yield pytest.param(
                        rulebook,
                        rule,
                        rule_check,
                        id=f"{rulebook.id}:{rule.id}:{rule_check.event}:{index}",
                        marks=pytest.mark.covers(rule.id),
                    )
