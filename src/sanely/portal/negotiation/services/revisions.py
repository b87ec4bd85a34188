"""Revisions of the procurement documents, with notice to every tenderer still in."""

from datetime import datetime

from django.db import transaction

from sanely.documents.letters import document_revision
from sanely.documents.wording import uk_instant
from sanely.portal.accounts.models import Organisation
from sanely.portal.accounts.selectors import Actor
from sanely.portal.audit.services import audit_record
from sanely.portal.competition.selectors import tenderers
from sanely.portal.competition.services import letter_send
from sanely.portal.core.errors import Conflict, validation_failed_from
from sanely.portal.tenders.models import SubmissionRound
from sanely.portal.tenders.services import submission_round_extend
from sanely.procedure import events as lifecycle

from .. import events
from ..models import DocumentRevision
from ..selectors import access_negotiation, open_tender_round
from .steps import change_kind_problems, engine_step


def _revision_problems(
    title: str, summary: str, affects: list[str], new_deadline: datetime | None
) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}
    if not title.strip() or len(title) > 200:
        problems["title"] = ["Give the revision a title of 1 to 200 characters."]
    if not summary.strip():
        problems["summary"] = ["Summarise what changed; every remaining tenderer reads it."]
    if changes_problems := change_kind_problems(affects):
        problems["affects"] = changes_problems
    if new_deadline is not None and new_deadline.tzinfo is None:
        problems["new_deadline"] = ["Give the new deadline with its time zone."]
    return problems


def _extension_justification(
    submission_round: SubmissionRound, new_deadline: datetime, reason: str
) -> str:
    return (
        f"The deadline of {submission_round.label.lower()} was extended to"
        f" {uk_instant(new_deadline)} in the same step. {reason}".strip()
    )


@transaction.atomic
def document_revision_record(
    *,
    actor: Actor,
    procurement_id: int,
    title: str,
    summary: str,
    affects: list[str] | None = None,
    justification: str = "",
    new_deadline: datetime | None = None,
    extension_reason: str = "",
    now: datetime,
) -> DocumentRevision:
    """
    A commissioner or procurement lead revises the procurement documents: the engine's
    `amend_documents` step, refused for the locked items. The deadline is reviewed every time:
    either a justification says why the remaining time is enough, or the open tender round's
    deadline is extended in the same step. Every remaining tenderer gets a letter.
    """
    procurement, membership = access_negotiation(
        actor=actor, procurement_id=procurement_id, write=True
    )
    changes = list(dict.fromkeys(affects or ["other"]))
    if problems := _revision_problems(title, summary, changes, new_deadline):
        raise validation_failed_from(problems)
    recipients = tenderers(procurement)
    if not recipients:
        raise Conflict("No tenderer is still in the competition to send the revision to.")
    submission_round = open_tender_round(procurement, now)
    if new_deadline is not None and submission_round is None:
        raise validation_failed_from(
            {
                "new_deadline": [
                    "No tender round is open for submissions now, so there is no deadline to"
                    " extend: leave the new deadline empty and record why the remaining time"
                    " is enough instead."
                ]
            }
        )
    reason = extension_reason.strip() or f"The procurement documents were revised: {title.strip()}."
    review = justification.strip()
    if new_deadline is not None and submission_round is not None:
        review = review or _extension_justification(submission_round, new_deadline, reason)
    engine_step(
        actor=actor,
        procurement=procurement,
        event=lifecycle.AMEND_DOCUMENTS,
        proposed_changes=changes,
        justification=review,
        evidence=title.strip(),
        now=now,
    )
    extension = None
    if new_deadline is not None and submission_round is not None:
        extension = submission_round_extend(
            actor=actor,
            round_id=submission_round.pk,
            new_deadline=new_deadline,
            reason=reason,
            now=now,
        )
    revision = DocumentRevision.objects.create(
        procurement=procurement,
        title=title.strip(),
        summary=summary.strip(),
        affects=changes,
        justification=review,
        extension=extension,
        recorded_by=actor.user,
        recorded_at=now,
    )
    revision.recipients.set(recipients)
    _revision_letters(actor, revision, recipients, now)
    audit_record(
        action=events.DOCUMENTS_REVISED,
        subject=revision,
        now=now,
        actor=actor.user,
        organisation=membership.organisation,
        payload={
            "title": revision.title,
            "affects": changes,
            "justification": review,
            "deadline_extended_to": extension.new_deadline.isoformat() if extension else None,
            "recipients": [o.pk for o in recipients],
        },
    )
    return revision


def _revision_letters(
    actor: Actor, revision: DocumentRevision, recipients: list[Organisation], now: datetime
) -> None:
    extension = revision.extension
    document = document_revision.build(
        document_revision.Revision(
            revision.pk,
            revision.title,
            revision.summary,
            extension.new_deadline if extension else None,
            revision.justification,
        )
    )
    for recipient in recipients:
        letter_send(
            actor=actor,
            procurement=revision.procurement,
            recipient=recipient,
            document=document,
            now=now,
        )
