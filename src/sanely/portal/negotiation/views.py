"""
Pages for negotiation: the authority's overview, meeting, answer, revision, equal-treatment
and reduction pages; a tenderer's own negotiation page with its questions and consents.
"""

from collections.abc import Callable

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sanely.portal.accounts.actors import page_actor
from sanely.portal.competition.selectors import tenderers
from sanely.portal.core.clock import now
from sanely.portal.core.errors import ApplicationError, Conflict, ValidationFailed
from sanely.portal.evaluation.ranking import price_criterion
from sanely.portal.evaluation.selectors import score_places
from sanely.portal.procurements.design import section
from sanely.portal.procurements.selectors import may_change
from sanely.portal.tenders.views import receipt_response
from sanely.portal.web.pages import form_page, page_guard
from sanely.portal.web.views import way_on

from . import selectors, services
from .forms import AnswerForm, ConsentForm, MeetingForm, QuestionForm, ReductionForm, RevisionForm


@login_required
@page_guard
@require_GET
def procurement_negotiation(request: HttpRequest, procurement_id: int) -> HttpResponse:
    """The authority's overview: meetings, questions, revisions, consents and reductions."""
    actor = page_actor(request)
    procurement, _ = selectors.access_negotiation(actor=actor, procurement_id=procurement_id)
    return render(
        request,
        "negotiation/procurement.html",
        {
            "procurement": procurement,
            "negotiation": selectors.authority_negotiation(procurement=procurement),
            "may_change": may_change(actor, procurement),
        },
    )


@login_required
@page_guard
@require_http_methods(["GET", "POST"])
def meeting_new(request: HttpRequest, procurement_id: int) -> HttpResponse:
    actor = page_actor(request)
    procurement, _ = selectors.access_negotiation(
        actor=actor, procurement_id=procurement_id, write=True
    )
    bound = request.method == "POST"
    form = MeetingForm(
        request.POST if bound else None,
        rounds=[(r.pk, r.label) for r in selectors.opened_tender_rounds(procurement)],
        tenderers=[(o.pk, o.name) for o in tenderers(procurement)],
    )
    error: ApplicationError | None = None
    if bound and form.is_valid():
        try:
            meeting = services.meeting_record(
                actor=actor, procurement_id=procurement_id, now=now(), **form.arguments()
            )
            return redirect("negotiation:meeting", meeting_id=meeting.pk)
        except ApplicationError as refused:
            error = refused
    return form_page(
        request, "negotiation/meeting_new.html", form=form, error=error, procurement=procurement
    )


