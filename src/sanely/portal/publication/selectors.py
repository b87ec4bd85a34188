"""
Reads for open data, and the one place that decides who may see what:

* anyone (signed in or not) reads what is published: the releases, the records, the bulk file,
  the public pages and notices. They read only `Release` and `Record` rows and the withholdings
  the law says are announced, so nothing unpublished can reach them;
* the authority's people see every fact of their procurements, published or not, and its
  commissioners and procurement leads review them;
* anyone else is told a procurement's facts do not exist.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from itertools import groupby
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.models import Max, Q, QuerySet

from sanely import ocds
from sanely.portal.accounts.models import Membership
from sanely.portal.accounts.selectors import Actor
from sanely.portal.audit.models import AuditEvent, ChainHead
from sanely.portal.core.errors import Conflict, NotFound
from sanely.portal.procurements.engine import rulebook_of
from sanely.portal.procurements.models import Procurement
from sanely.portal.procurements.selectors import access_procurement

from . import presentation
from .after_award import FIGURES_WITHHELD
from .catalogue import SOURCE_OF
from .models import Fact, FactStatus, Record, Release, Withholding

Json = dict[str, Any]

# A procurement's stage, from its compiled release, as the public list shows it.
STAGES = {
    "planning": "Planned",
    "tender": "In competition",
    "awarded": "Awarded",
    "contracted": "Partnership under way",
    "cancelled": "Cancelled",
}


def publication_config() -> ocds.PublicationConfig:
    """Who publishes and under which licence, from the settings."""
    return ocds.PublicationConfig(
        ocid_prefix=settings.OCDS_OCID_PREFIX,
        publisher=ocds.Publisher(**settings.OCDS_PUBLISHER),
        publication_policy=settings.OCDS_PUBLICATION_POLICY,
    )


def audit_head() -> ocds.AuditHead | None:
    """The newest entry of the audit chain, which every package carries; None before any."""
    head = ChainHead.objects.filter(pk=1).first()
    newest = (
        AuditEvent.objects.filter(sequence=head.sequence).values_list("at", flat=True).first()
        if head is not None
        else None
    )
    if head is None or newest is None:
        return None
    return ocds.AuditHead(sequence=head.sequence, hash=head.hash, recorded_at=newest)


# The authority's view


def access_publication(
    *, actor: Actor, procurement_id: int, write: bool = False
) -> tuple[Procurement, Membership]:
    """A procurement of the actor's authority; `write` needs a commissioner or lead."""
    return access_procurement(actor=actor, procurement_id=procurement_id, write=write)


def access_fact(*, actor: Actor, fact_id: int, write: bool = False) -> tuple[Fact, Membership]:
    """A fact of a procurement the actor's authority runs."""
    fact = Fact.objects.filter(pk=fact_id).first()
    if fact is None:
        raise NotFound("No such fact.")
    try:
        _, membership = access_publication(
            actor=actor, procurement_id=fact.procurement_id, write=write
        )
    except NotFound:
        raise NotFound("No such fact.") from None
    return fact, membership


def facts_of(procurement: Procurement) -> QuerySet[Fact]:
    return (
        Fact.objects.filter(procurement=procurement)
        .select_related("reviewed_by", "published")
        .prefetch_related("withholdings")
        .order_by("pk")
    )


def source_label(fact: Fact) -> str:
    return SOURCE_OF[fact.kind].label


def withholdable(fact: Fact) -> list[tuple[str, str]]:
    """The fields of the fact's release the authority may withhold, that are in it."""
    return [
        (path, what)
        for path, what in SOURCE_OF[fact.kind].withholdable
        if _present(fact.release, path)
    ]


def _present(release: Json, path: str) -> bool:
    try:
        ocds.withhold(release, [path])
    except ocds.WithholdingRefused:
        return False
    return True


# The feeds


def releases_published(*, since: datetime | None = None) -> QuerySet[Release]:
    """Published releases in publication order, from `since` on."""
    found = Release.objects.order_by("pk")
    return found.filter(published_at__gte=since) if since is not None else found


def built(release: Release) -> ocds.Built:
    return ocds.Built(release.body, frozenset(release.extensions))


@lru_cache(maxsize=64)
def _rules(schema_dir: Path, extensions: tuple[str, ...]) -> Any:
    return ocds.merge_rules(schema_dir, extensions)


def record_of(releases: list[Release]) -> Json:
    """The OCDS record of one ocid from its published releases."""
    extensions = frozenset().union(*(frozenset(r.extensions) for r in releases))
    urls = tuple(ocds.extension_url(name) for name in sorted(extensions))
    return ocds.build_record(
        releases[0].ocid, [r.body for r in releases], _rules(settings.OCDS_SCHEMA_DIR, urls)
    )


