"""
Demo procurements under three regimes and in several states, with dates relative to `now`:
Wessex County Council under the Procurement Act 2023 (one drafting, one open for requests, one
in standstill, one terminated without award, and two partnerships: rural buses at a gate
review, household-waste routes in the purchase) and under PCR 2015 (commenced in 2024: one
negotiating its second round of tenders, one in moderation), and NHS Lothian under PCSR 2015
(requests open). The competition of the later-stage ones is played by `demo/competition.py`,
the partnerships by `demo/partnerships.py`. Each design is a data file,
designs/<reference>.json, that a test validates and test fixtures load. Each procurement is
found by its reference first, so loading twice changes nothing. Its history is played through
the same services as a person would use, at the moments it happened.
"""

import json
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from sanely.portal.accounts.models import Organisation, User
from sanely.portal.accounts.selectors import Actor
from sanely.portal.procurements.actions import Action
from sanely.portal.procurements.engine import uk_date
from sanely.portal.procurements.models import Procurement
from sanely.portal.procurements.services import (
    procurement_act,
    procurement_create,
    procurement_design_update,
)
from sanely.procedure import events as lifecycle

DESIGNS = Path(__file__).parent / "designs"
JUSTIFICATION = "Reviewed with legal services; the reasons are in the procurement file."


@dataclass(frozen=True)
class DemoProcurement:
    reference: str  # also names its design file, designs/<reference>.json
    authority: str  # the organisation's identifier
    lead: str  # email of the person who runs it
    title: str
    commenced_on: date | None = None
    notice_days_ago: int | None = None  # None: the notice is planned two weeks ahead
    # (event, days ago, answers) played in order.
    steps: tuple[tuple[str, int, dict[str, Any]], ...] = field(default_factory=tuple)


PROCUREMENTS = [
    DemoProcurement(
        reference="WCC-IP-2026-001",
        authority="E10000099",
        lead="procurement@wessex.example",
        title="Demand-responsive rural transport",
        notice_days_ago=5,
        steps=((lifecycle.PUBLISH_TENDER_NOTICE, 5, {}),),
    ),
    DemoProcurement(
        reference="WCC-IP-2026-002",
        authority="E10000099",
        lead="commissioner@wessex.example",
        title="Falls prevention sensors for home care",
    ),
    DemoProcurement(
        reference="WCC-IP-2024-003",
        authority="E10000099",
        lead="procurement@wessex.example",
        title="Predictive winter gritting routes",
        commenced_on=date(2024, 10, 1),
        notice_days_ago=70,
        # The competition demo (demo/competition.py) plays the rest.
        steps=((lifecycle.SUBMIT_NOTICE, 70, {}),),
    ),
    DemoProcurement(
        reference="WCC-IP-2024-004",
        authority="E10000099",
        lead="procurement@wessex.example",
        title="Home care visits scheduled around people",
        commenced_on=date(2024, 11, 1),
        notice_days_ago=150,
        steps=((lifecycle.SUBMIT_NOTICE, 150, {}),),
    ),
    DemoProcurement(
        reference="WCC-IP-2025-005",
        authority="E10000099",
        lead="procurement@wessex.example",
        title="Hospital discharge to assess at home",
        commenced_on=date(2025, 6, 2),
        notice_days_ago=120,
        steps=((lifecycle.PUBLISH_TENDER_NOTICE, 120, {}),),
    ),
    DemoProcurement(
        reference="WCC-IP-2025-006",
        authority="E10000099",
        lead="procurement@wessex.example",
        title="Demand-responsive buses in three rural districts",
        commenced_on=date(2025, 7, 1),
        notice_days_ago=467,
        # The competition demo plays the rest, and demo/partnerships.py the partnership.
        steps=((lifecycle.PUBLISH_TENDER_NOTICE, 467, {}),),
    ),
    DemoProcurement(
        reference="WCC-IP-2025-007",
        authority="E10000099",
        lead="procurement@wessex.example",
        title="Smarter household-waste collection routes",
        commenced_on=date(2025, 5, 1),
        notice_days_ago=529,
        steps=((lifecycle.PUBLISH_TENDER_NOTICE, 529, {}),),
    ),
    DemoProcurement(
        reference="WCC-IP-2025-008",
        authority="E10000099",
        lead="procurement@wessex.example",
        title="Community connectors for people living alone",
        commenced_on=date(2025, 7, 1),
        notice_days_ago=100,
        steps=(
            (lifecycle.PUBLISH_TENDER_NOTICE, 100, {}),
            (
                lifecycle.ABANDON,
                60,
                {
                    "evidence": "Only one request to participate met the minimum requirements,"
                    " too few for a competition between partners. The need will be met through"
                    " the community hubs' existing grant programme instead."
                },
            ),
        ),
    ),
    DemoProcurement(
        reference="NHSL-IP-2026-001",
        authority="SC-LOTHIAN",
        lead="procurement@lothian.example",
        title="Remote monitoring for COPD patients",
        notice_days_ago=12,
        steps=((lifecycle.SUBMIT_NOTICE, 12, {}),),
    ),
]


def demo_design(reference: str) -> dict[str, Any]:
    """
    The design of a demo procurement as its file holds it: the body the design API takes, with
    the keys of its phases, targets and instalments, and no dates (they follow the demo's now).
    """
    design: dict[str, Any] = json.loads((DESIGNS / f"{reference}.json").read_text())
    return design


def _dated(design: dict[str, Any], notice_on: date) -> dict[str, Any]:
    """The design with its timeline's notice and request deadline (35 days later) filled in."""
    if "timeline" not in design:
        return design
    dates = {
        "notice_on": notice_on.isoformat(),
        "requests_deadline": (notice_on + timedelta(days=35)).isoformat(),
    }
    return design | {"timeline": design["timeline"] | dates}


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
            sections=_dated(demo_design(spec.reference), notice_on),
            now=started,
        )
        for event, days_ago, answers in spec.steps:
            procurement_act(
                actor=actor,
                procurement_id=procurement.pk,
                event=event,
                action=Action(justification=JUSTIFICATION, **answers),
                now=now - timedelta(days=days_ago),
            )
