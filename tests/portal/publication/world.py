"""
Wessex's evaluated, notified and concluded procurement (tests/portal/award/isolation.py) with
its open data: found by the publisher and, unless asked otherwise, every fact that waits for
review published by the procurement lead and then by the worker.
"""

from dataclasses import dataclass

from cast import Org
from portal.award.isolation import World, world

from sanely.portal.accounts.models import Role
from sanely.portal.core.clock import now
from sanely.portal.procurements.actions import Action
from sanely.portal.procurements.services import procurement_act
from sanely.portal.publication.models import Fact, FactStatus, Release
from sanely.portal.publication.services import fact_review, publication_run


@dataclass
class Published:
    world: World
    ocid: str

    @property
    def procurement_id(self) -> int:
        return self.world.procurement_id


def run(procurement_id: int) -> list[Fact]:
    return publication_run(procurement_id=procurement_id, now=now())


def review_all(wessex: Org, procurement_id: int) -> None:
    """The lead publishes every fact that waits, as it is, and the worker runs."""
    lead = wessex.actor(Role.PROCUREMENT_LEAD)
    for fact in Fact.objects.filter(
        procurement_id=procurement_id, status=FactStatus.AWAITING_REVIEW
    ):
        fact_review(actor=lead, fact_id=fact.pk, publish=True, now=now())
    run(procurement_id)


def published(wessex: Org, *, reviewed: bool = True, concluded: bool = True) -> Published:
    w = world(wessex, concluded=concluded)
    run(w.procurement_id)
    if reviewed:
        review_all(wessex, w.procurement_id)
    return Published(w, Release.objects.filter(procurement_id=w.procurement_id).first().ocid)


def fact(procurement_id: int, key: str) -> Fact:
    return Fact.objects.get(procurement_id=procurement_id, key=key)


WITHHELD_BECAUSE = "It would show the partner's pricing to the other partner."


def withhold_value(wessex: Org, procurement_id: int, key: str = "award-1") -> Fact:
    """The lead publishes an award with its value withheld as sensitive commercial information."""
    return fact_review(
        actor=wessex.actor(Role.PROCUREMENT_LEAD),
        fact_id=fact(procurement_id, key).pk,
        publish=True,
        withhold=["awards.value"],
        ground="pa-sensitive-commercial",
        explanation=WITHHELD_BECAUSE,
        now=now(),
    )


def keep_back(wessex: Org, procurement_id: int, key: str = "award-2") -> Fact:
    """A commissioner keeps a whole award back for national security, unannounced."""
    return fact_review(
        actor=wessex.actor(Role.COMMISSIONER),
        fact_id=fact(procurement_id, key).pk,
        publish=False,
        ground="pa-national-security",
        explanation="The partner's site is a protected location.",
        announced=False,
        now=now(),
    )


def abandon(wessex: Org, procurement_id: int, reasons: str = "No tender met the minimum.") -> None:
    """The lead terminates the procurement before award, with its reasons."""
    procurement_act(
        actor=wessex.actor(Role.PROCUREMENT_LEAD),
        procurement_id=procurement_id,
        event="abandon",
        action=Action(evidence=reasons),
        now=now(),
    )
