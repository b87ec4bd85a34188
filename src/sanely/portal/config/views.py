"""The signed-in home page: it composes every app, so it lives on the top floor."""

from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from sanely.portal.accounts.actors import page_actor
from sanely.portal.accounts.selectors import Actor
from sanely.portal.core.clock import now
from sanely.portal.core.tasks import Task, in_due_order
from sanely.portal.evaluation.tasks import evaluation_tasks
from sanely.portal.partnerships.tasks import partnership_tasks
from sanely.portal.procurements.tasks import procurement_tasks
from sanely.portal.tenders.tasks import tender_tasks

# Each app says what waits on its own records; the home page lists them together.
TASK_SOURCES: tuple[Callable[..., list[Task]], ...] = (
    procurement_tasks,
    tender_tasks,
    evaluation_tasks,
    partnership_tasks,
)


def tasks_for(actor: Actor, moment: datetime) -> list[Task]:
    """Everything waiting for the person, soonest first."""
    return in_due_order(task for source in TASK_SOURCES for task in source(actor=actor, now=moment))


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    context: dict[str, Any] = {}
    if request.user.is_authenticated:
        actor = page_actor(request)
        context["memberships"] = actor.memberships
        context["tasks"] = tasks_for(actor, now())
    return render(request, "web/home.html", context)
