"""
Writes to the engagement record: events with who took part, what was shared with every
supplier, the changes to the design it led to, and the UK2 notice. Every write is audited.

The record is kept while the procurement is being designed: engagement comes before the tender
notice (PA 2023 s.16(1); PCR 2015 reg 40, before the procurement procedure starts). Publishing
the UK2 marks the engagement and its notice in the design's timeline, which the engine's rule
for the tender notice reads (s.17). Engagement without a UK2 is not marked here: the design
refuses it without the authority's reasons for publishing no notice, which are its own words
to write in the timeline (the record's `needs_reasons` says so until it does).
"""

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db import transaction

from sanely.documents.wording import uk_date
from sanely.portal.accounts.models import Membership
from sanely.portal.accounts.selectors import Actor
from sanely.portal.audit.services import audit_record
from sanely.portal.core.errors import Conflict, validation_failed_from
from sanely.portal.procurements.design import SECTIONS
from sanely.portal.procurements.engine import rulebook_of
from sanely.portal.procurements.models import Procurement
from sanely.portal.procurements.services import procurement_design_update

from . import events
from .models import (
    DesignChange,
    EngagementEvent,
    EngagementForm,
    EngagementNotice,
    Participant,
    SharedItem,
)
from .selectors import NOTICE_REGIME, access_engagement, engagement_notice, has_notice, uk2_content
from .signals import engagement_notice_published

MOST_PARTICIPANTS = 500


@dataclass(frozen=True)
class Taker:
    """An organisation that took part in an event."""

    name: str
    is_sme: bool = False
    is_vcse: bool = False


def _writable(actor: Actor, procurement_id: int) -> tuple[Procurement, Membership]:
    """The procurement, while its engagement may still be recorded."""
    procurement, membership = access_engagement(
        actor=actor, procurement_id=procurement_id, write=True
    )
    if procurement.published_at is not None:
        raise Conflict(
            "Preliminary market engagement comes before the procurement is advertised; this one"
            f" was advertised on {uk_date(procurement.published_at.date())}, so its engagement"
            " record is closed."
        )
    state = rulebook_of(procurement).state(procurement.state)
    if state is not None and state.terminal:
        raise Conflict(f"The procurement has ended ({state.label}); its record is closed.")
    return procurement, membership


def _mark_in_design(actor: Actor, procurement: Procurement, now: datetime, **flags: bool) -> None:
    """Set the timeline's engagement flags the record now proves, through the design's service."""
    timeline: dict[str, Any] = dict(procurement.design.get("timeline", {}))
    if all(timeline.get(name) is True for name in flags):
        return
    procurement_design_update(
        actor=actor,
        procurement_id=procurement.pk,
        sections={"timeline": {**timeline, **flags}},
        now=now,
    )


def _event_of(procurement: Procurement, event_id: int | None) -> EngagementEvent | None:
    if event_id is None:
        return None
    found = EngagementEvent.objects.filter(procurement=procurement, pk=event_id).first()
    if found is None:
        raise validation_failed_from(
            {"event_id": ["Choose one of this procurement's engagement events, or none."]}
        )
    return found


def _event_problems(
    title: str, form: str, held_at: datetime, asked: str, takers: list[Taker]
) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}
    if not title.strip() or len(title) > 200:
        problems["title"] = ["Give the event a title of 1 to 200 characters."]
    if form not in EngagementForm.values:
        problems["form"] = [f"Choose the form of engagement: {', '.join(EngagementForm.values)}."]
    if held_at.tzinfo is None:
        problems["held_at"] = ["Give when the event is held with its time zone."]
    if not asked.strip():
        problems["asked"] = ["Say what the market was asked: every supplier can read it later."]
    if len(takers) > MOST_PARTICIPANTS:
        problems["participants"] = [f"Record at most {MOST_PARTICIPANTS} organisations an event."]
    elif any(not t.name.strip() or len(t.name) > 300 for t in takers):
        problems["participants"] = ["Give every organisation's name, of 1 to 300 characters."]
    return problems


@transaction.atomic
def engagement_event_record(
    *,
    actor: Actor,
    procurement_id: int,
    title: str,
    form: str,
    held_at: datetime,
    asked: str,
    location: str = "",
    participants: list[Taker] | None = None,
    now: datetime,
) -> EngagementEvent:
    """A commissioner or procurement lead records an engagement event and who took part."""
    procurement, membership = _writable(actor, procurement_id)
    takers = participants or []
    if problems := _event_problems(title, form, held_at, asked, takers):
        raise validation_failed_from(problems)
    event = EngagementEvent.objects.create(
        procurement=procurement,
        title=title.strip(),
        form=form,
        held_at=held_at,
        location=location.strip()[:300],
        asked=asked.strip(),
        recorded_by=actor.user,
        recorded_at=now,
    )
    Participant.objects.bulk_create(
        Participant(event=event, name=t.name.strip(), is_sme=t.is_sme, is_vcse=t.is_vcse)
        for t in takers
    )
    audit_record(
        action=events.EVENT_RECORDED,
        subject=event,
        now=now,
        actor=actor.user,
        organisation=membership.organisation,
        payload={
            "title": event.title,
            "form": form,
            "held_at": held_at.isoformat(),
            "participants": [t.__dict__ for t in takers],
        },
    )
    return event


