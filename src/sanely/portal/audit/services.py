"""Writing to the audit trail and verifying its chain."""

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.db import models, transaction

from .chain import GENESIS_HASH, event_hash
from .models import AuditEvent, ChainHead

Subject = models.Model | tuple[str, str | int]


def _subject_ref(subject: Subject) -> tuple[str, str]:
    if isinstance(subject, models.Model):
        return subject._meta.label_lower, str(subject.pk)
    kind, ident = subject
    return kind, str(ident)


def _authority_id(organisation: Any, authority: Any) -> int | None:
    if authority is not None:
        return int(authority.pk)
    if organisation is not None and organisation.kind == "authority":
        return int(organisation.pk)
    return None


def _locked_head() -> ChainHead:
    head = ChainHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        head, _ = ChainHead.objects.get_or_create(pk=1, defaults={"hash": GENESIS_HASH})
        head = ChainHead.objects.select_for_update().get(pk=1)
    return head


@transaction.atomic
def audit_record(
    *,
    action: str,
    subject: Subject,
    now: datetime,
    actor: Any = None,
    organisation: Any = None,
    authority: Any = None,
    payload: dict[str, Any] | None = None,
) -> AuditEvent:
    """
    Append one event to the chain, inside the caller's transaction: if the write it
    records rolls back, so does the event. `authority` names the authority whose record
    the event belongs to when the acting organisation is a supplier.
    """
    head = _locked_head()
    subject_type, subject_id = _subject_ref(subject)
    at = now.astimezone(UTC)
    fields: dict[str, Any] = {
        "sequence": head.sequence + 1,
        "at": at,
        "actor_id": getattr(actor, "pk", None),
        "organisation_id": getattr(organisation, "pk", None),
        "authority_id": _authority_id(organisation, authority),
        "action": action,
        "subject_type": subject_type,
        "subject_id": subject_id,
        "payload": payload or {},
        "previous_hash": head.hash,
    }
    event = AuditEvent.objects.create(**fields, hash=event_hash(**fields))
    ChainHead.objects.filter(pk=head.pk).update(sequence=event.sequence, hash=event.hash)
    return event


@dataclass(frozen=True)
class ChainReport:
    """What `audit_verify` found: how many events it checked and the first broken one."""

    checked: int
    broken_event_id: int | None = None
    broken_sequence: int | None = None
    problem: str = ""

    @property
    def intact(self) -> bool:
        return self.broken_event_id is None and not self.problem


def _recomputed_hash(event: AuditEvent) -> str:
    return event_hash(
        sequence=event.sequence,
        at=event.at,
        actor_id=event.actor_id,
        organisation_id=event.organisation_id,
        authority_id=event.authority_id,
        action=event.action,
        subject_type=event.subject_type,
        subject_id=event.subject_id,
        payload=event.payload,
        previous_hash=event.previous_hash,
    )


def _event_problem(event: AuditEvent, expected_sequence: int, expected_previous: str) -> str:
    if event.sequence != expected_sequence:
        return (
            f"sequence {event.sequence} found where {expected_sequence} was expected"
            " (rows removed or inserted)"
        )
    if event.previous_hash != expected_previous:
        return "its previous-hash does not match the event before it (rows removed or inserted)"
    if event.hash != _recomputed_hash(event):
        return "its content no longer matches its hash (the row was altered)"
    return ""


@dataclass(frozen=True)
class PublishedHead:
    """A head of the chain as it was published (e.g. in an open-data package)."""

    sequence: int
    hash: str


def _unlike_published(event: AuditEvent, against: PublishedHead | None) -> str:
    if against is None or event.sequence != against.sequence or event.hash == against.hash:
        return ""
    return (
        "its hash is not the one published for it: the trail up to it was rewritten after it"
        " was published"
    )


def audit_verify(against: PublishedHead | None = None) -> ChainReport:
    """
    Walk the whole chain in order and report the first event that breaks it. Given a head
    published earlier, also prove that the chain up to it is the one published then: its event
    still has the published hash, which covers every event before it.
    """
    expected_previous, checked = GENESIS_HASH, 0
    for event in AuditEvent.objects.order_by("sequence").iterator(chunk_size=2000):
        problem = _event_problem(event, checked + 1, expected_previous) or _unlike_published(
            event, against
        )
        if problem:
            return ChainReport(checked, event.pk, event.sequence, problem)
        expected_previous, checked = event.hash, checked + 1
    if against is not None and checked < against.sequence:
        return ChainReport(
            checked,
            problem=f"the chain ends at event #{checked}, before the published head"
            f" #{against.sequence} (events were removed after it was published)",
        )
    head = ChainHead.objects.filter(pk=1).first()
    head_sequence, head_hash = (head.sequence, head.hash) if head else (0, GENESIS_HASH)
    if (head_sequence, head_hash) != (checked, expected_previous):
        return ChainReport(
            checked,
            problem=f"the chain ends at event #{checked} but its head records #{head_sequence}"
            " (the newest events were removed, or the head was altered)",
        )
    return ChainReport(checked)
