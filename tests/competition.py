"""
A Wessex procurement at any stage of the competition, for the selection, negotiation,
evaluation and award tests: pinned to the real rulebook, with a full design (scored selection,
award criteria with sub-criteria, a published price formula) and its suppliers' standings.
The need, minimum requirements and partners are those of the demo's design of the same
service (demo/designs/WCC-IP-2026-001.json); the competition sections are the tests' own.

States are set directly so that each stage is tested on its own; the journey tests
(tests/portal/test_competition_journey.py) run every stage through the API and the pages.
"""

from datetime import date, timedelta
from typing import Any

from cast import SUPPLIER_ROLES, Org, make_org

from sanely.portal.accounts.models import Role
from sanely.portal.competition.models import Participant, Standing
from sanely.portal.core.clock import now
from sanely.portal.demo.procurements import demo_design
from sanely.portal.procurements.models import Procurement
from sanely.procedure import rulebook_for

COMMENCED_ON = date(2026, 10, 1)  # under the Procurement Act 2023 in England
PCR_COMMENCED_ON = date(2024, 10, 1)  # under the Public Contracts Regulations 2015

RURAL_TRANSPORT = demo_design("WCC-IP-2026-001")
DESIGN: dict[str, Any] = {
    **{name: RURAL_TRANSPORT[name] for name in ("need", "minimum_requirements", "partners")},
    "gates": {
        "termination_announced": True,
        "termination_conditions": "Targets missed at a gate.",
        "reduction_announced": True,
        "reduction_conditions": "The partner with the weaker results at a gate.",
    },
    "selection": {
        "scale_max": 5,
        "criteria": [
            {"name": "Insurance and finances", "tag": "other", "assessment": "pass_fail"},
            {
                "name": "R&D track record",
                "tag": "rd_capacity",
                "assessment": "scored",
                "weight": "2",
                "minimum_score": "2",
            },
            {
                "name": "Delivered innovations",
                "tag": "innovation_implementation",
                "assessment": "scored",
                "weight": "1",
                "minimum_score": "1",
            },
        ],
    },
    "award": {
        "model": "price_quality",
        "scale_max": 10,
        "price_formula": "relative_to_lowest",
        "abnormally_low_percent": "20",
        "staged_reduction_announced": True,
        "criteria": [
            {
                "name": "Quality",
                "kind": "quality",
                "weight": "60",
                "sub_criteria": [
                    {"name": "Service design", "weight": "50"},
                    {"name": "Delivery plan", "weight": "50"},
                ],
            },
            {"name": "Price", "kind": "price", "weight": "30"},
            {"name": "Social value", "kind": "social_value", "weight": "10"},
        ],
    },
    # Wessex is not central government and only suppliers that met the conditions may tender:
    # a tendering period of at least 10 days under the Procurement Act 2023 (s.54(4)).
    "timeline": {"circumstances": ["preselected_only"]},
    "purchase": {
        "estimated_value": "400000",
        "max_cost": "450000",
        "performance_levels": ["95% of trips on time"],
        "kpis": ["On-time trips"],
    },
}

SUPPLIERS = (
    ("Kestrel Mobility Ltd", "kestrel"),
    ("Osprey Robotics Ltd", "osprey"),
    ("Heron Transit CIC", "heron"),
    ("Merlin Buses Ltd", "merlin"),
    ("Curlew Analytics Ltd", "curlew"),
)


def suppliers(count: int = 5) -> list[Org]:
    """Up to five supplier organisations, each with an admin and a member."""
    return [
        make_org(name, "supplier", SUPPLIER_ROLES, slug=slug) for name, slug in SUPPLIERS[:count]
    ]


def procurement_at(
    authority: Org,
    state: str,
    *,
    reference: str = "IP-2026-COMP1",
    commenced_on: date = COMMENCED_ON,
    design: dict[str, Any] | None = None,
    **fields: Any,
) -> Procurement:
    """A published procurement of `authority` in `state`, pinned to the real rulebook."""
    rulebook = rulebook_for("england", commenced_on)
    moment = now() - timedelta(days=60)
    return Procurement.objects.create(
        organisation=authority.organisation,
        reference=reference,
        title="Demand-responsive rural transport",
        nation="england",
        commenced_on=commenced_on,
        rulebook_id=rulebook.id,
        rulebook_effective_from=rulebook.effective_from,
        rulebook_hash=rulebook.content_hash,
        state=state,
        design=design if design is not None else DESIGN,
        published_at=moment,
        notice_on=moment.date(),
        created_by=authority.user(Role.PROCUREMENT_LEAD),
        created_at=moment,
        updated_at=moment,
        **fields,
    )


def invite(procurement: Procurement, *tenderers: Org) -> None:
    """Record `tenderers` as invited to tender (round 1), as the selection does."""
    ids = [str(t.organisation.pk) for t in tenderers]
    for tenderer in tenderers:
        Participant.objects.create(
            procurement=procurement,
            organisation=tenderer.organisation,
            standing=Standing.INVITED,
            changed_at=now(),
        )
    procurement.qualified, procurement.invited = ids, ids
    procurement.rounds = [{"number": 1, "final": False}]
    procurement.save()
