"""
Security events: every refused attempt to reach sealed (or otherwise protected) submission
content is written to the audit trail in a transaction of its own, so it stays recorded when
the request that made the attempt fails. The authority of the procurement is set, so its
auditors see it.
"""

from datetime import datetime
from typing import Any, NoReturn

from django.db import transaction

from sanely.portal.accounts.models import Organisation
from sanely.portal.accounts.selectors import Actor
from sanely.portal.audit.services import audit_record
from sanely.portal.core.errors import ApplicationError

from . import events
from .models import SubmissionRound


def refuse_sealed_access(
    *,
    actor: Actor,
    round: SubmissionRound,
    subject: Any,
    route: str,
    error: ApplicationError,
    now: datetime,
) -> NoReturn:
    """Record the attempt as a security event (committed on its own), then raise `error`."""
    refusal_record(
        action=events.SEALED_ACCESS_REFUSED,
        actor=actor,
        round=round,
        subject=subject,
        error=error,
        now=now,
        route=route,
        opened=round.opened_at is not None,
        deadline=round.deadline.isoformat(),
        superuser=actor.user.is_superuser,
    )


def refusal_record(
    *,
    action: str,
    actor: Actor,
    round: SubmissionRound,
    subject: Any,
    error: ApplicationError,
    now: datetime,
    organisation: Organisation | None = None,
    **details: Any,
) -> NoReturn:
    """Record a refusal as `action` in a transaction of its own, then raise `error`."""
    # Called outside any transaction of the refused request, so its rollback cannot take the
    # record of the attempt with it.
    with transaction.atomic():
        audit_record(
            action=action,
            subject=subject,
            now=now,
            actor=actor.user,
            organisation=organisation,
            authority=round.procurement.organisation,
            payload={"round": round.ref, **details, "refusal": error.message},
        )
    raise error
