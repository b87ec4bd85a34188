"""Pages for the selection: the marks grid with the form to mark a candidate, and the decision."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_http_methods

from sanely.documents.wording import plural
from sanely.portal.accounts.actors import page_actor
from sanely.portal.accounts.models import Organisation
from sanely.portal.core.clock import now
from sanely.portal.core.errors import ApplicationError
from sanely.portal.web.pages import form_page, page_guard

from . import selectors, services
from .forms import DecideForm, MarksForm
from .selectors import Act, Board


def _chosen(board: Board, wanted: str | None) -> Organisation | None:
    """The candidate whose form is shown: the one asked for, else the first with a mark missing."""
    for candidate in board.candidates:
        if str(candidate.pk) == wanted:
            return candidate
    missing = [m.candidate for m in board.missing]
    return missing[0] if missing else next(iter(board.candidates), None)


def _initial(board: Board, candidate: Organisation | None) -> dict[str, Any]:
    if candidate is None:
        return {}
    initial: dict[str, Any] = {"candidate_id": candidate.pk}
    for index, criterion in enumerate(board.criteria):
        mark = board.mark(candidate, criterion.name)
        if mark is not None:
            passed = "" if mark.passed is None else ("yes" if mark.passed else "no")
            initial.update(
                {
                    f"marks.{index}.passed": passed,
                    f"marks.{index}.score": mark.score,
                    f"marks.{index}.reason": mark.reason,
                }
            )
    return initial


@login_required
@page_guard
@require_http_methods(["GET", "POST"])
def selection_page(request: HttpRequest, procurement_id: int) -> HttpResponse:
    actor = page_actor(request)
    procurement, _ = selectors.access_selection(actor=actor, procurement_id=procurement_id)
    board = selectors.selection_board(procurement=procurement)
    bound = request.method == "POST"
    wanted = request.POST.get("candidate_id") if bound else request.GET.get("candidate")
    candidate = _chosen(board, wanted)
    form = MarksForm(
        request.POST if bound else None, initial=_initial(board, candidate), criteria=board.criteria
    )
    error: ApplicationError | None = None
    if bound and form.is_valid():
        try:
            services.selection_marks_record(
                actor=actor,
                procurement_id=procurement_id,
                candidate_id=form.cleaned_data["candidate_id"],
                marks=[services.MarkEntry(**entry) for entry in form.entries()],
                now=now(),
            )
            messages.success(request, "The marks are recorded.")
            return redirect("selection:selection", procurement_id=procurement_id)
        except ApplicationError as refused:
            if refused.status in (403, 404):
                raise
            error = refused
    return form_page(
        request,
        "selection/selection.html",
        form=form,
        error=error,
        board=board,
        candidate=candidate,
        may_mark=selectors.may(actor, procurement, Act.MARK),
        may_decide=selectors.may(actor, procurement, Act.DECIDE),
    )


@login_required
@page_guard
@require_http_methods(["GET", "POST"])
def decide_page(request: HttpRequest, procurement_id: int) -> HttpResponse:
    """Confirm the proposed shortlist: the invitations and regret letters go out on confirming."""
    actor = page_actor(request)
    procurement, _ = selectors.access_selection(
        actor=actor, procurement_id=procurement_id, act=Act.DECIDE
    )
    bound = request.method == "POST"
    form = DecideForm(request.POST if bound else None)
    error: ApplicationError | None = None
    if bound and form.is_valid():
        try:
            decision = services.shortlist_decide(
                actor=actor,
                procurement_id=procurement_id,
                justification=form.cleaned_data["justification"],
                now=now(),
            )
            count = len(decision.invited)
            messages.success(
                request,
                f"The shortlist is decided: {plural(count, 'candidate')} invited to"
                " tender; every candidate has been sent its letter.",
            )
            return redirect("selection:selection", procurement_id=procurement_id)
        except ApplicationError as refused:
            error = refused
    board = selectors.selection_board(procurement=procurement)
    return form_page(request, "selection/decide.html", form=form, error=error, board=board)
