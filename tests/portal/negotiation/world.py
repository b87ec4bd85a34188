"""
A Wessex procurement in negotiation: three tenderers invited (Kestrel, Osprey, Heron), tender
round 1 closed and opened by two people, and Merlin and Curlew left outside the
competition. Built through the tenders services, as it happens in the portal.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from cast import Org
from competition import COMMENCED_ON, invite, procurement_at, suppliers

from sanely.portal.accounts.models import Role
from sanely.portal.core.clock import now
from sanely.portal.procurements.models import Procurement
from sanely.portal.tenders.models import SubmissionRound
from sanely.portal.tenders.services import (
    round_opening_confirm,
    round_opening_request,
    submission_round_open,
)


@dataclass
class Negotiation:
    procurement: Procurement
    round: SubmissionRound
    tenderers: list[Org]  # Kestrel, Osprey, Heron
    outsiders: list[Org]  # Merlin, Curlew: not in the competition

    @property
    def kestrel(self) -> Org:
        return self.tenderers[0]

    @property
    def osprey(self) -> Org:
        return self.tenderers[1]


# Tender rounds run twelve days (a round of a council's procedure under the Procurement Act 2023
# lasts at least ten, s.54(4)) and start every fourteen, so each closes before the next opens;
# round LAST_ROUND closes yesterday.
ROUND_DAYS, ROUND_EVERY, LAST_ROUND = 12, 14, 12


def opened_round(
    authority: Org, procurement: Procurement, number: int = 1, **kw
) -> SubmissionRound:
    """Tender round `number`, open for submissions in its place in time, closed and opened."""
    start = now() - timedelta(days=ROUND_DAYS + 1 + ROUND_EVERY * (LAST_ROUND - number))
    submission_round = submission_round_open(
        actor=authority.actor(Role.PROCUREMENT_LEAD),
        procurement_id=procurement.pk,
        kind="tender",
        number=number,
        deadline=start + timedelta(days=ROUND_DAYS),
        now=start,
        **kw,
    )
    at = now()
    round_opening_request(
        actor=authority.actor(Role.PROCUREMENT_LEAD), round_id=submission_round.pk, now=at
    )
    return round_opening_confirm(
        actor=authority.actor(Role.COMMISSIONER), round_id=submission_round.pk, now=at
    )


def negotiation(
    authority: Org,
    *,
    commenced_on: date = COMMENCED_ON,
    reference: str = "IP-2026-NEG1",
    orgs: list[Org] | None = None,
    **fields,
) -> Negotiation:
    """Three tenderers of five suppliers, or every one of `orgs` (with no outsiders)."""
    procurement = procurement_at(
        authority, "tendering", commenced_on=commenced_on, reference=reference, **fields
    )
    everyone = suppliers(5) if orgs is None else orgs
    invited = everyone[:3] if orgs is None else orgs
    invite(procurement, *invited)
    return Negotiation(
        procurement, opened_round(authority, procurement), invited, everyone[len(invited) :]
    )
