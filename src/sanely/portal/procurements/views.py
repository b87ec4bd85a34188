"""
Procurement pages: start one, design it question by question, check the answers, act on it
(every action through the engine), see what happens next; and the public deadline calculator.
"""

from datetime import datetime
from functools import wraps
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods
from pydantic import ValidationError

from sanely.portal.accounts.actors import page_actor
from sanely.portal.accounts.models import Nation
from sanely.portal.core.clock import now
from sanely.portal.core.errors import (
    Conflict,
    NotFound,
    PermissionDenied,
    RuleRefused,
    ValidationFailed,
    validation_failed_from,
)
from sanely.portal.web.pages import errors_context, page_guard
from sanely.portal.web.views import way_on
from sanely.procedure import CIRCUMSTANCES, KINDS, load_rulebook, rulebook_ids
from sanely.procedure import events as lifecycle

from . import selectors, services, wizard
from .design import PLANNING_FIELDS, SECTIONS, ActionIn, section
from .engine import estimated_value, rulebook_of
from .models import Procurement
from .planning import target_plans

# The answers each action asks for, besides a justification and evidence.
ACTION_FIELDS: dict[str, tuple[str, ...]] = {
    lifecycle.INVITE_TO_TENDER: ("qualified", "invited"),
    lifecycle.NEGOTIATE: ("proposed_changes",),
    lifecycle.AMEND_DOCUMENTS: ("proposed_changes",),
    lifecycle.NOTIFY_DECISION: ("not_yet_notified",),
    lifecycle.PUBLISH_AWARD_NOTICE: ("summaries_sent_on", "not_yet_notified"),
    lifecycle.CONCLUDE_CONTRACTS: ("partners",),
    lifecycle.ENTER_CONTRACTS: ("partners",),
    lifecycle.CONTINUE_PARTNERSHIP: ("targets_assessment",),
    lifecycle.REDUCE_PARTNERS: ("targets_assessment", "partners"),
    lifecycle.TERMINATE_PARTNERSHIP: ("targets_assessment",),
    lifecycle.START_PURCHASE: ("targets_assessment", "performance_levels_met", "purchase_price"),
}
# Which design section holds each field the engine names in a problem.
PROBLEM_SECTIONS: dict[str, str] = {
    "need_statement": "need",
    "market_unavailability": "need",
    "minimum_requirements": "minimum_requirements",
    "partner_model": "partners",
    "max_partners": "partners",
    "min_candidates": "partners",
    "phases": "phases",
    "termination_option_announced": "gates",
    "reduction_option_announced": "gates",
    "ipr_arrangements": "ipr",
    "selection_criteria_tags": "selection",
    "award_model": "award",
    "award_criteria": "award",
    "staged_reduction_announced": "award",
    "estimated_value": "purchase",
    "kpis": "purchase",
    "performance_levels": "purchase",
    "max_cost": "purchase",
    "conflicts_assessment_complete": "conflicts",
    "call_for_competition": "timeline",
    "circumstances": "timeline",
    "notice_on": "timeline",
    "rtp_deadline": "timeline",
    "procedure_description": "timeline",
    "pme_reasons": "timeline",
}


