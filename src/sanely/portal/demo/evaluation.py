"""
The evaluation in the demo competitions, through the evaluation services only: the
evaluators declare no conflict and submit scores that differ a little; the lead moderates to
consensus with reasons, records the prices read from the final tenders, decides on any
abnormally low tender and writes each tender's strengths; then signs off.
Each step is done once: a second run changes nothing.
"""

from datetime import datetime, timedelta
from decimal import Decimal

from sanely.portal.accounts.models import Organisation
from sanely.portal.accounts.selectors import Actor
from sanely.portal.competition.selectors import declaration_of, tenderers
from sanely.portal.demo.stories import story_of
from sanely.portal.evaluation.models import LowTenderDecision
from sanely.portal.evaluation.ranking import ranking_of
from sanely.portal.evaluation.selectors import (
    final_tenders,
    low_flags,
    moderation_sheet,
    prices_of,
    score_places,
    signed_off,
    submitted,
)
from sanely.portal.evaluation.services import (
    ScoreEntry,
    abnormally_low_decide,
    consensus_record,
    declaration_record,
    evaluation_sign_off,
    price_record,
    scores_record,
    scores_submit,
    strengths_record,
    tie_choose,
)
from sanely.portal.procurements.models import Procurement

# Scores out of 10, tenderer by tenderer in name order, evaluator by evaluator.
BASE_SCORES = (Decimal(8), Decimal(7), Decimal(6), Decimal(5), Decimal(6))
JUSTIFICATIONS = {
    8: "A strong, evidenced answer: every requirement met with tested methods.",
    7: "A good answer; a few points are asserted rather than shown.",
    6: "Adequate: the approach works but depends on assumptions not yet tested.",
    5: "Acceptable with weaknesses the partner would need to address in phase 1.",
}


def _justification(score: Decimal) -> str:
    return JUSTIFICATIONS.get(int(score), JUSTIFICATIONS[5])


def declare_and_score(procurement: Procurement, *, evaluators: list[Actor], now: datetime) -> None:
    """
    Each evaluator declares no conflict and submits scores of every tenderer, a little apart,
    in the hours up to `now`.
    """
    start = now - timedelta(hours=len(evaluators) + 1)
    for number, evaluator in enumerate(evaluators):
        if declaration_of(procurement, evaluator.user) is None:
            declaration_record(
                actor=evaluator,
                procurement_id=procurement.pk,
                conflict=False,
                now=start + timedelta(minutes=number),
            )
    places = score_places(procurement)
    for index, tenderer in enumerate(tenderers(procurement)):
        base = BASE_SCORES[index % len(BASE_SCORES)]
        for number, evaluator in enumerate(evaluators):
            if submitted(procurement, evaluator.user, tenderer):
                continue
            at = start + timedelta(hours=1 + number, minutes=index)
            entries = [
                ScoreEntry(
                    p.criterion,
                    p.sub_criterion,
                    _score(base, number, i),
                    _justification(_score(base, number, i)),
                )
                for i, p in enumerate(places)
            ]
            scores_record(
                actor=evaluator,
                procurement_id=procurement.pk,
                tenderer_id=tenderer.pk,
                entries=entries,
                now=at,
            )
            scores_submit(
                actor=evaluator, procurement_id=procurement.pk, tenderer_id=tenderer.pk, now=at
            )


def _score(base: Decimal, evaluator: int, place: int) -> Decimal:
    """Evaluators differ by a point now and then."""
    return max(Decimal(0), base - (1 if (evaluator + place) % 3 == 2 else 0))


def moderate(procurement: Procurement, *, moderator: Actor, now: datetime) -> None:
    """Consensus on every criterion, the prices, decisions on low tenders, the strengths."""
    if signed_off(procurement):
        return
    story = story_of(procurement)
    if declaration_of(procurement, moderator.user) is None:
        declaration_record(
            actor=moderator, procurement_id=procurement.pk, conflict=False, scores=False, now=now
        )
    for index, tenderer in enumerate(tenderers(procurement)):
        _consensus(procurement, moderator, tenderer, now)
        versions = final_tenders(procurement, tenderer)
        if tenderer.pk not in prices_of(procurement) and versions:
            price_record(
                actor=moderator,
                procurement_id=procurement.pk,
                tenderer_id=tenderer.pk,
                price=story.prices[index % len(story.prices)],
                version_id=versions[0].pk,
                now=now,
            )
        if moderation_sheet(procurement, tenderer).strengths is None:
            strengths_record(
                actor=moderator,
                procurement_id=procurement.pk,
                tenderer_id=tenderer.pk,
                text=story.strengths.format(tenderer=tenderer.name),
                now=now,
            )
    for flag in low_flags(procurement):
        if flag.decision is None:
            abnormally_low_decide(
                actor=moderator,
                procurement_id=procurement.pk,
                tenderer_id=flag.tenderer.pk,
                decision=LowTenderDecision.ACCEPTED,
                explanation=story.low_tender,
                now=now,
            )


def _consensus(
    procurement: Procurement, moderator: Actor, tenderer: Organisation, now: datetime
) -> None:
    """The higher of the evaluators' scores, where they differ, after discussion."""
    sheet = moderation_sheet(procurement, tenderer)
    for row in sheet.rows:
        if row.consensus is not None or not row.scores:
            continue
        agreed = max(s.score for s in row.scores)
        consensus_record(
            actor=moderator,
            procurement_id=procurement.pk,
            tenderer_id=sheet.tenderer.pk,
            criterion=row.place.criterion,
            sub_criterion=row.place.sub_criterion,
            score=agreed,
            reason="The evaluators agreed the higher score: the evidence cited supports it.",
            now=now,
        )


def sign_off(procurement: Procurement, *, lead: Actor, now: datetime) -> None:
    """Sign the evaluation off (once), choosing at a tie by the quality points."""
    if signed_off(procurement):
        return
    ranking = ranking_of(procurement)
    if ranking is not None and ranking.tie is not None and not ranking.tie_chosen:
        quality = {
            line.tenderer.pk: sum(
                Decimal(p["points"]) for p in line.breakdown if p["kind"] == "quality"
            )
            for line in ranking.lines
        }
        best = sorted(ranking.tie.tied, key=lambda t: (-quality[t.pk], t.name))
        chosen = [t.pk for t in best[: ranking.tie.places]]
        tie_choose(
            actor=lead,
            procurement_id=procurement.pk,
            chosen=chosen,
            reason="Equal totals: the higher quality points decide, as the documents said.",
            now=now,
        )
    evaluation_sign_off(actor=lead, procurement_id=procurement.pk, now=now)
