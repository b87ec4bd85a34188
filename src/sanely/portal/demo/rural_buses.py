"""
The flagship partnership: demand-responsive buses in three rural districts of Wessex
(WCC-IP-2025-006, Procurement Act 2023), one district per partner. The contracts were concluded
about ten months ago. Phase 1 (service design and a four-week booking trial) is done and its gate
decided: all three continue. Phase 2, the six-month pilot, has ended; every partner's pilot data
are in, the Stour Valley's late and sent first with a wrong column. The gate review after the
pilot is open: Blackmoor Vale Transport misses its trips and cost targets. Claims stand in every
status from submitted to paid.
"""

from datetime import date, timedelta

import numpy as np

from sanely.portal.accounts.models import Role
from sanely.portal.award.models import Contract
from sanely.portal.partnerships.models import Evidence, Validation
from sanely.portal.partnerships.services import (
    GateChoice,
    claim_answer,
    claim_query,
    gate_decide,
    gate_report_submit,
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
    person,
    phase_dates,
)
from .outcome_data import (
    SEED,
    Day,
    District,
    cost_file,
    district_days,
    satisfaction_file,
    trial_file,
    trips_file,
    wait_file,
)

REFERENCE = "WCC-IP-2025-006"
KESTREL, FENLAND, BLACKMOOR = "14500001", "14500002", "14500005"
# Each partner's district, and how its pilot truly went (the simulation's truth).
DISTRICTS = {
    KESTREL: District(
        name="North Downs",
        pilot=(
            "Ashcombe Down",
            "Barrow Hill",
            "Chalkpit Green",
            "Dewlish Magna",
            "Everdon",
            "Frome Upton",
        ),
        comparison=("Gorwell", "Hartgrove", "Ivyleaze", "Knapp Cross"),
        extra_trips=5.0,
        shorter_wait=13.0,
        cost_per_day=92.0,
        satisfied=0.88,
        confirmed=0.95,
    ),
    FENLAND: District(
        name="Stour Valley",
        pilot=(
            "Longmead",
            "Marnford",
            "Netherbury St Giles",
            "Orchard Stoke",
            "Pennymoor",
            "Quarry Sutton",
        ),
        comparison=("Ridgeway End", "Stour Provost Green", "Tollard Rise", "Underhill"),
        extra_trips=4.5,
        shorter_wait=8.5,
        cost_per_day=88.0,
        satisfied=0.91,
        confirmed=0.94,
        outage_days=9,
    ),
    BLACKMOOR: District(
        name="Blackmoor Vale",
        pilot=(
            "Hazelbury Parva",
            "Kingsmoor",
            "Lydlinch Common",
            "Mappowder Green",
            "Pulham Cross",
            "Stalbridge Weston",
        ),
        comparison=("Thornhill", "Wootton Glanvil", "Yardgrove", "Bagber End"),
        extra_trips=1.2,
        shorter_wait=11.0,
        cost_per_day=105.0,
        satisfied=0.785,
        confirmed=0.96,
    ),
}
PILOT_FILES = {
    "target-pilot-trips": ("trips", trips_file),
    "target-pilot-wait": ("waits", wait_file),
    "target-pilot-cost": ("costs", cost_file),
    "target-pilot-satisfaction": ("satisfaction", satisfaction_file),
}
# Days after the pilot ended that each partner's data arrived: the Stour Valley's were late.
DELIVERED_AFTER = {KESTREL: 3, BLACKMOOR: 4, FENLAND: 15}


def play(procurement: Procurement) -> None:
    """Play the partnership from the concluded contracts to the open gate after the pilot."""
    authority = Authority.of(procurement)
    contracts = partners(procurement)
    dates = phase_dates(next(iter(contracts.values())))  # every partner's plan has the same
    rng = np.random.default_rng(SEED)
    trials = _design_phase(authority, contracts, dates["phase-service-design"], rng)
    _first_gate(authority, procurement, contracts, trials, dates["phase-service-design"][1])
    _pilot(authority, procurement, contracts, dates["phase-pilot"], rng)


def _slug(contract: Contract) -> str:
    return DISTRICTS[contract.partner.identifier].name.lower().replace(" ", "-")


