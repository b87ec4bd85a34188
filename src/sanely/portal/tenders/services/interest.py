"""A supplier's interest in a published opportunity."""

from datetime import datetime

from django.db import transaction

from sanely.portal.accounts.selectors import Actor
from sanely.portal.audit.services import audit_record
from sanely.portal.procurements.selectors import ensure_not_closed

from .. import events
from ..models import Interest
from ..selectors import access_opportunity, access_supplier


@transaction.atomic
def interest_express(
    *, actor: Actor, procurement_id: int, organisation_id: int, now: datetime
) -> Interest:
    """A supplier registers its interest in a published opportunity (once; again is a no-op)."""
    organisation = access_supplier(actor=actor, organisation_id=organisation_id)
    procurement = access_opportunity(procurement_id=procurement_id)
    ensure_not_closed(procurement)
    existing = Interest.objects.filter(procurement=procurement, organisation=organisation).first()
    if existing is not None:
        return existing
    interest = Interest.objects.create(
        procurement=procurement,
        organisation=organisation,
        expressed_by=actor.user,
        expressed_at=now,
    )
    audit_record(
        action=events.INTEREST_EXPRESSED,
        subject=interest,
        now=now,
        actor=actor.user,
        organisation=organisation,
        authority=procurement.organisation,
        payload={"procurement": procurement.reference},
    )
    return interest
