"""
A Wessex procurement in the rulebook's selection state whose requests to participate were
submitted and opened, and marks to give its candidates; shared by the selection tests and the
isolation cases.
"""

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from cast import Org
from competition import COMMENCED_ON, procurement_at
from portal.tenders.sealed_files import upload

from sanely.portal.accounts.models import Role
from sanely.portal.core.clock import now
from sanely.portal.procurements.engine import rulebook_of
from sanely.portal.procurements.models import Procurement
from sanely.portal.selection.services import MarkEntry, selection_marks_record
from sanely.portal.tenders.services import (
    round_opening_confirm,
    round_opening_request,
    submission_round_open,
    submission_submit,
)

INSURANCE, TRACK_RECORD, DELIVERED = (
    "Insurance and finances",
    "R&D track record",
    "Delivered innovations",
)


def selecting(
    wessex: Org,
    candidates: list[Org],
    *,
    commenced_on: date = COMMENCED_ON,
    opened: bool = True,
    reference: str = "IP-2026-SEL1",
    design: dict[str, Any] | None = None,
) -> Procurement:
    """
    A procurement in selection: each candidate submitted a request to participate two days
    ago, before the deadline a day later; the round is opened now by two people (`opened`).
    """
    procurement = procurement_at(
        wessex, "drafting", commenced_on=commenced_on, reference=reference, design=design
    )
    rulebook = rulebook_of(procurement)
    procurement.state = rulebook.event("invite_to_tender").sources[0]
    procurement.save()
    start = now() - timedelta(days=2)
    rtp = submission_round_open(
        actor=wessex.actor(Role.PROCUREMENT_LEAD),
        procurement_id=procurement.pk,
        kind="rtp",
        number=1,
        deadline=start + timedelta(days=1),
        now=start,
    )
    # An hour apart, closer when there are so many that a day would not hold them.
    step = min(timedelta(hours=1), timedelta(days=1) / (len(candidates) + 1))
    for place, candidate in enumerate(candidates, start=1):
        submission_submit(
            actor=candidate.actor(Role.SUPPLIER_ADMIN),
            round_id=rtp.pk,
            organisation_id=candidate.organisation.pk,
            part="Request to participate",
            upload=upload(),
            now=start + step * place,
        )
    if opened:
        round_opening_request(actor=wessex.actor(Role.PROCUREMENT_LEAD), round_id=rtp.pk, now=now())
        round_opening_confirm(actor=wessex.actor(Role.COMMISSIONER), round_id=rtp.pk, now=now())
    return procurement


def entries(insured: bool = True, track: str = "4", delivered: str = "3") -> list[MarkEntry]:
    """A candidate's marks on the three published criteria of `competition.DESIGN`."""
    return [
        MarkEntry(
            INSURANCE,
            passed=insured,
            reason="Certificate of cover supplied."
            if insured
            else "No public liability certificate.",
        ),
        MarkEntry(TRACK_RECORD, score=Decimal(track), reason=f"Track record worth {track}."),
        MarkEntry(DELIVERED, score=Decimal(delivered), reason=f"Delivery worth {delivered}."),
    ]


def mark(
    wessex: Org,
    procurement: Procurement,
    candidate: Org,
    *,
    role: str = Role.EVALUATOR,
    **marks: str | bool,
) -> None:
    selection_marks_record(
        actor=wessex.actor(role),
        procurement_id=procurement.pk,
        candidate_id=candidate.organisation.pk,
        marks=entries(**marks),
        now=now(),  # type: ignore[arg-type]
    )