def record_package(ocid: str) -> Json:
    """The record package of one contracting process; NotFound when nothing is published."""
    releases = list(Release.objects.filter(ocid=ocid).order_by("pk"))
    if not releases:
        raise NotFound("Nothing has been published for this procurement.")
    extensions = frozenset().union(*(frozenset(r.extensions) for r in releases))
    return ocds.build_record_package(
        publication_config(),
        [record_of(releases)],
        extensions=extensions,
        uri=f"{settings.PUBLIC_URL}/ocds/records/{ocid}",
        published=max(r.published_at for r in releases),
        audit_head=audit_head(),
    )


def bulk_packages() -> Iterator[Json]:
    """One release package per contracting process, every published release, in ocid order."""
    head = audit_head()
    rows = Release.objects.order_by("ocid", "date", "pk").iterator(chunk_size=500)
    for ocid, group in groupby(rows, key=lambda release: release.ocid):
        releases = list(group)
        yield ocds.build_package(
            publication_config(),
            [built(r) for r in releases],
            uri=f"{settings.PUBLIC_URL}/ocds/records/{ocid}",
            published=max(r.published_at for r in releases),
            audit_head=head,
        )


# The public pages


@dataclass(frozen=True)
class RecordSummary:
    """What the public list and search keep of one contracting process."""

    ocid: str
    compiled: Json
    title: str
    buyer: str
    stage: str
    search_text: str
    outcome: str
    verdicts: str


def _stage(compiled: Json) -> str:
    tender = compiled.get("tender", {})
    if tender.get("status") == "cancelled":
        return "cancelled"
    if compiled.get("contracts"):
        return "contracted"
    if compiled.get("awards"):
        return "awarded"
    return "tender" if tender.get("status") == "active" else "planning"


def _words(value: Any) -> Iterator[str]:
    """Every text in a compiled release that a reader might search for."""
    if isinstance(value, dict):
        for key, inner in value.items():
            if key in {"title", "name", "description", "rationale", "status", "measure"}:
                yield from ([inner] if isinstance(inner, str) else [])
            yield from _words(inner)
    elif isinstance(value, list):
        for item in value:
            yield from _words(item)


def record_of_releases(releases: list[Release]) -> RecordSummary:
    """The public summary of one contracting process from all its published releases."""
    compiled = record_of(releases)["compiledRelease"]
    tender = compiled.get("tender", {})
    outcome, verdicts = outcome_and_verdicts(compiled)
    return RecordSummary(
        ocid=releases[0].ocid,
        compiled=compiled,
        title=tender.get("title") or compiled.get("planning", {}).get("rationale", "")[:200],
        buyer=compiled.get("buyer", {}).get("name", ""),
        stage=_stage(compiled),
        search_text=" ".join(dict.fromkeys(_words(compiled))).lower(),
        outcome=outcome,
        verdicts=verdicts,
    )


def outcome_and_verdicts(compiled: Json) -> tuple[str, str]:
    """
    What the search keeps of how a procurement turned out: its outcome, and the verdicts
    reached on its targets each between bars ("|met|not-met|"), so that one is found whole.
    """
    found = presentation.verdicts(compiled)
    return presentation.outcome(compiled), f"|{'|'.join(found)}|" if found else ""


def public_records(
    *, words: str = "", stage: str = "", outcome: str = "", verdict: str = ""
) -> QuerySet[Record]:
    """
    Published procurements, newest change first, whose open data holds every word given, at
    the stage, with the outcome and with a target of the verdict given (each when given).
    """
    # The list shows neither the compiled release nor the words: they are not read.
    found = Record.objects.defer("compiled", "search_text")
    for word in words.lower().split():
        found = found.filter(search_text__contains=word)
    if stage:
        found = found.filter(stage=stage)
    if outcome:
        found = found.filter(outcome=outcome)
    if verdict:
        found = found.filter(verdicts__contains=f"|{verdict}|")
    return found.order_by("-updated_at", "pk")


def public_record(ocid: str) -> Record:
    record = Record.objects.filter(ocid=ocid).first()
    if record is None:
        raise NotFound("Nothing has been published for this procurement.")
    return record


def announced_withholdings(record: Record) -> QuerySet[Withholding]:
    """
    What the public is told is withheld from a procurement's open data, and on which ground:
    fields withheld from published releases, and releases kept back whole. Nothing is said
    of a fact still waiting, so that its existence does not leak before it is decided.
    """
    return (
        Withholding.objects.filter(fact__procurement_id=record.procurement_id, announced=True)
        .filter(
            Q(fact__status=FactStatus.PUBLISHED, path__gt="")
            | Q(fact__status=FactStatus.SUPPRESSED, path="")
        )
        .select_related("fact")
        .order_by("fact_id", "pk")
    )


