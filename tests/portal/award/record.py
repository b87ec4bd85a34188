"""
A Wessex procurement whose evaluation is signed off, made directly (the evaluation app's rows
are created here, as its sign-off would): Kestrel and Osprey recommended, Heron ranked third,
Merlin left out in a staged reduction and Curlew not selected to tender.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from cast import Org
from competition import COMMENCED_ON, DESIGN, invite, procurement_at, suppliers

from sanely.portal.accounts.models import Role
from sanely.portal.competition.models import Participant, Standing
from sanely.portal.evaluation.models import EvaluationOutcome
from sanely.portal.procurements.models import Procurement

# Friday 19 March 2027: Good Friday is the 26th and Easter Monday the 29th.
SENT_AT = datetime(2027, 3, 19, 10, 0, tzinfo=UTC)

AWARD_DESIGN: dict[str, Any] = {
    **DESIGN,
    "phases": {
        "items": [
            {
                "key": "phase-prototype",
                "name": "Prototype",
                "duration_months": 6,
                "max_value": "120000",
                "targets": [
                    {
                        "key": "target-on-time",
                        "metric": "on_time_share",
                        "comparator": ">=",
                        "threshold": "0.9",
                    }
                ],
                "instalments": [
                    {
                        "key": "instalment-accepted",
                        "description": "Prototype accepted",
                        "amount": "80000",
                    },
                    {"key": "instalment-report", "description": "Pilot report", "amount": "40000"},
                ],
            }
        ]
    },
    "conflicts": {
        "declarations": [
            {
                "person": "Evaluator of Wessex County Council",
                "interest": "Former employee of Heron Transit CIC (left 2019)",
                "mitigation": "Did not score Heron's tender",
            }
        ],
        "assessment_complete": True,
        "assessment_summary": "One interest declared and mitigated.",
    },
    "timeline": {"procedure_description": "Two tender rounds with negotiation."},
}

NOT_SELECTED_REASON = "Scored 1 of 5 on R&D track record, below the minimum of 2."
REDUCED_REASON = "Ranked fourth after the first tenders; the staged reduction kept three."

# (supplier index, rank, total, price, recommended, quality, price points, social value)
RANKING = (
    (0, 1, "88.00", "400000", True, "54.00", "27.00", "7.00"),
    (1, 2, "81.50", "360000", True, "42.00", "30.00", "9.50"),
    (2, 3, "70.25", "390000", False, "36.00", "27.75", "6.50"),
)
STRENGTHS = (
    "The most detailed service design, with booking by phone and app, and a delivery plan"
    " tested in two villages.",
    "The lowest price, and the strongest social value offer: apprenticeships for local drivers.",
)


@dataclass
class Evaluated:
    procurement: Procurement
    suppliers: list[Org]

    @property
    def kestrel(self) -> Org:
        return self.suppliers[0]

    @property
    def osprey(self) -> Org:
        return self.suppliers[1]

    @property
    def heron(self) -> Org:
        return self.suppliers[2]

    @property
    def merlin(self) -> Org:
        return self.suppliers[3]

    @property
    def curlew(self) -> Org:
        return self.suppliers[4]


def _breakdown(quality: str, price: str, social: str) -> list[dict[str, str]]:
    return [
        {
            "criterion": "Quality",
            "kind": "quality",
            "weight": "60",
            "points": quality,
            "explanation": f"moderated quality worth {quality} of 60",
            "reasons": "Service design",
        },
        {
            "criterion": "Price",
            "kind": "price",
            "weight": "30",
            "points": price,
            "explanation": f"lowest price / price x 30 = {price}",
            "reasons": "",
        },
        {
            "criterion": "Social value",
            "kind": "social_value",
            "weight": "10",
            "points": social,
            "explanation": f"moderated social value worth {social} of 10",
            "reasons": "Local jobs",
        },
    ]


def evaluated(
    authority: Org,
    *,
    commenced_on: date = COMMENCED_ON,
    reference: str = "IP-2026-AWARD",
    design: dict[str, Any] | None = None,
    orgs: list[Org] | None = None,
) -> Evaluated:
    """The procurement in the rulebook's evaluation state with its outcomes signed off."""
    state = "assessment" if commenced_on >= date(2025, 2, 24) else "evaluation"
    procurement = procurement_at(
        authority,
        state,
        reference=reference,
        commenced_on=commenced_on,
        design=AWARD_DESIGN if design is None else design,
    )
    orgs = orgs or suppliers(5)
    invite(procurement, *orgs[:3])
    for org, standing, reason in (
        (orgs[3], Standing.REDUCED, REDUCED_REASON),
        (orgs[4], Standing.NOT_SELECTED, NOT_SELECTED_REASON),
    ):
        Participant.objects.create(
            procurement=procurement,
            organisation=org.organisation,
            standing=standing,
            reason=reason,
            changed_at=SENT_AT,
        )
    for index, rank, total, price, recommended, quality, points, social in RANKING:
        EvaluationOutcome.objects.create(
            procurement=procurement,
            tenderer=orgs[index].organisation,
            breakdown=_breakdown(quality, points, social),
            price=Decimal(price),
            total=Decimal(total),
            rank=rank,
            recommended=recommended,
            strengths=STRENGTHS[index] if recommended else "Sound but less detailed.",
            signed_off_by=authority.user(Role.PROCUREMENT_LEAD),
            signed_off_at=SENT_AT,
        )
    return Evaluated(procurement, orgs)
