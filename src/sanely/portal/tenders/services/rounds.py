"""Opening a round for requests or tenders, and extending its deadline."""

from datetime import datetime, timedelta

from django.db import transaction

from sanely import vault
from sanely.documents.letters import deadline_extended, round_invitation
from sanely.documents.wording import sentence
from sanely.portal.accounts.selectors import Actor
from sanely.portal.audit.services import audit_record
from sanely.portal.competition.selectors import tenderers
from sanely.portal.competition.services import letter_send
from sanely.portal.core.email import email_document
from sanely.portal.core.errors import Conflict, validation_failed_from
from sanely.portal.procurements.actions import Action
from sanely.portal.procurements.engine import UK
from sanely.portal.procurements.models import Procurement
from sanely.portal.procurements.selectors import access_procurement
from sanely.portal.procurements.services import procurement_act
from sanely.procedure import events as lifecycle

from .. import events
from ..keys import master_key
from ..models import DeadlineExtension, Interest, RoundKind, SubmissionRound, SubmissionVersion
from ..selectors import access_round, tender_round_facts

# A deadline further away than this is a typing mistake, not a plan.
LONGEST_ROUND = timedelta(days=3 * 365)


DEFAULT_PARTS: dict[str, list[str]] = {
    RoundKind.RTP: ["Request to participate"],
    RoundKind.TENDER: ["Tender"],
}


def _deadline_problems(deadline: datetime, now: datetime) -> list[str]:
    if deadline.tzinfo is None or deadline.utcoffset() is None:
        return ["Give the deadline with its time zone, e.g. 2026-12-01T12:00:00+00:00."]
    if deadline <= now:
        return ["The deadline must be in the future."]
    if deadline - now > LONGEST_ROUND:
        return ["The deadline must be within three years."]
    return []


def _parts_problems(parts: list[str]) -> list[str]:
    names = [p.strip() for p in parts]
    if any(not n or len(n) > 100 for n in names):
        return ["Name each part in 1 to 100 characters."]
    if len(set(names)) != len(names):
        return ["Give each part a different name."]
    if len(names) > 20:
        return ["A round has at most 20 parts."]
    return []


@transaction.atomic
def submission_round_open(
    *,
    actor: Actor,
    procurement_id: int,
    kind: str,
    number: int,
    deadline: datetime,
    final: bool = False,
    parts: list[str] | None = None,
    justification: str = "",
    now: datetime,
) -> SubmissionRound:
    """
    A commissioner or procurement lead opens a round of a published procurement for
    submissions. Its vault key pair is made now, bound to the deadline and to who set it.
    A tender round is a step of the procedure; `justification` answers the WARN rules of
    that step.
    """
    procurement, membership = access_procurement(
        actor=actor, procurement_id=procurement_id, write=True
    )
    parts = [p.strip() for p in parts] if parts else list(DEFAULT_PARTS.get(kind, []))
    problems: dict[str, list[str]] = {}
    if kind not in RoundKind.values:
        problems["kind"] = ["Choose rtp (requests to participate) or tender."]
    elif kind == RoundKind.RTP and (number != 1 or final):
        problems["number"] = ["Requests to participate are one round: number 1, not final."]
    if not 1 <= number <= 50:
        problems["number"] = ["Number the round from 1 to 50."]
    if deadline_problems := _deadline_problems(deadline, now):
        problems["deadline"] = deadline_problems
    if parts_problems := _parts_problems(parts):
        problems["parts"] = parts_problems
    if problems:
        raise validation_failed_from(problems)
    if procurement.published_at is None:
        raise Conflict("Publish the procurement's notice before opening a round for submissions.")
    if SubmissionRound.objects.filter(procurement=procurement, kind=kind, number=number).exists():
        raise Conflict(f"This procurement already has {kind} round {number}; open another number.")
    if kind == RoundKind.TENDER:
        _tender_round_in_lifecycle(actor, procurement, number, final, deadline, justification, now)
    ref = f"{procurement.reference}/{kind}-{number}"
    key = vault.round_key_create(
        master_key(), round_id=ref, deadline=deadline, now=now, set_by=str(actor.user.pk)
    )
    submission_round = SubmissionRound(
        procurement=procurement,
        kind=kind,
        number=number,
        final=final,
        parts=parts,
        created_by=actor.user,
        created_at=now,
    )
    submission_round.store_round_key(key)
    submission_round.save()
    audit_record(
        action=events.ROUND_OPENED_FOR_SUBMISSIONS,
        subject=submission_round,
        now=now,
        actor=actor.user,
        organisation=membership.organisation,
        payload={
            "round": ref,
            "deadline": key.deadline.isoformat(),
            "final": final,
            "parts": parts,
            "master_key_id": key.master_key_id,
        },
    )
    _invite_to_round(actor, submission_round, now)
    return submission_round


