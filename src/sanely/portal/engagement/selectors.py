"""
Reads for the engagement record, and the one place that decides who may see or change it: the
authority's people (every role) read the record of its procurements; only its commissioners and
procurement leads record; everyone else is told there is no such procurement. The public reads
only the UK2 notice, once published, through open data.
"""

from dataclasses import dataclass
from datetime import date, datetime

from sanely.documents.wording import plural, uk_date, uk_instant
from sanely.portal.accounts.models import Membership
from sanely.portal.accounts.selectors import Actor
from sanely.portal.procurements.design import SECTIONS, section
from sanely.portal.procurements.engine import UK, rulebook_of
from sanely.portal.procurements.models import Procurement
from sanely.portal.procurements.selectors import WRITE_ROLES, access_procurement

from .models import DesignChange, EngagementEvent, EngagementNotice, SharedItem

# Only the Procurement Act has a preliminary market engagement notice (s.17, UK2); PCR 2015
# regs 40-41 ask for the engagement to be fair and recorded, with no notice of its own.
NOTICE_REGIME = "Procurement Act 2023"


def access_engagement(
    *, actor: Actor, procurement_id: int, write: bool = False
) -> tuple[Procurement, Membership]:
    """A procurement of one of the actor's authorities; `write` needs a commissioner or lead."""
    return access_procurement(actor=actor, procurement_id=procurement_id, write=write)


def may_record(actor: Actor, procurement: Procurement) -> bool:
    """Whether the actor may add to the record: a commissioner or lead of its authority."""
    return any(m.role in WRITE_ROLES for m in actor.in_organisation(procurement.organisation_id))


def has_notice(procurement: Procurement) -> bool:
    """Whether the procurement's regime has a preliminary market engagement notice (UK2)."""
    return rulebook_of(procurement).regime == NOTICE_REGIME


def engagement_notice(procurement: Procurement) -> EngagementNotice | None:
    return EngagementNotice.objects.filter(procurement=procurement).first()


@dataclass(frozen=True)
class NoticeEvent:
    """An engagement event as the UK2 describes it: what, in which form, when and where."""

    title: str
    form: str
    held_at: datetime
    location: str

    def words(self) -> str:
        where = f", {self.location}" if self.location else ""
        return f"{self.title} ({self.form.lower()}): {uk_instant(self.held_at)}{where}."


@dataclass(frozen=True)
class Uk2Content:
    """
    What a preliminary market engagement notice must say (Procurement Regulations 2024 reg 17):
    (a) the contracting authority, (b) the procurement's title, (c) its unique identifier,
    (d) the contract subject-matter, (e) when the engagement closes or closed, and (f) how the
    authority engages or engaged with suppliers, e.g. the location, date and time of events.
    """

    authority: str
    title: str
    reference: str
    subject_matter: str
    closes_on: date
    closed: bool
    process: str
    events: tuple[NoticeEvent, ...]

    def text(self) -> str:
        """The notice in words: the closing date, the process and every event."""
        closing = "closed on" if self.closed else "closes on"
        lines = [f"The preliminary market engagement {closing} {uk_date(self.closes_on)}.", ""]
        lines.append(self.process)
        if self.events:
            lines += ["", "Engagement events:", *(f"- {event.words()}" for event in self.events)]
        return "\n".join(lines)


def uk2_content(
    procurement: Procurement, *, closes_on: date, process: str, at: datetime
) -> Uk2Content:
    """
    The UK2's content from the record and the design as they were at `at`: a notice published
    then does not take in the events recorded after it.
    """
    need = section(procurement.design, "need")
    events = EngagementEvent.objects.filter(procurement=procurement, recorded_at__lte=at)
    return Uk2Content(
        authority=procurement.organisation.name,
        title=procurement.title,
        reference=procurement.reference,
        subject_matter=need.need_statement.strip() or procurement.title,
        closes_on=closes_on,
        closed=closes_on < at.astimezone(UK).date(),
        process=process.strip(),
        events=tuple(
            NoticeEvent(e.title, e.get_form_display(), e.held_at, e.location) for e in events
        ),
    )


def published_uk2(procurement: Procurement) -> tuple[EngagementNotice, Uk2Content] | None:
    """The published UK2 and its content as it read when it was published."""
    notice = engagement_notice(procurement)
    if notice is None:
        return None
    return notice, uk2_content(
        procurement, closes_on=notice.closes_on, process=notice.process, at=notice.published_at
    )


@dataclass(frozen=True)
class EngagementRecord:
    """The whole record of one procurement, as its authority reads it."""

    events: list[EngagementEvent]
    shared: list[SharedItem]
    changes: list[tuple[str, DesignChange]]
    notice: tuple[EngagementNotice, Uk2Content] | None
    open: bool
    notice_offered: bool
    # Engagement recorded, no UK2, and the design's timeline not yet giving the reasons the
    # tender notice must state (PA 2023 s.17(1)(b)).
    needs_reasons: bool

    @property
    def organisations(self) -> int:
        return len({p.name.casefold() for e in self.events for p in e.participants.all()})

    def takers(self) -> str:
        """Who took part, counted: organisations, and of them SMEs and VCSEs."""
        found = {p.name.casefold(): p for e in self.events for p in e.participants.all()}
        smes = sum(p.is_sme for p in found.values())
        vcses = sum(p.is_vcse for p in found.values())
        sme = "small or medium-sized enterprise"
        vcse = "voluntary, community or social enterprise"
        return (
            f"{plural(len(found), 'organisation', 'organisations')} took part, of which"
            f" {plural(smes, sme, sme + 's')} and {plural(vcses, vcse, vcse + 's')}."
        )


def section_label(name: str) -> str:
    return SECTIONS[name][0] if name in SECTIONS else name


def engagement_record(*, procurement: Procurement) -> EngagementRecord:
    events = list(
        EngagementEvent.objects.filter(procurement=procurement).prefetch_related("participants")
    )
    changes = DesignChange.objects.filter(procurement=procurement)
    notice = published_uk2(procurement)
    still_open = procurement.published_at is None
    timeline = section(procurement.design, "timeline")
    explained = timeline.pme_notice_published or bool(timeline.pme_reasons.strip())
    return EngagementRecord(
        events=events,
        shared=list(SharedItem.objects.filter(procurement=procurement)),
        changes=[(section_label(c.section), c) for c in changes],
        notice=notice,
        open=still_open,
        notice_offered=still_open and notice is None and has_notice(procurement),
        needs_reasons=bool(events) and notice is None and has_notice(procurement) and not explained,
    )