def pinned_rules_guard(view: Any) -> Any:
    """A procurement whose pinned rules cannot be loaded is shown as a clash, never a 500."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            response: HttpResponse = view(request, *args, **kwargs)
        except Conflict as error:
            title = "This procurement cannot go on for now"
            context = {"title": title, "message": error.message, "links": way_on(request)}
            return render(request, "web/error.html", context, status=error.status)
        return response

    return wrapper


def page_errors(error: ValidationFailed | Conflict, *, within: str = "") -> dict[str, Any]:
    """
    The error summary for a refused write: a refusal shows its rule and citation; each field
    problem links to its input (paths inside section `within` lose that prefix).
    """
    summary: list[dict[str, str]] = []
    fields: dict[str, str] = {}
    if isinstance(error, RuleRefused):
        summary.append({"text": error.with_rule})
    detail = error.detail if isinstance(error.detail, dict) else {}
    for path, problems in detail.items():
        ident = wizard.field_id(path.removeprefix(f"{within}."))
        fields[ident] = problems[0]
        summary += [{"text": problem, "href": f"#{ident}"} for problem in problems]
    if not summary:
        summary.append({"text": error.message})
    return {"errors": {"summary": summary, "fields": fields}}


class ProcurementForm(forms.Form):
    title = forms.CharField(max_length=200, required=False)
    organisation_id = forms.TypedChoiceField(coerce=int, choices=())
    commenced_on = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, organisations: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation_id"].choices = organisations  # type: ignore[attr-defined]


@require_GET
@login_required
@page_guard
def procurement_list(request: HttpRequest) -> HttpResponse:
    actor = page_actor(request)
    if not selectors.procurements_readable(actor):
        raise PermissionDenied("Procurements are run by people of an authority.")
    return render(
        request,
        "procurements/list.html",
        {
            "procurements": selectors.procurement_list_for(actor=actor),
            "can_start": bool(selectors.writable_authorities(actor)),
        },
    )


@login_required
@page_guard
@require_http_methods(["GET", "POST"])
def procurement_new(request: HttpRequest) -> HttpResponse:
    actor = page_actor(request)
    organisations = selectors.writable_authorities(actor)
    if not organisations:
        raise PermissionDenied("Only a commissioner or procurement lead can start a procurement.")
    bound = request.method == "POST"
    form = ProcurementForm(request.POST if bound else None, organisations=organisations)
    errors = errors_context(form=form)
    if bound and form.is_valid():
        try:
            procurement = services.procurement_create(actor=actor, now=now(), **form.cleaned_data)
            return redirect(
                "procurements:section", procurement_id=procurement.pk, section_name="need"
            )
        except ValidationFailed as error:
            errors = errors_context(form=form, error=error)
    status = 400 if errors else 200
    return render(request, "procurements/new.html", {"form": form, **errors}, status=status)


def _time_left(moment: datetime, at: datetime) -> str:
    seconds = int((at - moment).total_seconds())
    days, rest = divmod(abs(seconds), 86400)
    span = (
        f"{days} days {rest // 3600} hours"
        if days
        else f"{rest // 3600} hours {rest % 3600 // 60} minutes"
    )
    return f"{span} left" if seconds > 0 else f"overdue by {span}"


# Steps taken on a stage's own page, which records what the step needs (who is invited, the
# letters, the contracts) and then applies the lifecycle action: (page, what to do there).
STAGE_PAGES = {
    lifecycle.INVITE_TO_TENDER: (
        "selection:selection",
        "Decide the shortlist on the selection page",
    ),
    lifecycle.OPEN_TENDER_ROUND: ("tenders:rounds", "Open a tender round on the rounds page"),
    lifecycle.INVITE_FINAL_TENDERS: ("tenders:rounds", "Open the final round on the rounds page"),
    lifecycle.NEGOTIATE: ("negotiation:procurement", "Record negotiations on the negotiation page"),
    lifecycle.AMEND_DOCUMENTS: (
        "negotiation:procurement",
        "Record a revision on the negotiation page",
    ),
    lifecycle.REDUCE_TENDERS: ("negotiation:procurement", "Reduce tenders on the negotiation page"),
    lifecycle.NOTIFY_DECISION: ("award:procurement", "Send the decision notices on the award page"),
    lifecycle.PUBLISH_AWARD_NOTICE: ("award:procurement", "Send the summaries on the award page"),
    lifecycle.CONCLUDE_CONTRACTS: ("award:procurement", "Conclude the contracts on the award page"),
    lifecycle.ENTER_CONTRACTS: ("award:procurement", "Enter into the contracts on the award page"),
}


@require_GET
@login_required
@page_guard
@pinned_rules_guard
def procurement_detail(request: HttpRequest, procurement_id: int) -> HttpResponse:
    moment = now()
    actor = page_actor(request)
    procurement, membership = selectors.access_procurement(
        actor=actor, procurement_id=procurement_id
    )
    ahead = selectors.what_next(procurement=procurement, now=moment)
    return render(
        request,
        "procurements/detail.html",
        {
            "procurement": procurement,
            "ahead": ahead,
            "stage_pages": STAGE_PAGES,
            "time_left": ahead.deadline and _time_left(moment, ahead.deadline.passes_at),
            "can_write": membership.role in selectors.WRITE_ROLES,
            "asks_first": _asks_first(ahead),
            "sections": SECTIONS,
        },
    )


def _asks_first(ahead: selectors.WhatNext) -> set[str]:
    """The actions whose page asks for answers, a justification or evidence before acting."""
    evaluation = ahead.evaluation
    return (
        set(ACTION_FIELDS)
        | {w.event for w in evaluation.warnings}
        | {e.event for e in evaluation.evidence}
    )


def _applicable(procurement: Procurement) -> dict[str, frozenset[str]]:
    """The choices of the design that apply under the procurement's regime."""
    return {"circumstances": rulebook_of(procurement).circumstances}


