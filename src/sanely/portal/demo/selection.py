"""
Demo selection: an assessor marks every candidate of a procurement whose requests to
participate have been opened, with the kind of reasons a panel writes (the fourth candidate
cannot show the insurance the notice asks for), and the lead decides the shortlist, which
sends the invitations and regret letters.
"""

from datetime import datetime, timedelta
from decimal import Decimal
from itertools import cycle

from sanely.portal.accounts.selectors import Actor
from sanely.portal.demo.stories import story_of
from sanely.portal.procurements.models import Procurement
from sanely.portal.selection.selectors import criteria
from sanely.portal.selection.services import MarkEntry, selection_marks_record, shortlist_decide
from sanely.portal.tenders.selectors import candidates

# Per candidate in turn: (passes pass/fail criteria, score of each scored criterion).
PROFILES = [
    (True, [Decimal(5), Decimal(4)]),
    (True, [Decimal(4), Decimal(4)]),
    (True, [Decimal(4), Decimal(3)]),
    (False, [Decimal(3), Decimal(3)]),
    (True, [Decimal(3), Decimal(2)]),
]
MET_REASON = "Evidence provided: employer's and public liability cover, two years' accounts."
FAIL_REASON = (
    "No evidence of the £5m public liability cover the notice requires; the certificate"
    " supplied expired in March."
)
SCORE_REASONS = {
    Decimal(5): "Several funded R&D projects in {field}, each delivered and evaluated.",
    Decimal(4): "Relevant projects with evidence of results; one less closely related.",
    Decimal(3): "Some relevant experience, with limited evidence of results.",
    Decimal(2): "Little directly relevant experience; the examples are small pilots.",
}


def _entries(procurement: Procurement, passes: bool, scores: list[Decimal]) -> list[MarkEntry]:
    published, _ = criteria(procurement)
    remaining = cycle(scores)  # the profile's scores, in turn, for each scored criterion
    entries = []
    for criterion in published:
        if criterion.assessment == "pass_fail":
            reason = MET_REASON if passes else FAIL_REASON
            entries.append(MarkEntry(criterion.name, passed=passes, reason=reason))
        else:
            score = next(remaining)
            reason = SCORE_REASONS[score].format(field=story_of(procurement).field)
            entries.append(MarkEntry(criterion.name, score=score, reason=reason))
    return entries


def select(procurement: Procurement, *, assessor: Actor, lead: Actor, now: datetime) -> None:
    """Mark every candidate (minutes apart, before `now`), then decide the shortlist at `now`."""
    people = candidates(procurement)
    for index, candidate in enumerate(people):
        passes, scores = PROFILES[index % len(PROFILES)]
        selection_marks_record(
            actor=assessor,
            procurement_id=procurement.pk,
            candidate_id=candidate.pk,
            marks=_entries(procurement, passes, scores),
            now=now - timedelta(minutes=5 * (len(people) - index)),
        )
    shortlist_decide(actor=lead, procurement_id=procurement.pk, now=now)
