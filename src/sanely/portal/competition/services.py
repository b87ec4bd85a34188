"""
Writes to the competition register, each audited with the authority so its auditors see it:
a supplier's standing, a letter sent, a conflict-of-interest declaration.
"""

from datetime import datetime

from sanely.documents import Document, render_text, to_json
from sanely.portal.accounts.models import Organisation
from sanely.portal.accounts.selectors import Actor, email_addresses
from sanely.portal.audit.services import audit_record
from sanely.portal.core.email import email_send
from sanely.portal.procurements.models import Procurement

from . import events
from .models import ConflictDeclaration, Letter, Participant, Standing


def participant_set(
    *,
    actor: Actor,
    procurement: Procurement,
    organisation: Organisation,
    standing: Standing,
    reason: str,
    now: datetime,
) -> Participant:
    """
    Move a supplier to a new standing in the competition (called by selection, staged
    reduction, evaluation and award inside their own transactions), with the reason.
    """
    participant, _ = Participant.objects.update_or_create(
        procurement=procurement,
        organisation=organisation,
        defaults={"standing": standing, "reason": reason, "changed_at": now},
    )
    audit_record(
        action=events.PARTICIPANT_STANDING_CHANGED,
        subject=participant,
        now=now,
        actor=actor.user,
        organisation=procurement.organisation,
        payload={"organisation": organisation.pk, "standing": standing, "reason": reason},
    )
    return participant


def letter_send(
    *,
    actor: Actor,
    procurement: Procurement,
    recipient: Organisation,
    document: Document,
    now: datetime,
) -> Letter:
    """
    Send a supplier a letter built by `sanely.documents`: kept as sent (its typed content and
    its text), emailed after commit to every person of the supplier, and recorded in the audit
    trail (with the authority, so its auditors see it).
    """
    body = render_text(document)
    letter = Letter.objects.create(
        procurement=procurement,
        recipient=recipient,
        kind=document.kind,
        subject=document.subject,
        body=body,
        content=to_json(document),
        sent_by=actor.user,
        sent_at=now,
    )
    people = email_addresses(recipient)
    if people:
        email_send(to=people, subject=f"{procurement.reference}: {document.subject}", body=body)
    audit_record(
        action=events.LETTER_SENT,
        subject=letter,
        now=now,
        actor=actor.user,
        organisation=procurement.organisation,
        payload={"recipient": recipient.pk, "kind": document.kind, "subject": document.subject},
    )
    return letter


def conflict_declare(
    *,
    actor: Actor,
    procurement: Procurement,
    tenderers: list[Organisation],
    conflict: bool,
    details: str,
    scores: bool,
    now: datetime,
) -> ConflictDeclaration:
    """
    Record what one person of the authority declared about their interests in the tenderers
    (named in the declaration); the evaluation decides beforehand whether they may declare.
    """
    declaration = ConflictDeclaration.objects.create(
        procurement=procurement,
        evaluator=actor.user,
        tenderers=[{"id": t.pk, "name": t.name} for t in tenderers],
        conflict=conflict,
        details=details.strip(),
        scores=scores and not conflict,
        declared_at=now,
    )
    audit_record(
        action=events.CONFLICT_DECLARED,
        subject=declaration,
        now=now,
        actor=actor.user,
        organisation=procurement.organisation,
        payload={
            "conflict": conflict,
            "details": declaration.details,
            "scores": declaration.scores,
            "tenderers": [t.name for t in tenderers],
        },
    )
    return declaration