def _next_section(name: str) -> str | None:
    names = list(SECTIONS)
    following = names[names.index(name) + 1 :]
    return following[0] if following else None


@login_required
@page_guard
@pinned_rules_guard
@require_http_methods(["GET", "POST"])
def design_section(request: HttpRequest, procurement_id: int, section_name: str) -> HttpResponse:
    name = section_name
    if name not in SECTIONS:
        raise NotFound("No such question page.")
    actor = page_actor(request)
    procurement, _ = selectors.access_procurement(
        actor=actor, procurement_id=procurement_id, write=True
    )
    title, schema = SECTIONS[name]
    values: dict[str, Any] = section(procurement.design, name).model_dump(mode="json")
    # A section the notice fixed shows the rule and the lawful route; its form stays only for
    # what the authority keeps for its own planning.
    lock = selectors.fixed_sections(procurement=procurement).get(name)
    context: dict[str, Any] = {"lock": lock, "form": lock is None or name in PLANNING_FIELDS}
    status = 200
    if request.method == "POST":
        values = wizard.parse(schema, request.POST)
        try:
            services.procurement_design_update(
                actor=actor, procurement_id=procurement.pk, sections={name: values}, now=now()
            )
            following = _next_section(name)
            if "more" in request.POST:
                return redirect(
                    "procurements:section", procurement_id=procurement.pk, section_name=name
                )
            if following is None or "check" in request.POST:
                return redirect("procurements:check", procurement_id=procurement.pk)
            return redirect(
                "procurements:section", procurement_id=procurement.pk, section_name=following
            )
        except (ValidationFailed, Conflict) as error:
            context |= page_errors(error, within=name)
            status = error.status
    fields = context.get("errors", {}).get("fields", {})
    return render(
        request,
        "procurements/section.html",
        {
            "procurement": procurement,
            "title": title,
            "name": name,
            "widgets": wizard.widgets(schema, values, fields, choices=_applicable(procurement)),
            "repeating": any(w["kind"] == "rows" for w in wizard.widgets(schema, {}, {})),
            **context,
        },
        status=status,
    )


@require_GET
@login_required
@page_guard
@pinned_rules_guard
def design_check(request: HttpRequest, procurement_id: int) -> HttpResponse:
    moment = now()
    actor = page_actor(request)
    procurement, membership = selectors.access_procurement(
        actor=actor, procurement_id=procurement_id
    )
    ahead = selectors.what_next(procurement=procurement, now=moment)
    answers = []
    fixed = selectors.fixed_sections(procurement=procurement)
    applicable = _applicable(procurement)
    for name, (title, schema) in SECTIONS.items():
        values = section(procurement.design, name).model_dump(mode="json")
        rows = [
            (wizard.label(schema, field), wizard.summarise(value))
            for field, value in values.items()
            if applicable.get(field, True)
        ]
        lock = fixed.get(name)
        changeable = lock is None or name in PLANNING_FIELDS
        answers.append(
            {"name": name, "title": title, "rows": rows, "lock": lock, "changeable": changeable}
        )
    problems = [
        {"problem": p, "section": PROBLEM_SECTIONS.get(p.field.split("[")[0].split(".")[0])}
        for p in ahead.design_problems
    ]
    development, purchase = estimated_value(procurement.design)
    return render(
        request,
        "procurements/check.html",
        {
            "procurement": procurement,
            "answers": answers,
            "problems": problems,
            "can_write": membership.role in selectors.WRITE_ROLES,
            "development": development,
            "purchase": purchase,
            "ratio": round(purchase / development, 2) if purchase and development else None,
            "plans": target_plans(procurement.design),
            # the evidence page asks for an authority membership that may make changes
            "may_assess": any(
                m.can_write for m in actor.in_organisation(procurement.organisation_id)
            ),
        },
    )


