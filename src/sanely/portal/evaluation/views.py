"""
Pages for the evaluation: the overview (criteria, price formula, your declaration and scoring),
the declaration, scoring one tenderer, moderating one tenderer (consensus, strengths, price,
abnormally low decision), and the results (ranking, tie choice, sign-off).
"""

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from sanely.documents.wording import number
from sanely.portal.accounts.actors import page_actor
from sanely.portal.competition import selectors as competition_selectors
from sanely.portal.core.clock import now
from sanely.portal.core.errors import ApplicationError, ValidationFailed, validation_failed_from
from sanely.portal.procurements.models import Procurement
from sanely.portal.web.pages import form_page, page_guard

from . import selectors, services
from .forms import (
    ConsensusForm,
    DeclarationForm,
    LowDecisionForm,
    PriceForm,
    ScoresForm,
    StrengthsForm,
    TieForm,
)
from .overview import overview_of, results_of, sheet_of


def _raise_hidden(error: ApplicationError | None) -> None:
    """Not found and forbidden get the standard pages, never a form with the message."""
    if error is not None and error.status in (403, 404):
        raise error


@login_required
@page_guard
@require_GET
def overview(request: HttpRequest, procurement_id: int) -> HttpResponse:
    actor = page_actor(request)
    procurement, _ = selectors.access_evaluation(actor=actor, procurement_id=procurement_id)
    return render(
        request,
        "evaluation/overview.html",
        {
            "overview": overview_of(actor, procurement),
            "moderator": selectors.moderates(actor, procurement),
            "moderation_refused": competition_selectors.declaration_refusal(
                procurement, actor.user, "moderate"
            ),
            "declaring_refused": services.declaring_refusal(procurement),
            "assesses": selectors.assesses(actor, procurement),
        },
    )


@login_required
@page_guard
@require_http_methods(["GET", "POST"])
def declare(request: HttpRequest, procurement_id: int) -> HttpResponse:
    actor = page_actor(request)
    procurement, _ = selectors.access_evaluation(
        actor=actor, procurement_id=procurement_id, act=selectors.Act.ASSESS
    )
    bound = request.method == "POST"
    form = DeclarationForm(request.POST if bound else None)
    error: ApplicationError | None = None
    if bound and form.is_valid():
        try:
            services.declaration_record(
                actor=actor,
                procurement_id=procurement_id,
                conflict=form.cleaned_data["conflict"] == "yes",
                details=form.cleaned_data["details"],
                scores=not form.cleaned_data["moderate_only"],
                now=now(),
            )
            messages.success(request, "Your declaration is recorded.")
            return redirect("evaluation:overview", procurement_id=procurement_id)
        except ApplicationError as refused:
            error = refused
    _raise_hidden(error)
    return form_page(
        request,
        "evaluation/declare.html",
        form=form,
        error=error,
        procurement=procurement,
        tenderers=competition_selectors.tenderers_to_declare(procurement),
        declarations=competition_selectors.declarations_of(procurement, actor.user),
        refused=services.declaring_refusal(procurement),
    )


def _score_entries(form: ScoresForm) -> list[services.ScoreEntry]:
    return [
        services.ScoreEntry(place.criterion, place.sub_criterion, score, text, key=f"_{i}")
        for i, place, score, text in form.entries()
    ]


def _initial(places: list[selectors.Place], mine: dict[tuple[str, str], Any]) -> dict[str, str]:
    """The evaluator's saved scores, to carry on from."""
    initial: dict[str, str] = {}
    for i, place in enumerate(places):
        if (saved := mine.get(place.key)) is not None:
            initial[f"score_{i}"] = number(saved.score)
            initial[f"justification_{i}"] = saved.justification
    return initial


@login_required
@page_guard
@require_http_methods(["GET", "POST"])
def score(request: HttpRequest, procurement_id: int, tenderer_id: int) -> HttpResponse:
    """Score one tenderer, criterion by criterion; then submit (no change afterwards)."""
    actor = page_actor(request)
    procurement, _ = selectors.access_evaluation(actor=actor, procurement_id=procurement_id)
    tenderer = selectors.access_tenderer(procurement=procurement, tenderer_id=tenderer_id)
    places = selectors.score_places(procurement)
    bound = request.method == "POST"
    mine = {
        (s.criterion, s.sub_criterion): s
        for s in selectors.own_scores(procurement, actor.user, tenderer)
    }
    form = ScoresForm(
        request.POST if bound else None, places=places, initial=_initial(places, mine)
    )
    error: ApplicationError | None = None
    if bound and form.is_valid():
        try:
            if request.POST.get("action") == "submit":
                services.scores_submit(
                    actor=actor,
                    procurement_id=procurement_id,
                    tenderer_id=tenderer_id,
                    now=now(),
                )
                messages.success(request, f"Your scores of {tenderer.name} are submitted.")
            else:
                services.scores_record(
                    actor=actor,
                    procurement_id=procurement_id,
                    tenderer_id=tenderer_id,
                    entries=_score_entries(form),
                    now=now(),
                )
                messages.success(request, "Your scores are saved. Submit them when complete.")
            return redirect(
                "evaluation:score", procurement_id=procurement_id, tenderer_id=tenderer_id
            )
        except ApplicationError as refused:
            error = refused
    _raise_hidden(error)
    return form_page(
        request,
        "evaluation/score.html",
        form=form,
        error=error,
        procurement=procurement,
        tenderer=tenderer,
        places=list(enumerate(places)),
        scale_max=selectors.scale_max(procurement),
        submitted=selectors.submitted(procurement, actor.user, tenderer),
        refused=services.scoring_refusal(procurement, actor, tenderer),
        declare_first=competition_selectors.declaration_of(procurement, actor.user) is None,
        visible=selectors.access_scores(actor=actor, procurement=procurement, tenderer=tenderer),
        versions=selectors.final_tenders(procurement, tenderer)
        if competition_selectors.may_read_tenders(actor.user, procurement)
        else [],
    )