def _invite_to_round(actor: Actor, submission_round: SubmissionRound, now: datetime) -> None:
    """
    Tell the suppliers a round concerns that it is open: every tenderer still in the
    competition for a tender round, everyone who expressed interest for the requests.
    """
    procurement = submission_round.procurement
    if submission_round.kind == RoundKind.TENDER:
        recipients = tenderers(procurement)
    else:
        recipients = [i.organisation for i in procurement.interests.select_related("organisation")]
    for recipient in recipients:
        opened = round_invitation.RoundOpen(
            authority=procurement.organisation.name,
            recipient=recipient.name,
            reference=procurement.reference,
            title=procurement.title,
            round=submission_round.ref,
            label=submission_round.label,
            deadline=submission_round.deadline,
            final=submission_round.final,
            parts=tuple(submission_round.parts),
        )
        letter_send(
            actor=actor,
            procurement=procurement,
            recipient=recipient,
            document=round_invitation.build(opened),
            now=now,
        )


def _tender_round_in_lifecycle(
    actor: Actor,
    procurement: Procurement,
    number: int,
    final: bool,
    deadline: datetime,
    justification: str,
    now: datetime,
) -> None:
    """
    A tender round is a step of the procedure: the engine checks it with the rounds held so far
    (is an earlier one still open? has the final one been held?) and its deadline against the
    regime's tendering period. The final round is the invitation to submit final tenders.
    """
    if not tenderers(procurement):
        raise Conflict(
            "Nobody has been invited to tender yet: decide the shortlist in the selection first."
        )
    held = tender_round_facts(procurement=procurement, now=now)
    if number != len(held) + 1:
        raise validation_failed_from(
            {"number": [f"The next tender round is number {len(held) + 1}."]}
        )
    procurement_act(
        actor=actor,
        procurement_id=procurement.pk,
        event=lifecycle.INVITE_FINAL_TENDERS if final else lifecycle.OPEN_TENDER_ROUND,
        action=Action(
            rounds=held,
            deadline=deadline.astimezone(UK),
            justification=justification,
            evidence=f"Final tenders are round {number}." if final else f"Tender round {number}.",
        ),
        now=now,
        ask_every_time=True,
    )


def _people_to_tell(submission_round: SubmissionRound) -> list[str]:
    """Everyone who expressed interest in the procurement or submitted to the round."""
    interested = Interest.objects.filter(procurement=submission_round.procurement).values_list(
        "expressed_by__email", flat=True
    )
    submitted = SubmissionVersion.objects.filter(round=submission_round).values_list(
        "submitted_by__email", flat=True
    )
    return sorted(set(interested) | set(submitted))


@transaction.atomic
def submission_round_extend(
    *,
    actor: Actor,
    round_id: int,
    new_deadline: datetime,
    reason: str,
    platform_incident: bool = False,
    now: datetime,
) -> DeadlineExtension:
    """
    Extend a round's deadline before it passes, with the reason recorded in the incident log
    (a platform fault is marked as one). The vault refuses bringing it forward, or any change
    after it passed. Everyone interested is told.
    """
    submission_round, membership = access_round(actor=actor, round_id=round_id, write=True)
    # "No key": uploads and submissions referring to the round are not blocked (see _record).
    submission_round = SubmissionRound.objects.select_for_update(no_key=True).get(
        pk=submission_round.pk
    )
    problems: dict[str, list[str]] = {}
    if not reason.strip():
        problems["reason"] = ["Say why the deadline is extended; suppliers will read it."]
    if deadline_problems := _deadline_problems(new_deadline, now):
        problems["new_deadline"] = deadline_problems
    if problems:
        raise validation_failed_from(problems)
    previous = submission_round.deadline
    try:
        key = vault.round_key_extend(
            master_key(),
            submission_round.round_key(),
            new_deadline=new_deadline,
            now=now,
            changed_by=str(actor.user.pk),
        )
    except vault.DeadlineRefused as error:
        raise Conflict(sentence(str(error))) from None
    submission_round.store_round_key(key)
    submission_round.save()
    extension = DeadlineExtension.objects.create(
        round=submission_round,
        previous_deadline=previous,
        new_deadline=key.deadline,
        reason=reason.strip(),
        platform_incident=platform_incident,
        recorded_by=actor.user,
        recorded_at=now,
    )
    audit_record(
        action=events.ROUND_DEADLINE_EXTENDED,
        subject=submission_round,
        now=now,
        actor=actor.user,
        organisation=membership.organisation,
        payload={
            "round": submission_round.ref,
            "from": previous.isoformat(),
            "to": key.deadline.isoformat(),
            "reason": extension.reason,
            "platform_incident": platform_incident,
        },
    )
    if recipients := _people_to_tell(submission_round):
        moved = deadline_extended.Extension(
            reference=submission_round.procurement.reference,
            title=submission_round.procurement.title,
            label=submission_round.label,
            deadline=key.deadline,
            previous=previous,
            reason=extension.reason,
        )
        email_document(to=recipients, document=deadline_extended.build(moved))
    return extension
