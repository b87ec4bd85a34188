"""
Pages: for everyone, the list and search of published procurements, a procurement's public page
and each of its notices, read from published data only; for the authority, the open data of a
procurement (every fact, published or not) and the review of a fact before it is published.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from sanely.portal.accounts.actors import page_actor
from sanely.portal.core.clock import now
from sanely.portal.core.errors import ApplicationError
from sanely.portal.procurements.selectors import WRITE_ROLES
from sanely.portal.web.pages import form_page, page_guard

from . import presentation, selectors, services, typed_notices
from .forms import ReviewForm, SearchForm
from .grounds import grounds_for
from .models import Fact, FactStatus

PER_PAGE = 20


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    """The search of published procurements; a filter value not on its list is refused (400)."""
    form = SearchForm(
        request.GET,
        stages=selectors.STAGES,
        outcomes=presentation.OUTCOMES,
        verdicts=presentation.VERDICT_FILTERS,
    )
    if not form.is_valid():
        return form_page(request, "publication/search.html", form=form, page=None)
    records = selectors.public_records(**form.cleaned_data)
    page = Paginator(records, PER_PAGE).get_page(request.GET.get("page"))
    return form_page(
        request,
        "publication/search.html",
        form=form,
        page=page,
        stages=selectors.STAGES,
        outcomes=presentation.OUTCOMES,
        previous_url=_page_url(request, page.previous_page_number()) if page.has_previous() else "",
        next_url=_page_url(request, page.next_page_number()) if page.has_next() else "",
    )


def _page_url(request: HttpRequest, number: int) -> str:
    query = request.GET.copy()
    query["page"] = str(number)
    return f"?{query.urlencode()}"


@require_GET
@page_guard
def procurement(request: HttpRequest, ocid: str) -> HttpResponse:
    record = selectors.public_record(ocid)
    compiled = record.compiled
    return render(
        request,
        "publication/procurement.html",
        {
            "record": record,
            "stage": selectors.stage_label(record, now()),
            "compiled": compiled,
            "tender": compiled.get("tender", {}),
            "need": presentation.paragraphs(compiled.get("planning", {}).get("rationale", "")),
            "description": presentation.paragraphs(
                compiled.get("tender", {}).get("description", "")
            ),
            "rows": presentation.summary_rows(compiled),
            "criteria": presentation.criteria(compiled),
            "partners": presentation.partners(compiled, selectors.published_figures(record)),
            "cancelled": presentation.cancellation(compiled),
            "notices": [
                (release, selectors.notice_document(release.body))
                for release in selectors.public_notices(ocid)
            ],
            "withheld": selectors.announced_withholdings(record),
        },
    )


@require_GET
@page_guard
def notice(request: HttpRequest, ocid: str, key: str) -> HttpResponse:
    release = selectors.public_notice(ocid, key)
    fact = release.fact
    return render(
        request,
        "publication/notice.html",
        {
            "release": release,
            "notice": typed_notices.public_typed_notice(
                fact.notice,
                selectors.modification_grounds(fact.procurement),
                selectors.published_bodies(ocid),
            ),
            "document": selectors.notice_document(release.body, selectors.PAGE_DOCUMENTS),
            "rows": presentation.notice_rows(presentation.restored(release.body, release.omitted)),
            "withheld": fact.withholdings.filter(announced=True),
        },
    )


@login_required
@page_guard
@require_GET
def facts(request: HttpRequest, procurement_id: int) -> HttpResponse:
    actor = page_actor(request)
    procurement, membership = selectors.access_publication(
        actor=actor, procurement_id=procurement_id
    )
    found = list(selectors.facts_of(procurement))
    return render(
        request,
        "publication/facts.html",
        {
            "procurement": procurement,
            "facts": [
                (fact, selectors.source_label(fact), presentation.subject(fact.release))
                for fact in found
            ],
            "record": selectors.record_for(procurement),
            "may_review": membership.role in WRITE_ROLES,
            "awaiting": FactStatus.AWAITING_REVIEW,
        },
    )


def _review_page(
    request: HttpRequest, fact: Fact, form: ReviewForm, error: ApplicationError | None = None
) -> HttpResponse:
    return form_page(
        request,
        "publication/review.html",
        form=form,
        error=error,
        fact=fact,
        label=selectors.source_label(fact),
        subject=presentation.subject(fact.release),
        rows=presentation.notice_rows(fact.release),
        estimates=presentation.release_estimates(fact.release, fact.figures),
        notice=typed_notices.typed_notice(
            fact.notice, selectors.modification_grounds(fact.procurement)
        ),
    )


def _review_form(fact: Fact, data: object = None) -> ReviewForm:
    return ReviewForm(
        data,
        withholdable=selectors.withholdable(fact),
        grounds=grounds_for(selectors.regime_of(fact.procurement)),
    )


@login_required
@page_guard
@require_http_methods(["GET", "POST"])
def review(request: HttpRequest, fact_id: int) -> HttpResponse:
    actor = page_actor(request)
    fact, _ = selectors.access_fact(actor=actor, fact_id=fact_id, write=True)
    if request.method == "GET":
        return _review_page(request, fact, _review_form(fact))
    form = _review_form(fact, request.POST)
    if not form.is_valid():
        return _review_page(request, fact, form)
    data = form.cleaned_data
    try:
        services.fact_review(
            actor=actor,
            fact_id=fact.pk,
            publish=data["decision"] == "publish",
            withhold=data["withhold"],
            ground=data["ground"],
            explanation=data["explanation"],
            announced=data["announced"],
            now=now(),
        )
    except ApplicationError as refused:
        return _review_page(request, fact, form, refused)
    messages.success(
        request,
        "Decision recorded: the release is published shortly."
        if data["decision"] == "publish"
        else "Decision recorded: the release is kept back.",
    )
    return redirect("publication:facts", procurement_id=fact.procurement_id)