def _design_phase(
    authority: Authority,
    contracts: dict[str, Contract],
    phase: tuple[date, date],
    rng: np.random.Generator,
) -> dict[str, Evidence]:
    """The four-week booking trial's data delivered and checked, each design accepted, all paid."""
    start, end = phase
    trial = start + timedelta(days=49)
    trials = {
        key: deliver(
            contract,
            "target-trial-confirmed",
            trial_file(DISTRICTS[key], trial, rng),
            f"{_slug(contract)}-booking-trial.csv",
            at(trial + timedelta(days=33), 10 + hour),
        )
        for hour, (key, contract) in enumerate(contracts.items())
    }
    check(authority, trials.values(), Validation.AUTHORITY, trial + timedelta(days=36))
    for key, contract in contracts.items():
        accept(
            authority,
            contract,
            "instalment-service-design",
            f"Service design for the {DISTRICTS[key].name}, version 2 (after residents' workshops)",
            at(end - timedelta(days=34), 12),
        )
    _design_claims(authority, contracts, end)
    return trials


def _design_claims(authority: Authority, contracts: dict[str, Contract], end: date) -> None:
    """Every instalment of phase 1 claimed and paid; one claim paid after a query."""
    claimed = end - timedelta(days=30)
    claims = [
        claim(contract, key, at(claimed, 9 + hour))
        for hour, contract in enumerate(contracts.values())
        for key in ("instalment-service-design", "instalment-trial-data", "instalment-trial-target")
    ]
    queried = next(
        c
        for c in claims
        if c.contract.partner.identifier == FENLAND and c.instalment_key == "instalment-trial-data"
    )
    claim_query(
        actor=authority.finance,
        claim_id=queried.pk,
        query="The invoice quotes no purchase order: which order does it belong to?",
        now=at(claimed + timedelta(days=2), 11),
    )
    claim_answer(
        actor=person(queried.contract.partner, Role.SUPPLIER_ADMIN),
        claim_id=queried.pk,
        answer="Purchase order WCC-PO-448213; the invoice has been reissued quoting it.",
        now=at(claimed + timedelta(days=3), 16),
    )
    approve(authority, claims, claimed + timedelta(days=7))
    pay(authority, claims, claimed + timedelta(days=21))


DESIGN_REPORTS = {
    KESTREL: "Twelve workshops in the North Downs shaped the service: trips pooled to meet the"
    " Casterbridge trains, and a phone line for people without a smartphone. The booking trial"
    " ran with 48 volunteer households.",
    FENLAND: "Our phone line, staffed with volunteers from the valley's village halls, took most"
    " of the trial bookings. Residents asked for Saturday trips to the Sherton Abbas market,"
    " which the pilot will run.",
    BLACKMOOR: "The trial used our school-contract minibuses between school runs. Residents asked"
    " for earlier morning trips, which those vehicles can run only in the school holidays.",
}


def _first_gate(
    authority: Authority,
    procurement: Procurement,
    contracts: dict[str, Contract],
    trials: dict[str, Evidence],
    end: date,
) -> None:
    """The review in the last week of phase 1: every partner continues to the pilot."""
    review = open_gate(authority, procurement, "phase-service-design", end - timedelta(days=6))
    for hour, (key, contract) in enumerate(contracts.items()):
        gate_report_submit(
            actor=person(contract.partner, Role.SUPPLIER_ADMIN),
            review_id=review.pk,
            contract_id=contract.pk,
            report=DESIGN_REPORTS[key],
            now=at(end - timedelta(days=4), 13 + hour),
        )
    choices = [
        GateChoice(
            contract.pk,
            "continue",
            f"Your service design was accepted and {estimate(trials[key]):.0%} of trial bookings"
            f" were confirmed within 10 minutes, above the 85% the target asked for: continue to"
            f" the pilot in the {DISTRICTS[key].name}.",
        )
        for key, contract in contracts.items()
    ]
    gate_decide(
        actor=authority.lead,
        review_id=review.pk,
        reasons="Every partner's service design was accepted and each met the booking-trial"
        " target. The three designs differ enough to be worth piloting side by side: trips pooled"
        " to the trains, a volunteer-backed phone line, and school-contract minibuses between"
        " school runs. The panel continues with all three.",
        choices=choices,
        now=at(end - timedelta(days=1), 15),
    )


