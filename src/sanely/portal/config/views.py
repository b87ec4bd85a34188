"""The signed-in home page: it composes every app, so it lives on the top floor."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from sanely.portal.accounts.actors import page_actor


def home(request: HttpRequest) -> HttpResponse:
    context: dict[str, Any] = {}
    if request.user.is_authenticated:
        context["memberships"] = page_actor(request).memberships
    return render(request, "web/home.html", context)
