"""
A partnership that has run its course: smarter household-waste collection routes
(WCC-IP-2025-007, Procurement Act 2023). Three partners re-routed last autumn's rounds in a
simulation; at the gate after it the council kept one, Brightwater Analytics, and ended the
other two contracts under the option the tender notice announced (one partner's route plan broke
the crews' working-time limits, the other's saved too few miles). A lawful change, with its
contract change notice published first, added the new weekly food-waste rounds to the live pilot
and lengthened it by two months. At the gate after the pilot every performance level was met by
named evidence and the price was within the maximum cost: the purchase is under way. Every
instalment earned was paid; one claim was refused because it asked for more than the instalment.
"""

from datetime import date, timedelta
from decimal import Decimal

import numpy as np

from sanely.portal.award.models import Contract
from sanely.portal.partnerships.models import Evidence, Validation
from sanely.portal.partnerships.services import (
    GateChoice,
    PhaseChange,
    acceptance_record,
    claim_reject,
    contract_change,
    gate_decide,
)
from sanely.portal.procurements.models import Procurement

from .after_award import (
    Authority,
    accept,
    approve,
    at,
    check,
    claim,
    deliver,
    estimate,
    open_gate,
    partners,
    pay,
    phase_dates,
)
from .outcome_data import SEED, Routing, miles_file, missed_file

REFERENCE = "WCC-IP-2025-007"
BRIGHTWATER, EGDON, MELCHESTER = "14500003", "14500006", "14500007"
# A round is one lorry and its crew, with a route for each weekday.
ROUNDS = tuple(
    f"{depot} {number}" for depot in ("Shaston", "Sherton Abbas") for number in range(1, 12)
)
PILOT_ROUNDS = ROUNDS[:4] + ROUNDS[11:15]
# How each partner's routes truly perform (the simulation's truth).
ROUTINGS = {
    BRIGHTWATER: Routing(fewer_miles=7.5, missed_per_thousand=0.55),
    EGDON: Routing(fewer_miles=6.0, missed_per_thousand=0.6),
    MELCHESTER: Routing(fewer_miles=2.0, missed_per_thousand=0.9),
}
PURCHASE_PRICE = Decimal("1180000")
OVERNIGHT_TEST = (
    "Overnight re-planning test: the eight pilot rounds re-planned from the 9pm data and issued"
    " to crews by 4:40am on 20 consecutive working nights, none over the crews' limits"
)
CHANGE_REASON = (
    "The weekly food-waste rounds join the live pilot: the council must collect food waste"
    " weekly from every household from 31 March 2026, and the new food-waste lorries share the"
    " pilot rounds' depots and crews. The pilot runs two months longer and its maximum value"
    " rises by £40,000."
)
CHANGE_JUSTIFICATION = (
    "Only the partner's routing can plan the food-waste lorries together with the refuse lorries"
    " they share depots and crews with: another supplier's software could not read or change the"
    " same overnight plan, so the two rounds would be planned apart, and the council would pay"
    " twice for the telematics integration it has already paid for once."
)


def play(procurement: Procurement) -> None:
    """Play the partnership from the concluded contracts to the purchase."""
    authority = Authority.of(procurement)
    contracts = partners(procurement)
    rng = np.random.default_rng(SEED + 1)
    simulation = phase_dates(contracts[BRIGHTWATER])["phase-simulation"]
    simulated = _simulation(authority, contracts, simulation, rng)
    _first_gate(authority, procurement, contracts, simulated, simulation[1])
    _live_pilot(authority, procurement, contracts[BRIGHTWATER], rng)


