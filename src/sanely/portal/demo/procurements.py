"""
Demo procurements under three regimes and in several states, with dates relative to `now`:
Wessex County Council under the Procurement Act 2023 (one drafting, one open for requests, one
in standstill) and under PCR 2015 (commenced in 2024: one negotiating its second round of
tenders, one in moderation), and NHS Lothian under PCSR 2015 (requests open). The competition
of the later-stage ones is played by `demo/competition.py`. Each is found by its
reference first, so loading twice changes nothing. Its history is played through the same
services as a person would use, at the moments it happened.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sanely.portal.accounts.models import Organisation, User
from sanely.portal.accounts.selectors import Actor
from sanely.portal.procurements.design import ActionIn
from sanely.portal.procurements.engine import uk_date
from sanely.portal.procurements.models import Procurement
from sanely.portal.procurements.services import (
    procurement_act,
    procurement_create,
    procurement_design_update,
)

JUSTIFICATION = "Reviewed with legal services; the reasons are in the procurement file."


@dataclass(frozen=True)
class DemoProcurement:
    reference: str
    authority: str  # the organisation's identifier
    lead: str  # email of the person who runs it
    title: str
    need: str
    market: str
    requirement: str
    target: tuple[str, str, str]  # metric, comparator, threshold
    # The rest of the target in the evidence engine's terms, with its planning inputs.
    measure: dict[str, Any] = field(default_factory=dict)
    commenced_on: date | None = None
    notice_days_ago: int | None = None  # None: the notice is planned two weeks ahead
    complete: bool = True
    # (event, days ago, answers) played in order.
    steps: tuple[tuple[str, int, dict[str, Any]], ...] = field(default_factory=tuple)


PROCUREMENTS = [
    DemoProcurement(
        reference="WCC-IP-2026-001",
        authority="E10000099",
        lead="procurement@wessex.example",
        title="Demand-responsive rural transport",
        need="Residents of 40 villages without a daily bus cannot reach GP and hospital"
        " appointments without a car.",
        market="Bookable minibus services on the market need ten times our trip density.",
        requirement="Every vehicle is wheelchair accessible",
        target=("Mean change in wait for a booked trip, minutes", "<=", "-2"),
        measure={
            "design": "did",
            "units": "minutes",
            "expected_sd": 6.0,
            "observations_per_month": 60,
            "expected_value": 0.0,
        },
        notice_days_ago=5,
        steps=(("publish_tender_notice", 5, {}),),
    ),
    DemoProcurement(
        reference="WCC-IP-2026-002",
        authority="E10000099",
        lead="commissioner@wessex.example",
        title="Falls prevention sensors for home care",
        need="Older people living alone fall at night and lie undiscovered for hours.",
        market="Pendant alarms need the person to press them; no product detects falls"
        " reliably without cameras.",
        requirement="No cameras in the home",
        target=("Falls detected within 5 minutes, %", ">=", "90"),
        complete=False,
    ),
    DemoProcurement(
        reference="WCC-IP-2024-003",
        authority="E10000099",
        lead="procurement@wessex.example",
        title="Predictive winter gritting routes",
        need="Gritting follows fixed routes and misses the roads that freeze first.",
        market="Route optimisers on the market do not use road-surface forecasts.",
        requirement="Routes are ready by 18:00 for the night ahead",
        target=("Frozen-road incidents per 1,000 km, change", "<=", "-15"),
        commenced_on=date(2024, 10, 1),
        notice_days_ago=70,
        # The competition demo (core/demo_competition.py) plays the rest.
        steps=(("submit_notice", 70, {}),),
    ),
    DemoProcurement(
        reference="WCC-IP-2024-004",
        authority="E10000099",
        lead="procurement@wessex.example",
        title="Home care visits scheduled around people",
        need="Home care visits are scheduled around carers' rounds, so people wait in bed"
        " for a morning call that comes at eleven.",
        market="Rostering products optimise mileage, not the times people ask for.",
        requirement="Every visit is within 30 minutes of the agreed time",
        target=("Visits within 30 minutes of the agreed time, %", ">=", "90"),
        commenced_on=date(2024, 11, 1),
        notice_days_ago=150,
        steps=(("submit_notice", 150, {}),),
    ),
    DemoProcurement(
        reference="WCC-IP-2025-005",
        authority="E10000099",
        lead="procurement@wessex.example",
        title="Hospital discharge to assess at home",
        need="Patients medically fit to leave hospital wait days for a care assessment.",
        market="Discharge tools on the market track beds, not the assessments people need.",
        requirement="Assessment starts within 24 hours of discharge",
        target=("Days from medically fit to discharge, change", "<=", "-1"),
        commenced_on=date(2025, 6, 2),
        notice_days_ago=120,
        steps=(("publish_tender_notice", 120, {}),),
    ),
    DemoProcurement(
        reference="NHSL-IP-2026-001",
        authority="SC-LOTHIAN",
        lead="procurement@lothian.example",
        title="Remote monitoring for COPD patients",
        need="People with COPD are admitted to hospital after exacerbations that could be"
        " seen coming days earlier.",
        market="Home monitoring kits on the market do not predict exacerbations.",
        requirement="Data stay in the UK",
        target=("Emergency admissions per 100 patients, change", "<=", "-10"),
        notice_days_ago=12,
        steps=(("submit_notice", 12, {}),),
    ),
]


def _design(spec: DemoProcurement, notice_on: date) -> dict[str, Any]:
    metric, comparator, threshold = spec.target
    phase_targets = [
        {"metric": metric, "comparator": comparator, "threshold": threshold, **spec.measure}
    ]
    design: dict[str, Any] = {
        "need": {
            "need_statement": spec.need,
            "market_unavailability": spec.market,
            "outcomes": [metric.split(",")[0]],
        },
        "minimum_requirements": {"items": [spec.requirement]},
        "phases": {
            "items": [
                {
                    "name": name,
                    "purpose": purpose,
                    "duration_months": months,
                    "max_value": value,
                    "targets": phase_targets,
                    "instalments": (
                        [{"description": f"On meeting the {name.lower()} targets", "amount": value}]
                        if spec.complete
                        else []
                    ),
                }
                for name, purpose, months, value in (
                    ("Design", "Design and test with users", 4, "80000"),
                    ("Pilot", "Run in a limited area and measure the targets", 9, "250000"),
                )
            ]
        },
    }
    if not spec.complete:
        return design
    return design | {
        "partners": {
            "partner_model": "multiple",
            "max_partners": 2,
            "min_candidates": 3,
            "max_candidates": 4,
        },
        "gates": {
            "termination_announced": True,
            "termination_conditions": "A phase's targets are missed and the gap cannot close.",
            "reduction_announced": True,
            "reduction_conditions": "Partners whose targets are missed at a gate leave.",
        },
        "ipr": {
            "model": "partner_owns_with_licence",
            "terms": "Partners own the results; the authority has a free perpetual licence.",
        },
        "confidentiality": {"terms": "Tenders and negotiations are confidential."},
        "selection": {
            "scale_max": 5,
            "criteria": [
                {"name": "Insurance and financial standing", "tag": "other"},
                {
                    "name": "Research and development record",
                    "tag": "rd_capacity",
                    "assessment": "scored",
                    "weight": "2",
                    "minimum_score": "2",
                },
                {
                    "name": "Innovations taken into service",
                    "tag": "innovation_implementation",
                    "assessment": "scored",
                    "minimum_score": "1",
                },
            ],
        },
        "award": {
            "model": "price_quality",
            "scale_max": 10,
            "price_formula": "relative_to_lowest",
            "criteria": [
                {
                    "name": "Quality of the solution",
                    "kind": "quality",
                    "weight": "55",
                    "sub_criteria": [
                        {"name": "Service design", "weight": "60"},
                        {"name": "Delivery and risk", "weight": "40"},
                    ],
                },
                {"name": "Price", "kind": "price", "weight": "30"},
                {"name": "Social value", "kind": "social_value", "weight": "15"},
            ],
            "staged_reduction_announced": True,
        },
        "purchase": {
            "estimated_value": "900000",
            "max_cost": "950000",
            "performance_levels": [f"{metric} {comparator} {threshold}"],
            "kpis": ["Service availability", "User satisfaction", "Cost per user"],
        },
        "conflicts": {
            "declarations": [
                {
                    "person": "Evaluator",
                    "interest": "Former employee of a bidder",
                    "mitigation": "Does not score that bid",
                }
            ],
            "assessment_complete": True,
            "assessment_summary": "One interest declared and mitigated.",
        },
        "timeline": {
            "notice_on": notice_on.isoformat(),
            "requests_deadline": (notice_on + timedelta(days=35)).isoformat(),
            "procedure_description": "Requests, initial tenders, up to two negotiation rounds,"
            " final tenders; two phases with gates.",
        },
    }


def demo_procurements(*, now: datetime) -> None:
    """Create the demo procurements that are missing."""
    for spec in PROCUREMENTS:
        if Procurement.objects.filter(reference=spec.reference).exists():
            continue
        actor = Actor.for_session(User.objects.get(email=spec.lead))
        started = now - timedelta(days=(spec.notice_days_ago or 0) + 14)
        notice_on = (
            uk_date(now - timedelta(days=spec.notice_days_ago))
            if spec.notice_days_ago is not None
            else uk_date(now) + timedelta(days=14)
        )
        procurement = procurement_create(
            actor=actor,
            organisation_id=Organisation.objects.get(identifier=spec.authority).pk,
            title=spec.title,
            commenced_on=spec.commenced_on,
            reference=spec.reference,
            now=started,
        )
        procurement_design_update(
            actor=actor,
            procurement_id=procurement.pk,
            sections=_design(spec, notice_on),
            now=started,
        )
        for event, days_ago, answers in spec.steps:
            procurement_act(
                actor=actor,
                procurement_id=procurement.pk,
                event=event,
                action=ActionIn(justification=JUSTIFICATION, **answers).to_action(),
                now=now - timedelta(days=days_ago),
            )
