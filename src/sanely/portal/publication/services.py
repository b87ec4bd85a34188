"""
Writes for open data: finding a procurement's lifecycle facts and publishing their releases
(the worker's job, queued after the commit of the action that made them), and the authority's
review of the facts that wait for it: publish, withholding fields on a lawful ground, or keep
the whole release back. Every write is audited.

A release is published only once it has been checked against the OCDS schema with exactly the
extensions it declares, read from the configured folder. A field only an extension without a
schema in that folder defines is left out of the release (and kept for the notice page); a
release that still cannot be checked is held with the reason, and tried again at the next run.
"""

import logging
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.tasks import task

from sanely import ocds
from sanely.portal.accounts.selectors import Actor
from sanely.portal.audit.services import audit_record
from sanely.portal.core.clock import now as clock_now
from sanely.portal.core.errors import Conflict, validation_failed_from
from sanely.portal.procurements.models import Procurement

from . import events
from .catalogue import SOURCES
from .fts import notices_send_task
from .grounds import Ground, grounds_for
from .models import Fact, FactStatus, Record, Release, Withholding
from .selectors import access_fact, publication_config, record_of_releases, withholdable
from .sources import Context, Found

logger = logging.getLogger(__name__)


def context_of(procurement: Procurement) -> Context:
    return Context.of(
        procurement, ocid_prefix=settings.OCDS_OCID_PREFIX, public_url=settings.PUBLIC_URL
    )


def publication_queue(procurement_id: int) -> None:
    """Have the worker look for new facts once the current transaction commits."""
    transaction.on_commit(lambda: publication_run_task.enqueue(procurement_id=procurement_id))


def publication_queue_on_action(sender: object, *, procurement: Procurement, **_: object) -> None:
    """Every lifecycle action (the `procurement_acted` signal) may have made a fact."""
    publication_queue(procurement.pk)


def publication_queue_on_partnership_row(sender: object, *, instance: Any, **_: object) -> None:
    """
    A partnership row saved outside a lifecycle action (a claim paid, a change, an assessment,
    a contract ended) may have made a fact: `instance.contract` names the procurement.
    """
    publication_queue(instance.contract.procurement_id)


@transaction.atomic
def publication_run(*, procurement_id: int, now: datetime) -> list[Fact]:
    """
    Find the procurement's facts not seen before, keep each with its release as built, and
    publish those that need no review and those approved or held earlier. Returns the facts found.
    """
    procurement = (
        Procurement.objects.select_for_update()
        .select_related("organisation")
        .get(pk=procurement_id)
    )
    context = context_of(procurement)
    known = set(Fact.objects.filter(procurement=procurement).values_list("key", flat=True))
    found = [
        _keep(context, source.kind, item, source.reviewed, now)
        for source in SOURCES
        for item in map(_found, source.find(context))
        if item.fact.id not in known
    ]
    waiting = Fact.objects.filter(
        procurement=procurement, status__in=(FactStatus.QUEUED, FactStatus.HELD)
    ).prefetch_related("withholdings")
    published = [fact for fact in waiting if _publish(fact, now)]
    if published:
        record_refresh(procurement, now)
        # Notices go on to Find a Tender after the commit (fts.py; nothing without credentials).
        transaction.on_commit(lambda: notices_send_task.enqueue(procurement_id=procurement_id))
    return found


def _found(item: ocds.facts.Fact | Found) -> Found:
    return item if isinstance(item, Found) else Found(item, {})


def _keep(context: Context, kind: str, found: Found, reviewed: bool, now: datetime) -> Fact:
    fact = found.fact
    built = ocds.build_release(settings.OCDS_OCID_PREFIX, context.ocds_procurement, fact)
    row = Fact.objects.create(
        procurement=context.procurement,
        key=fact.id,
        kind=kind,
        release=built.release,
        extensions=sorted(built.extensions),
        notice=found.notice,
        figures=found.figures,
        found_at=now,
        status=FactStatus.AWAITING_REVIEW if reviewed else FactStatus.QUEUED,
    )
    audit_record(
        action=events.FACT_FOUND,
        subject=row,
        now=now,
        organisation=context.procurement.organisation,
        payload={"key": row.key, "kind": kind, "status": row.status},
    )
    return row


def _publish(fact: Fact, now: datetime) -> bool:
    """
    Publish the fact's release, what is withheld removed, if it passes the schema. Fields of an
    extension whose schema is not in the folder are left out (kept on the row for its notice).
    """
    kept = ocds.withhold(fact.release, [w.path for w in fact.withholdings.all() if w.path])
    fitted = ocds.fit(
        ocds.Built(kept, frozenset(fact.extensions)),
        ocds.available_extensions(settings.OCDS_SCHEMA_DIR),
    )
    built, body = fitted.built, fitted.built.release
    package = ocds.build_package(
        publication_config(), [built], uri=f"{settings.PUBLIC_URL}/ocds/releases", published=now
    )
    try:
        ocds.validate_package(package, settings.OCDS_SCHEMA_DIR)
    except (ocds.SchemaUnavailable, ocds.ReleaseInvalid) as problem:
        _hold(fact, str(problem), now)
        return False
    Release.objects.create(
        procurement_id=fact.procurement_id,
        fact=fact,
        ocid=body["ocid"],
        release_id=body["id"],
        date=datetime.fromisoformat(body["date"]),
        tags=body["tag"],
        body=body,
        extensions=sorted(built.extensions),
        omitted=fitted.omitted,
        published_at=now,
    )
    fact.status, fact.problem = FactStatus.PUBLISHED, ""
    fact.save(update_fields=["status", "problem"])
    audit_record(
        action=events.RELEASE_PUBLISHED,
        subject=fact,
        now=now,
        authority=fact.procurement.organisation,
        payload={
            "release": body["id"],
            "withheld": [w.path for w in fact.withholdings.all()],
            "left_out": sorted(fitted.omitted),
        },
    )
    return True