def _simulation(
    authority: Authority,
    contracts: dict[str, Contract],
    phase: tuple[date, date],
    rng: np.random.Generator,
) -> dict[str, Evidence]:
    """Each partner replays recent collections on its routes; two route plans are accepted."""
    start, end = phase
    recent = (start - timedelta(days=91), start - timedelta(days=7))
    simulated = {
        key: deliver(
            contract,
            "target-simulated-miles",
            miles_file(ROUTINGS[key], ROUNDS, *recent, rng, lag_days=0),
            "simulated-round-miles.csv",
            at(end - timedelta(days=30), 10 + hour),
        )
        for hour, (key, contract) in enumerate(contracts.items())
    }
    check(authority, simulated.values(), Validation.AUTHORITY, end - timedelta(days=27))
    for key in (BRIGHTWATER, MELCHESTER):
        accept(
            authority,
            contracts[key],
            "instalment-route-plan",
            "Route plan for all 22 rounds, checked by the waste team against crews' hours",
            at(end - timedelta(days=24), 11),
        )
    acceptance_record(
        actor=authority.lead,
        contract_id=contracts[EGDON].pk,
        name="Route plan for all 22 rounds, checked by the waste team against crews' hours",
        passed=False,
        note="Three Monday rounds from the Shaston depot run past the crews' 10-hour limit once"
        " the bank-holiday catch-up is added: the plan cannot be accepted as it stands.",
        instalment_key="instalment-route-plan",
        now=at(end - timedelta(days=24), 12),
    )
    _simulation_claims(authority, contracts, end)
    return simulated


def _simulation_claims(authority: Authority, contracts: dict[str, Contract], end: date) -> None:
    """What each partner earned, paid; Egdon's first data claim refused for its amount."""
    claimed = end - timedelta(days=21)
    earned = {
        BRIGHTWATER: (
            "instalment-route-plan",
            "instalment-simulation-data",
            "instalment-simulation-target",
        ),
        EGDON: ("instalment-simulation-target",),
        MELCHESTER: ("instalment-route-plan", "instalment-simulation-data"),
    }
    claims = [
        claim(contracts[key], instalment, at(claimed, 9 + hour))
        for hour, (key, instalments) in enumerate(earned.items())
        for instalment in instalments
    ]
    too_much = claim(
        contracts[EGDON], "instalment-simulation-data", at(claimed, 14), amount=Decimal("12000")
    )
    claim_reject(
        actor=authority.finance,
        claim_id=too_much.pk,
        reasons="The claim and its invoice are for £12,000, but the instalment agreed for the"
        " simulation data is £10,000. Send a new invoice for £10,000.",
        now=at(claimed + timedelta(days=2), 11),
    )
    claims.append(
        claim(contracts[EGDON], "instalment-simulation-data", at(claimed + timedelta(days=3), 10))
    )
    approve(authority, claims, claimed + timedelta(days=7))
    pay(authority, claims, claimed + timedelta(days=17))


def _first_gate(
    authority: Authority,
    procurement: Procurement,
    contracts: dict[str, Contract],
    simulated: dict[str, Evidence],
    end: date,
) -> None:
    """The gate after the simulation keeps one partner, as the documents announced it might."""
    review = open_gate(authority, procurement, "phase-simulation", end - timedelta(days=3))
    saved = {key: -estimate(delivered) for key, delivered in simulated.items()}
    ends = (
        "As the tender notice announced, your contract ends at this gate; every instalment you"
        " earned has been paid."
    )
    gate_decide(
        actor=authority.lead,
        review_id=review.pk,
        reasons=(
            f"Brightwater's route plan was accepted and its simulated rounds were"
            f" {saved[BRIGHTWATER]:.1f} miles a day shorter. Egdon's rounds were"
            f" {saved[EGDON]:.1f} miles shorter, but its route plan broke the crews' working-time"
            f" limits on three Monday rounds and was not accepted. Melchester's plan was accepted,"
            f" but its rounds were only {saved[MELCHESTER]:.1f} miles shorter, short of the 4 the"
            " target asked for. The tender notice announced that the council may continue with"
            " one partner after the simulation: it continues with Brightwater."
        ),
        choices=[
            GateChoice(
                contracts[BRIGHTWATER].pk,
                "continue",
                f"Your route plan was accepted and your simulated rounds were"
                f" {saved[BRIGHTWATER]:.1f} miles a day shorter: continue to the live pilot.",
            ),
            GateChoice(
                contracts[EGDON].pk,
                "end",
                "Your route plan was not accepted: three Monday rounds from the Shaston depot"
                f" break the crews' 10-hour limit. {ends}",
            ),
            GateChoice(
                contracts[MELCHESTER].pk,
                "end",
                f"Your simulated rounds were {saved[MELCHESTER]:.1f} miles a day shorter, not the"
                f" 4 the target asked for. {ends}",
            ),
        ],
        now=at(end + timedelta(days=1), 15),
    )


