"""
Reads for negotiation, and the one place that decides who may see what:

* the authority's people (every role) read everything of its procurements; only its
  commissioners and procurement leads record;
* a tenderer's people read their own meetings' minutes, their own questions, the answers sent
  to them and their own consents; never another tenderer's, nor who asked a question;
* everyone else is told there is no such thing.
"""

import re
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Q, QuerySet

from sanely.documents.wording import plural
from sanely.portal.accounts.models import Membership, Organisation, Role
from sanely.portal.accounts.selectors import Actor
from sanely.portal.competition.models import Participant
from sanely.portal.competition.selectors import is_tendering, tenderers
from sanely.portal.core.errors import NotFound, PermissionDenied
from sanely.portal.procurements.engine import UK
from sanely.portal.procurements.models import Procurement
from sanely.portal.procurements.selectors import access_procurement
from sanely.portal.tenders.models import RoundKind, SubmissionRound
from sanely.portal.tenders.selectors import access_opportunity, access_supplier

from .models import Audience, Clarification, Consent, DocumentRevision, Meeting, Reduction


def access_negotiation(
    *, actor: Actor, procurement_id: int, write: bool = False
) -> tuple[Procurement, Membership]:
    """A procurement of one of the actor's authorities; `write` needs a commissioner or lead."""
    return access_procurement(actor=actor, procurement_id=procurement_id, write=write)


def access_tenderer(
    *, actor: Actor, procurement_id: int, organisation_id: int, admin: bool = False
) -> tuple[Procurement, Organisation]:
    """
    A published procurement and the supplier the actor acts for in it, which must take part in
    its competition. `admin` needs the supplier's admin.
    """
    organisation = access_supplier(actor=actor, organisation_id=organisation_id)
    procurement = access_opportunity(procurement_id=procurement_id)
    if not Participant.objects.filter(procurement=procurement, organisation=organisation).exists():
        raise NotFound("No such procurement.")
    if admin and not supplier_admin(actor, organisation_id):
        raise PermissionDenied(f"Only a supplier admin of {organisation.name} can do this.")
    return procurement, organisation


def supplier_admin(actor: Actor, organisation_id: int) -> bool:
    """Whether the actor is an admin of the supplier: only admins give or withdraw consents."""
    return any(m.role == Role.SUPPLIER_ADMIN for m in actor.in_organisation(organisation_id))


def authority_reads(actor: Actor, procurement: Procurement) -> bool:
    """Whether the actor is one of the procurement's authority's people (any role)."""
    return bool(actor.in_organisation(procurement.organisation_id))


def meeting_list(*, procurement: Procurement) -> QuerySet[Meeting]:
    return Meeting.objects.filter(procurement=procurement).select_related(
        "organisation", "round", "recorded_by"
    )


def access_meeting(*, actor: Actor, meeting_id: int) -> Meeting:
    """A meeting, for the authority's people and for the people of the tenderer it was with."""
    meeting = (
        Meeting.objects.select_related("procurement__organisation", "organisation", "round")
        .filter(pk=meeting_id)
        .first()
    )
    if meeting is None or not (
        authority_reads(actor, meeting.procurement)
        or actor.in_organisation(meeting.organisation_id)
    ):
        raise NotFound("No such meeting.")
    return meeting


def opened_tender_rounds(procurement: Procurement) -> QuerySet[SubmissionRound]:
    """The tender rounds whose tenders have been opened: what a meeting can negotiate."""
    return SubmissionRound.objects.filter(
        procurement=procurement, kind=RoundKind.TENDER, opened_at__isnull=False
    ).order_by("number")


def open_tender_round(procurement: Procurement, now: datetime) -> SubmissionRound | None:
    """The tender round still open for submissions (its deadline not passed), if any."""
    return (
        SubmissionRound.objects.filter(
            procurement=procurement, kind=RoundKind.TENDER, deadline__gt=now
        )
        .order_by("-number")
        .first()
    )


def clarification_list(*, procurement: Procurement) -> QuerySet[Clarification]:
    return (
        Clarification.objects.filter(procurement=procurement)
        .select_related("organisation")
        .prefetch_related("recipients")
    )