@login_required
@page_guard
@pinned_rules_guard
@require_http_methods(["GET", "POST"])
def procurement_action(request: HttpRequest, procurement_id: int, event: str) -> HttpResponse:
    actor = page_actor(request)
    procurement, _ = selectors.access_procurement(
        actor=actor, procurement_id=procurement_id, write=True
    )
    found = rulebook_of(procurement).event(event)
    if found is None:
        raise NotFound("No such action.")
    only = ("justification", "evidence", *ACTION_FIELDS.get(event, ()))
    values: dict[str, Any] = {}
    context: dict[str, Any] = {}
    status = 200
    if request.method == "POST":
        values = wizard.parse(ActionIn, request.POST, only=only)
        try:
            services.procurement_act(
                actor=actor,
                procurement_id=procurement.pk,
                event=event,
                action=_action_in(values).to_action(),
                now=now(),
            )
            messages.success(request, f"Done: {found.label}.")
            return redirect("procurements:detail", procurement_id=procurement.pk)
        except (ValidationFailed, Conflict) as error:
            context, status = page_errors(error), error.status
    ahead = selectors.what_next(procurement=procurement, now=now())
    fields = context.get("errors", {}).get("fields", {})
    return render(
        request,
        "procurements/action.html",
        {
            "procurement": procurement,
            "event": found,
            "warnings": [w for w in ahead.evaluation.warnings if w.event == event],
            "evidence": [e for e in ahead.evaluation.evidence if e.event == event],
            "widgets": wizard.widgets(ActionIn, values, fields, only=only),
            **context,
        },
        status=status,
    )


def _action_in(values: dict[str, Any]) -> ActionIn:
    """The posted answers typed; a wrong type is reported like any other field problem."""
    try:
        return ActionIn.model_validate(values)
    except ValidationError as error:
        raise validation_failed_from(
            {".".join(str(p) for p in e["loc"]): [e["msg"]] for e in error.errors()}
        ) from None


# The calculator's deadlines as a buyer or supplier asks for them.
DEADLINE_KINDS = {
    "requests-to-participate": "When requests to participate may close at the earliest",
    "tendering": "When tenders may close at the earliest",
    "standstill": "When the standstill ends",
    "contract-award-notice": "When the contract award notice is due",
    "contract-details-notice": "When the contract details notice is due",
    "termination-notice": "When the contract termination notice is due",
    "invoice-payment": "When an invoice must be paid",
}


class DeadlineForm(forms.Form):
    kind = forms.ChoiceField(choices=[(k, DEADLINE_KINDS[k]) for k in KINDS])
    regime = forms.ChoiceField(choices=())
    start = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    nation = forms.ChoiceField(
        required=False,
        choices=[("", "Not needed (or an EU member state)")]
        + [(n.value, n.label) for n in Nation if n != Nation.EU],
    )
    circumstances = forms.MultipleChoiceField(
        required=False,
        choices=[(name, claim[:1].upper() + claim[1:]) for name, claim in CIRCUMSTANCES.items()],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["regime"].choices = [  # type: ignore[attr-defined]
            (r, load_rulebook(r).title) for r in rulebook_ids()
        ]


@require_GET
def deadline_calculator(request: HttpRequest) -> HttpResponse:
    """Public: the statutory deadline for a date, with the rule and citation behind it."""
    asked = "kind" in request.GET
    form = DeadlineForm(request.GET if asked else None)
    answer = None
    errors = errors_context(form=form)
    if asked and form.is_valid():
        try:
            answer = selectors.deadline_answer(
                kind=form.cleaned_data["kind"],
                regime=form.cleaned_data["regime"],
                start=form.cleaned_data["start"],
                nation=form.cleaned_data["nation"],
                circumstances=form.cleaned_data["circumstances"],
            )
        except ValidationFailed as error:
            detail = {("start" if k == "from" else k): v for k, v in error.detail.items()}
            errors = errors_context(form=form, error=ValidationFailed(error.message, detail=detail))
    chosen = set(form["circumstances"].value() or ())
    circumstance_items = [
        {"value": name, "text": label, "checked": name in chosen}
        for name, label in form.fields["circumstances"].choices  # type: ignore[attr-defined]
    ]
    return render(
        request,
        "procurements/deadlines.html",
        {
            "form": form,
            "answer": answer,
            "circumstance_items": circumstance_items,
            **errors,
        },
        status=400 if errors else 200,
    )