def _hold(fact: Fact, problem: str, now: datetime) -> None:
    """Keep the release back with the reason; audited when the reason is new."""
    if fact.status == FactStatus.HELD and fact.problem == problem:
        return
    logger.warning("Release %s of procurement %s held: %s", fact.key, fact.procurement_id, problem)
    fact.status, fact.problem = FactStatus.HELD, problem
    fact.save(update_fields=["status", "problem"])
    audit_record(
        action=events.RELEASE_HELD,
        subject=fact,
        now=now,
        authority=fact.procurement.organisation,
        payload={"key": fact.key, "problem": problem},
    )


def record_refresh(procurement: Procurement, now: datetime) -> Record:
    """Rebuild the public record of a procurement from its published releases."""
    summary = record_of_releases(list(Release.objects.filter(procurement=procurement)))
    record, _ = Record.objects.update_or_create(
        procurement=procurement,
        defaults={
            "ocid": summary.ocid,
            "compiled": summary.compiled,
            "title": summary.title,
            "buyer": summary.buyer,
            "stage": summary.stage,
            "search_text": summary.search_text,
            "outcome": summary.outcome,
            "verdicts": summary.verdicts,
            "updated_at": now,
        },
    )
    return record


def _ground(regime: str, ground_id: str) -> Ground | None:
    return next((g for g in grounds_for(regime) if g.id == ground_id), None)


def _review_problems(
    fact: Fact,
    regime: str,
    *,
    publish: bool,
    withhold: Sequence[str],
    ground: str,
    explanation: str,
    announced: bool,
) -> dict[str, list[str]]:
    """Every problem with a review, by the field to change."""
    problems: dict[str, list[str]] = {}
    offered = {path for path, _ in withholdable(fact)}
    if unknown := sorted(set(withhold) - offered):
        problems["withhold"] = [
            f"{', '.join(unknown)} cannot be withheld from this release: choose from the list."
        ]
    if not publish or withhold:
        chosen = _ground(regime, ground)
        if chosen is None:
            lawful = ", ".join(f"{g.id} ({g.citation})" for g in grounds_for(regime))
            problems["ground"] = [
                f"Choose the lawful ground for keeping this back: {lawful}."
                if lawful
                else f"No ground for withholding is recorded for {regime}, so nothing can be"
                " kept back: publish the release as it is."
            ]
        elif not announced and not chosen.silent_allowed:
            problems["announced"] = [
                f"{chosen.citation} does not let the withholding go unannounced: the public is"
                " told that information is withheld and on which ground."
            ]
        if not explanation.strip():
            problems["explanation"] = ["Explain why, for the record."]
    return problems


@transaction.atomic
def fact_review(
    *,
    actor: Actor,
    fact_id: int,
    publish: bool,
    withhold: Sequence[str] = (),
    ground: str = "",
    explanation: str = "",
    announced: bool = True,
    now: datetime,
) -> Fact:
    """
    The authority's decision on a fact waiting for review: publish it (the worker does so after
    the commit), optionally withholding some of its fields, or keep the whole release back. Any
    withholding names a lawful ground of the procurement's regime and an explanation.
    """
    fact, membership = access_fact(actor=actor, fact_id=fact_id, write=True)
    fact = Fact.objects.select_for_update().select_related("procurement").get(pk=fact.pk)
    if fact.status != FactStatus.AWAITING_REVIEW:
        raise Conflict(f"This has been decided already: {fact.get_status_display().lower()}.")
    regime = context_of(fact.procurement).rulebook.regime
    problems = _review_problems(
        fact,
        regime,
        publish=publish,
        withhold=withhold,
        ground=ground,
        explanation=explanation,
        announced=announced,
    )
    if problems:
        raise validation_failed_from(problems)
    chosen = _ground(regime, ground)
    paths = [(path, what) for path, what in withholdable(fact) if path in withhold]
    if not publish:
        paths = [("", "The whole release")]
    for path, what in paths:
        Withholding.objects.create(
            fact=fact,
            path=path,
            what=what,
            ground=chosen.id,  # type: ignore[union-attr]  # checked above
            citation=chosen.citation,  # type: ignore[union-attr]
            explanation=explanation.strip(),
            announced=announced,
            recorded_by=actor.user,
            recorded_at=now,
        )
    fact.status = FactStatus.QUEUED if publish else FactStatus.SUPPRESSED
    fact.reviewed_by, fact.reviewed_at = actor.user, now
    fact.save(update_fields=["status", "reviewed_by", "reviewed_at"])
    audit_record(
        action=events.FACT_REVIEWED if publish else events.FACT_SUPPRESSED,
        subject=fact,
        now=now,
        actor=actor.user,
        organisation=membership.organisation,
        payload={
            "key": fact.key,
            "withheld": [path or "the whole release" for path, _ in paths],
            "ground": chosen.citation if chosen else None,
            "announced": announced,
        },
    )
    if publish:
        publication_queue(fact.procurement_id)
    return fact


@task()
def publication_run_task(*, procurement_id: int) -> int:
    """Background task: find and publish a procurement's facts; returns how many were new."""
    return len(publication_run(procurement_id=procurement_id, now=clock_now()))
