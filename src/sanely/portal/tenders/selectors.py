"""
Reads for sealed submissions, and the one place that decides who may see what:

* published opportunities are public;
* a supplier's people see their own organisation's submissions and receipts, never another's;
* the authority's people see a round and how many have submitted, and, only once the round
  has been opened by two of them, who submitted and what: not before, not in the selection,
  not in the audit trail (`sealed_submission_events`);
* content is read only through `access_submission_content`, which refuses (and records as a
  security event) every attempt before opening, and every attempt by anyone else after it.
"""

import tempfile
from dataclasses import dataclass
from datetime import datetime
from typing import IO, Any, NoReturn

from django.db.models import Count, Prefetch, Q, QuerySet

from sanely import vault
from sanely.portal.accounts.models import Membership, Organisation, OrganisationKind, Role
from sanely.portal.accounts.selectors import Actor
from sanely.portal.audit.services import audit_record
from sanely.portal.competition.models import Letter, Participant
from sanely.portal.competition.selectors import (
    conflict_declared,
    is_tendering,
    letter_list,
    may_read_tenders,
    participants,
)
from sanely.portal.core.errors import ApplicationError, Conflict, NotFound, PermissionDenied
from sanely.portal.procurements.design import section
from sanely.portal.procurements.engine import UK, rulebook_of, uk_date
from sanely.portal.procurements.models import Procurement
from sanely.portal.procurements.selectors import (
    WRITE_ROLES,
    Closure,
    closed_refusal,
    closure,
    may_change,
    not_closed,
    published_state,
)
from sanely.procedure import PRICE_FORMULAS, Round
from sanely.procedure import events as lifecycle

from . import events
from .keys import master_key
from .models import ChunkedUpload, RoundKind, SubmissionRound, SubmissionVersion
from .security import refusal_record, refuse_sealed_access

SEALED = (
    "Submissions to this round are sealed until its deadline has passed and two authorised"
    " people of the authority have opened it; nobody can read them before, whatever their role."
)


def _published() -> QuerySet[Procurement]:
    return Procurement.objects.filter(published_at__isnull=False).select_related("organisation")


def opportunity_list() -> QuerySet[Procurement]:
    """
    Published procurements still open (not terminated or ended), newest first, with their
    rounds: anyone may read them.
    """
    return (
        not_closed(_published())
        .prefetch_related(Prefetch("submission_rounds", queryset=_rounds_in_order()))
        .order_by("-published_at", "-pk")
    )


@dataclass(frozen=True)
class OpportunityRow:
    """An opportunity as the public list shows it: where it stands and when submissions close."""

    procurement: Procurement
    status: str
    closes_at: datetime | None  # the next deadline of a round still taking submissions


def opportunity_rows(*, now: datetime, open_only: bool = False) -> list[OpportunityRow]:
    """The published opportunities; with `open_only`, those still taking submissions."""
    rows = []
    for procurement in opportunity_list():
        state = rulebook_of(procurement).state(procurement.state)
        closing = [r.deadline for r in procurement.submission_rounds.all() if r.deadline > now]
        closes_at = None if state is None or state.terminal else min(closing, default=None)
        if closes_at is not None or not open_only:
            status = state.label if state is not None else procurement.state
            rows.append(OpportunityRow(procurement, status, closes_at))
    return rows


def access_opportunity(*, procurement_id: int) -> Procurement:
    procurement = _published().filter(pk=procurement_id).first()
    if procurement is None:
        raise NotFound("No such opportunity.")
    return procurement


def need_summary(procurement: Procurement) -> str:
    need = procurement.design.get("need") if isinstance(procurement.design, dict) else None
    return str(need.get("need_statement", "")) if isinstance(need, dict) else ""


@dataclass(frozen=True)
class PublishedCriteria:
    """What the notice fixed for every tenderer: requirements, criteria and the price formula."""

    minimum_requirements: list[str]
    selection: Any
    award: Any
    price_formula: str


def published_criteria(procurement: Procurement) -> PublishedCriteria:
    award = section(procurement.design, "award")
    return PublishedCriteria(
        minimum_requirements=list(section(procurement.design, "minimum_requirements").items),
        selection=section(procurement.design, "selection"),
        award=award,
        price_formula=PRICE_FORMULAS[award.price_formula],
    )


def _rounds_in_order() -> QuerySet[SubmissionRound]:
    return SubmissionRound.objects.order_by("kind", "number")


def round_list(*, procurement: Procurement) -> QuerySet[SubmissionRound]:
    return _rounds_in_order().filter(procurement=procurement)


def tender_round_facts(*, procurement: Procurement, now: datetime) -> tuple[Round, ...]:
    """
    The tender rounds held so far as the engine reads them: each invited on the day it was
    opened, with its deadline in UK time (extensions included), closed once that has passed.
    """
    return tuple(
        Round(
            r.number,
            r.final,
            invited_on=uk_date(r.created_at),
            deadline=r.deadline.astimezone(UK),
            closed=r.deadline <= now,
        )
        for r in round_list(procurement=procurement).filter(kind=RoundKind.TENDER)
    )