def _live_pilot(
    authority: Authority, procurement: Procurement, contract: Contract, rng: np.random.Generator
) -> None:
    """Eight months on the pilot rounds (two added by a change), every target met, the purchase."""
    start = phase_dates(contract)["phase-live-pilot"][0]
    accept(
        authority,
        contract,
        "instalment-pilot-live",
        "All eight pilot rounds live on the new routes, re-planned each night",
        at(start + timedelta(days=28), 11),
    )
    live = [claim(contract, "instalment-pilot-live", at(start + timedelta(days=30), 9))]
    approve(authority, live, start + timedelta(days=37))
    pay(authority, live, start + timedelta(days=50))
    _change(authority, contract, start + timedelta(days=75))
    end = phase_dates(contract)["phase-live-pilot"][1]
    delivered = _pilot_data(authority, contract, start, end, rng)
    test = acceptance_record(
        actor=authority.lead,
        contract_id=contract.pk,
        name=OVERNIGHT_TEST,
        passed=True,
        performance_level=contract.performance_levels[2],
        now=at(end + timedelta(days=6), 11),
    )
    claims = [
        claim(contract, key, at(end + timedelta(days=7), 9 + hour))
        for hour, key in enumerate(("instalment-pilot-data", "instalment-pilot-targets"))
    ]
    approve(authority, claims, end + timedelta(days=12))
    _purchase_gate(authority, procurement, contract, delivered, test.pk, end)
    pay(authority, claims, end + timedelta(days=24))


def _change(authority: Authority, contract: Contract, made: date) -> None:
    """The food-waste rounds added to the pilot, after the contract change notice (UK10)."""
    contract_change(
        actor=authority.lead,
        contract_id=contract.pk,
        ground="additional",
        reason=CHANGE_REASON,
        changes=[PhaseChange("phase-live-pilot", max_value=Decimal("190000"), duration_months=8)],
        justification=CHANGE_JUSTIFICATION,
        change_notice_published_on=made - timedelta(days=8),
        now=at(made, 14),
    )


def _pilot_data(
    authority: Authority, contract: Contract, start: date, end: date, rng: np.random.Generator
) -> dict[str, Evidence]:
    """The pilot's mileage and missed bins, sent after it ended and checked independently."""
    routing = ROUTINGS[BRIGHTWATER]
    files = {
        "target-pilot-miles": (
            miles_file(routing, PILOT_ROUNDS, start, end, rng, lag_days=364),
            "pilot-round-miles.csv",
        ),
        "target-pilot-missed": (
            missed_file(routing, PILOT_ROUNDS, start, end, rng),
            "pilot-missed-bins.csv",
        ),
    }
    delivered = {
        key: deliver(contract, key, data, name, at(end + timedelta(days=3), 10, 5 * number))
        for number, (key, (data, name)) in enumerate(files.items())
    }
    check(authority, delivered.values(), Validation.INDEPENDENT, end + timedelta(days=5))
    return delivered


def _purchase_gate(
    authority: Authority,
    procurement: Procurement,
    contract: Contract,
    delivered: dict[str, Evidence],
    test_id: int,
    end: date,
) -> None:
    """The gate after the pilot: each level met by named evidence, the price within the maximum."""
    review = open_gate(authority, procurement, "phase-live-pilot", end + timedelta(days=13))
    miles, missed = (
        -estimate(delivered["target-pilot-miles"]),
        estimate(delivered["target-pilot-missed"]),
    )
    levels = contract.performance_levels
    reasons = (
        f"The pilot rounds were {miles:.1f} miles a day shorter than a year before and missed"
        f" {missed:.2f} bins per 1,000 due; the overnight re-planning test passed on 20"
        f" consecutive nights. Each performance level agreed in the contract is met, and the price"
        f" of £{PURCHASE_PRICE:,} is within the maximum cost of £{contract.max_cost:,.0f}: the"
        " council buys the routing service for every round."
    )
    gate_decide(
        actor=authority.lead,
        review_id=review.pk,
        reasons=reasons,
        choices=[
            GateChoice(
                contract.pk,
                "purchase",
                reasons,
                purchase_price=PURCHASE_PRICE,
                purchase_evidence={
                    levels[0]: "target:target-pilot-miles",
                    levels[1]: "target:target-pilot-missed",
                    levels[2]: f"acceptance:{test_id}",
                },
            )
        ],
        now=at(end + timedelta(days=20), 15),
    )
