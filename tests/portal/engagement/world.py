"""A procurement Wessex is still designing, and the engagement it holds with the market first."""

from datetime import UTC, date, datetime, timedelta

from cast import NOW, Org

from sanely.portal.accounts.models import Role
from sanely.portal.engagement.services import (
    Taker,
    engagement_event_record,
    engagement_notice_publish,
)
from sanely.portal.procurements.models import Procurement
from sanely.portal.procurements.services import procurement_create, procurement_design_update
from sanely.portal.publication.services import publication_run

NEED = "Residents of outlying villages cannot reach the market town without a car."
WORKSHOP_AT = datetime(2026, 12, 9, 10, 0, tzinfo=UTC)


def designing(wessex: Org, *, commenced_on: date | None = None) -> Procurement:
    """A procurement in drafting with its need written (PA 2023 unless commenced earlier)."""
    lead = wessex.actor(Role.PROCUREMENT_LEAD)
    procurement = procurement_create(
        actor=lead,
        organisation_id=wessex.organisation.pk,
        title="Rural transport on demand",
        commenced_on=commenced_on,
        now=NOW,
    )
    return procurement_design_update(
        actor=lead,
        procurement_id=procurement.pk,
        sections={"need": {"need_statement": NEED, "outcomes": ["Fewer missed appointments"]}},
        now=NOW,
    )


def workshop(wessex: Org, procurement: Procurement, *, at: datetime = NOW):
    return engagement_event_record(
        actor=wessex.actor(Role.COMMISSIONER),
        procurement_id=procurement.pk,
        title="Supplier workshop on demand-responsive transport",
        form="event",
        held_at=WORKSHOP_AT,
        location="Wessex County Hall, Dorchester",
        asked="Could a booking service reach every village within an hour?",
        participants=[
            Taker("Kestrel Mobility Ltd", is_sme=True),
            Taker("Village Wheels Community Transport", is_vcse=True),
            Taker("Big Bus plc"),
        ],
        now=at,
    )


def later(days: int) -> datetime:
    return NOW + timedelta(days=days)


def uk2_published(wessex: Org) -> Procurement:
    """A design whose UK2 Wessex published at NOW, and the worker has published as open data."""
    procurement = designing(wessex)
    engagement_notice_publish(
        actor=wessex.actor(Role.PROCUREMENT_LEAD),
        procurement_id=procurement.pk,
        closes_on=date(2026, 12, 18),
        process="A workshop, then written views.",
        now=NOW,
    )
    publication_run(procurement_id=procurement.pk, now=NOW)
    return procurement