def access_clarification(
    *, actor: Actor, clarification_id: int, write: bool = False
) -> Clarification:
    """A clarification, for the authority (`write`: commissioner or lead) and its asker."""
    found = (
        Clarification.objects.select_related("procurement__organisation", "organisation")
        .filter(pk=clarification_id)
        .first()
    )
    if found is None:
        raise NotFound("No such clarification.")
    if write:
        access_negotiation(actor=actor, procurement_id=found.procurement_id, write=True)
    elif not (
        authority_reads(actor, found.procurement) or actor.in_organisation(found.organisation_id)
    ):
        raise NotFound("No such clarification.")
    return found


@dataclass(frozen=True)
class SupplierClarification:
    """A clarification as one tenderer may see it: the asker's own words only to the asker."""

    clarification: Clarification
    own: bool

    @property
    def question(self) -> str:
        c = self.clarification
        return c.question if self.own else c.published_question


def supplier_clarifications(
    *, procurement: Procurement, organisation: Organisation
) -> list[SupplierClarification]:
    """The tenderer's own questions (answered or not) and the answers sent to it."""
    found = (
        Clarification.objects.filter(procurement=procurement)
        .filter(Q(organisation=organisation) | Q(recipients=organisation))
        .distinct()
        .order_by("asked_at", "pk")
    )
    return [SupplierClarification(c, c.organisation_id == organisation.pk) for c in found]


def revision_list(*, procurement: Procurement) -> QuerySet[DocumentRevision]:
    return (
        DocumentRevision.objects.filter(procurement=procurement)
        .prefetch_related("recipients")
        .select_related("extension", "recorded_by")
    )


def revisions_received(
    *, procurement: Procurement, organisation: Organisation
) -> QuerySet[DocumentRevision]:
    return revision_list(procurement=procurement).filter(recipients=organisation)


def consent_list(*, procurement: Procurement) -> QuerySet[Consent]:
    return Consent.objects.filter(procurement=procurement).select_related("organisation")


def access_consent(*, actor: Actor, consent_id: int, write: bool = False) -> Consent:
    """
    A consent, for the authority's people and the consenting tenderer's; `write` (withdrawing)
    needs the tenderer's admin.
    """
    consent = (
        Consent.objects.select_related("procurement__organisation", "organisation")
        .filter(pk=consent_id)
        .first()
    )
    own = consent is not None and bool(actor.in_organisation(consent.organisation_id))
    if consent is None or not (own or (not write and authority_reads(actor, consent.procurement))):
        raise NotFound("No such consent.")
    if write:
        access_tenderer(
            actor=actor,
            procurement_id=consent.procurement_id,
            organisation_id=consent.organisation_id,
            admin=True,
        )
    return consent


def reduction_list(*, procurement: Procurement) -> QuerySet[Reduction]:
    return Reduction.objects.filter(procurement=procurement).select_related("round")


# The equal-treatment check.

JUSTIFIED = "justified"
FLAGGED = "flagged"
GIVEN_TO_ALL = "given to all"


@dataclass
class InformationItem:
    """One piece of information, every occasion it was given, and who has it."""

    text: str
    sources: list[str] = field(default_factory=list)
    recipients: set[Organisation] = field(default_factory=set)
    justification: str = ""
    missing: list[Organisation] = field(default_factory=list)
    status: str = GIVEN_TO_ALL

    @property
    def recipient_names(self) -> list[str]:
        return sorted(o.name for o in self.recipients)

    @property
    def missing_names(self) -> list[str]:
        return [o.name for o in self.missing]


@dataclass(frozen=True)
class EqualTreatmentCheck:
    """Every piece of information given during negotiation, and what is flagged."""

    remaining: list[Organisation]
    items: list[InformationItem]

    @property
    def flagged(self) -> list[InformationItem]:
        return [i for i in self.items if i.status == FLAGGED]

    @property
    def clean(self) -> bool:
        return not self.flagged

    @property
    def message(self) -> str:
        if self.clean:
            return (
                "Clean: every piece of information given during negotiation went to every"
                " remaining tenderer (each tenderer's own confidential items aside)."
            )
        count = len(self.flagged)
        return (
            f"{plural(count, 'piece')} of information went to some remaining tenderers"
            " and not to the others: give it to those who lack it, in their meetings or by"
            " answering a clarification to all."
        )


