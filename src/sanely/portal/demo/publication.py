"""
The demo's open data, through the publication services only: each demo procurement's facts are
found and published as the worker would (after award too: the partnerships' verdicts, gate
decisions, instalments paid, changes, ended contracts and the purchase), and the procurement
lead reviews those that wait for it, publishing each; one award is published with its value
withheld, to show how a withholding reads on the public pages. The council's finance director
approves its payments compliance notice for the last reporting period that has ended. Loading
twice finds nothing new and reviews nothing twice.
"""

from datetime import datetime, timedelta

from sanely.portal.accounts.models import Organisation, Role, User
from sanely.portal.accounts.selectors import Actor
from sanely.portal.procurements.engine import uk_date
from sanely.portal.procurements.models import Procurement
from sanely.portal.publication.models import Fact, FactStatus, PaymentsApproval
from sanely.portal.publication.payments import (
    payments_approve,
    payments_compliance_from,
    reporting_period,
)
from sanely.portal.publication.services import fact_review, publication_run

from .procurements import PROCUREMENTS

# The award published with its value withheld, and why.
WITHHELD_AWARD = ("WCC-IP-2025-005", "award-1")
WITHHELD_BECAUSE = (
    "The value would show the partner's pricing to the other partner before the purchase"
    " phase is negotiated; it is published when the purchase begins."
)


def _lead(procurement: Procurement) -> Actor:
    user = User.objects.filter(
        memberships__organisation=procurement.organisation,
        memberships__role=Role.PROCUREMENT_LEAD,
    ).order_by("pk")[0]
    return Actor.for_session(user)


def _review(fact: Fact, lead: Actor, now: datetime) -> None:
    withheld = (fact.procurement.reference, fact.key) == WITHHELD_AWARD
    fact_review(
        actor=lead,
        fact_id=fact.pk,
        publish=True,
        withhold=["awards.value"] if withheld else [],
        ground="pa-sensitive-commercial" if withheld else "",
        explanation=WITHHELD_BECAUSE if withheld else "",
        now=now,
    )


def demo_publication(*, now: datetime) -> None:
    """Publish what the demo procurements have made public, reviewing what waits for it."""
    references = [spec.reference for spec in PROCUREMENTS]
    for procurement in Procurement.objects.filter(reference__in=references).order_by("pk"):
        publication_run(procurement_id=procurement.pk, now=now)
        waiting = Fact.objects.filter(
            procurement=procurement, status=FactStatus.AWAITING_REVIEW
        ).select_related("procurement")
        if waiting:
            lead = _lead(procurement)
            for fact in waiting:
                _review(fact, lead, now)
            publication_run(procurement_id=procurement.pk, now=now)


def demo_payments_approval(*, now: datetime) -> None:
    """The finance director's approval of the council's last ended payments period (reg 38)."""
    council = Organisation.objects.get(name="Wessex County Council")
    commenced = payments_compliance_from(council)
    current = reporting_period(uk_date(now), commenced)
    ended = current and reporting_period(current.first - timedelta(days=1), commenced)
    if (
        ended is None
        or PaymentsApproval.objects.filter(organisation=council, period_first=ended.first).exists()
    ):
        return
    payments_approve(
        actor=Actor.for_session(User.objects.get(email="finance@wessex.example")),
        organisation_id=council.pk,
        period_first=ended.first,
        approver_name="Margaret Hale",
        approver_job_title="Director of Finance (section 151 officer)",
        enquiry_contact="Procurement team, procurement@wessex.example",
        confirmed=True,
        now=now,
    )