@transaction.atomic
def shared_item_record(
    *,
    actor: Actor,
    procurement_id: int,
    title: str,
    content: str,
    event_id: int | None = None,
    now: datetime,
) -> SharedItem:
    """A document or answer made available to every supplier, whether it took part or not."""
    procurement, membership = _writable(actor, procurement_id)
    problems: dict[str, list[str]] = {}
    if not title.strip() or len(title) > 200:
        problems["title"] = ["Give what was shared a title of 1 to 200 characters."]
    if not content.strip():
        problems["content"] = ["Give the text that every supplier was given."]
    if problems:
        raise validation_failed_from(problems)
    item = SharedItem.objects.create(
        procurement=procurement,
        event=_event_of(procurement, event_id),
        title=title.strip(),
        content=content.strip(),
        recorded_by=actor.user,
        recorded_at=now,
    )
    audit_record(
        action=events.SHARED_RECORDED,
        subject=item,
        now=now,
        actor=actor.user,
        organisation=membership.organisation,
        payload={"title": item.title, "event": event_id},
    )
    return item


@transaction.atomic
def design_change_record(
    *,
    actor: Actor,
    procurement_id: int,
    section: str,
    change: str,
    event_id: int | None = None,
    now: datetime,
) -> DesignChange:
    """A change to the design the engagement led to: which section, what and why."""
    procurement, membership = _writable(actor, procurement_id)
    problems: dict[str, list[str]] = {}
    if section not in SECTIONS:
        problems["section"] = [f"Choose the section that changed: {', '.join(SECTIONS)}."]
    if not change.strip():
        problems["change"] = [
            "Say what changed in the design and what in the engagement led to it."
        ]
    if problems:
        raise validation_failed_from(problems)
    recorded = DesignChange.objects.create(
        procurement=procurement,
        event=_event_of(procurement, event_id),
        section=section,
        change=change.strip(),
        recorded_by=actor.user,
        recorded_at=now,
    )
    audit_record(
        action=events.DESIGN_CHANGE_RECORDED,
        subject=recorded,
        now=now,
        actor=actor.user,
        organisation=membership.organisation,
        payload={"section": section, "change": recorded.change, "event": event_id},
    )
    return recorded


@transaction.atomic
def engagement_notice_publish(
    *, actor: Actor, procurement_id: int, closes_on: date | None, process: str, now: datetime
) -> EngagementNotice:
    """
    Publish the preliminary market engagement notice (UK2, PA 2023 s.17(1)(a)): its content is
    built from the record (reg 17) and published as open data by the worker after the commit.
    """
    procurement, membership = _writable(actor, procurement_id)
    if not has_notice(procurement):
        raise Conflict(
            f"{rulebook_of(procurement).regime} has no preliminary market engagement notice: only"
            f" the {NOTICE_REGIME} does (s.17). Keep the record; nothing needs publishing."
        )
    if engagement_notice(procurement) is not None:
        raise Conflict("The preliminary market engagement notice is already published.")
    problems: dict[str, list[str]] = {}
    if closes_on is None:
        problems["closes_on"] = ["Give the day the engagement closes, or closed (reg 17(2)(e))."]
    if not process.strip():
        problems["process"] = [
            "Describe how suppliers can take part, or took part: events, places, times and"
            " periods for sending information (reg 17(2)(f))."
        ]
    if problems or closes_on is None:
        raise validation_failed_from(problems)
    notice = EngagementNotice.objects.create(
        procurement=procurement,
        closes_on=closes_on,
        process=process.strip(),
        published_by=actor.user,
        published_at=now,
    )
    _mark_in_design(actor, procurement, now, pme_done=True, pme_notice_published=True)
    content = uk2_content(procurement, closes_on=closes_on, process=process, at=now)
    audit_record(
        action=events.NOTICE_PUBLISHED,
        subject=notice,
        now=now,
        actor=actor.user,
        organisation=membership.organisation,
        payload={"closes_on": closes_on.isoformat(), "text": content.text()},
    )
    engagement_notice_published.send(sender=EngagementNotice, procurement_id=procurement.pk)
    return notice