def supplier_memberships(actor: Actor) -> list[Membership]:
    """The actor's supplier memberships through which they may submit."""
    return [
        m
        for m in actor.memberships
        if m.organisation.kind == OrganisationKind.SUPPLIER and m.can_write
    ]


def access_supplier(*, actor: Actor, organisation_id: int) -> Organisation:
    """A supplier the actor acts for; any other organisation is reported as missing."""
    for membership in supplier_memberships(actor):
        if membership.organisation_id == organisation_id:
            return membership.organisation
    raise NotFound("No such organisation.")


def access_round(
    *, actor: Actor, round_id: int, write: bool = False
) -> tuple[SubmissionRound, Membership]:
    """A round of one of the actor's authorities; `write` needs a commissioner or lead."""
    found = (
        SubmissionRound.objects.select_related("procurement__organisation")
        .filter(pk=round_id)
        .first()
    )
    memberships = actor.in_organisation(found.procurement.organisation_id) if found else []
    if found is None or not memberships:
        raise NotFound("No such round.")
    if write:
        memberships = [m for m in memberships if m.role in WRITE_ROLES]
        if not memberships:
            raise PermissionDenied(
                "Only a commissioner or procurement lead of the authority can do this."
            )
    return found, memberships[0]


def may_manage_round(actor: Actor, found: SubmissionRound) -> bool:
    """Whether the actor may extend or open the round: what access_round(write=True) allows."""
    return may_change(actor, found.procurement)


def round_needed(procurement: Procurement) -> str | None:
    """
    The round the procurement's state waits for, or None: with requests to participate open
    suppliers need a round to send them to, and tendering needs a first tender round.
    """
    rulebook = rulebook_of(procurement)
    tendering = next(
        (e.target for e in rulebook.events if e.id == lifecycle.INVITE_TO_TENDER), None
    )
    kind, sentence = {
        published_state(rulebook): (
            RoundKind.RTP,
            "No round for requests to participate is open, so suppliers cannot send theirs yet.",
        ),
        tendering: (
            RoundKind.TENDER,
            "No tender round is open, so the invited suppliers cannot tender yet.",
        ),
    }.get(procurement.state, (None, ""))
    if kind is None or SubmissionRound.objects.filter(procurement=procurement, kind=kind).exists():
        return None
    return sentence


def access_supplier_round(
    *, actor: Actor, round_id: int, organisation_id: int
) -> tuple[SubmissionRound, Organisation]:
    """A round of a published procurement, and the supplier the actor acts for in it."""
    organisation = access_supplier(actor=actor, organisation_id=organisation_id)
    found = (
        SubmissionRound.objects.select_related("procurement__organisation")
        .filter(pk=round_id, procurement__published_at__isnull=False)
        .first()
    )
    if found is None:
        raise NotFound("No such round.")
    if found.kind == RoundKind.TENDER and not is_tendering(found.procurement, organisation):
        raise PermissionDenied(
            f"{organisation.name} is not one of the tenderers still in this competition, so it"
            " cannot submit to a tender round. Only invited tenderers may tender."
        )
    return found, organisation


def candidates(procurement: Procurement) -> list[Organisation]:
    """
    The suppliers that submitted a request to participate, by name, once the requests are
    opened: before, who sent one is sealed (`sealed_requests` tells how many).
    """
    return list(
        Organisation.objects.filter(
            submission_versions__round__procurement=procurement,
            submission_versions__round__kind=RoundKind.RTP,
            submission_versions__round__opened_at__isnull=False,
        )
        .distinct()
        .order_by("name")
    )


def sealed_requests(procurement: Procurement) -> int | None:
    """How many suppliers sent requests to participate still sealed; None once opened."""
    rtp = SubmissionRound.objects.filter(
        procurement=procurement, kind=RoundKind.RTP, opened_at__isnull=True
    ).first()
    return None if rtp is None else submitted_count(round=rtp)


def sealed_submission_events(authority_ids: set[int]) -> Q:
    """
    The audit events that name a supplier taking part in a round of these authorities not yet
    opened: the trail withholds who and what until the opening (docs/tenders.md).
    """
    unopened = SubmissionRound.objects.filter(
        procurement__organisation_id__in=authority_ids, opened_at__isnull=True
    ).values_list("ref", flat=True)
    return Q(action__in=events.NAMING_SUPPLIERS, payload__round__in=list(unopened))


@dataclass(frozen=True)
class SupplierStanding:
    """Where one of the actor's suppliers stands in a competition, and what it was sent."""

    organisation: Organisation
    participant: Participant | None
    letters: list[Letter]


