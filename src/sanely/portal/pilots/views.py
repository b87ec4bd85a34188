"""Evidence pages: request an assessment, watch it run, read the verdict."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from sanely.portal.accounts.actors import page_actor
from sanely.portal.core.clock import now
from sanely.portal.core.errors import ApplicationError, PermissionDenied
from sanely.portal.web.pages import form_page, page_guard

from . import selectors, services
from .forms import AssessmentForm


@require_GET
@login_required
@page_guard
def assessment_list(request: HttpRequest) -> HttpResponse:
    actor = page_actor(request)
    return render(
        request,
        "pilots/list.html",
        {
            "assessments": selectors.assessment_list_for(actor=actor),
            "can_request": bool(selectors.authorities_of(actor, write=True)),
        },
    )


@login_required
@page_guard
@require_http_methods(["GET", "POST"])
def assessment_new(request: HttpRequest) -> HttpResponse:
    actor = page_actor(request)
    organisations = selectors.authorities_of(actor, write=True)
    if not organisations:
        raise PermissionDenied("Only people of an authority who may make changes can do this.")
    bound = request.method == "POST"
    initial = selectors.answers_for_target(
        actor=actor,
        procurement_id=request.GET.get("procurement", ""),
        target_key=request.GET.get("target", ""),
    )
    target_name = initial.pop("target_name", None)
    form = AssessmentForm(
        request.POST if bound else None,
        request.FILES if bound else None,
        organisations=organisations,
        initial=initial,
    )
    if bound and form.is_valid():
        try:
            assessment = services.assessment_request(
                actor=actor,
                organisation_id=form.cleaned_data["organisation_id"],
                title=form.cleaned_data["title"],
                data=form.cleaned_data["data_file"],
                spec=form.spec_mapping(),
                now=now(),
                procurement_id=form.cleaned_data["procurement_id"],
                target_key=form.cleaned_data["target_key"],
            )
            return redirect("pilots:detail", assessment_id=assessment.pk)
        except ValidationError as error:
            form.add_error(None, error)
        except ApplicationError as error:
            return form_page(
                request,
                "pilots/new.html",
                form=form,
                error=form.in_its_words(error),
                target_name=target_name,
            )
    return form_page(request, "pilots/new.html", form=form, target_name=target_name)


@require_GET
@login_required
@page_guard
def assessment_detail(request: HttpRequest, assessment_id: int) -> HttpResponse:
    assessment = selectors.access_assessment(actor=page_actor(request), assessment_id=assessment_id)
    return render(
        request,
        "pilots/detail.html",
        {
            "assessment": assessment,
            "chart": selectors.assessment_chart(assessment),
            "rows_used": selectors.assessment_rows(assessment),
            "target_name": selectors.assessment_target_name(assessment),
        },
    )
