"""
One partner contract after award, lawful as it stands, for the contract-event tests.

Every case starts from CONTRACT (a £1,000,000 services contract concluded on Mon 1 Jun 2026 by a
council, with two phases, two performance levels and a maximum cost) and changes only what the
rule it tests is about, so that a refusal cannot come from somewhere else.
"""

from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sanely.procedure import (
    Claim,
    ContractDecision,
    ContractDue,
    ContractFacts,
    ContractRequest,
    Ending,
    Modification,
    PerformanceLevel,
    PhaseBudget,
    Purchase,
    Rulebook,
    contract_dues,
    decide_contract,
)
from sanely.procedure._model import Check

# A sub-central authority's threshold for goods and services: PCR 2015 (PPN 11/23) from
# 1 Jan 2024; the Procurement Act 2023 Sch 1 as amended from 1 Jan 2026 (the rulebooks'
# [[thresholds]]).
PCR_THRESHOLD = Decimal(214904)
PA_THRESHOLD = Decimal(207720)

CONTRACT = ContractFacts(
    partner="acme",
    value_as_awarded=Decimal(1_000_000),
    concluded_on=date(2026, 6, 1),
    nation="england",
    threshold=PCR_THRESHOLD,
    max_term_days=730,
    provided_for=frozenset({"purchase_option", "replacement"}),
    reduction_option_announced=True,
    termination_option_announced=True,
    phases=(PhaseBudget("prototype", Decimal(200_000)), PhaseBudget("pilot", Decimal(300_000))),
    performance_levels=(
        PerformanceLevel("detects 95% of falls", met_by="target-accuracy: met (2027-02-26)"),
        PerformanceLevel("alerts within 30 seconds", met_by="acceptance test AT-3, passed"),
    ),
    max_cost=Decimal(1_000_000),
)

# Pilot claims already standing: £120,000 and £100,000 of the phase's £300,000.
PILOT_CLAIMS = (
    Claim("C-1", "pilot", Decimal(120_000), condition_met=True),
    Claim("C-2", "pilot", Decimal(100_000), condition_met=True),
)


def at_noon(day: date) -> datetime:
    """Noon UTC on `day` (the same calendar day in London)."""
    return datetime(day.year, day.month, day.day, 12, tzinfo=UTC)


NOW = at_noon(date(2027, 1, 15))


def contract(**changes: Any) -> ContractFacts:
    """CONTRACT with `changes`."""
    return replace(CONTRACT, **changes)


# The authority is where the regime applies: Scotland for PCSR 2015, an EU member state (no UK
# nation) for the Directive, England otherwise unless a test says.
_NATIONS = {"pcsr-2015-reg32": "scotland", "eu-2014-24-art31": None}


def _in_regime(rulebook: Rulebook, facts: ContractFacts) -> ContractFacts:
    return replace(facts, nation=_NATIONS.get(rulebook.id, facts.nation))


def decide(
    rulebook: Rulebook,
    event: str,
    request: ContractRequest,
    facts: ContractFacts = CONTRACT,
    now: datetime = NOW,
) -> ContractDecision:
    """The decision on `event` for `request` under `rulebook`."""
    return decide_contract(rulebook, _in_regime(rulebook, facts), event, now, request)


def dues(
    rulebook: Rulebook, facts: ContractFacts = CONTRACT, now: datetime = NOW
) -> tuple[ContractDue, ...]:
    """What is still open for the contract under `rulebook`."""
    return contract_dues(rulebook, _in_regime(rulebook, facts), now)


def refused_by(decision: ContractDecision) -> list[str]:
    """The rule ids of the decision's refusals, in order."""
    return [r.rule for r in decision.refusals]


# What each contract guard's rule needs: guard -> (changes to the request and the contract that
# satisfy it, changes on top that break it). `request_for` builds the request of the event's kind
# with the check's ground or route.
CONTRACT_CASES: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {
    "claim_within_phase_budget": (
        {
            "request": {"phase": "pilot", "amount": Decimal(80_000)},
            "facts": {"claims": PILOT_CLAIMS},
        },
        {"request": {"amount": Decimal(80_001)}},
    ),
    "claim_condition_met_or_approved": ({}, {"request": {"condition_met": False}}),
    "change_provided_for": ({}, {"request": {"kind": "new_site"}}),
    "overall_nature_kept": ({}, {"request": {"changes_overall_nature": True}}),
    "increase_within_percent": (
        {"request": {"value_change": Decimal(400_000)}},
        {"request": {"value_change": Decimal(600_000)}},
    ),
    "not_substantial": ({}, {"request": {"substantial": frozenset({"economic_balance"})}}),
    "below_threshold_change": (
        {"request": {"value_change": Decimal(50_000)}},
        {"request": {"value_change": Decimal(150_000)}},
    ),
    "de_minimis_change": (
        {"request": {"value_change": Decimal(50_000)}},
        {"request": {"value_change": Decimal(150_000)}},
    ),
    "contractor_change_allowed": ({}, {"request": {"replaces_contractor": True}}),
    "replacement_basis": ({}, {"request": {"restructuring": False, "kind": ""}}),
    "change_notice_published": (
        {"request": {"change_notice_published_on": None}},
        {"request": {"value_change": Decimal(200_000)}},
    ),
    # Published Mon 4 Jan 2027 (Scotland's substitute for 2 January, so not a working day): the
    # eighth working day is Thu 14 Jan; a standstill to 20 Jan has not ended on 15 Jan.
    "voluntary_standstill_observed": ({}, {"request": {"standstill_ends_on": date(2027, 1, 20)}}),
    "splitting_considered": (
        {},
        {"facts": {"modifications": (Modification("not_substantial", value_change=Decimal(1)),)}},
    ),
    "purchase_conditions": ({}, {"request": {"price": Decimal(1_100_000)}}),
    "gate_exit_allowed": ({}, {"request": {"targets_assessed": False}}),
    "implied_termination": ({}, {"request": {"notified_on": None}}),
}


def request_for(rulebook: Rulebook, check: Check) -> ContractRequest:
    """
    A lawful request of the check's event, on the check's ground or route: every other check of
    the same rule is satisfied, so the case's changes alone decide the outcome.
    """
    event = rulebook.contract_event(check.event)
    assert event is not None
    if event.request == "claim":
        return Claim("C-3", "prototype", Decimal(1), condition_met=True)
    if event.request == "modification":
        return Modification(
            check.params.get("ground", "not_substantial"),
            kind="purchase_option",
            restructuring=True,
            new_contractor_suitable=True,
            change_notice_published_on=date(2027, 1, 4),
        )
    if event.request == "ending":
        return Ending(
            check.params.get("route", "expiry"),
            date(2027, 3, 31),
            gate_decision="reduce",
            targets_assessed=True,
            ground=check.params.get("grounds", [""])[0],
            reasons="the reasons, as given to the supplier",
            notified_on=date(2027, 3, 1),
            notice_ends_on=date(2027, 3, 15),
        )
    return Purchase(Decimal(1_000_000))  # no contract check reads an assessment
