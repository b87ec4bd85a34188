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