def _pilot(
    authority: Authority,
    procurement: Procurement,
    contracts: dict[str, Contract],
    phase: tuple[date, date],
    rng: np.random.Generator,
) -> None:
    """Six months of service, its data in after the end (the Stour Valley's late), the gate open."""
    start, end = phase
    running = [
        claim(contract, "instalment-pilot-running", at(start + timedelta(days=38), 9 + hour))
        for hour, contract in enumerate(_accepted_running(authority, contracts, start))
    ]
    approve(authority, running, start + timedelta(days=45))
    pay(authority, running, start + timedelta(days=59))
    days = {key: district_days(DISTRICTS[key], start, end, rng) for key in contracts}
    delivered = {
        key: _pilot_data(contracts[key], days[key], end + timedelta(days=DELIVERED_AFTER[key]))
        for key in (KESTREL, BLACKMOOR)
    }
    _pilot_claims(authority, contracts, delivered, end)
    late = end + timedelta(days=DELIVERED_AFTER[FENLAND])
    deliver(
        contracts[FENLAND],
        "target-pilot-wait",
        wait_file(days[FENLAND]).replace(b",value\n", b",minutes\n", 1),
        "stour-valley-waits.csv",
        at(late, 9),
    )  # sent first with the wrong column name: it cannot be assessed; all four follow at 10
    _pilot_data(contracts[FENLAND], days[FENLAND], late)
    _gate_after_pilot(authority, procurement, contracts, delivered, end)


def _accepted_running(
    authority: Authority, contracts: dict[str, Contract], start: date
) -> list[Contract]:
    for key, contract in contracts.items():
        accept(
            authority,
            contract,
            "instalment-pilot-running",
            f"Pilot running in all six villages of the {DISTRICTS[key].name}: vehicles, drivers"
            " and the booking line inspected",
            at(start + timedelta(days=35), 11),
        )
    return list(contracts.values())


def _pilot_data(contract: Contract, days: list[Day], day: date) -> dict[str, Evidence]:
    """A partner's four pilot files, sent a few minutes apart (Kestrel's by its analyst)."""
    role = Role.SUPPLIER_MEMBER if contract.partner.identifier == KESTREL else Role.SUPPLIER_ADMIN
    return {
        target: deliver(
            contract,
            target,
            make(days),
            f"{_slug(contract)}-pilot-{what}.csv",
            at(day, 10) + timedelta(minutes=5 * number),
            role,
        )
        for number, (target, (what, make)) in enumerate(PILOT_FILES.items())
    }


def _pilot_claims(
    authority: Authority,
    contracts: dict[str, Contract],
    delivered: dict[str, dict[str, Evidence]],
    end: date,
) -> None:
    """Kestrel's data claim approved and its targets claim waiting; Blackmoor's data queried."""
    kestrel = claim(contracts[KESTREL], "instalment-pilot-data", at(end + timedelta(days=6), 9))
    blackmoor = claim(contracts[BLACKMOOR], "instalment-pilot-data", at(end + timedelta(days=7), 9))
    check(authority, delivered[KESTREL].values(), Validation.INDEPENDENT, end + timedelta(days=8))
    check(authority, delivered[BLACKMOOR].values(), Validation.AUTHORITY, end + timedelta(days=9))
    claim_query(
        actor=authority.finance,
        claim_id=blackmoor.pk,
        query="The invoice is addressed to the council's highways team: address it to Passenger"
        " Transport, Wessex County Council, quoting purchase order WCC-PO-452907.",
        now=at(end + timedelta(days=10), 11),
    )
    claim(
        contracts[KESTREL],
        "instalment-pilot-targets",
        at(end + timedelta(days=11), 9),
        note="Every pilot target met; the verdicts were checked by the independent evaluator.",
    )
    approve(authority, [kestrel], end + timedelta(days=12))


def _gate_after_pilot(
    authority: Authority,
    procurement: Procurement,
    contracts: dict[str, Contract],
    delivered: dict[str, dict[str, Evidence]],
    end: date,
) -> None:
    """The review after the pilot, open with two of the three partners' reports in."""
    review = open_gate(authority, procurement, "phase-pilot", end + timedelta(days=17))
    for hour, key in enumerate((KESTREL, BLACKMOOR)):
        trips = estimate(delivered[key]["target-pilot-trips"])
        cost = estimate(delivered[key]["target-pilot-cost"])
        gate_report_submit(
            actor=person(contracts[key].partner, Role.SUPPLIER_ADMIN),
            review_id=review.pk,
            contract_id=contracts[key].pk,
            report=PILOT_REPORTS[key].format(trips=trips, cost=cost),
            now=at(end + timedelta(days=18), 10 + hour),
        )


PILOT_REPORTS = {
    KESTREL: "The pilot carried {trips:.1f} more passenger trips a village a day than the"
    " timetabled bus, at £{cost:.2f} a trip. Pooling trips to meet the Casterbridge trains"
    " worked best on weekdays; Saturdays were quieter than we planned.",
    BLACKMOOR: "Use grew slowly: {trips:.1f} more trips a village a day, at £{cost:.2f} a trip."
    " Our school-contract minibuses were free mostly between 10am and 2pm, when few residents"
    " travel. For the roll-out we would lease two vehicles for the morning and evening peaks.",
}
