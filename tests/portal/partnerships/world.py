"""
A Wessex partnership with three partners (Kestrel, Osprey and Heron), concluded today under the
Procurement Act 2023, with two phases: a service design phase whose instalments are earned by an
accepted deliverable, by data delivered and by the target met, and a pilot phase. Outcome data
files are made here: each row is one booking or trip, 1 when it met the standard.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from cast import Org
from django.core.files.uploadedfile import SimpleUploadedFile
from portal.award.record import AWARD_DESIGN, Evaluated, evaluated

from sanely.portal.accounts.models import Role
from sanely.portal.award.models import Contract
from sanely.portal.award.services import award_notify, contracts_conclude
from sanely.portal.core.clock import now
from sanely.portal.evaluation.models import EvaluationOutcome
from sanely.portal.partnerships.models import Partnership


def _target(key: str, metric: str, threshold: str) -> dict[str, Any]:
    return {
        "key": key,
        "metric": metric,
        "statistic": "proportion",
        "design": "threshold",
        "comparator": ">=",
        "threshold": threshold,
    }


PARTNERSHIP_DESIGN: dict[str, Any] = {
    **AWARD_DESIGN,
    "phases": {
        "items": [
            {
                "key": "phase-design",
                "name": "Service design",
                "duration_months": 4,
                "max_value": "60000",
                "targets": [
                    _target("target-answered", "Booking requests answered within a day", "0.8")
                ],
                "instalments": [
                    {
                        "key": "instalment-design",
                        "description": "Service design accepted",
                        "amount": "30000",
                        "condition": "deliverable",
                    },
                    {
                        "key": "instalment-data",
                        "description": "Booking data delivered",
                        "amount": "10000",
                        "condition": "data",
                    },
                    {
                        "key": "instalment-effect",
                        "description": "Booking target met",
                        "amount": "20000",
                        "condition": "effect",
                    },
                ],
            },
            {
                "key": "phase-pilot",
                "name": "Pilot",
                "duration_months": 6,
                "max_value": "200000",
                "targets": [_target("target-on-time", "Trips on time", "0.9")],
                "instalments": [
                    {
                        "key": "instalment-pilot",
                        "description": "Pilot run for six months",
                        "amount": "100000",
                        "condition": "deliverable",
                    },
                    {
                        "key": "instalment-on-time",
                        "description": "On-time target met",
                        "amount": "100000",
                        "condition": "effect",
                    },
                ],
            },
        ]
    },
}


@dataclass
class World:
    record: Evaluated

    @property
    def procurement_id(self) -> int:
        return self.record.procurement.pk

    def contract(self, partner: Org) -> Contract:
        return Contract.objects.get(partner=partner.organisation)

    @property
    def partnership(self) -> Partnership:
        return Partnership.objects.get(procurement=self.record.procurement)


def partnership_world(
    wessex: Org,
    *,
    design: dict[str, Any] | None = None,
    reference: str = "IP-PARTNERS",
    commenced_on: date | None = None,
) -> World:
    """Three partner contracts concluded today, the partnership begun (under the Procurement
    Act, or under the rules in force on `commenced_on`)."""
    record = evaluated(
        wessex,
        reference=reference,
        design=design or PARTNERSHIP_DESIGN,
        **({"commenced_on": commenced_on} if commenced_on else {}),
    )
    EvaluationOutcome.objects.filter(
        procurement=record.procurement, tenderer=record.heron.organisation
    ).update(recommended=True)
    lead = wessex.actor(Role.PROCUREMENT_LEAD)
    award_notify(actor=lead, procurement_id=record.procurement.pk, now=now() - timedelta(20))
    contracts_conclude(actor=lead, procurement_id=record.procurement.pk, now=now())
    return World(record)


def outcome_file(successes: int, failures: int, name: str = "outcomes.csv") -> SimpleUploadedFile:
    """A data file of one column, `value`: 1 for each success, 0 for each failure."""
    rows = ["1"] * successes + ["0"] * failures
    return SimpleUploadedFile(name, ("value\n" + "\n".join(rows) + "\n").encode(), "text/csv")
