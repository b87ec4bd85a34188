"""
What the evaluation's pages and API show, composed from the selectors: one person's overview,
a tenderer's moderation sheet, and the results (flags, ranking, what is missing). Read only;
the caller has decided access.
"""

from typing import Any

from django.db.models import Count

from sanely.portal.accounts.models import Organisation
from sanely.portal.accounts.selectors import Actor
from sanely.portal.competition import selectors as competition_selectors
from sanely.portal.competition.selectors import is_tendering, tenderers
from sanely.portal.core.errors import Conflict
from sanely.portal.procurements.design import section
from sanely.portal.procurements.engine import state_label
from sanely.portal.procurements.models import Procurement

from . import selectors
from .models import EvaluationOutcome, Score, ScoreSubmission
from .ranking import Line, formula_sentence, ranking_of, sign_off_missing


def _organisation(organisation: Organisation) -> dict[str, Any]:
    return {"id": organisation.pk, "name": organisation.name}


def overview_of(actor: Actor, procurement: Procurement) -> dict[str, Any]:
    """The criteria and formula, the actor's declaration and their scoring, tenderer by tenderer."""
    award = section(procurement.design, "award")
    user = actor.user
    own = Score.objects.filter(procurement=procurement, evaluator=user)
    scored = dict(own.values_list("tenderer_id").annotate(n=Count("pk")).order_by())
    done = set(
        ScoreSubmission.objects.filter(procurement=procurement, evaluator=user).values_list(
            "tenderer_id", flat=True
        )
    )
    mine = [
        {"tenderer": _organisation(t), "scored": scored.get(t.pk, 0), "submitted": t.pk in done}
        for t in tenderers(procurement)
    ]
    evaluation = selectors.evaluation_state(procurement)
    return {
        "procurement_id": procurement.pk,
        "procurement": procurement,
        "state": procurement.state,
        "state_label": state_label(procurement),
        "evaluation_state": evaluation,
        "evaluation_state_label": state_label(procurement, evaluation),
        "scale_max": award.scale_max,
        "price_formula": formula_sentence(procurement),
        "abnormally_low_percent": award.abnormally_low_percent,
        "criteria": award.criteria,
        "places": [
            {"criterion": p.criterion, "sub_criterion": p.sub_criterion, "label": p.label}
            for p in selectors.score_places(procurement)
        ],
        "declaration": competition_selectors.declaration_of(procurement, user),
        "conflict_declared": competition_selectors.conflict_declared(procurement, user),
        "may_read_tenders": competition_selectors.may_read_tenders(user, procurement),
        "final_round_opened": selectors.final_round_opened(procurement),
        "tenderers": mine,
        "signed_off": selectors.signed_off(procurement),
    }


def sheet_of(procurement: Procurement, tenderer: Organisation) -> dict[str, Any]:
    """A tenderer's moderation sheet, with its price and the final tender versions to cite."""
    sheet = selectors.moderation_sheet(procurement, tenderer)
    price = selectors.prices_of(procurement).get(tenderer.pk)
    versions = selectors.final_tenders(procurement, tenderer)
    return {
        "tenderer": _organisation(tenderer),
        "ready": sheet.ready,
        "waiting_for": [u.full_name for u in sheet.waiting_for],
        "rows": [
            {
                "criterion": row.place.criterion,
                "sub_criterion": row.place.sub_criterion,
                "label": row.place.label,
                "scores": row.scores,
                "spread": row.spread,
                "consensus": row.consensus,
            }
            for row in sheet.rows
        ],
        "strengths": sheet.strengths.text if sheet.strengths else "",
        "price": price.price if price else None,
        "price_version_id": price.version_id if price else None,
        "final_tender_versions": [v.pk for v in versions],
        "versions": versions,
        "still_in": is_tendering(procurement, tenderer),
    }


def _flag(flag: selectors.LowFlag) -> dict[str, Any]:
    return {
        "tenderer": _organisation(flag.tenderer),
        "price": flag.price,
        "reason": flag.reason,
        "decision": flag.decision.decision if flag.decision else None,
        "explanation": flag.decision.explanation if flag.decision else None,
    }


def _line(line: Line | EvaluationOutcome) -> dict[str, Any]:
    """One place in the ranking, worked out now or frozen by the sign-off."""
    return {
        "tenderer": _organisation(line.tenderer),
        "rank": line.rank,
        "total": line.total,
        "price": line.price,
        "recommended": line.recommended,
        "breakdown": line.breakdown,
        "strengths": line.strengths,
    }


def results_of(procurement: Procurement) -> dict[str, Any]:
    """The flags, the ranking (frozen once signed off) and what is missing before the sign-off."""
    done = selectors.signed_off(procurement)
    if done:
        lines = [_line(o) for o in selectors.outcome_list(procurement)]
        tie = None
    else:
        try:
            ranking = ranking_of(procurement)
        except Conflict:
            ranking = None  # what is missing says why
        lines = [_line(line) for line in (ranking.lines if ranking else [])]
        tie = (
            {"tied": [_organisation(t) for t in ranking.tie.tied], "places": ranking.tie.places}
            if ranking and ranking.tie
            else None
        )
    return {
        "price_formula": formula_sentence(procurement),
        "flags": [] if done else [_flag(f) for f in selectors.low_flags(procurement)],
        "lines": lines,
        "tie": tie,
        "missing": [] if done else sign_off_missing(procurement),
        "signed_off": done,
    }