def _key(text: str) -> str:
    """The same information, however it was spaced or capitalised."""
    return re.sub(r"\s+", " ", text).strip().casefold()


def _pieces(procurement: Procurement) -> list[tuple[str, str, str, set[Organisation], str]]:
    """(grouping key, text, source, recipients, justification) for every piece given."""
    pieces = []
    for meeting in meeting_list(procurement=procurement):
        held = meeting.held_at.astimezone(UK)
        source = f"Meeting with {meeting.organisation.name}, {held:%-d %B %Y}"
        for line in meeting.information_given:
            pieces.append((_key(line), line, source, {meeting.organisation}, ""))
    for c in clarification_list(procurement=procurement).filter(answered_at__isnull=False):
        text = f"{c.published_question or c.question} Answer: {c.answer}"
        if c.audience == Audience.TENDERER:
            # About the asker's own tender: listed for review, never merged with the rest.
            source = f"Answer to {c.organisation.name} alone"
            pieces.append(
                (f"clarification:{c.pk}", text, source, set(c.recipients.all()), c.justification)
            )
        else:
            pieces.append(
                (_key(c.answer), text, "Clarification answer", set(c.recipients.all()), "")
            )
    for r in revision_list(procurement=procurement):
        text = f"{r.title}: {r.summary}"
        pieces.append((_key(r.summary), text, "Document revision", set(r.recipients.all()), ""))
    return pieces


def equal_treatment_check(*, procurement: Procurement) -> EqualTreatmentCheck:
    """
    Every piece of information given to tenderers, grouped when the same text was given more
    than once, flagged when some remaining tenderers have it and others do not. A
    tenderer-specific answer about the asker's own tender is listed as justified.
    """
    remaining = tenderers(procurement)
    items: dict[str, InformationItem] = {}
    for key, text, source, recipients, justification in _pieces(procurement):
        item = items.setdefault(key, InformationItem(text, justification=justification))
        item.sources.append(source)
        item.recipients |= recipients
    for item in items.values():
        item.missing = [o for o in remaining if o not in item.recipients]
        if item.justification:
            item.status = JUSTIFIED
        elif item.missing and item.recipients & set(remaining):
            item.status = FLAGGED
    return EqualTreatmentCheck(remaining, list(items.values()))


@dataclass(frozen=True)
class AuthorityNegotiation:
    """The authority's overview of a negotiation, each list read in one query."""

    procurement: Procurement
    tenderers: list[Organisation]
    meetings: list[Meeting]
    clarifications: list[Clarification]
    revisions: list[DocumentRevision]
    consents: list[Consent]
    reductions: list[Reduction]


def authority_negotiation(*, procurement: Procurement) -> AuthorityNegotiation:
    return AuthorityNegotiation(
        procurement,
        tenderers(procurement),
        list(meeting_list(procurement=procurement)),
        list(clarification_list(procurement=procurement)),
        list(revision_list(procurement=procurement)),
        list(consent_list(procurement=procurement)),
        list(reduction_list(procurement=procurement)),
    )


@dataclass(frozen=True)
class TendererNegotiation:
    """What one tenderer sees of the negotiation: its own records and what it was sent."""

    procurement: Procurement
    organisation: Organisation
    meetings: list[Meeting]
    clarifications: list[SupplierClarification]
    revisions: list[DocumentRevision]
    consents: list[Consent]
    tendering: bool


def tenderer_negotiation(
    *, procurement: Procurement, organisation: Organisation
) -> TendererNegotiation:
    return TendererNegotiation(
        procurement,
        organisation,
        list(meeting_list(procurement=procurement).filter(organisation=organisation)),
        supplier_clarifications(procurement=procurement, organisation=organisation),
        list(revisions_received(procurement=procurement, organisation=organisation)),
        list(consent_list(procurement=procurement).filter(organisation=organisation)),
        is_tendering(procurement, organisation),
    )