def supplier_standings(*, actor: Actor, procurement: Procurement) -> list[SupplierStanding]:
    """For each supplier the actor acts for: its standing and the letters it was sent."""
    return [
        SupplierStanding(
            m.organisation,
            participants(procurement).filter(organisation=m.organisation).first(),
            list(letter_list(procurement=procurement, organisation=m.organisation)),
        )
        for m in supplier_memberships(actor)
    ]


@dataclass(frozen=True)
class OpportunityPage:
    """An opportunity as its page shows it to a visitor, a supplier's people or the authority's."""

    procurement: Procurement
    need: str
    rounds: list[SubmissionRound]
    criteria: PublishedCriteria
    suppliers: list[Organisation]  # those the visitor acts for
    standings: list[SupplierStanding]
    authority: bool  # the visitor is one of the authority's people
    closure: Closure | None  # why and when it closed, once it has
    closed: str | None  # why the procurement takes nothing more from suppliers
    submitters: dict[int, list[Organisation]]  # by round: the suppliers that may submit to it


def opportunity_page(*, procurement_id: int, actor: Actor | None) -> OpportunityPage:
    """The page of a published procurement; `actor` is None for a visitor not signed in."""
    procurement = access_opportunity(procurement_id=procurement_id)
    rounds = list(round_list(procurement=procurement))
    suppliers = [m.organisation for m in supplier_memberships(actor)] if actor else []
    return OpportunityPage(
        procurement,
        need_summary(procurement),
        rounds,
        published_criteria(procurement),
        suppliers,
        supplier_standings(actor=actor, procurement=procurement) if actor else [],
        actor is not None and bool(actor.in_organisation(procurement.organisation_id)),
        closure(procurement),
        closed_refusal(procurement),
        _submitters(procurement, rounds, suppliers),
    )


def _submitters(
    procurement: Procurement, rounds: list[SubmissionRound], suppliers: list[Organisation]
) -> dict[int, list[Organisation]]:
    """Who may submit to each round, as access_supplier_round decides: tenders only if invited."""
    tendering = [s for s in suppliers if is_tendering(procurement, s)]
    return {r.pk: tendering if r.kind == RoundKind.TENDER else suppliers for r in rounds}


@dataclass(frozen=True)
class PartStatus:
    part: str
    latest: SubmissionVersion | None

    @property
    def submitted(self) -> bool:
        return self.latest is not None


@dataclass(frozen=True)
class Completeness:
    """What a supplier has submitted to a round, part by part; the latest version counts."""

    parts: list[PartStatus]
    versions: list[SubmissionVersion]

    @property
    def complete(self) -> bool:
        return all(p.submitted for p in self.parts)

    @property
    def missing(self) -> list[str]:
        return [p.part for p in self.parts if not p.submitted]


def completeness(*, round: SubmissionRound, organisation: Organisation) -> Completeness:
    versions = list(
        SubmissionVersion.objects.filter(round=round, organisation=organisation)
        .select_related("round", "submitted_by")
        .order_by("version")
    )
    latest = {v.part: v for v in versions}
    return Completeness([PartStatus(p, latest.get(p)) for p in round.parts], versions)


def submitted_count(*, round: SubmissionRound) -> int:
    """How many suppliers have submitted something: all the authority learns before opening."""
    return SubmissionVersion.objects.filter(round=round).values("organisation").distinct().count()


def submitted_counts(*, procurement: Procurement) -> dict[int, int]:
    """`submitted_count` of every round of the procurement (by round id), in one query."""
    rows = (
        SubmissionVersion.objects.filter(round__procurement=procurement)
        .values("round_id")
        .annotate(suppliers=Count("organisation", distinct=True))
        .order_by()  # no default ordering in the GROUP BY
    )
    return {row["round_id"]: row["suppliers"] for row in rows}


def access_receipt(*, actor: Actor, version_id: int) -> SubmissionVersion:
    """A version of one of the actor's suppliers: their receipt is always theirs to download."""
    own = [m.organisation_id for m in supplier_memberships(actor)]
    version = (
        SubmissionVersion.objects.select_related("round__procurement", "organisation")
        .filter(pk=version_id, organisation_id__in=own)
        .first()
    )
    if version is None:
        raise NotFound("No such submission.")
    return version


def access_upload(*, actor: Actor, upload_id: int, lock: bool = False) -> ChunkedUpload:
    """A resumable upload of one of the actor's suppliers; anyone else's is missing."""
    own = [m.organisation_id for m in supplier_memberships(actor)]
    uploads = ChunkedUpload.objects.select_related("round__procurement__organisation")
    if lock:
        uploads = uploads.select_for_update(of=("self",))
    upload = uploads.filter(pk=upload_id, organisation_id__in=own).first()
    if upload is None:
        raise NotFound("No such upload.")
    return upload


