"""Negotiation meetings with one tenderer, recorded."""

from datetime import datetime

from django.db import transaction

from sanely.portal.accounts.models import Organisation
from sanely.portal.accounts.selectors import Actor
from sanely.portal.audit.services import audit_record
from sanely.portal.competition.selectors import tenderers
from sanely.portal.core.errors import validation_failed_from
from sanely.portal.procurements.models import Procurement
from sanely.portal.tenders.models import SubmissionRound
from sanely.procedure import events as lifecycle

from .. import events
from ..models import Meeting
from ..selectors import access_negotiation, opened_tender_rounds
from .steps import change_kind_problems, engine_step, nonblank_lines


def _attendee_problems(attendees: list[str]) -> list[str]:
    if not attendees:
        return ["List who attended, one per line, as 'name, organisation, role'."]
    odd = [a for a in attendees if len([p for p in a.split(",") if p.strip()]) < 3]
    if odd:
        return [f"Write {odd[0]!r} as 'name, organisation, role'."]
    return []


def _meeting_problems(
    procurement: Procurement,
    *,
    round_id: int,
    organisation_id: int,
    held_at: datetime,
    attendees: list[str],
    minutes: str,
    proposed_changes: list[str],
    now: datetime,
) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}
    if not opened_tender_rounds(procurement).filter(pk=round_id).exists():
        problems["round_id"] = [
            "Choose a tender round of this procurement whose tenders have been opened."
        ]
    if organisation_id not in {o.pk for o in tenderers(procurement)}:
        problems["organisation_id"] = ["Choose a tenderer still in the competition."]
    if held_at.tzinfo is None or held_at > now:
        problems["held_at"] = ["Give when the meeting was held, with its time zone; not later."]
    if attendee_problems := _attendee_problems(attendees):
        problems["attendees"] = attendee_problems
    if not minutes.strip():
        problems["minutes"] = ["Write the minutes: what was discussed and agreed."]
    if changes_problems := change_kind_problems(proposed_changes):
        problems["proposed_changes"] = changes_problems
    return problems


@transaction.atomic
def meeting_record(
    *,
    actor: Actor,
    procurement_id: int,
    round_id: int,
    organisation_id: int,
    held_at: datetime,
    attendees: list[str],
    minutes: str,
    information_given: list[str] | None = None,
    proposed_changes: list[str] | None = None,
    justification: str = "",
    now: datetime,
) -> Meeting:
    """
    A commissioner or procurement lead records a negotiation meeting with one tenderer about
    its opened tender: the engine's `negotiate` step, refused in the final-tender round and for
    any proposal touching the minimum requirements or award criteria.
    """
    procurement, membership = access_negotiation(
        actor=actor, procurement_id=procurement_id, write=True
    )
    attendees, information = nonblank_lines(attendees), nonblank_lines(information_given or [])
    changes = list(dict.fromkeys(proposed_changes or []))
    problems = _meeting_problems(
        procurement,
        round_id=round_id,
        organisation_id=organisation_id,
        held_at=held_at,
        attendees=attendees,
        minutes=minutes,
        proposed_changes=changes,
        now=now,
    )
    if problems:
        raise validation_failed_from(problems)
    engine_step(
        actor=actor,
        procurement=procurement,
        event=lifecycle.NEGOTIATE,
        proposed_changes=changes,
        justification=justification,
        evidence=f"Meeting with tenderer {organisation_id}",
        now=now,
    )
    meeting = Meeting.objects.create(
        procurement=procurement,
        round=SubmissionRound.objects.get(pk=round_id),
        organisation=Organisation.objects.get(pk=organisation_id),
        held_at=held_at,
        attendees=attendees,
        minutes=minutes.strip(),
        information_given=information,
        proposed_changes=changes,
        justification=justification.strip(),
        recorded_by=actor.user,
        recorded_at=now,
    )
    audit_record(
        action=events.MEETING_RECORDED,
        subject=meeting,
        now=now,
        actor=actor.user,
        organisation=membership.organisation,
        payload={
            "round": meeting.round.ref,
            "tenderer": organisation_id,
            "held_at": held_at.isoformat(),
            "attendees": attendees,
            "information_given": information,
            "proposed_changes": changes,
        },
    )
    return meeting
