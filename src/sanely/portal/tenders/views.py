"""
Pages: public opportunities; a supplier's submission page per round; the authority's rounds
and the opening ceremony; downloads of receipts and, after opening, of content.
"""

from datetime import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sanely import vault
from sanely.documents.wording import plural
from sanely.portal.accounts.actors import page_actor
from sanely.portal.competition import selectors as competition_selectors
from sanely.portal.core.clock import now
from sanely.portal.core.errors import ApplicationError
from sanely.portal.procurements.selectors import access_procurement
from sanely.portal.web.pages import form_page, page_guard
from sanely.portal.web.views import way_on

from . import selectors, services
from .forms import ExtensionForm, RoundForm, SubmitForm
from .keys import signing_key
from .models import RoundKind


def time_left(deadline: datetime, at: datetime) -> str:
    """How long until a deadline, as people say it; 'Closed' once it has passed."""
    seconds = int((deadline - at).total_seconds())
    if seconds <= 0:
        return "Closed"
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    if days:
        return f"{plural(days, 'day')} {plural(hours, 'hour')} left"
    if hours:
        return f"{plural(hours, 'hour')} {plural(minutes, 'minute')} left"
    return f"{plural(minutes, 'minute')} left" if minutes else "Less than a minute left"


def receipt_response(receipt: str, receipt_id: str) -> HttpResponse:
    """A signed receipt exactly as issued, as a file to keep."""
    response = HttpResponse(receipt.encode("ascii"), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="receipt-{receipt_id}.json"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def content_response(content: selectors.Content) -> FileResponse:
    """An opened submission as an attachment of its checked type; never shown inline."""
    response = FileResponse(
        content.file,
        as_attachment=True,
        filename=content.version.file_name,
        content_type=vault.FileKind(content.version.file_kind).media_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
def receipt_public_key(request: HttpRequest) -> HttpResponse:
    """The receipt-signing public key, for suppliers to verify receipts offline."""
    return HttpResponse(signing_key().public_pem, content_type="application/x-pem-file")


@require_GET
def opportunity_list(request: HttpRequest) -> HttpResponse:
    open_only = request.GET.get("show") == "open"
    return render(
        request,
        "tenders/opportunities.html",
        {
            "rows": selectors.opportunity_rows(now=now(), open_only=open_only),
            "open_only": open_only,
            "need_summary": selectors.need_summary,
        },
    )


@page_guard
@require_GET
def opportunity_detail(request: HttpRequest, procurement_id: int) -> HttpResponse:
    actor = page_actor(request) if request.user.is_authenticated else None
    page = selectors.opportunity_page(procurement_id=procurement_id, actor=actor)
    at = now()
    # The page's fields by name (a shallow copy), each round with its time left.
    rounds = [(r, time_left(r.deadline, at)) for r in page.rounds]
    return render(request, "tenders/opportunity.html", {**vars(page), "rounds": rounds})


@login_required
@page_guard
@require_GET
def letter_detail(request: HttpRequest, letter_id: int) -> HttpResponse:
    letter = competition_selectors.access_letter(actor=page_actor(request), letter_id=letter_id)
    return render(request, "tenders/letter.html", {"letter": letter})


@login_required
@page_guard
@require_POST
def interest_express(request: HttpRequest, procurement_id: int) -> HttpResponse:
    try:
        organisation_id = int(request.POST.get("organisation_id", ""))
    except ValueError:
        organisation_id = 0
    interest = services.interest_express(
        actor=page_actor(request),
        procurement_id=procurement_id,
        organisation_id=organisation_id,
        now=now(),
    )
    messages.success(request, f"{interest.organisation.name} has registered its interest.")
    return redirect("tenders:opportunity", procurement_id=procurement_id)


@login_required
@page_guard
@require_http_methods(["GET", "POST"])
def submission_page(request: HttpRequest, round_id: int, organisation_id: int) -> HttpResponse:
    actor = page_actor(request)
    submission_round, organisation = selectors.access_supplier_round(
        actor=actor, round_id=round_id, organisation_id=organisation_id
    )
    bound = request.method == "POST"
    form = SubmitForm(
        request.POST if bound else None,
        request.FILES if bound else None,
        parts=submission_round.parts,
    )
    error: ApplicationError | None = None
    if bound and form.is_valid():
        try:
            version = services.submission_submit(
                actor=actor,
                round_id=round_id,
                organisation_id=organisation_id,
                part=form.cleaned_data["part"],
                upload=form.cleaned_data["file"],
                now=now(),
            )
            messages.success(
                request,
                f"{version.file_name} received for ‘{version.part}’ (version {version.version})."
                " Download your receipt and keep it.",
            )
            return redirect(
                "tenders:submission", round_id=round_id, organisation_id=organisation_id
            )
        except ApplicationError as refused:
            error = refused
    at = now()
    return form_page(
        request,
        "tenders/submission.html",
        form=form,
        error=error,
        round=submission_round,
        organisation=organisation,
        status=selectors.completeness(round=submission_round, organisation=organisation),
        time_left=time_left(submission_round.deadline, at),
        closed=submission_round.deadline <= at,
    )


@login_required
@page_guard
@require_GET
def receipt_download(request: HttpRequest, version_id: int) -> HttpResponse:
    version = selectors.access_receipt(actor=page_actor(request), version_id=version_id)
    return receipt_response(version.receipt, version.submission_id)


@login_required
@page_guard
@require_http_methods(["GET", "POST"])
def round_list(request: HttpRequest, procurement_id: int) -> HttpResponse:
    actor = page_actor(request)
    procurement, _ = access_procurement(actor=actor, procurement_id=procurement_id)
    bound = request.method == "POST"
    form = RoundForm(request.POST if bound else None)
    error: ApplicationError | None = None
    if bound and form.is_valid():
        try:
            services.submission_round_open(
                actor=actor,
                procurement_id=procurement_id,
                kind=form.cleaned_data["kind"],
                number=form.cleaned_data["number"],
                deadline=form.cleaned_data["deadline"],
                final=form.cleaned_data["final"],
                parts=form.part_names(),
                justification=form.cleaned_data["justification"],
                now=now(),
            )
            return redirect("tenders:rounds", procurement_id=procurement_id)
        except ApplicationError as refused:
            error = refused
    at, submitted = now(), selectors.submitted_counts(procurement=procurement)
    rounds = [
        (r, time_left(r.deadline, at), submitted.get(r.pk, 0))
        for r in selectors.round_list(procurement=procurement)
    ]
    return form_page(
        request,
        "tenders/rounds.html",
        form=form,
        error=error,
        procurement=procurement,
        rounds=rounds,
    )


@login_required
@page_guard
@require_GET
def round_detail(request: HttpRequest, round_id: int) -> HttpResponse:
    actor = page_actor(request)
    submission_round, _ = selectors.access_round(actor=actor, round_id=round_id)
    at = now()
    versions = None
    if submission_round.is_open:
        _, versions = selectors.round_submission_list(actor=actor, round_id=round_id, now=at)
    reading_refused = (
        selectors.why_not_cleared(actor, submission_round.procurement)
        if submission_round.kind == RoundKind.TENDER
        else None
    )
    return render(
        request,
        "tenders/round.html",
        {
            "round": submission_round,
            "time_left": time_left(submission_round.deadline, at),
            "submitted": selectors.submitted_count(round=submission_round),
            "versions": versions,
            "passed": submission_round.deadline <= at,
            "reading_refused": reading_refused,
            "may_manage": selectors.may_manage_round(actor, submission_round),
            "may_declare": reading_refused
            and not competition_selectors.conflict_declared(
                submission_round.procurement, actor.user
            ),
        },
    )


@login_required
@page_guard
@require_http_methods(["GET", "POST"])
def round_extend(request: HttpRequest, round_id: int) -> HttpResponse:
    """The incident procedure: a later deadline, with the reason suppliers will read."""
    actor = page_actor(request)
    submission_round, _ = selectors.access_round(actor=actor, round_id=round_id, write=True)
    bound = request.method == "POST"
    form = ExtensionForm(request.POST if bound else None)
    error: ApplicationError | None = None
    if bound and form.is_valid():
        try:
            services.submission_round_extend(
                actor=actor,
                round_id=round_id,
                new_deadline=form.cleaned_data["new_deadline"],
                reason=form.cleaned_data["reason"],
                platform_incident=form.cleaned_data["platform_incident"],
                now=now(),
            )
            return redirect("tenders:round", round_id=round_id)
        except ApplicationError as refused:
            error = refused
    return form_page(request, "tenders/extend.html", form=form, error=error, round=submission_round)


def _refusal_page(request: HttpRequest, title: str, refused: ApplicationError) -> HttpResponse:
    """A refusal with its reason; not found and forbidden get the standard pages."""
    if refused.status in (403, 404):
        raise refused
    context = {"title": title, "message": refused.message, "links": way_on(request)}
    return render(request, "web/error.html", context, status=refused.status)


@login_required
@page_guard
@require_POST
def round_opening(request: HttpRequest, round_id: int, step: str) -> HttpResponse:
    """Both steps of the ceremony: `request`, then `confirm` by someone else."""
    act = services.round_opening_confirm if step == "confirm" else services.round_opening_request
    try:
        act(actor=page_actor(request), round_id=round_id, now=now())
    except ApplicationError as refused:
        return _refusal_page(request, "The round was not opened", refused)
    return redirect("tenders:round", round_id=round_id)


@login_required
@page_guard
@require_GET
def content_download(request: HttpRequest, version_id: int) -> HttpResponse | FileResponse:
    try:
        content = selectors.access_submission_content(
            actor=page_actor(request), version_id=version_id, route="page", now=now()
        )
    except ApplicationError as refused:
        return _refusal_page(request, "The submission cannot be read", refused)
    return content_response(content)