def round_submission_list(
    *, actor: Actor, round_id: int, now: datetime
) -> tuple[SubmissionRound, QuerySet[SubmissionVersion]]:
    """Every version submitted to a round, for the authority once the round is opened."""
    found, _ = access_round(actor=actor, round_id=round_id)
    if not found.is_open:
        refuse_sealed_access(
            actor=actor,
            round=found,
            subject=found,
            route="round submissions",
            error=Conflict(SEALED),
            now=now,
        )
    versions = (
        SubmissionVersion.objects.filter(round=found)
        .select_related("organisation", "submitted_by", "round")
        .order_by("pk")
    )
    return found, versions


@dataclass(frozen=True)
class Content:
    """The plaintext of one opened submission, in a temporary file deleted when closed."""

    version: SubmissionVersion
    file: IO[bytes]


# Roles that may evaluate read tenders only after declaring no conflict of interest;
# finance officers and auditors review the record and take no part in the evaluation.
EVALUATING_ROLES = frozenset({Role.EVALUATOR, Role.COMMISSIONER, Role.PROCUREMENT_LEAD})


def why_not_cleared(actor: Actor, procurement: Procurement) -> str | None:
    """
    Why the actor may not read tenders yet, or None: each case says what applies to them.
    The round page asks this before it offers a submission's file as a link.
    """
    roles = {m.role for m in actor.in_organisation(procurement.organisation_id)}
    if not roles & EVALUATING_ROLES or may_read_tenders(actor.user, procurement):
        return None
    if conflict_declared(procurement, actor.user):
        return (
            "You declared a conflict of interest in this procurement, so you cannot read its"
            " tenders. The declaration stands; the evaluation goes on without you."
        )
    return (
        "Declare any conflict of interest with the tenderers on the evaluation page first:"
        " people who may evaluate read tenders only after declaring none."
    )


def _refuse_missing_file(
    *, actor: Actor, version: SubmissionVersion, route: str, now: datetime
) -> NoReturn:
    """A receipted submission's sealed file gone from storage: an integrity event, then 409."""
    refusal_record(
        action=events.SEALED_FILE_MISSING,
        actor=actor,
        round=version.round,
        subject=version,
        error=Conflict(
            f"The sealed file of {version.organisation.name}'s submission"
            f" “{version.file_name}” is missing from storage, so it cannot be read."
            " Restore the sealed files from the latest backup, then ask again."
        ),
        now=now,
        route=route,
    )


def access_submission_content(
    *, actor: Actor, version_id: int, route: str, now: datetime
) -> Content:
    """
    The one way to read what a supplier submitted. Refused, and recorded as a security event,
    before the round is opened (for everyone: supplier, authority, superuser) and afterwards for
    anyone who is not a person of the authority. A version the actor could not even know of is
    reported as missing.
    """
    version = (
        SubmissionVersion.objects.select_related("round__procurement__organisation", "organisation")
        .filter(pk=version_id)
        .first()
    )
    if version is None:
        raise NotFound("No such submission.")
    found = version.round
    authority_person = bool(actor.in_organisation(found.procurement.organisation_id))
    own = version.organisation_id in actor.organisation_ids

    def refuse(error: ApplicationError) -> NoReturn:
        refuse_sealed_access(
            actor=actor, round=found, subject=version, route=route, error=error, now=now
        )

    if not (authority_person or own):
        refuse(NotFound("No such submission."))
    if not found.is_open:
        refuse(Conflict(SEALED))
    if not authority_person:
        refuse(
            PermissionDenied(
                "Only the authority's people read opened submissions; you have your file and"
                " its receipt."
            )
        )
    why_not = why_not_cleared(actor, found.procurement) if found.kind == RoundKind.TENDER else None
    if why_not:
        refuse(PermissionDenied(why_not))
    plain = tempfile.TemporaryFile()  # noqa: SIM115 - handed to the caller, closed by it
    try:
        opened = vault.round_key_open(
            master_key(),
            found.round_key(),
            authorisation=vault.OpeningAuthorisation(
                found.ref, str(found.opening_requested_by_id), str(found.opened_by_id)
            ),
            now=now,
        )
        with version.sealed_blob.open("rb") as blob:
            vault.unseal(blob, plain, envelope=version.envelope(), opened=opened)
    except vault.VaultError as error:
        plain.close()
        refuse(Conflict(f"The sealed submission could not be read: {error}."))
    except FileNotFoundError:
        plain.close()
        _refuse_missing_file(actor=actor, version=version, route=route, now=now)
    plain.seek(0)
    audit_record(
        action=events.SUBMISSION_CONTENT_READ,
        subject=version,
        now=now,
        actor=actor.user,
        authority=found.procurement.organisation,
        payload={"round": found.ref, "route": route, "sha256": version.plaintext_sha256},
    )
    return Content(version, plain)
