"""The engagement record: events, who took part, what everyone was given, design changes."""

from datetime import date

import pytest
from cast import NOW
from portal.engagement.world import NEED, designing, later, workshop

from sanely.portal.accounts.models import Role
from sanely.portal.audit.models import AuditEvent
from sanely.portal.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from sanely.portal.engagement import events
from sanely.portal.engagement.models import DesignChange, EngagementEvent, Participant, SharedItem
from sanely.portal.engagement.selectors import engagement_record
from sanely.portal.engagement.services import (
    Taker,
    design_change_record,
    engagement_event_record,
    shared_item_record,
)
from sanely.portal.procurements.models import Procurement
from sanely.portal.procurements.services import procurement_design_update

pytestmark = pytest.mark.django_db


def test_an_event_is_recorded_with_who_took_part_and_audited(wessex):
    procurement = designing(wessex)
    event = workshop(wessex, procurement)
    assert [
        ("Kestrel Mobility Ltd", True, False),
        ("Village Wheels Community Transport", False, True),
        ("Big Bus plc", False, False),
    ] == [(p.name, p.is_sme, p.is_vcse) for p in event.participants.all()]
    audited = AuditEvent.objects.get(action=events.EVENT_RECORDED)
    assert "Big Bus plc" in str(audited.payload["participants"])
    record = engagement_record(procurement=procurement)
    assert record.takers() == (
        "3 organisations took part, of which 1 small or medium-sized enterprise and"
        " 1 voluntary, community or social enterprise."
    )


def test_engagement_without_a_uk2_asks_for_the_reasons_the_tender_notice_must_give(wessex):
    procurement = designing(wessex)
    assert not engagement_record(procurement=procurement).needs_reasons
    workshop(wessex, procurement)
    assert engagement_record(procurement=procurement).needs_reasons
    procurement_design_update(
        actor=wessex.actor(Role.PROCUREMENT_LEAD),
        procurement_id=procurement.pk,
        sections={"timeline": {"pme_done": True, "pme_reasons": "Only two suppliers exist."}},
        now=NOW,
    )
    assert not engagement_record(
        procurement=Procurement.objects.get(pk=procurement.pk)
    ).needs_reasons


def test_bad_event_names_every_field_and_stores_nothing(wessex):
    procurement = designing(wessex)
    with pytest.raises(ValidationFailed) as refused:
        engagement_event_record(
            actor=wessex.actor(Role.COMMISSIONER),
            procurement_id=procurement.pk,
            title=" ",
            form="coffee",
            held_at=NOW.replace(tzinfo=None),
            asked="",
            participants=[Taker("  ")],
            now=NOW,
        )
    assert {"title", "form", "held_at", "asked", "participants"} == set(refused.value.detail)
    assert not EngagementEvent.objects.exists()
    assert not Participant.objects.exists()


def test_shared_items_and_design_changes_are_kept_with_their_event(wessex):
    procurement = designing(wessex)
    event = workshop(wessex, procurement)
    lead = wessex.actor(Role.PROCUREMENT_LEAD)
    shared_item_record(
        actor=lead,
        procurement_id=procurement.pk,
        title="Answers from the workshop",
        content="Journeys average 14 miles; the depot opens in June.",
        event_id=event.pk,
        now=later(1),
    )
    design_change_record(
        actor=lead,
        procurement_id=procurement.pk,
        section="phases",
        change="A shorter first phase: suppliers said six months is enough for a prototype.",
        event_id=event.pk,
        now=later(1),
    )
    record = engagement_record(procurement=procurement)
    assert ["Answers from the workshop"] == [s.title for s in record.shared]
    assert [("Phases, targets and instalments", event.pk)] == [
        (label, change.event_id) for label, change in record.changes
    ]
    assert (
        2
        == AuditEvent.objects.filter(
            action__in=(events.SHARED_RECORDED, events.DESIGN_CHANGE_RECORDED)
        ).count()
    )


def test_bad_shared_item_and_change_name_their_fields(wessex, mercia):
    procurement = designing(wessex)
    other = workshop(mercia, designing(mercia))
    lead = wessex.actor(Role.PROCUREMENT_LEAD)
    with pytest.raises(ValidationFailed) as refused:
        shared_item_record(
            actor=lead, procurement_id=procurement.pk, title="", content=" ", now=NOW
        )
    assert {"title", "content"} == set(refused.value.detail)
    with pytest.raises(ValidationFailed) as refused:
        design_change_record(
            actor=lead, procurement_id=procurement.pk, section="colour", change="", now=NOW
        )
    assert {"section", "change"} == set(refused.value.detail)
    with pytest.raises(ValidationFailed) as refused:
        shared_item_record(
            actor=lead,
            procurement_id=procurement.pk,
            title="T",
            content="C",
            event_id=other.pk,
            now=NOW,
        )
    assert {"event_id"} == set(refused.value.detail)
    assert not SharedItem.objects.filter(procurement=procurement).exists()
    assert not DesignChange.objects.exists()


def test_only_the_authoritys_commissioners_and_leads_record_and_others_see_nothing(wessex, mercia):
    procurement = designing(wessex)
    with pytest.raises(PermissionDenied):
        workshop_as(wessex, Role.EVALUATOR, procurement)
    with pytest.raises(NotFound):
        workshop_as(mercia, Role.COMMISSIONER, procurement)
    assert not EngagementEvent.objects.exists()


def workshop_as(org, role, procurement):
    return engagement_event_record(
        actor=org.actor(role),
        procurement_id=procurement.pk,
        title="T",
        form="event",
        held_at=NOW,
        asked="A",
        now=NOW,
    )


def test_the_record_closes_once_the_procurement_is_advertised(wessex):
    procurement = designing(wessex)
    Procurement.objects.filter(pk=procurement.pk).update(published_at=later(2))
    with pytest.raises(Conflict, match="comes before the procurement is advertised"):
        workshop(wessex, procurement)
    assert not engagement_record(procurement=Procurement.objects.get(pk=procurement.pk)).open


def test_need_is_the_uk2_subject_matter(wessex):
    from sanely.portal.engagement.selectors import uk2_content

    procurement = designing(wessex)
    workshop(wessex, procurement)
    content = uk2_content(
        procurement, closes_on=date(2026, 11, 20), process="Come along.", at=later(1)
    )
    assert NEED == content.subject_matter
    assert content.closed  # 20 November is before the day after NOW
    assert content.text().startswith(
        "The preliminary market engagement closed on 20 November 2026."
    )
    assert "Wessex County Hall, Dorchester" in content.text()