def published_figures(record: Record) -> dict[str, list[tuple[Json, list[Json]]]]:
    """
    The figures behind each published verdict, by the id of its contract: the target's
    milestone as the release published it, and the figures of each part assessed. A verdict
    kept back or waiting for review has no release, so none of its figures; nor has one whose
    figures were withheld from its release.
    """
    found: dict[str, list[tuple[Json, list[Json]]]] = {}
    releases = (
        Release.objects.filter(procurement_id=record.procurement_id, fact__kind="verdict")
        .exclude(fact__withholdings__path=FIGURES_WITHHELD)
        .select_related("fact")
        .order_by("pk")
    )
    for release in releases:
        for contract in release.body.get("contracts", []) if release.fact.figures else []:
            for milestone in contract.get("implementation", {}).get("milestones", []):
                found.setdefault(contract.get("id", ""), []).append(
                    (milestone, release.fact.figures)
                )
    return found


def public_notices(ocid: str) -> list[Release]:
    """The published releases of one procurement that carry a notice, in date order."""
    return [
        release
        for release in Release.objects.filter(ocid=ocid)
        .select_related("fact")
        .order_by("date", "pk")
        if notice_document(release.body) is not None
    ]


# The documents whose page is the fact's public page: the notices, and the reports of a verdict
# or a gate decision.
PAGE_DOCUMENTS = ("notice-", "report-")


def _documents(body: Json) -> Iterator[Json]:
    """Every document a release carries, wherever its stage puts it."""
    contracts = body.get("contracts", [])
    for place in [
        body.get("planning", {}),
        body.get("tender", {}),
        *body.get("awards", []),
        *contracts,
    ]:
        yield from place.get("documents", [])
    for contract in contracts:
        implementation = contract.get("implementation", {})
        yield from implementation.get("documents", [])
        for milestone in implementation.get("milestones", []):
            yield from milestone.get("documents", [])


def notice_document(body: Json, kinds: tuple[str, ...] = ("notice-",)) -> Json | None:
    """The notice document a release carries (or, with `kinds`, its report), if any."""
    return next(
        (document for document in _documents(body) if document.get("id", "").startswith(kinds)),
        None,
    )


def public_notice(ocid: str, key: str) -> Release:
    """A published release's own page: its notice, or the report of a verdict or a gate."""
    release = Release.objects.filter(ocid=ocid, fact__key=key).select_related("fact").first()
    if release is None or notice_document(release.body, PAGE_DOCUMENTS) is None:
        raise NotFound("No such notice.")
    return release


def published_bodies(ocid: str) -> QuerySet[Release, tuple[Json, dict[str, list[Any]]]]:
    """
    Every published release of one procurement as `(body, omitted)`, unread until iterated: what
    a notice page checks its typed content against, so that it repeats only what is published.
    """
    return Release.objects.filter(ocid=ocid).order_by("pk").values_list("body", "omitted")


def modification_grounds(procurement: Procurement) -> dict[str, str]:
    """
    The grounds the procurement's rulebook permits a contract change on, in words, by id; none
    when its rulebook is not at hand, so that a public notice still reads (the id in words).
    """
    try:
        rulebook = rulebook_of(procurement)
    except Conflict:
        return {}
    return {g.id: g.label for g in rulebook.modification_grounds}


def last_published() -> datetime | None:
    found: datetime | None = Release.objects.aggregate(last=Max("published_at"))["last"]
    return found


def stage_label(record: Record, at: datetime) -> str:
    """A procurement's stage in words; in competition, whether requests are still open."""
    closes = record.compiled.get("tender", {}).get("expressionOfInterestDeadline")
    if record.stage == "tender" and closes and datetime.fromisoformat(closes) > at:
        return "Open for requests to participate"
    return STAGES[record.stage]


def record_for(procurement: Procurement) -> Record | None:
    return Record.objects.filter(procurement=procurement).first()


def regime_of(procurement: Procurement) -> str:
    """The regime of the procurement's pinned rulebook, as the grounds for withholding name it."""
    return rulebook_of(procurement).regime


def record_packages() -> Iterator[Json]:
    """One record package per contracting process with anything published, in ocid order."""
    ocids = Release.objects.order_by("ocid").values_list("ocid", flat=True).distinct()
    for ocid in ocids.iterator():
        yield record_package(ocid)
