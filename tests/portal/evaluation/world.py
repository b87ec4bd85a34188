"""
A Wessex competition whose final tenders are in and opened, for the evaluation tests: three
tenderers (Kestrel, Osprey, Heron) each submitted a final tender in the round that ran 26 days
(longer than any tendering period the designs here call for) and closed yesterday, and the lead
and the commissioner opened it. Helpers declare, score, moderate and price.

Scorers are Wessex's evaluator and commissioner; the procurement lead moderates (and scores
nothing).
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from cast import Org
from competition import COMMENCED_ON, invite, procurement_at, suppliers
from portal.tenders.sealed_files import upload

from sanely.portal.accounts.models import Organisation, Role
from sanely.portal.accounts.selectors import Actor
from sanely.portal.core.clock import now
from sanely.portal.evaluation import services
from sanely.portal.evaluation.selectors import score_places
from sanely.portal.procurements.actions import Action
from sanely.portal.procurements.models import Procurement
from sanely.portal.procurements.services import procurement_act
from sanely.portal.tenders.models import SubmissionRound, SubmissionVersion
from sanely.portal.tenders.services import (
    round_opening_confirm,
    round_opening_request,
    submission_round_open,
    submission_submit,
)

SCORERS = (Role.EVALUATOR, Role.COMMISSIONER)


@dataclass
class Competition:
    authority: Org
    procurement: Procurement
    orgs: list[Org]
    round: SubmissionRound | None = None
    versions: dict[int, SubmissionVersion] = field(default_factory=dict)

    @property
    def tenderers(self) -> list[Organisation]:
        return [o.organisation for o in self.orgs]

    def actor(self, role: str) -> Actor:
        return self.authority.actor(role)

    @property
    def lead(self) -> Actor:
        return self.actor(Role.PROCUREMENT_LEAD)


def competition(
    wessex: Org,
    *,
    commenced_on: date = COMMENCED_ON,
    reference: str = "IP-2026-EVAL1",
    design: dict[str, Any] | None = None,
    opened: bool = True,
    count: int = 3,
    orgs: list[Org] | None = None,
) -> Competition:
    """
    The competition, tendering, with its final round submitted to and (if `opened`) opened;
    its tenderers are `count` new suppliers, or `orgs`.
    """
    procurement = procurement_at(
        wessex, "tendering", reference=reference, commenced_on=commenced_on, design=design
    )
    orgs = suppliers(count) if orgs is None else orgs
    invite(procurement, *orgs)
    made = Competition(wessex, procurement, orgs)
    start = now() - timedelta(days=27)
    made.round = submission_round_open(
        actor=made.lead,
        procurement_id=procurement.pk,
        kind="tender",
        number=1,
        final=True,
        deadline=start + timedelta(days=26),
        justification="Final tenders in one round.",
        now=start,
    )
    for org in orgs:
        made.versions[org.organisation.pk] = submission_submit(
            actor=org.actor(Role.SUPPLIER_ADMIN),
            round_id=made.round.pk,
            organisation_id=org.organisation.pk,
            part="Tender",
            upload=upload(),
            now=start + timedelta(hours=1),
        )
    if opened:
        round_opening_request(actor=made.lead, round_id=made.round.pk, now=now())
        round_opening_confirm(
            actor=made.actor(Role.COMMISSIONER), round_id=made.round.pk, now=now()
        )
    procurement.refresh_from_db()
    return made


def close_tendering(c: Competition) -> None:
    procurement_act(
        actor=c.lead,
        procurement_id=c.procurement.pk,
        event="close_tendering",
        action=Action(justification="Final tenders received and opened."),
        now=now(),
    )
    c.procurement.refresh_from_db()


def declare_all(c: Competition) -> None:
    """The two scorers declare no conflict; the lead declares it moderates only."""
    for role in SCORERS:
        services.declaration_record(
            actor=c.actor(role), procurement_id=c.procurement.pk, conflict=False, now=now()
        )
    services.declaration_record(
        actor=c.lead, procurement_id=c.procurement.pk, conflict=False, scores=False, now=now()
    )


def score(c: Competition, role: str, tenderer: Organisation, values: list[Any]) -> None:
    """One scorer scores every place of one tenderer, in the order of `score_places`."""
    entries = [
        services.ScoreEntry(p.criterion, p.sub_criterion, v, f"Evidence for {v}.")
        for p, v in zip(score_places(c.procurement), values, strict=True)
    ]
    services.scores_record(
        actor=c.actor(role),
        procurement_id=c.procurement.pk,
        tenderer_id=tenderer.pk,
        entries=entries,
        now=now(),
    )


def submit(c: Competition, role: str, tenderer: Organisation) -> None:
    services.scores_submit(
        actor=c.actor(role), procurement_id=c.procurement.pk, tenderer_id=tenderer.pk, now=now()
    )


def score_and_submit_all(c: Competition, values: dict[int, list[Any]]) -> None:
    """Both scorers score each tenderer with `values[tenderer id]` and submit."""
    for tenderer in c.tenderers:
        for role in SCORERS:
            score(c, role, tenderer, values[tenderer.pk])
            submit(c, role, tenderer)


def agree(c: Competition, tenderer: Organisation, values: list[Any]) -> None:
    """The lead records the consensus of every place of one tenderer."""
    for p, v in zip(score_places(c.procurement), values, strict=True):
        services.consensus_record(
            actor=c.lead,
            procurement_id=c.procurement.pk,
            tenderer_id=tenderer.pk,
            criterion=p.criterion,
            sub_criterion=p.sub_criterion,
            score=v,
            reason=f"Agreed at {v} after discussion.",
            now=now(),
        )


def price(c: Competition, tenderer: Organisation, amount: str) -> None:
    services.price_record(
        actor=c.lead,
        procurement_id=c.procurement.pk,
        tenderer_id=tenderer.pk,
        price=Decimal(amount),
        version_id=c.versions[tenderer.pk].pk,
        now=now(),
    )


def strengths(c: Competition, tenderer: Organisation) -> None:
    services.strengths_record(
        actor=c.lead,
        procurement_id=c.procurement.pk,
        tenderer_id=tenderer.pk,
        text=f"{tenderer.name}: tested booking by phone and app.",
        now=now(),
    )


def ready(c: Competition, scores: dict[int, list[Any]], prices: dict[int, str]) -> None:
    """Declared, scored, submitted, moderated (consensus = `scores`), priced, strengths."""
    declare_all(c)
    score_and_submit_all(c, scores)
    for tenderer in c.tenderers:
        agree(c, tenderer, scores[tenderer.pk])
        price(c, tenderer, prices[tenderer.pk])
        strengths(c, tenderer)
