"""The four-eyes opening of a round after its deadline."""

from datetime import datetime

from django.db import transaction

from sanely import vault
from sanely.documents.wording import sentence, uk_instant
from sanely.portal.accounts.selectors import Actor
from sanely.portal.audit.services import audit_record
from sanely.portal.core.errors import Conflict

from .. import events
from ..keys import master_key
from ..models import SubmissionRound
from ..security import refuse_sealed_access
from ..selectors import access_round


def round_opening_request(*, actor: Actor, round_id: int, now: datetime) -> SubmissionRound:
    """The first of two people asks to open a round; refused (and recorded) before the deadline."""
    submission_round, membership = access_round(actor=actor, round_id=round_id, write=True)
    if now < submission_round.deadline:
        refuse_sealed_access(
            actor=actor,
            round=submission_round,
            subject=submission_round,
            route="opening request",
            error=Conflict(
                f"The round cannot be opened before its deadline,"
                f" {uk_instant(submission_round.deadline)}; it is now {uk_instant(now)}."
            ),
            now=now,
        )
    with transaction.atomic():
        # "No key": uploads and submissions referring to the round are not blocked (see _record).
        submission_round = SubmissionRound.objects.select_for_update(no_key=True).get(
            pk=submission_round.pk
        )
        if submission_round.opening_requested_by_id is not None:
            raise Conflict(
                "Opening has already been requested; a second authorised person confirms it."
            )
        submission_round.opening_requested_by = actor.user
        submission_round.opening_requested_at = now
        submission_round.save(update_fields=["opening_requested_by", "opening_requested_at"])
        audit_record(
            action=events.ROUND_OPENING_REQUESTED,
            subject=submission_round,
            now=now,
            actor=actor.user,
            organisation=membership.organisation,
            payload={"round": submission_round.ref},
        )
    return submission_round


def round_opening_confirm(*, actor: Actor, round_id: int, now: datetime) -> SubmissionRound:
    """
    A second, different authorised person confirms: the vault checks the deadline has passed
    and that two distinct people are named, then the round is open. A refusal is recorded as a
    security event.
    """
    submission_round, membership = access_round(actor=actor, round_id=round_id, write=True)
    if submission_round.opened_at is not None:
        raise Conflict("The round is already open.")
    if submission_round.opening_requested_by_id is None:
        raise Conflict("First ask to open the round; a second authorised person then confirms.")
    try:
        opened = vault.round_key_open(
            master_key(),
            submission_round.round_key(),
            authorisation=vault.OpeningAuthorisation(
                submission_round.ref,
                str(submission_round.opening_requested_by_id),
                str(actor.user.pk),
            ),
            now=now,
        )
    except vault.VaultError as error:
        message = (
            "A second authorised person, not the one who asked, must confirm the opening."
            if isinstance(error, vault.FourEyesRequired)
            else sentence(str(error))
        )
        refuse_sealed_access(
            actor=actor,
            round=submission_round,
            subject=submission_round,
            route="opening confirmation",
            error=Conflict(message),
            now=now,
        )
    with transaction.atomic():
        updated = SubmissionRound.objects.filter(
            pk=submission_round.pk, opened_at__isnull=True
        ).update(opened_by=actor.user, opened_at=opened.opened_at)
        if not updated:
            raise Conflict("The round is already open.")
        audit_record(
            action=events.ROUND_OPENED,
            subject=submission_round,
            now=now,
            actor=actor.user,
            organisation=membership.organisation,
            payload={
                "round": submission_round.ref,
                "opened_by": list(opened.opened_by),
                "opened_at": opened.opened_at.isoformat(),
            },
        )
    submission_round.refresh_from_db()
    return submission_round
