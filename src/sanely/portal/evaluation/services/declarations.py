"""Conflict-of-interest declarations, before any tender is read."""

from datetime import datetime

from django.db import transaction

from sanely.portal.accounts.selectors import Actor
from sanely.portal.competition.models import ConflictDeclaration
from sanely.portal.competition.selectors import conflict_declared, tenderers_to_declare
from sanely.portal.competition.services import conflict_declare
from sanely.portal.core.errors import Conflict
from sanely.portal.procurements.models import Procurement

from ..selectors import Act, access_evaluation, signed_off
from .checks import locked_procurement, required_text


def declaring_refusal(procurement: Procurement) -> str | None:
    """Why nobody may declare in the procurement now, or None: the declaration page asks it too."""
    if signed_off(procurement):
        return "The evaluation is signed off: its results can no longer change."
    if not tenderers_to_declare(procurement):
        return "Nobody has tendered yet: declare once tenderers have been invited."
    return None


@transaction.atomic
def declaration_record(
    *,
    actor: Actor,
    procurement_id: int,
    conflict: bool,
    details: str = "",
    scores: bool = True,
    now: datetime,
) -> ConflictDeclaration:
    """
    Declare, before seeing any tender, whether one has a conflict of interest with any of the
    procurement's tenderers (named in the declaration). A declared conflict removes access to
    the tenders and to scoring, and stands: a later declaration cannot take it back.
    `scores` says whether the person scores tenders or only moderates or signs off.
    """
    procurement, _ = access_evaluation(actor=actor, procurement_id=procurement_id, act=Act.ASSESS)
    locked_procurement(procurement)
    why = declaring_refusal(procurement)
    if why is not None:
        raise Conflict(why)
    named = tenderers_to_declare(procurement)
    if conflict:
        details = required_text(
            details, "details", "Say what the conflict is, and with which tenderer."
        )
    elif conflict_declared(procurement, actor.user):
        raise Conflict(
            "You declared a conflict of interest in this procurement; it stands, so you cannot"
            " declare that you have none."
        )
    return conflict_declare(
        actor=actor,
        procurement=procurement,
        tenderers=named,
        conflict=conflict,
        details=details,
        scores=scores,
        now=now,
    )