MODERATION_FORMS: dict[str, type[forms.Form]] = {
    "consensus": ConsensusForm,
    "strengths": StrengthsForm,
    "price": PriceForm,
    "low": LowDecisionForm,
}


def _moderate(
    request: HttpRequest, what: str, form: forms.Form, procurement: Procurement, tenderer_id: int
) -> str:
    """Apply one moderation form; the message to show."""
    actor, data, at = page_actor(request), form.cleaned_data, now()
    ids: dict[str, Any] = {"procurement_id": procurement.pk, "tenderer_id": tenderer_id}
    if what == "consensus":
        places = selectors.score_places(procurement)
        if data["place"] >= len(places):
            raise validation_failed_from({"place": ["Choose one of the criteria listed."]})
        place = places[data["place"]]
        services.consensus_record(
            actor=actor,
            **ids,
            criterion=place.criterion,
            sub_criterion=place.sub_criterion,
            score=data["score"],
            reason=data["reason"],
            now=at,
        )
        return f"Consensus on {place.label} recorded."
    if what == "strengths":
        services.strengths_record(actor=actor, **ids, text=data["text"], now=at)
        return "Characteristics and relative advantages recorded."
    if what == "price":
        services.price_record(
            actor=actor, **ids, price=data["price"], version_id=data["version_id"] or 0, now=at
        )
        return "Price recorded."
    services.abnormally_low_decide(
        actor=actor, **ids, decision=data["decision"], explanation=data["explanation"], now=at
    )
    return "Decision on the abnormally low tender recorded."


@login_required
@page_guard
@require_http_methods(["GET", "POST"])
def moderate(request: HttpRequest, procurement_id: int, tenderer_id: int) -> HttpResponse:
    """One tenderer's moderation: scores side by side, consensus, strengths, price."""
    actor = page_actor(request)
    procurement = selectors.access_moderation(actor=actor, procurement_id=procurement_id)
    tenderer = selectors.access_tenderer(procurement=procurement, tenderer_id=tenderer_id)
    what = request.POST.get("form", "") if request.method == "POST" else ""
    if what and what not in MODERATION_FORMS:
        raise ValidationFailed(f"Send one of the moderation forms: {', '.join(MODERATION_FORMS)}.")
    form = MODERATION_FORMS.get(what, ConsensusForm)(request.POST if what else None)
    error: ApplicationError | None = None
    if what and form.is_valid():
        try:
            messages.success(request, _moderate(request, what, form, procurement, tenderer_id))
            return redirect(
                "evaluation:moderate", procurement_id=procurement_id, tenderer_id=tenderer_id
            )
        except ApplicationError as refused:
            error = refused
    _raise_hidden(error)
    flag = next((f for f in selectors.low_flags(procurement) if f.tenderer == tenderer), None)
    return form_page(
        request,
        "evaluation/moderate.html",
        form=form,
        error=error,
        procurement=procurement,
        sheet=sheet_of(procurement, tenderer),
        flag=flag,
        forms=MODERATION_FORMS,
        places=list(enumerate(selectors.score_places(procurement))),
    )


@login_required
@page_guard
@require_http_methods(["GET", "POST"])
def results(request: HttpRequest, procurement_id: int) -> HttpResponse:
    """The ranking and what is missing; the tie choice and the sign-off."""
    actor = page_actor(request)
    procurement = selectors.access_results(actor=actor, procurement_id=procurement_id)
    shown = results_of(procurement)
    tied = [(t["id"], t["name"]) for t in (shown["tie"] or {}).get("tied", [])]
    what = request.POST.get("form", "") if request.method == "POST" else ""
    form = TieForm(request.POST if what == "tie" else None, tied=tied)
    error: ApplicationError | None = None
    if what in ("tie", "sign_off"):
        try:
            if what == "tie":
                form.is_valid()
                services.tie_choose(
                    actor=actor,
                    procurement_id=procurement_id,
                    chosen=[int(pk) for pk in form.cleaned_data.get("chosen", [])],
                    reason=form.cleaned_data.get("reason", ""),
                    now=now(),
                )
            else:
                services.evaluation_sign_off(actor=actor, procurement_id=procurement_id, now=now())
                messages.success(request, "The evaluation is signed off.")
            return redirect("evaluation:results", procurement_id=procurement_id)
        except ApplicationError as refused:
            error = refused
    _raise_hidden(error)
    return form_page(
        request,
        "evaluation/results.html",
        form=form,
        error=error,
        procurement=procurement,
        results=shown,
    )