@login_required
@page_guard
@require_GET
def meeting_detail(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """A meeting's record: for the authority and the tenderer it was with."""
    actor = page_actor(request)
    meeting = selectors.access_meeting(actor=actor, meeting_id=meeting_id)
    authority = selectors.authority_reads(actor, meeting.procurement)
    return render(request, "negotiation/meeting.html", {"meeting": meeting, "authority": authority})


@login_required
@page_guard
@require_http_methods(["GET", "POST"])
def clarification_answer(request: HttpRequest, clarification_id: int) -> HttpResponse:
    actor = page_actor(request)
    clarification = selectors.access_clarification(
        actor=actor, clarification_id=clarification_id, write=True
    )
    bound = request.method == "POST"
    form = AnswerForm(
        request.POST if bound else None,
        initial={"audience": "all", "published_question": clarification.question},
    )
    error: ApplicationError | None = None
    if bound and form.is_valid():
        try:
            services.clarification_answer(
                actor=actor, clarification_id=clarification_id, now=now(), **form.cleaned_data
            )
            return redirect("negotiation:procurement", procurement_id=clarification.procurement_id)
        except ApplicationError as refused:
            error = refused
    return form_page(
        request, "negotiation/answer.html", form=form, error=error, clarification=clarification
    )


@login_required
@page_guard
@require_http_methods(["GET", "POST"])
def revision_new(request: HttpRequest, procurement_id: int) -> HttpResponse:
    actor = page_actor(request)
    procurement, _ = selectors.access_negotiation(
        actor=actor, procurement_id=procurement_id, write=True
    )
    bound = request.method == "POST"
    form = RevisionForm(request.POST if bound else None)
    error: ApplicationError | None = None
    if bound and form.is_valid():
        try:
            services.document_revision_record(
                actor=actor, procurement_id=procurement_id, now=now(), **form.arguments()
            )
            return redirect("negotiation:procurement", procurement_id=procurement_id)
        except ApplicationError as refused:
            error = refused
    return form_page(
        request,
        "negotiation/revision_new.html",
        form=form,
        error=error,
        procurement=procurement,
        open_round=selectors.open_tender_round(procurement, now()),
    )


@login_required
@page_guard
@require_GET
def equal_treatment(request: HttpRequest, procurement_id: int) -> HttpResponse:
    procurement, _ = selectors.access_negotiation(
        actor=page_actor(request), procurement_id=procurement_id
    )
    check = selectors.equal_treatment_check(procurement=procurement)
    return render(
        request, "negotiation/equal_treatment.html", {"procurement": procurement, "check": check}
    )


@login_required
@page_guard
@require_http_methods(["GET", "POST"])
def reduction_new(request: HttpRequest, procurement_id: int) -> HttpResponse:
    """Score the remaining tenders against the published award criteria and keep the best."""
    actor = page_actor(request)
    procurement, _ = selectors.access_negotiation(
        actor=actor, procurement_id=procurement_id, write=True
    )
    award = section(procurement.design, "award")
    bound = request.method == "POST"
    form = ReductionForm(
        request.POST if bound else None,
        rounds=[
            (r.pk, r.label) for r in selectors.opened_tender_rounds(procurement) if not r.final
        ],
        tenderers=tenderers(procurement),
        places=score_places(procurement),
        priced=price_criterion(procurement),
    )
    error: ApplicationError | None = None
    if bound and form.is_valid():
        try:
            services.tenders_reduce(
                actor=actor,
                procurement_id=procurement_id,
                round_id=form.cleaned_data["round_id"],
                scores=form.scores(),
                keep=form.cleaned_data["keep"],
                justification=form.cleaned_data["justification"],
                now=now(),
            )
            return redirect("negotiation:procurement", procurement_id=procurement_id)
        except ApplicationError as refused:
            error = refused
    return form_page(
        request,
        "negotiation/reduction_new.html",
        form=form,
        error=error,
        procurement=procurement,
        award=award,
    )


def _tenderer_page(
    request: HttpRequest,
    procurement_id: int,
    organisation_id: int,
    *,
    question_form: QuestionForm | None = None,
    consent_form: ConsentForm | None = None,
    error: ApplicationError | None = None,
) -> HttpResponse:
    """The tenderer's page, with whichever of its two forms was sent and its problems."""
    procurement, organisation = selectors.access_tenderer(
        actor=page_actor(request), procurement_id=procurement_id, organisation_id=organisation_id
    )
    question_form = question_form or QuestionForm()
    consent_form = consent_form or ConsentForm()
    sent = question_form if question_form.is_bound else consent_form
    admin = selectors.supplier_admin(page_actor(request), organisation_id)
    return form_page(
        request,
        "negotiation/tenderer.html",
        form=sent,
        error=error,
        question_form=question_form,
        consent_form=consent_form,
        admin=admin,
        seen=selectors.tenderer_negotiation(procurement=procurement, organisation=organisation),
    )


@login_required
@page_guard
@require_GET
def tenderer_negotiation(
    request: HttpRequest, procurement_id: int, organisation_id: int
) -> HttpResponse:
    return _tenderer_page(request, procurement_id, organisation_id)


def _tenderer_post(
    request: HttpRequest,
    procurement_id: int,
    organisation_id: int,
    form: QuestionForm | ConsentForm,
    act: Callable[..., object],
) -> HttpResponse:
    """One of the tenderer's forms sent: done, back to its page; refused, the page with why."""
    error: ApplicationError | None = None
    if form.is_valid():
        try:
            act(
                actor=page_actor(request),
                procurement_id=procurement_id,
                organisation_id=organisation_id,
                now=now(),
                **form.cleaned_data,
            )
            return redirect(
                "negotiation:tenderer",
                procurement_id=procurement_id,
                organisation_id=organisation_id,
            )
        except ApplicationError as refused:
            error = refused
    return _tenderer_page(
        request,
        procurement_id,
        organisation_id,
        error=error,
        question_form=form if isinstance(form, QuestionForm) else None,
        consent_form=form if isinstance(form, ConsentForm) else None,
    )


@login_required
@page_guard
@require_POST
def question_ask(request: HttpRequest, procurement_id: int, organisation_id: int) -> HttpResponse:
    form = QuestionForm(request.POST)
    return _tenderer_post(request, procurement_id, organisation_id, form, services.question_ask)


@login_required
@page_guard
@require_POST
def consent_give(request: HttpRequest, procurement_id: int, organisation_id: int) -> HttpResponse:
    form = ConsentForm(request.POST)
    return _tenderer_post(request, procurement_id, organisation_id, form, services.consent_give)


@login_required
@page_guard
@require_POST
def consent_withdraw(request: HttpRequest, consent_id: int) -> HttpResponse:
    try:
        consent = services.consent_withdraw(
            actor=page_actor(request), consent_id=consent_id, now=now()
        )
    except (Conflict, ValidationFailed) as refused:
        context = {
            "title": "The consent was not withdrawn",
            "message": refused.message,
            "links": way_on(request),
        }
        return render(request, "web/error.html", context, status=refused.status)
    return redirect(
        "negotiation:tenderer",
        procurement_id=consent.procurement_id,
        organisation_id=consent.organisation_id,
    )


@login_required
@page_guard
@require_GET
def question_receipt(request: HttpRequest, clarification_id: int) -> HttpResponse:
    """The signed receipt of a question, for its asker (and the authority), as issued."""
    found = selectors.access_clarification(
        actor=page_actor(request), clarification_id=clarification_id
    )
    return receipt_response(found.receipt, f"question-{found.pk}")
