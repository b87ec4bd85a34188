"""The engine step every negotiation write goes through, and what the steps share."""

from collections.abc import Sequence
from datetime import datetime

from sanely.portal.accounts.selectors import Actor
from sanely.portal.procurements.actions import Action
from sanely.portal.procurements.models import Procurement
from sanely.portal.procurements.services import procurement_act

CHANGES = ("minimum_requirements", "award_criteria", "other")


LONG_TEXT = 10000


def nonblank_lines(lines: list[str]) -> list[str]:
    return [line.strip() for line in lines if line.strip()]


def engine_step(
    *,
    actor: Actor,
    procurement: Procurement,
    event: str,
    proposed_changes: Sequence[str] = (),
    justification: str,
    evidence: str,
    now: datetime,
) -> None:
    """
    Apply one lifecycle event through the engine. Its WARN rules need a justification every
    time, even when one was recorded for an earlier step of the same kind.
    """
    procurement_act(
        actor=actor,
        procurement_id=procurement.pk,
        event=event,
        action=Action(
            proposed_changes=tuple(proposed_changes),
            justification=justification.strip(),
            evidence=evidence[:5000],
        ),
        now=now,
        ask_every_time=True,
    )


def change_kind_problems(changes: list[str]) -> list[str]:
    unknown = [c for c in changes if c not in CHANGES]
    if unknown:
        return [f"Name what would change with {', '.join(CHANGES)}; not {', '.join(unknown)}."]
    return []
